import { defineModule } from '../../platform/module.ts';
import { casePermissions } from './policy.ts';
import { caseRoutes } from './routes.ts';

export const casesModule = defineModule({
  name: 'cases',
  permissions: casePermissions,
  routes: caseRoutes,
});
