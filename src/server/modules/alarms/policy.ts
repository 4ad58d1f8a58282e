import { ELDERLY_ALARM_TYPES, type AlarmAction, type AlarmTypeId } from '../../../shared/alarms.ts';
import type { Role } from '../../../shared/roles.ts';
import { definePermissions } from '../../platform/access.ts';

/**
 * Who sees and handles alarms, always inside their region scope:
 * - the operations desks (street dispatchers, district operators) and administrators: every alarm;
 * - committee staff (head, social worker): their committee's alarms; they act on the elderly flow
 *   (water-no-use, door-no-open: the call to the emergency contact, acknowledging, comments, recheck);
 * - device maintainers: the maintenance alarms (device offline, battery low), which they handle;
 * - residents and everyone else: nothing.
 */
export const ALARM_DESK_ROLES: readonly Role[] = ['street_dispatcher', 'district_operator', 'admin'];
export const ALARM_COMMITTEE_ROLES: readonly Role[] = ['committee_head', 'social_worker'];

export const alarmPermissions = definePermissions({
  'alarm.read': [...ALARM_DESK_ROLES, ...ALARM_COMMITTEE_ROLES, 'device_maintainer'],
  /** Maintenance windows and drills (suppression), and alarm types taken out of service per device. */
  'alarm.windows.manage': [...ALARM_DESK_ROLES, 'device_maintainer'],
  /** Case mode per type and escalation minutes per severity. */
  'alarm.settings.manage': ['admin'],
  /** An elderly resident's emergency contact on the device watching over them. */
  'device.emergencyContact.manage': ['device_maintainer', ...ALARM_COMMITTEE_ROLES, 'admin'],
  /** The contact's full phone number (masked otherwise), audited as a read of personal data. */
  'device.emergencyContact.reveal': [...ALARM_DESK_ROLES, ...ALARM_COMMITTEE_ROLES],
});

/** Which kinds of alarm a role sees at all (inside its scope). */
export function visibleKinds(role: Role): ReadonlyArray<'process' | 'maintenance'> {
  if (role === 'device_maintainer') return ['maintenance'];
  return ['process', 'maintenance'];
}

const COMMITTEE_ACTIONS: readonly AlarmAction[] = ['ack', 'comment', 'recheck', 'call'];
const MAINTAINER_ACTIONS: readonly AlarmAction[] = ['ack', 'comment', 'shelve', 'unshelve'];

/** Whether a role may take an action on an alarm of this type and kind it can see. */
export function mayAct(role: Role, alarm: { type: AlarmTypeId; kind: string }, action: AlarmAction): boolean {
  // the desks may take every action; whether it applies to this alarm is the state's question (409, not 403)
  if (ALARM_DESK_ROLES.includes(role)) return true;
  if (ALARM_COMMITTEE_ROLES.includes(role)) return ELDERLY_ALARM_TYPES.includes(alarm.type) && COMMITTEE_ACTIONS.includes(action);
  if (role === 'device_maintainer') return alarm.kind === 'maintenance' && MAINTAINER_ACTIONS.includes(action);
  return false;
}
