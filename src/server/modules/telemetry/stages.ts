import type { TelemetryStages } from './runtime.ts';

/**
 * What the pipeline does with readings beyond storing them: the rules module's evaluators and the
 * alarms module's sink. Wired here, in one place, so that neither module imports the other.
 */
export const TELEMETRY_STAGES: TelemetryStages = {
  evaluators: [],
  scheduled: [],
  sink: async () => {},
};
