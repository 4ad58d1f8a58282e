import { definePermissions } from '../../platform/access.ts';
import { defineModule } from '../../platform/module.ts';
import { livenessJob, retentionJob, scheduledRulesJob } from './jobs.ts';
import { telemetryRoutes } from './routes.ts';
import { telemetryRuntime } from './runtime.ts';
import { TELEMETRY_STAGES } from './stages.ts';

/** Events after which a device's cached credential and place are stale. */
const DEVICE_CHANGES = ['device.updated', 'device.token_rotated'] as const;

/**
 * IoT ingestion (issue #4): the embedded MQTT broker or an external broker's consumer, the HTTP
 * telemetry endpoint, batched storage of the time series, liveness and retention. Readings go on
 * to the rules and the alarms through the stages in stages.ts.
 */
export const telemetryModule = defineModule({
  name: 'telemetry',
  permissions: definePermissions({
    /** Ingestion counters of an instance: the people who run the devices and the platform. */
    'telemetry.stats': ['device_maintainer', 'district_operator', 'admin'],
  }),
  routes: (app, platform) => telemetryRoutes(app, platform, () => telemetryRuntime(platform, TELEMETRY_STAGES)),
  services: (platform) => [telemetryRuntime(platform, TELEMETRY_STAGES).transport],
  jobs: (platform) => {
    const runtime = telemetryRuntime(platform, TELEMETRY_STAGES);
    return [livenessJob(platform, runtime), scheduledRulesJob(platform, runtime), retentionJob(platform)];
  },
  subscribers: (platform) => [
    {
      name: 'telemetry.device-cache',
      events: DEVICE_CHANGES,
      async handle(event) {
        telemetryRuntime(platform, TELEMETRY_STAGES).directory.invalidate(event.aggregateId);
      },
    },
  ],
});
