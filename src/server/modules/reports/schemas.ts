import { Type, type Static, type TSchema } from 'typebox';
import { LIST_GROUPS, MEASURES, REPORT_FORMATS, SUMMARY_GROUPS } from '../../../shared/reports.ts';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const TagCode = Type.String({ pattern: '^[a-z][a-z_]{1,39}$' });
const Age = Type.Integer({ minimum: 0, maximum: 150 });
const Label = Type.String({ minLength: 1, maxLength: 40, pattern: '\\S' });
const Title = Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' });

const Filter = Type.Object(
  {
    tagsAll: Type.Optional(Type.Array(TagCode, { maxItems: 10 })),
    tagsAny: Type.Optional(Type.Array(TagCode, { maxItems: 10 })),
    minAge: Type.Optional(Age),
    maxAge: Type.Optional(Age),
    sex: Type.Optional(Type.Enum(['male', 'female'])),
  },
  { additionalProperties: false },
);

const ListColumn = Type.Object(
  {
    field: Type.String({ minLength: 1, maxLength: 50, description: 'A column of the subject’s catalogue (src/shared/reports.ts) or tag.<code>' }),
    label: Type.Optional(Label),
    unmasked: Type.Optional(Type.Boolean()),
    width: Type.Optional(Type.Integer({ minimum: 4, maximum: 80 })),
  },
  { additionalProperties: false },
);

const ListTemplate = Type.Object(
  {
    kind: Type.Literal('list'),
    subject: Type.Enum(['person', 'household']),
    title: Title,
    filter: Filter,
    columns: Type.Array(ListColumn, { minItems: 1, maxItems: 30 }),
    groupBy: Type.Optional(Type.Enum(LIST_GROUPS)),
    totals: Type.Boolean(),
    sort: Type.Optional(Type.Array(Type.Object({ field: Type.String({ minLength: 1, maxLength: 50 }), direction: Type.Enum(['asc', 'desc']) }, { additionalProperties: false }), { maxItems: 5 })),
  },
  { additionalProperties: false },
);

const Measure = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
    label: Label,
    kind: Type.Enum(MEASURES),
    tag: Type.Optional(TagCode),
    minAge: Type.Optional(Age),
    maxAge: Type.Optional(Age),
  },
  { additionalProperties: false },
);

const SummaryTemplate = Type.Object(
  {
    kind: Type.Literal('summary'),
    title: Title,
    filter: Filter,
    groupBy: Type.Enum(SUMMARY_GROUPS),
    measures: Type.Array(Measure, { minItems: 1, maxItems: 30 }),
    totals: Type.Boolean(),
  },
  { additionalProperties: false },
);

/** A report template is data: this schema is the whole of what a designer may write. */
export const ReportDefinitionSchema = Type.Union([ListTemplate, SummaryTemplate], { description: 'A list (rows per person or household) or a summary (counts per committee or street)' });
export type ReportDefinitionInput = Static<typeof ReportDefinitionSchema>;

export const TemplateParams = Type.Object({ template: Type.String({ pattern: '^[a-z][a-z0-9_-]{1,59}$' }) }, { additionalProperties: false });
export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const ReportQuery = Type.Object(
  {
    region: Type.Optional(Type.String({ pattern: '^\\d{6,20}$', description: 'Region code; defaults to the caller’s region' })),
    format: Type.Optional(Type.Enum(REPORT_FORMATS, { default: 'json' })),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export const TemplateSummary = Type.Object(
  {
    code: Type.String(),
    version: Type.Integer(),
    name: Type.String(),
    builtin: Type.Boolean(),
    kind: Type.Enum(['list', 'summary']),
    sensitive: Type.Boolean({ description: 'Needs a role that may see health, disability or welfare data' }),
    versions: Type.Integer(),
    createdAt: DateTime,
    definition: ReportDefinitionSchema,
  },
  { additionalProperties: false },
);
export const TemplateList = Type.Object({ items: Type.Array(TemplateSummary) }, { additionalProperties: false });

export const SaveTemplateBody = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_-]{1,59}$', description: 'An existing code adds a version; a new one starts at version 1' }),
    name: Title,
    definition: ReportDefinitionSchema,
  },
  { additionalProperties: false },
);

const Cell = Type.Union([Type.String(), Type.Number(), Type.Null()]);
export const ReportRowSchema = Type.Object(
  { kind: Type.Enum(['data', 'subtotal', 'total']), cells: Type.Array(Cell) },
  { additionalProperties: false },
);
export const ReportJson = Type.Object(
  {
    template: Type.Object({ code: Type.String(), version: Type.Integer(), name: Type.String() }),
    title: Type.String(),
    region: Type.Object({ code: Type.String(), name: Type.String() }),
    asOf: Type.String({ format: 'date' }),
    generatedAt: DateTime,
    generatedBy: Type.String(),
    columns: Type.Array(Type.Object({ key: Type.String(), label: Type.String() })),
    rows: Type.Array(ReportRowSchema),
    rowCount: Type.Integer({ description: 'Data rows (persons, households or committees), without subtotal and total rows' }),
  },
  { additionalProperties: false },
);

export const PreviewBody = Type.Object(
  { definition: ReportDefinitionSchema, region: Type.Optional(Type.String({ pattern: '^\\d{6,20}$' })) },
  { additionalProperties: false },
);

export const RunBody = Type.Object(
  { region: Type.Optional(Type.String({ pattern: '^\\d{6,20}$' })), format: Type.Optional(Type.Enum(REPORT_FORMATS, { default: 'xlsx' })) },
  { additionalProperties: false },
);

export const RunView = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    template: Type.String(),
    version: Type.Integer(),
    name: Type.String(),
    regionCode: Type.String(),
    regionName: Type.String(),
    format: Type.Enum(REPORT_FORMATS),
    rows: Type.Integer(),
    sensitive: Type.Boolean(),
    scheduleId: nullable(Type.String()),
    createdBy: Type.String(),
    createdAt: DateTime,
    downloadUrl: Type.String(),
  },
  { additionalProperties: false },
);
export const RunList = Type.Object({ items: Type.Array(RunView) }, { additionalProperties: false });
export const RunListQuery = Type.Object({ template: Type.Optional(Type.String({ maxLength: 60 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }, { additionalProperties: false });

export const ScheduleBody = Type.Object(
  {
    template: Type.String({ pattern: '^[a-z][a-z0-9_-]{1,59}$' }),
    region: Type.Optional(Type.String({ pattern: '^\\d{6,20}$' })),
    dayOfMonth: Type.Integer({ minimum: 1, maximum: 28 }),
    hour: Type.Optional(Type.Integer({ minimum: 0, maximum: 23, default: 8 })),
    departmentId: Type.Optional(nullable(Type.String({ format: 'uuid' }))),
  },
  { additionalProperties: false },
);
export const ScheduleView = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    template: Type.String(),
    regionCode: Type.String(),
    regionName: Type.String(),
    dayOfMonth: Type.Integer(),
    hour: Type.Integer(),
    departmentId: nullable(Type.String()),
    departmentName: nullable(Type.String()),
    active: Type.Boolean(),
    nextRunAt: DateTime,
    createdAt: DateTime,
  },
  { additionalProperties: false },
);
export const ScheduleList = Type.Object({ items: Type.Array(ScheduleView) }, { additionalProperties: false });
export const ScheduleActiveBody = Type.Object({ active: Type.Boolean() }, { additionalProperties: false });
