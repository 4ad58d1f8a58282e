import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Descriptions, Form, InputNumber, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { CLOCK_TYPE_LABELS, CLOCK_TYPES, type ClockType } from '../../../shared/time-limits.ts';
import { api } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import { shanghaiNow } from './calendarDates.ts';

interface Values {
  start: Dayjs | null;
  amount: number | null;
  clock: ClockType;
}

const DAY_CLOCKS: ReadonlySet<ClockType> = new Set(['working_days', 'calendar_days']);
const FORMAT = 'YYYY-MM-DD HH:mm';

/**
 * 期限计算器: when a limit started at a given moment runs out, and when its 80 % warning fires, on
 * the calendar the server holds. The picker's wall-clock time is read as Shanghai time.
 */
export function DeadlineCalculator() {
  const { locale, t } = usePreferences();
  const [form] = Form.useForm<Values>();
  const clock = Form.useWatch('clock', form) ?? 'working_days';
  const whole = DAY_CLOCKS.has(clock);
  const compute = useMutation({
    mutationFn: (v: { start: string; amount: number; clock: ClockType }) => api.calendarDeadline(v),
  });

  return (
    <Card title={t('cal.calc')} className="gz-full-height">
      <Typography.Paragraph type="secondary">{t('cal.calcHint')}</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ start: dayjs(shanghaiNow(), FORMAT), amount: 2, clock: 'working_days' }}
        onFinish={(v) => {
          if (!v.start || v.amount === null) return;
          compute.mutate({ start: `${v.start.format('YYYY-MM-DDTHH:mm')}:00+08:00`, amount: v.amount, clock: v.clock });
        }}
      >
        <Form.Item name="start" label={t('cal.calcStart')} rules={[{ required: true, message: t('cal.dateRequired') }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format={FORMAT} style={{ width: '100%' }} data-testid="deadline-start" />
        </Form.Item>
        <Form.Item label={t('cal.calcAmount')} required>
          <Space.Compact block>
            <Form.Item
              name="amount"
              noStyle
              dependencies={['clock']}
              rules={[
                { required: true, message: t('cal.amountRange') },
                {
                  validator: async (_, value: number | null) => {
                    if (value === null || value === undefined) return;
                    if (!(value > 0 && value <= 10000)) throw new Error(t('cal.amountRange'));
                    if (whole && !Number.isInteger(value)) throw new Error(t('cal.wholeDays'));
                  },
                },
              ]}
            >
              <InputNumber min={0} max={10000} step={whole ? 1 : 0.5} style={{ width: 120 }} aria-label={t('cal.calcAmount')} data-testid="deadline-amount" />
            </Form.Item>
            <Space.Addon>{whole ? t('cat.unitDays') : t('cat.unitHours')}</Space.Addon>
            <Form.Item name="clock" noStyle>
              <Select
                style={{ minWidth: 200 }}
                aria-label={t('cal.calcClock')}
                options={CLOCK_TYPES.map((c) => ({ value: c, label: CLOCK_TYPE_LABELS[c][locale] }))}
                data-testid="deadline-clock"
              />
            </Form.Item>
          </Space.Compact>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={compute.isPending} data-testid="deadline-submit">
          {t('cal.calcSubmit')}
        </Button>
      </Form>
      {compute.isError && <Alert type="error" showIcon style={{ marginTop: 16 }} title={compute.error.message} data-testid="deadline-error" />}
      {compute.isSuccess && (
        <Descriptions
          style={{ marginTop: 16 }}
          bordered
          size="small"
          column={1}
          data-testid="deadline-result"
          items={[
            { key: 'deadline', label: t('cal.deadline'), children: <strong data-testid="deadline-value">{formatDateTime(compute.data.deadline, locale)}</strong> },
            { key: 'warn', label: t('cal.warnAt'), children: <span data-testid="deadline-warn">{formatDateTime(compute.data.warnAt, locale)}</span> },
          ]}
        />
      )}
    </Card>
  );
}
