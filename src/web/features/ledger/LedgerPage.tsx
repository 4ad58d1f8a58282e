import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Drawer, Empty, Flex, Form, Input, Modal, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { LEDGER_FIELD_LABELS, type LedgerField } from '../../../shared/ledger.ts';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import { useCan } from '../../session.tsx';
import type { LedgerPerson, LedgerPersonDetail, LedgerTagList } from '../../types.ts';
import type { UiKey } from '../../../shared/i18n/ui.ts';
import { ImportWizard } from './ImportWizard.tsx';

interface Filters {
  q: string | undefined;
  tag: string | undefined;
  page: number;
  pageSize: number;
}

type Locale = ReturnType<typeof usePreferences>['locale'];

/** A field's label: the ledger's own fields by name, tags `tag.<code>` by the tag's name. */
function fieldLabel(field: string, locale: Locale, tags: LedgerTagList['items']): string {
  if (field.startsWith('tag.')) {
    const tag = tags.find((x) => x.code === field.slice(4));
    return tag ? (locale === 'en' ? tag.nameEn : tag.name) : field;
  }
  const label = (LEDGER_FIELD_LABELS as Record<string, Record<Locale, string> | undefined>)[field as LedgerField];
  return label ? label[locale] : field;
}

function fieldValue(field: string, value: string | null, t: ReturnType<typeof usePreferences>['t']): string {
  if (value === null) return t('common.none');
  if (field.startsWith('tag.')) return value === 'yes' ? '✓' : '✗';
  return value;
}

/** Asks for the reason, then shows one full value once; the server audits the read. */
function RevealButton({ personId, field }: { personId: string; field: 'id_number' | 'phone' }) {
  const { t } = usePreferences();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const reveal = useMutation({ mutationFn: (reason: string) => api.ledgerReveal(personId, field, reason) });
  const close = () => {
    setOpen(false);
    reveal.reset();
    form.resetFields();
  };
  return (
    <>
      <Button size="small" type="link" onClick={() => setOpen(true)}>
        {t('ledger.reveal')}
      </Button>
      <Modal open={open} title={t('ledger.reveal')} onCancel={close} onOk={() => (reveal.data ? close() : form.submit())} confirmLoading={reveal.isPending} destroyOnHidden>
        {reveal.data ? (
          <Typography.Paragraph className="gz-revealed" copyable={reveal.data.value ? { text: reveal.data.value } : false}>
            {reveal.data.value ?? t('common.none')}
          </Typography.Paragraph>
        ) : (
          <Form form={form} layout="vertical" onFinish={({ reason }) => reveal.mutate(reason.trim())}>
            {reveal.error && <Alert type="error" showIcon title={reveal.error.message} style={{ marginBottom: 16 }} />}
            <Form.Item name="reason" label={t('ledger.revealReason')} rules={[{ required: true, whitespace: true, min: 2, message: t('ledger.revealReasonRequired') }]}>
              <Input.TextArea maxLength={200} autoSize={{ minRows: 2 }} />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </>
  );
}

function PersonDrawer({ id, tags, onClose }: { id: string | null; tags: LedgerTagList['items']; onClose(): void }) {
  const { locale, t } = usePreferences();
  const can = useCan();
  const person = useQuery({ queryKey: ['ledger', 'person', id], queryFn: () => api.ledgerPerson(id!), enabled: id !== null });
  const p: LedgerPersonDetail | undefined = person.data;
  const time = (iso: string) => new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai' });
  return (
    <Drawer open={id !== null} onClose={onClose} title={p ? p.name : t('ledger.detail')} size="large" destroyOnHidden>
      {person.isError && <ErrorResult error={person.error} onRetry={() => void person.refetch()} />}
      {p && (
        <Flex vertical gap="large">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('ledger.idNumber')}>
              {p.idNumber ?? t('common.none')} {p.idNumber && can('ledger.reveal') && <RevealButton personId={p.id} field="id_number" />}
            </Descriptions.Item>
            <Descriptions.Item label={t('ledger.phone')}>
              {p.phone ?? t('common.none')} {p.phone && can('ledger.reveal') && <RevealButton personId={p.id} field="phone" />}
            </Descriptions.Item>
            <Descriptions.Item label={t('ledger.address')}>{p.address ?? t('common.none')}</Descriptions.Item>
            <Descriptions.Item label={t('ledger.committee')}>{p.regionName}</Descriptions.Item>
            <Descriptions.Item label={t('ledger.tags')}>{p.tags.length ? p.tags.map((tag) => <Tag key={tag.code}>{tag.name}</Tag>) : t('common.none')}</Descriptions.Item>
          </Descriptions>

          <Typography.Title level={5}>{t('ledger.conflicts')}</Typography.Title>
          {p.conflicts.length === 0 ? (
            <Typography.Text type="secondary">{t('ledger.noConflicts')}</Typography.Text>
          ) : (
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={p.conflicts}
              columns={[
                { title: t('ledger.field'), dataIndex: 'field', render: (f: string) => fieldLabel(f, locale, tags) },
                { title: t('ledger.current'), render: (_, c) => `${fieldValue(c.field, c.currentValue, t)}（${c.currentSource}）` },
                { title: t('ledger.proposed'), render: (_, c) => `${fieldValue(c.field, c.proposedValue, t)}（${c.proposedSource}）` },
              ]}
            />
          )}

          <Typography.Title level={5}>{t('ledger.fields')}</Typography.Title>
          <Table
            size="small"
            rowKey="field"
            pagination={false}
            dataSource={p.fields}
            columns={[
              { title: t('ledger.field'), dataIndex: 'field', render: (f: string) => fieldLabel(f, locale, tags) },
              { title: t('ledger.value'), render: (_, f) => fieldValue(f.field, f.value, t) },
              { title: t('ledger.source'), render: (_, f) => (f.authoritative ? <Tag color="green">{f.source} · {t('ledger.authoritative')}</Tag> : <Tag>{f.source}</Tag>) },
              { title: t('ledger.observedAt'), dataIndex: 'observedAt', render: time, responsive: ['md'] },
            ]}
          />

          <Typography.Title level={5}>{t('ledger.sources')}</Typography.Title>
          <Table
            size="small"
            rowKey={(s) => `${s.source} ${s.recordKey}`}
            pagination={false}
            dataSource={p.sources}
            columns={[
              { title: t('ledger.source'), dataIndex: 'source' },
              { title: t('ledger.recordKey'), dataIndex: 'recordKey', className: 'gz-code' },
              { title: t('ledger.observedAt'), dataIndex: 'receivedAt', render: time },
            ]}
          />

          <Typography.Title level={5}>{t('ledger.history')}</Typography.Title>
          <Table
            size="small"
            rowKey={(h) => `${h.field} ${h.recordedAt} ${h.source} ${h.outcome}`}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            dataSource={p.history}
            columns={[
              { title: t('ledger.field'), dataIndex: 'field', render: (f: string) => fieldLabel(f, locale, tags) },
              { title: t('ledger.value'), render: (_, h) => fieldValue(h.field, h.value, t) },
              { title: t('ledger.source'), dataIndex: 'source' },
              { title: t('ledger.outcome'), dataIndex: 'outcome', render: (o: string) => <Tag color={o === 'conflict' ? 'orange' : undefined}>{t(`ledger.outcome.${o}` as UiKey)}</Tag> },
              { title: t('ledger.observedAt'), dataIndex: 'recordedAt', render: time, responsive: ['md'] },
            ]}
          />
        </Flex>
      )}
    </Drawer>
  );
}

/** 居民台账: the persons of the caller's scope, masked, with tags; a person's sources and history in a drawer. */
export function LedgerPage() {
  const { t } = usePreferences();
  const can = useCan();
  const [importing, setImporting] = useState(false);
  const [filters, setFilters] = useState<Filters>({ q: undefined, tag: undefined, page: 1, pageSize: 20 });
  const [open, setOpen] = useState<string | null>(null);
  const tags = useQuery({ queryKey: ['ledger', 'tags'], queryFn: () => api.ledgerTags() });
  const persons = useQuery({
    queryKey: ['ledger', 'persons', filters],
    queryFn: () => api.ledgerPersons({ q: filters.q, tag: filters.tag, limit: filters.pageSize, offset: (filters.page - 1) * filters.pageSize }),
    placeholderData: keepPreviousData,
  });

  const columns: TableColumnsType<LedgerPerson> = [
    {
      title: t('ledger.name'),
      dataIndex: 'name',
      render: (name: string, p) => (
        <Button type="link" onClick={() => setOpen(p.id)} style={{ padding: 0 }}>
          {name}
        </Button>
      ),
    },
    { title: t('ledger.idNumber'), dataIndex: 'idNumber', className: 'gz-code', responsive: ['sm'] },
    { title: t('ledger.age'), dataIndex: 'age' },
    { title: t('ledger.phone'), dataIndex: 'phone', className: 'gz-code', responsive: ['md'] },
    { title: t('ledger.address'), dataIndex: 'address', responsive: ['lg'] },
    { title: t('ledger.committee'), dataIndex: 'regionName', responsive: ['md'] },
    { title: t('ledger.tags'), dataIndex: 'tags', render: (list: LedgerPerson['tags']) => list.map((tag) => <Tag key={tag.code}>{tag.name}</Tag>) },
  ];

  return (
    <>
      <PageTitle title={t('ledger.title')}>{t('ledger.title')}</PageTitle>
      <Card>
        <Flex wrap gap="middle" className="gz-filters" role="search">
          <Select
            allowClear
            aria-label={t('ledger.tags')}
            placeholder={t('ledger.tagPlaceholder')}
            value={filters.tag}
            onChange={(tag: string | undefined) => setFilters((f) => ({ ...f, tag, page: 1 }))}
            options={(tags.data?.items ?? []).map((tag) => ({ value: tag.code, label: tag.name }))}
            style={{ minWidth: 180 }}
          />
          <Input.Search
            allowClear
            aria-label={t('common.keyword')}
            placeholder={t('ledger.searchPlaceholder')}
            enterButton={t('common.search')}
            maxLength={50}
            onSearch={(value) => setFilters((f) => ({ ...f, q: value.trim() || undefined, page: 1 }))}
            style={{ maxWidth: 420 }}
          />
          {can('ledger.import') && (
            <Button type="primary" onClick={() => setImporting(true)}>
              {t('ledger.import')}
            </Button>
          )}
        </Flex>
        {persons.isError ? (
          <ErrorResult error={persons.error} onRetry={() => void persons.refetch()} />
        ) : (
          <Table<LedgerPerson>
            rowKey="id"
            columns={columns}
            dataSource={persons.data?.items ?? []}
            loading={persons.isFetching}
            locale={{ emptyText: <Empty /> }}
            pagination={{
              current: filters.page,
              pageSize: filters.pageSize,
              total: persons.data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100],
              showTotal: (total) => t('common.total', { total }),
              onChange: (page, pageSize) => setFilters((f) => ({ ...f, page: pageSize === f.pageSize ? page : 1, pageSize })),
            }}
          />
        )}
      </Card>
      <ImportWizard open={importing} onClose={() => setImporting(false)} />
      <PersonDrawer id={open} tags={tags.data?.items ?? []} onClose={() => setOpen(null)} />
    </>
  );
}
