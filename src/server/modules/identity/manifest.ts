import { defineModule } from '../../platform/module.ts';
import { seedDemoAccounts } from './demo.ts';
import { identityPermissions } from './policy.ts';
import { identityRoutes } from './routes.ts';

export const identityModule = defineModule({
  name: 'identity',
  permissions: identityPermissions,
  routes: identityRoutes,
  demoSeed: seedDemoAccounts,
});
