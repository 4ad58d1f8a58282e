import { ALARM_TYPES, ELDERLY_ALARM_TYPES, type AlarmCaseMode, type AlarmSeverity, type AlarmState, type AlarmTypeId, type CallOutcome, type RecheckDecision } from '../../../shared/alarms.ts';
import { maskName, maskPhone } from '../../../shared/mask.ts';
import type { UserActor } from '../../platform/actor.ts';
import type { Updateable } from 'kysely';
import type { AlarmTable } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { recordChange, type CommandContext, type Platform } from '../../platform/platform.ts';
import type { Device } from '../devices/repository.ts';
import { createCaseForAlarm } from './cases.ts';
import { deleteOutOfService, deleteWindow, emergencyContact, insertAlarmEvents, insertWindow, putCaseMode, putEmergencyContact, putEscalationMinutes, putOutOfService, updateAlarm, type Alarm, type AlarmWindow } from './repository.ts';

export type AlarmCommand =
  | { action: 'ack'; note?: string }
  | { action: 'shelve'; minutes: number; reason: string }
  | { action: 'unshelve'; note?: string }
  | { action: 'reset'; force?: boolean; reason?: string }
  | { action: 'comment'; text: string }
  | { action: 'recheck'; decision: RecheckDecision; note: string }
  | { action: 'call'; outcome: CallOutcome; note: string };

type UserContext = CommandContext & { actor: UserActor };

const EVENT_OF: Record<AlarmCommand['action'], string> = {
  ack: 'alarm.acknowledged',
  shelve: 'alarm.shelved',
  unshelve: 'alarm.unshelved',
  reset: 'alarm.reset',
  comment: 'alarm.commented',
  recheck: 'alarm.rechecked',
  call: 'alarm.called',
};

/** States an action may start from (comments go anywhere; recheck and call check their own conditions). */
const FROM: Record<AlarmCommand['action'], readonly AlarmState[] | 'any'> = {
  ack: ['active_unack', 'rtn_unack', 'shelved'],
  shelve: ['active_unack', 'active_ack', 'rtn_unack'],
  unshelve: ['shelved'],
  reset: ['active_unack', 'active_ack', 'rtn_unack', 'shelved', 'suppressed', 'out_of_service'],
  comment: 'any',
  recheck: 'any',
  call: ['active_unack', 'active_ack', 'rtn_unack', 'shelved'],
};

const acknowledgement = (ctx: UserContext, now: Date): Updateable<AlarmTable> => ({ acknowledged: true, acked_at: now, acked_by: ctx.actor.userId });

/** Resolved by a person: the condition no longer matters (the resident is fine, a false alarm). */
const resolution = (ctx: UserContext, now: Date): Updateable<AlarmTable> => ({ ...acknowledgement(ctx, now), active: false, shelved_until: null });

function noteOf(command: AlarmCommand): string | null {
  switch (command.action) {
    case 'shelve':
      return command.reason;
    case 'reset':
      return command.reason ?? null;
    case 'comment':
      return command.text;
    case 'recheck':
    case 'call':
      return command.note;
    default:
      return command.note ?? null;
  }
}

/**
 * Applies an operator's action to an alarm they can see (the route checked the role may take it on
 * this alarm): checks the state, changes the alarm, and writes the history entry, the audit entry
 * and the event in the caller's transaction. Confirming a recheck, or a call that finds the resident
 * needs a visit or cannot be reached, reports the alarm's case in the same transaction.
 */
export async function actOnAlarm(ctx: UserContext, platform: Platform, alarm: Alarm, command: AlarmCommand): Promise<void> {
  const allowed = FROM[command.action];
  // a shelved alarm may or may not have been acknowledged before it was shelved
  const done = command.action === 'ack' && alarm.acknowledged;
  if ((allowed !== 'any' && !allowed.includes(alarm.state)) || done) throw new AppError('ALARM_ACTION_NOT_ALLOWED', { state: alarm.state, action: command.action });
  const now = ctx.now ?? new Date();
  const details: Record<string, unknown> = {};
  let patch: Updateable<AlarmTable> = {};
  let caseNote: string | null = null;

  switch (command.action) {
    case 'ack':
      patch = acknowledgement(ctx, now);
      break;
    case 'shelve':
      patch = { shelved_until: new Date(now.getTime() + command.minutes * 60_000) };
      details.minutes = command.minutes;
      details.until = patch.shelved_until instanceof Date ? patch.shelved_until.toISOString() : null;
      break;
    case 'unshelve':
      // back in front of the operators: the escalation clock starts again
      patch = { shelved_until: null, escalate_from: now, escalation_level: 0 };
      break;
    case 'reset':
      if (!alarm.latched) throw new AppError('ALARM_NOT_LATCHED', { type: alarm.type });
      if (alarm.conditionActive && !command.force) throw new AppError('ALARM_CONDITION_ACTIVE');
      if (command.force && [...(command.reason ?? '').trim()].length < 4) throw new AppError('REASON_REQUIRED');
      patch = resolution(ctx, now);
      details.forced = command.force === true && alarm.conditionActive;
      break;
    case 'comment':
      break;
    case 'recheck':
      if (alarm.recheck !== 'pending') throw new AppError('ALARM_RECHECK_NOT_PENDING');
      details.decision = command.decision;
      if (command.decision === 'confirm') {
        patch = { ...acknowledgement(ctx, now), recheck: 'confirmed' };
        caseNote = `二次甄别确认：${command.note}`;
      } else {
        patch = { ...resolution(ctx, now), recheck: 'dismissed' };
      }
      break;
    case 'call': {
      if (!ELDERLY_ALARM_TYPES.includes(alarm.type)) throw new AppError('ALARM_CALL_NOT_APPLICABLE', { type: alarm.type });
      if (!(await emergencyContact(ctx.trx, alarm.deviceId))) throw new AppError('ALARM_NO_EMERGENCY_CONTACT');
      details.outcome = command.outcome;
      const settled = alarm.recheck === 'pending' ? { recheck: command.outcome === 'reached_ok' ? 'dismissed' : 'confirmed' } : {};
      if (command.outcome === 'reached_ok') patch = { ...resolution(ctx, now), ...settled };
      else {
        patch = { ...acknowledgement(ctx, now), ...settled };
        caseNote = `${command.outcome === 'not_reached' ? '紧急联系人未联系上' : '已联系紧急联系人，需要上门探访'}：${command.note}。请居委会上门探访。`;
      }
      break;
    }
  }
  const state = Object.keys(patch).length ? await updateAlarm(ctx.trx, alarm.id, patch) : alarm.state;
  await insertAlarmEvents(ctx.trx, [
    { alarmId: alarm.id, action: command.action, fromState: alarm.state, toState: state, actorUserId: ctx.actor.userId, actorName: ctx.actor.displayName, note: noteOf(command), details, at: now },
  ]);
  await recordChange(ctx, {
    audit: { action: `alarm.${command.action}`, objectType: 'alarm', objectId: alarm.id, regionPath: alarm.regionPath, details: { type: alarm.type, from: alarm.state, to: state, ...details } },
    event: { type: EVENT_OF[command.action], aggregateType: 'alarm', aggregateId: alarm.id, regionPath: alarm.regionPath, payload: { type: alarm.type, from: alarm.state, to: state, ...details } },
  });
  if (caseNote !== null && !alarm.caseId) await createCaseForAlarm(ctx, platform, { ...alarm, state }, ctx.actor, { note: caseNote });
}

// ── settings ───────────────────────────────────────────────────────────────

export async function changeAlarmSettings(
  ctx: UserContext,
  change: { caseModes?: Partial<Record<AlarmTypeId, AlarmCaseMode>>; escalationMinutes?: Partial<Record<AlarmSeverity, number | null>> },
): Promise<void> {
  for (const [type, mode] of Object.entries(change.caseModes ?? {})) {
    if (mode && ALARM_TYPES[type as AlarmTypeId].kind === 'process') await putCaseMode(ctx.trx, type, mode, ctx.actor.userId);
  }
  for (const [severity, minutes] of Object.entries(change.escalationMinutes ?? {})) {
    if (minutes !== undefined) await putEscalationMinutes(ctx.trx, severity as AlarmSeverity, minutes, ctx.actor.userId);
  }
  await recordChange(ctx, {
    audit: { action: 'alarm.settings_change', objectType: 'alarm_settings', objectId: null, regionPath: ctx.actor.assignment.regionPath, details: change },
    event: { type: 'alarm.settings_changed', aggregateType: 'alarm_settings', aggregateId: 'alarm_settings', payload: change },
  });
}

// ── maintenance windows and drills; types out of service ──────────────────────

/** The longest window: suppression is for maintenance and drills, not for silencing a device. */
export const ALARM_WINDOW_MAX_DAYS = 30;

export async function openWindow(
  ctx: UserContext,
  input: { kind: 'maintenance' | 'drill'; target: { device: Device } | { region: { code: string; regionPath: string } }; startsAt: Date; endsAt: Date; reason: string },
): Promise<string> {
  const span = input.endsAt.getTime() - input.startsAt.getTime();
  if (span <= 0 || span > ALARM_WINDOW_MAX_DAYS * 86_400_000) throw new AppError('ALARM_WINDOW_INVALID');
  const place = 'device' in input.target ? { regionPath: input.target.device.regionPath } : input.target.region;
  const id = await insertWindow(ctx.trx, {
    kind: input.kind,
    regionCode: 'region' in input.target ? input.target.region.code : null,
    regionPath: 'region' in input.target ? input.target.region.regionPath : null,
    deviceId: 'device' in input.target ? input.target.device.id : null,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    reason: input.reason,
    createdBy: ctx.actor.userId,
  });
  const details = { kind: input.kind, deviceId: 'device' in input.target ? input.target.device.id : null, startsAt: input.startsAt.toISOString(), endsAt: input.endsAt.toISOString() };
  await recordChange(ctx, {
    audit: { action: 'alarm.window_open', objectType: 'alarm_window', objectId: id, regionPath: place.regionPath, reason: input.reason, details },
    event: { type: 'alarm.window_opened', aggregateType: 'alarm_window', aggregateId: id, regionPath: place.regionPath, payload: details },
  });
  return id;
}

export async function closeWindow(ctx: UserContext, window: AlarmWindow): Promise<void> {
  await deleteWindow(ctx.trx, window.id);
  await recordChange(ctx, {
    audit: { action: 'alarm.window_close', objectType: 'alarm_window', objectId: window.id, regionPath: window.regionPath, details: { kind: window.kind } },
    event: { type: 'alarm.window_closed', aggregateType: 'alarm_window', aggregateId: window.id, regionPath: window.regionPath, payload: { kind: window.kind } },
  });
}

export async function setTypeOutOfService(ctx: UserContext, device: Device, type: AlarmTypeId, outOfService: { reason: string } | null): Promise<void> {
  if (outOfService) await putOutOfService(ctx.trx, device.id, type, outOfService.reason, ctx.actor.userId);
  else if (!(await deleteOutOfService(ctx.trx, device.id, type))) throw new AppError('NOT_FOUND');
  await recordChange(ctx, {
    audit: { action: outOfService ? 'alarm.out_of_service' : 'alarm.in_service', objectType: 'device', objectId: device.id, regionPath: device.regionPath, reason: outOfService?.reason ?? null, details: { type } },
    event: { type: outOfService ? 'alarm.type_out_of_service' : 'alarm.type_in_service', aggregateType: 'device', aggregateId: device.id, regionPath: device.regionPath, payload: { type } },
  });
}

// ── emergency contacts (独居老人) ─────────────────────────────────────────────

export async function setEmergencyContact(ctx: UserContext, device: Device, contact: { name: string; phone: string } | null): Promise<void> {
  await putEmergencyContact(ctx.trx, device.id, contact, ctx.actor.userId);
  await recordChange(ctx, {
    audit: {
      action: contact ? 'device.emergency_contact_set' : 'device.emergency_contact_remove',
      objectType: 'device',
      objectId: device.id,
      regionPath: device.regionPath,
      details: contact ? { name: maskName(contact.name), phone: maskPhone(contact.phone) } : {},
    },
    event: { type: 'device.emergency_contact_changed', aggregateType: 'device', aggregateId: device.id, regionPath: device.regionPath, payload: { present: contact !== null } },
  });
}

/** The full contact, for a role that may see it, with a reason: an audited read of personal data. */
export async function revealEmergencyContact(ctx: UserContext, device: Device, reason: string): Promise<{ name: string; phone: string }> {
  if ([...reason.trim()].length < 4) throw new AppError('REASON_REQUIRED');
  const contact = await emergencyContact(ctx.trx, device.id);
  if (!contact) throw new AppError('NOT_FOUND');
  await recordChange(ctx, {
    audit: { action: 'personal_data.reveal', objectType: 'device', objectId: device.id, regionPath: device.regionPath, reason: reason.trim(), details: { fields: ['emergency_contact'] } },
  });
  return contact;
}

/** The actions an alarm's state allows now, whoever asks (the route intersects them with the caller's role). */
export function actionsAllowedNow(alarm: Alarm): AlarmCommand['action'][] {
  return (Object.keys(FROM) as AlarmCommand['action'][]).filter((action) => {
    const from = FROM[action];
    if (from !== 'any' && !from.includes(alarm.state)) return false;
    if (action === 'ack') return !alarm.acknowledged;
    if (action === 'reset') return alarm.latched;
    if (action === 'recheck') return alarm.recheck === 'pending';
    if (action === 'call') return ELDERLY_ALARM_TYPES.includes(alarm.type);
    return true;
  });
}
