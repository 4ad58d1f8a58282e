import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, DatePicker, Drawer, Form, Input, Radio, Table, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import { alarmAdminApi, type AlarmWindow } from './alarmsApi.ts';

interface Values {
  kind: 'maintenance' | 'drill';
  target: string;
  span: [Dayjs, Dayjs];
  reason: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Maintenance windows and drills: while one covers a device or a region, its alarms are recorded suppressed. */
export function AlarmWindowsDrawer({ onClose }: { onClose(): void }) {
  const { locale, t } = usePreferences();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const windows = useQuery({ queryKey: ['alarm-windows'], queryFn: alarmAdminApi.windows });
  const [form] = Form.useForm<Values>();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['alarm-windows'] });
  const open = useMutation({
    mutationFn: (v: Values) => {
      const target = v.target.trim();
      return alarmAdminApi.openWindow({
        kind: v.kind,
        ...(UUID.test(target) ? { deviceId: target } : { regionCode: target }),
        startsAt: v.span[0].toDate().toISOString(),
        endsAt: v.span[1].toDate().toISOString(),
        reason: v.reason.trim(),
      });
    },
    onSuccess: () => {
      form.resetFields();
      refresh();
      void message.success(t('alarms.windows.opened'));
    },
  });
  const close = useMutation({ mutationFn: (id: string) => alarmAdminApi.closeWindow(id), onSuccess: refresh });

  const columns: TableColumnsType<AlarmWindow> = [
    { title: t('alarms.windows.kind'), dataIndex: 'kind', render: (k: string) => (k === 'drill' ? t('alarms.windows.drill') : t('alarms.windows.maintenance')) },
    { title: t('alarms.windows.target'), key: 'target', render: (_, w) => w.regionCode ?? w.deviceId },
    { title: t('alarms.windows.span'), key: 'span', render: (_, w) => `${formatDateTime(w.startsAt, locale)} – ${formatDateTime(w.endsAt, locale)}` },
    { title: t('alarms.dialog.reason'), dataIndex: 'reason' },
    { title: '', key: 'end', render: (_, w) => <Button onClick={() => close.mutate(w.id)} loading={close.isPending}>{t('alarms.windows.end')}</Button> },
  ];

  return (
    <Drawer open onClose={onClose} title={t('alarms.windows.title')} size="min(96vw, 820px)">
      <Typography.Paragraph type="secondary">{t('alarms.windows.intro')}</Typography.Paragraph>
      {windows.isError ? (
        <ErrorResult error={windows.error} onRetry={() => void windows.refetch()} />
      ) : (
        <Table<AlarmWindow> rowKey="id" columns={columns} dataSource={windows.data?.items ?? []} loading={windows.isPending} pagination={false} size="middle" locale={{ emptyText: t('alarms.windows.none') }} />
      )}
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('alarms.windows.add')}
      </Typography.Title>
      <Form form={form} layout="vertical" size="large" initialValues={{ kind: 'maintenance' }} onFinish={(v) => open.mutate(v)}>
        <Form.Item name="kind" label={t('alarms.windows.kind')}>
          <Radio.Group>
            <Radio value="maintenance">{t('alarms.windows.maintenance')}</Radio>
            <Radio value="drill">{t('alarms.windows.drill')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="target" label={t('alarms.windows.targetHelp')} rules={[{ required: true, whitespace: true, message: t('alarms.dialog.required') }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="span" label={t('alarms.windows.span')} rules={[{ required: true, message: t('alarms.dialog.required') }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reason" label={t('alarms.dialog.reason')} rules={[{ required: true, whitespace: true, message: t('alarms.dialog.required') }]}>
          <Input maxLength={200} />
        </Form.Item>
        {open.isError && <Typography.Paragraph type="danger">{open.error.message}</Typography.Paragraph>}
        <Button type="primary" htmlType="submit" loading={open.isPending}>
          {t('alarms.windows.add')}
        </Button>
      </Form>
    </Drawer>
  );
}
