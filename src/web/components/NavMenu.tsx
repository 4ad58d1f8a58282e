import { AimOutlined, AlertOutlined, ApartmentOutlined, ApiOutlined, AuditOutlined, BankOutlined, BarChartOutlined, CalendarOutlined, CommentOutlined, ControlOutlined, FileTextOutlined, GiftOutlined, HeartOutlined, HomeOutlined, IdcardOutlined, NotificationOutlined, PhoneOutlined, ScheduleOutlined, TagsOutlined, TeamOutlined, ThunderboltOutlined, UserOutlined, WifiOutlined } from '@ant-design/icons';
import { Menu, type MenuProps } from 'antd';
import type { ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import type { UiKey } from '../../shared/i18n/ui.ts';
import { useT } from '../preferences.tsx';
import { useCan } from '../session.tsx';
import type { Permission } from '../types.ts';

interface NavItem {
  path: string;
  label: UiKey;
  icon: ReactNode;
  permission?: Permission;
}

/** The console's sections; each shows only for roles that hold its permission. */
export const NAV_ITEMS: NavItem[] = [
  { path: '/', label: 'nav.home', icon: <HomeOutlined /> },
  { path: '/cases', label: 'nav.cases', icon: <FileTextOutlined />, permission: 'case.read' },
  { path: '/alarms', label: 'nav.alarms', icon: <AlertOutlined />, permission: 'alarm.read' },
  { path: '/hotline', label: 'nav.hotline', icon: <PhoneOutlined />, permission: 'case.hotline' },
  { path: '/auto-dispatch', label: 'nav.autoDispatch', icon: <ThunderboltOutlined />, permission: 'case.autoDispatch.read' },
  { path: '/coverage', label: 'nav.coverage', icon: <AimOutlined />, permission: 'coverage.read' },
  { path: '/ledger', label: 'nav.ledger', icon: <IdcardOutlined />, permission: 'ledger.read' },
  { path: '/regions', label: 'nav.regions', icon: <ApartmentOutlined />, permission: 'region.read' },
  { path: '/departments', label: 'nav.departments', icon: <BankOutlined />, permission: 'department.read' },
  { path: '/categories', label: 'nav.categories', icon: <TagsOutlined />, permission: 'category.readAll' },
  { path: '/calendar', label: 'nav.calendar', icon: <CalendarOutlined />, permission: 'calendar.read' },
  { path: '/users', label: 'nav.users', icon: <TeamOutlined />, permission: 'user.read' },
  { path: '/audit', label: 'nav.audit', icon: <AuditOutlined />, permission: 'audit.read' },
  { path: '/webhooks', label: 'nav.webhooks', icon: <ApiOutlined />, permission: 'webhook.manage' },
  { path: '/devices', label: 'nav.devices', icon: <WifiOutlined />, permission: 'device.read' },
  { path: '/rules', label: 'nav.rules', icon: <ControlOutlined />, permission: 'rule.read' },
  { path: '/notices', label: 'nav.notices', icon: <NotificationOutlined />, permission: 'notice.publish' },
  { path: '/proposals', label: 'nav.proposals', icon: <CommentOutlined />, permission: 'proposal.manage' },
  { path: '/volunteers', label: 'nav.volunteers', icon: <GiftOutlined />, permission: 'volunteer.manage' },
  { path: '/services', label: 'nav.services', icon: <HeartOutlined />, permission: 'services.read' },
  { path: '/worklist', label: 'nav.worklist', icon: <ScheduleOutlined />, permission: 'services.worklist' },
  { path: '/account', label: 'nav.account', icon: <UserOutlined /> },
  { path: '/reports', label: 'nav.reports', icon: <BarChartOutlined />, permission: 'reports.read' },
  { path: '/ledger/matches', label: 'nav.ledgerMatches', icon: <IdcardOutlined />, permission: 'ledger.match.review' },
];

export function useNavItems(): NavItem[] {
  const can = useCan();
  return NAV_ITEMS.filter((item) => !item.permission || can(item.permission));
}

export function NavMenu({ theme, onNavigate }: { theme: 'dark' | 'light'; onNavigate?: () => void }) {
  const t = useT();
  const items = useNavItems();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const selected = `/${pathname.split('/')[1] ?? ''}`;

  const menuItems: MenuProps['items'] = items.map((item) => ({ key: item.path, icon: item.icon, label: t(item.label) }));
  return (
    <Menu
      theme={theme}
      mode="inline"
      selectedKeys={[selected]}
      items={menuItems}
      aria-label={t('nav.menu')}
      onClick={({ key }) => {
        navigate(key);
        onNavigate?.();
      }}
    />
  );
}
