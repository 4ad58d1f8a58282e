import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Flex, Form, Input, InputNumber, Modal, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../api.ts';
import { usePreferences, type Translate } from '../../preferences.tsx';
import type { CalendarDay, CalendarYearDetail, CalendarYearInput } from '../../types.ts';
import { dateRange, holidayRanges, isWeekend } from './calendarDates.ts';

interface Values {
  year: number | null;
  holidays: { name?: string; range?: [Dayjs | null, Dayjs | null] | null }[];
  workdays: { name?: string; date?: Dayjs | null }[];
}

const FORMAT = 'YYYY-MM-DD';

/** Turns the form into the year's days, or the reasons it cannot be saved (the server's checks, in advance). */
function toDays(values: Values, t: Translate): { days: CalendarYearInput['days']; errors: string[] } {
  const year = values.year ?? 0;
  const days: CalendarYearInput['days'] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  const add = (date: string, kind: 'holiday' | 'workday', name: string | undefined) => {
    if (Number(date.slice(0, 4)) !== year) errors.push(t('cal.outsideYear', { date, year }));
    else if (seen.has(date)) errors.push(t('cal.duplicate', { date }));
    else if (kind === 'workday' && !isWeekend(date)) errors.push(t('cal.notWeekend', { date }));
    seen.add(date);
    days.push({ date, kind, name: name?.trim() ? name.trim() : null });
  };
  for (const h of values.holidays ?? []) {
    const [from, to] = h.range ?? [];
    if (!from || !to) {
      errors.push(t('cal.dateRequired'));
      continue;
    }
    for (const date of dateRange(from.format(FORMAT), to.format(FORMAT))) add(date, 'holiday', h.name);
  }
  for (const w of values.workdays ?? []) {
    if (!w.date) {
      errors.push(t('cal.dateRequired'));
      continue;
    }
    add(w.date.format(FORMAT), 'workday', w.name);
  }
  if (days.length > 366) errors.push(t('cal.tooMany'));
  return { days, errors: [...new Set(errors)] };
}

function initialValues(year: number, existing: readonly CalendarDay[]): Values {
  return {
    year,
    holidays: holidayRanges(existing).map((r) => ({ name: r.name ?? undefined, range: [dayjs(r.from), dayjs(r.to)] })),
    workdays: existing.filter((d) => d.kind === 'workday').map((d) => ({ name: d.name ?? undefined, date: dayjs(d.date) })),
  };
}

/**
 * Enters or replaces one year's schedule (PUT replaces the whole year): holiday periods with a name
 * and the weekend days worked instead (调休), as the State Council's notice lists them.
 */
export function YearEditor({
  year: initialYear,
  existing,
  knownYears,
  isNew,
  onClose,
  onSaved,
}: {
  year: number;
  existing: readonly CalendarDay[];
  knownYears: readonly number[];
  isNew: boolean;
  onClose: () => void;
  onSaved: (detail: CalendarYearDetail) => void;
}) {
  const { t } = usePreferences();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [errors, setErrors] = useState<string[]>([]);
  const year = Form.useWatch('year', form) ?? initialYear;
  const save = useMutation({
    mutationFn: ({ year: y, days }: { year: number; days: CalendarYearInput['days'] }) => api.replaceCalendarYear(y, { days }),
    onSuccess: (detail) => {
      void message.success(t('cal.yearSaved', { year: detail.year }));
      onSaved(detail);
    },
  });

  const submit = (values: Values) => {
    const { days, errors: problems } = toDays(values, t);
    setErrors(problems);
    if (problems.length > 0 || values.year === null) return;
    save.mutate({ year: values.year, days });
  };

  // Only the year is fenced off in the pickers; a weekday typed as 调休 gets a message rather than a silent refusal.
  const outsideYear = (d: Dayjs) => d.year() !== year;
  const pickerStart = dayjs(`${year}-01-01`);

  return (
    <Modal
      open
      width={760}
      title={t('cal.editorTitle', { year })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ loading: save.isPending, id: 'calendar-year-save' }}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('cal.editorHint')} style={{ marginBottom: 16 }} />
      <Form<Values> form={form} layout="vertical" initialValues={initialValues(initialYear, existing)} onFinish={submit}>
        <Form.Item name="year" label={t('cal.year')} rules={[{ required: true, type: 'integer', min: 2000, max: 2099, message: t('cal.yearRange') }]}>
          <InputNumber min={2000} max={2099} precision={0} disabled={!isNew} data-testid="calendar-editor-year" />
        </Form.Item>
        {isNew && knownYears.includes(year) && <Alert type="warning" showIcon title={t('cal.yearExists', { year })} style={{ marginBottom: 16 }} />}

        <Typography.Title level={5}>{t('cal.holidayRanges')}</Typography.Title>
        <Form.List name="holidays">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8} style={{ marginBottom: 16 }} data-testid="calendar-editor-holidays">
              {fields.map((field, i) => (
                <Flex key={field.key} gap={8} wrap align="start" data-testid={`calendar-holiday-${i}`}>
                  <Form.Item name={[field.name, 'name']} noStyle rules={[{ max: 50 }]}>
                    <Input placeholder={t('cal.namePlaceholder')} maxLength={50} style={{ width: '10em' }} aria-label={t('cal.name')} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'range']} noStyle rules={[{ required: true, message: t('cal.dateRequired') }]}>
                    <DatePicker.RangePicker format={FORMAT} disabledDate={outsideYear} defaultPickerValue={[pickerStart, pickerStart]} aria-label={t('cal.range')} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} data-testid="calendar-add-holiday">
                {t('cal.addHoliday')}
              </Button>
            </Flex>
          )}
        </Form.List>

        <Typography.Title level={5}>{t('cal.workdayList')}</Typography.Title>
        <Form.List name="workdays">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8} data-testid="calendar-editor-workdays">
              {fields.map((field, i) => (
                <Flex key={field.key} gap={8} wrap align="start" data-testid={`calendar-workday-${i}`}>
                  <Form.Item name={[field.name, 'name']} noStyle rules={[{ max: 50 }]}>
                    <Input placeholder={t('cal.namePlaceholder')} maxLength={50} style={{ width: '10em' }} aria-label={t('cal.name')} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'date']} noStyle rules={[{ required: true, message: t('cal.dateRequired') }]}>
                    <DatePicker format={FORMAT} disabledDate={outsideYear} defaultPickerValue={pickerStart} aria-label={t('cal.date')} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} data-testid="calendar-add-workday">
                {t('cal.addWorkday')}
              </Button>
            </Flex>
          )}
        </Form.List>
        {errors.length > 0 && (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 16 }}
            title={errors.length === 1 ? errors[0] : <ul className="gz-plain-list">{errors.map((e) => <li key={e}>{e}</li>)}</ul>}
            data-testid="calendar-editor-errors"
          />
        )}
        {save.isError && <Alert type="error" showIcon style={{ marginTop: 16 }} title={save.error.message} data-testid="calendar-editor-error" />}
      </Form>
    </Modal>
  );
}
