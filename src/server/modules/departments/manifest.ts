import { defineModule } from '../../platform/module.ts';
import { departmentPermissions } from './policy.ts';
import { departmentRoutes } from './routes.ts';
import { seedDemoDepartments, seedDepartments } from './seed.ts';

export const departmentsModule = defineModule({
  name: 'departments',
  permissions: departmentPermissions,
  routes: departmentRoutes,
  seed: (platform) => seedDepartments(platform, platform.config.rootRegionCode),
  demoSeed: seedDemoDepartments,
});
