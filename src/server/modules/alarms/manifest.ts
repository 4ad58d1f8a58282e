import { defineModule } from '../../platform/module.ts';
import { seedAlarmCases } from './cases.ts';
import { seedDemoAlarms } from './demo.ts';
import { alarmJobs } from './jobs.ts';
import { alarmSubscribers } from './notify.ts';
import { alarmPermissions } from './policy.ts';
import { alarmRoutes } from './routes.ts';

/**
 * IoT alarms (issue #4 items 7 and 8): the AlarmSink of the ingestion pipeline (`applyAlarmSignals`
 * in signals.ts), ISA-18.2 states and operator actions, escalation, flood view, alarm → case per
 * type, and the elderly-living-alone flow (emergency contact, call, visit case).
 */
export const alarmsModule = defineModule({
  name: 'alarms',
  permissions: alarmPermissions,
  routes: alarmRoutes,
  subscribers: alarmSubscribers,
  jobs: alarmJobs,
  seed: seedAlarmCases,
  demoSeed: seedDemoAlarms,
});
