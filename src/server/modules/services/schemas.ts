import { Type, type TSchema } from 'typebox';
import { EligibilityRuleSchema, RuleExampleSchema, UPTAKE_STATUSES, VISIT_OUTCOMES } from '../../../shared/services.ts';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Day = Type.String({ format: 'date' });
const DateTime = Type.String({ format: 'date-time' });
const Uuid = Type.String({ format: 'uuid' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const MatchParams = Type.Object({ id: Type.String({ pattern: '^\\d{1,18}$' }) }, { additionalProperties: false });
export const ServiceParams = Type.Object({ serviceId: Uuid }, { additionalProperties: false });

export const ServiceBody = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$', description: 'Stable code, e.g. elderly_allowance' }),
    name: Text(60),
    nameEn: Type.Optional(Type.String({ maxLength: 120 })),
    category: Type.Union([Type.Literal('elderly'), Type.Literal('disability'), Type.Literal('assistance'), Type.Literal('family'), Type.Literal('community')]),
    department: Text(80),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    howToApply: Type.Optional(Type.String({ maxLength: 1000 })),
    documents: Type.Array(Text(60), { maxItems: 20 }),
    autoGrant: Type.Boolean({ description: '免申即享: granted without an application; the resident only confirms' }),
    validFrom: Type.Optional(nullable(Day)),
    validTo: Type.Optional(nullable(Day)),
    regionCode: Type.Optional(Type.String({ pattern: '^\\d{6,15}$', description: 'Where the service applies (and below); the caller’s region by default' })),
    enabled: Type.Optional(Type.Boolean()),
    rule: EligibilityRuleSchema,
    examples: Type.Array(RuleExampleSchema, { maxItems: 50, description: 'Example persons with the expected verdict; the rule must pass them to be saved' }),
  },
  { additionalProperties: false },
);

/** What a resident and a worker read of a service: the same words in the catalogue and on the menu. */
const catalogueFields = {
  category: Type.String(),
  department: Type.String(),
  description: Type.String(),
  howToApply: Type.String(),
  documents: Type.Array(Type.String()),
  autoGrant: Type.Boolean(),
};
const serviceFields = {
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  ...catalogueFields,
  validFrom: nullable(Day),
  validTo: nullable(Day),
  regionCode: Type.String(),
  regionName: Type.String(),
  version: Type.Integer(),
  enabled: Type.Boolean(),
  ruleText: Type.String({ description: 'The rule read aloud, in the caller’s language' }),
  updatedAt: DateTime,
};
export const ServiceSummary = Type.Object(serviceFields, { additionalProperties: false });
export const ServiceList = Type.Object({ items: Type.Array(ServiceSummary) }, { additionalProperties: false });

const ExampleOutcome = Type.Object(
  { name: Type.String(), on: Day, expected: Type.Boolean(), actual: Type.Boolean(), passed: Type.Boolean(), reasons: Type.Array(Type.String()) },
  { additionalProperties: false },
);

export const ServiceDetail = Type.Object(
  {
    ...serviceFields,
    rule: EligibilityRuleSchema,
    rules: Type.Array(Type.Object({ version: Type.Integer(), rule: EligibilityRuleSchema, text: Type.String() }, { additionalProperties: false }), { description: 'The current rule (a service has one rule; its versions are in `versions`)' }),
    examples: Type.Array(RuleExampleSchema),
    exampleOutcomes: Type.Array(ExampleOutcome),
    versions: Type.Array(Type.Object({ version: Type.Integer(), createdAt: DateTime, ruleText: Type.String() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const RuleTestBody = Type.Object(
  {
    code: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' })),
    regionCode: Type.Optional(Type.String({ pattern: '^\\d{6,15}$' })),
    rule: EligibilityRuleSchema,
    examples: Type.Array(RuleExampleSchema, { maxItems: 50 }),
  },
  { additionalProperties: false },
);
export const RuleTestResult = Type.Object({ ruleText: Type.String(), passed: Type.Boolean(), outcomes: Type.Array(ExampleOutcome) }, { additionalProperties: false });

/** A POST without content: no body, `{}` or null. */
export const NoBody = Type.Union([Type.Object({}, { additionalProperties: false }), Type.Null()]);
export const EvaluateResult = Type.Object({ eligible: Type.Integer(), added: Type.Integer(), dropped: Type.Integer() }, { additionalProperties: false });

export const MenuQuery = Type.Object({ for: Type.Optional(Uuid) }, { additionalProperties: false });
export const MenuItem = Type.Object(
  {
    serviceId: Uuid,
    name: Type.String(),
    reasons: Type.Array(Type.String(), { description: 'Why the resident qualifies: the conditions that held, with the ledger’s values and sources' }),
    status: Type.Enum(UPTAKE_STATUSES),
    matchId: Type.String(),
    ...catalogueFields,
  },
  { additionalProperties: false },
);
export const Menu = Type.Array(MenuItem);

export const ActBody = Type.Object({ for: Type.Optional(Uuid) }, { additionalProperties: false, description: '`for`: the ledger person one acts for (代办), with their authorisation' });
export const DeclineBody = Type.Object({ for: Type.Optional(Uuid), reason: Text(200) }, { additionalProperties: false });
export const UptakeState = Type.Object({ matchId: Type.String(), status: Type.Enum(UPTAKE_STATUSES) }, { additionalProperties: false });

export const VerifyBody = Type.Object({ name: Text(40), idNumber: Type.String({ pattern: '^\\d{17}[\\dXx]$' }) }, { additionalProperties: false });
export const LinkView = Type.Object(
  { linked: Type.Boolean(), method: nullable(Type.Union([Type.Literal('self'), Type.Literal('worker')])), since: nullable(DateTime), actingFor: Type.Array(Type.Object({ personId: Uuid, name: Type.String(), relation: Type.String() }, { additionalProperties: false })) },
  { additionalProperties: false },
);
export const ConfirmLinkBody = Type.Object({ username: Text(60), personId: Uuid }, { additionalProperties: false });

export const ResidentProxyBody = Type.Object({ agentUsername: Text(60), relation: Text(20) }, { additionalProperties: false });
export const WrittenProxyBody = Type.Object({ personId: Uuid, agentUsername: Text(60), relation: Text(20), note: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });
export const ProxyView = Type.Object(
  { id: Uuid, personId: Uuid, agentName: Type.String(), relation: Type.String(), basis: Type.Union([Type.Literal('resident'), Type.Literal('written')]), createdAt: DateTime },
  { additionalProperties: false },
);
export const ProxyList = Type.Object({ items: Type.Array(ProxyView) }, { additionalProperties: false });
export const Created = Type.Object({ id: Type.String() }, { additionalProperties: false });

const Paging = { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })) };
export const EligibleQuery = Type.Object({ region: Type.Optional(Type.String({ pattern: '^\\d{6,15}$' })), ...Paging }, { additionalProperties: false });
export const EligibleList = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        { personId: Uuid, name: Type.String({ description: 'Masked: 张*' }), idNumber: nullable(Type.String({ description: 'Masked' })), age: nullable(Type.Integer()), regionCode: Type.String(), regionName: Type.String(), status: Type.Enum(UPTAKE_STATUSES) },
        { additionalProperties: false },
      ),
    ),
    total: Type.Integer(),
  },
  { additionalProperties: false },
);

export const WorklistQuery = Type.Object(
  {
    region: Type.Optional(Type.String({ pattern: '^\\d{6,15}$' })),
    service: Type.Optional(Uuid),
    view: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('unreached'), Type.Literal('all')], { default: 'open', description: 'open: not reached, applied, or a follow-up due; unreached: never reached; all' })),
    ...Paging,
  },
  { additionalProperties: false },
);
const WorkItem = Type.Object(
  {
    matchId: Type.String(),
    serviceId: Uuid,
    serviceName: Type.String(),
    personId: Uuid,
    name: Type.String(),
    idNumber: nullable(Type.String()),
    age: nullable(Type.Integer()),
    address: nullable(Type.String()),
    regionName: Type.String(),
    status: Type.Enum(UPTAKE_STATUSES),
    statusAt: DateTime,
    followUpOn: nullable(Day),
    lastVisitOn: nullable(Day),
    lastOutcome: nullable(Type.Enum(VISIT_OUTCOMES)),
    reasons: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
export const Worklist = Type.Object({ items: Type.Array(WorkItem), total: Type.Integer() }, { additionalProperties: false });
export const MatchDetail = Type.Object(
  {
    item: WorkItem,
    declineReason: nullable(Type.String()),
    visits: Type.Array(Type.Object({ visitedOn: Day, outcome: Type.Enum(VISIT_OUTCOMES), note: nullable(Type.String()), followUpOn: nullable(Day), worker: Type.String() }, { additionalProperties: false })),
    history: Type.Array(Type.Object({ from: nullable(Type.String()), to: Type.String(), reason: nullable(Type.String()), actor: nullable(Type.String()), onBehalfOf: nullable(Uuid), at: DateTime }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const VisitBody = Type.Object(
  { visitedOn: Day, outcome: Type.Enum(VISIT_OUTCOMES), note: Type.Optional(Type.String({ maxLength: 500 })), followUpOn: Type.Optional(nullable(Day)), declineReason: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
export const StatusBody = Type.Object({ status: Type.Enum(UPTAKE_STATUSES), reason: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });

export const UptakeQuery = Type.Object({ region: Type.Optional(Type.String({ pattern: '^\\d{6,15}$' })) }, { additionalProperties: false });
export const UptakeFigures = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          serviceId: Uuid,
          code: Type.String(),
          name: Type.String(),
          matched: Type.Integer(),
          informed: Type.Integer(),
          applied: Type.Integer(),
          received: Type.Integer(),
          declined: Type.Integer(),
          total: Type.Integer(),
          reachedRate: nullable(Type.Number({ description: 'Share of eligible residents reached (any state beyond matched)' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
