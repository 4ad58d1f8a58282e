import { Type } from 'typebox';
import { CALL_TYPES, CASE_ACTIONS, CASE_CHANNELS, CASE_STAGES, CASE_STATUSES } from '../../../shared/cases.ts';
import { URGENCIES } from '../../../shared/time-limits.ts';

const nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number> | ReturnType<typeof Type.Integer>>(schema: T) =>
  Type.Union([schema, Type.Null()]);


export const ReportCaseBody = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S', description: 'What is wrong, in the reporter’s words' }),
    categoryCode: Type.Optional(Type.String({ pattern: '^[BEC]\\d{4}$', description: 'A selectable leaf, e.g. C0101; without it the desk classifies at registration' })),
    urgency: Type.Optional(Type.Enum(URGENCIES, { default: 'normal' })),
    regionCode: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{6,24}$', description: 'Committee, grid or building; residents default to their own committee' })),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: 'WGS-84 unless coordSystem says gcj02' })),
    lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180, description: 'WGS-84 unless coordSystem says gcj02' })),
    coordSystem: Type.Optional(Type.Enum(['wgs84', 'gcj02'], { default: 'wgs84', description: 'gcj02: coordinates from a Chinese map or phone (火星坐标), converted to WGS-84 on intake' })),
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    channel: Type.Optional(Type.Enum(CASE_CHANNELS, { description: 'Defaults to resident_app for residents, staff otherwise' })),
    caller: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
          phone: Type.String({ pattern: '^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8}|\\d{7,8})$', description: 'Callback number: mobile, or landline with or without area code' }),
        },
        { additionalProperties: false },
      ),
    ),
    callType: Type.Optional(Type.Enum(CALL_TYPES, { description: 'Hotline 来电类别; required with channel hotline' })),
    confidential: Type.Optional(Type.Boolean({ description: '是否保密: the caller’s identity is shown only to the dispatch desk' })),
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
    reached: Type.Optional(Type.Boolean({ description: 'followup: whether the reporter answered the call' })),
    score: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    comment: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    amount: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'extend: how much more time, in the unit of the handling limit (hours or days); default the whole limit again' })),
    masterId: Type.Optional(Type.String({ format: 'uuid', description: 'merge: the open case this one duplicates' })),
  },
  {
    additionalProperties: false,
    description:
      'register {categoryCode, urgency?}; extend {reason, amount?}; reject/return/escalate/suspend/deny/reopen {reason}; dispatch {mainUnitId?, assistingUnitIds?}; transfer {mainUnitId, reason}; note {text}; handled {result}; verify {passed, reason?}; rate {score, comment?}; followup {reached, score?, comment?}; merge {masterId}; unmerge {}',
  },
);

const Unit = Type.Object({ id: Type.String(), name: Type.String() });

export const CaseClock = Type.Object({
  kind: Type.Enum(['stage', 'handling']),
  stage: Type.Enum(CASE_STAGES),
  clock: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  warnAt: Type.String({ format: 'date-time' }),
  dueAt: Type.String({ format: 'date-time' }),
  pausedAt: nullable(Type.String({ format: 'date-time' })),
  warned: Type.Boolean(),
  overdue: Type.Boolean(),
  escalated: Type.Boolean({ description: 'Escalated for supervision (督办)' }),
  provisional: Type.Boolean({ description: 'Counts on a year whose holidays are not published yet (Monday–Friday assumed)' }),
});

export const Caller = Type.Object({
  name: nullable(Type.String()),
  phone: nullable(Type.String({ description: 'Masked unless revealed' })),
});

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
  overdue: Type.Boolean({ description: 'The handling clock ran past its deadline and the case is not closed' }),
  clocks: Type.Array(CaseClock, { description: 'Running clocks: the desk stage’s and the handling deadline' }),
  handledAt: nullable(Type.String({ format: 'date-time' })),
  callType: Type.Union([Type.Enum(CALL_TYPES), Type.Null()]),
  caller: Type.Union([Caller, Type.Null()], { description: 'Hotline caller; null when confidential and the viewer is not the desk' }),
  confidential: Type.Boolean(),
  pendingRequest: nullable(Type.String()),
  requestedExtension: nullable(Type.Number()),
  reworkCount: Type.Integer(),
  rating: nullable(Type.Integer()),
  ratingComment: nullable(Type.String()),
  closedAt: nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  allowedActions: Type.Array(Type.String(), { description: 'What the caller may do next' }),
  reportCount: Type.Integer({ minimum: 1, description: 'Reports this case stands for: 1 + the duplicates merged into it (its priority on the board)' }),
  followers: Type.Integer({ minimum: 0, description: 'People following the case (by hand or through a merged report)' }),
  following: Type.Boolean({ description: 'Whether the caller follows it' }),
  mergedInto: Type.Union([Type.Object({ id: Type.String({ format: 'uuid' }), number: Type.String() }), Type.Null()], { description: 'The master of a merged duplicate' }),
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

export const MergedReport = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.String(),
  description: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  mergedAt: Type.String({ format: 'date-time' }),
  photos: Type.Array(
    Type.Object({ id: Type.String({ format: 'uuid' }), stage: Type.String(), url: Type.String(), thumbnailUrl: Type.String() }),
    { description: 'The duplicate’s photos (they stay on it); empty for a caller who may not see them' },
  ),
});

export const CaseDetail = Type.Object({
  ...CaseView.properties,
  mergedReports: Type.Array(MergedReport, { description: 'Duplicates merged into this case, oldest first' }),
  timeline: Type.Array(TimelineEntry),
});

export const CaseListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(CASE_STATUSES)),
    region: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{6,24}$' })),
    category: Type.Optional(Type.String({ pattern: '^[BEC]\\d{2,4}$' })),
    overdue: Type.Optional(Type.Boolean()),
    stage: Type.Optional(Type.Enum(CASE_STAGES, { description: 'Cases whose running desk clock is this stage' })),
    urgency: Type.Optional(Type.Enum(URGENCIES)),
    unit: Type.Optional(Type.String({ format: 'uuid', description: 'Main unit' })),
    channel: Type.Optional(Type.Enum(CASE_CHANNELS)),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'Case number or words of the description' })),
    active: Type.Optional(Type.Boolean({ description: 'Only cases still in the loop (not closed or rejected)' })),
    sort: Type.Optional(
      Type.Enum(['newest', 'deadline', 'priority'], { default: 'newest', description: 'deadline: the nearest running deadline first; priority: most reports (merged duplicates) first, then the nearest deadline' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

export const CaseList = Type.Object({
  items: Type.Array(CaseView),
  total: Type.Integer({ description: 'Matching cases, counted up to 10,000' }),
  totalCapped: Type.Boolean({ description: 'More than `total` match: narrow the filters' }),
});
export const CaseIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const RevealCallerBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 200, description: 'Why you need the full number, e.g. 回访 (audited)' }) },
  { additionalProperties: false },
);
export const RevealCallerResponse = Type.Object({ name: nullable(Type.String()), phone: nullable(Type.String()) });

export const CategoryCodeParams = Type.Object({ code: Type.String({ pattern: '^[BEC]\\d{4}$' }) });
export const AutoDispatchBody = Type.Object(
  { minScore: Type.Number({ minimum: 0.5, maximum: 1, description: 'The classifier’s confidence (0.5–1) a report needs to be dispatched without the desk; 0.9 is a cautious start' }) },
  { additionalProperties: false },
);
export const AutoDispatchRules = Type.Object({
  items: Type.Array(Type.Object({ categoryCode: Type.String(), categoryName: Type.String(), minScore: Type.Number(), updatedAt: Type.String({ format: 'date-time' }) })),
});
export const SimilarCasesBody = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S', description: 'The report being written' }),
    categoryCode: Type.Optional(Type.String({ pattern: '^[BEC]\\d{4}$', description: 'Without it: the class of the best suggestion from the text' })),
    regionCode: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{6,24}$', description: 'Where; residents default to their own committee' })),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    coordSystem: Type.Optional(Type.Enum(['wgs84', 'gcj02'], { default: 'wgs84' })),
  },
  { additionalProperties: false },
);

export const SimilarCase = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.String(),
  description: Type.String({ description: 'Residents: shortened, phone and ID numbers masked' }),
  categoryName: Type.String(),
  status: Type.Enum(CASE_STATUSES),
  createdAt: Type.String({ format: 'date-time' }),
  distanceMeters: Type.Union([Type.Number(), Type.Null()], { description: 'When both have coordinates' }),
  followers: Type.Integer({ minimum: 0 }),
  score: Type.Number({ minimum: 0, maximum: 1, description: 'Text similarity, 0..1' }),
});
export const SimilarCases = Type.Object({ items: Type.Array(SimilarCase) });

/** Following takes no fields: no body, or an empty object. */
export const FollowBody = Type.Union([Type.Object({}, { additionalProperties: false }), Type.Null()]);
export const FollowState = Type.Object({ following: Type.Boolean(), followers: Type.Integer({ minimum: 0 }) });
