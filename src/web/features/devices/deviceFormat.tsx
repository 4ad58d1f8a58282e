import { Badge, Tooltip, Typography } from 'antd';
import { DEVICE_PROFILES, isDeviceProfileId, type TelemetryField } from '../../../shared/iot-profiles.ts';
import { isUiKey, type UiKey, type UiParams } from '../../../shared/i18n/ui.ts';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { formatDateTime } from '../../format.ts';
import type { Device } from '../../types.ts';

type Translate = (key: UiKey, params?: UiParams) => string;

/** UCUM codes as people read them. */
const UNIT_LABELS: Record<string, string> = { '%': '%', m3: 'm³', 'm3/h': 'm³/h', '%LEL': '%LEL', m: 'm', Cel: '℃', '1': '' };

export function profileFields(profile: string): readonly TelemetryField[] {
  return isDeviceProfileId(profile) ? DEVICE_PROFILES[profile].fields : [];
}

export function fieldLabel(name: string, t: Translate): string {
  const key = `device.field.${name}`;
  return isUiKey(key) ? t(key) : name;
}

/** A value with its unit from the profile, a yes/no, or an enum value in words. */
export function formatValue(field: TelemetryField | undefined, value: unknown, t: Translate): string {
  if (typeof value === 'boolean') return t(value ? 'device.true' : 'device.false');
  if (typeof value === 'number') {
    const unit = field && field.type !== 'boolean' && field.type !== 'enum' ? (UNIT_LABELS[field.unit] ?? field.unit) : '';
    return `${value.toLocaleString()}${unit ? ` ${unit}` : ''}`;
  }
  if (typeof value === 'string') {
    const key = `device.value.${value}`;
    return isUiKey(key) ? t(key) : value;
  }
  return value === null || value === undefined ? '—' : JSON.stringify(value);
}

/** `电量 87 % · 烟雾 否`: the values in the profile's order, labelled, with units. */
export function formatValues(profile: string, values: Record<string, unknown> | null, t: Translate): string {
  if (!values) return '';
  const fields = profileFields(profile);
  const known = fields.filter((f) => values[f.name] !== undefined).map((f) => `${fieldLabel(f.name, t)} ${formatValue(f, values[f.name], t)}`);
  const others = Object.keys(values)
    .filter((name) => !fields.some((f) => f.name === name))
    .map((name) => `${fieldLabel(name, t)} ${formatValue(undefined, values[name], t)}`);
  return [...known, ...others].join(' · ');
}

const BADGE_STATUS = { online: 'success', offline: 'error', unknown: 'default' } as const;

export function ConnectivityBadge({ device, locale, t }: { device: Pick<Device, 'connectivity' | 'connectivityChangedAt'>; locale: Locale; t: Translate }) {
  const badge = <Badge status={BADGE_STATUS[device.connectivity]} text={t(`device.connectivity.${device.connectivity}`)} data-testid="device-connectivity" />;
  return device.connectivityChangedAt ? <Tooltip title={t('device.connectivityChangedAt', { time: formatDateTime(device.connectivityChangedAt, locale) })}>{badge}</Tooltip> : badge;
}

/** The rejected and unauthorised counters, and why the last message was refused. */
export function RejectionSummary({ device, locale, t }: { device: Pick<Device, 'rejectedCount' | 'unauthorisedCount' | 'lastRejection'>; locale: Locale; t: Translate }) {
  if (device.rejectedCount === 0 && device.unauthorisedCount === 0 && !device.lastRejection) return <Typography.Text type="secondary">0</Typography.Text>;
  const last = device.lastRejection ?? {};
  const reason = typeof last.reason === 'string' ? last.reason : null;
  const reasonKey = reason ? `device.reject.${reason}` : null;
  const text = [reasonKey && isUiKey(reasonKey) ? t(reasonKey) : reason, typeof last.message === 'string' ? last.message : null].filter(Boolean).join('：');
  const at = typeof last.at === 'string' ? formatDateTime(last.at, locale) : null;
  return (
    <div data-testid="device-rejections">
      <Typography.Text type={device.rejectedCount > 0 ? 'warning' : 'secondary'}>{t('device.rejected', { n: device.rejectedCount })}</Typography.Text>
      {' · '}
      <Typography.Text type={device.unauthorisedCount > 0 ? 'danger' : 'secondary'}>{t('device.unauthorised', { n: device.unauthorisedCount })}</Typography.Text>
      {text && (
        <div>
          <Typography.Text type="secondary">
            {t('device.lastRejection')}：{text}
            {at ? `（${at}）` : ''}
          </Typography.Text>
        </div>
      )}
    </div>
  );
}
