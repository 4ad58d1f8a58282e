import { useMutation } from '@tanstack/react-query';
import { Alert, App, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import {
  CATEGORY_LEAF_CODE_PATTERN,
  DUPLICATE_RADIUS_MAX_M,
  limitsOrdered,
  RESPONSIBILITY_RULE_LABELS,
  RESPONSIBILITY_RULES,
  TIME_LIMIT_MAX_AMOUNT,
  VERIFICATION_RULE_LABELS,
  VERIFICATION_RULES,
  type ResponsibilityRule,
  type TimeLimits,
  type VerificationRule,
} from '../../../shared/categories.ts';
import { DEPARTMENT_KIND_LABELS, DEPARTMENT_KINDS, type DepartmentKind } from '../../../shared/departments.ts';
import { CLOCK_TYPE_LABELS, CLOCK_TYPES, URGENCIES, URGENCY_LABELS, type ClockType, type Urgency } from '../../../shared/time-limits.ts';
import { api } from '../../api.ts';
import { usePreferences } from '../../preferences.tsx';
import type { Category, CategoryDetail, CategoryPatch, NewCategory } from '../../types.ts';

interface LimitValue {
  amount: number | null;
  clock: ClockType;
}

interface Values {
  parentCode?: string;
  code?: string;
  name: string;
  nameEn: string;
  keywords: string[];
  departmentKind?: DepartmentKind;
  responsibility?: ResponsibilityRule;
  timeLimits?: Record<Urgency, LimitValue>;
  verification?: VerificationRule;
  residentSelectable?: boolean;
  duplicateRadiusM?: number | null;
  note?: string;
}

const DAY_CLOCKS: ReadonlySet<ClockType> = new Set(['working_days', 'calendar_days']);
const KEYWORD = /^\S{1,20}$/;
/** The server's name patterns: not blank. */
const NOT_BLANK = /\S/;

function limitsOf(values: Values): TimeLimits | null {
  if (!values.timeLimits) return null;
  const out = {} as TimeLimits;
  for (const u of URGENCIES) {
    const limit = values.timeLimits[u];
    if (limit.amount === null) return null;
    out[u] = { amount: limit.amount, clock: limit.clock };
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only what changed: the server writes a version for any attribute it is sent that differs. */
function buildPatch(category: Category, values: Values): CategoryPatch {
  const patch: CategoryPatch = {};
  const name = values.name.trim();
  const nameEn = values.nameEn.trim();
  if (name !== category.name) patch.name = name;
  if (nameEn !== category.nameEn) patch.nameEn = nameEn;
  if (!same(values.keywords, category.keywords)) patch.keywords = values.keywords;
  if (category.level === 'leaf') {
    if (values.departmentKind && values.departmentKind !== category.departmentKind) patch.departmentKind = values.departmentKind;
    if (values.responsibility && values.responsibility !== category.responsibility) patch.responsibility = values.responsibility;
    const limits = limitsOf(values);
    if (limits && category.timeLimits) {
      const changed: NonNullable<CategoryPatch['timeLimits']> = {};
      for (const u of URGENCIES) if (!same(limits[u], { amount: category.timeLimits[u].amount, clock: category.timeLimits[u].clock })) changed[u] = limits[u];
      if (Object.keys(changed).length > 0) patch.timeLimits = changed;
    }
    if (values.verification && values.verification !== category.verification) patch.verification = values.verification;
    if (values.residentSelectable !== undefined && values.residentSelectable !== category.residentSelectable) patch.residentSelectable = values.residentSelectable;
    if (typeof values.duplicateRadiusM === 'number' && values.duplicateRadiusM !== category.duplicateRadiusM) patch.duplicateRadiusM = values.duplicateRadiusM;
  }
  if (Object.keys(patch).length > 0 && values.note?.trim()) patch.note = values.note.trim();
  return patch;
}

function initialValues(category: Category | null): Partial<Values> {
  if (!category) {
    const limit = (amount: number, clock: ClockType): LimitValue => ({ amount, clock });
    return {
      keywords: [],
      timeLimits: { normal: limit(5, 'working_days'), urgent: limit(2, 'working_days'), critical: limit(4, 'emergency_working_hours') },
      verification: 'reporter',
      residentSelectable: true,
      duplicateRadiusM: 50,
    };
  }
  return {
    name: category.name,
    nameEn: category.nameEn,
    keywords: category.keywords,
    departmentKind: category.departmentKind ?? undefined,
    responsibility: category.responsibility ?? undefined,
    timeLimits: category.timeLimits
      ? { normal: { ...category.timeLimits.normal }, urgent: { ...category.timeLimits.urgent }, critical: { ...category.timeLimits.critical } }
      : undefined,
    verification: category.verification ?? undefined,
    residentSelectable: category.residentSelectable ?? undefined,
    duplicateRadiusM: category.duplicateRadiusM,
  };
}

/**
 * Creates a leaf (category = null) or edits a category. Validation mirrors the server's schema;
 * what the server still refuses (a taken code, limits out of order) is shown with its message.
 */
export function CategoryEditor({
  category,
  classes,
  onClose,
  onSaved,
}: {
  category: Category | null;
  classes: Category[];
  onClose: () => void;
  onSaved: (detail: CategoryDetail, changed: boolean) => void;
}) {
  const { locale, t } = usePreferences();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [orderError, setOrderError] = useState(false);
  const isClass = category?.level === 'class';
  const clocks = Form.useWatch('timeLimits', form);
  const parentCode = Form.useWatch('parentCode', form);

  const save = useMutation({
    mutationFn: async (values: Values): Promise<{ detail: CategoryDetail; changed: boolean }> => {
      if (category) {
        const patch = buildPatch(category, values);
        if (Object.keys(patch).length === 0) return { detail: await api.category(category.code), changed: false };
        return { detail: await api.updateCategory(category.code, patch), changed: true };
      }
      const limits = limitsOf(values);
      if (!limits || !values.parentCode || !values.code || !values.departmentKind || !values.verification) throw new Error(t('cat.incomplete'));
      const body: NewCategory = {
        code: values.code.trim().toUpperCase(),
        parentCode: values.parentCode,
        name: values.name.trim(),
        nameEn: values.nameEn.trim(),
        keywords: values.keywords,
        departmentKind: values.departmentKind,
        timeLimits: limits,
        verification: values.verification,
        residentSelectable: values.residentSelectable ?? false,
        duplicateRadiusM: values.duplicateRadiusM ?? 0,
      };
      if (values.responsibility) body.responsibility = values.responsibility;
      if (values.note?.trim()) body.note = values.note.trim();
      return { detail: await api.createCategory(body), changed: true };
    },
    onSuccess: ({ detail, changed }) => {
      if (!changed) void message.info(t('cat.noChange'));
      else if (category) void message.success(t('cat.saved', { code: detail.code, version: detail.version }));
      else void message.success(t('cat.created', { code: detail.code }));
      onSaved(detail, changed);
    },
  });

  const submit = (values: Values) => {
    const limits = limitsOf(values);
    if (limits && !limitsOrdered(limits)) {
      setOrderError(true);
      return;
    }
    setOrderError(false);
    save.mutate(values);
  };

  const title = category ? t('cat.editTitle', { code: category.code, name: locale === 'en' ? category.nameEn : category.name }) : t('cat.addTitle');

  return (
    <Modal
      open
      title={title}
      width={760}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ loading: save.isPending, id: 'category-save' }}
      destroyOnHidden
    >
      <Alert type="info" showIcon title={t('cat.versionNotice')} style={{ marginBottom: 16 }} data-testid="category-version-notice" />
      <Form<Values> form={form} layout="vertical" initialValues={initialValues(category)} onFinish={submit} scrollToFirstError>
        {!category && (
          <Row gutter={16}>
            <Col xs={24} md={14}>
              <Form.Item name="parentCode" label={t('cat.parent')} rules={[{ required: true, message: t('cat.required') }]}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  options={classes.map((c) => ({ value: c.code, label: `${c.code} ${locale === 'en' ? c.nameEn : c.name}` }))}
                  onChange={(value: string) => {
                    const code = form.getFieldValue('code') as string | undefined;
                    if (!code) form.setFieldValue('code', value);
                  }}
                  data-testid="category-parent"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={10}>
              <Form.Item
                name="code"
                label={t('cat.code')}
                extra={t('cat.codeHint')}
                dependencies={['parentCode']}
                rules={[
                  { required: true, message: t('cat.required') },
                  {
                    validator: async (_, value: string | undefined) => {
                      const code = (value ?? '').trim().toUpperCase();
                      if (!code) return;
                      if (!new RegExp(CATEGORY_LEAF_CODE_PATTERN).test(code)) throw new Error(t('cat.codeInvalid'));
                      if (parentCode && code.slice(0, 3) !== parentCode) throw new Error(t('cat.codeMismatch', { parent: parentCode }));
                    },
                  },
                ]}
              >
                <Input maxLength={5} className="gz-code" placeholder="C0106" data-testid="category-code" />
              </Form.Item>
            </Col>
          </Row>
        )}
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('cat.nameZh')} rules={[{ required: true, message: t('cat.required') }, { pattern: NOT_BLANK, message: t('cat.required') }, { max: 50 }]}>
              <Input maxLength={50} data-testid="category-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="nameEn" label={t('cat.nameEn')} rules={[{ required: true, message: t('cat.required') }, { pattern: NOT_BLANK, message: t('cat.required') }, { max: 120 }]}>
              <Input maxLength={120} data-testid="category-name-en" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="keywords"
          label={t('cat.keywords')}
          extra={t('cat.keywordsHint')}
          rules={[
            {
              validator: async (_, value: string[] | undefined) => {
                const words = value ?? [];
                if (words.length > 30 || words.some((w) => !KEYWORD.test(w))) throw new Error(t('cat.keywordInvalid'));
              },
            },
          ]}
        >
          <Select mode="tags" tokenSeparators={[',', '，', '、', ' ']} open={false} suffixIcon={null} aria-label={t('cat.keywords')} />
        </Form.Item>
        {isClass ? (
          <Typography.Paragraph type="secondary">{t('cat.classEditHint')}</Typography.Paragraph>
        ) : (
          <>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name="departmentKind" label={t('cat.department')} rules={[{ required: true, message: t('cat.required') }]}>
                  <Select options={DEPARTMENT_KINDS.map((k) => ({ value: k, label: DEPARTMENT_KIND_LABELS[k][locale] }))} data-testid="category-department" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="responsibility" label={t('cat.responsibility')} extra={category ? undefined : t('cat.responsibilityDefault')}>
                  <Select allowClear={!category} options={RESPONSIBILITY_RULES.map((r) => ({ value: r, label: RESPONSIBILITY_RULE_LABELS[r][locale] }))} />
                </Form.Item>
              </Col>
            </Row>
            <Typography.Text strong>{t('cat.limitsTitle')}</Typography.Text>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {t('cat.limitsHint')}
            </Typography.Paragraph>
            {URGENCIES.map((u) => {
              const clock = clocks?.[u]?.clock;
              const unit = clock && DAY_CLOCKS.has(clock) ? t('cat.unitDays') : t('cat.unitHours');
              return (
                <Form.Item key={u} label={t('cat.limitFor', { urgency: URGENCY_LABELS[u][locale] })} required style={{ marginBottom: 12 }}>
                  <Space.Compact block>
                    <Form.Item
                      name={['timeLimits', u, 'amount']}
                      noStyle
                      rules={[{ required: true, type: 'integer', min: 1, max: TIME_LIMIT_MAX_AMOUNT, message: t('cat.amountRange', { max: TIME_LIMIT_MAX_AMOUNT }) }]}
                    >
                      <InputNumber min={1} max={TIME_LIMIT_MAX_AMOUNT} precision={0} style={{ width: 120 }} aria-label={`${URGENCY_LABELS[u][locale]} ${t('cat.amount')}`} data-testid={`limit-${u}-amount`} />
                    </Form.Item>
                    <Space.Addon>{unit}</Space.Addon>
                    <Form.Item name={['timeLimits', u, 'clock']} noStyle rules={[{ required: true }]}>
                      <Select
                        style={{ minWidth: 200 }}
                        aria-label={`${URGENCY_LABELS[u][locale]} ${t('cat.clock')}`}
                        options={CLOCK_TYPES.map((c) => ({ value: c, label: CLOCK_TYPE_LABELS[c][locale] }))}
                        data-testid={`limit-${u}-clock`}
                      />
                    </Form.Item>
                  </Space.Compact>
                </Form.Item>
              );
            })}
            {orderError && <Alert type="error" showIcon title={t('cat.limitsOrder')} style={{ marginBottom: 16 }} data-testid="category-order-error" />}
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name="verification" label={t('cat.verification')} rules={[{ required: true, message: t('cat.required') }]}>
                  <Select options={VERIFICATION_RULES.map((r) => ({ value: r, label: VERIFICATION_RULE_LABELS[r][locale] }))} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  name="duplicateRadiusM"
                  label={t('cat.radius')}
                  extra={t('cat.radiusHint')}
                  rules={[{ required: true, type: 'integer', min: 0, max: DUPLICATE_RADIUS_MAX_M, message: t('cat.radiusRange', { max: DUPLICATE_RADIUS_MAX_M }) }]}
                >
                  <InputNumber min={0} max={DUPLICATE_RADIUS_MAX_M} precision={0} step={50} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="residentSelectable" label={t('cat.resident')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </>
        )}
        <Form.Item name="note" label={t('cat.note')} extra={t('cat.noteHint')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} maxLength={500} data-testid="category-note" />
        </Form.Item>
        {save.isError && <Alert type="error" showIcon title={save.error.message} data-testid="category-error" />}
      </Form>
    </Modal>
  );
}
