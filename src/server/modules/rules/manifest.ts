import { defineModule } from '../../platform/module.ts';
import { rulePermissions } from './policy.ts';
import { ruleRoutes } from './routes.ts';

/**
 * IoT rules (issue #4): built-in rules per device profile, overridden per street, committee or
 * device, custom rules, and their evaluation (`evaluate.ts`: `evaluateReadings` for the ingestion
 * pipeline, `evaluateScheduled` for the one-minute job) and dry run.
 */
export const rulesModule = defineModule({
  name: 'rules',
  permissions: rulePermissions,
  routes: ruleRoutes,
});
