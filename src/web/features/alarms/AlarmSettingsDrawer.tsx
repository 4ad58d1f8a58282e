import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Drawer, Form, InputNumber, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useEffect } from 'react';
import { ALARM_CASE_MODE_LABELS, ALARM_CASE_MODES, ALARM_SEVERITIES, type AlarmCaseMode, type AlarmSeverity } from '../../../shared/alarms.ts';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import { severityLabel } from './alarmLabels.ts';
import { alarmAdminApi, type AlarmSettings } from './alarmsApi.ts';

type TypeRow = AlarmSettings['types'][number];
interface Values {
  caseModes: Record<string, AlarmCaseMode>;
  escalationMinutes: Record<AlarmSeverity, number | null>;
}

/** Administrators: what each process alarm type does to the case loop, and after how long an unacknowledged alarm escalates. */
export function AlarmSettingsDrawer({ onClose }: { onClose(): void }) {
  const { locale, t } = usePreferences();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ['alarm-settings'], queryFn: alarmAdminApi.settings });
  const [form] = Form.useForm<Values>();
  useEffect(() => {
    if (!settings.data) return;
    form.setFieldsValue({
      caseModes: Object.fromEntries(settings.data.types.map((x) => [x.type, x.caseMode])),
      escalationMinutes: settings.data.escalationMinutes as Values['escalationMinutes'],
    });
  }, [settings.data, form]);
  const save = useMutation({
    // only what changed: a type left alone keeps following the catalogue's default
    mutationFn: async (values: Values) => {
      const current = settings.data;
      if (!current) return undefined;
      const caseModes: Record<string, AlarmCaseMode> = {};
      for (const x of current.types) {
        const chosen = values.caseModes[x.type];
        if (x.kind === 'process' && chosen && chosen !== x.caseMode) caseModes[x.type] = chosen;
      }
      const before = current.escalationMinutes as Record<AlarmSeverity, number | null>;
      const escalationMinutes = Object.fromEntries(ALARM_SEVERITIES.filter((s) => (values.escalationMinutes[s] ?? null) !== before[s]).map((s) => [s, values.escalationMinutes[s] ?? null]));
      if (Object.keys(caseModes).length === 0 && Object.keys(escalationMinutes).length === 0) return current;
      return alarmAdminApi.changeSettings({ ...(Object.keys(caseModes).length ? { caseModes } : {}), ...(Object.keys(escalationMinutes).length ? { escalationMinutes } : {}) });
    },
    onSuccess: (data) => {
      if (data) queryClient.setQueryData(['alarm-settings'], data);
      void message.success(t('alarms.settings.saved'));
      onClose();
    },
  });

  const columns: TableColumnsType<TypeRow> = [
    { title: t('alarms.col.type'), dataIndex: 'name' },
    { title: t('alarms.col.severity'), dataIndex: 'severity', render: (s: string) => severityLabel(s, locale) },
    {
      title: t('alarms.detail.caseMode'),
      key: 'mode',
      render: (_, x) => (
        <Form.Item name={['caseModes', x.type]} noStyle>
          <Select disabled={x.kind !== 'process'} style={{ minWidth: 180 }} aria-label={`${x.name} ${t('alarms.detail.caseMode')}`} options={ALARM_CASE_MODES.map((m) => ({ value: m, label: ALARM_CASE_MODE_LABELS[m][locale] }))} />
        </Form.Item>
      ),
    },
    { title: t('alarms.settings.category'), dataIndex: 'categoryCode', render: (code: string | null) => code ?? '—' },
  ];

  return (
    <Drawer open onClose={onClose} title={t('alarms.settings.title')} size="min(96vw, 820px)" extra={<Button type="primary" size="large" loading={save.isPending} onClick={() => form.submit()}>{t('alarms.dialog.submit')}</Button>}>
      {settings.isError && <ErrorResult error={settings.error} onRetry={() => void settings.refetch()} />}
      {settings.data && (
        <Form form={form} layout="vertical" size="large" onFinish={(values) => save.mutate(values)}>
          <Typography.Title level={5}>{t('alarms.settings.escalation')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('alarms.settings.escalationHelp')}</Typography.Paragraph>
          <Space wrap>
            {ALARM_SEVERITIES.map((s) => (
              <Form.Item key={s} name={['escalationMinutes', s]} label={severityLabel(s, locale)}>
                <InputNumber min={1} max={1440} precision={0} placeholder={t('alarms.settings.never')} />
              </Form.Item>
            ))}
          </Space>
          <Table<TypeRow> rowKey="type" columns={columns} dataSource={settings.data.types} pagination={false} size="middle" />
          {save.isError && <Typography.Text type="danger">{save.error.message}</Typography.Text>}
        </Form>
      )}
    </Drawer>
  );
}
