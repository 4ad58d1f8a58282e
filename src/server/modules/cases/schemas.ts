import { Type } from 'typebox';
import { CASE_ACTIONS, CASE_STATUSES } from '../../../shared/cases.ts';
import { URGENCIES } from '../../../shared/time-limits.ts';

const nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number> | ReturnType<typeof Type.Integer>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const CHANNELS = ['resident_app', 'hotline', 'patrol', 'iot', 'open311', 'staff'] as const;

export const ReportCaseBody = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S', description: 'What is wrong, in the reporter’s words' }),
    categoryCode: Type.Optional(Type.String({ pattern: '^[BEC]\\d{4}$', description: 'A selectable leaf, e.g. C0101; without it the desk classifies at registration' })),
    urgency: Type.Optional(Type.Enum(URGENCIES, { default: 'normal' })),
    regionCode: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{6,24}$', description: 'Committee, grid or building; residents default to their own committee' })),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: 'WGS-84' })),
    lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180, description: 'WGS-84' })),
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    channel: Type.Optional(Type.Enum(CHANNELS, { description: 'Defaults to resident_app for residents, staff otherwise' })),
  },
  { additionalProperties: false },
);

export const TransitionBody = Type.Object(
  {
    action: Type.Enum(CASE_ACTIONS),
    categoryCode: Type.Optional(Type.String({ pattern: '^[BEC]\\d{4}$' })),
    urgency: Type.Optional(Type.Enum(URGENCIES)),
    mainUnitId: Type.Optional(Type.String({ format: 'uuid' })),
    assistingUnitIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 10, uniqueItems: true })),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    result: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    passed: Type.Optional(Type.Boolean()),
    score: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    comment: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false, description: 'register {categoryCode, urgency?}; reject/return/escalate/extend/suspend/deny/reopen {reason}; dispatch {mainUnitId?, assistingUnitIds?}; transfer {mainUnitId, reason}; note {text}; handled {result}; verify {passed, reason?}; rate {score, comment?}' },
);

const Unit = Type.Object({ id: Type.String(), name: Type.String() });

export const CaseView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.String(),
  status: Type.Enum(CASE_STATUSES),
  channel: Type.String(),
  description: Type.String(),
  categoryCode: nullable(Type.String()),
  categoryName: nullable(Type.String()),
  categoryVersion: nullable(Type.Integer()),
  urgency: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  lat: nullable(Type.Number()),
  lng: nullable(Type.Number()),
  address: nullable(Type.String()),
  mainUnit: Type.Union([Unit, Type.Null()]),
  assistingUnits: Type.Array(Unit),
  registeredAt: nullable(Type.String({ format: 'date-time' })),
  deadlineAt: nullable(Type.String({ format: 'date-time' })),
  warnAt: nullable(Type.String({ format: 'date-time' })),
  overdue: Type.Boolean(),
  pendingRequest: nullable(Type.String()),
  reworkCount: Type.Integer(),
  rating: nullable(Type.Integer()),
  ratingComment: nullable(Type.String()),
  closedAt: nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  allowedActions: Type.Array(Type.String(), { description: 'What the caller may do next' }),
});

export const TimelineEntry = Type.Object({
  action: Type.String(),
  fromStatus: nullable(Type.String()),
  toStatus: Type.String(),
  actorName: Type.String(),
  actorRole: nullable(Type.String()),
  note: nullable(Type.String()),
  details: Type.Unknown(),
  at: Type.String({ format: 'date-time' }),
});

export const CaseDetail = Type.Object({ ...CaseView.properties, timeline: Type.Array(TimelineEntry) });

export const CaseListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(CASE_STATUSES)),
    region: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{6,24}$' })),
    category: Type.Optional(Type.String({ pattern: '^[BEC]\\d{2,4}$' })),
    overdue: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

export const CaseList = Type.Object({ items: Type.Array(CaseView), total: Type.Integer() });
export const CaseIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
