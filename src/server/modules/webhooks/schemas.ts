import { Type } from 'typebox';

const EventType = Type.String({ pattern: '^(\\*|[a-z_]+\\.(\\*|[a-z_]+))$', description: 'An event type (case.closed), a family (case.*) or * for all' });

export const CreateWebhookBody = Type.Object(
  {
    url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500 }),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    eventTypes: Type.Array(EventType, { minItems: 1, maxItems: 30, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const WebhookView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  description: Type.String(),
  eventTypes: Type.Array(Type.String()),
  regionPath: Type.String({ description: 'Events from places inside this region' }),
  active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});

export const CreatedWebhook = Type.Object({ ...WebhookView.properties, secret: Type.String({ description: 'Shown once: signs every delivery (X-Gongzhi-Signature)' }) });
export const WebhookList = Type.Object({ items: Type.Array(WebhookView) });
export const WebhookPatch = Type.Object({ active: Type.Boolean() }, { additionalProperties: false });
export const WebhookIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const DeliveryView = Type.Object({
  id: Type.String(),
  eventId: Type.String(),
  eventType: Type.String(),
  attempts: Type.Integer(),
  status: Type.Enum(['pending', 'delivered', 'failed']),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  nextAttemptAt: Type.String({ format: 'date-time' }),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export const DeliveryList = Type.Object({ items: Type.Array(DeliveryView) });
