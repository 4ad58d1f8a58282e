import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Drawer, Empty, Flex, List, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { usePreferences } from '../preferences.tsx';
import type { NotificationView } from '../types.ts';

const UNREAD_KEY = ['notifications', 'unread'] as const;

/** The unread count, polled; new tasks and overdue notices reach the desk within half a minute. */
export function useUnreadCount(): number {
  const unread = useQuery({ queryKey: UNREAD_KEY, queryFn: api.unreadNotifications, refetchInterval: 30_000, refetchIntervalInBackground: false });
  return unread.data?.unread ?? 0;
}

/** 消息: the signed-in person's notifications; opening one marks it read and goes to its case. */
export function NotificationBell({ dark = false }: { dark?: boolean }) {
  const { t } = usePreferences();
  const unread = useUnreadCount();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Badge count={unread} size="small" offset={[-6, 6]}>
        <Button
          className={dark ? 'gz-header-button' : undefined}
          type="text"
          icon={<BellOutlined />}
          aria-label={t('notify.open', { n: unread })}
          onClick={() => setOpen(true)}
          data-testid="notifications"
        >
          {t('notify.title')}
        </Button>
      </Badge>
      {open && <NotificationDrawer onClose={() => setOpen(false)} />}
    </>
  );
}

function NotificationDrawer({ onClose }: { onClose: () => void }) {
  const { locale, t } = usePreferences();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [onlyUnread, setOnlyUnread] = useState(false);
  const list = useQuery({ queryKey: ['notifications', 'list', onlyUnread, locale], queryFn: () => api.notifications({ unread: onlyUnread || undefined, limit: 50 }) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['notifications'] });
  const markRead = useMutation({ mutationFn: api.readNotifications, onSuccess: refresh });
  const open = (n: NotificationView) => {
    if (!n.readAt) markRead.mutate([n.id]);
    if (n.caseId) {
      onClose();
      void navigate(`/cases/${n.caseId}`);
    }
  };
  return (
    <Drawer
      open
      onClose={onClose}
      title={t('notify.title')}
      size="large"
      extra={
        <Button onClick={() => markRead.mutate('all')} disabled={!list.data?.unread} data-testid="notifications-read-all">
          {t('notify.markAll')}
        </Button>
      }
    >
      <Flex align="center" gap="small" style={{ marginBottom: 12 }}>
        <Switch checked={onlyUnread} onChange={setOnlyUnread} aria-label={t('notify.onlyUnread')} />
        <span>{t('notify.onlyUnread')}</span>
      </Flex>
      {list.data && list.data.items.length === 0 ? (
        <Empty description={t('notify.empty')} />
      ) : (
        <List<NotificationView>
          loading={list.isPending}
          dataSource={list.data?.items ?? []}
          data-testid="notification-list"
          renderItem={(n) => (
            <List.Item onClick={() => open(n)} style={{ cursor: n.caseId ? 'pointer' : 'default' }} className={n.readAt ? undefined : 'gz-unread'}>
              <List.Item.Meta
                title={<Typography.Text strong={!n.readAt}>{n.text}</Typography.Text>}
                description={formatDateTime(n.createdAt, locale)}
              />
            </List.Item>
          )}
        />
      )}
    </Drawer>
  );
}
