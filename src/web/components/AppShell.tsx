import { LogoutOutlined } from '@ant-design/icons';
import { Button, Drawer, Flex, Grid, Layout } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Outlet } from 'react-router';
import { usePreferences } from '../preferences.tsx';
import { useSession } from '../session.tsx';
import { DisplaySettings } from './DisplaySettings.tsx';
import { HeaderBar, ScopeIndicator, useLogout } from './HeaderBar.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { NavMenu } from './NavMenu.tsx';

/**
 * Header, role-aware left menu and the page. Below 992 px the menu (with the scope switcher and the
 * settings) moves into a drawer. The page is remounted when the active scope changes.
 */
export function AppShell() {
  const me = useSession();
  const screens = Grid.useBreakpoint();
  const narrow = screens.lg === false;
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const header = useHeaderHeight();

  useEffect(() => {
    if (!narrow) setDrawerOpen(false);
  }, [narrow]);

  return (
    <Layout className="gz-shell">
      <Layout.Header className="gz-shell-header" ref={header}>
        <HeaderBar
          compact={narrow}
          menuOpen={narrow ? drawerOpen : !collapsed}
          onToggleMenu={() => (narrow ? setDrawerOpen((open) => !open) : setCollapsed((c) => !c))}
        />
      </Layout.Header>
      <Layout hasSider={!narrow}>
        {!narrow && (
          <Layout.Sider className="gz-sider" width={220} collapsible collapsed={collapsed} collapsedWidth={72} trigger={null}>
            <nav>
              <NavMenu theme="dark" />
            </nav>
          </Layout.Sider>
        )}
        <Layout.Content className="gz-content">
          <main key={me.assignment.id}>
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
      {narrow && <MenuDrawer open={drawerOpen} onClose={() => setDrawerOpen(false)} />}
    </Layout>
  );
}

function MenuDrawer({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = usePreferences();
  const logout = useLogout();
  return (
    <Drawer open={open} onClose={onClose} placement="left" title={t('nav.menu')} className="gz-drawer" size="min(86vw, 360px)">
      <Flex vertical gap="middle">
        <ScopeIndicator />
        <nav>
          <NavMenu theme="light" onNavigate={onClose} />
        </nav>
        <Flex wrap gap="small">
          <LanguageSwitch />
          <DisplaySettings />
          <Button icon={<LogoutOutlined />} loading={logout.isPending} onClick={() => logout.mutate()} data-testid="logout">
            {t('header.logout')}
          </Button>
        </Flex>
      </Flex>
    </Drawer>
  );
}

/** Keeps --gz-header-height in step with the header, which grows with the text size and wraps. */
function useHeaderHeight() {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() => document.documentElement.style.setProperty('--gz-header-height', `${element.offsetHeight}px`));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return ref;
}
