import type { NotificationKind } from '../../../shared/notifications.ts';
import { notificationText } from '../../../shared/notifications.ts';
import type { Role } from '../../../shared/roles.ts';
import type { Tx } from '../../platform/db/index.ts';
import type { DomainEvent, Subscriber } from '../../platform/events.ts';
import type { Platform } from '../../platform/platform.ts';
import { notify } from '../notifications/commands.ts';
import { recipients } from '../notifications/repository.ts';
import { followerIds, mergedHotlineCallers } from './duplicates/repository.ts';
import { caseById, type CaseRow } from './repository.ts';

/**
 * Who hears about what happens to a case (new task, returned, to verify, verified, rated,
 * deadline warnings, overdue, supervision). Runs from the outbox, once per event, in the
 * delivery's transaction; hotline callers without an account get the outcome by SMS.
 */

/** The desk of a level: the district's operators, a street's dispatchers, a committee's head. */
function deskRoles(levelPath: string): Role[] {
  switch (levelPath.split('.').length) {
    case 1:
      return ['district_operator'];
    case 2:
      return ['street_dispatcher'];
    default:
      return ['committee_head'];
  }
}

const parentLevel = (path: string) => (path.includes('.') ? path.split('.').slice(0, -1).join('.') : null);

interface Audience {
  desk(): Promise<string[]>;
  supervisors(): Promise<string[]>;
  unit(): Promise<string[]>;
  assisting(): Promise<string[]>;
  reporter(): Promise<string[]>;
  /** People following the case (by hand, or because their own report was merged into it). */
  followers(): Promise<string[]>;
  verifiers(): Promise<string[]>;
}

function audienceOf(trx: Tx, row: CaseRow): Audience {
  const desk = (level: string) => recipients(trx, { roles: deskRoles(level), atPath: level });
  return {
    desk: () => desk(row.handling_level_path),
    supervisors: async () => {
      const above = parentLevel(row.handling_level_path);
      return above ? desk(above) : [];
    },
    unit: async () => (row.main_unit_id ? recipients(trx, { roles: ['department_handler'], departmentIds: [row.main_unit_id] }) : []),
    assisting: async () => recipients(trx, { roles: ['department_handler'], departmentIds: row.assisting_unit_ids }),
    reporter: async () => (row.reporter_user_id ? [row.reporter_user_id] : []),
    followers: () => followerIds(trx, row.id),
    verifiers: async () => {
      switch (row.verification) {
        case 'reporter':
          return row.reporter_user_id ? [row.reporter_user_id] : desk(row.handling_level_path);
        case 'committee':
        case 'patrol':
          return recipients(trx, { roles: ['committee_head', 'social_worker'], covering: row.region_path });
        default:
          return desk(row.handling_level_path);
      }
    },
  };
}

type Plan = Array<{ kind: NotificationKind; to: Array<keyof Audience> }>;

/** Who a deadline step concerns: whoever holds the running stage. */
function stagePlan(kind: 'deadline_warning' | 'overdue' | 'supervised', stage: string): Plan {
  const holder: Array<keyof Audience> = stage === 'accept' || stage === 'handle' ? ['unit'] : stage === 'verify' ? ['verifiers'] : ['desk'];
  if (kind === 'deadline_warning') return [{ kind, to: holder }];
  if (kind === 'overdue') return [{ kind, to: [...new Set<keyof Audience>([...holder, 'desk'])] }];
  return [{ kind, to: [...new Set<keyof Audience>([...holder, 'desk', 'supervisors'])] }];
}

/** Who hears about each case event; the deadline steps go to whoever holds the running stage. */
const PLANS: Record<string, Plan | ((stage: string) => Plan)> = {
  'case.reported': [{ kind: 'new_case', to: ['desk'] }],
  'case.dispatched': [
    { kind: 'new_task', to: ['unit'] },
    { kind: 'assist_task', to: ['assisting'] },
  ],
  'case.transferred': [{ kind: 'new_task', to: ['unit'] }],
  'case.returned': [{ kind: 'returned', to: ['desk'] }],
  'case.escalated': [{ kind: 'escalated', to: ['desk'] }],
  'case.extension_requested': [{ kind: 'request_pending', to: ['desk'] }],
  'case.suspension_requested': [{ kind: 'request_pending', to: ['desk'] }],
  'case.extended': [{ kind: 'request_decided', to: ['unit'] }],
  'case.suspended': [{ kind: 'request_decided', to: ['unit'] }],
  'case.request_denied': [{ kind: 'request_decided', to: ['unit'] }],
  'case.handled': [{ kind: 'to_verify', to: ['verifiers'] }],
  // followers hear the outcome; the reporter verifies and rates (see README "Duplicates and merging")
  'case.closed': [
    { kind: 'verified', to: ['unit'] },
    { kind: 'case_closed', to: ['reporter'] },
    { kind: 'followed_closed', to: ['followers'] },
  ],
  'case.rework': [{ kind: 'rework', to: ['unit'] }],
  'case.rejected': [
    { kind: 'case_rejected', to: ['reporter'] },
    { kind: 'followed_rejected', to: ['followers'] },
  ],
  // the duplicate's reporter and followers: they now follow the master
  'case.merged': [{ kind: 'case_merged', to: ['reporter', 'followers'] }],
  'case.unmerged': [{ kind: 'case_unmerged', to: ['reporter', 'followers'] }],
  'case.rated': [{ kind: 'rated', to: ['unit', 'desk'] }],
  'case.reopened': [{ kind: 'reopened', to: ['desk'] }],
  'case.deadline_warning': (stage) => stagePlan('deadline_warning', stage),
  'case.overdue': (stage) => stagePlan('overdue', stage),
  'case.supervised': (stage) => stagePlan('supervised', stage),
};

function planFor(event: DomainEvent): Plan {
  const plan = PLANS[event.type] ?? [];
  return typeof plan === 'function' ? plan(String(event.payload.stage ?? '')) : plan;
}

function paramsOf(event: DomainEvent, row: CaseRow): Record<string, unknown> {
  const p = event.payload;
  return {
    number: row.number,
    ...(p.stage !== undefined ? { stage: p.stage } : {}),
    ...(p.score !== undefined ? { score: p.score } : {}),
    ...(p.masterNumber !== undefined ? { master: p.masterNumber } : {}),
    ...(event.type === 'case.extension_requested' ? { request: 'extension' } : event.type === 'case.suspension_requested' ? { request: 'suspension' } : {}),
    ...(event.type === 'case.extended' || event.type === 'case.suspended' ? { approved: true } : event.type === 'case.request_denied' ? { approved: false } : {}),
  };
}

/**
 * Hands a text to the SMS gateway without holding the delivery's transaction open while it answers
 * (on the embedded database that transaction is the only connection). A failure is logged; the
 * `reference` lets a gateway drop a repeat when the event is delivered again.
 */
function sendWithoutWaiting(platform: Platform, message: { to: string; text: string; reference: string }): void {
  void platform.sms.send(message).catch((error: unknown) => platform.log.warn({ err: error, reference: message.reference }, 'SMS not sent'));
}

export function caseNotifier(platform: Platform): Subscriber {
  return {
    name: 'cases.notify',
    events: Object.keys(PLANS),
    async handle(event, trx) {
      const row = await caseById(trx, event.aggregateId);
      if (!row) return;
      // an auto-dispatched report never waited for the desk: its new task goes to the unit instead
      if (event.type === 'case.reported' && row.status !== 'reported') return;
      const audience = audienceOf(trx, row);
      const params = paramsOf(event, row);
      const rows = [];
      for (const step of planFor(event)) {
        const users = new Set<string>();
        for (const group of step.to) for (const user of await audience[group]()) users.add(user);
        users.delete(event.actorUserId ?? '');
        for (const userId of users) rows.push({ userId, kind: step.kind, eventId: event.id, caseId: row.id, params });
      }
      await notify({ trx }, rows);
      // A hotline caller has no inbox: the outcome goes to the callback number (confidential calls too: 保密 hides the caller from the units, not the outcome from the caller).
      if (row.channel === 'hotline' && row.caller_phone && (event.type === 'case.closed' || event.type === 'case.rejected')) {
        const kind = event.type === 'case.closed' ? 'case_closed' : 'case_rejected';
        sendWithoutWaiting(platform, { to: row.caller_phone, text: `【共治】${notificationText(kind, params, 'zh-CN')}`, reference: event.id });
      }
      // hotline callers whose reports were merged into this case hear its outcome too, under their own case number
      if (event.type === 'case.closed' || event.type === 'case.rejected') {
        const kind = event.type === 'case.closed' ? 'case_closed' : 'case_rejected';
        for (const caller of await mergedHotlineCallers(trx, row.id)) {
          sendWithoutWaiting(platform, { to: caller.phone, text: `【共治】${notificationText(kind, { ...params, number: caller.number }, 'zh-CN')}`, reference: `${event.id}/${caller.number}` });
        }
      }
    },
  };
}
