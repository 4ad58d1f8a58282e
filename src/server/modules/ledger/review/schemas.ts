import { Type, type TSchema } from 'typebox';
import { PersonSchema } from '../schemas.ts';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const FieldName = Type.String({ minLength: 1, maxLength: 60, pattern: '^(tag\\.)?[a-z][a-z_]*$', description: 'A ledger field (name, id_number, …) or tag.<code>' });
const SourceName = Type.String({ minLength: 1, maxLength: 40, description: 'A source by name or code (民政 / civil_affairs)' });
const Note = Type.String({ minLength: 2, maxLength: 500, pattern: '\\S', description: 'The reviewer’s note; kept in the history and the audit log' });

export const ConflictIdParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,17}$' }) }, { additionalProperties: false });

export const ConflictListQuery = Type.Object(
  {
    field: Type.Optional(FieldName),
    source: Type.Optional(SourceName),
    region: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Conflicts of persons in this region (code) or below' })),
    personId: Type.Optional(Type.String({ format: 'uuid' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

export const ConflictSchema = Type.Object(
  {
    id: Type.String(),
    personId: Type.String({ format: 'uuid' }),
    personName: Type.String({ description: 'In full for committee staff; family name only for other roles' }),
    regionCode: Type.String(),
    regionName: Type.String(),
    field: Type.String(),
    currentValue: nullable(Type.String({ description: 'Masked like the person’s own fields' })),
    currentSource: Type.String(),
    currentObservedAt: nullable(DateTime),
    proposedValue: nullable(Type.String({ description: 'Masked like the person’s own fields' })),
    proposedSource: Type.String(),
    proposedObservedAt: DateTime,
    status: Type.Union([Type.Literal('open'), Type.Literal('resolved')]),
    resolution: nullable(Type.Union([Type.Literal('keep'), Type.Literal('accept'), Type.Literal('verified')])),
    resolvedValue: nullable(Type.String()),
    resolutionNote: nullable(Type.String()),
    createdAt: DateTime,
    resolvedAt: nullable(DateTime),
  },
  { additionalProperties: false },
);
export const ConflictList = Type.Object({ items: Type.Array(ConflictSchema), total: Type.Integer() }, { additionalProperties: false });

export const ResolveBody = Type.Object(
  {
    action: Type.Union([Type.Literal('keep'), Type.Literal('accept'), Type.Literal('verified')], {
      description: 'keep the current value, accept the proposed one, or enter a value verified on a visit (source 社工走访)',
    }),
    value: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'For verified: the value as checked (required)' })),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);

export const ResolveResponse = Type.Object(
  { conflict: ConflictSchema, settled: Type.Array(Type.String(), { description: 'Other open conflicts of the person on the field that proposed the same value, settled with it' }) },
  { additionalProperties: false },
);

export const BulkResolveBody = Type.Object(
  {
    field: FieldName,
    source: SourceName,
    action: Type.Union([Type.Literal('keep'), Type.Literal('accept')]),
    region: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    expectedCount: Type.Integer({ minimum: 1, maximum: 500, description: 'How many open conflicts the reviewer saw and confirms; a different number now refuses the whole request' }),
    note: Note,
  },
  { additionalProperties: false },
);
export const BulkResolveResponse = Type.Object({ resolved: Type.Integer(), ids: Type.Array(Type.String()) }, { additionalProperties: false });

export const AuthorityFieldParams = Type.Object({ field: FieldName }, { additionalProperties: false });
export const AuthorityBody = Type.Object(
  { source: SourceName, reason: Type.String({ minLength: 2, maxLength: 200, pattern: '\\S', description: 'Why; kept with the change and in the audit log' }) },
  { additionalProperties: false },
);
const AuthorityEntry = Type.Object({ field: Type.String(), source: Type.String(), updatedAt: DateTime }, { additionalProperties: false });
export const AuthorityResponse = Type.Object({ entry: AuthorityEntry, changed: Type.Boolean({ description: 'false when the source already was the authority' }) }, { additionalProperties: false });
export const AuthorityView = Type.Object(
  {
    items: Type.Array(AuthorityEntry),
    changes: Type.Array(
      Type.Object(
        { id: Type.String(), field: Type.String(), oldSource: nullable(Type.String()), newSource: Type.String(), reason: Type.String(), changedBy: nullable(Type.String()), changedAt: DateTime },
        { additionalProperties: false },
      ),
      { description: 'The latest 200 changes, newest first' },
    ),
  },
  { additionalProperties: false },
);

const Tag = Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false });
const Member = Type.Object(
  { ...PersonSchema.properties, relationToHead: nullable(Type.String({ description: '与户主关系 as the source wrote it (户主, 配偶, 子 …)' })) },
  { additionalProperties: false },
);

export const HouseholdView = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    householdNumber: Type.String(),
    regionCode: Type.String(),
    regionName: Type.String(),
    members: Type.Array(Member),
    tags: Type.Array(Tag, { description: 'Every tag any member has (as visible to the caller)' }),
  },
  { additionalProperties: false },
);

export const DwellingView = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    address: nullable(Type.String({ description: 'Withheld (null) from roles without ledger.personal.read' })),
    building: nullable(Type.String()),
    unit: nullable(Type.String()),
    room: nullable(Type.String()),
    regionCode: Type.String(),
    regionName: Type.String(),
    residents: Type.Array(Member),
    tags: Type.Array(Tag),
  },
  { additionalProperties: false },
);
