import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Drawer, Empty, Flex, Input, Select, Table, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import { useCan } from '../../session.tsx';
import type { LedgerPerson, LedgerTagList } from '../../types.ts';
import { ImportWizard } from './ImportWizard.tsx';
import { PersonDetails } from './PersonPage.tsx';

interface Filters {
  q: string | undefined;
  tag: string | undefined;
  region: string | undefined;
  page: number;
  pageSize: number;
}

/** A person in a drawer over the list; the full record has its own page. */
function PersonDrawer({ id, tags, onClose }: { id: string | null; tags: LedgerTagList['items']; onClose(): void }) {
  const { t } = usePreferences();
  const person = useQuery({ queryKey: ['ledger', 'person', id], queryFn: () => api.ledgerPerson(id!), enabled: id !== null });
  const p = person.data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      title={p ? p.name : t('ledger.detail')}
      extra={id && <Link to={`/ledger/persons/${id}`}>{t('ledger.person.openPage')}</Link>}
      size="large"
      destroyOnHidden
    >
      {person.isError && <ErrorResult error={person.error} onRetry={() => void person.refetch()} />}
      {p && <PersonDetails person={p} tags={tags} />}
    </Drawer>
  );
}

/** Committees to filter by: searched by name among the regions the caller may see. */
function CommitteeFilter({ value, onChange }: { value: string | undefined; onChange(code: string | undefined): void }) {
  const { t } = usePreferences();
  const [q, setQ] = useState('');
  const found = useQuery({ queryKey: ['regions', 'search', q], queryFn: () => api.searchRegions(q, 20), enabled: q.trim().length > 0 });
  return (
    <Select
      allowClear
      showSearch={{ filterOption: false, onSearch: setQ }}
      aria-label={t('ledger.committeeFilter')}
      placeholder={t('ledger.committeeFilter')}
      value={value}
      onChange={(code: string | undefined) => onChange(code)}
      options={(found.data ?? []).filter((r) => r.level === 'committee').map((r) => ({ value: r.code, label: r.name }))}
      style={{ minWidth: 200 }}
    />
  );
}

/** 居民台账: the persons of the caller's scope, masked, with tags; a person's sources and history in a drawer. */
export function LedgerPage() {
  const { t } = usePreferences();
  const can = useCan();
  const [importing, setImporting] = useState(false);
  const [filters, setFilters] = useState<Filters>({ q: undefined, tag: undefined, region: undefined, page: 1, pageSize: 20 });
  const [open, setOpen] = useState<string | null>(null);
  const tags = useQuery({ queryKey: ['ledger', 'tags'], queryFn: () => api.ledgerTags() });
  const stats = useQuery({ queryKey: ['ledger', 'stats'], queryFn: () => api.ledgerStats() });
  const persons = useQuery({
    queryKey: ['ledger', 'persons', filters],
    queryFn: () => api.ledgerPersons({ q: filters.q, tag: filters.tag, region: filters.region, limit: filters.pageSize, offset: (filters.page - 1) * filters.pageSize }),
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
      <PageTitle
        title={t('ledger.title')}
        extra={
          <Flex gap="middle" wrap>
            <Link to="/ledger/conflicts">
              <Badge count={stats.data?.conflicts ?? 0} size="small" offset={[8, 0]}>
                {t('ledger.review.title')}
              </Badge>
            </Link>
            <Link to="/ledger/authority">{t('ledger.authority.title')}</Link>
          </Flex>
        }
      >
        {t('ledger.title')}
      </PageTitle>
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
          <CommitteeFilter value={filters.region} onChange={(region) => setFilters((f) => ({ ...f, region, page: 1 }))} />
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
