import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Form, Input, Modal, Segmented, Select, Table, Tag, type TableColumnsType } from 'antd';
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
        <Button size="small" onClick={() => setVisiting(w)} data-testid="worklist-visit">
          {t('services.visit')}
        </Button>
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
