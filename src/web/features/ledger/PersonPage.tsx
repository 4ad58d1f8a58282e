import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Flex, Select, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { UiKey } from '../../../shared/i18n/ui.ts';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import { useCan } from '../../session.tsx';
import type { LedgerPersonDetail, LedgerTagList } from '../../types.ts';
import { ResolveActions } from './ConflictReview.tsx';
import { fieldLabel, fieldValue, RevealButton, useShanghaiTime } from './fields.tsx';

/** The relationships a person's fields carry, shown together. */
const RELATION_FIELDS = ['relation_to_head', 'guardian_name', 'guardian_phone', 'emergency_contact_name', 'emergency_contact_phone'] as const;

/**
 * Everything the ledger knows of one person: masked identity with reveal, tags, household and
 * dwelling, family and contacts, the open conflicts with their resolve buttons, every field with its
 * source and time, the source records, and the full history (filterable by field). Used by the
 * person page and the ledger's drawer.
 */
export function PersonDetails({ person: p, tags }: { person: LedgerPersonDetail; tags: LedgerTagList['items'] }) {
  const { locale, t } = usePreferences();
  const can = useCan();
  const time = useShanghaiTime();
  const [historyField, setHistoryField] = useState<string | undefined>();
  const label = (field: string) => fieldLabel(field, locale, tags);
  const value = (field: string) => p.fields.find((f) => f.field === field);
  // the committee is stored as its region code: its name reads better where it is the person's own
  const shown = (field: string, v: string | null) => (field === 'committee' && v === p.regionCode ? p.regionName : fieldValue(field, v, t));
  const relations = RELATION_FIELDS.map((field) => value(field)).filter((f) => f !== undefined);
  const history = historyField ? p.history.filter((h) => h.field === historyField) : p.history;
  return (
    <Flex vertical gap="large">
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('ledger.idNumber')}>
          {p.idNumber ?? t('common.none')} {p.idNumber && can('ledger.reveal') && <RevealButton personId={p.id} field="id_number" />}
        </Descriptions.Item>
        <Descriptions.Item label={t('ledger.phone')}>
          {p.phone ?? t('common.none')} {p.phone && can('ledger.reveal') && <RevealButton personId={p.id} field="phone" />}
        </Descriptions.Item>
        <Descriptions.Item label={t('ledger.address')}>
          {p.dwellingId ? <Link to={`/ledger/dwellings/${p.dwellingId}`}>{p.address ?? t('ledger.dwelling.title')}</Link> : (p.address ?? t('common.none'))}
        </Descriptions.Item>
        <Descriptions.Item label={t('ledger.committee')}>{p.regionName}</Descriptions.Item>
        <Descriptions.Item label={t('ledger.person.household')}>
          {p.householdId ? <Link to={`/ledger/households/${p.householdId}`}>{p.householdNumber}</Link> : t('common.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('ledger.tags')}>{p.tags.length ? p.tags.map((tag) => <Tag key={tag.code}>{tag.name}</Tag>) : t('common.none')}</Descriptions.Item>
      </Descriptions>

      {relations.length > 0 && (
        <>
          <Typography.Title level={5}>{t('ledger.person.relations')}</Typography.Title>
          <Descriptions column={1} size="small" bordered>
            {relations.map((f) => (
              <Descriptions.Item key={f.field} label={label(f.field)}>
                {fieldValue(f.field, f.value, t)}
                <Typography.Text type="secondary">（{f.source}）</Typography.Text>
              </Descriptions.Item>
            ))}
          </Descriptions>
        </>
      )}

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
            { title: t('ledger.field'), dataIndex: 'field', render: label },
            { title: t('ledger.current'), render: (_, c) => `${fieldValue(c.field, c.currentValue, t)}（${c.currentSource}）` },
            { title: t('ledger.proposed'), render: (_, c) => `${fieldValue(c.field, c.proposedValue, t)}（${c.proposedSource}）` },
            ...(can('ledger.review') ? [{ title: '', key: 'resolve', render: (_: unknown, c: LedgerPersonDetail['conflicts'][number]) => <ResolveActions conflict={c} fieldName={label(c.field)} /> }] : []),
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
          { title: t('ledger.field'), dataIndex: 'field', render: label },
          { title: t('ledger.value'), render: (_, f) => shown(f.field, f.value) },
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

      <Flex justify="space-between" align="center" wrap gap="middle">
        <Typography.Title level={5}>{t('ledger.history')}</Typography.Title>
        <Select
          allowClear
          aria-label={t('ledger.person.historyFilter')}
          placeholder={t('ledger.person.historyFilter')}
          value={historyField}
          onChange={(field: string | undefined) => setHistoryField(field)}
          options={[...new Set(p.history.map((h) => h.field))].map((field) => ({ value: field, label: label(field) }))}
          style={{ minWidth: 200 }}
        />
      </Flex>
      <Table
        size="small"
        rowKey={(h) => `${h.field} ${h.recordedAt} ${h.source} ${h.outcome}`}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        dataSource={history}
        columns={[
          { title: t('ledger.field'), dataIndex: 'field', render: label },
          { title: t('ledger.value'), render: (_, h) => shown(h.field, h.value) },
          { title: t('ledger.source'), dataIndex: 'source' },
          {
            title: t('ledger.outcome'),
            dataIndex: 'outcome',
            render: (o: string) => <Tag color={o === 'conflict' ? 'orange' : o === 'rejected' ? 'default' : o === 'set' || o === 'confirmed' || o === 'replaced' ? undefined : 'blue'}>{t(`ledger.outcome.${o}` as UiKey)}</Tag>,
          },
          { title: t('ledger.note'), dataIndex: 'note', render: (note: string | null) => note ?? '', responsive: ['lg'] },
          { title: t('ledger.observedAt'), dataIndex: 'recordedAt', render: time, responsive: ['md'] },
        ]}
      />
    </Flex>
  );
}

/** 居民档案: one person of the ledger on a page of its own (/ledger/persons/:id). */
export function PersonPage() {
  const { t } = usePreferences();
  const { id = '' } = useParams();
  const tags = useQuery({ queryKey: ['ledger', 'tags'], queryFn: () => api.ledgerTags() });
  const person = useQuery({ queryKey: ['ledger', 'person', id], queryFn: () => api.ledgerPerson(id) });
  const title = person.data?.name ?? t('ledger.person.title');
  return (
    <>
      <PageTitle title={title} extra={<Link to="/ledger">{t('ledger.back')}</Link>}>
        {title}
      </PageTitle>
      <Card>
        {person.isError ? (
          <ErrorResult error={person.error} onRetry={() => void person.refetch()} />
        ) : person.data ? (
          <PersonDetails person={person.data} tags={tags.data?.items ?? []} />
        ) : (
          <Spin />
        )}
      </Card>
    </>
  );
}
