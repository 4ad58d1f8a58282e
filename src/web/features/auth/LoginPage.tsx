import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useEffect } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api } from '../../api.ts';
import { DisplaySettings } from '../../components/DisplaySettings.tsx';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { FullPageSpin } from '../../components/StatusPages.tsx';
import { useT } from '../../preferences.tsx';
import { notMe } from '../../queryClient.ts';
import { markSessionLost, ME_QUERY_KEY, useMeQuery } from '../../session.tsx';
import { landingFor } from '../resident/residentLabels.ts';

interface LoginForm {
  username: string;
  password: string;
}

interface LoginLocationState {
  from?: string;
  expired?: boolean;
}

function readState(state: unknown): LoginLocationState {
  if (typeof state !== 'object' || state === null) return {};
  const value = state as Record<string, unknown>;
  return {
    from: typeof value.from === 'string' && value.from.startsWith('/') && !value.from.startsWith('/login') ? value.from : undefined,
    expired: value.expired === true,
  };
}

export function LoginPage() {
  const t = useT();
  const me = useMeQuery();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const { from, expired } = readState(location.state);

  useEffect(() => {
    document.title = `${t('login.title')} · ${t('app.fullName')}`;
  }, [t]);

  const login = useMutation({
    mutationFn: async ({ username, password }: LoginForm) => {
      // The server resumes the role and region this user last switched to.
      const { user } = await api.login(username.trim(), password);
      return user;
    },
    onSuccess: (user) => {
      markSessionLost(false);
      queryClient.removeQueries(notMe);
      queryClient.setQueryData(ME_QUERY_KEY, user);
      navigate(from ?? landingFor(user), { replace: true });
    },
  });

  if (me.isPending) return <FullPageSpin />;
  if (me.data && !login.isPending) return <Navigate to={from ?? landingFor(me.data)} replace />;

  return (
    <div className="gz-login">
      <Flex className="gz-login-tools" justify="flex-end" gap="small">
        <LanguageSwitch />
        <DisplaySettings />
      </Flex>
      <main className="gz-login-main">
        <Flex vertical align="center" gap={4} className="gz-login-brand">
          <span className="gz-brand-mark gz-brand-mark-large" aria-hidden>
            治
          </span>
          <Typography.Title level={1}>{t('app.fullName')}</Typography.Title>
          <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
        </Flex>
        <Card className="gz-login-card" title={<span className="gz-login-card-title">{t('login.title')}</span>}>
          {expired && !login.error && <Alert type="warning" showIcon title={t('login.expired')} style={{ marginBottom: 16 }} />}
          {login.error && <Alert type="error" showIcon title={login.error.message} role="alert" data-testid="login-error" style={{ marginBottom: 16 }} />}
          <Form<LoginForm> layout="vertical" size="large" requiredMark={false} onFinish={(values) => login.mutate(values)} disabled={login.isPending}>
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
              <Input prefix={<UserOutlined aria-hidden />} autoComplete="username" autoFocus autoCapitalize="off" spellCheck={false} />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
              {t('login.submit')}
            </Button>
          </Form>
        </Card>
        <Typography.Text type="secondary" className="gz-login-footer">
          {t('login.footer')}
        </Typography.Text>
      </main>
    </div>
  );
}
