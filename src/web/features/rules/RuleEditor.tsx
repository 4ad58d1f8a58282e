import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Divider, Drawer, Flex, Form, Input, InputNumber, Popconfirm, Radio, Select, Space, Switch, Table, Typography } from 'antd';
import { useState } from 'react';
import { ALARM_SEVERITIES, ALARM_TYPE_IDS, ALARM_TYPES } from '../../../shared/alarms.ts';
import { DEVICE_PROFILES } from '../../../shared/iot-profiles.ts';
import { COMPARE_OPS, type RuleDefinition } from '../../../shared/rules.ts';
import { api } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import type { DryRunResult, RuleView } from '../../types.ts';
import { fieldOf, fromForm, numericFields, toForm, type FormKind, type RuleFormValues } from './ruleForm.ts';

export type RuleScope = { regionCode: string } | { deviceId: string };

const KINDS: FormKind[] = ['predicate', 'duration', 'absence', 'window-total', 'rate'];
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

/**
 * Edits a rule for one scope: changes the stored rule of that scope, or adds an override (or a
 * custom rule) there. A dry run over recorded readings shows what the form's rule would have
 * raised before it is saved.
 */
export function RuleEditor({ scope, existing, ruleKey, definition, onClose }: { scope: RuleScope; existing: RuleView | null; ruleKey?: string | undefined; definition: RuleDefinition; onClose: () => void }) {
  const { locale, t } = usePreferences();
  const profile = definition.profile;
  const initial = toForm(definition);
  const [form] = Form.useForm<RuleFormValues & { enabled: boolean; note?: string }>();
  const kind = Form.useWatch('kind', form) ?? initial.values.kind;
  const anyReading = Form.useWatch('anyReading', form) ?? initial.values.anyReading;
  const calendarDay = Form.useWatch('calendarDay', form) ?? initial.values.calendarDay;
  const limitHours = Form.useWatch('limitHours', form) ?? initial.values.limitHours;

  const save = useMutation({
    mutationFn: async (v: RuleFormValues & { enabled: boolean; note?: string }) => {
      const next = fromForm(profile, v);
      const note = v.note?.trim() || undefined;
      if (existing) return api.updateRule(existing.id, { definition: next, enabled: v.enabled, ...(note ? { note } : {}) });
      return api.createRule({ ...(ruleKey ? { key: ruleKey } : {}), ...scope, definition: next, enabled: v.enabled, ...(note ? { note } : {}) });
    },
    onSuccess: onClose,
  });
  const remove = useMutation({ mutationFn: () => api.removeRule(existing!.id), onSuccess: onClose });

  const fields = DEVICE_PROFILES[profile].fields.map((f) => ({ value: f.name, label: f.name }));
  const numeric = numericFields(profile).map((f) => ({ value: f.name, label: f.name }));
  const opOptions = COMPARE_OPS.map((op) => ({ value: op, label: op }));
  const ordering = (['>', '>=', '<', '<='] as const).map((op) => ({ value: op, label: op }));

  return (
    <Drawer
      open
      size="min(720px, 100vw)"
      title={existing ? t('rules.editTitle', { name: existing.name }) : ruleKey ? t('rules.overrideTitle', { key: ruleKey }) : t('rules.addCustom')}
      onClose={onClose}
      data-testid="rule-editor"
      extra={
        existing && (
          <Popconfirm title={t('rules.removeConfirm')} onConfirm={() => remove.mutate()}>
            <Button danger data-testid="rule-remove">
              {existing.builtIn ? t('rules.inherit') : t('rules.remove')}
            </Button>
          </Popconfirm>
        )
      }
    >
      {initial.nested && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('rules.nestedNotice')} />}
      <Form form={form} layout="vertical" size="large" initialValues={{ ...initial.values, enabled: existing?.enabled ?? true }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="kind" label={t('rules.kind')}>
          <Select data-testid="rule-kind" options={KINDS.map((k) => ({ value: k, label: t(`rules.kind.${k}`) }))} />
        </Form.Item>

        {(kind === 'predicate' || kind === 'duration' || (kind === 'absence' && !anyReading)) && (
          <>
            <Form.Item name="join" label={t('rules.join')}>
              <Radio.Group optionType="button" options={[{ value: 'all', label: t('rules.join.all') }, { value: 'any', label: t('rules.join.any') }]} />
            </Form.Item>
            <Form.List name="comparisons">
              {(items, { add, remove: drop }) => (
                <>
                  {items.map((item) => (
                    <Space key={item.key} align="baseline" wrap>
                      <Form.Item name={[item.name, 'field']} rules={[{ required: true }]}>
                        <Select aria-label={t('rules.field')} options={fields} style={{ width: 160 }} />
                      </Form.Item>
                      <Form.Item name={[item.name, 'op']} rules={[{ required: true }]}>
                        <Select aria-label={t('rules.op')} options={opOptions} style={{ width: 90 }} />
                      </Form.Item>
                      <Form.Item noStyle shouldUpdate>
                        {() => <ValueInput profile={profile} field={form.getFieldValue(['comparisons', item.name, 'field']) as string} name={item.name} />}
                      </Form.Item>
                      {items.length > 1 && <MinusCircleOutlined aria-label={t('rules.removeComparison')} onClick={() => drop(item.name)} />}
                    </Space>
                  ))}
                  <Form.Item>
                    <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ field: fields[0]?.value ?? '', op: '==', value: '' })}>
                      {t('rules.addComparison')}
                    </Button>
                  </Form.Item>
                </>
              )}
            </Form.List>
          </>
        )}
        {kind === 'duration' && (
          <Form.Item name="minutes" label={t('rules.minutes')} rules={[{ required: true }]}>
            <InputNumber data-testid="rule-minutes" min={1} max={10080} />
          </Form.Item>
        )}
        {kind === 'absence' && (
          <>
            <Form.Item name="anyReading" valuePropName="checked">
              <Checkbox>{t('rules.anyReading')}</Checkbox>
            </Form.Item>
            <Form.Item name="hours" label={t('rules.hours')} rules={[{ required: true }]}>
              <InputNumber min={0.25} max={720} />
            </Form.Item>
          </>
        )}
        {(kind === 'window-total' || kind === 'rate') && (
          <Space wrap align="baseline">
            <Form.Item name="field" label={t('rules.field')} rules={[{ required: true }]}>
              <Select options={numeric} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="totalOp" label={t('rules.op')}>
              <Select options={ordering} style={{ width: 90 }} />
            </Form.Item>
            {kind === 'window-total' ? (
              <Form.Item name="amount" label={t('rules.increase')} rules={[{ required: true }]}>
                <InputNumber min={0} step={0.01} />
              </Form.Item>
            ) : (
              <Form.Item name="perMinute" label={t('rules.perMinute')} rules={[{ required: true }]}>
                <InputNumber step={0.1} />
              </Form.Item>
            )}
          </Space>
        )}
        {kind === 'window-total' && (
          <Space wrap align="baseline">
            <Form.Item name="calendarDay" valuePropName="checked">
              <Checkbox>{t('rules.calendarDay')}</Checkbox>
            </Form.Item>
            {!calendarDay && (
              <Form.Item name="windowHours" label={t('rules.windowHours')} rules={[{ required: true }]}>
                <InputNumber min={0.25} max={720} />
              </Form.Item>
            )}
          </Space>
        )}
        {kind === 'rate' && (
          <Form.Item name="windowMinutes" label={t('rules.windowMinutes')} rules={[{ required: true }]}>
            <InputNumber min={1} max={1440} />
          </Form.Item>
        )}

        <Divider />
        <Space wrap align="baseline">
          <Form.Item name="alarmType" label={t('rules.alarm')}>
            <Select style={{ width: 240 }} options={ALARM_TYPE_IDS.map((id) => ({ value: id, label: ALARM_TYPES[id].name[locale] }))} disabled={Boolean(ruleKey)} />
          </Form.Item>
          <Form.Item name="severity" label={t('rules.severity')}>
            <Select style={{ width: 160 }} options={[{ value: 'default', label: t('rules.severity.default') }, ...ALARM_SEVERITIES.map((s) => ({ value: s, label: t(`rules.severity.${s}`) }))]} />
          </Form.Item>
        </Space>
        <Form.Item name="limitHours" valuePropName="checked">
          <Checkbox>{t('rules.limitHours')}</Checkbox>
        </Form.Item>
        {limitHours && (
          <Space wrap align="baseline">
            <Form.Item name="from" label={t('rules.from')} rules={[{ required: true, pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: 'HH:MM' }]}>
              <Input style={{ width: 100 }} placeholder="08:00" />
            </Form.Item>
            <Form.Item name="to" label={t('rules.to')} rules={[{ required: true, pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: 'HH:MM' }]}>
              <Input style={{ width: 100 }} placeholder="18:00" />
            </Form.Item>
            <Form.Item name="days" label={t('rules.days')} rules={[{ required: true, type: 'array', min: 1 }]}>
              <Checkbox.Group options={WEEKDAYS.map((d) => ({ value: d, label: t(`rules.weekday.${d}` as 'rules.weekday.1') }))} />
            </Form.Item>
          </Space>
        )}
        <Form.Item name="detailZh" label={t('rules.detailZh')} extra={t('rules.detailHint')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="detailEn" label={t('rules.detailEn')}>
          <Input maxLength={200} />
        </Form.Item>
        <Flex gap="large" wrap>
          <Form.Item name="enabled" label={t('rules.enabled')} valuePropName="checked">
            <Switch data-testid="rule-enabled" />
          </Form.Item>
          <Form.Item name="note" label={t('rules.note')} style={{ flex: 1, minWidth: 240 }}>
            <Input maxLength={200} data-testid="rule-note" />
          </Form.Item>
        </Flex>
        {(save.isError || remove.isError) && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={(save.error ?? remove.error)?.message} />}
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="rule-save">
          {t('rules.save')}
        </Button>
      </Form>
      <Divider />
      <DryRunPanel scope={scope} definition={() => fromForm(profile, form.getFieldsValue(true) as RuleFormValues)} />
    </Drawer>
  );
}

function ValueInput({ profile, field, name }: { profile: RuleDefinition['profile']; field: string | undefined; name: number }) {
  const { t } = usePreferences();
  const spec = field ? fieldOf(profile, field) : undefined;
  if (spec?.type === 'boolean') {
    return (
      <Form.Item name={[name, 'value']} rules={[{ required: true }]}>
        <Select aria-label={t('rules.value')} style={{ width: 120 }} options={[{ value: 'true', label: 'true' }, { value: 'false', label: 'false' }]} />
      </Form.Item>
    );
  }
  if (spec?.type === 'enum') {
    return (
      <Form.Item name={[name, 'value']} rules={[{ required: true }]}>
        <Select aria-label={t('rules.value')} style={{ width: 180 }} options={spec.values.map((v) => ({ value: v, label: v }))} />
      </Form.Item>
    );
  }
  return (
    <Form.Item name={[name, 'value']} rules={[{ required: true, pattern: /^-?\d+(\.\d+)?$/, message: t('rules.numberRequired') }]}>
      <Input aria-label={t('rules.value')} data-testid={`rule-value-${name}`} style={{ width: 120 }} suffix={spec && 'unit' in spec ? spec.unit : undefined} />
    </Form.Item>
  );
}

const LOCAL_INPUT = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/** Replays recorded readings through the rule on the form: per device, when it would have been raised and cleared. */
function DryRunPanel({ scope, definition }: { scope: RuleScope; definition: () => RuleDefinition }) {
  const { locale, t } = usePreferences();
  const now = new Date();
  const [from, setFrom] = useState(LOCAL_INPUT(new Date(now.getTime() - 7 * 24 * 3600_000)));
  const [to, setTo] = useState(LOCAL_INPUT(now));
  const run = useMutation({
    mutationFn: () =>
      api.dryRunRule({
        definition: definition(),
        ...('deviceId' in scope ? { deviceIds: [scope.deviceId] } : { regionCode: scope.regionCode }),
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
      }),
  });
  const result: DryRunResult | undefined = run.data;
  return (
    <section data-testid="rule-dry-run" aria-label={t('rules.dryRun')}>
      <Typography.Title level={4}>{t('rules.dryRun')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('rules.dryRunIntro')}</Typography.Paragraph>
      <Space wrap align="end">
        <label>
          {t('rules.from')}
          <Input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="dry-run-from" />
        </label>
        <label>
          {t('rules.to')}
          <Input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} data-testid="dry-run-to" />
        </label>
        <Button onClick={() => run.mutate()} loading={run.isPending} data-testid="dry-run-start">
          {t('rules.dryRunStart')}
        </Button>
      </Space>
      {run.isError && <Alert type="error" showIcon style={{ marginTop: 16 }} message={run.error.message} />}
      {result && (
        <>
          <Typography.Paragraph style={{ marginTop: 16 }} data-testid="dry-run-summary">
            {t('rules.dryRunSummary', { readings: result.readings, devices: result.devices.length, raised: result.totalRaised })}
          </Typography.Paragraph>
          <Table
            rowKey="deviceId"
            size="small"
            pagination={false}
            dataSource={result.devices}
            data-testid="dry-run-table"
            columns={[
              { title: t('rules.device'), dataIndex: 'name' },
              { title: t('rules.raisedCount'), dataIndex: 'raisedCount' },
              { title: t('rules.clearedCount'), dataIndex: 'clearedCount' },
              { title: t('rules.raisedAt'), dataIndex: 'raised', render: (times: string[]) => times.map((x) => formatDateTime(x, locale)).join('，') || '—' },
            ]}
          />
        </>
      )}
    </section>
  );
}
