import { Type, type TSchema } from 'typebox';
import { HISTORY_OUTCOMES, IMPORT_STATUSES, REVEALABLE_FIELDS } from '../../../shared/ledger.ts';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const ImportStarted = Type.Object(
  { id: Type.String({ format: 'uuid' }), status: Type.Enum(IMPORT_STATUSES) },
  { additionalProperties: false, description: 'The import runs in the background: follow it with GET /api/ledger/imports/{id}' },
);

/**
 * The multipart form of an import or a preview, for the API document; the route reads the stream
 * itself (size limit, content sniffing), so this schema documents and does not validate.
 */
export const ImportForm = Type.Object({
  file: Type.String({ format: 'binary', description: 'CSV (UTF-8 or GBK) or XLSX; the type is decided from the content' }),
  source: Type.String({ description: 'The source by name or code: 民政 / civil_affairs, 公安实有人口 / police, …' }),
  mapping: Type.Optional(Type.String({ description: 'JSON object, header text → field (name, id_number, …, tag.<code>, record_key, ignore), overriding auto-detection' })),
  mappingId: Type.Optional(Type.String({ format: 'uuid', description: 'A saved mapping (POST /api/ledger/mappings) to apply; `mapping` adds to it' })),
});

const MappingColumns = Type.Record(Type.String({ minLength: 1, maxLength: 60 }), Type.String({ minLength: 1, maxLength: 60 }), {
  description: 'Header text → field (name, id_number, …, tag.<code>, tags, record_key, note, observed_at, ignore)',
});
export const SaveMappingBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' }), source: Type.String({ minLength: 1, maxLength: 40 }), columns: MappingColumns },
  { additionalProperties: false },
);
export const MappingSchema = Type.Object(
  { id: Type.String({ format: 'uuid' }), name: Type.String(), source: Type.String(), columns: MappingColumns, createdAt: DateTime },
  { additionalProperties: false },
);
export const MappingList = Type.Object({ items: Type.Array(MappingSchema) }, { additionalProperties: false });

export const DemoFileList = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        { name: Type.String(), source: Type.String(), format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]), bytes: Type.Integer({ minimum: 0 }), url: Type.String() },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: 'The demo departments’ spreadsheets to try the import with (empty outside demo mode)' },
);
export const DemoFileParams = Type.Object({ index: Type.Integer({ minimum: 0, maximum: 9 }) }, { additionalProperties: false });

const Column = Type.Object({ index: Type.Integer(), header: Type.String(), target: nullable(Type.String({ description: 'field, tag.<code>, tags, record_key, note, observed_at, ignore' })) }, { additionalProperties: false });

const Problem = Type.Object(
  {
    code: Type.String({ description: 'Stable problem code, e.g. id_invalid' }),
    field: nullable(Type.String()),
    value: nullable(Type.String()),
    effect: Type.Union([Type.Literal('reject'), Type.Literal('drop')], { description: 'reject: the row is not imported; drop: only this cell is left out' }),
    message: Type.String({ description: "In the caller's language" }),
  },
  { additionalProperties: false },
);

export const ImportPreview = Type.Object(
  {
    format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]),
    encoding: nullable(Type.String({ description: 'For CSV: utf-8 or gb18030 (GBK)' })),
    headerRow: Type.Integer({ description: 'The row the header was found in (rows above it, such as a merged title, are skipped)' }),
    columns: Type.Array(Column),
    rows: Type.Array(
      Type.Object(
        {
          rowNumber: Type.Integer(),
          status: Type.Union([Type.Literal('ready'), Type.Literal('rejected'), Type.Literal('empty')]),
          values: Type.Record(Type.String(), Type.String(), { description: 'Normalised values, ID and phone numbers masked' }),
          tags: Type.Array(Type.String()),
          committee: nullable(Type.String()),
          problems: Type.Array(Problem),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ImportView = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    status: Type.Enum(IMPORT_STATUSES),
    source: Type.String(),
    fileName: Type.String(),
    format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]),
    headerRow: nullable(Type.Integer()),
    rows: Type.Integer({ description: 'Data rows read so far (empty rows not counted)' }),
    imported: Type.Integer({ description: 'Rows taken into the ledger' }),
    unchanged: Type.Integer({ description: 'Rows already stored with the same content (re-imports)' }),
    rejected: Type.Integer({ description: 'Rows refused; see the error report' }),
    conflicts: Type.Integer({ description: 'Values that differ from the current one and were queued for review (一数一源)' }),
    message: nullable(Type.String({ description: 'Why a failed import stopped' })),
    errorReportUrl: Type.String(),
    createdAt: DateTime,
    finishedAt: nullable(DateTime),
  },
  { additionalProperties: false },
);

export const PersonListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'Name, pinyin initials (zw), the last 4 characters of the ID number, or part of the address' })),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'A tag code or name (elderly / 高龄)' })),
    region: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Persons of this region (code) or below' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

const Tag = Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false });

const personFields = {
  id: Type.String({ format: 'uuid' }),
  name: Type.String({ description: 'In full for committee staff; family name only (张*) for other roles' }),
  idNumber: nullable(Type.String({ description: 'Masked: 310***********1234' })),
  sex: nullable(Type.Union([Type.Literal('male'), Type.Literal('female')])),
  birthDate: nullable(Type.String({ description: 'YYYY-MM-DD for committee staff; the year only for other roles' })),
  age: nullable(Type.Integer()),
  phone: nullable(Type.String({ description: 'Masked: 138****1234' })),
  address: nullable(Type.String({ description: 'The address of residence; withheld (null) from roles without ledger.personal.read' })),
  regionCode: Type.String(),
  regionName: Type.String(),
  householdNumber: nullable(Type.String()),
  householdId: nullable(Type.String({ format: 'uuid', description: 'GET /api/ledger/households/{id}' })),
  dwellingId: nullable(Type.String({ format: 'uuid', description: 'GET /api/ledger/dwellings/{id}' })),
  tags: Type.Array(Tag, { description: 'Stored and derived tags; welfare, disability, health and security tags only for roles that need them' }),
  updatedAt: DateTime,
};

export const PersonSchema = Type.Object(personFields, { additionalProperties: false });
export const PersonList = Type.Object({ items: Type.Array(PersonSchema), total: Type.Integer() }, { additionalProperties: false });

const SourcedValue = {
  field: Type.String(),
  value: nullable(Type.String({ description: 'Masked like the person’s own fields' })),
  source: Type.String(),
  observedAt: DateTime,
};

export const PersonDetail = Type.Object(
  {
    ...personFields,
    sources: Type.Array(Type.Object({ source: Type.String(), recordKey: Type.String(), receivedAt: DateTime }, { additionalProperties: false })),
    fields: Type.Array(Type.Object({ ...SourcedValue, authoritative: Type.Boolean({ description: 'The value comes from the field’s authoritative source (一数一源)' }) }, { additionalProperties: false })),
    history: Type.Array(
      Type.Object(
        {
          ...SourcedValue,
          outcome: Type.Enum(HISTORY_OUTCOMES, { description: 'set / confirmed / replaced / conflict on import; accepted / rejected / verified by a reviewer' }),
          recordKey: nullable(Type.String()),
          recordedAt: DateTime,
          note: nullable(Type.String({ description: 'The reviewer’s note on accepted / rejected / verified entries' })),
        },
        { additionalProperties: false },
      ),
    ),
    conflicts: Type.Array(
      Type.Object(
        { id: Type.String(), field: Type.String(), currentValue: nullable(Type.String()), currentSource: Type.String(), proposedValue: nullable(Type.String()), proposedSource: Type.String(), createdAt: DateTime },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const RevealBody = Type.Object(
  {
    field: Type.Enum(REVEALABLE_FIELDS),
    reason: Type.String({ minLength: 2, maxLength: 200, pattern: '\\S', description: 'Why the full value is needed; kept in the audit log' }),
  },
  { additionalProperties: false },
);
export const RevealResponse = Type.Object({ field: Type.String(), value: nullable(Type.String()) }, { additionalProperties: false });

export const StatsQuery = Type.Object({ region: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })) }, { additionalProperties: false });
export const StatsSchema = Type.Object(
  {
    persons: Type.Integer(),
    households: Type.Integer(),
    dwellings: Type.Integer(),
    sourceRecords: Type.Integer(),
    pendingMatches: Type.Integer({ description: 'Probable matches waiting for review (record linkage)' }),
    conflicts: Type.Integer({ description: 'Open 一数一源 conflicts' }),
  },
  { additionalProperties: false },
);

export const SourceList = Type.Object(
  {
    items: Type.Array(Type.Object({ name: Type.String(), code: Type.String(), nameEn: Type.String(), authoritativeFor: Type.Array(Type.String()) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export const TagList = Type.Object(
  { items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String(), category: Type.String(), derived: Type.Boolean() }, { additionalProperties: false })) },
  { additionalProperties: false },
);
