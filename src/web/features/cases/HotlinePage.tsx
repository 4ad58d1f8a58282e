import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Form, Input, Radio, Result, Row, Select, Switch, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { CALL_TYPE_LABELS, CALL_TYPES, type CallType } from '../../../shared/cases.ts';
import { URGENCIES, URGENCY_LABELS, type Urgency } from '../../../shared/time-limits.ts';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { usePreferences } from '../../preferences.tsx';
import type { CaseDetail } from '../../types.ts';
import { CategorySuggestions } from './CategorySuggestions.tsx';
import { useDebounced } from './useDebounced.ts';

interface HotlineForm {
  callerName?: string;
  callerPhone: string;
  callType: CallType;
  urgency: Urgency;
  confidential: boolean;
  regionCode: string;
  address?: string;
  description: string;
}

/** Mobile 1[3-9]xxxxxxxxx, or a landline with or without its area code (same rule as the server). */
const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{7,8})$/;
const PLACE_LEVELS = new Set(['committee', 'grid', 'building']);

/** 12345 热线受理: the operator types while the caller speaks; the case goes straight to the street desk's queue. */
export function HotlinePage() {
  const { locale, t } = usePreferences();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<HotlineForm>();
  const [created, setCreated] = useState<CaseDetail | null>(null);
  const [placeQuery, setPlaceQuery] = useState('');
  const placeText = useDebounced(placeQuery.trim(), 300);
  const places = useQuery({ queryKey: ['regions', 'search', placeText], queryFn: () => api.searchRegions(placeText, 30), enabled: placeText.length >= 2 });
  const description = Form.useWatch('description', form) ?? '';
  const [categoryCode, setCategoryCode] = useState('');

  const submit = useMutation({
    mutationFn: (v: HotlineForm) =>
      api.reportHotline({
        description: v.description.trim(),
        categoryCode: categoryCode || undefined,
        urgency: v.urgency,
        regionCode: v.regionCode,
        address: v.address?.trim(),
        callType: v.callType,
        confidential: v.confidential,
        caller: { name: v.callerName?.trim(), phone: v.callerPhone.trim() },
      }),
    onSuccess: async (c) => {
      setCreated(c);
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
    },
  });

  const next = () => {
    setCreated(null);
    setCategoryCode('');
    form.resetFields();
    submit.reset();
  };

  if (created) {
    return (
      <Result
        status="success"
        title={<span data-testid="hotline-created">{t('hotline.created', { number: created.number })}</span>}
        extra={[
          <Button key="next" type="primary" size="large" onClick={next} data-testid="hotline-next">
            {t('hotline.next')}
          </Button>,
          <Link key="open" to={`/cases/${created.id}`}>
            <Button size="large">{created.number}</Button>
          </Link>,
        ]}
      />
    );
  }

  return (
    <>
      <PageTitle title={t('hotline.title')}>{t('hotline.title')}</PageTitle>
      <Card>
        <Typography.Paragraph type="secondary">{t('hotline.intro')}</Typography.Paragraph>
        <Form<HotlineForm>
          form={form}
          layout="vertical"
          size="large"
          initialValues={{ callType: 'help', urgency: 'normal', confidential: false }}
          onFinish={(v) => submit.mutate(v)}
          data-testid="hotline-form"
        >
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="callerName" label={t('hotline.callerName')} rules={[{ max: 50 }]}>
                <Input maxLength={50} autoComplete="off" data-testid="hotline-caller-name" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="callerPhone" label={t('hotline.callerPhone')} rules={[{ required: true, pattern: PHONE, message: t('hotline.phoneInvalid') }]}>
                <Input inputMode="tel" maxLength={14} autoComplete="off" data-testid="hotline-caller-phone" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="confidential" label={t('hotline.confidential')} valuePropName="checked" extra={t('hotline.confidentialHint')}>
                <Switch data-testid="hotline-confidential" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="callType" label={t('hotline.callType')} rules={[{ required: true }]}>
                <Radio.Group optionType="button" buttonStyle="solid" options={CALL_TYPES.map((c) => ({ value: c, label: CALL_TYPE_LABELS[c][locale] }))} data-testid="hotline-call-type" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="urgency" label={t('case.urgency')}>
                <Radio.Group optionType="button" options={URGENCIES.map((u) => ({ value: u, label: URGENCY_LABELS[u][locale] }))} />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="regionCode" label={t('hotline.place')} rules={[{ required: true, message: t('hotline.placeHint') }]}>
                <Select
                  showSearch={{ filterOption: false, onSearch: setPlaceQuery }}
                  placeholder={t('hotline.placeHint')}
                  loading={places.isFetching}
                  notFoundContent={placeText.length >= 2 && !places.isFetching ? t('common.none') : null}
                  options={(places.data ?? []).filter((r) => PLACE_LEVELS.has(r.level)).map((r) => ({ value: r.code, label: `${r.name}（${r.code}）` }))}
                  data-testid="hotline-place"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="address" label={t('hotline.address')} rules={[{ max: 200 }]}>
                <Input maxLength={200} data-testid="hotline-address" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="description" label={t('case.description')} rules={[{ required: true, whitespace: true, message: t('case.descriptionRequired') }, { max: 2000 }]}>
            <Input.TextArea rows={4} maxLength={2000} showCount data-testid="hotline-description" />
          </Form.Item>
          <Form.Item label={t('case.categoryOptional')} extra={t('case.categoryAuto')}>
            <CategorySuggestions description={description} value={categoryCode} onChange={setCategoryCode} testId="hotline-suggestions" />
          </Form.Item>
          {submit.isError && <Alert type="error" showIcon message={submit.error.message} style={{ marginBottom: 16 }} data-testid="hotline-error" />}
          <Button type="primary" size="large" htmlType="submit" loading={submit.isPending} data-testid="hotline-submit">
            {t('hotline.submit')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
