import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Modal, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import { useCan } from '../../session.tsx';
import type { LedgerAuthorityView } from '../../types.ts';
import { fieldLabel, useShanghaiTime } from './fields.tsx';

type Entry = LedgerAuthorityView['items'][number];
type Change = LedgerAuthorityView['changes'][number];

/** 一数一源配置: each field's authoritative source; the data steward changes it with a reason, and every change is listed. */
export function AuthorityPage() {
  const { locale, t } = usePreferences();
  const can = useCan();
  const time = useShanghaiTime();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Entry | null>(null);
  const [form] = Form.useForm<{ source: string; reason: string }>();
  const tags = useQuery({ queryKey: ['ledger', 'tags'], queryFn: () => api.ledgerTags() });
  const sources = useQuery({ queryKey: ['ledger', 'sources'], queryFn: () => api.ledgerSources() });
  const authority = useQuery({ queryKey: ['ledger', 'authority'], queryFn: () => api.ledgerAuthority() });
  const label = (field: string) => fieldLabel(field, locale, tags.data?.items ?? []);
  const close = () => {
    setEditing(null);
    change.reset();
    form.resetFields();
  };
  const change = useMutation({
    mutationFn: (body: { source: string; reason: string }) => api.ledgerSetAuthority(editing!.field, body),
    onSuccess: async () => {
      close();
      await queryClient.invalidateQueries({ queryKey: ['ledger'] });
    },
  });

  return (
    <>
      <PageTitle title={t('ledger.authority.title')} extra={<Link to="/ledger">{t('ledger.back')}</Link>}>
        {t('ledger.authority.title')}
      </PageTitle>
      <Card>
        <Typography.Paragraph type="secondary">{t('ledger.authority.hint')}</Typography.Paragraph>
        {authority.isError ? (
          <ErrorResult error={authority.error} onRetry={() => void authority.refetch()} />
        ) : (
          <Table<Entry>
            size="small"
            rowKey="field"
            pagination={false}
            loading={authority.isFetching}
            dataSource={authority.data?.items ?? []}
            columns={[
              { title: t('ledger.field'), dataIndex: 'field', render: label },
              { title: t('ledger.authority.source'), dataIndex: 'source' },
              { title: t('ledger.authority.updatedAt'), dataIndex: 'updatedAt', render: time, responsive: ['md'] },
              ...(can('ledger.authority.manage')
                ? [
                    {
                      title: '',
                      key: 'change',
                      render: (_: unknown, entry: Entry) => (
                        <Button size="small" onClick={() => setEditing(entry)}>
                          {t('ledger.authority.change')}
                        </Button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Card>
      <Card title={t('ledger.authority.changes')} style={{ marginTop: 16 }}>
        <Table<Change>
          size="small"
          rowKey="id"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          dataSource={authority.data?.changes ?? []}
          columns={[
            { title: t('ledger.observedAt'), dataIndex: 'changedAt', render: time },
            { title: t('ledger.field'), dataIndex: 'field', render: label },
            { title: t('ledger.authority.from'), dataIndex: 'oldSource', render: (s: string | null) => s ?? t('common.none') },
            { title: t('ledger.authority.to'), dataIndex: 'newSource' },
            { title: t('ledger.authority.changedBy'), dataIndex: 'changedBy', render: (s: string | null) => s ?? t('common.none') },
            { title: t('ledger.authority.reason'), dataIndex: 'reason', responsive: ['md'] },
          ]}
        />
      </Card>
      <Modal
        open={editing !== null}
        title={editing ? t('ledger.authority.changeTitle', { field: label(editing.field) }) : ''}
        onCancel={close}
        onOk={() => form.submit()}
        confirmLoading={change.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ source: editing?.source }} onFinish={({ source, reason }) => change.mutate({ source, reason: reason.trim() })}>
          {change.error && <Alert type="error" showIcon title={change.error.message} style={{ marginBottom: 16 }} />}
          <Form.Item name="source" label={t('ledger.authority.source')} rules={[{ required: true }]}>
            <Select aria-label={t('ledger.authority.source')} options={(sources.data?.items ?? []).map((s) => ({ value: s.name, label: s.name }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('ledger.authority.reason')} rules={[{ required: true, whitespace: true, min: 2, message: t('ledger.authority.reasonRequired') }]}>
            <Input.TextArea maxLength={200} autoSize={{ minRows: 2 }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
