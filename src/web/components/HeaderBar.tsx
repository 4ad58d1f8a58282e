import { LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Grid, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { api } from '../api.ts';
import { assignmentLabel } from '../labels.ts';
import { usePreferences } from '../preferences.tsx';
import { ME_QUERY_KEY, useSession } from '../session.tsx';
import { DisplaySettings } from './DisplaySettings.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { NotificationBell } from './NotificationBell.tsx';
import { ScopeSwitcher } from './ScopeSwitcher.tsx';

export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { t } = usePreferences();
  return useMutation({
    mutationFn: api.logout,
    onSettled: () => {
      // Signed out on the server or not (session already gone): forget everything here.
      queryClient.setQueryData(ME_QUERY_KEY, null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      navigate('/login', { replace: true });
      message.success(t('header.loggedOut'));
    },
  });
}

/** The active role and region: a switcher for users with several assignments, plain text otherwise. */
export function ScopeIndicator() {
  const me = useSession();
  const { locale } = usePreferences();
  if (me.assignments.length > 1) return <ScopeSwitcher />;
  return (
    <Typography.Text className="gz-header-scope" data-testid="current-scope">
      {assignmentLabel(me.assignment, locale)}
    </Typography.Text>
  );
}

interface HeaderBarProps {
  /** Narrow screens keep only the menu button and the brand here; the rest lives in the menu drawer. */
  compact: boolean;
  menuOpen: boolean;
  onToggleMenu(): void;
}

export function HeaderBar({ compact, menuOpen, onToggleMenu }: HeaderBarProps) {
  const me = useSession();
  const { t } = usePreferences();
  const screens = Grid.useBreakpoint();
  const logout = useLogout();

  return (
    <Flex className="gz-header" align="center" justify="space-between" gap="small" wrap>
      <Flex align="center" gap="small" className="gz-header-left">
        <Button
          className="gz-header-button"
          type="text"
          icon={menuOpen ? <MenuFoldOutlined /> : <MenuUnfoldOutlined />}
          aria-label={t('nav.menu')}
          aria-expanded={menuOpen}
          onClick={onToggleMenu}
        />
        <Link to="/" className="gz-brand" aria-label={t('app.fullName')}>
          <span className="gz-brand-mark" aria-hidden>
            治
          </span>
          <span className="gz-brand-name">{t('app.name')}</span>
          {screens.xxl && <span className="gz-brand-tagline">{t('app.tagline')}</span>}
        </Link>
      </Flex>
      {compact ? (
        <Flex align="center" gap="small">
          <NotificationBell dark />
          <Link to="/account" className="gz-header-user" aria-label={t('nav.account')}>
            <UserOutlined aria-hidden /> {me.user.displayName}
          </Link>
        </Flex>
      ) : (
        <Flex align="center" gap="small" className="gz-header-right" wrap>
          <ScopeIndicator />
          <NotificationBell dark />
          <Link to="/account" className="gz-header-user" data-testid="current-user" title={t('nav.account')}>
            <UserOutlined aria-hidden /> {me.user.displayName}
          </Link>
          <LanguageSwitch dark />
          <DisplaySettings dark />
          <Button className="gz-header-button" type="text" icon={<LogoutOutlined />} loading={logout.isPending} onClick={() => logout.mutate()} data-testid="logout">
            {t('header.logout')}
          </Button>
        </Flex>
      )}
    </Flex>
  );
}
