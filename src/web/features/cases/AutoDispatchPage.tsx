import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, InputNumber, Modal, Popconfirm, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import { useCan, useSession } from '../../session.tsx';
import type { AutoDispatchRule } from '../../types.ts';

/** 自动派遣: the categories whose clear reports skip the desk, and how sure the classifier must be. */
export function AutoDispatchPage() {
  const { locale, t } = usePreferences();
  const can = useCan();
  const me = useSession();
  const queryClient = useQueryClient();
  const manage = can('case.autoDispatch.manage') && !me.assignment.regionPath.includes('.');
  const rules = useQuery({ queryKey: ['auto-dispatch'], queryFn: api.autoDispatchRules });
  const [adding, setAdding] = useState(false);
  const remove = useMutation({ mutationFn: api.removeAutoDispatchRule, onSuccess: (data) => queryClient.setQueryData(['auto-dispatch'], data) });

  return (
    <>
      <PageTitle
        title={t('auto.title')}
        extra={
          manage && (
            <Button type="primary" size="large" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="auto-add">
              {t('auto.add')}
            </Button>
          )
        }
      >
        {t('auto.title')}
      </PageTitle>
      <Card>
        <Typography.Paragraph type="secondary">{t('auto.intro')}</Typography.Paragraph>
        {rules.isError ? (
          <ErrorResult error={rules.error} onRetry={() => void rules.refetch()} />
        ) : (
          <Table<AutoDispatchRule>
            rowKey="categoryCode"
            loading={rules.isPending}
            dataSource={rules.data?.items ?? []}
            pagination={false}
            data-testid="auto-rules"
            columns={[
              { title: t('case.category'), dataIndex: 'categoryName', render: (name: string, r) => `${name}（${r.categoryCode}）` },
              { title: t('auto.minScore'), dataIndex: 'minScore', render: (score: number) => `≥ ${score}` },
              { title: t('auto.updated'), dataIndex: 'updatedAt', responsive: ['md'], render: (at: string) => formatDateTime(at, locale) },
              ...(manage
                ? [
                    {
                      key: 'remove',
                      title: '',
                      render: (_: unknown, r: AutoDispatchRule) => (
                        <Popconfirm title={t('auto.removeConfirm')} onConfirm={() => remove.mutate(r.categoryCode)}>
                          <Button danger>{t('auto.remove')}</Button>
                        </Popconfirm>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Card>
      {adding && <AddRule onClose={() => setAdding(false)} />}
    </>
  );
}

function AddRule({ onClose }: { onClose: () => void }) {
  const { locale, t } = usePreferences();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ categoryCode: string; minScore: number }>();
  const categories = useQuery({ queryKey: ['categories', 'selectable'], queryFn: () => api.categories({ selectable: true }) });
  const save = useMutation({
    mutationFn: (v: { categoryCode: string; minScore: number }) => api.setAutoDispatchRule(v.categoryCode, v.minScore),
    onSuccess: (data) => {
      queryClient.setQueryData(['auto-dispatch'], data);
      onClose();
    },
  });
  return (
    <Modal open title={t('auto.add')} onCancel={onClose} onOk={() => form.submit()} okButtonProps={{ loading: save.isPending }} destroyOnHidden>
      <Form form={form} layout="vertical" size="large" initialValues={{ minScore: 0.9 }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="categoryCode" label={t('case.category')} rules={[{ required: true, message: t('case.categoryRequired') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={categories.isFetching}
            options={(categories.data?.items ?? []).map((c) => ({ value: c.code, label: `${c.code} ${locale === 'en' ? c.nameEn : c.name}` }))}
          />
        </Form.Item>
        <Form.Item name="minScore" label={t('auto.minScore')} extra={t('auto.minScoreHint')} rules={[{ required: true }]}>
          <InputNumber min={0.5} max={1} step={0.05} style={{ width: 160 }} />
        </Form.Item>
        {save.isError && <Alert type="error" showIcon message={save.error.message} />}
      </Form>
    </Modal>
  );
}
