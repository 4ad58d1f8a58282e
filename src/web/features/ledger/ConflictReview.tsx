import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Flex, Form, Input, Modal, Radio, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { LEDGER_FIELDS } from '../../../shared/ledger.ts';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import { useCan } from '../../session.tsx';
import type { LedgerConflict } from '../../types.ts';
import { fieldLabel, fieldValue, useShanghaiTime } from './fields.tsx';

type Action = 'keep' | 'accept' | 'verified';

/** What a resolve button needs of a conflict (the person page's list carries less than the queue's). */
export interface ConflictLike {
  id: string;
  field: string;
  currentValue: string | null;
  currentSource: string;
  proposedValue: string | null;
  proposedSource: string;
}

/**
 * 保留现有 / 采用新报 / 走访核实 for one conflict: each asks for confirmation (and, for a verified
 * value, the value and a note); the server writes the history and audits the decision.
 */
export function ResolveActions({ conflict, fieldName }: { conflict: ConflictLike; fieldName: string }) {
  const { t } = usePreferences();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [action, setAction] = useState<Action | null>(null);
  const [form] = Form.useForm<{ value?: string; note?: string }>();
  const resolve = useMutation({
    mutationFn: (body: { action: Action; value?: string; note?: string }) => api.ledgerResolve(conflict.id, body),
    onSuccess: async () => {
      void message.success(t('ledger.review.done'));
      close();
      await queryClient.invalidateQueries({ queryKey: ['ledger'] });
    },
  });
  const close = () => {
    setAction(null);
    resolve.reset();
    form.resetFields();
  };
  const current = fieldValue(conflict.field, conflict.currentValue, t);
  const proposed = fieldValue(conflict.field, conflict.proposedValue, t);
  return (
    <>
      <Space size="small" wrap>
        <Button size="small" onClick={() => setAction('keep')}>
          {t('ledger.review.keep')}
        </Button>
        <Button size="small" type="primary" onClick={() => setAction('accept')}>
          {t('ledger.review.accept')}
        </Button>
        <Button size="small" onClick={() => setAction('verified')}>
          {t('ledger.review.verify')}
        </Button>
      </Space>
      <Modal
        open={action !== null}
        title={action === 'verified' ? t('ledger.review.verifyTitle') : `${t('ledger.review.confirmTitle')} · ${fieldName}`}
        onCancel={close}
        onOk={() => form.submit()}
        confirmLoading={resolve.isPending}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={({ value, note }) => resolve.mutate({ action: action!, ...(value?.trim() ? { value: value.trim() } : {}), ...(note?.trim() ? { note: note.trim() } : {}) })}
        >
          {resolve.error && <Alert type="error" showIcon title={resolve.error.message} style={{ marginBottom: 16 }} />}
          {action === 'keep' && <Typography.Paragraph>{t('ledger.review.keepConfirm', { current, proposed, source: conflict.proposedSource })}</Typography.Paragraph>}
          {action === 'accept' && <Typography.Paragraph>{t('ledger.review.acceptConfirm', { current, proposed, source: conflict.proposedSource })}</Typography.Paragraph>}
          {action === 'verified' && (
            <Form.Item name="value" label={`${t('ledger.review.verifiedValue')}（${fieldName}）`} rules={[{ required: true, whitespace: true, message: t('ledger.review.valueRequired') }]}>
              <Input maxLength={200} />
            </Form.Item>
          )}
          <Form.Item name="note" label={t('ledger.review.note')} rules={[{ required: action === 'verified', whitespace: true, min: 2, message: t('ledger.review.noteRequired') }]}>
            <Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** Resolves every conflict of the filtered field and source the same way, confirming how many. */
function BulkResolve({ field, source, count, fieldName }: { field: string; source: string; count: number; fieldName: string }) {
  const { t } = usePreferences();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ action: 'keep' | 'accept'; note: string }>();
  const bulk = useMutation({
    mutationFn: (body: { action: 'keep' | 'accept'; note: string }) => api.ledgerBulkResolve({ field, source, expectedCount: count, ...body }),
    onSuccess: async (result) => {
      void message.success(t('ledger.review.bulkDone', { count: result.resolved }));
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: ['ledger'] });
    },
  });
  return (
    <>
      <Button onClick={() => setOpen(true)} disabled={count === 0 || count > 500}>
        {t('ledger.review.bulk')}
      </Button>
      <Modal open={open} title={t('ledger.review.bulkTitle', { field: fieldName, source, count })} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={bulk.isPending} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ action: 'keep' }} onFinish={({ action, note }) => bulk.mutate({ action, note: note.trim() })}>
          {bulk.error && <Alert type="error" showIcon title={bulk.error.message} style={{ marginBottom: 16 }} />}
          <Form.Item name="action">
            <Radio.Group
              options={[
                { value: 'keep', label: t('ledger.review.keep') },
                { value: 'accept', label: t('ledger.review.accept') },
              ]}
            />
          </Form.Item>
          <Form.Item name="note" label={t('ledger.review.note')} rules={[{ required: true, whitespace: true, min: 2, message: t('ledger.review.noteRequired') }]}>
            <Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** 不一致核实: the open 一数一源 conflicts of the caller's scope, to keep, accept or verify; in bulk per field and source. */
export function ConflictReviewPage() {
  const { locale, t } = usePreferences();
  const can = useCan();
  const time = useShanghaiTime();
  const [filters, setFilters] = useState<{ field: string | undefined; source: string | undefined; page: number; pageSize: number }>({ field: undefined, source: undefined, page: 1, pageSize: 20 });
  const tags = useQuery({ queryKey: ['ledger', 'tags'], queryFn: () => api.ledgerTags() });
  const sources = useQuery({ queryKey: ['ledger', 'sources'], queryFn: () => api.ledgerSources() });
  const list = useQuery({
    queryKey: ['ledger', 'conflicts', filters],
    queryFn: () => api.ledgerConflicts({ field: filters.field, source: filters.source, limit: filters.pageSize, offset: (filters.page - 1) * filters.pageSize }),
    placeholderData: keepPreviousData,
  });
  const tagList = tags.data?.items ?? [];
  const label = (field: string) => fieldLabel(field, locale, tagList);
  const sourced = (value: string, source: string, at: string | null) => (
    <Flex vertical>
      <span>{`${value}（${source}）`}</span>
      {at && <Typography.Text type="secondary">{time(at)}</Typography.Text>}
    </Flex>
  );
  const columns: TableColumnsType<LedgerConflict> = [
    { title: t('ledger.review.person'), render: (_, c) => <Link to={`/ledger/persons/${c.personId}`}>{c.personName}</Link> },
    { title: t('ledger.committee'), dataIndex: 'regionName', responsive: ['md'] },
    { title: t('ledger.field'), dataIndex: 'field', render: label },
    { title: t('ledger.current'), render: (_, c) => sourced(fieldValue(c.field, c.currentValue, t), c.currentSource, c.currentObservedAt) },
    { title: t('ledger.proposed'), render: (_, c) => sourced(fieldValue(c.field, c.proposedValue, t), c.proposedSource, c.proposedObservedAt) },
  ];
  if (can('ledger.review')) columns.push({ title: '', render: (_, c) => <ResolveActions conflict={c} fieldName={label(c.field)} /> });

  return (
    <>
      <PageTitle title={t('ledger.review.title')} extra={<Link to="/ledger">{t('ledger.back')}</Link>}>
        {t('ledger.review.title')}
      </PageTitle>
      <Card>
        <Flex wrap gap="middle" className="gz-filters" role="search" align="center">
          <Select
            allowClear
            aria-label={t('ledger.review.filterField')}
            placeholder={t('ledger.review.filterField')}
            value={filters.field}
            onChange={(field: string | undefined) => setFilters((f) => ({ ...f, field, page: 1 }))}
            options={[...LEDGER_FIELDS, ...tagList.filter((x) => !x.derived).map((x) => `tag.${x.code}`)].map((field) => ({ value: field, label: label(field) }))}
            style={{ minWidth: 180 }}
          />
          <Select
            allowClear
            aria-label={t('ledger.review.filterSource')}
            placeholder={t('ledger.review.filterSource')}
            value={filters.source}
            onChange={(source: string | undefined) => setFilters((f) => ({ ...f, source, page: 1 }))}
            options={(sources.data?.items ?? []).map((s) => ({ value: s.name, label: s.name }))}
            style={{ minWidth: 180 }}
          />
          {can('ledger.review') &&
            (filters.field && filters.source ? (
              <BulkResolve field={filters.field} source={filters.source} count={list.data?.total ?? 0} fieldName={label(filters.field)} />
            ) : (
              <Typography.Text type="secondary">{t('ledger.review.bulkHint')}</Typography.Text>
            ))}
        </Flex>
        {list.isError ? (
          <ErrorResult error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table<LedgerConflict>
            rowKey="id"
            columns={columns}
            dataSource={list.data?.items ?? []}
            loading={list.isFetching}
            locale={{ emptyText: <Empty description={t('ledger.noConflicts')} /> }}
            pagination={{
              current: filters.page,
              pageSize: filters.pageSize,
              total: list.data?.total ?? 0,
              showTotal: (total) => t('common.total', { total }),
              onChange: (page, pageSize) => setFilters((f) => ({ ...f, page: pageSize === f.pageSize ? page : 1, pageSize })),
            }}
          />
        )}
      </Card>
    </>
  );
}
