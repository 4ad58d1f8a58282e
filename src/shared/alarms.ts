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
