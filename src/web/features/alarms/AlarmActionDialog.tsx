import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Checkbox, Form, Input, InputNumber, Modal, Radio } from 'antd';
import { CALL_OUTCOME_LABELS, CALL_OUTCOMES, type AlarmAction } from '../../../shared/alarms.ts';
import { ApiError } from '../../api.ts';
import { usePreferences } from '../../preferences.tsx';
import { actionLabel } from './alarmLabels.ts';
import { alarmsApi, type AlarmActionInput } from './alarmsApi.ts';

interface Values {
  note?: string;
  reason?: string;
  minutes?: number;
  force?: boolean;
  text?: string;
  decision?: 'confirm' | 'dismiss';
  outcome?: (typeof CALL_OUTCOMES)[number];
}

const optional = (value: string | undefined) => (value && value.trim() ? value.trim() : undefined);

/** The request body of an action from what the dialog asked for. */
function bodyOf(action: AlarmAction, v: Values): AlarmActionInput {
  switch (action) {
    case 'shelve':
      return { action, minutes: v.minutes ?? 30, reason: v.reason?.trim() ?? '' };
    case 'reset': {
      const reason = optional(v.reason);
      return { action, ...(v.force ? { force: true } : {}), ...(reason ? { reason } : {}) };
    }
    case 'comment':
      return { action, text: v.text?.trim() ?? '' };
    case 'recheck':
      return { action, decision: v.decision ?? 'confirm', note: v.note?.trim() ?? '' };
    case 'call':
      return { action, outcome: v.outcome ?? 'reached_ok', note: v.note?.trim() ?? '' };
    default: {
      const note = optional(v.note);
      return { action, ...(note ? { note } : {}) };
    }
  }
}

/** One dialog per action, asking only for what the action needs; the server's refusal is shown as it says it. */
export function AlarmActionDialog({ alarmId, action, onClose }: { alarmId: string; action: AlarmAction; onClose(): void }) {
  const { locale, t } = usePreferences();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const force = Form.useWatch('force', form);
  const submit = useMutation({
    mutationFn: (values: Values) => alarmsApi.act(alarmId, bodyOf(action, values)),
    onSuccess: (detail) => {
      queryClient.setQueryData(['alarm', alarmId], detail);
      void queryClient.invalidateQueries({ queryKey: ['alarms'] });
      void message.success(t('alarms.done', { action: actionLabel(action, locale) }));
      onClose();
    },
  });
  const required = [{ required: true, whitespace: true, message: t('alarms.dialog.required') }];

  return (
    <Modal
      open
      title={actionLabel(action, locale)}
      okText={t('alarms.dialog.submit')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submit.isPending}
      okButtonProps={{ size: 'large', 'data-testid': 'alarm-action-submit' }}
      cancelButtonProps={{ size: 'large' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" size="large" onFinish={(values) => submit.mutate(values)} initialValues={{ minutes: 30, decision: 'confirm', outcome: 'reached_ok' }}>
        {action === 'shelve' && (
          <>
            <Form.Item name="minutes" label={t('alarms.dialog.minutes')} rules={[{ required: true, message: t('alarms.dialog.required') }]}>
              <InputNumber min={1} max={1440} precision={0} style={{ width: '100%' }} data-testid="alarm-shelve-minutes" />
            </Form.Item>
            <Form.Item name="reason" label={t('alarms.dialog.reason')} rules={required}>
              <Input maxLength={200} data-testid="alarm-action-reason" />
            </Form.Item>
          </>
        )}
        {action === 'reset' && (
          <>
            <Form.Item name="force" valuePropName="checked">
              <Checkbox>{t('alarms.dialog.force')}</Checkbox>
            </Form.Item>
            <Form.Item name="reason" label={t('alarms.dialog.reason')} rules={force ? required : []}>
              <Input maxLength={200} />
            </Form.Item>
          </>
        )}
        {action === 'comment' && (
          <Form.Item name="text" label={t('alarms.dialog.text')} rules={required}>
            <Input.TextArea rows={3} maxLength={1000} data-testid="alarm-action-text" />
          </Form.Item>
        )}
        {action === 'recheck' && (
          <>
            <Form.Item name="decision" label={t('alarms.dialog.decision')}>
              <Radio.Group>
                <Radio value="confirm">{t('alarms.dialog.confirm')}</Radio>
                <Radio value="dismiss">{t('alarms.dialog.dismiss')}</Radio>
              </Radio.Group>
            </Form.Item>
            <Form.Item name="note" label={t('alarms.dialog.recheckNote')} rules={required}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </>
        )}
        {action === 'call' && (
          <>
            <Form.Item name="outcome" label={t('alarms.dialog.outcome')}>
              <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
                {CALL_OUTCOMES.map((o) => (
                  <Radio key={o} value={o}>
                    {CALL_OUTCOME_LABELS[o][locale]}
                  </Radio>
                ))}
              </Radio.Group>
            </Form.Item>
            <Form.Item name="note" label={t('alarms.dialog.callNote')} rules={required}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </>
        )}
        {(action === 'ack' || action === 'unshelve') && (
          <Form.Item name="note" label={t('alarms.dialog.note')}>
            <Input maxLength={500} />
          </Form.Item>
        )}
        {submit.isError && (
          <div role="alert" style={{ color: 'var(--ant-color-error, #cf1322)' }} data-testid="alarm-action-error">
            {submit.error instanceof ApiError || submit.error instanceof Error ? submit.error.message : String(submit.error)}
          </div>
        )}
      </Form>
    </Modal>
  );
}
