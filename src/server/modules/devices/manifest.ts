import { defineModule } from '../../platform/module.ts';
import { seedDemoDevices } from './demo.ts';
import { devicePermissions } from './policy.ts';
import { deviceRoutes } from './routes.ts';

/**
 * IoT devices (issue #4), first slice: the device registry with profiles from the data standard
 * (`src/shared/iot-profiles.ts`), one credential per device, CSV bulk registration. Ingestion,
 * rules and alarms come later.
 */
export const devicesModule = defineModule({
  name: 'devices',
  permissions: devicePermissions,
  routes: deviceRoutes,
  demoSeed: seedDemoDevices,
});
