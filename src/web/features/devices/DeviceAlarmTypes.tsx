import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Form, Input, Modal, Table, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import type { Static } from 'typebox';
import { ALARM_TYPES, type AlarmTypeId } from '../../../shared/alarms.ts';
import type { DeviceAlarmTypeList } from '../../../server/modules/alarms/schemas.ts';
import { request } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import { useCan } from '../../session.tsx';

type Item = Static<typeof DeviceAlarmTypeList>['items'][number];
const seg = encodeURIComponent;

/**
 * The alarm types a device can raise, with a switch to take one out of service (a sensor being
 * replaced, a reading known to be wrong) and back: its alarms are then recorded but tell nobody.
 */
export function DeviceAlarmTypes({ deviceId }: { deviceId: string }) {
  const { locale, t } = usePreferences();
  const can = useCan();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [switching, setSwitching] = useState<AlarmTypeId | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const key = ['device-alarm-types', deviceId];
  const types = useQuery({ queryKey: key, queryFn: () => request<Static<typeof DeviceAlarmTypeList>>('GET', `/api/devices/${seg(deviceId)}/alarm-types`) });
  const change = useMutation({
    mutationFn: ({ type, reason }: { type: AlarmTypeId; reason: string | null }) =>
      reason === null
        ? request<null>('DELETE', `/api/devices/${seg(deviceId)}/alarm-types/${seg(type)}/out-of-service`)
        : request<null>('PUT', `/api/devices/${seg(deviceId)}/alarm-types/${seg(type)}/out-of-service`, { body: { reason } }),
    onSuccess: async () => {
      setSwitching(null);
      form.resetFields();
      await queryClient.invalidateQueries({ queryKey: key });
      void message.success(t('device.alarmTypes.saved'));
    },
  });
  const manage = can('alarm.windows.manage');

  const columns: TableColumnsType<Item> = [
    { title: t('device.alarmTypes.type'), key: 'type', render: (_, i) => ALARM_TYPES[i.type].name[locale] },
    {
      title: t('device.alarmTypes.state'),
      key: 'state',
      render: (_, i) =>
        i.outOfService ? (
          <span>
            <Tag color="default">{t('device.alarmTypes.off')}</Tag>
            {t('device.alarmTypes.offSince', { reason: i.outOfService.reason, at: formatDateTime(i.outOfService.since, locale), by: i.outOfService.byName ?? '' })}
          </span>
        ) : (
          <Tag color="green">{t('device.alarmTypes.on')}</Tag>
        ),
    },
    ...(manage
      ? [
          {
            title: t('common.actions'),
            key: 'action',
            render: (_: unknown, i: Item) =>
              i.outOfService ? (
                <Button loading={change.isPending && change.variables?.type === i.type} onClick={() => change.mutate({ type: i.type, reason: null })} data-testid={`alarm-type-on-${i.type}`}>
                  {t('device.alarmTypes.turnOn')}
                </Button>
              ) : (
                <Button onClick={() => setSwitching(i.type)} data-testid={`alarm-type-off-${i.type}`}>
                  {t('device.alarmTypes.turnOff')}
                </Button>
              ),
          },
        ]
      : []),
  ];

  return (
    <Card title={t('device.alarmTypes.title')} style={{ marginTop: 16 }}>
      <Table<Item> rowKey="type" size="small" pagination={false} loading={types.isLoading} dataSource={types.data?.items ?? []} columns={columns} />
      <Modal
        open={switching !== null}
        title={switching ? t('device.alarmTypes.offTitle', { type: ALARM_TYPES[switching].name[locale] }) : ''}
        okText={t('device.alarmTypes.turnOff')}
        confirmLoading={change.isPending}
        onCancel={() => setSwitching(null)}
        onOk={() =>
          form.validateFields().then(
            (v) => switching && change.mutate({ type: switching, reason: v.reason.trim() }),
            // the form shows what is missing
            () => undefined,
          )
        }
      >
        <p>{t('device.alarmTypes.offHint')}</p>
        <Form form={form} layout="vertical">
          <Form.Item name="reason" label={t('device.alarmTypes.reason')} rules={[{ required: true, whitespace: true, message: t('device.alarmTypes.reasonRequired') }]}>
            <Input maxLength={200} data-testid="alarm-type-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
