import { systemActor } from '../../platform/actor.ts';
import type { Job } from '../../platform/jobs.ts';
import { recordChange, type Platform } from '../../platform/platform.ts';
import { claimDueEscalations, claimExpiredShelves, insertAlarmEvents, updateAlarm } from './repository.ts';

/** How often the jobs look; both claim rows with FOR UPDATE SKIP LOCKED, so instances never do one twice. */
export const ALARM_JOB_INTERVAL_MS = 30_000;
const BATCH = 200;

/**
 * Escalation (升级): an unacknowledged process alarm (not shelved, suppressed or out of service) that
 * waited its severity's minutes rises one level, then again after as long, up to level 3; the
 * notices follow from the `alarm.escalated` event. Minutes per severity are a setting (none: never).
 */
export async function escalateAlarms(platform: Platform, now: Date): Promise<number> {
  return platform.transaction(systemActor('alarms.escalation'), async (ctx) => {
    const due = await claimDueEscalations(ctx.trx, now, BATCH);
    for (const alarm of due) {
      const level = alarm.level + 1;
      await updateAlarm(ctx.trx, alarm.id, { escalation_level: level });
      await insertAlarmEvents(ctx.trx, [{ alarmId: alarm.id, action: 'escalate', fromState: alarm.state, toState: alarm.state, actorUserId: null, actorName: '系统', note: null, details: { level }, at: now }]);
      await recordChange(ctx, {
        audit: { action: 'alarm.escalate', objectType: 'alarm', objectId: alarm.id, regionPath: alarm.regionPath, details: { level, type: alarm.type, severity: alarm.severity } },
        event: { type: 'alarm.escalated', aggregateType: 'alarm', aggregateId: alarm.id, regionPath: alarm.regionPath, payload: { level, type: alarm.type, severity: alarm.severity } },
      });
    }
    return due.length;
  });
}

/** Shelving ends by itself: the alarm returns to the state its flags give, and its escalation clock starts again. */
export async function unshelveExpired(platform: Platform, now: Date): Promise<number> {
  return platform.transaction(systemActor('alarms.shelving'), async (ctx) => {
    const expired = await claimExpiredShelves(ctx.trx, now, BATCH);
    for (const alarm of expired) {
      const state = await updateAlarm(ctx.trx, alarm.id, { shelved_until: null, escalate_from: now, escalation_level: 0 });
      await insertAlarmEvents(ctx.trx, [{ alarmId: alarm.id, action: 'expire_shelve', fromState: alarm.state, toState: state, actorUserId: null, actorName: '系统', note: null, details: {}, at: now }]);
      await recordChange(ctx, {
        audit: { action: 'alarm.unshelve_expired', objectType: 'alarm', objectId: alarm.id, regionPath: alarm.regionPath, details: { from: alarm.state, to: state } },
        event: { type: 'alarm.unshelved', aggregateType: 'alarm', aggregateId: alarm.id, regionPath: alarm.regionPath, payload: { from: alarm.state, to: state, expired: true } },
      });
    }
    return expired.length;
  });
}

export function alarmJobs(platform: Platform): Job[] {
  return [
    { name: 'alarms.escalation', intervalMs: ALARM_JOB_INTERVAL_MS, run: (now) => escalateAlarms(platform, now) },
    { name: 'alarms.unshelve', intervalMs: ALARM_JOB_INTERVAL_MS, run: (now) => unshelveExpired(platform, now) },
  ];
}
