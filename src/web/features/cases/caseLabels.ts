import { CASE_ACTION_LABELS, CASE_ACTIONS, CASE_STATUS_LABELS, CASE_STATUSES, type CaseAction, type CaseStatus } from '../../../shared/cases.ts';
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

export function caseActionLabel(action: string, locale: Locale): string {
  if (action === 'photo') return PHOTO_TIMELINE_LABEL[locale];
  return isCaseAction(action) ? CASE_ACTION_LABELS[action][locale] : action;
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
