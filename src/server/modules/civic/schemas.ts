import { Type, type TSchema } from 'typebox';
import { POINTS_REASONS, PROPOSAL_STATUSES, VOLUNTEER_TASK_KINDS } from '../../../shared/civic.ts';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const Uuid = Type.String({ format: 'uuid' });
const RegionCode = Type.String({ minLength: 6, maxLength: 40, pattern: '^[0-9A-Za-z-]+$' });
const strict = { additionalProperties: false } as const;

export const IdParams = Type.Object({ id: Uuid }, strict);
export const Created = Type.Object({ id: Uuid }, strict);
/** Actions that need nothing but the caller: an empty object or no body at all. */
export const NoBody = Type.Union([Type.Object({}, strict), Type.Null()]);
export const Ok = Type.Object({ ok: Type.Boolean() }, strict);

// ---------- notices ----------

export const NoticeBody = Type.Object(
  {
    title: Text(80),
    body: Text(4000),
    link: Type.Optional(nullable(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500, description: 'An attachment or further reading, http(s) only' }))),
    regionCode: Type.Optional(RegionCode),
    tags: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z][a-z_]{1,39}$' }), { maxItems: 10, uniqueItems: true, description: 'Ledger tag codes (elderly, living_alone …); empty: every resident of the region' })),
    validFrom: Type.Optional(DateTime),
    validUntil: Type.Optional(nullable(DateTime)),
  },
  { ...strict, description: 'A notice to the residents of a region (default: the publisher’s own), optionally only those with one of the tags' },
);

export const NoticeSchema = Type.Object(
  {
    id: Uuid,
    title: Type.String(),
    body: Type.String(),
    plainText: Type.String({ description: 'Title and body as one plain text, for reading aloud (speech synthesis)' }),
    link: nullable(Type.String()),
    regionCode: Type.String(),
    regionName: Type.String(),
    tags: Type.Array(Type.String()),
    validFrom: DateTime,
    validUntil: nullable(DateTime),
    publisherName: Type.String(),
    withdrawn: Type.Boolean(),
    createdAt: DateTime,
    readAt: nullable(DateTime),
    readCount: Type.Optional(Type.Integer({ description: 'Staff only: residents who opened it' })),
    audience: Type.Optional(Type.Integer({ description: 'Staff only: residents it reaches (audienceLinked + audienceUnlinked)' })),
    audienceLinked: Type.Optional(Type.Integer({ description: 'Staff only: verified residents of the region whose ledger person has one of the tags (all verified residents when untagged)' })),
    audienceUnlinked: Type.Optional(Type.Integer({ description: 'Staff only: residents of the region not verified yet; their tags are unknown, so they receive it too' })),
  },
  strict,
);
export const NoticeList = Type.Object({ items: Type.Array(NoticeSchema) }, strict);
export const NoticeReads = Type.Object(
  {
    readCount: Type.Integer(),
    audience: Type.Integer(),
    audienceLinked: Type.Integer(),
    audienceUnlinked: Type.Integer(),
    readers: Type.Array(Type.Object({ name: Type.String({ description: 'Masked: 张*' }), readAt: DateTime }, strict)),
  },
  strict,
);

export const AudienceQuery = Type.Object(
  {
    regionCode: Type.Optional(RegionCode),
    tags: Type.Optional(Type.String({ maxLength: 400, pattern: '^[a-z][a-z_]{1,39}(,[a-z][a-z_]{1,39}){0,9}$', description: 'Comma-separated ledger tag codes; none: every resident of the region' })),
  },
  strict,
);
export const Audience = Type.Object(
  {
    total: Type.Integer(),
    linked: Type.Integer({ description: 'Verified residents whose ledger person has one of the tags' }),
    unlinked: Type.Integer({ description: 'Residents not verified yet: their tags are unknown, so they receive it too' }),
  },
  strict,
);

// ---------- proposals ----------

export const ProposalBody = Type.Object(
  {
    title: Text(80),
    description: Text(4000),
    scopeCode: Type.Optional(RegionCode),
  },
  { ...strict, description: 'scopeCode: your committee (default) or one of its buildings' },
);
export const HotspotProposalBody = Type.Object(
  { categoryCode: Type.String({ pattern: '^[BEC][0-9]{2,4}$' }), regionCode: RegionCode, title: Text(80), description: Text(4000) },
  { ...strict, description: 'A recurring problem from GET /api/proposals/hotspots, put to the residents' },
);
export const CommentBody = Type.Object({ body: Text(1000) }, strict);
export const VoteBody = Type.Object({ choice: Type.String({ minLength: 1, maxLength: 40 }) }, { ...strict, description: 'yes / no / abstain, or one of the vote’s options' });
export const OpenVoteBody = Type.Object(
  {
    closesAt: DateTime,
    kind: Type.Optional(Type.Union([Type.Literal('yes_no'), Type.Literal('choices')])),
    options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 2, maxItems: 10 })),
  },
  strict,
);
export const AccountabilityBody = Type.Object(
  {
    responsible: Text(80),
    milestones: Type.Array(Type.Object({ title: Text(80), dueDate: Type.Optional(nullable(Type.String({ format: 'date' }))) }, strict), { maxItems: 20 }),
  },
  strict,
);
export const ProgressBody = Type.Object({ note: Text(1000), milestoneId: Type.Optional(Uuid), milestoneDone: Type.Optional(Type.Boolean()) }, strict);
export const CompleteBody = Type.Object({ note: Text(1000) }, strict);
export const ThresholdBody = Type.Object({ supportThreshold: Type.Integer({ minimum: 1, maximum: 10000 }) }, strict);
export const ThresholdParams = Type.Object({ code: RegionCode }, strict);
export const ThresholdSchema = Type.Object({ regionCode: Type.String(), supportThreshold: Type.Integer() }, strict);

export const ProposalListQuery = Type.Object({ status: Type.Optional(Type.String({ maxLength: 100, description: 'Comma-separated statuses' })) }, strict);

const Result = Type.Object(
  { counts: Type.Record(Type.String(), Type.Integer()), total: Type.Integer(), eligible: Type.Integer(), winner: nullable(Type.String()), closedAt: DateTime },
  strict,
);

export const ProposalSchema = Type.Object(
  {
    id: Uuid,
    title: Type.String(),
    description: Type.String(),
    scopeCode: Type.String(),
    scopeName: Type.String(),
    scopeLevel: Type.Union([Type.Literal('committee'), Type.Literal('building')]),
    origin: Type.Union([Type.Literal('resident'), Type.Literal('hotspot')]),
    hotspot: nullable(Type.Object({ categoryCode: Type.String(), categoryName: Type.String(), count: Type.Integer(), caseNumbers: Type.Array(Type.String()) }, strict)),
    proposerName: Type.String({ description: 'Masked for residents: 张*' }),
    status: Type.Enum(PROPOSAL_STATUSES),
    statusLabel: Type.String(),
    supportThreshold: Type.Integer(),
    supportCount: Type.Integer(),
    supportedByMe: Type.Boolean(),
    voteKind: nullable(Type.String()),
    voteOptions: nullable(Type.Array(Type.Object({ value: Type.String(), label: Type.String() }, strict))),
    voteOpensAt: nullable(DateTime),
    voteClosesAt: nullable(DateTime),
    myVote: nullable(Type.String()),
    mayVote: Type.Boolean({ description: 'The caller lives in the affected area and has not voted yet' }),
    result: nullable(Result),
    responsible: nullable(Type.String()),
    doneAt: nullable(DateTime),
    commentCount: Type.Integer(),
    createdAt: DateTime,
  },
  strict,
);
export const ProposalList = Type.Object({ items: Type.Array(ProposalSchema) }, strict);
export const ProposalDetail = Type.Object(
  {
    ...ProposalSchema.properties,
    comments: Type.Array(Type.Object({ id: Uuid, authorName: Type.String(), body: Type.String(), createdAt: DateTime }, strict)),
    milestones: Type.Array(Type.Object({ id: Uuid, title: Type.String(), dueDate: nullable(Type.String()), doneAt: nullable(DateTime) }, strict)),
    progress: Type.Array(Type.Object({ id: Uuid, milestoneId: nullable(Uuid), note: Type.String(), authorName: Type.String(), createdAt: DateTime }, strict)),
  },
  strict,
);

export const HotspotQuery = Type.Object(
  { days: Type.Optional(Type.Integer({ minimum: 7, maximum: 365 })), min: Type.Optional(Type.Integer({ minimum: 2, maximum: 100 })) },
  strict,
);
export const HotspotList = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          categoryCode: Type.String(),
          categoryName: Type.String(),
          regionCode: Type.String(),
          regionName: Type.String(),
          level: Type.String(),
          count: Type.Integer(),
          caseNumbers: Type.Array(Type.String()),
          lastAt: DateTime,
        },
        strict,
      ),
    ),
  },
  strict,
);

// ---------- volunteers and points ----------

export const VolunteerBody = Type.Object(
  {
    skills: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 10, uniqueItems: true }),
    availability: Type.String({ maxLength: 200 }),
    partyMember: Type.Boolean({ description: 'Party member (党员), for the i党建 capability' }),
  },
  strict,
);
export const VolunteerSchema = Type.Object(
  { registered: Type.Boolean(), skills: Type.Array(Type.String()), availability: Type.String(), partyMember: Type.Boolean() },
  strict,
);
export const VolunteerList = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          userId: Uuid,
          name: Type.String({ description: 'Masked' }),
          phone: nullable(Type.String({ description: 'Masked' })),
          skills: Type.Array(Type.String()),
          availability: Type.String(),
          partyMember: Type.Boolean(),
          hours: Type.Number(),
          balance: Type.Integer(),
        },
        strict,
      ),
    ),
  },
  strict,
);

export const TaskBody = Type.Object(
  {
    regionCode: Type.Optional(RegionCode),
    kind: Type.Enum(VOLUNTEER_TASK_KINDS),
    title: Text(80),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    startsAt: DateTime,
    endsAt: DateTime,
    capacity: Type.Integer({ minimum: 1, maximum: 1000 }),
    pointsPerHour: Type.Integer({ minimum: 0, maximum: 100 }),
  },
  strict,
);
const SignupSchema = Type.Object(
  {
    checkedInAt: nullable(DateTime),
    checkedOutAt: nullable(DateTime),
    hours: nullable(Type.Number()),
    awaitingConfirmation: Type.Boolean({ description: 'The volunteer checked themselves out; the hours (and points) wait for committee staff to confirm them' }),
  },
  strict,
);
export const TaskSchema = Type.Object(
  {
    id: Uuid,
    regionCode: Type.String(),
    regionName: Type.String(),
    kind: Type.Enum(VOLUNTEER_TASK_KINDS),
    kindLabel: Type.String(),
    title: Type.String(),
    description: Type.String(),
    startsAt: DateTime,
    endsAt: DateTime,
    capacity: Type.Integer(),
    pointsPerHour: Type.Integer(),
    signedUp: Type.Integer(),
    mySignup: nullable(SignupSchema),
  },
  strict,
);
export const TaskList = Type.Object({ items: Type.Array(TaskSchema) }, strict);
export const TaskDetail = Type.Object(
  {
    ...TaskSchema.properties,
    signups: Type.Array(Type.Object({ userId: Uuid, name: Type.String(), phone: nullable(Type.String()), partyMember: Type.Boolean(), signedUpAt: DateTime, ...SignupSchema.properties }, strict)),
  },
  strict,
);
export const CheckParams = Type.Object(
  { id: Uuid, userId: Uuid, step: Type.Union([Type.Literal('check-in'), Type.Literal('check-out'), Type.Literal('confirm')], { description: 'confirm: accept the hours of a volunteer who checked themselves out' }) },
  strict,
);
export const SelfCheckParams = Type.Object({ id: Uuid, step: Type.Union([Type.Literal('check-in'), Type.Literal('check-out')]) }, strict);

export const PointsSchema = Type.Object(
  {
    balance: Type.Integer(),
    entries: Type.Array(
      Type.Object(
        { id: Type.String(), amount: Type.Integer(), balanceAfter: Type.Integer(), reason: Type.Enum(POINTS_REASONS), reasonLabel: Type.String(), sourceId: Type.String(), note: nullable(Type.String()), createdAt: DateTime },
        strict,
      ),
    ),
    redemptions: Type.Array(Type.Object({ id: Uuid, code: Type.String(), cost: Type.Integer(), rewardName: Type.String(), createdAt: DateTime }, strict)),
  },
  strict,
);

export const RewardBody = Type.Object(
  { regionCode: Type.Optional(RegionCode), name: Text(60), description: Type.Optional(Type.String({ maxLength: 500 })), cost: Type.Integer({ minimum: 1, maximum: 100000 }), stock: Type.Integer({ minimum: 0, maximum: 100000 }) },
  strict,
);
export const RewardPatch = Type.Object({ stock: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })), active: Type.Optional(Type.Boolean()) }, { ...strict, minProperties: 1 });
export const RewardSchema = Type.Object(
  { id: Uuid, regionCode: Type.String(), regionName: Type.String(), name: Type.String(), description: Type.String(), cost: Type.Integer(), stock: Type.Integer(), active: Type.Boolean(), redeemed: Type.Integer() },
  strict,
);
export const RewardList = Type.Object({ items: Type.Array(RewardSchema) }, strict);
export const Redeemed = Type.Object({ code: Type.String({ description: 'Show at the committee to collect the reward' }), balance: Type.Integer() }, strict);
export const RedemptionList = Type.Object(
  { items: Type.Array(Type.Object({ id: Uuid, code: Type.String(), cost: Type.Integer(), rewardName: Type.String(), name: Type.String({ description: 'Masked' }), createdAt: DateTime }, strict)) },
  strict,
);
