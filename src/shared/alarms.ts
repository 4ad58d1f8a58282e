/**
 * The alarm types (告警类型) IoT signals can raise (issue #4). One active alarm per device and type.
 *
 * - `severity`: ISA-18.2 priority, critical first.
 * - `lifeSafety`: smoke and gas alarms latch: they stay active until someone resets them, even when
 *   the condition has returned to normal.
 * - `momentary`: the condition is an event (a camera recognition, a forced gate): it returns to
 *   normal at once, so the alarm waits only for acknowledgement.
 * - `kind`: `process` alarms are about the world (fire, a resident who may need help) and may become
 *   cases; `maintenance` alarms are about the device itself (offline, battery) and go to the device
 *   maintainers.
 * - `caseMode`: what an alarm of this type does to the case loop unless configured otherwise:
 *   `auto` reports a case at once, `recheck` waits for an operator's 二次甄别, `none` never does.
 */

export const ALARM_SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export type AlarmSeverity = (typeof ALARM_SEVERITIES)[number];

export const ALARM_CASE_MODES = ['auto', 'recheck', 'none'] as const;
export type AlarmCaseMode = (typeof ALARM_CASE_MODES)[number];

export const ALARM_TYPE_IDS = [
  'smoke',
  'gas-leak',
  'water-leak',
  'water-no-use',
  'water-overuse',
  'door-no-open',
  'ebike-in-lift',
  'fire-lane-blocked',
  'fire-tank-low',
  'bin-full',
  'bin-overheat',
  'gate-forced',
  'gate-held-open',
  'camera-fire-lane-blocked',
  'camera-shop-spill',
  'camera-garbage-exposed',
  'threshold',
  'device-offline',
  'battery-low',
] as const;
export type AlarmTypeId = (typeof ALARM_TYPE_IDS)[number];

export function isAlarmTypeId(value: string): value is AlarmTypeId {
  return (ALARM_TYPE_IDS as readonly string[]).includes(value);
}

export interface AlarmType {
  id: AlarmTypeId;
  name: { 'zh-CN': string; en: string };
  severity: AlarmSeverity;
  lifeSafety: boolean;
  momentary: boolean;
  kind: 'process' | 'maintenance';
  caseMode: AlarmCaseMode;
}

const t = (
  id: AlarmTypeId,
  zh: string,
  en: string,
  severity: AlarmSeverity,
  options: Partial<Pick<AlarmType, 'lifeSafety' | 'momentary' | 'kind' | 'caseMode'>> = {},
): AlarmType => ({ id, name: { 'zh-CN': zh, en }, severity, lifeSafety: false, momentary: false, kind: 'process', caseMode: 'none', ...options });

export const ALARM_TYPES: Readonly<Record<AlarmTypeId, AlarmType>> = {
  smoke: t('smoke', '烟感报警', 'Smoke alarm', 'critical', { lifeSafety: true, caseMode: 'auto' }),
  'gas-leak': t('gas-leak', '燃气泄漏报警', 'Gas leak alarm', 'critical', { lifeSafety: true, caseMode: 'auto' }),
  'water-leak': t('water-leak', '水表持续流水（疑似漏水）', 'Continuous water flow (possible leak)', 'minor', { caseMode: 'recheck' }),
  'water-no-use': t('water-no-use', '用水异常：长时间未用水', 'No water used for a long time', 'major', { caseMode: 'recheck' }),
  'water-overuse': t('water-overuse', '用水异常：日用水量过大', 'Unusually high daily water use', 'minor', { caseMode: 'recheck' }),
  'door-no-open': t('door-no-open', '门磁长时间未开启', 'Door not opened for a long time', 'major', { caseMode: 'recheck' }),
  'ebike-in-lift': t('ebike-in-lift', '电瓶车入梯', 'E-bike in the lift', 'major', { momentary: true, caseMode: 'none' }),
  'fire-lane-blocked': t('fire-lane-blocked', '消防通道占用', 'Fire lane blocked', 'major', { caseMode: 'auto' }),
  'fire-tank-low': t('fire-tank-low', '消防水箱水位过低', 'Fire tank water level low', 'major', { caseMode: 'auto' }),
  'bin-full': t('bin-full', '垃圾桶满溢', 'Bin full', 'minor', { caseMode: 'auto' }),
  'bin-overheat': t('bin-overheat', '垃圾桶温度异常', 'Bin temperature high', 'major', { caseMode: 'recheck' }),
  'gate-forced': t('gate-forced', '门禁被强行打开', 'Gate forced open', 'major', { momentary: true, caseMode: 'recheck' }),
  'gate-held-open': t('gate-held-open', '门禁长时间未关', 'Gate held open', 'minor', { caseMode: 'none' }),
  'camera-fire-lane-blocked': t('camera-fire-lane-blocked', 'AI 识别：占用消防通道', 'AI camera: fire lane blocked', 'major', { momentary: true, caseMode: 'recheck' }),
  'camera-shop-spill': t('camera-shop-spill', 'AI 识别：跨门营业', 'AI camera: shop spilling onto the pavement', 'minor', { momentary: true, caseMode: 'recheck' }),
  'camera-garbage-exposed': t('camera-garbage-exposed', 'AI 识别：垃圾暴露', 'AI camera: garbage exposed', 'minor', { momentary: true, caseMode: 'recheck' }),
  threshold: t('threshold', '自定义规则告警', 'Custom rule alarm', 'minor', { caseMode: 'none' }),
  'device-offline': t('device-offline', '设备离线', 'Device offline', 'warning', { kind: 'maintenance' }),
  'battery-low': t('battery-low', '设备电量低', 'Battery low', 'warning', { kind: 'maintenance' }),
};

/**
 * ISA-18.2 alarm states. The first four follow from two facts, whether the alarm is active (its
 * condition holds, or a latched alarm has not been reset) and whether it was acknowledged; the last
 * three take an alarm out of the operators' attention on purpose: shelved by an operator for a while,
 * suppressed by design (the device is in maintenance, a maintenance window or drill), out of service
 * (a retired device, or a type switched off for a device). Suppressed and out-of-service alarms are
 * recorded and visible, but notify nobody, make no case and never escalate.
 */
export const ALARM_STATES = ['active_unack', 'active_ack', 'rtn_unack', 'cleared', 'shelved', 'suppressed', 'out_of_service'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

export const ALARM_STATE_LABELS: Record<AlarmState, { 'zh-CN': string; en: string }> = {
  active_unack: { 'zh-CN': '告警未确认', en: 'Active, unacknowledged' },
  active_ack: { 'zh-CN': '告警已确认', en: 'Active, acknowledged' },
  rtn_unack: { 'zh-CN': '已恢复未确认', en: 'Returned to normal, unacknowledged' },
  cleared: { 'zh-CN': '已消除', en: 'Cleared' },
  shelved: { 'zh-CN': '已搁置', en: 'Shelved' },
  suppressed: { 'zh-CN': '已抑制（检修/演练）', en: 'Suppressed (maintenance or drill)' },
  out_of_service: { 'zh-CN': '已停用', en: 'Out of service' },
};

/** States that still want someone's attention (the list shows them first). */
export const ALARM_UNACKNOWLEDGED_STATES: readonly AlarmState[] = ['active_unack', 'rtn_unack'];

export const ALARM_ACTIONS = ['ack', 'shelve', 'unshelve', 'reset', 'comment', 'recheck', 'call'] as const;
export type AlarmAction = (typeof ALARM_ACTIONS)[number];

/** History entries the platform writes itself (signals, jobs, the case loop). */
export const ALARM_SYSTEM_ENTRIES = ['raise', 'repeat', 'return_to_normal', 'escalate', 'expire_shelve', 'case_created', 'case_outcome'] as const;
export type AlarmSystemEntry = (typeof ALARM_SYSTEM_ENTRIES)[number];

export const ALARM_ENTRY_LABELS: Record<AlarmAction | AlarmSystemEntry, { 'zh-CN': string; en: string }> = {
  ack: { 'zh-CN': '确认', en: 'Acknowledged' },
  shelve: { 'zh-CN': '搁置', en: 'Shelved' },
  unshelve: { 'zh-CN': '取消搁置', en: 'Unshelved' },
  reset: { 'zh-CN': '复位', en: 'Reset' },
  comment: { 'zh-CN': '备注', en: 'Comment' },
  recheck: { 'zh-CN': '二次甄别', en: 'Recheck' },
  call: { 'zh-CN': '电话联系紧急联系人', en: 'Call to the emergency contact' },
  raise: { 'zh-CN': '产生告警', en: 'Raised' },
  repeat: { 'zh-CN': '重复告警', en: 'Repeated' },
  return_to_normal: { 'zh-CN': '恢复正常', en: 'Returned to normal' },
  escalate: { 'zh-CN': '超时未确认，升级通知', en: 'Escalated (unacknowledged)' },
  expire_shelve: { 'zh-CN': '搁置到期', en: 'Shelving expired' },
  case_created: { 'zh-CN': '已转为案件', en: 'Case created' },
  case_outcome: { 'zh-CN': '案件办结', en: 'Case outcome' },
};

/** Shelving is for a while, never for good: at most a day. */
export const ALARM_SHELVE_MAX_MINUTES = 24 * 60;

export const RECHECK_DECISIONS = ['confirm', 'dismiss'] as const;
export type RecheckDecision = (typeof RECHECK_DECISIONS)[number];

/** The outcomes of a call to an elderly resident's emergency contact (独居老人). */
export const CALL_OUTCOMES = ['reached_ok', 'reached_needs_visit', 'not_reached'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export const CALL_OUTCOME_LABELS: Record<CallOutcome, { 'zh-CN': string; en: string }> = {
  reached_ok: { 'zh-CN': '已联系，老人平安', en: 'Reached: the resident is fine' },
  reached_needs_visit: { 'zh-CN': '已联系，需要上门探访', en: 'Reached: a visit is needed' },
  not_reached: { 'zh-CN': '未联系上', en: 'Not reached' },
};

/** Alarm types that may mean an elderly person living alone needs help: the call flow applies. */
export const ELDERLY_ALARM_TYPES: readonly AlarmTypeId[] = ['water-no-use', 'door-no-open'];

/**
 * Minutes an alarm may stay unacknowledged before it is escalated, per severity (null: never). The
 * defaults; administrators change them in the alarm settings.
 */
export const DEFAULT_ESCALATION_MINUTES: Readonly<Record<AlarmSeverity, number | null>> = { critical: 5, major: 15, minor: 60, warning: null };

/** Flood (告警泛滥): more than this many alarms raised in the caller's scope within the window. */
export const ALARM_FLOOD_THRESHOLD = 10;
export const ALARM_FLOOD_WINDOW_MINUTES = 10;

/**
 * The case category an alarm becomes, from the default catalogue (see categories/default-catalogue.ts).
 * Maintenance alarms have none: they are the device maintainers' work, not a case.
 */
export const DEFAULT_ALARM_CATEGORIES: Readonly<Partial<Record<AlarmTypeId, string>>> = {
  smoke: 'C0199',
  'gas-leak': 'E0403',
  'water-leak': 'C0203',
  'water-no-use': 'C0502',
  'water-overuse': 'C0203',
  'door-no-open': 'C0502',
  'ebike-in-lift': 'C0103',
  'fire-lane-blocked': 'C0102',
  'fire-tank-low': 'C0105',
  'bin-full': 'C0302',
  'bin-overheat': 'C0199',
  'gate-forced': 'C0209',
  'gate-held-open': 'C0209',
  'camera-fire-lane-blocked': 'C0102',
  'camera-shop-spill': 'E0504',
  'camera-garbage-exposed': 'E0102',
  threshold: 'C0299',
};

export const ALARM_SEVERITY_LABELS: Record<AlarmSeverity, { 'zh-CN': string; en: string }> = {
  critical: { 'zh-CN': '紧急', en: 'Critical' },
  major: { 'zh-CN': '重要', en: 'Major' },
  minor: { 'zh-CN': '一般', en: 'Minor' },
  warning: { 'zh-CN': '提示', en: 'Warning' },
};

export const ALARM_CASE_MODE_LABELS: Record<AlarmCaseMode, { 'zh-CN': string; en: string }> = {
  auto: { 'zh-CN': '自动转案件', en: 'Case at once' },
  recheck: { 'zh-CN': '二次甄别后转案件', en: 'Case after a recheck' },
  none: { 'zh-CN': '不转案件', en: 'No case' },
};
