import {
  CALL_TYPE_LABELS,
  CALL_TYPES,
  CASE_ACTION_LABELS,
  CASE_ACTIONS,
  CASE_CHANNEL_LABELS,
  CASE_CHANNELS,
  CASE_ENTRY_LABELS,
  CASE_STATUS_LABELS,
  CASE_STATUSES,
  CASE_SYSTEM_ENTRIES,
  type CaseAction,
  type CaseStatus,
} from '../../../shared/cases.ts';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { PHOTO_TIMELINE_LABEL } from '../../../shared/photos.ts';
import { URGENCIES, URGENCY_LABELS, type Urgency } from '../../../shared/time-limits.ts';

export function isCaseStatus(value: string): value is CaseStatus {
  return (CASE_STATUSES as readonly string[]).includes(value);
}

export function isCaseAction(value: string): value is CaseAction {
  return (CASE_ACTIONS as readonly string[]).includes(value);
}

export function caseStatusLabel(status: string, locale: Locale): string {
  return isCaseStatus(status) ? CASE_STATUS_LABELS[status][locale] : status;
}

const oneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

/** A timeline entry's name: an action someone took, or an entry the platform wrote (report, deadline steps). */
export function caseActionLabel(action: string, locale: Locale): string {
  if (action === 'photo') return PHOTO_TIMELINE_LABEL[locale];
  if (oneOf(CASE_SYSTEM_ENTRIES, action)) return CASE_ENTRY_LABELS[action][locale];
  return isCaseAction(action) ? CASE_ACTION_LABELS[action][locale] : action;
}

export function channelLabel(channel: string, locale: Locale): string {
  return oneOf(CASE_CHANNELS, channel) ? CASE_CHANNEL_LABELS[channel][locale] : channel;
}

export function callTypeLabel(callType: string, locale: Locale): string {
  return oneOf(CALL_TYPES, callType) ? CALL_TYPE_LABELS[callType][locale] : callType;
}

function isUrgency(value: string): value is Urgency {
  return (URGENCIES as readonly string[]).includes(value);
}

export function urgencyLabel(urgency: string, locale: Locale): string {
  return isUrgency(urgency) ? URGENCY_LABELS[urgency][locale] : urgency;
}

/** A colour per status, so a list can be read at a glance. */
export const CASE_STATUS_COLORS: Record<CaseStatus, string> = {
  reported: 'orange',
  registered: 'gold',
  rejected: 'default',
  dispatched: 'blue',
  in_progress: 'processing',
  handled: 'cyan',
  suspended: 'purple',
  closed: 'green',
  merged: 'default',
};

export function caseStatusColor(status: string): string {
  return isCaseStatus(status) ? CASE_STATUS_COLORS[status] : 'default';
}
