import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Segmented, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { UPTAKE_LABELS, VISIT_OUTCOMES, type UptakeStatus, type VisitOutcome } from '../../../shared/services.ts';
import type { UiKey } from '../../../shared/i18n/ui.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import { servicesApi, type WorkItem } from './servicesApi.ts';

const PAGE = 50;
type View = 'open' | 'unreached' | 'all';

/** 待走访: eligible residents of the worker's committee not reached yet, applications waiting, follow-ups due; a visit is logged from the row. */
export function WorklistPage() {
  const { t, locale } = usePreferences();
  const [view, setView] = useState<View>('open');
  const [page, setPage] = useState(1);
  const [visiting, setVisiting] = useState<WorkItem | null>(null);
  const [acting, setActing] = useState<{ item: WorkItem; kind: 'link' | 'proxy' } | null>(null);
  const list = useQuery({ queryKey: ['services', 'worklist', view, page], queryFn: () => servicesApi.worklist({ view, limit: PAGE, offset: (page - 1) * PAGE }), placeholderData: keepPreviousData });
  const columns: TableColumnsType<WorkItem> = [
    { title: t('services.col.person'), dataIndex: 'name', render: (name: string, w) => `${name}${w.age !== null ? `（${w.age}）` : ''}` },
    { title: t('services.col.name'), dataIndex: 'serviceName' },
    { title: t('services.col.status'), dataIndex: 'status', render: (s: UptakeStatus) => <Tag color={s === 'applied' ? 'orange' : s === 'matched' ? 'blue' : 'default'}>{UPTAKE_LABELS[s][locale]}</Tag> },
    { title: t('services.col.reasons'), dataIndex: 'reasons', render: (r: string[]) => r.join('；') },
    { title: t('services.col.followUp'), dataIndex: 'followUpOn', render: (d: string | null) => d ?? '—' },
    {
      key: 'visit',
      render: (_v, w) => (
        <Space size="small" wrap>
          <Button size="small" onClick={() => setVisiting(w)} data-testid="worklist-visit">
            {t('services.visit')}
          </Button>
          <Button size="small" onClick={() => setActing({ item: w, kind: 'link' })} data-testid="worklist-link">
            {t('services.link')}
          </Button>
          <Button size="small" onClick={() => setActing({ item: w, kind: 'proxy' })} data-testid="worklist-proxy">
            {t('services.proxy')}
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <>
      <PageTitle title={t('services.worklist.title')}>{t('services.worklist.title')}</PageTitle>
      <Card>
        <Segmented<View>
          value={view}
          onChange={(v) => {
            setView(v);
            setPage(1);
          }}
          options={(['open', 'unreached', 'all'] as const).map((v) => ({ value: v, label: t(`services.worklist.view.${v}` as UiKey) }))}
        />
        {list.isError ? (
          <ErrorResult error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table
            rowKey="matchId"
            loading={list.isPending}
            dataSource={list.data?.items ?? []}
            columns={columns}
            pagination={{ current: page, pageSize: PAGE, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
            data-testid="worklist-table"
          />
        )}
      </Card>
      {visiting && <VisitDialog item={visiting} onClose={() => setVisiting(null)} />}
      {acting?.kind === 'link' && <LinkDialog item={acting.item} onClose={() => setActing(null)} />}
      {acting?.kind === 'proxy' && <ProxyDialog item={acting.item} onClose={() => setActing(null)} />}
    </>
  );
}

interface VisitForm {
  visitedOn: dayjs.Dayjs;
  outcome: VisitOutcome;
  note?: string;
  followUpOn?: dayjs.Dayjs | null;
  declineReason?: string;
}

function VisitDialog({ item, onClose }: { item: WorkItem; onClose: () => void }) {
  const { t } = usePreferences();
  const client = useQueryClient();
  const [form] = Form.useForm<VisitForm>();
  const outcome = Form.useWatch('outcome', form);
  const save = useMutation({
    mutationFn: (v: VisitForm) =>
      servicesApi.visit(item.matchId, {
        visitedOn: v.visitedOn.format('YYYY-MM-DD'), outcome: v.outcome, ...(v.note ? { note: v.note } : {}), followUpOn: v.followUpOn ? v.followUpOn.format('YYYY-MM-DD') : null,
        ...(v.declineReason ? { declineReason: v.declineReason } : {}),
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['services'] });
      onClose();
    },
  });
  return (
    <Modal open title={`${t('services.visit')} · ${item.name} · ${item.serviceName}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} okText={t('common.save')} cancelText={t('common.cancel')}>
      <Form<VisitForm> form={form} layout="vertical" initialValues={{ visitedOn: dayjs(), outcome: 'informed' }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="visitedOn" label={t('services.visit.date')} rules={[{ required: true }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="outcome" label={t('services.visit.outcome')} rules={[{ required: true }]}>
          <Select options={VISIT_OUTCOMES.map((o) => ({ value: o, label: t(`services.outcome.${o}` as UiKey) }))} />
        </Form.Item>
        {outcome === 'declined' && (
          <Form.Item name="declineReason" label={t('services.visit.declineReason')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={200} />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('services.visit.note')}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
        <Form.Item name="followUpOn" label={t('services.visit.followUp')}>
          <DatePicker />
        </Form.Item>
      </Form>
      {save.isError && <Alert type="error" showIcon message={save.error.message} />}
    </Modal>
  );
}

/** 上门确认实名: after checking the ID card in person, the worker links the resident's app account to the ledger person. */
function LinkDialog({ item, onClose }: { item: WorkItem; onClose: () => void }) {
  const { t } = usePreferences();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ username: string }>();
  const save = useMutation({
    mutationFn: (v: { username: string }) => servicesApi.confirmLink(item.personId, v.username.trim()),
    onSuccess: () => {
      void message.success(t('services.link.done'));
      onClose();
    },
  });
  return (
    <Modal open title={t('services.link.title', { name: item.name })} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} okText={t('services.link')} cancelText={t('common.cancel')}>
      <Typography.Paragraph type="secondary">{t('services.link.hint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="username" label={t('services.link.username')} rules={[{ required: true, whitespace: true, max: 60 }]}>
          <Input autoComplete="off" data-testid="link-username" />
        </Form.Item>
      </Form>
      {save.isError && <Alert type="error" showIcon message={save.error.message} />}
    </Modal>
  );
}

interface ProxyForm {
  agentUsername: string;
  relation: string;
  note?: string;
}

/** 书面委托: the worker records a written authorisation for a resident of their committee (the letter is filed on paper). */
function ProxyDialog({ item, onClose }: { item: WorkItem; onClose: () => void }) {
  const { t } = usePreferences();
  const { message } = App.useApp();
  const [form] = Form.useForm<ProxyForm>();
  const save = useMutation({
    mutationFn: (v: ProxyForm) => servicesApi.writtenProxy({ personId: item.personId, agentUsername: v.agentUsername.trim(), relation: v.relation.trim(), ...(v.note?.trim() ? { note: v.note.trim() } : {}) }),
    onSuccess: () => {
      void message.success(t('services.proxy.done'));
      onClose();
    },
  });
  return (
    <Modal open title={t('services.proxy.title', { name: item.name })} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} okText={t('common.save')} cancelText={t('common.cancel')}>
      <Form<ProxyForm> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="agentUsername" label={t('services.proxy.agent')} rules={[{ required: true, whitespace: true, max: 60 }]}>
          <Input autoComplete="off" data-testid="proxy-agent" />
        </Form.Item>
        <Form.Item name="relation" label={t('services.proxy.relation')} rules={[{ required: true, whitespace: true, max: 20 }]}>
          <Input data-testid="proxy-relation" />
        </Form.Item>
        <Form.Item name="note" label={t('services.proxy.note')} rules={[{ max: 200 }]}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
      {save.isError && <Alert type="error" showIcon message={save.error.message} />}
    </Modal>
  );
}
