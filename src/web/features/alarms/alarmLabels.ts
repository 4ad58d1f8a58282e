import { ALARM_ACTIONS, ALARM_ENTRY_LABELS, ALARM_SEVERITY_LABELS, ALARM_STATE_LABELS, type AlarmAction, type AlarmSeverity, type AlarmState } from '../../../shared/alarms.ts';
import type { Locale } from '../../../shared/i18n/locale.ts';

/** Severity colours: red for critical, then orange, gold and blue (antd preset colours, legible in high contrast). */
export const SEVERITY_COLOURS: Record<AlarmSeverity, string> = { critical: 'red', major: 'orange', minor: 'gold', warning: 'blue' };

export const STATE_COLOURS: Record<AlarmState, string> = {
  active_unack: 'red',
  active_ack: 'volcano',
  rtn_unack: 'gold',
  cleared: 'green',
  shelved: 'purple',
  suppressed: 'default',
  out_of_service: 'default',
};

export const severityLabel = (severity: string, locale: Locale) => ALARM_SEVERITY_LABELS[severity as AlarmSeverity]?.[locale] ?? severity;
export const stateLabel = (state: string, locale: Locale) => ALARM_STATE_LABELS[state as AlarmState]?.[locale] ?? state;
export const actionLabel = (action: string, locale: Locale) => ALARM_ENTRY_LABELS[action as AlarmAction]?.[locale] ?? action;
export const isAlarmAction = (value: string): value is AlarmAction => (ALARM_ACTIONS as readonly string[]).includes(value);
