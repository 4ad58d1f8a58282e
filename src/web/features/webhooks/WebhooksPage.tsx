import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Modal, Select, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import type { CreatedWebhook, Webhook } from '../../types.ts';

/** Event types an administrator usually wants; any `family.*` or exact type is accepted. */
const COMMON_EVENTS = ['case.*', 'case.reported', 'case.dispatched', 'case.handled', 'case.closed', 'case.rated', 'case.overdue', 'case.supervised', '*'];

/** 数据推送: where this region's domain events go, and how the last deliveries went. */
export function WebhooksPage() {
  const { locale, t } = usePreferences();
  const queryClient = useQueryClient();
  const hooks = useQuery({ queryKey: ['webhooks'], queryFn: api.webhooks });
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const toggle = useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) => api.setWebhookActive(id, active),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['webhooks'] }),
  });

  const columns: TableColumnsType<Webhook> = [
    { title: t('webhooks.url'), dataIndex: 'url', render: (url: string, w) => (<><Typography.Text code>{url}</Typography.Text>{w.description && <div>{w.description}</div>}</>) },
    { title: t('webhooks.events'), dataIndex: 'eventTypes', render: (types: string[]) => types.map((x) => <Tag key={x}>{x}</Tag>) },
    { title: t('webhooks.active'), dataIndex: 'active', render: (active: boolean, w) => <Switch checked={active} loading={toggle.isPending} onChange={(next) => toggle.mutate({ id: w.id, active: next })} aria-label={t('webhooks.active')} /> },
    { title: t('case.created'), dataIndex: 'createdAt', responsive: ['md'], render: (at: string) => formatDateTime(at, locale) },
  ];

  return (
    <>
      <PageTitle
        title={t('webhooks.title')}
        extra={
          <Button type="primary" size="large" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="webhook-add">
            {t('webhooks.add')}
          </Button>
        }
      >
        {t('webhooks.title')}
      </PageTitle>
      <Card>
        <Typography.Paragraph type="secondary">{t('webhooks.intro')}</Typography.Paragraph>
        {created && (
          <Alert
            type="warning"
            showIcon
            closable={{ onClose: () => setCreated(null) }}
            style={{ marginBottom: 16 }}
            message={t('webhooks.secretOnce')}
            description={<Typography.Text code copyable data-testid="webhook-secret">{created.secret}</Typography.Text>}
          />
        )}
        {hooks.isError ? (
          <ErrorResult error={hooks.error} onRetry={() => void hooks.refetch()} />
        ) : (
          <Table<Webhook>
            rowKey="id"
            columns={columns}
            dataSource={hooks.data?.items ?? []}
            loading={hooks.isPending}
            pagination={false}
            expandable={{ expandedRowRender: (w) => <Deliveries webhookId={w.id} /> }}
            data-testid="webhook-list"
          />
        )}
      </Card>
      {adding && (
        <AddWebhook
          onClose={() => setAdding(false)}
          onCreated={(w) => {
            setCreated(w);
            setAdding(false);
            void queryClient.invalidateQueries({ queryKey: ['webhooks'] });
          }}
        />
      )}
    </>
  );
}

function AddWebhook({ onClose, onCreated }: { onClose: () => void; onCreated: (w: CreatedWebhook) => void }) {
  const { t } = usePreferences();
  const [form] = Form.useForm<{ url: string; eventTypes: string[]; description?: string }>();
  const create = useMutation({ mutationFn: api.createWebhook, onSuccess: onCreated });
  return (
    <Modal open title={t('webhooks.add')} onCancel={onClose} onOk={() => form.submit()} okButtonProps={{ loading: create.isPending }} destroyOnHidden>
      <Form form={form} layout="vertical" size="large" initialValues={{ eventTypes: ['case.*'] }} onFinish={(v) => create.mutate({ url: v.url.trim(), eventTypes: v.eventTypes, description: v.description?.trim() })}>
        <Form.Item name="url" label={t('webhooks.url')} rules={[{ required: true, type: 'url' }, { pattern: /^https?:\/\//, message: 'http(s)://' }]}>
          <Input placeholder="https://" data-testid="webhook-url" />
        </Form.Item>
        <Form.Item name="eventTypes" label={t('webhooks.events')} rules={[{ required: true }]}>
          <Select mode="tags" options={COMMON_EVENTS.map((value) => ({ value, label: value }))} />
        </Form.Item>
        <Form.Item name="description" label={t('webhooks.description')} rules={[{ max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
        {create.isError && <Alert type="error" showIcon message={create.error.message} />}
      </Form>
    </Modal>
  );
}

function Deliveries({ webhookId }: { webhookId: string }) {
  const { locale, t } = usePreferences();
  const deliveries = useQuery({ queryKey: ['webhooks', webhookId, 'deliveries'], queryFn: () => api.webhookDeliveries(webhookId), refetchInterval: 15_000 });
  const color = { pending: 'orange', delivered: 'green', failed: 'red' } as const;
  return (
    <Table
      size="small"
      rowKey="id"
      loading={deliveries.isPending}
      dataSource={deliveries.data?.items ?? []}
      pagination={false}
      title={() => t('webhooks.deliveries')}
      columns={[
        { title: t('webhooks.events'), dataIndex: 'eventType' },
        { title: t('case.status'), dataIndex: 'status', render: (s: 'pending' | 'delivered' | 'failed') => <Tag color={color[s]}>{t(`webhooks.status.${s}`)}</Tag> },
        { title: t('webhooks.attempts'), dataIndex: 'attempts' },
        { title: 'HTTP', dataIndex: 'lastStatus', render: (s: number | null, d) => s ?? d.lastError ?? '' },
        { title: t('case.created'), dataIndex: 'deliveredAt', render: (at: string | null, d) => formatDateTime(at ?? d.nextAttemptAt, locale) },
      ]}
    />
  );
}
