import { randomUUID } from 'node:crypto';
import { pinyin } from 'pinyin-pro';
import type { LedgerField, RevealableField } from '../../../shared/ledger.ts';
import { recordChange, type CommandContext } from '../../platform/platform.ts';
import { decideField, type FieldOutcome } from './policy.ts';
import {
  addImportCounts,
  currentFields,
  findPersonsForIngest,
  findSourceRecords,
  findStalledImports,
  saveMapping,
  finishImportRow,
  insertFieldValues,
  insertImport,
  insertImportErrors,
  setImportMapping,
  upsertConflicts,
  upsertDwellings,
  upsertHouseholds,
  upsertPersons,
  upsertSourceRecords,
  type FieldValueInput,
  type FieldValueRecord,
  type ImportCounts,
  type ImportError,
  type ImportRun,
  type PersonSummary,
  type SourceRecordInput,
  type StoredPerson,
} from './repository.ts';
import type { ColumnMapping, PreparedRow } from './rows.ts';

const initialsSeen = new Map<string, string>();

/** Pinyin initials of a name, for search (张伟 → zw); other characters are left out. */
export function nameInitials(name: string): string {
  // names repeat a lot (a million rows hold a few tens of thousands of names) and pinyin is slow
  let initials = initialsSeen.get(name);
  if (initials === undefined) {
    initials = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'removed' }).join('').toLowerCase();
    if (initialsSeen.size >= 100_000) initialsSeen.clear();
    initialsSeen.set(name, initials);
  }
  return initials;
}

export async function startImport(ctx: CommandContext, input: { sourceName: string; fileName: string; format: 'csv' | 'xlsx'; regionPath: string }): Promise<string> {
  const id = await insertImport(ctx.trx, { ...input, createdBy: ctx.actor.kind === 'user' ? ctx.actor.userId : null });
  await recordChange(ctx, {
    audit: { action: 'ledger.import.start', objectType: 'ledger_import', objectId: id, regionPath: input.regionPath, details: { source: input.sourceName, fileName: input.fileName, format: input.format } },
    event: { type: 'ledger.import_started', aggregateType: 'ledger_import', aggregateId: id, regionPath: input.regionPath, payload: { source: input.sourceName, format: input.format } },
  });
  return id;
}

export async function recordImportMapping(ctx: CommandContext, run: Pick<ImportRun, 'id' | 'regionPath'>, mapping: ColumnMapping): Promise<void> {
  await setImportMapping(ctx.trx, run.id, mapping.headerRow, mapping);
  await recordChange(ctx, {
    audit: { action: 'ledger.import.mapping', objectType: 'ledger_import', objectId: run.id, regionPath: run.regionPath, details: { headerRow: mapping.headerRow, targets: mapping.targets } },
  });
}

export async function finishImport(ctx: CommandContext, run: Pick<ImportRun, 'id' | 'regionPath'>, outcome: { status: 'done' | 'failed'; message: string | null }): Promise<void> {
  await finishImportRow(ctx.trx, run.id, outcome.status, outcome.message);
  await recordChange(ctx, {
    audit: { action: `ledger.import.${outcome.status === 'done' ? 'finish' : 'fail'}`, objectType: 'ledger_import', objectId: run.id, regionPath: run.regionPath, details: { message: outcome.message } },
    event: { type: 'ledger.import_finished', aggregateType: 'ledger_import', aggregateId: run.id, regionPath: run.regionPath, payload: { status: outcome.status } },
  });
}

/** Without progress for this long, a running import's process has stopped (a batch takes seconds). */
export const IMPORT_STALL_MS = 15 * 60_000;

/** Marks imports whose process stopped mid-way as failed, so nobody waits for them. */
export async function failStalledImports(ctx: CommandContext, now: Date): Promise<number> {
  const stalled = await findStalledImports(ctx.trx, new Date(now.getTime() - IMPORT_STALL_MS));
  for (const run of stalled) await finishImport(ctx, run, { status: 'failed', message: 'LEDGER_IMPORT_INTERRUPTED' });
  return stalled.length;
}

interface PersonState extends StoredPerson {
  isNew: boolean;
  fields: Map<string, { value: string | null; source: string }>;
  /** Denormalised columns and links to write back at the end of the batch. */
  dirty: boolean;
}

export interface BatchInput {
  run: Pick<ImportRun, 'id' | 'regionPath' | 'sourceName'>;
  /** Rows that passed validation, in file order. */
  rows: readonly PreparedRow[];
  /** Rows refused and cells left out, for the error report. */
  errors: readonly ImportError[];
  /** Rows refused (counted, not stored). */
  rejected: number;
  /** field → its authoritative source. */
  authority: ReadonlyMap<string, string>;
  /** When the import started: the time of values whose row carries no date of its own. */
  receivedAt: Date;
}

/**
 * Applies one batch of an import's rows in the caller's transaction: each row's source record is
 * stored as received (a row whose record is already stored with the same content changes nothing),
 * its person found (by the source record, then by a valid ID number) or created, and every value
 * offered to the person's fields under 一数一源 (see `decideField`), with a history entry each.
 * One audit entry and one event for the batch; the import's counters move in the same transaction.
 */
export async function ingestBatch(ctx: CommandContext, input: BatchInput): Promise<ImportCounts> {
  const { trx } = ctx;
  const source = input.run.sourceName;
  const keyOf = (row: PreparedRow) => row.recordKey ?? `#${row.rowHash}`;
  const stored = await findSourceRecords(trx, source, [...new Set(input.rows.map(keyOf))]);

  const counts: ImportCounts = { rows: input.rows.length + input.rejected, imported: 0, unchanged: 0, rejected: input.rejected, conflicts: 0 };
  const changed = input.rows.filter((row) => {
    const record = stored.get(keyOf(row));
    const same = record !== undefined && record.rowHash === row.rowHash && record.personId !== null;
    if (same) counts.unchanged += 1;
    return !same;
  });

  const known = await findPersonsForIngest(trx, {
    ids: [...new Set(changed.map((r) => stored.get(keyOf(r))?.personId).filter((id): id is string => !!id))],
    idNumbers: [...new Set(changed.map((r) => r.values.id_number).filter((v): v is string => !!v))],
  });
  const fieldsByPerson = new Map<string, Map<string, { value: string | null; source: string }>>();
  for (const f of await currentFields(trx, known.map((p) => p.id))) {
    if (!fieldsByPerson.has(f.personId)) fieldsByPerson.set(f.personId, new Map());
    fieldsByPerson.get(f.personId)!.set(f.field, { value: f.value, source: f.source });
  }
  const persons = new Map<string, PersonState>(known.map((p) => [p.id, { ...p, isNew: false, fields: fieldsByPerson.get(p.id) ?? new Map(), dirty: false }]));
  const byIdNumber = new Map(known.filter((p) => p.idNumber).map((p) => [p.idNumber!, p.id]));

  /** `record`: the index of the offering row's source record in `records`. */
  type Offer = { person: PersonState; field: string; value: string | null; outcome: FieldOutcome; previous: { value: string | null; source: string } | undefined; record: number };
  const offers: Offer[] = [];
  const records: Array<SourceRecordInput & { observedAt: Date }> = [];
  const dwellings = new Map<string, PreparedRow['dwelling'] & object>();

  for (const row of changed) {
    const key = keyOf(row);
    const idNumber = row.values.id_number;
    // a valid ID number is the person; otherwise the person this record was linked to; otherwise someone new
    let personId = (idNumber && byIdNumber.get(idNumber)) || stored.get(key)?.personId || null;
    if (personId === null || !persons.has(personId)) {
      personId = randomUUID();
      persons.set(personId, { id: personId, regionCode: row.committee.code, regionPath: row.committee.path, idNumber: null, dwellingId: null, householdId: null, isNew: true, fields: new Map(), dirty: true });
    }
    const person = persons.get(personId)!;
    if (idNumber && !byIdNumber.has(idNumber)) byIdNumber.set(idNumber, personId);
    const observedAt = row.observedAt ? new Date(`${row.observedAt}T00:00:00+08:00`) : input.receivedAt;

    const offered: Array<[string, string | null]> = [
      ...Object.entries(row.values),
      ...Object.entries(row.tags).map(([code, has]): [string, string] => [`tag.${code}`, has ? 'yes' : 'no']),
    ];
    for (const [field, value] of offered) {
      const previous = person.fields.get(field);
      const outcome = decideField(field, previous, { value, source }, input.authority.get(field));
      offers.push({ person, field, value, outcome, previous, record: records.length });
      if (outcome === 'conflict') {
        counts.conflicts += 1;
        continue;
      }
      if (outcome === 'confirmed' && previous && (previous.source === source || input.authority.get(field) !== source)) continue;
      person.fields.set(field, { value, source });
      person.dirty = true;
      if (field === 'committee') {
        person.regionCode = row.committee.code;
        person.regionPath = row.committee.path;
      }
      if (field === 'residence_address') {
        person.dwellingId = null;
        if (row.dwelling) dwellings.set(personId, row.dwelling);
      }
    }
    records.push({ source, recordKey: key, hasOwnKey: row.recordKey !== null, rowHash: row.rowHash, personId, regionPath: person.regionPath, importId: input.run.id, rowNumber: row.rowNumber, data: row.data, observedAt });
    counts.imported += 1;
  }

  // the places first (persons point at them), then the persons (records and history point at them)
  const dirty = [...persons.values()].filter((p) => p.dirty);
  const placeKey = (regionCode: string, key: string) => `${regionCode} ${key}`;
  const dwellingIds = await upsertDwellings(
    trx,
    [...dwellings].map(([personId, d]) => ({ regionCode: persons.get(personId)!.regionCode, regionPath: persons.get(personId)!.regionPath, ...d })),
  );
  for (const [personId, d] of dwellings) {
    const person = persons.get(personId)!;
    person.dwellingId = dwellingIds.get(placeKey(person.regionCode, d.key)) ?? null;
  }
  const householdOf = (p: PersonState) => p.fields.get('household_number')?.value ?? null;
  const householdIds = await upsertHouseholds(
    trx,
    dirty.filter((p) => householdOf(p) !== null).map((p) => ({ regionCode: p.regionCode, regionPath: p.regionPath, householdNumber: householdOf(p)! })),
  );
  await upsertPersons(
    trx,
    dirty.map((person) => {
      const value = (field: LedgerField) => person.fields.get(field)?.value ?? null;
      const name = value('name') ?? '';
      const household = householdOf(person);
      return {
        id: person.id,
        region_code: person.regionCode,
        region_path: person.regionPath,
        name,
        name_initials: nameInitials(name),
        id_number: value('id_number'),
        sex: value('sex') as 'male' | 'female' | null,
        birth_date: value('birth_date'),
        phone: value('phone'),
        dwelling_id: person.dwellingId,
        household_id: household === null ? null : (householdIds.get(placeKey(person.regionCode, household)) ?? null),
      };
    }),
  );
  const created = dirty.filter((p) => p.isNew);

  const recordIds = await upsertSourceRecords(trx, records);
  // the last value a row gave a field is the one that stands (a file may repeat a person)
  const standing = new Map<string, number>();
  offers.forEach((o, i) => {
    const now = o.person.fields.get(o.field);
    if (o.outcome !== 'conflict' && now?.source === source && now.value === o.value) standing.set(`${o.person.id} ${o.field}`, i);
  });
  const standingIndexes = new Set(standing.values());
  const historyIds = await insertFieldValues(
    trx,
    source,
    records.map((r): FieldValueRecord => ({ personId: r.personId, sourceRecordId: recordIds.get(r.recordKey) ?? null, observedAt: r.observedAt, newPerson: persons.get(r.personId)!.isNew })),
    offers.map((o, i): FieldValueInput => ({ record: o.record, field: o.field, value: o.value, outcome: o.outcome, current: standingIndexes.has(i) })),
  );
  const conflicts = new Map<string, Parameters<typeof upsertConflicts>[1][number]>();
  offers.forEach((o, i) => {
    if (o.outcome !== 'conflict') return;
    conflicts.set(`${o.person.id} ${o.field}`, { personId: o.person.id, regionPath: o.person.regionPath, field: o.field, currentValue: o.previous?.value ?? null, currentSource: o.previous!.source, proposedValue: o.value, proposedSource: source, historyId: historyIds.get(i)! });
  });
  await upsertConflicts(trx, [...conflicts.values()]);
  await insertImportErrors(trx, input.run.id, input.errors);
  await addImportCounts(trx, input.run.id, counts);

  const rowNumbers = [...input.rows.map((r) => r.rowNumber), ...input.errors.map((e) => e.rowNumber)];
  const changedPersons = [...persons.values()].filter((p) => p.dirty && !p.isNew).map((p) => p.id);
  await recordChange(ctx, {
    audit: {
      action: 'ledger.import.batch',
      objectType: 'ledger_import',
      objectId: input.run.id,
      regionPath: input.run.regionPath,
      details: {
        source,
        firstRow: rowNumbers.length ? Math.min(...rowNumbers) : null,
        lastRow: rowNumbers.length ? Math.max(...rowNumbers) : null,
        ...counts,
        personsCreated: created.map((p) => p.id),
        personsChanged: changedPersons,
      },
    },
    event: {
      type: 'ledger.records_imported',
      aggregateType: 'ledger_import',
      aggregateId: input.run.id,
      regionPath: input.run.regionPath,
      // personIds: who to re-evaluate downstream (services), without reading the audit log
      payload: { source, ...counts, personsCreated: created.length, personIds: [...created.map((p) => p.id), ...changedPersons] },
    },
  });
  return counts;
}

/** Saves a column mapping (header → field) for the importer's region, to reuse for the next file of the same kind. */
export async function saveColumnMapping(ctx: CommandContext, input: { name: string; sourceName: string; columns: Record<string, string>; regionPath: string }): Promise<string> {
  const id = await saveMapping(ctx.trx, { ...input, createdBy: ctx.actor.kind === 'user' ? ctx.actor.userId : null });
  await recordChange(ctx, {
    audit: { action: 'ledger.mapping.save', objectType: 'ledger_mapping', objectId: id, regionPath: input.regionPath, details: { name: input.name, source: input.sourceName, columns: input.columns } },
    event: { type: 'ledger.mapping_saved', aggregateType: 'ledger_mapping', aggregateId: id, regionPath: input.regionPath, payload: { name: input.name, source: input.sourceName } },
  });
  return id;
}

/** One masked value in full, for a reason: the read itself is audited (who, which field, why). */
export async function revealPersonField(ctx: CommandContext, person: PersonSummary, field: RevealableField, reason: string, value: string | null): Promise<string | null> {
  await recordChange(ctx, {
    audit: { action: 'ledger.person.reveal', objectType: 'ledger_person', objectId: person.id, regionPath: person.regionPath, reason, details: { field, present: value !== null } },
  });
  return value;
}
