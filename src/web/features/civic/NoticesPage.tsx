import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Form, Input, Modal, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import { useCan } from '../../session.tsx';
import { NOTICE_TAG_CHOICES } from '../../../shared/civic.ts';
import { civicApi, failureOf, type Notice } from './civicApi.ts';

interface NoticeForm {
  title: string;
  body: string;
  link?: string;
  regionCode?: string;
  tags?: string[];
  validUntil?: Dayjs | null;
}

/** 公告: the notices of the caller's scope with their read receipts; committees and streets publish. */
export function NoticesPage() {
  const { locale, t } = usePreferences();
  const can = useCan();
  const queryClient = useQueryClient();
  const notices = useQuery({ queryKey: ['civic', 'notices'], queryFn: civicApi.notices });
  const [adding, setAdding] = useState(false);
  const [readsOf, setReadsOf] = useState<Notice | null>(null);
  const [form] = Form.useForm<NoticeForm>();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['civic', 'notices'] });
  const publish = useMutation({
    mutationFn: (v: NoticeForm) =>
      civicApi.publishNotice({
        title: v.title,
        body: v.body,
        ...(v.link ? { link: v.link } : {}),
        ...(v.regionCode ? { regionCode: v.regionCode } : {}),
        tags: v.tags ?? [],
        ...(v.validUntil ? { validUntil: v.validUntil.toISOString() } : {}),
      }),
    onSuccess: () => {
      setAdding(false);
      form.resetFields();
      refresh();
    },
  });
  const withdraw = useMutation({ mutationFn: civicApi.withdrawNotice, onSuccess: refresh });
  const regionCode = (Form.useWatch('regionCode', form) ?? '').trim();
  const tags = Form.useWatch('tags', form) ?? [];
  const regionOk = regionCode === '' || /^[0-9A-Za-z-]{6,40}$/.test(regionCode);
  const audience = useQuery({
    queryKey: ['civic', 'audience', regionCode, [...tags].sort().join(',')],
    queryFn: () => civicApi.audience(regionCode || undefined, tags),
    enabled: adding && regionOk,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const reads = useQuery({ queryKey: ['civic', 'reads', readsOf?.id], queryFn: () => civicApi.noticeReads(readsOf!.id), enabled: readsOf !== null });

  const tagName = (code: string) => NOTICE_TAG_CHOICES.find((c) => c.code === code)?.name[locale] ?? code;
  const columns: TableColumnsType<Notice> = [
    { title: t('civic.notice.title'), dataIndex: 'title', render: (title: string, n) => (<>{title}{n.withdrawn && <Tag color="default" style={{ marginInlineStart: 8 }}>{t('civic.notice.withdrawn')}</Tag>}</>) },
    { title: t('civic.notice.audience'), dataIndex: 'regionName', render: (name: string, n) => (<>{name} {n.tags.map((code) => <Tag key={code}>{tagName(code)}</Tag>)}</>) },
    { title: t('civic.notice.valid'), dataIndex: 'validFrom', responsive: ['md'], render: (from: string, n) => `${formatDateTime(from, locale)}${n.validUntil ? ` — ${formatDateTime(n.validUntil, locale)}` : ''}` },
    { title: t('civic.notice.reads'), dataIndex: 'readCount', render: (count: number, n) => <Button type="link" onClick={() => setReadsOf(n)} data-testid="notice-reads">{`${count} / ${n.audience ?? 0}`}</Button> },
    {
      title: '',
      key: 'actions',
      render: (_: unknown, n) => can('notice.publish') && !n.withdrawn && <Button danger size="small" loading={withdraw.isPending} onClick={() => withdraw.mutate(n.id)}>{t('civic.notice.withdraw')}</Button>,
    },
  ];

  return (
    <>
      <PageTitle
        title={t('nav.notices')}
        extra={
          can('notice.publish') && (
            <Button type="primary" size="large" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="notice-add">
              {t('civic.notice.publish')}
            </Button>
          )
        }
      >
        {t('nav.notices')}
      </PageTitle>
      <Card>
        <Typography.Paragraph type="secondary">{t('civic.notice.intro')}</Typography.Paragraph>
        {notices.isError ? <ErrorResult error={notices.error} onRetry={() => void notices.refetch()} /> : <Table rowKey="id" loading={notices.isPending} dataSource={notices.data?.items ?? []} columns={columns} pagination={{ pageSize: 20 }} />}
      </Card>
      <Modal open={adding} title={t('civic.notice.publish')} okText={t('civic.notice.publish')} confirmLoading={publish.isPending} onOk={() => form.submit()} onCancel={() => setAdding(false)} destroyOnHidden>
        {publish.error && <Alert type="error" showIcon message={failureOf(publish.error)} />}
        <Form form={form} layout="vertical" onFinish={(v) => publish.mutate(v)}>
          <Form.Item name="title" label={t('civic.notice.title')} rules={[{ required: true, max: 80 }]}>
            <Input data-testid="notice-title" />
          </Form.Item>
          <Form.Item name="body" label={t('civic.notice.body')} rules={[{ required: true, max: 4000 }]} extra={t('civic.notice.bodyHint')}>
            <Input.TextArea rows={6} data-testid="notice-body" />
          </Form.Item>
          <Form.Item name="regionCode" label={t('civic.notice.region')} extra={t('civic.notice.regionHint')}>
            <Input placeholder="310115005001" />
          </Form.Item>
          <Form.Item name="tags" label={t('civic.notice.tags')} extra={t('civic.notice.tagsHint')}>
            <Select mode="multiple" allowClear options={NOTICE_TAG_CHOICES.map((c) => ({ value: c.code, label: c.name[locale] }))} />
          </Form.Item>
          {audience.data && !audience.isError && regionOk && (
            <Alert
              type="info"
              data-testid="notice-audience"
              message={t('civic.notice.reach', { total: audience.data.total })}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  <li data-testid="notice-audience-linked">{tags.length ? t('civic.notice.reachLinked', { n: audience.data.linked }) : t('civic.notice.reachLinkedAll', { n: audience.data.linked })}</li>
                  <li data-testid="notice-audience-unlinked">{t('civic.notice.reachUnlinked', { n: audience.data.unlinked })}</li>
                </ul>
              }
              style={{ marginBottom: 16 }}
            />
          )}
          <Form.Item name="link" label={t('civic.notice.link')} rules={[{ type: 'url' }]}>
            <Input placeholder="https://" />
          </Form.Item>
          <Form.Item name="validUntil" label={t('civic.notice.validUntil')}>
            <DatePicker showTime />
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={readsOf !== null} title={readsOf?.title} footer={null} onCancel={() => setReadsOf(null)}>
        {reads.data && (
          <>
            <Typography.Paragraph>
              {t('civic.notice.readSummary', { read: reads.data.readCount, audience: reads.data.audience })}
              <br />
              <Typography.Text type="secondary" data-testid="notice-reads-split">
                {t('civic.notice.readSplit', { linked: reads.data.audienceLinked, unlinked: reads.data.audienceUnlinked })}
              </Typography.Text>
            </Typography.Paragraph>
            <Table size="small" rowKey={(r) => `${r.name}-${r.readAt}`} dataSource={reads.data.readers} pagination={{ pageSize: 10 }} columns={[{ title: t('civic.name'), dataIndex: 'name' }, { title: t('civic.notice.readAt'), dataIndex: 'readAt', render: (at: string) => formatDateTime(at, locale) }]} />
          </>
        )}
      </Modal>
    </>
  );
}
