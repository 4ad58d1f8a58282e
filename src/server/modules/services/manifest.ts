import { defineModule } from '../../platform/module.ts';
import { registerPersonReferenceMover } from '../ledger/person-references.ts';
import { seedDemoServices } from './demo.ts';
import { seedServices, serviceJobs, serviceSubscribers } from './matching.ts';
import { servicePermissions } from './policy.ts';
import { moveServiceRecordsToSurvivors } from './repository.ts';
import { serviceRoutes } from './routes.ts';

registerPersonReferenceMover({ name: 'services', move: moveServiceRecordsToSurvivors });

/**
 * Proactive services (递菜单 / 政策找人, issue #6 items 1–3 and 代办): the catalogue with declarative
 * eligibility rules over the ledger, set-based matching kept current by events and a daily job,
 * the resident's menu after 实名核验, the social workers' 待走访 worklist with visits and uptake.
 */
export const servicesModule = defineModule({
  name: 'services',
  permissions: servicePermissions,
  routes: serviceRoutes,
  subscribers: serviceSubscribers,
  jobs: serviceJobs,
  seed: seedServices,
  demoSeed: seedDemoServices,
});
