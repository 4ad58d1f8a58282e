import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, List, Space, Steps, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import { useSession } from '../../session.tsx';
import { civicApi, failureOf, type Hotspot, type ProposalDetail, type ProposalSummary } from './civicApi.ts';

const STATUS_COLOURS: Record<string, string> = { discussion: 'blue', threshold_met: 'gold', voting: 'purple', accepted: 'green', rejected: 'default', done: 'cyan' };

/** One proposal for the committee: open its vote, then record who carries it out and how it goes. */
function ProposalDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { locale, t } = usePreferences();
  const queryClient = useQueryClient();
  const proposal = useQuery({ queryKey: ['civic', 'proposal', id], queryFn: () => civicApi.proposal(id) });
  const [closesAt, setClosesAt] = useState<Dayjs | null>(dayjs().add(7, 'day'));
  const [options, setOptions] = useState('');
  const [responsible, setResponsible] = useState('');
  const [milestones, setMilestones] = useState('');
  const [note, setNote] = useState('');
  const done = (data: ProposalDetail) => {
    queryClient.setQueryData(['civic', 'proposal', id], data);
    void queryClient.invalidateQueries({ queryKey: ['civic', 'proposals'] });
  };
  const open = useMutation({
    mutationFn: () => {
      const choices = options.split(/[,，\n]/).map((o) => o.trim()).filter(Boolean);
      return civicApi.openVote(id, { closesAt: (closesAt ?? dayjs().add(7, 'day')).toISOString(), ...(choices.length ? { kind: 'choices' as const, options: choices } : { kind: 'yes_no' as const }) });
    },
    onSuccess: done,
  });
  const account = useMutation({
    mutationFn: () => civicApi.accountability(id, { responsible, milestones: milestones.split('\n').map((m) => m.trim()).filter(Boolean).map((title) => ({ title })) }),
    onSuccess: done,
  });
  const progress = useMutation({ mutationFn: (input: { milestoneId?: string }) => civicApi.progress(id, { note, ...(input.milestoneId ? { milestoneId: input.milestoneId, milestoneDone: true } : {}) }), onSuccess: (d) => { setNote(''); done(d); } });
  const complete = useMutation({ mutationFn: () => civicApi.complete(id, note), onSuccess: done });
  const p = proposal.data;
  const failure = failureOf(open.error, account.error, progress.error, complete.error);
  const label = (value: string) => p?.voteOptions?.find((o) => o.value === value)?.label ?? value;

  return (
    <Drawer open width={640} title={p?.title} onClose={onClose} data-testid="proposal-drawer">
      {proposal.isError && <ErrorResult error={proposal.error} onRetry={() => void proposal.refetch()} />}
      {p && (
        <Space direction="vertical" style={{ width: '100%' }} size="large">
          {failure && <Alert type="error" showIcon message={failure} />}
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('civic.proposal.status')}><Tag color={STATUS_COLOURS[p.status]}>{p.statusLabel}</Tag></Descriptions.Item>
            <Descriptions.Item label={t('civic.proposal.scope')}>{p.scopeName}</Descriptions.Item>
            <Descriptions.Item label={t('civic.proposal.proposer')}>{p.proposerName}</Descriptions.Item>
            <Descriptions.Item label={t('civic.proposal.supports')}>{`${p.supportCount} / ${p.supportThreshold}`}</Descriptions.Item>
            {p.hotspot && <Descriptions.Item label={t('civic.proposal.hotspot')}>{`${p.hotspot.categoryName} × ${p.hotspot.count}: ${p.hotspot.caseNumbers.join(', ')}`}</Descriptions.Item>}
            {p.voteClosesAt && <Descriptions.Item label={t('civic.proposal.closesAt')}>{formatDateTime(p.voteClosesAt, locale)}</Descriptions.Item>}
          </Descriptions>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{p.description}</Typography.Paragraph>
          {p.status === 'threshold_met' && (
            <Card size="small" title={t('civic.proposal.openVote')}>
              <Space direction="vertical" style={{ width: '100%' }}>
                <DatePicker showTime value={closesAt} onChange={setClosesAt} aria-label={t('civic.proposal.closesAt')} />
                <Input.TextArea rows={2} value={options} onChange={(e) => setOptions(e.target.value)} placeholder={t('civic.proposal.optionsHint')} />
                <Button type="primary" loading={open.isPending} onClick={() => open.mutate()} data-testid="proposal-open-vote">{t('civic.proposal.openVote')}</Button>
              </Space>
            </Card>
          )}
          {p.result && (
            <Card size="small" title={t('civic.proposal.result')}>
              {Object.entries(p.result.counts).map(([choice, n]) => <Tag key={choice}>{`${label(choice)} ${n}`}</Tag>)}
              <Typography.Paragraph type="secondary">{t('civic.m.turnout', { total: p.result.total, eligible: p.result.eligible })}</Typography.Paragraph>
            </Card>
          )}
          {(p.status === 'accepted' || p.status === 'done') && (
            <Card size="small" title={t('civic.m.accountability')}>
              {p.responsible && <Typography.Paragraph>{t('civic.m.responsible', { who: p.responsible })}</Typography.Paragraph>}
              {p.milestones.length > 0 && (
                <Steps direction="vertical" size="small" items={p.milestones.map((m) => ({ title: m.title, description: m.dueDate ?? undefined, status: m.doneAt ? 'finish' : 'wait' }))} />
              )}
              <List size="small" dataSource={p.progress} renderItem={(u) => <List.Item>{`${formatDateTime(u.createdAt, locale)} ${u.authorName}：${u.note}`}</List.Item>} />
              {p.status === 'accepted' && (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Input value={responsible} onChange={(e) => setResponsible(e.target.value)} placeholder={t('civic.proposal.responsible')} />
                  <Input.TextArea rows={3} value={milestones} onChange={(e) => setMilestones(e.target.value)} placeholder={t('civic.proposal.milestonesHint')} />
                  <Button disabled={!responsible.trim()} loading={account.isPending} onClick={() => account.mutate()}>{t('civic.proposal.saveAccountability')}</Button>
                  <Input.TextArea rows={2} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('civic.proposal.progressHint')} />
                  <Space wrap>
                    <Button disabled={!note.trim()} loading={progress.isPending} onClick={() => progress.mutate({})}>{t('civic.proposal.addProgress')}</Button>
                    {p.milestones.filter((m) => !m.doneAt).map((m) => (
                      <Button key={m.id} disabled={!note.trim()} onClick={() => progress.mutate({ milestoneId: m.id })}>{t('civic.proposal.finishMilestone', { title: m.title })}</Button>
                    ))}
                    <Button type="primary" disabled={!note.trim()} loading={complete.isPending} onClick={() => complete.mutate()}>{t('civic.proposal.complete')}</Button>
                  </Space>
                </Space>
              )}
            </Card>
          )}
          <Card size="small" title={t('civic.m.discussion', { n: p.comments.length })}>
            <List size="small" dataSource={p.comments} renderItem={(c) => <List.Item>{`${c.authorName}：${c.body}`}</List.Item>} />
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

/** 居民议事: proposals of the committee, hotspots from cases to put to the residents, the support threshold. */
export function ProposalsPage() {
  const { locale, t } = usePreferences();
  const me = useSession();
  const queryClient = useQueryClient();
  const proposals = useQuery({ queryKey: ['civic', 'proposals'], queryFn: civicApi.proposals });
  const hotspots = useQuery({ queryKey: ['civic', 'hotspots'], queryFn: civicApi.hotspots });
  const committee = me.assignment.regionCode;
  const threshold = useQuery({ queryKey: ['civic', 'threshold', committee], queryFn: () => civicApi.threshold(committee), retry: false });
  const [selected, setSelected] = useState<string | null>(null);
  const [newThreshold, setNewThreshold] = useState<number | null>(null);
  const setThreshold = useMutation({ mutationFn: (n: number) => civicApi.setThreshold(committee, n), onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['civic', 'threshold'] }) });
  const fromHotspot = useMutation({
    mutationFn: (h: Hotspot) => civicApi.fromHotspot({ categoryCode: h.categoryCode, regionCode: h.regionCode, title: t('civic.proposal.hotspotTitle', { place: h.regionName, category: h.categoryName }), description: t('civic.proposal.hotspotText', { n: h.count, category: h.categoryName }) }),
    onSuccess: (p) => {
      void queryClient.invalidateQueries({ queryKey: ['civic', 'proposals'] });
      setSelected(p.id);
    },
  });

  const columns: TableColumnsType<ProposalSummary> = [
    { title: t('civic.notice.title'), dataIndex: 'title', render: (title: string, p) => <Button type="link" onClick={() => setSelected(p.id)} data-testid="proposal-open">{title}</Button> },
    { title: t('civic.proposal.scope'), dataIndex: 'scopeName' },
    { title: t('civic.proposal.status'), dataIndex: 'statusLabel', render: (label: string, p) => <Tag color={STATUS_COLOURS[p.status]}>{label}</Tag> },
    { title: t('civic.proposal.supports'), dataIndex: 'supportCount', render: (n: number, p) => `${n} / ${p.supportThreshold}` },
    { title: t('civic.proposal.closesAt'), dataIndex: 'voteClosesAt', responsive: ['md'], render: (at: string | null) => (at ? formatDateTime(at, locale) : '—') },
  ];
  const hotspotColumns: TableColumnsType<Hotspot> = [
    { title: t('civic.proposal.place'), dataIndex: 'regionName' },
    { title: t('civic.proposal.category'), dataIndex: 'categoryName' },
    { title: t('civic.proposal.cases'), dataIndex: 'count' },
    { title: t('civic.proposal.lastAt'), dataIndex: 'lastAt', render: (at: string) => formatDateTime(at, locale) },
    { title: '', key: 'go', render: (_: unknown, h) => <Button loading={fromHotspot.isPending && fromHotspot.variables === h} onClick={() => fromHotspot.mutate(h)}>{t('civic.proposal.toProposal')}</Button> },
  ];

  return (
    <>
      <PageTitle title={t('nav.proposals')}>{t('nav.proposals')}</PageTitle>
      <Card>
        <Typography.Paragraph type="secondary">{t('civic.proposal.intro')}</Typography.Paragraph>
        {failureOf(fromHotspot.error, setThreshold.error) && <Alert type="error" showIcon message={failureOf(fromHotspot.error, setThreshold.error)} />}
        <Tabs
          items={[
            {
              key: 'proposals',
              label: t('nav.proposals'),
              children: proposals.isError ? <ErrorResult error={proposals.error} onRetry={() => void proposals.refetch()} /> : <Table rowKey="id" loading={proposals.isPending} dataSource={proposals.data?.items ?? []} columns={columns} pagination={{ pageSize: 20 }} />,
            },
            {
              key: 'hotspots',
              label: t('civic.proposal.hotspots'),
              children: (
                <>
                  <Typography.Paragraph type="secondary">{t('civic.proposal.hotspotsIntro')}</Typography.Paragraph>
                  <Table rowKey={(h) => `${h.categoryCode}-${h.regionCode}`} loading={hotspots.isPending} dataSource={hotspots.data?.items ?? []} columns={hotspotColumns} pagination={{ pageSize: 20 }} />
                </>
              ),
            },
            ...(threshold.data
              ? [
                  {
                    key: 'threshold',
                    label: t('civic.proposal.threshold'),
                    children: (
                      <Form layout="inline" onFinish={() => newThreshold && setThreshold.mutate(newThreshold)}>
                        <Form.Item label={t('civic.proposal.threshold')}>
                          <InputNumber min={1} max={10000} value={newThreshold ?? threshold.data.supportThreshold} onChange={(v) => setNewThreshold(v)} />
                        </Form.Item>
                        <Button htmlType="submit" loading={setThreshold.isPending}>{t('civic.save')}</Button>
                      </Form>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {selected && <ProposalDrawer id={selected} onClose={() => setSelected(null)} />}
    </>
  );
}
