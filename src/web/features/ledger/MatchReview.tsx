import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Flex, List, Popconfirm, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { Static } from 'typebox';
import type { MatchList, MergeList, RunSummary } from '../../../server/modules/ledger/linkage/schemas.ts';
import type { UiKey } from '../../../shared/i18n/ui.ts';
import { request } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import { useCan } from '../../session.tsx';

type Matches = Static<typeof MatchList>;
type Match = Matches['items'][number];
type Side = Match['a'];
type Merge = Static<typeof MergeList>['items'][number];

const linkageApi = {
  matches: () => request<Matches>('GET', '/api/ledger/matches', { query: { limit: 50 } }),
  merges: () => request<Static<typeof MergeList>>('GET', '/api/ledger/merges', { query: { limit: 20 } }),
  accept: (id: string) => request<{ mergeId: string }>('POST', `/api/ledger/matches/${encodeURIComponent(id)}/accept`, { body: {} }),
  reject: (id: string) => request<{ id: string }>('POST', `/api/ledger/matches/${encodeURIComponent(id)}/reject`, { body: {} }),
  undo: (id: string) => request<{ id: string }>('POST', `/api/ledger/merges/${encodeURIComponent(id)}/undo`, { body: {} }),
  run: () => request<Static<typeof RunSummary>>('POST', '/api/ledger/linkage/run', { body: {} }),
};

const FEATURES = ['name', 'birthDate', 'sex', 'phone', 'address'] as const;

/** One person of a pair, as the role may see them (the server masks). */
function PersonCard({ side }: { side: Side }) {
  const { t } = usePreferences();
  const none = t('common.none');
  return (
    <Card size="small" title={side.name} style={{ flex: 1, minWidth: 260 }}>
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('ledger.idNumber')}>{side.idNumber ?? none}</Descriptions.Item>
        <Descriptions.Item label={t('linkage.feature.sex')}>{side.sex ? t(`ledger.sex.${side.sex}`) : none}</Descriptions.Item>
        <Descriptions.Item label={t('linkage.feature.birthDate')}>{side.birthDate ?? none}</Descriptions.Item>
        <Descriptions.Item label={t('linkage.feature.phone')}>{side.phone ?? none}</Descriptions.Item>
        <Descriptions.Item label={t('linkage.feature.address')}>{side.address ?? none}</Descriptions.Item>
        <Descriptions.Item label={t('ledger.committee')}>{side.regionName}</Descriptions.Item>
        <Descriptions.Item label={t('linkage.sources')}>
          <Space size={[4, 4]} wrap>
            {side.sources.map((s) => (
              <Tag key={`${s.source} ${s.recordKey}`}>
                {s.source} · {s.recordKey}
              </Tag>
            ))}
          </Space>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function Evidence({ match }: { match: Match }) {
  const { t } = usePreferences();
  return (
    <Space size={[4, 4]} wrap>
      {FEATURES.map((f) => {
        const weight = match.weights[f] ?? 0;
        return (
          <Tag key={f} color={weight > 0 ? 'green' : weight < 0 ? 'red' : 'default'}>
            {t(`linkage.feature.${f}` as UiKey)}：{t(`linkage.agreement.${match.evidence[f]}` as UiKey)} ({weight > 0 ? '+' : ''}
            {weight})
          </Tag>
        );
      })}
    </Space>
  );
}

/** 待核对的重复人员: probable duplicates side by side with the evidence; merge, keep apart, or undo a merge. */
export function MatchReview() {
  const { t, locale } = usePreferences();
  const can = useCan();
  const client = useQueryClient();
  const matches = useQuery({ queryKey: ['ledger', 'matches'], queryFn: linkageApi.matches });
  const merges = useQuery({ queryKey: ['ledger', 'merges'], queryFn: linkageApi.merges });
  const refresh = () => client.invalidateQueries({ queryKey: ['ledger'] });
  const accept = useMutation({ mutationFn: linkageApi.accept, onSuccess: refresh });
  const reject = useMutation({ mutationFn: linkageApi.reject, onSuccess: refresh });
  const undo = useMutation({ mutationFn: linkageApi.undo, onSuccess: refresh });
  const run = useMutation({ mutationFn: linkageApi.run, onSuccess: refresh });
  const failure = accept.error ?? reject.error ?? undo.error ?? run.error;
  const time = (iso: string) => new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai' });

  const mergeColumns: TableColumnsType<Merge> = [
    { title: t('ledger.name'), key: 'names', render: (_, m) => `${m.survivorName} ← ${m.absorbedName}` },
    { title: t('linkage.score'), dataIndex: 'score', render: (score: number | null) => score?.toFixed(1) ?? '' },
    { title: t('linkage.how'), dataIndex: 'automatic', render: (automatic: boolean) => <Tag>{automatic ? t('linkage.automatic') : t('linkage.manual')}</Tag> },
    { title: t('linkage.mergedAt'), dataIndex: 'mergedAt', render: time },
    {
      title: t('common.actions'),
      key: 'undo',
      render: (_, m) => (
        <Popconfirm title={t('linkage.undoConfirm')} onConfirm={() => undo.mutate(m.id)}>
          <Button size="small">{t('linkage.undo')}</Button>
        </Popconfirm>
      ),
    },
  ];

  if (matches.error) return <ErrorResult error={matches.error} />;
  return (
    <>
      <PageTitle
        title={t('linkage.title')}
        extra={can('ledger.linkage.run') && <Button onClick={() => run.mutate()} loading={run.isPending}>{t('linkage.run')}</Button>}
      >
        {t('linkage.title')}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t('linkage.intro', { auto: matches.data?.autoMergeScore ?? '', review: matches.data?.reviewScore ?? '' })}</Typography.Paragraph>
      {failure && <Alert type="error" showIcon title={failure.message} style={{ marginBottom: 16 }} />}
      <List
        loading={matches.isLoading}
        dataSource={matches.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('linkage.none')} /> }}
        renderItem={(m) => (
          <List.Item key={m.id}>
            <Flex vertical gap="small" style={{ width: '100%' }} role="group" aria-label={t('linkage.pair', { a: m.a.name, b: m.b.name })}>
              <Flex justify="space-between" align="center" wrap gap="small">
                <Space wrap>
                  <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
                    {t('linkage.score')} {m.score.toFixed(1)}
                  </Typography.Text>
                  <Evidence match={m} />
                </Space>
                <Space>
                  <Button type="primary" onClick={() => accept.mutate(m.id)} loading={accept.isPending && accept.variables === m.id}>
                    {t('linkage.same')}
                  </Button>
                  <Button onClick={() => reject.mutate(m.id)} loading={reject.isPending && reject.variables === m.id}>
                    {t('linkage.different')}
                  </Button>
                </Space>
              </Flex>
              <Flex gap="middle" wrap>
                <PersonCard side={m.a} />
                <PersonCard side={m.b} />
              </Flex>
            </Flex>
          </List.Item>
        )}
      />
      <Typography.Title level={2}>{t('linkage.recent')}</Typography.Title>
      <Table rowKey="id" size="small" loading={merges.isLoading} columns={mergeColumns} dataSource={merges.data?.items ?? []} pagination={false} scroll={{ x: 'max-content' }} />
    </>
  );
}
