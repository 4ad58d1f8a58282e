import { isNotificationKind, notificationText, type NotificationParams } from '../../../shared/notifications.ts';
import { authorize } from '../../platform/access.ts';
import { withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { readNotifications } from './commands.ts';
import { listNotifications, unreadCount } from './repository.ts';
import { NotificationList, NotificationListQuery, ReadBody, ReadResult, UnreadCount } from './schemas.ts';

/** Everyone's own inbox: only ever the caller's rows, so there is nothing to scope beyond the user id. */
export function notificationRoutes(app: App, platform: Platform): void {
  const { db, permissions } = platform;
  const tags = ['notifications'];

  app.get(
    '/notifications',
    { schema: { tags, summary: 'My notifications, newest first', querystring: NotificationListQuery, response: withErrors({ 200: NotificationList }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'notification.read');
      const q = request.query;
      const rows = await listNotifications(db, actor.userId, { unreadOnly: q.unread ?? false, ...(q.before ? { before: q.before } : {}), limit: q.limit ?? 20 });
      return {
        items: rows.flatMap((r) => {
          if (!isNotificationKind(r.kind)) return [];
          const params = r.params as NotificationParams;
          return [{ id: r.id, kind: r.kind, text: notificationText(r.kind, params, request.locale), caseId: r.case_id, params, createdAt: r.created_at.toISOString(), readAt: r.read_at?.toISOString() ?? null }];
        }),
        unread: await unreadCount(db, actor.userId),
      };
    },
  );

  app.get('/notifications/unread-count', { schema: { tags, summary: 'How many unread (the console polls this)', response: withErrors({ 200: UnreadCount }) } }, async (request) => {
    const actor = authorize(permissions, request.actor, 'notification.read');
    return { unread: await unreadCount(db, actor.userId) };
  });

  app.post('/notifications/read', { schema: { tags, summary: 'Mark some or all of my notifications read', body: ReadBody, response: withErrors({ 200: ReadResult }) } }, async (request) => {
    const actor = authorize(permissions, request.actor, 'notification.read');
    const body = request.body;
    const marked = await platform.transaction(actor, (ctx) => readNotifications({ ...ctx, actor }, 'all' in body ? 'all' : body.ids), { requestId: request.id });
    return { marked, unread: await unreadCount(db, actor.userId) };
  });
}
