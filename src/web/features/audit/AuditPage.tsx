import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { auditActionLabel, auditObjectLabel, roleLabel } from '../../labels.ts';
import { usePreferences } from '../../preferences.tsx';
import { useCan } from '../../session.tsx';
import type { AuditEntry } from '../../types.ts';
import { AuditFilters, type AuditFilterValues } from './AuditFilters.tsx';
import { VerifyChain } from './VerifyChain.tsx';

const PAGE_SIZE = 50;

/** Region paths (310115.310115005.…) may wrap after each dot, never inside a code. */
function breakAtDots(path: string): string {
  return path.replaceAll('.', '.\u200b');
}

/** UUIDs are long: the table shows their first block, the expanded row the whole. */
function shortId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(id) ? `${id.slice(0, 8)}…` : id;
}

export function AuditPage() {
  const { locale, t } = usePreferences();
  const can = useCan();
  const [filters, setFilters] = useState<AuditFilterValues>({});

  const entries = useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam }) => api.audit({ ...filters, before: pageParam ?? undefined, limit: PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextBefore,
  });
  const rows = entries.data?.pages.flatMap((page) => page.items) ?? [];

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.time'), dataIndex: 'at', width: 190, render: (at: string) => <span className="gz-nowrap">{formatDateTime(at, locale)}</span> },
    {
      title: t('audit.actor'),
      dataIndex: 'actorUsername',
      render: (username: string | null) => username ?? <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>,
    },
    { title: t('audit.role'), dataIndex: 'actorRole', responsive: ['lg'], render: (role: string | null) => roleLabel(role, locale) || t('common.none') },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      render: (action: string) => {
        const label = auditActionLabel(action, locale);
        return (
          <Flex vertical>
            <span>{label ?? action}</span>
            {label && <span className="gz-code gz-muted">{action}</span>}
          </Flex>
        );
      },
    },
    {
      title: t('audit.object'),
      key: 'object',
      responsive: ['md'],
      render: (_, entry) => (
        <Flex vertical>
          <span>{auditObjectLabel(entry.objectType, locale)}</span>
          {entry.objectId && (
            <span className="gz-code gz-muted" title={entry.objectId}>
              {shortId(entry.objectId)}
            </span>
          )}
        </Flex>
      ),
    },
    { title: t('audit.regionPath'), dataIndex: 'regionPath', responsive: ['xl'], render: (path: string | null) => <span className="gz-code">{path ? breakAtDots(path) : t('common.none')}</span> },
    { title: t('audit.reason'), dataIndex: 'reason', render: (reason: string | null) => (reason ? <Tag color="gold">{reason}</Tag> : t('common.none')) },
  ];

  return (
    <>
      <PageTitle title={t('nav.audit')}>{t('nav.audit')}</PageTitle>
      {can('audit.verify') && <VerifyChain />}
      <Card>
        <AuditFilters onChange={setFilters} />
        {entries.isError && !entries.data ? (
          <ErrorResult error={entries.error} onRetry={() => void entries.refetch()} />
        ) : (
          <>
            <Table<AuditEntry>
              rowKey="id"
              data-testid="audit-table"
              columns={columns}
              dataSource={rows}
              loading={entries.isPending}
              pagination={false}
              expandable={{ expandedRowRender: (entry) => <AuditDetails entry={entry} /> }}
            />
            <Flex justify="center" className="gz-load-more">
              {entries.hasNextPage ? (
                <Button size="large" loading={entries.isFetchingNextPage} onClick={() => void entries.fetchNextPage()}>
                  {t('audit.loadMore')}
                </Button>
              ) : (
                rows.length > 0 && <Typography.Text type="secondary">{t('audit.noMore')}</Typography.Text>
              )}
            </Flex>
          </>
        )}
      </Card>
    </>
  );
}

function AuditDetails({ entry }: { entry: AuditEntry }) {
  const { t } = usePreferences();
  return (
    <Descriptions
      size="small"
      column={1}
      items={[
        { key: 'details', label: t('audit.details'), children: <pre className="gz-json">{JSON.stringify(entry.details ?? null, null, 2)}</pre> },
        { key: 'object', label: t('audit.objectId'), children: <span className="gz-code">{entry.objectId ?? t('common.none')}</span> },
        { key: 'region', label: t('audit.regionPath'), children: <span className="gz-code">{entry.regionPath ?? t('common.none')}</span> },
        { key: 'request', label: t('audit.requestId'), children: <span className="gz-code">{entry.requestId ?? t('common.none')}</span> },
        { key: 'hash', label: t('audit.hash'), children: <code className="gz-hash">{entry.hash}</code> },
      ]}
    />
  );
}
