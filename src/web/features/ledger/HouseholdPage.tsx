import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Flex, Spin, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import type { LedgerHouseholdView } from '../../types.ts';

type Member = LedgerHouseholdView['members'][number];
type TagItem = LedgerHouseholdView['tags'][number];

/** The persons of a household or a dwelling, masked as the server sent them; each opens their record. */
function MembersTable({ members }: { members: Member[] }) {
  const { t } = usePreferences();
  return (
    <Table<Member>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={members}
      columns={[
        { title: t('ledger.name'), render: (_, m) => <Link to={`/ledger/persons/${m.id}`}>{m.name}</Link> },
        { title: t('ledger.household.relation'), dataIndex: 'relationToHead', render: (r: string | null) => r ?? t('common.none') },
        { title: t('ledger.idNumber'), dataIndex: 'idNumber', className: 'gz-code', responsive: ['sm'] },
        { title: t('ledger.age'), dataIndex: 'age' },
        { title: t('ledger.person.household'), render: (_, m) => (m.householdId ? <Link to={`/ledger/households/${m.householdId}`}>{m.householdNumber}</Link> : t('common.none')), responsive: ['md'] },
        { title: t('ledger.tags'), dataIndex: 'tags', render: (list: Member['tags']) => list.map((tag) => <Tag key={tag.code}>{tag.name}</Tag>) },
      ]}
    />
  );
}

function PlaceLayout({ title, query, children }: { title: string; query: { isError: boolean; error: unknown; refetch(): unknown; data: unknown }; children: ReactNode }) {
  const { t } = usePreferences();
  return (
    <>
      <PageTitle title={title} extra={<Link to="/ledger">{t('ledger.back')}</Link>}>
        {title}
      </PageTitle>
      <Card>{query.isError ? <ErrorResult error={query.error} onRetry={() => void query.refetch()} /> : query.data ? <Flex vertical gap="large">{children}</Flex> : <Spin />}</Card>
    </>
  );
}

const tagList = (tags: TagItem[], none: string) => (tags.length ? tags.map((tag) => <Tag key={tag.code}>{tag.name}</Tag>) : none);

/** 户: a household's members with their relation to the head, and the tags the household carries. */
export function HouseholdPage() {
  const { t } = usePreferences();
  const { id = '' } = useParams();
  const household = useQuery({ queryKey: ['ledger', 'household', id], queryFn: () => api.ledgerHousehold(id) });
  const h = household.data;
  return (
    <PlaceLayout title={h ? t('ledger.household.title', { number: h.householdNumber }) : t('ledger.person.household')} query={household}>
      {h && (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('ledger.committee')}>{h.regionName}</Descriptions.Item>
            <Descriptions.Item label={t('ledger.tags')}>{tagList(h.tags, t('common.none'))}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>{t('ledger.household.members')}</Typography.Title>
          <MembersTable members={h.members} />
        </>
      )}
    </PlaceLayout>
  );
}

/** 房屋 → 人: a dwelling and everyone the ledger places there. */
export function DwellingPage() {
  const { t } = usePreferences();
  const { id = '' } = useParams();
  const dwelling = useQuery({ queryKey: ['ledger', 'dwelling', id], queryFn: () => api.ledgerDwelling(id) });
  const d = dwelling.data;
  return (
    <PlaceLayout title={d?.address ?? t('ledger.dwelling.title')} query={dwelling}>
      {d && (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('ledger.committee')}>{d.regionName}</Descriptions.Item>
            <Descriptions.Item label={t('ledger.tags')}>{tagList(d.tags, t('common.none'))}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>{t('ledger.dwelling.residents')}</Typography.Title>
          <MembersTable members={d.residents} />
        </>
      )}
    </PlaceLayout>
  );
}
