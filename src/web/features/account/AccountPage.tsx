import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Flex, Form, Input, Row, Tag, Typography } from 'antd';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { assignmentLabel } from '../../labels.ts';
import { usePreferences } from '../../preferences.tsx';
import { useSession } from '../../session.tsx';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export function AccountPage() {
  const me = useSession();
  const { locale, t } = usePreferences();

  return (
    <>
      <PageTitle title={t('nav.account')}>{t('nav.account')}</PageTitle>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('account.profile')} className="gz-full-height">
            <Descriptions
              column={1}
              items={[
                { key: 'name', label: t('user.name'), children: me.user.displayName },
                { key: 'username', label: t('user.username'), children: <span className="gz-code">{me.user.username}</span> },
              ]}
            />
            <Typography.Title level={2} className="gz-section-title">
              {t('account.assignments')}
            </Typography.Title>
            <Flex vertical gap="small" component="ul" className="gz-plain-list">
              {me.assignments.map((a) => (
                <li key={a.id}>
                  {assignmentLabel(a, locale)} {a.id === me.assignment.id && <Tag color="blue">{t('account.active')}</Tag>}
                </li>
              ))}
            </Flex>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <ChangePassword />
        </Col>
      </Row>
    </>
  );
}

function ChangePassword() {
  const me = useSession();
  const { t } = usePreferences();
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordForm>();
  const change = useMutation({
    mutationFn: ({ currentPassword, newPassword }: PasswordForm) => api.changePassword(currentPassword, newPassword),
    onSuccess: () => {
      form.resetFields();
      message.success(t('account.changed'));
    },
  });

  return (
    <Card title={t('account.changePassword')} className="gz-full-height">
      {change.error && <Alert type="error" showIcon title={change.error.message} style={{ marginBottom: 16 }} role="alert" />}
      {change.isSuccess && <Alert type="success" showIcon title={t('account.changed')} style={{ marginBottom: 16 }} />}
      <Form<PasswordForm> form={form} layout="vertical" requiredMark={false} disabled={change.isPending} onFinish={(values) => change.mutate(values)}>
        {/* Lets password managers pair the new password with this account. */}
        <input type="text" name="username" autoComplete="username" value={me.user.username} readOnly hidden />
        <Form.Item name="currentPassword" label={t('account.currentPassword')} rules={[{ required: true, message: t('account.required') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('account.newPassword')}
          extra={t('account.passwordRule')}
          rules={[
            { required: true, message: t('account.required') },
            { validator: (_, value: string | undefined) => ([...(value ?? '')].length >= 10 ? Promise.resolve() : Promise.reject(new Error(t('account.tooShort')))) },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('account.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('account.required') },
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('account.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" loading={change.isPending}>
          {t('account.submit')}
        </Button>
      </Form>
    </Card>
  );
}
