/**
 * How a time limit is counted (city-management and 12345 practice):
 * - emergency_working_hours 紧急工作时: continuous hours, nights, weekends and holidays included;
 * - working_hours 工作时: hours inside the working day (default 08:00–12:00, 14:00–18:00) of working days;
 * - working_days 工作日: whole working days (weekends and public holidays skipped, 调休 Saturdays counted);
 * - calendar_days 自然日: calendar days.
 */
export const CLOCK_TYPES = ['emergency_working_hours', 'working_hours', 'working_days', 'calendar_days'] as const;
export type ClockType = (typeof CLOCK_TYPES)[number];

export const CLOCK_TYPE_LABELS: Record<ClockType, { 'zh-CN': string; en: string }> = {
  emergency_working_hours: { 'zh-CN': '紧急工作时', en: 'Emergency hours (continuous)' },
  working_hours: { 'zh-CN': '工作时', en: 'Working hours' },
  working_days: { 'zh-CN': '工作日', en: 'Working days' },
  calendar_days: { 'zh-CN': '自然日', en: 'Calendar days' },
};

/** Urgency of a case (12345: 一般 / 紧急 / 特急). */
export const URGENCIES = ['normal', 'urgent', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const URGENCY_LABELS: Record<Urgency, { 'zh-CN': string; en: string }> = {
  normal: { 'zh-CN': '一般', en: 'Normal' },
  urgent: { 'zh-CN': '紧急', en: 'Urgent' },
  critical: { 'zh-CN': '特急', en: 'Critical' },
};

/** A time limit: an amount in the unit its clock counts (hours for the hour clocks, days otherwise). */
export interface TimeLimit {
  amount: number;
  clock: ClockType;
}
