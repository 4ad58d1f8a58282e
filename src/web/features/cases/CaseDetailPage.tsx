import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Flex, Form, Input, Modal, Rate, Result, Select, Spin, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { URGENCIES, URGENCY_LABELS } from '../../../shared/time-limits.ts';
import { ApiError, api, type TransitionInput } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import type { CaseDetail } from '../../types.ts';
import { caseActionLabel, caseStatusColor, caseStatusLabel, urgencyLabel } from './caseLabels.ts';
import { CaseMerges } from './CaseMerges.tsx';
import { CasePhotos } from './CasePhotos.tsx';

/** One case: where it stands, what happened so far, and what the signed-in person may do next. */
export function CaseDetailPage() {
  const { id = '' } = useParams();
  const { locale, t } = usePreferences();
  const [action, setAction] = useState<string | null>(null);
  const detail = useQuery({ queryKey: ['case', id], queryFn: () => api.case(id) });

  if (detail.isPending) {
    return (
      <div className="gz-center" role="status">
        <Spin size="large" />
      </div>
    );
  }
  if (detail.isError) {
    const error = detail.error;
    if (error instanceof ApiError && (error.status === 404 || error.status === 422 || error.status === 400)) return <CaseNotFound />;
    return <ErrorResult error={error} onRetry={() => void detail.refetch()} />;
  }
  const c = detail.data;
  const none = t('common.none');

  return (
    <>
      <PageTitle
        title={c.number}
        extra={
          <Link to="/cases">
            <Button size="large">{t('case.backToList')}</Button>
          </Link>
        }
      >
        <span data-testid="case-number">{c.number}</span>{' '}
        <Tag color={caseStatusColor(c.status)} data-testid="case-status" style={{ fontSize: 18, lineHeight: '28px', verticalAlign: 'middle' }}>
          {caseStatusLabel(c.status, locale)}
        </Tag>
      </PageTitle>
      <Flex vertical gap="middle">
        <Card title={t('case.actions')}>
          {c.allowedActions.length === 0 ? (
            <Typography.Text type="secondary">{t('case.noActions')}</Typography.Text>
          ) : (
            <Flex wrap gap="middle" data-testid="case-actions">
              {c.allowedActions.map((a) => (
                <Button key={a} size="large" type={a === c.allowedActions[0] ? 'primary' : 'default'} onClick={() => setAction(a)} data-testid={`action-${a}`}>
                  {caseActionLabel(a, locale)}
                </Button>
              ))}
            </Flex>
          )}
        </Card>
        <Card>
          <Descriptions
            column={{ xs: 1, md: 2 }}
            data-testid="case-header"
            items={[
              { key: 'status', label: t('case.status'), children: caseStatusLabel(c.status, locale) },
              { key: 'category', label: t('case.category'), children: <span data-testid="case-category">{c.categoryName ? `${c.categoryName}（${c.categoryCode ?? ''}）` : none}</span> },
              { key: 'urgency', label: t('case.urgency'), children: urgencyLabel(c.urgency, locale) },
              { key: 'region', label: t('case.region'), children: c.address ? `${c.regionName} · ${c.address}` : c.regionName },
              { key: 'mainUnit', label: t('case.mainUnit'), children: <span data-testid="case-main-unit">{c.mainUnit?.name ?? none}</span> },
              { key: 'assisting', label: t('case.assisting'), children: c.assistingUnits.map((u) => u.name).join('、') || none },
              {
                key: 'deadline',
                label: t('case.deadline'),
                children: (
                  <Flex gap="small" wrap align="center">
                    <span>{c.deadlineAt ? formatDateTime(c.deadlineAt, locale) : none}</span>
                    {c.overdue && <Tag color="red">{t('case.overdue')}</Tag>}
                  </Flex>
                ),
              },
              { key: 'warnAt', label: t('case.warnAt'), children: c.warnAt ? formatDateTime(c.warnAt, locale) : none },
              { key: 'created', label: t('case.created'), children: formatDateTime(c.createdAt, locale) },
              {
                key: 'rating',
                label: t('case.rating'),
                children:
                  c.rating === null ? (
                    none
                  ) : (
                    <span data-testid="case-rating">
                      <Rate disabled value={c.rating} /> {t('case.ratingValue', { score: c.rating })}
                      {c.ratingComment ? ` · ${c.ratingComment}` : ''}
                    </span>
                  ),
              },
            ]}
          />
        </Card>
        <Card title={t('case.descriptionTitle')}>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }} data-testid="case-description">
            {c.description}
          </Typography.Paragraph>
        </Card>
        <CasePhotos kase={c} />
        <CaseMerges kase={c} />
        <Card title={t('case.timeline')}>
          <Timeline
            data-testid="case-timeline"
            items={c.timeline.map((entry, index) => ({
              key: index,
              color: entry.toStatus === 'closed' ? 'green' : 'blue',
              title: formatDateTime(entry.at, locale),
              content: (
                <>
                  <Typography.Text strong>{entry.action === 'report' ? t('case.actionReport') : caseActionLabel(entry.action, locale)}</Typography.Text>
                  {' · '}
                  {entry.actorName}
                  {entry.note && <div>{entry.note}</div>}
                </>
              ),
            }))}
          />
        </Card>
      </Flex>
      {action && <TransitionModal key={action} kase={c} action={action} locale={locale} onClose={() => setAction(null)} />}
    </>
  );
}

function CaseNotFound() {
  const { t } = usePreferences();
  return (
    <Result
      status="warning"
      title={<span data-testid="not-in-scope">{t('case.notFound')}</span>}
      subTitle={t('case.notFoundHint')}
      extra={
        <Link to="/cases">
          <Button type="primary" size="large">
            {t('case.backToList')}
          </Button>
        </Link>
      }
    />
  );
}

interface TransitionForm {
  categoryCode?: string;
  urgency?: string;
  mainUnitId?: string;
  reason?: string;
  text?: string;
  result?: string;
  score?: number;
  comment?: string;
}

const REASON_ACTIONS = new Set(['reject', 'return', 'escalate', 'extend', 'suspend', 'deny', 'reopen', 'transfer']);

/** Asks only for what the action needs, then posts the transition. */
function TransitionModal({ kase, action, locale, onClose }: { kase: CaseDetail; action: string; locale: Locale; onClose: () => void }) {
  const { t } = usePreferences();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<TransitionForm>();
  const label = caseActionLabel(action, locale);
  const categories = useQuery({
    queryKey: ['categories', 'selectable'],
    queryFn: () => api.categories({ selectable: true }),
    enabled: action === 'register',
  });
  const departments = useQuery({
    queryKey: ['departments', 'all'],
    queryFn: () => api.departments({ limit: 200, offset: 0 }),
    enabled: action === 'transfer' || action === 'dispatch',
  });

  const submit = useMutation({
    mutationFn: (input: TransitionInput) => api.transitionCase(kase.id, input),
    onSuccess: async (updated) => {
      queryClient.setQueryData(['case', kase.id], updated);
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
      message.success(t('case.done', { action: label }));
      onClose();
    },
  });

  const send = (values: TransitionForm, extra: Partial<TransitionInput> = {}) =>
    submit.mutate({ action, ...values, reason: values.reason?.trim(), text: values.text?.trim(), result: values.result?.trim(), comment: values.comment?.trim(), ...extra });

  const verify = async (passed: boolean) => {
    if (!passed) {
      const values = await form.validateFields().catch(() => null);
      if (!values) return;
      if (!values.reason?.trim()) {
        form.setFields([{ name: 'reason', errors: [t('case.reasonRequired')] }]);
        return;
      }
      send(values, { passed: false });
    } else send(form.getFieldsValue(), { passed: true });
  };

  const needsReason = REASON_ACTIONS.has(action);
  const unitOptions = (departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }));

  const footer =
    action === 'verify' ? (
      <Flex justify="end" gap="middle" wrap>
        <Button size="large" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button size="large" danger loading={submit.isPending} onClick={() => void verify(false)} data-testid="verify-fail">
          {t('case.failed')}
        </Button>
        <Button size="large" type="primary" loading={submit.isPending} onClick={() => void verify(true)} data-testid="verify-pass">
          {t('case.passed')}
        </Button>
      </Flex>
    ) : (
      <Flex justify="end" gap="middle">
        <Button size="large" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button size="large" type="primary" loading={submit.isPending} onClick={() => form.submit()} data-testid="transition-submit">
          {label}
        </Button>
      </Flex>
    );

  return (
    <Modal open title={label} onCancel={onClose} footer={footer} destroyOnHidden>
      <Form<TransitionForm>
        form={form}
        layout="vertical"
        size="large"
        initialValues={{ categoryCode: kase.categoryCode ?? undefined, urgency: kase.urgency }}
        onFinish={(values) => send(values)}
        data-testid="transition-form"
      >
        {action === 'register' && (
          <>
            <Form.Item name="categoryCode" label={t('case.category')} rules={[{ required: true, message: t('case.categoryRequired') }]}>
              <Select
                showSearch
                optionFilterProp="label"
                loading={categories.isFetching}
                options={(categories.data?.items ?? []).map((cat) => ({ value: cat.code, label: `${cat.code} ${locale === 'en' ? cat.nameEn : cat.name}` }))}
                data-testid="field-category"
              />
            </Form.Item>
            <Form.Item name="urgency" label={t('case.urgency')}>
              <Select options={URGENCIES.map((u) => ({ value: u, label: URGENCY_LABELS[u][locale] }))} data-testid="field-urgency" />
            </Form.Item>
          </>
        )}
        {(action === 'transfer' || action === 'dispatch') && (
          <Form.Item
            name="mainUnitId"
            label={t('case.unit')}
            extra={action === 'dispatch' ? t('case.unitAuto') : undefined}
            rules={action === 'transfer' ? [{ required: true, message: t('case.unitRequired') }] : []}
          >
            <Select allowClear showSearch optionFilterProp="label" loading={departments.isFetching} options={unitOptions} placeholder={action === 'dispatch' ? t('case.unitAuto') : undefined} data-testid="field-unit" />
          </Form.Item>
        )}
        {needsReason && (
          <Form.Item name="reason" label={t('case.reason')} rules={[{ required: true, whitespace: true, message: t('case.reasonRequired') }]}>
            <Input.TextArea rows={3} maxLength={1000} showCount data-testid="field-reason" />
          </Form.Item>
        )}
        {action === 'note' && (
          <Form.Item name="text" label={t('case.text')} rules={[{ required: true, whitespace: true, message: t('case.reasonRequired') }]}>
            <Input.TextArea rows={3} maxLength={2000} showCount data-testid="field-text" />
          </Form.Item>
        )}
        {action === 'handled' && (
          <Form.Item name="result" label={t('case.result')} rules={[{ required: true, whitespace: true, message: t('case.resultRequired') }]}>
            <Input.TextArea rows={3} maxLength={2000} showCount data-testid="field-result" />
          </Form.Item>
        )}
        {action === 'verify' && (
          <>
            <Typography.Paragraph strong>{t('case.verifyQuestion')}</Typography.Paragraph>
            <Form.Item name="reason" label={`${t('case.reason')}（${t('case.failed')}）`}>
              <Input.TextArea rows={3} maxLength={1000} data-testid="field-reason" />
            </Form.Item>
          </>
        )}
        {action === 'rate' && (
          <>
            <Form.Item name="score" label={t('case.score')} rules={[{ required: true, message: t('case.scoreRequired') }]}>
              <Rate allowClear={false} style={{ fontSize: 36 }} data-testid="field-score" />
            </Form.Item>
            <Form.Item name="comment" label={t('case.comment')}>
              <Input.TextArea rows={2} maxLength={500} showCount data-testid="field-comment" />
            </Form.Item>
          </>
        )}
        {!['register', 'transfer', 'dispatch', 'note', 'handled', 'verify', 'rate'].includes(action) && !needsReason && (
          <Typography.Paragraph>{t('case.confirmAction', { action: label })}</Typography.Paragraph>
        )}
        {submit.isError && <Alert type="error" showIcon message={submit.error.message} data-testid="transition-error" />}
      </Form>
    </Modal>
  );
}
