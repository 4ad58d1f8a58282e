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

export interface DeviceFormat {
  fieldLabel(name: string): string;
  /** A value with its unit from the profile, a yes/no, or an enum value in words. */
  value(field: TelemetryField | undefined, value: unknown): string;
  /** `电量 87 % · 烟雾 否`: the values in the profile's order, labelled, with units. */
  values(profile: string, values: Record<string, unknown> | null): string;
}

/** Device values in the console's language (numbers too: 1,204.7 in both, but the words differ). */
export function deviceFormat(locale: Locale, t: Translate): DeviceFormat {
  const fieldLabel = (name: string) => {
    const key = `device.field.${name}`;
    return isUiKey(key) ? t(key) : name;
  };
  const value = (field: TelemetryField | undefined, v: unknown) => {
    if (typeof v === 'boolean') return t(v ? 'device.true' : 'device.false');
    if (typeof v === 'number') {
      const unit = field && field.type !== 'boolean' && field.type !== 'enum' ? (UNIT_LABELS[field.unit] ?? field.unit) : '';
      return `${v.toLocaleString(locale)}${unit ? ` ${unit}` : ''}`;
    }
    if (typeof v === 'string') {
      const key = `device.value.${v}`;
      return isUiKey(key) ? t(key) : v;
    }
    return v === null || v === undefined ? '—' : JSON.stringify(v);
  };
  return {
    fieldLabel,
    value,
    values(profile, values) {
      if (!values) return '';
      const fields = profileFields(profile);
      const known = fields.filter((f) => values[f.name] !== undefined).map((f) => `${fieldLabel(f.name)} ${value(f, values[f.name])}`);
      const others = Object.keys(values)
        .filter((name) => !fields.some((f) => f.name === name))
        .map((name) => `${fieldLabel(name)} ${value(undefined, values[name])}`);
      return [...known, ...others].join(' · ');
    },
  };
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
  const text = [reasonKey && isUiKey(reasonKey) ? t(reasonKey) : reason, typeof last.message === 'string' ? last.message : null].filter(Boolean).join(t('device.separator'));
  const at = typeof last.at === 'string' ? formatDateTime(last.at, locale) : null;
  return (
    <div data-testid="device-rejections">
      <Typography.Text type={device.rejectedCount > 0 ? 'warning' : 'secondary'}>{t('device.rejected', { n: device.rejectedCount })}</Typography.Text>
      {' · '}
      <Typography.Text type={device.unauthorisedCount > 0 ? 'danger' : 'secondary'}>{t('device.unauthorised', { n: device.unauthorisedCount })}</Typography.Text>
      {text && (
        <div>
          <Typography.Text type="secondary">{at ? t('device.lastRejectionAt', { text, at }) : t('device.lastRejection', { text })}</Typography.Text>
        </div>
      )}
    </div>
  );
}
