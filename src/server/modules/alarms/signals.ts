import { randomUUID } from 'node:crypto';
import { ALARM_TYPES, type AlarmTypeId } from '../../../shared/alarms.ts';
import type { TelemetryValue } from '../../../shared/iot-profiles.ts';
import type { Insertable } from 'kysely';
import type { AlarmTable } from '../../platform/db/schema.ts';
import { recordChange, type CommandContext } from '../../platform/platform.ts';
import type { AlarmSignal, AlarmSink } from '../telemetry/contracts.ts';
import { caseModeOverrides, deviceFacts, insertAlarmEvents, openAlarmStates, outOfServiceTypes, returnAlarmsToNormal, upsertAlarms, type NewAlarmEvent, type SignalledAlarm } from './repository.ts';

/** How the platform signs the history entries the signals write. */
export const SIGNALS_ACTOR_NAME = '物联感知';

/** The domain event one applied batch emits; the alarms module's own subscriber makes cases and notifies from it. */
export const SIGNALS_APPLIED_EVENT = 'alarm.signals_applied';

/** What the subscriber is told about each alarm that was raised and wants attention. */
export interface RaisedAlarm {
  id: string;
  type: AlarmTypeId;
  severity: string;
}

/** The signals of one batch for one device and type, folded in order. */
interface Folded {
  deviceId: string;
  type: AlarmTypeId;
  activations: number;
  /** The last signal's word: does the condition hold now? */
  holds: boolean;
  firstActiveAt: Date | null;
  lastAt: Date;
  last: AlarmSignal;
  lastActive: AlarmSignal | null;
}

function fold(signals: readonly AlarmSignal[]): Folded[] {
  const byKey = new Map<string, Folded>();
  // in the order things happened (a batch may carry a device's readings out of order); ties keep the batch's order
  for (const signal of [...signals].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const key = `${signal.deviceId}/${signal.type}`;
    const seen = byKey.get(key) ?? { deviceId: signal.deviceId, type: signal.type, activations: 0, holds: false, firstActiveAt: null, lastAt: signal.at, last: signal, lastActive: null };
    if (signal.active) {
      seen.activations += 1;
      seen.lastActive = signal;
      if (!seen.firstActiveAt || signal.at < seen.firstActiveAt) seen.firstActiveAt = signal.at;
    }
    seen.holds = signal.active;
    seen.last = signal;
    if (signal.at > seen.lastAt) seen.lastAt = signal.at;
    byKey.set(key, seen);
  }
  // a stable order: concurrent batches lock the same rows in the same order
  return [...byKey.values()].sort((a, b) => (a.deviceId === b.deviceId ? a.type.localeCompare(b.type) : a.deviceId.localeCompare(b.deviceId)));
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/**
 * The alarms' AlarmSink (see telemetry/contracts.ts): applies a batch of signals in the caller's
 * transaction, in a fixed number of statements whatever the batch's size — look up the devices (state,
 * maintenance windows), the types out of service, the case-mode settings and the open alarms; one
 * upsert raises or counts; one update returns conditions to normal; one insert writes the history;
 * one audit entry and one event describe the batch. Alarms of devices in maintenance or inside a
 * window are raised suppressed, of retired devices or types out of service out of service: both are
 * recorded and visible, but the subscriber neither notifies nor makes cases for them.
 * Signals for unknown devices are ignored (ingestion only evaluates registered devices).
 */
export const applyAlarmSignals: AlarmSink = async (ctx, signals) => {
  if (signals.length === 0) return;
  const now = ctx.now ?? new Date();
  const folded = fold(signals);
  const deviceIds = [...new Set(folded.map((f) => f.deviceId))];
  const devices = await deviceFacts(ctx.trx, deviceIds, now);
  const outOfService = await outOfServiceTypes(ctx.trx, deviceIds);
  const modes = await caseModeOverrides(ctx.trx);
  const before = await openAlarmStates(ctx.trx, deviceIds);

  const raising: Array<Insertable<AlarmTable>> = [];
  const returning: Array<{ deviceId: string; type: string; at: Date }> = [];
  for (const f of folded) {
    const device = devices.get(f.deviceId);
    if (!device) continue;
    if (f.activations === 0) {
      returning.push({ deviceId: f.deviceId, type: f.type, at: f.last.at });
      continue;
    }
    const type = ALARM_TYPES[f.type];
    const suppressed = device.state === 'maintenance' || device.inWindow;
    const outOfServiceNow = device.state === 'retired' || outOfService.has(`${f.deviceId}/${f.type}`);
    // a momentary condition (a recognition, a forced gate) is over as soon as it is seen
    const holds = f.holds && !type.momentary;
    const caseMode = type.kind === 'maintenance' ? 'none' : (modes.get(f.type) ?? type.caseMode);
    const signal = f.lastActive ?? f.last;
    raising.push({
      device_id: f.deviceId,
      type: f.type,
      severity: signal.severity ?? type.severity,
      kind: type.kind,
      latched: type.lifeSafety,
      region_code: device.regionCode,
      region_path: device.regionPath,
      condition_active: holds,
      active: type.lifeSafety || holds,
      suppressed,
      out_of_service: outOfServiceNow,
      repeat_count: f.activations,
      escalate_from: f.firstActiveAt ?? f.lastAt,
      first_at: f.firstActiveAt ?? f.lastAt,
      last_at: f.lastAt,
      rtn_at: holds ? null : f.lastAt,
      case_mode: caseMode,
      recheck: caseMode === 'recheck' && !suppressed && !outOfServiceNow ? 'pending' : null,
      source: JSON.stringify(signal.source),
      values: json(signal.values as Record<string, TelemetryValue> | undefined),
      detail: json(signal.detail),
    });
  }
  const raised = await upsertAlarms(ctx.trx, raising);
  const returned = await returnAlarmsToNormal(ctx.trx, returning);

  const history: NewAlarmEvent[] = [];
  const entry = (a: SignalledAlarm, action: string, details: Record<string, unknown> = {}) =>
    history.push({ alarmId: a.id, action, fromState: before.get(`${a.deviceId}/${a.type}`) ?? null, toState: a.state, actorUserId: null, actorName: SIGNALS_ACTOR_NAME, note: null, details, at: now });
  const counts = new Map(folded.map((f) => [`${f.deviceId}/${f.type}`, f.activations]));
  for (const a of raised) {
    const key = `${a.deviceId}/${a.type}`;
    // repeats only count; the history notes them when they change the state (an unacknowledged alarm active again)
    if (a.inserted) entry(a, 'raise', { count: counts.get(key) ?? 1 });
    else if (before.get(key) !== a.state) entry(a, 'repeat', { count: counts.get(key) ?? 1 });
  }
  for (const a of returned) if (before.get(`${a.deviceId}/${a.type}`) !== a.state) entry(a, 'return_to_normal');
  await insertAlarmEvents(ctx.trx, history);

  const severities = new Map(raising.map((r) => [`${r.device_id}/${r.type}`, r.severity]));
  const attention: RaisedAlarm[] = raised
    .filter((a) => a.inserted && a.state !== 'suppressed' && a.state !== 'out_of_service' && ALARM_TYPES[a.type as AlarmTypeId].kind === 'process')
    .map((a) => ({ id: a.id, type: a.type as AlarmTypeId, severity: severities.get(`${a.deviceId}/${a.type}`) ?? ALARM_TYPES[a.type as AlarmTypeId].severity }));
  if (raised.length === 0 && returned.length === 0) return;
  await recordSignals(ctx, {
    raised: raised.filter((a) => a.inserted).map((a) => a.id),
    counted: raised.filter((a) => !a.inserted).map((a) => a.id),
    returned: returned.map((a) => a.id),
    attention,
  });
};

async function recordSignals(ctx: CommandContext, batch: { raised: string[]; counted: string[]; returned: string[]; attention: RaisedAlarm[] }): Promise<void> {
  const batchId = randomUUID();
  await recordChange(ctx, {
    audit: { action: 'alarm.signals', objectType: 'alarm_batch', objectId: batchId, details: { raised: batch.raised, counted: batch.counted.length, returned: batch.returned } },
    event: { type: SIGNALS_APPLIED_EVENT, aggregateType: 'alarm_batch', aggregateId: batchId, payload: { raised: batch.raised, returned: batch.returned, attention: batch.attention } },
  });
}
