import { Type } from 'typebox';
import { NOTIFICATION_KINDS } from '../../../shared/notifications.ts';

export const NotificationView = Type.Object({
  id: Type.String(),
  kind: Type.Enum(NOTIFICATION_KINDS),
  text: Type.String({ description: 'Rendered in the request’s language' }),
  caseId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  params: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String({ format: 'date-time' }),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const NotificationListQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean({ description: 'Only unread ones' })),
    before: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$', description: 'Keyset: ids below this one' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);

export const NotificationList = Type.Object({ items: Type.Array(NotificationView), unread: Type.Integer() });
export const UnreadCount = Type.Object({ unread: Type.Integer() });

export const ReadBody = Type.Union(
  [
    Type.Object({ ids: Type.Array(Type.String({ pattern: '^[0-9]{1,18}$' }), { minItems: 1, maxItems: 100, uniqueItems: true }) }, { additionalProperties: false }),
    Type.Object({ all: Type.Literal(true) }, { additionalProperties: false }),
  ],
  { description: '{"ids": [...]} or {"all": true}' },
);
export const ReadResult = Type.Object({ marked: Type.Integer(), unread: Type.Integer() });
