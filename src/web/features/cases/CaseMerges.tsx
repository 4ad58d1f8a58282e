import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Empty, Flex, Image, Input, List, Modal, Radio, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import type { CaseDetail } from '../../types.ts';
import { caseStatusColor, caseStatusLabel } from './caseLabels.ts';

/**
 * 重复上报与关注 on the case page: how many reports the case stands for and who follows it, the
 * master of a merged duplicate, the duplicates merged into this case (with their photos and an
 * "取消合并" for the desk), and "合并到…" for the desk while the case may still be merged.
 */
export function CaseMerges({ kase }: { kase: CaseDetail }) {
  const { t } = usePreferences();
  const [merging, setMerging] = useState(false);
  const canMerge = kase.allowedActions.includes('merge');

  return (
    <Card
      title={t('merge.title')}
      data-testid="case-merges"
      extra={
        canMerge && (
          <Button size="large" onClick={() => setMerging(true)} data-testid="merge-open">
            {t('merge.mergeTo')}
          </Button>
        )
      }
    >
      <Flex vertical gap="middle">
        {kase.mergedInto && (
          <Alert
            type="info"
            showIcon
            message={t('merge.mergedInto', { number: kase.mergedInto.number })}
            action={
              <Link to={`/cases/${kase.mergedInto.id}`}>
                <Button>{t('merge.openMaster')}</Button>
              </Link>
            }
            data-testid="merged-into"
          />
        )}
        <Descriptions
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'reports', label: t('merge.reportCount'), children: <span data-testid="report-count">{kase.reportCount}</span> },
            { key: 'followers', label: t('merge.followers'), children: <span data-testid="follower-count">{kase.followers}</span> },
          ]}
        />
        {kase.following && <FollowingNote kase={kase} />}
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('merge.reports')}
        </Typography.Title>
        {kase.mergedReports.length === 0 ? (
          <Typography.Text type="secondary">{t('merge.noReports')}</Typography.Text>
        ) : (
          <List dataSource={kase.mergedReports} renderItem={(report) => <MergedReportItem master={kase} report={report} />} data-testid="merged-reports" />
        )}
      </Flex>
      {merging && <MergeModal kase={kase} onClose={() => setMerging(false)} />}
    </Card>
  );
}

function FollowingNote({ kase }: { kase: CaseDetail }) {
  const { t } = usePreferences();
  const queryClient = useQueryClient();
  const unfollow = useMutation({
    mutationFn: () => api.unfollowCase(kase.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['case', kase.id] }),
  });
  return (
    <Flex gap="middle" align="center" wrap>
      <Tag color="blue">{t('merge.following')}</Tag>
      <Button loading={unfollow.isPending} onClick={() => unfollow.mutate()} data-testid="unfollow">
        {t('merge.unfollow')}
      </Button>
    </Flex>
  );
}

type MergedReport = CaseDetail['mergedReports'][number];

/** One merged duplicate; its own page says whether the caller may unmerge it (the desk). */
function MergedReportItem({ master, report }: { master: CaseDetail; report: MergedReport }) {
  const { locale, t } = usePreferences();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const duplicate = useQuery({ queryKey: ['case', report.id], queryFn: () => api.case(report.id), retry: false });
  const canUnmerge = duplicate.data?.allowedActions.includes('unmerge') ?? false;
  const unmerge = useMutation({
    mutationFn: () => api.transitionCase(report.id, { action: 'unmerge' }),
    onSuccess: async () => {
      void message.success(t('merge.unmerged', { number: report.number }));
      await queryClient.invalidateQueries({ queryKey: ['case'] });
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
    },
    onError: (error) => void message.error(error.message),
  });
  const confirm = () =>
    void modal.confirm({
      title: t('merge.unmerge'),
      content: t('merge.unmergeConfirm', { number: report.number }),
      okText: t('merge.unmerge'),
      cancelText: t('common.cancel'),
      onOk: () => unmerge.mutateAsync(),
    });
  return (
    <List.Item
      key={report.id}
      data-testid={`merged-report-${report.number}`}
      actions={
        canUnmerge && master.status !== 'merged'
          ? [
              <Button key="unmerge" danger loading={unmerge.isPending} onClick={confirm} data-testid={`unmerge-${report.number}`}>
                {t('merge.unmerge')}
              </Button>,
            ]
          : []
      }
    >
      <List.Item.Meta
        title={duplicate.data ? <Link to={`/cases/${report.id}`}>{report.number}</Link> : report.number}
        description={
          <Flex vertical gap="small">
            <span>{report.description}</span>
            <Typography.Text type="secondary">{formatDateTime(report.createdAt, locale)}</Typography.Text>
            {report.photos.length > 0 && (
              <Image.PreviewGroup>
                <Flex gap="small" wrap>
                  {report.photos.map((p) => (
                    <Image key={p.id} src={p.thumbnailUrl} preview={{ src: p.url }} width={72} height={72} style={{ objectFit: 'cover', borderRadius: 6 }} alt={report.number} />
                  ))}
                </Flex>
              </Image.PreviewGroup>
            )}
          </Flex>
        }
      />
    </List.Item>
  );
}

/** 合并到…: pick among the similar open cases nearby, or enter a case number. */
function MergeModal({ kase, onClose }: { kase: CaseDetail; onClose: () => void }) {
  const { locale, t } = usePreferences();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<string | null>(null);
  const [number, setNumber] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const similar = useQuery({
    queryKey: ['case', kase.id, 'similar'],
    queryFn: () =>
      api.similarCases({
        description: kase.description,
        categoryCode: kase.categoryCode ?? undefined,
        regionCode: kase.regionCode,
        lat: kase.lat ?? undefined,
        lng: kase.lng ?? undefined,
      }),
  });
  const options = (similar.data?.items ?? []).filter((c) => c.id !== kase.id);
  const merge = useMutation({
    mutationFn: async () => {
      let masterId = picked;
      const typed = number.trim().toUpperCase();
      if (typed) {
        const found = await api.cases({ q: typed, limit: 1, offset: 0 });
        const match = found.items.find((c) => c.number === typed);
        if (!match) throw new Error(t('merge.numberNotFound', { number: typed }));
        masterId = match.id;
      }
      if (!masterId) throw new Error(t('merge.pickOne'));
      return api.transitionCase(kase.id, { action: 'merge', masterId });
    },
    onSuccess: async (updated) => {
      queryClient.setQueryData(['case', kase.id], updated);
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
      if (updated.mergedInto) await queryClient.invalidateQueries({ queryKey: ['case', updated.mergedInto.id] });
      void message.success(t('merge.merged', { number: updated.mergedInto?.number ?? '' }));
      onClose();
    },
    onError: (error) => setProblem(error.message),
  });

  return (
    <Modal open title={t('merge.mergeTitle')} onCancel={onClose} onOk={() => merge.mutate()} okText={t('merge.mergeTo')} okButtonProps={{ loading: merge.isPending, size: 'large', 'data-testid': 'merge-submit' }} cancelText={t('common.cancel')} destroyOnHidden width={720}>
      <Flex vertical gap="middle">
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('merge.mergeHint')}
        </Typography.Paragraph>
        <Typography.Text strong>{t('merge.similar')}</Typography.Text>
        {similar.isPending ? (
          <Spin />
        ) : options.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('merge.noSimilar')} />
        ) : (
          <Radio.Group value={picked} onChange={(e) => { setPicked(e.target.value as string); setNumber(''); }} data-testid="merge-similar">
            <Flex vertical gap="small">
              {options.map((c) => (
                <Radio key={c.id} value={c.id}>
                  <Flex vertical>
                    <span>
                      <Typography.Text strong>{c.number}</Typography.Text> <Tag color={caseStatusColor(c.status)}>{caseStatusLabel(c.status, locale)}</Tag> {c.categoryName}
                    </span>
                    <span>{c.description}</span>
                    <Typography.Text type="secondary">
                      {formatDateTime(c.createdAt, locale)}
                      {c.distanceMeters !== null && ` · ${t('merge.distance', { meters: c.distanceMeters })}`} · {t('merge.score', { score: c.score.toFixed(2) })}
                    </Typography.Text>
                  </Flex>
                </Radio>
              ))}
            </Flex>
          </Radio.Group>
        )}
        <Typography.Text strong>{t('merge.byNumber')}</Typography.Text>
        <Input
          size="large"
          value={number}
          placeholder={t('merge.numberPlaceholder')}
          onChange={(e) => {
            setNumber(e.target.value);
            if (e.target.value) setPicked(null);
          }}
          data-testid="merge-number"
        />
        {problem && <Alert type="error" showIcon message={problem} data-testid="merge-error" />}
      </Flex>
    </Modal>
  );
}
