import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Flex, Form, Input, InputNumber, Modal, Rate, Result, Select, Spin, Switch, Tag, Timeline, Typography } from 'antd';
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
import { CASE_STAGES, CASE_STAGE_LABELS, type CaseStage } from '../../../shared/cases.ts';
import { useCan } from '../../session.tsx';
import { callTypeLabel, caseActionLabel, caseStatusColor, caseStatusLabel, channelLabel, urgencyLabel } from './caseLabels.ts';
import { ClockList } from './CaseClocks.tsx';
import { CaseMerges } from './CaseMerges.tsx';
import { CasePhotos } from './CasePhotos.tsx';
import { CaseAlarms } from '../alarms/CaseAlarms.tsx';

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
  // merging needs the other case: the merges card below asks for it, not a button here
  const actions = c.allowedActions.filter((a) => a !== 'merge');

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
          {actions.length === 0 ? (
            <Typography.Text type="secondary">{t('case.noActions')}</Typography.Text>
          ) : (
            <Flex wrap gap="middle" data-testid="case-actions">
              {actions.map((a) => (
                <Button key={a} size="large" type={a === actions[0] ? 'primary' : 'default'} onClick={() => setAction(a)} data-testid={`action-${a}`}>
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
              { key: 'channel', label: t('case.channel'), children: <span data-testid="case-channel">{channelLabel(c.channel, locale)}</span> },
              ...(c.callType
                ? [
                    { key: 'callType', label: t('case.callType'), children: callTypeLabel(c.callType, locale) },
                    { key: 'caller', label: t('case.caller'), children: <CallerInfo kase={c} /> },
                  ]
                : []),
              ...(c.pendingRequest
                ? [
                    {
                      key: 'pending',
                      label: t('case.pendingRequest'),
                      children: `${caseActionLabel(c.pendingRequest === 'extension' ? 'extend' : 'suspend', locale)}${c.requestedExtension !== null ? ` · ${t('case.requestedExtension', { amount: c.requestedExtension })}` : ''}`,
                    },
                  ]
                : []),
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
        <Card title={t('clock.title')}>
          <ClockList clocks={c.clocks} />
        </Card>
        <Card title={t('case.descriptionTitle')}>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }} data-testid="case-description">
            {c.description}
          </Typography.Paragraph>
        </Card>
        <CasePhotos kase={c} />
        <CaseMerges kase={c} />
        <CaseAlarms caseId={c.id} />
        <Card title={t('case.timeline')}>
          <Timeline
            data-testid="case-timeline"
            items={c.timeline.map((entry, index) => ({
              key: index,
              color: entry.action === 'overdue' || entry.action === 'supervise' ? 'red' : entry.action === 'deadline_warning' ? 'orange' : entry.toStatus === 'closed' ? 'green' : 'blue',
              title: formatDateTime(entry.at, locale),
              content: (
                <>
                  <Typography.Text strong>{entry.action === 'report' ? t('case.actionReport') : caseActionLabel(entry.action, locale)}</Typography.Text>
                  {isStage(entry.details) && ` · ${CASE_STAGE_LABELS[entry.details.stage][locale]}`}
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
  amount?: number;
  reached?: boolean;
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
  const suggested = useQuery({
    queryKey: ['classify', kase.description],
    queryFn: () => api.classify(kase.description),
    enabled: action === 'register',
    staleTime: 60_000,
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
    submit.mutate({ action, ...values, ...(action === 'followup' ? { reached: values.reached !== false, score: values.reached === false ? undefined : values.score || undefined } : {}), reason: values.reason?.trim(), text: values.text?.trim(), result: values.result?.trim(), comment: values.comment?.trim(), ...extra });

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
            {(suggested.data?.suggestions.length ?? 0) > 0 && (
              <Form.Item label={t('case.suggested')}>
                <Flex wrap gap="small" data-testid="register-suggestions">
                  {suggested.data!.suggestions.slice(0, 3).map((s) => (
                    <Button key={s.categoryCode} onClick={() => form.setFieldValue('categoryCode', s.categoryCode)}>
                      {s.name} · {Math.round(s.score * 100)}%
                    </Button>
                  ))}
                </Flex>
              </Form.Item>
            )}
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
        {action === 'extend' && (
          <Form.Item name="amount" label={t('case.extensionAmount')} extra={t('case.extensionHint')}>
            <InputNumber min={0.5} max={100} step={1} style={{ width: 200 }} data-testid="field-amount" />
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
        {action === 'followup' && (
          <>
            <Form.Item name="reached" label={t('case.followupReached')} valuePropName="checked" initialValue={true}>
              <Switch data-testid="field-reached" />
            </Form.Item>
            <Form.Item noStyle shouldUpdate={(a, b) => a.reached !== b.reached}>
              {() =>
                form.getFieldValue('reached') !== false && (
                  <Form.Item name="score" label={t('case.followupScore')} extra={kase.rating === null ? t('case.followupCounts') : t('case.followupKept')}>
                    <Rate style={{ fontSize: 36 }} data-testid="field-score" />
                  </Form.Item>
                )
              }
            </Form.Item>
            <Form.Item name="comment" label={t('case.comment')}>
              <Input.TextArea rows={2} maxLength={500} showCount data-testid="field-comment" />
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
        {!['register', 'transfer', 'dispatch', 'note', 'handled', 'verify', 'rate', 'followup'].includes(action) && !needsReason && (
          <Typography.Paragraph>{t('case.confirmAction', { action: label })}</Typography.Paragraph>
        )}
        {submit.isError && <Alert type="error" showIcon message={submit.error.message} data-testid="transition-error" />}
      </Form>
    </Modal>
  );
}

const isStage = (details: unknown): details is { stage: CaseStage } =>
  typeof details === 'object' && details !== null && 'stage' in details && (CASE_STAGES as readonly unknown[]).includes(details.stage);

/** A hotline caller, masked; the desk may see the full number for a call-back, with a reason that is audited. */
function CallerInfo({ kase }: { kase: CaseDetail }) {
  const { t } = usePreferences();
  const can = useCan();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const reveal = useMutation({ mutationFn: () => api.revealCaller(kase.id, reason.trim()) });
  if (!kase.caller) return <Typography.Text type="secondary">{kase.confidential ? t('case.confidentialHidden') : t('common.none')}</Typography.Text>;
  const shown = reveal.data ?? kase.caller;
  return (
    <Flex gap="small" wrap align="center" data-testid="case-caller">
      <span>{[shown.name, shown.phone].filter(Boolean).join(' · ')}</span>
      {kase.confidential && <Tag color="purple">{t('case.confidential')}</Tag>}
      {can('case.revealCaller') && !reveal.data && (
        <Button size="small" onClick={() => setAsking(true)} data-testid="reveal-caller">
          {t('case.revealCaller')}
        </Button>
      )}
      <Modal
        open={asking && !reveal.data}
        title={t('case.revealTitle')}
        onCancel={() => setAsking(false)}
        onOk={() => reveal.mutate()}
        okButtonProps={{ disabled: [...reason.trim()].length < 4, loading: reveal.isPending, id: 'reveal-confirm' }}
        destroyOnHidden
      >
        <Form layout="vertical">
          <Form.Item label={t('case.revealReason')} help={[...reason.trim()].length < 4 ? t('case.revealReasonRequired') : undefined}>
            <Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} data-testid="reveal-reason" />
          </Form.Item>
        </Form>
        {reveal.isError && <Alert type="error" showIcon message={reveal.error.message} />}
      </Modal>
    </Flex>
  );
}
