import { defineModule } from '../../platform/module.ts';
import { photoPermissions } from './photos/policy.ts';
import { photoRoutes } from './photos/routes.ts';
import { casePermissions } from './policy.ts';
import { caseRoutes } from './routes.ts';

export const casesModule = defineModule({
  name: 'cases',
  permissions: { ...casePermissions, ...photoPermissions },
  routes: async (app, platform) => {
    caseRoutes(app, platform);
    await photoRoutes(app, platform);
  },
});
