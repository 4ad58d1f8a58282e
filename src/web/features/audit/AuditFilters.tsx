import { AutoComplete, Button, DatePicker, Form, Input, Select, type GetProps } from 'antd';
import type { AuditQuery } from '../../api.ts';
import { auditObjectLabel } from '../../labels.ts';
import { usePreferences } from '../../preferences.tsx';

type RangeValue = GetProps<typeof DatePicker.RangePicker>['value'];

interface FilterForm {
  action?: string;
  actor?: string;
  objectType?: string;
  range?: RangeValue;
}

const PREFIXES = ['auth', 'user', 'personal_data', 'region', 'department'] as const;
const OBJECT_TYPES = ['session', 'user', 'region', 'department'] as const;

export type AuditFilterValues = Pick<AuditQuery, 'action' | 'actor' | 'objectType' | 'from' | 'to'>;

export function AuditFilters({ onChange }: { onChange(filters: AuditFilterValues): void }) {
  const { locale, t } = usePreferences();
  const [form] = Form.useForm<FilterForm>();

  const submit = (values: FilterForm) => {
    const [from, to] = values.range ?? [];
    onChange({
      action: values.action?.trim() || undefined,
      actor: values.actor?.trim() || undefined,
      objectType: values.objectType || undefined,
      from: from ? from.startOf('day').toISOString() : undefined,
      to: to ? to.endOf('day').toISOString() : undefined,
    });
  };

  return (
    <Form<FilterForm> form={form} layout="inline" onFinish={submit} className="gz-filters" role="search">
      <Form.Item name="action" label={t('audit.filter.action')}>
        <AutoComplete
          allowClear
          style={{ width: 260 }}
          placeholder={t('audit.filter.actionPlaceholder')}
          options={PREFIXES.map((p) => ({ value: `${p}.`, label: t(`audit.prefix.${p}`) }))}
        />
      </Form.Item>
      <Form.Item name="actor" label={t('audit.filter.actor')}>
        <Input allowClear maxLength={64} style={{ width: 160 }} autoCapitalize="off" spellCheck={false} />
      </Form.Item>
      <Form.Item name="objectType" label={t('audit.filter.objectType')}>
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('common.all')}
          options={OBJECT_TYPES.map((type) => ({ value: type, label: auditObjectLabel(type, locale) }))}
        />
      </Form.Item>
      <Form.Item name="range" label={t('audit.filter.dateRange')}>
        <DatePicker.RangePicker allowEmpty={[true, true]} />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit">
          {t('common.search')}
        </Button>
      </Form.Item>
      <Form.Item>
        <Button
          onClick={() => {
            form.resetFields();
            onChange({});
          }}
        >
          {t('common.reset')}
        </Button>
      </Form.Item>
    </Form>
  );
}
