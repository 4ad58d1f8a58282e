import { Type, type TSchema } from 'typebox';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const Serial = Type.String({ pattern: '^[1-9][0-9]{0,17}$' });

export const SerialParams = Type.Object({ id: Serial }, { additionalProperties: false });

export const RunSummary = Type.Object(
  {
    id: Type.String(),
    trigger: Type.String({ description: 'import (after an import finished) or manual' }),
    status: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
    startedAt: DateTime,
    finishedAt: nullable(DateTime),
    pairs: Type.Integer({ description: 'Candidate pairs the blocking produced and that were scored' }),
    autoMerged: Type.Integer(),
    queued: Type.Integer({ description: 'Pairs queued for review' }),
  },
  { additionalProperties: false },
);

export const LinkageStatus = Type.Object(
  {
    state: Type.Union([Type.Literal('idle'), Type.Literal('running')], { description: 'running while a run is in progress or an import has finished that linkage has not yet handled' }),
    importsRunning: Type.Integer(),
    importsWaiting: Type.Integer({ description: 'Imports finished since the last run started' }),
    lastRun: nullable(RunSummary),
    pendingMatches: Type.Integer(),
  },
  { additionalProperties: false },
);

export const LinksQuery = Type.Object(
  {
    source: Type.String({ minLength: 1, maxLength: 40, description: 'The source by name or code' }),
    cursor: Type.Optional(Serial),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 1000 })),
  },
  { additionalProperties: false },
);

export const LinkList = Type.Object(
  {
    items: Type.Array(Type.Object({ source: Type.String(), recordKey: Type.String(), personId: nullable(Type.String({ format: 'uuid' })) }, { additionalProperties: false })),
    nextCursor: nullable(Type.String({ description: 'Pass as cursor for the next page; null on the last page' })),
  },
  { additionalProperties: false },
);

export const PageQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })) },
  { additionalProperties: false },
);

const Side = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String({ description: 'Masked unless the role may see names' }),
    idNumber: nullable(Type.String({ description: 'Masked' })),
    sex: nullable(Type.Union([Type.Literal('male'), Type.Literal('female')])),
    birthDate: nullable(Type.String({ description: 'The year only unless the role may see personal data' })),
    phone: nullable(Type.String({ description: 'Masked' })),
    address: nullable(Type.String({ description: 'Only for roles that may see personal data' })),
    regionCode: Type.String(),
    regionName: Type.String(),
    sources: Type.Array(Type.Object({ source: Type.String(), recordKey: Type.String() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

const Agreement = Type.String({ description: 'How the feature agrees: exact, variant (traditional/simplified), homophone, similar, swapped, close, same, building, different, missing' });
export const EvidenceSchema = Type.Object(
  { name: Agreement, birthDate: Agreement, sex: Agreement, phone: Agreement, address: Agreement },
  { additionalProperties: false },
);

export const MatchSchema = Type.Object(
  { id: Type.String(), score: Type.Number(), evidence: EvidenceSchema, weights: Type.Record(Type.String(), Type.Number()), createdAt: DateTime, a: Side, b: Side },
  { additionalProperties: false },
);
export const MatchList = Type.Object({ items: Type.Array(MatchSchema), total: Type.Integer(), autoMergeScore: Type.Number(), reviewScore: Type.Number() }, { additionalProperties: false });

export const Accepted = Type.Object({ mergeId: Type.String(), survivorId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
export const Rejected = Type.Object({ id: Type.String(), status: Type.Literal('rejected') }, { additionalProperties: false });

export const MergeSchema = Type.Object(
  {
    id: Type.String(),
    survivorId: Type.String({ format: 'uuid' }),
    absorbedId: Type.String({ format: 'uuid' }),
    survivorName: Type.String(),
    absorbedName: Type.String(),
    absorbedSources: Type.Integer({ description: 'Source records that moved with the absorbed person' }),
    score: nullable(Type.Number()),
    automatic: Type.Boolean(),
    mergedAt: DateTime,
  },
  { additionalProperties: false },
);
export const MergeList = Type.Object({ items: Type.Array(MergeSchema) }, { additionalProperties: false });
export const Undone = Type.Object({ id: Type.String(), survivorId: Type.String({ format: 'uuid' }), absorbedId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

/** Decisions carry an optional note for the audit log; the body may be empty. */
export const DecisionBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });
