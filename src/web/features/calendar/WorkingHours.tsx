import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, Input, Modal, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import type { WorkingPeriod } from '../../types.ts';

/** The server's patterns (calendar/schemas.ts): HH:MM, and 24:00 as an end. */
const START = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const END = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;

const minutes = (value: string) => Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));

/** Ascending, non-overlapping, each ending after it starts (the server's check). */
export function periodsValid(periods: readonly WorkingPeriod[]): boolean {
  let previousEnd = -1;
  for (const p of periods) {
    const start = minutes(p.start);
    const end = minutes(p.end);
    if (start >= end || start < previousEnd) return false;
    previousEnd = end;
  }
  return periods.length > 0;
}

export function periodsText(periods: readonly WorkingPeriod[]): string {
  return periods.map((p) => `${p.start}–${p.end}`).join(', ');
}

/** 工作时间: the periods the 工作时 clock counts; administrators change them. */
export function WorkingHoursCard({ canManage }: { canManage: boolean }) {
  const { locale, t } = usePreferences();
  const settings = useQuery({ queryKey: ['calendar', 'settings'], queryFn: api.calendarSettings });
  const [editing, setEditing] = useState(false);
  return (
    <Card
      title={t('cal.hours')}
      extra={
        canManage && settings.data ? (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="calendar-edit-hours">
            {t('cal.hoursEdit')}
          </Button>
        ) : undefined
      }
      className="gz-full-height"
    >
      {settings.isPending ? (
        <Spin />
      ) : settings.isError ? (
        <ErrorResult error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <Flex vertical gap="small">
          <Flex gap="small" wrap data-testid="calendar-hours">
            {settings.data.workingHours.map((p) => (
              <Tag key={p.start} className="gz-cal-period">
                {p.start}–{p.end}
              </Tag>
            ))}
          </Flex>
          <Typography.Text type="secondary">{t('cal.hoursHint')}</Typography.Text>
          {settings.data.updatedBy && (
            <Typography.Text type="secondary">
              {t('cal.changedBy', { at: formatDateTime(settings.data.updatedAt, locale), by: settings.data.updatedBy })}
            </Typography.Text>
          )}
        </Flex>
      )}
      {editing && settings.data && <HoursEditor periods={settings.data.workingHours} onClose={() => setEditing(false)} />}
    </Card>
  );
}

function HoursEditor({ periods, onClose }: { periods: WorkingPeriod[]; onClose: () => void }) {
  const { t } = usePreferences();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ periods: WorkingPeriod[] }>();
  const [orderError, setOrderError] = useState(false);
  const save = useMutation({
    mutationFn: api.updateCalendarSettings,
    onSuccess: (next) => {
      queryClient.setQueryData(['calendar', 'settings'], next);
      void message.success(t('cal.hoursSaved'));
      onClose();
    },
  });
  return (
    <Modal open title={t('cal.hoursEdit')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} okButtonProps={{ loading: save.isPending, id: 'calendar-hours-save' }} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('cal.hoursEditHint')}</Typography.Paragraph>
      <Form
        form={form}
        initialValues={{ periods }}
        onFinish={(v) => {
          const list = v.periods.map((p) => ({ start: p.start.trim(), end: p.end.trim() }));
          const ok = periodsValid(list);
          setOrderError(!ok);
          if (ok) save.mutate(list);
        }}
      >
        <Form.List name="periods">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((field, i) => (
                <Flex key={field.key} gap={8} align="start" wrap>
                  <Form.Item name={[field.name, 'start']} noStyle rules={[{ required: true, pattern: START, message: t('cal.timeInvalid') }]}>
                    <Input style={{ width: '7em' }} placeholder="08:00" maxLength={5} aria-label={`${t('cal.start')} ${i + 1}`} data-testid={`hours-start-${i}`} />
                  </Form.Item>
                  <span className="gz-cal-dash">–</span>
                  <Form.Item name={[field.name, 'end']} noStyle rules={[{ required: true, pattern: END, message: t('cal.timeInvalid') }]}>
                    <Input style={{ width: '7em' }} placeholder="12:00" maxLength={5} aria-label={`${t('cal.end')} ${i + 1}`} data-testid={`hours-end-${i}`} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} disabled={fields.length <= 1} onClick={() => remove(field.name)} aria-label={t('common.delete')} />
                </Flex>
              ))}
              {fields.length < 6 && (
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ start: '', end: '' })}>
                  {t('cal.addPeriod')}
                </Button>
              )}
            </Flex>
          )}
        </Form.List>
      </Form>
      {orderError && <Alert type="error" showIcon style={{ marginTop: 16 }} title={t('cal.hoursOrder')} />}
      {save.isError && <Alert type="error" showIcon style={{ marginTop: 16 }} title={save.error.message} />}
    </Modal>
  );
}
