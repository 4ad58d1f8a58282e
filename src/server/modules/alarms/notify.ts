import { ALARM_TYPES, ELDERLY_ALARM_TYPES } from '../../../shared/alarms.ts';
import type { Role } from '../../../shared/roles.ts';
import { systemActor } from '../../platform/actor.ts';
import type { Tx } from '../../platform/db/index.ts';
import type { DomainEvent, Subscriber } from '../../platform/events.ts';
import { recordChange, type CommandContext, type Platform } from '../../platform/platform.ts';
import { notify } from '../notifications/commands.ts';
import { recipients } from '../notifications/repository.ts';
import { createCaseForAlarm, iotReporter } from './cases.ts';
import { alarmById, alarmsOfCase, insertAlarmEvents, updateAlarm, type Alarm } from './repository.ts';
import { SIGNALS_APPLIED_EVENT, type RaisedAlarm } from './signals.ts';

/**
 * What follows an alarm outside the ingestion batch, from the outbox (once per event, in the
 * delivery's transaction): the case of an `auto` alarm, the at-once notice of critical process
 * alarms, the notices of escalations, and the case loop's outcome written back to the alarm.
 */

const streetOf = (regionPath: string) => regionPath.split('.').slice(0, 2).join('.');

/** Who hears about an alarm: the street's dispatchers; from the second escalation the district's operators too; the committee for the elderly flow. */
async function audience(trx: Tx, alarm: Alarm, level: number): Promise<string[]> {
  const users = new Set(await recipients(trx, { roles: ['street_dispatcher'], atPath: streetOf(alarm.regionPath) }));
  if (level >= 2) for (const u of await recipients(trx, { roles: ['district_operator'], atPath: alarm.regionPath.split('.')[0]! })) users.add(u);
  if (ELDERLY_ALARM_TYPES.includes(alarm.type)) {
    const committee: Role[] = ['committee_head', 'social_worker'];
    for (const u of await recipients(trx, { roles: committee, covering: alarm.regionPath })) users.add(u);
  }
  return [...users];
}

function paramsOf(alarm: Alarm, extra: Record<string, unknown>): Record<string, unknown> {
  const type = ALARM_TYPES[alarm.type];
  return { alarmId: alarm.id, device: alarm.deviceName, regionName: alarm.regionName, typeName: type.name['zh-CN'], typeNameEn: type.name.en, ...extra };
}

const systemContext = (trx: Tx, name: string): CommandContext => ({ trx, actor: systemActor(name), requestId: null });

async function onSignals(platform: Platform, event: DomainEvent, trx: Tx): Promise<void> {
  const attention = (event.payload.attention ?? []) as RaisedAlarm[];
  const critical: Alarm[] = [];
  for (const raised of attention) {
    const alarm = await alarmById(trx, raised.id, { forUpdate: true });
    if (!alarm || alarm.state === 'suppressed' || alarm.state === 'out_of_service') continue;
    if (alarm.caseMode === 'auto' && !alarm.caseId) await createCaseForAlarm(systemContext(trx, 'alarms'), platform, alarm, await iotReporter(trx));
    if (alarm.severity === 'critical') critical.push(alarm);
  }
  const first = critical[0];
  if (!first) return;
  // one notice per person and batch (the inbox keeps one per event): the first alarm, and how many came with it
  const users = new Set<string>();
  for (const alarm of critical) for (const u of await audience(trx, alarm, 1)) users.add(u);
  await notify({ trx }, [...users].map((userId) => ({ userId, kind: 'alarm_raised', eventId: event.id, caseId: null, params: paramsOf(first, { count: critical.length }) })));
}

async function onEscalated(event: DomainEvent, trx: Tx): Promise<void> {
  const alarm = await alarmById(trx, event.aggregateId);
  if (!alarm) return;
  const level = Number(event.payload.level ?? 1);
  const users = await audience(trx, alarm, level);
  await notify({ trx }, users.map((userId) => ({ userId, kind: 'alarm_escalated', eventId: event.id, caseId: alarm.caseId, params: paramsOf(alarm, { level }) })));
}

/** The case of an alarm ended: the alarm's history says how; a non-latched alarm whose condition is over is cleared. */
async function onCaseEnded(event: DomainEvent, trx: Tx): Promise<void> {
  const outcome = event.type === 'case.closed' ? 'closed' : 'rejected';
  const number = String(event.payload.number ?? '');
  const ctx = systemContext(trx, 'alarms');
  for (const alarm of await alarmsOfCase(trx, event.aggregateId)) {
    const clear = !alarm.conditionActive && !alarm.latched && alarm.state !== 'cleared';
    const state = clear ? await updateAlarm(trx, alarm.id, { acknowledged: true, active: false, shelved_until: null }) : alarm.state;
    const note = outcome === 'closed' ? `案件 ${number} 已办结` : `案件 ${number} 未予立案`;
    await insertAlarmEvents(trx, [{ alarmId: alarm.id, action: 'case_outcome', fromState: alarm.state, toState: state, actorUserId: null, actorName: '系统', note, details: { caseId: event.aggregateId, number, outcome, cleared: clear } }]);
    await recordChange(ctx, {
      audit: { action: 'alarm.case_outcome', objectType: 'alarm', objectId: alarm.id, regionPath: alarm.regionPath, details: { caseId: event.aggregateId, outcome, from: alarm.state, to: state } },
      event: { type: 'alarm.case_outcome', aggregateType: 'alarm', aggregateId: alarm.id, regionPath: alarm.regionPath, payload: { caseId: event.aggregateId, outcome, from: alarm.state, to: state } },
    });
  }
}

export function alarmSubscribers(platform: Platform): Subscriber[] {
  return [
    { name: 'alarms.raised', events: [SIGNALS_APPLIED_EVENT], handle: (event, trx) => onSignals(platform, event, trx) },
    { name: 'alarms.escalated', events: ['alarm.escalated'], handle: onEscalated },
    { name: 'alarms.case_outcome', events: ['case.closed', 'case.rejected'], handle: onCaseEnded },
  ];
}
