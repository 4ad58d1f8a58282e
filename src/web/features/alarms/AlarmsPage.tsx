import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router';
import { ALARM_STATES, ALARM_TYPE_IDS, ALARM_TYPES, ALARM_UNACKNOWLEDGED_STATES } from '../../../shared/alarms.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import { useCan } from '../../session.tsx';
import { AlarmActionButtons, AlarmDrawer } from './AlarmDrawer.tsx';
import { AlarmSettingsDrawer } from './AlarmSettingsDrawer.tsx';
import { AlarmWindowsDrawer } from './AlarmWindowsDrawer.tsx';
import { SEVERITY_COLOURS, severityLabel, STATE_COLOURS, stateLabel } from './alarmLabels.ts';
import { alarmsApi, type AlarmGroup, type AlarmSummary } from './alarmsApi.ts';

/** How often the list asks again: alarms are live. */
const POLL_MS = 5000;
const PAGE_SIZE = 50;
const UNHANDLED = ALARM_UNACKNOWLEDGED_STATES.join(',');

/** 告警中心: the live alarm list, the flood view, and each alarm's drawer with its actions and history. */
export function AlarmsPage() {
  const { locale, t } = usePreferences();
  const [state, setState] = useState<string | undefined>(undefined);
  const [type, setType] = useState<string | undefined>(undefined);
  const [region, setRegion] = useState('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const [panel, setPanel] = useState<'settings' | 'windows' | null>(null);
  const can = useCan();
  const query = { state, type, region: region.trim() || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const alarms = useQuery({ queryKey: ['alarms', query], queryFn: () => alarmsApi.list(query), refetchInterval: POLL_MS });
  const data = alarms.data;
  const grouped = data?.flood === true && !showAll;

  const columns: TableColumnsType<AlarmSummary> = [
    { title: t('alarms.col.severity'), dataIndex: 'severity', width: 90, render: (s: AlarmSummary['severity']) => <Tag color={SEVERITY_COLOURS[s]}>{severityLabel(s, locale)}</Tag> },
    { title: t('alarms.col.type'), dataIndex: 'typeName', render: (name: string, a) => (<><strong>{name}</strong>{a.detail && <div><Typography.Text type="secondary">{a.detail}</Typography.Text></div>}</>) },
    { title: t('alarms.col.device'), key: 'device', render: (_, a) => a.device.name },
    { title: t('alarms.col.region'), dataIndex: 'regionName', responsive: ['md'] },
    { title: t('alarms.col.state'), dataIndex: 'state', render: (s: AlarmSummary['state']) => <Tag color={STATE_COLOURS[s]} data-testid="alarm-state">{stateLabel(s, locale)}</Tag> },
    { title: t('alarms.col.count'), dataIndex: 'repeatCount', width: 70, responsive: ['lg'] },
    { title: t('alarms.col.last'), dataIndex: 'lastAt', responsive: ['lg'], render: (at: string) => formatDateTime(at, locale) },
    { title: t('alarms.col.case'), key: 'case', responsive: ['md'], render: (_, a) => (a.caseId ? <Link to={`/cases/${a.caseId}`} onClick={(e) => e.stopPropagation()}>{a.caseNumber}</Link> : '—') },
    {
      title: t('alarms.col.actions'),
      key: 'actions',
      render: (_, a) => (
        <div onClick={(e) => e.stopPropagation()}>
          <Space wrap size={4}>
            <Button size="middle" onClick={() => setOpen(a.id)} data-testid="alarm-open">
              {t('alarms.open')}
            </Button>
            <AlarmActionButtons alarmId={a.id} allowed={a.allowedActions} compact />
          </Space>
        </div>
      ),
    },
  ];

  const groupColumns: TableColumnsType<AlarmGroup> = [
    { title: t('alarms.col.type'), dataIndex: 'typeName' },
    { title: t('alarms.flood.committee'), dataIndex: 'committeeName', render: (name: string | null) => name ?? '—' },
    { title: t('alarms.flood.count'), dataIndex: 'count' },
    { title: t('alarms.flood.newest'), key: 'newest', render: (_, g) => <Button type="link" onClick={() => setOpen(g.newestId)}>{formatDateTime(g.newestAt, locale)}</Button> },
  ];

  return (
    <>
      <PageTitle
        title={t('alarms.title')}
        extra={
          <Space wrap>
            {can('alarm.windows.manage') && <Button size="large" onClick={() => setPanel('windows')}>{t('alarms.windows.open')}</Button>}
            {can('alarm.settings.manage') && <Button size="large" onClick={() => setPanel('settings')}>{t('alarms.settings.open')}</Button>}
          </Space>
        }
      >
        {t('alarms.title')}
      </PageTitle>
      <Card>
        <Typography.Paragraph type="secondary">{t('alarms.intro')}</Typography.Paragraph>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select
            allowClear
            size="large"
            style={{ minWidth: 200 }}
            placeholder={t('alarms.filter.state')}
            aria-label={t('alarms.filter.state')}
            value={state}
            onChange={(v: string | undefined) => { setState(v); setPage(1); }}
            options={[{ value: UNHANDLED, label: t('alarms.filter.unhandled') }, ...ALARM_STATES.map((s) => ({ value: s, label: stateLabel(s, locale) }))]}
            data-testid="alarm-filter-state"
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            size="large"
            style={{ minWidth: 240 }}
            placeholder={t('alarms.filter.type')}
            aria-label={t('alarms.filter.type')}
            value={type}
            onChange={(v: string | undefined) => { setType(v); setPage(1); }}
            options={ALARM_TYPE_IDS.map((id) => ({ value: id, label: ALARM_TYPES[id].name[locale] }))}
          />
          <Input size="large" allowClear style={{ width: 220 }} placeholder={t('alarms.filter.region')} aria-label={t('alarms.filter.region')} value={region} onChange={(e) => { setRegion(e.target.value); setPage(1); }} />
        </Space>
        {data?.flood && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('alarms.flood.title', { count: data.recentCount })}
            action={<Button onClick={() => setShowAll((v) => !v)} data-testid="alarm-flood-toggle">{showAll ? t('alarms.flood.showGroups') : t('alarms.flood.showAll')}</Button>}
            data-testid="alarm-flood"
          />
        )}
        {alarms.isError ? (
          <ErrorResult error={alarms.error} onRetry={() => void alarms.refetch()} />
        ) : grouped ? (
          <Table<AlarmGroup> rowKey={(g) => `${g.type}/${g.committeeCode ?? ''}`} columns={groupColumns} dataSource={data.groups} pagination={false} data-testid="alarm-groups" />
        ) : (
          <Table<AlarmSummary>
            rowKey="id"
            columns={columns}
            dataSource={data?.items ?? []}
            loading={alarms.isPending}
            locale={{ emptyText: t('alarms.empty') }}
            onRow={(a) => ({ onClick: () => setOpen(a.id), style: { cursor: 'pointer' }, 'data-testid': `alarm-row-${a.id}` } as HTMLAttributes<HTMLElement>)}
            pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
            data-testid="alarm-list"
          />
        )}
      </Card>
      {open && <AlarmDrawer alarmId={open} onClose={() => setOpen(null)} />}
      {panel === 'settings' && <AlarmSettingsDrawer onClose={() => setPanel(null)} />}
      {panel === 'windows' && <AlarmWindowsDrawer onClose={() => setPanel(null)} />}
    </>
  );
}
