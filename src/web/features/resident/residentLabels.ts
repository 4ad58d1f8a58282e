import type { CaseStatus } from '../../../shared/cases.ts';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { translate, type UiKey } from '../../../shared/i18n/ui.ts';
import type { CaseTimelineEntry, Me } from '../../types.ts';
import { caseActionLabel, isCaseStatus } from '../cases/caseLabels.ts';

/** Where a person lands after signing in: residents in the resident app, staff in the console. */
export function landingFor(me: Pick<Me, 'assignment'>): string {
  return me.assignment.role === 'resident' ? '/m' : '/';
}

/** The tone of a status chip: what the resident should feel at a glance. */
export type StatusTone = 'waiting' | 'working' | 'you' | 'done' | 'stopped';

const STATUS_TONE: Record<CaseStatus, StatusTone> = {
  reported: 'waiting',
  registered: 'working',
  dispatched: 'working',
  in_progress: 'working',
  handled: 'working',
  suspended: 'waiting',
  closed: 'done',
  rejected: 'stopped',
  // merged into another report of the same problem: the resident follows that one now
  merged: 'working',
};

/** True when the case waits for something only the resident can do. */
export function needsResident(kase: { allowedActions: readonly string[] }): boolean {
  return kase.allowedActions.includes('verify');
}

/** A case's status in plain words (待受理 / 处理中 / 请您确认 / 已办结…) and its tone. */
export function residentStatus(kase: { status: string; allowedActions: readonly string[] }, locale: Locale): { text: string; tone: StatusTone } {
  if (kase.status === 'handled' && needsResident(kase)) return { text: translate(locale, 'resident.status.toConfirm'), tone: 'you' };
  if (!isCaseStatus(kase.status)) return { text: kase.status, tone: 'working' };
  return { text: translate(locale, `resident.status.${kase.status}`), tone: STATUS_TONE[kase.status] };
}

const TIMELINE_KEYS: Partial<Record<string, UiKey>> = {
  report: 'resident.tl.report',
  register: 'resident.tl.register',
  reject: 'resident.tl.reject',
  dispatch: 'resident.tl.dispatch',
  transfer: 'resident.tl.dispatch',
  accept: 'resident.tl.accept',
  handled: 'resident.tl.handled',
  reopen: 'resident.tl.reopen',
  photo: 'resident.tl.photo',
};

function numberIn(details: unknown, key: string): number | undefined {
  if (typeof details !== 'object' || details === null || !(key in details)) return undefined;
  const value: unknown = (details as Record<string, unknown>)[key];
  return typeof value === 'number' ? value : undefined;
}

function booleanIn(details: unknown, key: string): boolean | undefined {
  if (typeof details !== 'object' || details === null || !(key in details)) return undefined;
  const value: unknown = (details as Record<string, unknown>)[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** A timeline entry in the resident's words; staff-internal steps keep the console's label. */
export function timelineLabel(entry: CaseTimelineEntry, locale: Locale): string {
  if (entry.action === 'verify') return translate(locale, booleanIn(entry.details, 'passed') === false ? 'resident.tl.verifyNo' : 'resident.tl.verifyYes');
  if (entry.action === 'rate') return translate(locale, 'resident.tl.rate', { n: numberIn(entry.details, 'score') ?? '' });
  const key = TIMELINE_KEYS[entry.action];
  return key ? translate(locale, key) : caseActionLabel(entry.action, locale);
}

/** "约 120 米" / "约 1.2 公里". */
export function distanceLabel(meters: number, locale: Locale): string {
  if (meters < 1000) return translate(locale, 'resident.report.meters', { n: Math.max(10, Math.round(meters / 10) * 10) });
  return translate(locale, 'resident.report.kilometers', { n: (meters / 1000).toFixed(1) });
}

/** Date and time without seconds: enough for a resident. */
export function shortDateTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: locale !== 'zh-CN' }).format(date);
}
