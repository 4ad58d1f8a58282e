import { useMutation } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { api } from '../../api.ts';
import { usePreferences } from '../../preferences.tsx';
import type { Category, CategoryDetail } from '../../types.ts';

/** Switches a category off or on, with the reason recorded in the audit log. */
export function CategoryStateModal({ category, onClose, onDone }: { category: Category; onClose: () => void; onDone: (detail: CategoryDetail) => void }) {
  const { locale, t } = usePreferences();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const activate = !category.active;
  const name = locale === 'en' ? category.nameEn : category.name;
  const change = useMutation({
    mutationFn: (reason: string) => api.setCategoryActive(category.code, activate, reason),
    onSuccess: (detail) => {
      void message.success(t(activate ? 'cat.activated' : 'cat.deactivated', { code: detail.code }));
      onDone(detail);
    },
  });
  return (
    <Modal
      open
      title={t(activate ? 'cat.activateTitle' : 'cat.deactivateTitle', { code: category.code, name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t(activate ? 'cat.activate' : 'cat.deactivate')}
      okButtonProps={{ danger: !activate, loading: change.isPending, id: 'category-state-confirm' }}
      destroyOnHidden
    >
      <Typography.Paragraph>{t(activate ? 'cat.activateHint' : 'cat.deactivateHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => change.mutate(v.reason.trim())}>
        <Form.Item
          name="reason"
          label={t('cat.reason')}
          extra={t('cat.reasonHint')}
          rules={[{ required: true, whitespace: true, message: t('cat.reasonRequired') }, { max: 500 }]}
        >
          <Input.TextArea rows={3} maxLength={500} data-testid="category-state-reason" />
        </Form.Item>
      </Form>
      {change.isError && <Alert type="error" showIcon title={change.error.message} />}
    </Modal>
  );
}
