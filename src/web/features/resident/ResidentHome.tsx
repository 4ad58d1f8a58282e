import { BellOutlined, CameraOutlined, CommentOutlined, DesktopOutlined, FileTextOutlined, GiftOutlined, HeartOutlined, LogoutOutlined, NotificationOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Switch } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { useLogout } from '../../components/HeaderBar.tsx';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { usePreferences } from '../../preferences.tsx';
import { useSession } from '../../session.tsx';
import { isElder, ResidentScreen } from './ResidentRoot.tsx';
import { needsResident } from './residentLabels.ts';

/** How often the unread count is asked again while the home screen is open. */
const UNREAD_POLL_MS = 60_000;

export function useUnreadCount() {
  return useQuery({ queryKey: ['notifications', 'unread'], queryFn: api.unreadNotifications, refetchInterval: UNREAD_POLL_MS });
}

/** The resident's home: three big buttons, nothing else competing with them. */
export function ResidentHome() {
  const me = useSession();
  const preferences = usePreferences();
  const { t, update } = preferences;
  const elder = isElder(preferences);
  const logout = useLogout();
  const unread = useUnreadCount().data?.unread ?? 0;
  const mine = useQuery({ queryKey: ['cases', 'mine'], queryFn: () => api.cases({ limit: 50, offset: 0 }) });
  const waiting = (mine.data?.items ?? []).filter(needsResident).length;
  const isResident = me.assignment.role === 'resident';

  return (
    <ResidentScreen title={t('resident.title')} testId="m-home">
      <p className="gz-m-hello" data-testid="m-hello">
        {t('resident.hello', { name: me.user.displayName })}
      </p>
      <p className="gz-m-muted">{t('resident.myCommittee', { name: me.assignment.regionName })}</p>
      {!isResident && (
        <p className="gz-m-note" role="note">
          {t('resident.staffNote')}
        </p>
      )}
      <nav className="gz-m-tiles" aria-label={t('resident.title')}>
        <Tile to="/m/report" primary icon={<CameraOutlined />} title={t('resident.home.report')} hint={t('resident.home.reportHint')} testId="m-go-report" />
        <Tile
          to="/m/reports"
          icon={<FileTextOutlined />}
          title={t('resident.home.mine')}
          hint={waiting > 0 ? t('resident.home.toConfirm', { n: waiting }) : t('resident.home.mineHint')}
          attention={waiting > 0}
          testId="m-go-mine"
        />
        <Tile
          to="/m/messages"
          icon={
            <Badge count={unread} overflowCount={99} offset={[4, -2]} data-testid="m-unread">
              <BellOutlined className="gz-m-tile-bell" />
            </Badge>
          }
          title={t('resident.home.messages')}
          hint={unread > 0 ? t('resident.home.unread', { n: unread }) : t('resident.home.noUnread')}
          attention={unread > 0}
          testId="m-go-messages"
        />
        <Tile to="/m/services" icon={<HeartOutlined />} title={t('resident.home.services')} hint={t('resident.home.servicesHint')} testId="m-go-services" />
        {isResident && (
          <>
            <Tile to="/m/notices" icon={<NotificationOutlined />} title={t('civic.m.notices')} hint={t('civic.m.noticesHint')} testId="m-go-notices" />
            <Tile to="/m/proposals" icon={<CommentOutlined />} title={t('civic.m.proposals')} hint={t('civic.m.proposalsHint')} testId="m-go-proposals" />
            <Tile to="/m/points" icon={<GiftOutlined />} title={t('civic.m.points')} hint={t('civic.m.pointsHint')} testId="m-go-points" />
          </>
        )}
      </nav>
      <section className="gz-m-settings" aria-label={t('display.title')}>
        <label className="gz-m-setting">
          <span>
            <strong>{t('resident.elder')}</strong>
            <span className="gz-m-muted gz-m-setting-hint">{t('resident.elderHint')}</span>
          </span>
          <Switch
            checked={elder}
            onChange={(on) => update(on ? { fontSize: 'xlarge', highContrast: true } : { fontSize: 'standard', highContrast: false })}
            data-testid="m-elder"
            className="gz-m-switch"
          />
        </label>
        <div className="gz-m-setting-row">
          <LanguageSwitch />
          {!elder && (
            <Link to="/">
              <Button icon={<DesktopOutlined aria-hidden />}>{t('resident.console')}</Button>
            </Link>
          )}
          <Button icon={<LogoutOutlined aria-hidden />} loading={logout.isPending} onClick={() => logout.mutate()} data-testid="logout">
            {t('resident.logout')}
          </Button>
        </div>
      </section>
    </ResidentScreen>
  );
}

function Tile({ to, icon, title, hint, primary = false, attention = false, testId }: { to: string; icon: ReactNode; title: string; hint: string; primary?: boolean; attention?: boolean; testId: string }) {
  const className = ['gz-m-tile', primary ? 'gz-m-tile-primary' : '', attention ? 'gz-m-tile-attention' : ''].filter(Boolean).join(' ');
  return (
    <Link to={to} className={className} data-testid={testId}>
      <span className="gz-m-tile-icon" aria-hidden={!icon}>
        {icon}
      </span>
      <span className="gz-m-tile-text">
        <span className="gz-m-tile-title">{title}</span>
        <span className="gz-m-tile-hint">{hint}</span>
      </span>
    </Link>
  );
}
