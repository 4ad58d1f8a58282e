import { Type } from 'typebox';

export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actorUserId: Type.Union([Type.String(), Type.Null()]),
  actorUsername: Type.Union([Type.String(), Type.Null()]),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  objectType: Type.String(),
  objectId: Type.Union([Type.String(), Type.Null()]),
  regionPath: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  details: Type.Unknown(),
  requestId: Type.Union([Type.String(), Type.Null()]),
  hash: Type.String(),
});

export const AuditQuery = Type.Object(
  {
    action: Type.Optional(Type.String({ maxLength: 80, description: 'Exact action, or a prefix ending in "." (e.g. "user.")' })),
    actor: Type.Optional(Type.String({ maxLength: 64, description: 'Username' })),
    objectType: Type.Optional(Type.String({ maxLength: 40 })),
    objectId: Type.Optional(Type.String({ maxLength: 80 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    before: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$', description: 'Cursor: the nextBefore of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

export const AuditPage = Type.Object({ items: Type.Array(AuditEntry), nextBefore: Type.Union([Type.String(), Type.Null()]) });

export const Verification = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  lastHash: Type.String(),
  firstBroken: Type.Optional(Type.Object({ id: Type.String(), problem: Type.String(), expected: Type.String(), found: Type.String() })),
});
