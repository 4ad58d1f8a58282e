import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Input, Modal, Typography } from 'antd';
import { api } from '../../api.ts';
import { usePreferences } from '../../preferences.tsx';
import type { User } from '../../types.ts';

const MIN_REASON = 4;

/** Asks for 事由, then shows the full number once. The server writes the view to the audit log. */
export function RevealPhoneModal({ user, onClose }: { user: User | null; onClose(): void }) {
  const { t } = usePreferences();
  const [form] = Form.useForm<{ reason: string }>();
  const queryClient = useQueryClient();
  const reveal = useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => api.revealPhone(id, reason),
    // The audit log has a new entry.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['audit'] }),
  });

  const close = () => {
    reveal.reset();
    form.resetFields();
    onClose();
  };

  const shown = reveal.data;
  return (
    <Modal
      open={user !== null}
      title={user ? t('user.reveal.title', { name: user.displayName }) : ''}
      onCancel={close}
      destroyOnHidden
      okText={shown ? t('common.confirm') : t('user.reveal.submit')}
      cancelText={t('common.cancel')}
      cancelButtonProps={shown ? { style: { display: 'none' } } : undefined}
      confirmLoading={reveal.isPending}
      onOk={() => (shown ? close() : form.submit())}
    >
      {shown ? (
        <>
          <Typography.Paragraph>{t('user.reveal.result')}</Typography.Paragraph>
          <Typography.Paragraph className="gz-revealed" data-testid="revealed-phone" copyable={shown.value ? { text: shown.value } : false}>
            {shown.value ?? t('user.reveal.noPhone')}
          </Typography.Paragraph>
          <Alert type="info" showIcon icon={<SafetyCertificateOutlined />} title={t('user.reveal.audited')} />
        </>
      ) : (
        user && (
          <Form
            form={form}
            layout="vertical"
            onFinish={({ reason }) => reveal.mutate({ id: user.id, reason: reason.trim() })}
            disabled={reveal.isPending}
          >
            <Typography.Paragraph type="secondary">{t('user.reveal.reasonHelp')}</Typography.Paragraph>
            {reveal.error && <Alert type="error" showIcon title={reveal.error.message} style={{ marginBottom: 16 }} />}
            <Form.Item
              name="reason"
              label={t('user.reveal.reason')}
              rules={[
                { required: true, whitespace: true, message: t('user.reveal.reasonTooShort') },
                {
                  validator: (_, value: string | undefined) =>
                    [...(value ?? '').trim()].length >= MIN_REASON ? Promise.resolve() : Promise.reject(new Error(t('user.reveal.reasonTooShort'))),
                },
              ]}
            >
              <Input.TextArea autoFocus rows={3} maxLength={200} showCount placeholder={t('user.reveal.reasonPlaceholder')} />
            </Form.Item>
          </Form>
        )
      )}
    </Modal>
  );
}
