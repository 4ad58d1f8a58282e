import { ArrowLeftOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Empty, Flex, Segmented, Select, Spin, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { READINGS_MAX_LIMIT, type TelemetryField } from '../../../shared/iot-profiles.ts';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import type { Device, Reading } from '../../types.ts';
import { DeviceAlarmTypes } from './DeviceAlarmTypes.tsx';
import { ConnectivityBadge, deviceFormat, profileFields, RejectionSummary } from './deviceFormat.tsx';
import { ReadingsChart, type ChartPoint } from './ReadingsChart.tsx';

const PERIODS = { '1h': 3_600_000, '24h': 24 * 3_600_000, '7d': 7 * 24 * 3_600_000 } as const;
type Period = keyof typeof PERIODS;
const REFRESH_MS = 30_000;

/** Fields that can be drawn: measures and yes/no. */
const chartable = (f: TelemetryField) => f.type !== 'enum';

/** A device: its registry data and state, a chart of one field over a period, and its readings. */
export function DeviceDetailPage() {
  const { id = '' } = useParams();
  const { t } = usePreferences();
  const device = useQuery({ queryKey: ['device', id], queryFn: () => api.device(id), refetchInterval: REFRESH_MS });

  if (device.isError) return <ErrorResult error={device.error} onRetry={() => void device.refetch()} />;
  if (!device.data) return <Spin size="large" />;
  return (
    <>
      <PageTitle title={device.data.name}>{device.data.name}</PageTitle>
      <Link to="/devices">
        <ArrowLeftOutlined /> {t('device.back')}
      </Link>
      <DeviceFacts device={device.data} />
      <DeviceReadings device={device.data} />
      <DeviceAlarmTypes deviceId={device.data.id} />
    </>
  );
}

function DeviceFacts({ device: d }: { device: Device }) {
  const { locale, t } = usePreferences();
  const format = deviceFormat(locale, t);
  return (
    <Card style={{ marginTop: 16 }}>
      <Descriptions column={{ xs: 1, md: 2, xl: 3 }} bordered size="small">
        <Descriptions.Item label={t('device.profile')}>{d.profileName}</Descriptions.Item>
        <Descriptions.Item label={t('device.region')}>
          <Link to={`/regions/${d.regionCode}`}>{d.regionName}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('device.state')}>
          <Tag>{t(`device.state.${d.state}`)}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('device.connectivity')}>
          <ConnectivityBadge device={d} locale={locale} t={t} />
        </Descriptions.Item>
        <Descriptions.Item label={t('device.lastSeen')}>{d.lastSeenAt ? formatDateTime(d.lastSeenAt, locale) : t('device.never')}</Descriptions.Item>
        <Descriptions.Item label={t('device.interval')}>{t('device.intervalValue', { n: d.expectedIntervalS })}</Descriptions.Item>
        <Descriptions.Item label={t('device.lastValues')} span={{ xs: 1, md: 2, xl: 3 }}>
          <span data-testid="device-last-values">{format.values(d.profile, d.lastValues) || t('common.none')}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('device.problems')} span={{ xs: 1, md: 2, xl: 3 }}>
          <RejectionSummary device={d} locale={locale} t={t} />
        </Descriptions.Item>
        <Descriptions.Item label={t('device.owner')}>{d.owner ?? t('common.none')}</Descriptions.Item>
        <Descriptions.Item label={t('device.installedOn')}>{d.installedOn ?? t('common.none')}</Descriptions.Item>
        <Descriptions.Item label={t('device.location')}>{d.location ? `${d.location.lat.toFixed(5)}, ${d.location.lng.toFixed(5)}` : t('common.none')}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function DeviceReadings({ device }: { device: Device }) {
  const { locale, t } = usePreferences();
  const format = deviceFormat(locale, t);
  const fields = profileFields(device.profile);
  const drawable = fields.filter(chartable);
  const [fieldName, setFieldName] = useState(drawable[0]?.name);
  const [period, setPeriod] = useState<Period>('24h');
  const readings = useQuery({
    queryKey: ['device-readings', device.id, period],
    queryFn: async () => {
      const to = Date.now();
      const from = to - PERIODS[period];
      const list = await api.deviceReadings(device.id, { from: new Date(from).toISOString(), limit: READINGS_MAX_LIMIT });
      return { items: list.items, from, to };
    },
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });
  const field = drawable.find((f) => f.name === fieldName);

  const points = useMemo<ChartPoint[]>(() => {
    if (!field || !readings.data) return [];
    return readings.data.items
      .flatMap((r) => {
        const value = r.values[field.name];
        if (typeof value === 'number') return [{ at: Date.parse(r.observedAt), value }];
        if (typeof value === 'boolean') return [{ at: Date.parse(r.observedAt), value: value ? 1 : 0 }];
        return [];
      })
      .reverse();
  }, [field, readings.data]);

  const columns: TableColumnsType<Reading> = [
    { title: t('device.readings.observedAt'), dataIndex: 'observedAt', render: (at: string) => formatDateTime(at, locale) },
    { title: t('device.readings.kind'), dataIndex: 'kind', render: (kind: Reading['kind']) => <Tag color={kind === 'event' ? 'orange' : undefined}>{t(`device.kind.${kind}`)}</Tag> },
    { title: t('device.readings.values'), dataIndex: 'values', render: (values: Reading['values']) => format.values(device.profile, values) },
    { title: t('device.readings.receivedAt'), dataIndex: 'receivedAt', responsive: ['lg'], render: (at: string) => formatDateTime(at, locale) },
    { title: t('device.readings.msgId'), dataIndex: 'msgId', responsive: ['xl'], className: 'gz-code', render: (msgId: string | null) => msgId ?? t('common.none') },
  ];

  const label = field ? format.fieldLabel(field.name) : '';
  const values = points.map((p) => p.value);
  const summary =
    field && points.length > 0
      ? t('device.chart.summary', { field: label, count: points.length, min: format.value(field, asFieldValue(field, Math.min(...values))), max: format.value(field, asFieldValue(field, Math.max(...values))) })
      : '';

  return (
    <>
      <Card title={t('device.chart.title')} style={{ marginTop: 16 }}>
        <Flex wrap gap="middle" style={{ marginBottom: 16 }}>
          {drawable.length > 0 && (
            <Select
              aria-label={t('device.chart.field')}
              value={fieldName}
              onChange={setFieldName}
              options={drawable.map((f) => ({ value: f.name, label: format.fieldLabel(f.name) }))}
              style={{ minWidth: 200 }}
              data-testid="chart-field"
            />
          )}
          <Segmented<Period>
            aria-label={t('device.chart.period')}
            value={period}
            onChange={setPeriod}
            options={(Object.keys(PERIODS) as Period[]).map((p) => ({ value: p, label: t(`device.period.${p}`) }))}
          />
        </Flex>
        {readings.isError ? (
          <ErrorResult error={readings.error} onRetry={() => void readings.refetch()} />
        ) : !readings.data ? (
          <Spin />
        ) : field && points.length > 0 ? (
          <>
            <ReadingsChart points={points} field={field} from={readings.data.from} to={readings.data.to} locale={locale} label={summary} formatTick={(v) => format.value(field, asFieldValue(field, v))} />
            <Typography.Paragraph type="secondary" data-testid="chart-summary">
              {summary}
            </Typography.Paragraph>
            {readings.data.items.length === READINGS_MAX_LIMIT && <Alert type="info" showIcon message={t('device.chart.truncated', { n: READINGS_MAX_LIMIT })} />}
          </>
        ) : (
          <Empty description={t('device.chart.empty')} />
        )}
      </Card>
      <Card title={t('device.readings.title')} style={{ marginTop: 16 }} data-testid="readings-table">
        <Table<Reading> rowKey="id" columns={columns} dataSource={readings.data?.items ?? []} loading={readings.isFetching && !readings.data} pagination={{ pageSize: 20, showTotal: (total) => t('common.total', { total }) }} />
      </Card>
    </>
  );
}

/** A chart value back in the field's own terms: 0/1 is no/yes for a yes/no field. */
function asFieldValue(field: TelemetryField, value: number): number | boolean {
  return field.type === 'boolean' ? value >= 0.5 : value;
}
