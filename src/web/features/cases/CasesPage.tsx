import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Modal, Radio, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { CASE_STATUS_LABELS, CASE_STATUSES, type CaseStatus } from '../../../shared/cases.ts';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import type { CaseView } from '../../types.ts';
import { caseStatusColor, caseStatusLabel } from './caseLabels.ts';
import { useReportPhotos } from './CasePhotos.tsx';

interface Filters {
  status: CaseStatus | undefined;
  page: number;
  pageSize: number;
}

/** Cases the signed-in person may see, newest first; residents see their own reports. */
export function CasesPage() {
  const { locale, t } = usePreferences();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<Filters>({ status: undefined, page: 1, pageSize: 20 });
  const [reporting, setReporting] = useState(false);
  const cases = useQuery({
    queryKey: ['cases', filters],
    queryFn: () => api.cases({ status: filters.status, limit: filters.pageSize, offset: (filters.page - 1) * filters.pageSize }),
    placeholderData: keepPreviousData,
  });

  const columns: TableColumnsType<CaseView> = [
    { title: t('case.number'), dataIndex: 'number', className: 'gz-code' },
    {
      title: t('case.status'),
      dataIndex: 'status',
      render: (status: string) => <Tag color={caseStatusColor(status)}>{caseStatusLabel(status, locale)}</Tag>,
    },
    { title: t('case.category'), dataIndex: 'categoryName', render: (name: string | null) => name ?? t('common.none') },
    { title: t('case.region'), dataIndex: 'regionName', responsive: ['sm'] },
    { title: t('case.mainUnit'), dataIndex: 'mainUnit', responsive: ['md'], render: (unit: CaseView['mainUnit']) => unit?.name ?? t('common.none') },
    {
      title: t('case.deadline'),
      dataIndex: 'deadlineAt',
      responsive: ['md'],
      render: (deadline: string | null, c) => (
        <Flex gap="small" wrap align="center">
          <span>{deadline ? formatDateTime(deadline, locale) : t('common.none')}</span>
          {c.overdue && <Tag color="red">{t('case.overdue')}</Tag>}
        </Flex>
      ),
    },
    { title: t('case.created'), dataIndex: 'createdAt', responsive: ['lg'], render: (at: string) => formatDateTime(at, locale) },
  ];

  return (
    <>
      <PageTitle
        title={t('nav.cases')}
        extra={
          <Button type="primary" size="large" icon={<PlusOutlined />} onClick={() => setReporting(true)} data-testid="report-case">
            {t('case.report')}
          </Button>
        }
      >
        {t('nav.cases')}
      </PageTitle>
      <Card>
        <Flex wrap gap="middle" className="gz-filters" role="search">
          <Select
            allowClear
            aria-label={t('case.status')}
            placeholder={t('case.statusPlaceholder')}
            value={filters.status}
            onChange={(status: CaseStatus | undefined) => setFilters((f) => ({ ...f, status, page: 1 }))}
            options={CASE_STATUSES.map((value) => ({ value, label: CASE_STATUS_LABELS[value][locale] }))}
            style={{ minWidth: 200 }}
          />
        </Flex>
        {cases.isError ? (
          <ErrorResult error={cases.error} onRetry={() => void cases.refetch()} />
        ) : (
          <Table<CaseView>
            data-testid="case-list"
            rowKey="id"
            columns={columns}
            dataSource={cases.data?.items ?? []}
            loading={cases.isFetching}
            onRow={(c) => ({ onClick: () => void navigate(`/cases/${c.id}`), style: { cursor: 'pointer' } })}
            pagination={{
              current: filters.page,
              pageSize: filters.pageSize,
              total: cases.data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100],
              showTotal: (total) => t('common.total', { total }),
              onChange: (page, pageSize) => setFilters((f) => ({ ...f, page: pageSize === f.pageSize ? page : 1, pageSize })),
            }}
          />
        )}
      </Card>
      {reporting && <ReportCaseModal onClose={() => setReporting(false)} />}
    </>
  );
}

/** The text after it has not changed for `delay` ms. */
function useDebounced(value: string, delay: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

interface ReportForm {
  description: string;
}

/** 上报问题: a description, and optionally one of the top three suggested categories. */
function ReportCaseModal({ onClose }: { onClose: () => void }) {
  const { t } = usePreferences();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ReportForm>();
  const description = Form.useWatch('description', form) ?? '';
  const text = useDebounced(description.trim(), 500);
  const [categoryCode, setCategoryCode] = useState<string | undefined>();
  const photos = useReportPhotos();
  const suggestions = useQuery({
    queryKey: ['classify', text],
    queryFn: () => api.classify(text),
    enabled: text.length >= 2,
    staleTime: 60_000,
  });
  const top = (suggestions.data?.suggestions ?? []).slice(0, 3);
  useEffect(() => {
    if (categoryCode && !top.some((s) => s.categoryCode === categoryCode)) setCategoryCode(undefined);
  }, [top, categoryCode]);

  const report = useMutation({
    mutationFn: async (values: ReportForm) => {
      const created = await api.reportCase({ description: values.description.trim(), categoryCode });
      await photos.uploadFor(created.id); // never throws: a failed upload is reported, the case stays
      return created;
    },
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
      onClose();
      void navigate(`/cases/${created.id}`);
    },
  });

  return (
    <Modal
      open
      title={t('case.reportTitle')}
      onCancel={onClose}
      footer={
        <Flex justify="end" gap="middle">
          <Button size="large" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="primary" size="large" loading={report.isPending} onClick={() => form.submit()} data-testid="report-submit">
            {t('case.submit')}
          </Button>
        </Flex>
      }
      destroyOnHidden
    >
      <Form<ReportForm> form={form} layout="vertical" onFinish={(values) => report.mutate(values)} size="large">
        <Form.Item
          name="description"
          label={t('case.description')}
          rules={[
            { required: true, whitespace: true, message: t('case.descriptionRequired') },
            { max: 2000 },
          ]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('case.descriptionPlaceholder')} data-testid="report-description" />
        </Form.Item>
        <Form.Item label={t('case.categoryOptional')} extra={t('case.categoryAuto')}>
          {suggestions.isFetching && top.length === 0 ? (
            <Typography.Text type="secondary">{t('case.categoryThinking')}</Typography.Text>
          ) : top.length > 0 ? (
            <Radio.Group
              value={categoryCode ?? ''}
              onChange={(e) => setCategoryCode((e.target.value as string) || undefined)}
              data-testid="report-suggestions"
            >
              <Flex vertical gap="small">
                <Radio value="">{t('case.categoryAuto')}</Radio>
                {top.map((s) => (
                  <Radio key={s.categoryCode} value={s.categoryCode}>
                    {s.name}
                  </Radio>
                ))}
              </Flex>
            </Radio.Group>
          ) : null}
        </Form.Item>
        {photos.picker}
        {report.isError && <Alert type="error" showIcon message={report.error.message} data-testid="report-error" />}
      </Form>
    </Modal>
  );
}
