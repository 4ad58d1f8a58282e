import { applyAlarmSignals } from '../alarms/signals.ts';
import { evaluateReadings, evaluateScheduled } from '../rules/evaluate.ts';
import type { TelemetryStages } from './runtime.ts';

/**
 * What the pipeline does with readings beyond storing them: the rules turn readings (and, every
 * minute, the clock) into alarm signals; the alarms apply them. Wired here, in one place, so that
 * neither module imports the other.
 */
export const TELEMETRY_STAGES: TelemetryStages = {
  evaluators: [evaluateReadings],
  scheduled: [evaluateScheduled],
  sink: applyAlarmSignals,
};
