import { defineModule } from '../../platform/module.ts';
import { seedDemoKey } from './commands.ts';
import { open311Permissions } from './policy.ts';
import { open311KeyRoutes, open311Routes } from './routes.ts';

/**
 * Open311 GeoReport v2 at /open311/v2: the public list of services (the categories residents may
 * choose) and of requests (cases filed under them), and submission by integrations holding an
 * api_key — through the same `reportCase` command as every other channel. Keys are managed under
 * /api/open311/keys by district administrators.
 */
export const open311Module = defineModule({
  name: 'open311',
  permissions: open311Permissions,
  routes: open311KeyRoutes,
  mounts: [{ prefix: '/open311/v2', routes: open311Routes }],
  demoSeed: seedDemoKey,
});
