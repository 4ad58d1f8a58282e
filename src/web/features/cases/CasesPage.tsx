import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, Input, Modal, Segmented, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useNavigate } from 'react-router';
import { CASE_CHANNEL_LABELS, CASE_CHANNELS, CASE_STATUS_LABELS, CASE_STATUSES, DESK_ROLES, type CaseChannel, type CaseStatus } from '../../../shared/cases.ts';
import type { Role } from '../../../shared/roles.ts';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { URGENCIES, URGENCY_LABELS, type Urgency } from '../../../shared/time-limits.ts';
import { api, type CaseQuery } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { usePreferences, type Translate } from '../../preferences.tsx';
import { useSession } from '../../session.tsx';
import type { CaseView } from '../../types.ts';
import { caseStatusColor, caseStatusLabel, channelLabel, isCaseStatus, urgencyLabel } from './caseLabels.ts';
import { NextDeadline } from './CaseClocks.tsx';
import { CategorySuggestions } from './CategorySuggestions.tsx';
import { useReportPhotos } from './CasePhotos.tsx';

// Leaflet is loaded only when someone opens the map.
const CaseMap = lazy(() => import('./CaseMap.tsx').then((m) => ({ default: m.CaseMap })));

/** The board's queues: where a desk looks first. */
type Queue = 'active' | 'overdue' | 'all' | CaseStatus;
const QUEUES: readonly Queue[] = ['active', 'reported', 'registered', 'dispatched', 'in_progress', 'handled', 'suspended', 'overdue', 'all'];

interface Filters {
  queue: Queue;
  urgency: Urgency | undefined;
  channel: CaseChannel | undefined;
  q: string;
  page: number;
  pageSize: number;
}

function queryOf(filters: Filters, forResident: boolean): CaseQuery {
  const queue = filters.queue;
  return {
    ...(queue === 'active' ? { active: true } : queue === 'overdue' ? { overdue: true } : queue === 'all' ? {} : { status: queue }),
    urgency: filters.urgency,
    channel: filters.channel,
    q: filters.q.trim() || undefined,
    // the desk works the nearest deadline first; residents read their newest reports first
    sort: forResident || queue === 'all' ? 'newest' : 'deadline',
    limit: filters.pageSize,
    offset: (filters.page - 1) * filters.pageSize,
  };
}

/**
 * The cases the signed-in person may see. For the desk it is the dispatch board: queues by stage,
 * the nearest deadline first with its countdown, and bulk dispatch to the suggested units;
 * handlers see their unit's tasks, residents their own reports.
 */
export function CasesPage() {
  const { locale, t } = usePreferences();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const session = useSession();
  const forResident = session.assignment.role === 'resident';
  const title = DESK_ROLES.has(session.assignment.role as Role) ? t('board.title') : t('nav.cases');
  const [filters, setFilters] = useState<Filters>({ queue: forResident ? 'all' : 'active', urgency: undefined, channel: undefined, q: '', page: 1, pageSize: 20 });
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [reporting, setReporting] = useState(false);
  const [view, setView] = useState<'list' | 'map'>('list');
  const cases = useQuery({
    queryKey: ['cases', filters, forResident],
    queryFn: () => api.cases(queryOf(filters, forResident)),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const rows = cases.data?.items ?? [];
  const dispatchable = rows.filter((c) => c.allowedActions.includes('dispatch'));

  const bulkDispatch = useMutation({
    mutationFn: async (ids: string[]) => {
      let ok = 0;
      // one transition per case: each is checked, audited and routed on its own, and one refusal does not stop the rest
      for (const id of ids) {
        try {
          await api.transitionCase(id, { action: 'dispatch' });
          ok += 1;
        } catch {
          // counted below
        }
      }
      return { ok, failed: ids.length - ok };
    },
    onSuccess: async (result) => {
      (result.failed ? message.warning : message.success)(t('board.bulkResult', result));
      setSelected([]);
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
    },
  });

  const columns: TableColumnsType<CaseView> = [
    { title: t('case.number'), dataIndex: 'number', className: 'gz-code', width: 180 },
    {
      title: t('case.status'),
      dataIndex: 'status',
      render: (status: string, c) => (
        <Flex gap={4} wrap>
          <Tag color={caseStatusColor(status)}>{caseStatusLabel(status, locale)}</Tag>
          {c.urgency !== 'normal' && <Tag color={c.urgency === 'critical' ? 'red' : 'volcano'}>{urgencyLabel(c.urgency, locale)}</Tag>}
        </Flex>
      ),
    },
    { title: t('board.nextDeadline'), key: 'clock', width: 190, render: (_: unknown, c) => <NextDeadline clocks={c.clocks} /> },
    { title: t('case.category'), dataIndex: 'categoryName', render: (name: string | null) => name ?? t('common.none') },
    {
      title: t('case.descriptionTitle'),
      dataIndex: 'description',
      responsive: ['xl'],
      ellipsis: true,
      render: (text: string) => <span title={text}>{text}</span>,
    },
    { title: t('case.region'), dataIndex: 'regionName', responsive: ['sm'] },
    { title: t('case.mainUnit'), dataIndex: 'mainUnit', responsive: ['md'], render: (unit: CaseView['mainUnit']) => unit?.name ?? t('common.none') },
    { title: t('case.channel'), dataIndex: 'channel', responsive: ['lg'], render: (channel: string) => channelLabel(channel, locale) },
    { title: t('case.created'), dataIndex: 'createdAt', responsive: ['lg'], render: (at: string) => formatDateTime(at, locale) },
  ];
  const set = (patch: Partial<Filters>) => {
    setSelected([]);
    setFilters((f) => ({ ...f, ...patch, page: 1 }));
  };

  return (
    <>
      <PageTitle
        title={title}
        extra={
          <Button type="primary" size="large" icon={<PlusOutlined />} onClick={() => setReporting(true)} data-testid="report-case">
            {t('case.report')}
          </Button>
        }
      >
        {title}
      </PageTitle>
      <Card>
        <Flex vertical gap="middle">
          {!forResident && (
            <Segmented<Queue>
              value={filters.queue}
              onChange={(queue) => set({ queue })}
              options={QUEUES.map((value) => ({ value, label: queueLabel(value, locale, t) }))}
              data-testid="case-queues"
              style={{ overflowX: 'auto', maxWidth: '100%' }}
            />
          )}
          <Flex wrap gap="middle" className="gz-filters" role="search">
            {forResident ? (
              <Select
                allowClear
                aria-label={t('case.status')}
                placeholder={t('case.statusPlaceholder')}
                value={isCaseStatus(filters.queue) ? filters.queue : undefined}
                onChange={(status: CaseStatus | undefined) => set({ queue: status ?? 'all' })}
                options={CASE_STATUSES.map((value) => ({ value, label: CASE_STATUS_LABELS[value][locale] }))}
                style={{ minWidth: 200 }}
              />
            ) : (
              <>
                <Input.Search
                  allowClear
                  aria-label={t('board.search')}
                  placeholder={t('board.search')}
                  value={search}
                  onChange={(e) => setSearch(e.target.value)}
                  onSearch={(q) => set({ q })}
                  style={{ width: 260 }}
                  data-testid="case-search"
                />
                <Select
                  allowClear
                  aria-label={t('board.urgency')}
                  placeholder={t('board.urgency')}
                  value={filters.urgency}
                  onChange={(urgency: Urgency | undefined) => set({ urgency })}
                  options={URGENCIES.map((value) => ({ value, label: URGENCY_LABELS[value][locale] }))}
                  style={{ minWidth: 140 }}
                />
                <Select
                  allowClear
                  aria-label={t('board.channel')}
                  placeholder={t('board.channel')}
                  value={filters.channel}
                  onChange={(channel: CaseChannel | undefined) => set({ channel })}
                  options={CASE_CHANNELS.map((value) => ({ value, label: CASE_CHANNEL_LABELS[value][locale] }))}
                  style={{ minWidth: 160 }}
                />
              </>
            )}
          </Flex>
          {!forResident && (
            <Segmented<'list' | 'map'>
              value={view}
              onChange={setView}
              options={[
                { value: 'list', label: t('board.viewList') },
                { value: 'map', label: t('board.viewMap') },
              ]}
              data-testid="board-view"
              style={{ alignSelf: 'flex-start' }}
            />
          )}
          {view === 'list' && dispatchable.length > 0 && (
            <Flex gap="middle" align="center" wrap>
              <Button size="large" disabled={selected.length === 0} loading={bulkDispatch.isPending} onClick={() => bulkDispatch.mutate(selected)} data-testid="bulk-dispatch">
                {t('board.bulkDispatch')}
              </Button>
              <Typography.Text type="secondary">{selected.length ? t('board.selected', { n: selected.length }) : t('board.bulkHint')}</Typography.Text>
            </Flex>
          )}
        </Flex>
        {cases.isError ? (
          <ErrorResult error={cases.error} onRetry={() => void cases.refetch()} />
        ) : view === 'map' ? (
          <Suspense fallback={null}>
            <CaseMap cases={rows} />
          </Suspense>
        ) : (
          <Table<CaseView>
            data-testid="case-list"
            rowKey="id"
            columns={columns}
            dataSource={rows}
            loading={cases.isFetching && !cases.isRefetching}
            rowSelection={
              dispatchable.length > 0
                ? {
                    selectedRowKeys: selected,
                    onChange: (keys) => setSelected(keys.map(String)),
                    getCheckboxProps: (c) => ({ disabled: !c.allowedActions.includes('dispatch'), 'aria-label': c.number }),
                  }
                : undefined
            }
            onRow={(c) => ({ onClick: () => void navigate(`/cases/${c.id}`), style: { cursor: 'pointer' } })}
            pagination={{
              current: filters.page,
              pageSize: filters.pageSize,
              total: cases.data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100],
              showTotal: (total) => (cases.data?.totalCapped ? t('board.totalCapped', { total }) : t('common.total', { total })),
              onChange: (page, pageSize) => setFilters((f) => ({ ...f, page: pageSize === f.pageSize ? page : 1, pageSize })),
            }}
          />
        )}
      </Card>
      {reporting && <ReportCaseModal onClose={() => setReporting(false)} />}
    </>
  );
}

function queueLabel(queue: Queue, locale: Locale, t: Translate): string {
  if (queue === 'active') return t('board.onlyActive');
  if (queue === 'overdue') return t('board.onlyOverdue');
  if (queue === 'all') return t('common.all');
  return CASE_STATUS_LABELS[queue][locale];
}

interface ReportForm {
  description: string;
}

/** 上报问题: a description, and optionally one of the top three suggested categories. */
function ReportCaseModal({ onClose }: { onClose: () => void }) {
  const { t } = usePreferences();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ReportForm>();
  const description = Form.useWatch('description', form) ?? '';
  const [categoryCode, setCategoryCode] = useState('');
  const photos = useReportPhotos();
  const report = useMutation({
    mutationFn: async (values: ReportForm) => {
      const created = await api.reportCase({ description: values.description.trim(), categoryCode: categoryCode || undefined });
      await photos.uploadFor(created.id); // never throws: a failed upload is reported, the case stays
      return created;
    },
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
      onClose();
      void navigate(`/cases/${created.id}`);
    },
  });

  return (
    <Modal
      open
      title={t('case.reportTitle')}
      onCancel={onClose}
      footer={
        <Flex justify="end" gap="middle">
          <Button size="large" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="primary" size="large" loading={report.isPending} onClick={() => form.submit()} data-testid="report-submit">
            {t('case.submit')}
          </Button>
        </Flex>
      }
      destroyOnHidden
    >
      <Form<ReportForm> form={form} layout="vertical" onFinish={(values) => report.mutate(values)} size="large">
        <Form.Item
          name="description"
          label={t('case.description')}
          rules={[
            { required: true, whitespace: true, message: t('case.descriptionRequired') },
            { max: 2000 },
          ]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('case.descriptionPlaceholder')} data-testid="report-description" />
        </Form.Item>
        <Form.Item label={t('case.categoryOptional')} extra={t('case.categoryAuto')}>
          <CategorySuggestions description={description} value={categoryCode} onChange={setCategoryCode} testId="report-suggestions" />
        </Form.Item>
        {photos.picker}
        {report.isError && <Alert type="error" showIcon message={report.error.message} data-testid="report-error" />}
      </Form>
    </Modal>
  );
}
