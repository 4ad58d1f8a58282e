import { RightOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Spin } from 'antd';
import { useNavigate } from 'react-router';
import { api } from '../../api.ts';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import { useSession } from '../../session.tsx';
import type { NotificationView } from '../../types.ts';
import { ResidentScreen } from './ResidentRoot.tsx';
import { shortDateTime } from './residentLabels.ts';

/** Where a message leads in the app: its case, or the page it names (the service menu, a notice, a vote). */
function targetOf(n: NotificationView): string | null {
  if (n.caseId) return `/m/reports/${n.caseId}`;
  const link = n.params.link;
  return typeof link === 'string' && link.startsWith('/m/') ? link : null;
}

/** 消息: the notification inbox, newest first; opening one marks it read and shows what it is about. */
export function Messages() {
  const { locale, t } = usePreferences();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useSession();
  const inbox = useQuery({ queryKey: ['notifications', 'list', locale], queryFn: () => api.notifications({ limit: 50 }) });
  const read = useMutation({
    mutationFn: (ids: readonly string[] | 'all') => api.readNotifications(ids),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });

  // The server's words are written for staff; the one a reporter gets to verify is said plainly here.
  const textOf = (n: NotificationView) =>
    n.kind === 'to_verify' && me.assignment.role === 'resident' && typeof n.params.number === 'string' ? t('resident.messages.toVerify', { number: n.params.number }) : n.text;

  const open = (n: NotificationView) => {
    if (n.readAt === null) read.mutate([n.id]);
    const target = targetOf(n);
    if (target) void navigate(target);
  };

  const unread = inbox.data?.unread ?? 0;
  return (
    <ResidentScreen
      title={t('resident.messages.title')}
      back="/m"
      testId="m-messages"
      footer={
        unread > 0 ? (
          <Button block size="large" loading={read.isPending} onClick={() => read.mutate('all')} data-testid="m-read-all">
            {t('resident.messages.readAll')}
          </Button>
        ) : undefined
      }
    >
      {inbox.isPending ? (
        <div className="gz-m-center">
          <Spin size="large" />
        </div>
      ) : inbox.isError ? (
        <ErrorResult error={inbox.error} onRetry={() => void inbox.refetch()} />
      ) : inbox.data.items.length === 0 ? (
        <p className="gz-m-lead gz-m-empty">{t('resident.messages.empty')}</p>
      ) : (
        <ul className="gz-m-list" data-testid="m-message-list">
          {inbox.data.items.map((n) => (
            <li key={n.id}>
              <button type="button" className={n.readAt === null ? 'gz-m-card gz-m-card-link gz-m-message gz-m-message-new' : 'gz-m-card gz-m-card-link gz-m-message'} onClick={() => open(n)} data-testid="m-message">
                <span className="gz-m-card-head">
                  {n.readAt === null ? <span className="gz-m-new">{t('resident.messages.new')}</span> : <span />}
                  {targetOf(n) && <RightOutlined aria-hidden className="gz-m-chevron" />}
                </span>
                <span className="gz-m-card-text">{textOf(n)}</span>
                <span className="gz-m-muted gz-m-card-meta">{shortDateTime(n.createdAt, locale)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </ResidentScreen>
  );
}
