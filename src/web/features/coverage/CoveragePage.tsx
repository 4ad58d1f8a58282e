import { useQuery } from '@tanstack/react-query';
import { Breadcrumb, Card, Col, Empty, List, Progress, Row, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { UiKey } from '../../../shared/i18n/ui.ts';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import type { CoverageReport } from '../../types.ts';

type Unit = CoverageReport['units'][number];
type Gap = Unit['gaps'][number];

const REASON_LABELS: Record<CoverageReport['blindSpots']['items'][number]['reasons'][number], UiKey> = {
  no_devices: 'coverage.reason.noDevices',
  below_norm: 'coverage.reason.belowNorm',
  all_offline: 'coverage.reason.allOffline',
};

const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 100));

function RateBar({ rate, testId }: { rate: number | null; testId?: string }) {
  const value = percent(rate);
  if (value === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const status = value >= 90 ? 'success' : value >= 60 ? 'normal' : 'exception';
  return <Progress percent={value} size="small" status={status} data-testid={testId} style={{ minWidth: 120 }} />;
}

function Gaps({ gaps }: { gaps: readonly Gap[] }) {
  if (gaps.length === 0) return null;
  return (
    <Space size={[4, 4]} wrap>
      {gaps.map((g) => (
        <Tag key={g.profile} color="orange">
          {g.profileName} {g.devices}/{g.expected}
        </Tag>
      ))}
    </Space>
  );
}

/**
 * 覆盖与应用 for the operations centre: are the devices there (against the norms), are they alive,
 * and do their alarms lead to handled cases — by street, committee, with the blind spots first.
 */
export function CoveragePage() {
  const { t } = usePreferences();
  const [params, setParams] = useSearchParams();
  const region = params.get('region') ?? undefined;
  const [days, setDays] = useState(30);
  const [trail, setTrail] = useState<Array<{ code: string; name: string }>>([]);
  const report = useQuery({ queryKey: ['coverage', region ?? 'own', days], queryFn: () => api.coverage(region, days) });
  const data = report.data;

  const open = (unit: Unit) => {
    if (!data || unit.code === data.region.code) return;
    setTrail([...trail, { code: data.region.code, name: data.region.name }]);
    setParams({ region: unit.code });
  };
  const back = (index: number) => {
    const target = trail[index]!;
    setTrail(trail.slice(0, index));
    setParams({ region: target.code });
  };

  return (
    <>
      <PageTitle
        title={t('coverage.title')}
        extra={
          <Segmented<number>
            value={days}
            onChange={setDays}
            options={[7, 30, 90].map((d) => ({ value: d, label: t('coverage.days', { days: d }) }))}
            data-testid="coverage-days"
          />
        }
      >
        {t('coverage.title')}
      </PageTitle>
      {report.isError ? (
        <ErrorResult error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Breadcrumb
            items={[
              ...trail.map((step, i) => ({ title: <a onClick={() => back(i)}>{step.name}</a> })),
              { title: data?.region.name ?? '…' },
            ]}
          />
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}>
              <Card loading={report.isPending}>
                <Statistic title={t('coverage.devices')} value={data?.totals.devices ?? 0} suffix={data ? `/ ${data.totals.expected}` : undefined} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card loading={report.isPending}>
                <Statistic title={t('coverage.coverageRate')} value={percent(data?.totals.coverageRate ?? null) ?? '—'} suffix={data?.totals.coverageRate === null ? undefined : '%'} data-testid="coverage-rate" />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card loading={report.isPending}>
                <Statistic title={t('coverage.onlineRate')} value={percent(data?.totals.onlineRate ?? null) ?? '—'} suffix={data?.totals.onlineRate === null ? undefined : '%'} data-testid="online-rate" />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card loading={report.isPending}>
                <Statistic
                  title={t('coverage.applicationRate')}
                  value={percent(data?.totals.applicationRate ?? null) ?? '—'}
                  suffix={data?.totals.applicationRate === null ? undefined : '%'}
                  data-testid="application-rate"
                />
                <Typography.Text type="secondary">{data ? t('coverage.applicationDetail', { alarms: data.totals.alarms, cases: data.totals.withCase, handled: data.totals.handled }) : null}</Typography.Text>
              </Card>
            </Col>
          </Row>

          <Row gutter={[16, 16]}>
            <Col xs={24} xl={16}>
              <Card title={t('coverage.units')}>
                <Table<Unit>
                  rowKey="code"
                  size="middle"
                  loading={report.isPending}
                  dataSource={data?.units ?? []}
                  pagination={{ pageSize: 20, hideOnSinglePage: true }}
                  data-testid="coverage-units"
                  onRow={(unit) => ({ onClick: () => open(unit), style: { cursor: unit.code === data?.region.code ? 'default' : 'pointer' } })}
                  columns={[
                    { title: t('coverage.unit'), dataIndex: 'name', render: (name: string, u) => (u.code === data?.region.code ? name : <a>{name}</a>) },
                    { title: t('coverage.devices'), dataIndex: 'devices', align: 'right', sorter: (a, b) => a.devices - b.devices, render: (n: number, u) => `${n} / ${u.expected}` },
                    { title: t('coverage.coverageRate'), dataIndex: 'coverageRate', sorter: (a, b) => (a.coverageRate ?? -1) - (b.coverageRate ?? -1), render: (r: number | null) => <RateBar rate={r} /> },
                    { title: t('coverage.onlineRate'), dataIndex: 'onlineRate', responsive: ['md'], render: (r: number | null) => <RateBar rate={r} /> },
                    { title: t('coverage.applicationRate'), dataIndex: 'applicationRate', responsive: ['lg'], render: (r: number | null, u) => (r === null ? '—' : `${percent(r)}%（${u.handled}/${u.alarms}）`) },
                    { title: t('coverage.gaps'), key: 'gaps', responsive: ['lg'], render: (_: unknown, u) => <Gaps gaps={u.gaps} /> },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={8}>
              <Card title={t('coverage.blindSpots', { count: data?.blindSpots.total ?? 0 })} data-testid="blind-spots">
                {data && data.blindSpots.total === 0 ? (
                  <Empty description={t('coverage.noBlindSpots')} />
                ) : (
                  <List
                    loading={report.isPending}
                    dataSource={data?.blindSpots.items ?? []}
                    pagination={{ pageSize: 10, size: 'small', hideOnSinglePage: true }}
                    renderItem={(spot) => (
                      <List.Item>
                        <Space direction="vertical" size={4}>
                          <Space wrap>
                            <Typography.Text strong>{spot.name}</Typography.Text>
                            {spot.reasons.map((r) => (
                              <Tag key={r} color={r === 'all_offline' ? 'red' : r === 'no_devices' ? 'default' : 'orange'}>
                                {t(REASON_LABELS[r])}
                              </Tag>
                            ))}
                          </Space>
                          <Gaps gaps={spot.gaps} />
                        </Space>
                      </List.Item>
                    )}
                  />
                )}
              </Card>
            </Col>
          </Row>

          <Card title={t('coverage.byProfile')}>
            <Table
              rowKey="profile"
              size="small"
              loading={report.isPending}
              dataSource={data?.profiles ?? []}
              pagination={false}
              data-testid="coverage-profiles"
              columns={[
                { title: t('coverage.profile'), dataIndex: 'profileName' },
                { title: t('coverage.devices'), dataIndex: 'devices', align: 'right' },
                { title: t('coverage.online'), dataIndex: 'online', align: 'right' },
                { title: t('coverage.expected'), dataIndex: 'expected', align: 'right', render: (n: number) => (n === 0 ? '—' : n) },
                { title: t('coverage.covered'), dataIndex: 'covered', align: 'right', render: (n: number, p) => (p.expected === 0 ? '—' : n) },
              ]}
            />
          </Card>
        </Space>
      )}
    </>
  );
}
