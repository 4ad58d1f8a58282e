import { AppError } from '../../../platform/errors.ts';
import { recordChange, type CommandContext } from '../../../platform/platform.ts';
import { nameInitials } from '../commands.ts';
import { decideField } from '../policy.ts';
import { personReferenceMovers } from '../person-references.ts';
import { loadAuthority } from '../repository.ts';
import { addressParts, compare, decide, type AddressParts } from './compare.ts';
import {
  blockedPairs,
  decideCandidates,
  deletePersons,
  finishRun,
  insertCandidates,
  insertMerges,
  insertRun,
  lastRunStart,
  laterMergeExists,
  linkPersons,
  lockLinkage,
  moveToSurvivors,
  openConflicts,
  personUpdatedAt,
  rememberApart,
  replaceFields,
  restoreMerge,
  snapshotPairs,
  staleCandidatesOf,
  updatePersonColumns,
  type Candidate,
  type FieldRow,
  type LinkPerson,
  type Merge,
  type MergeSnapshot,
  type NewCandidate,
} from './repository.ts';

/** Pairs scored per round trip: bounds the persons held in memory whatever the ledger's size. */
const PAIRS_PER_CHUNK = 20_000;

/** The deepest region both paths lie in (ltree's lca): the candidate belongs there. */
function commonPath(a: string, b: string): string {
  const pa = a.split('.');
  const pb = b.split('.');
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i += 1;
  return pa.slice(0, Math.max(1, i)).join('.');
}

/**
 * Which of two persons stays: the one with an ID number, then the one the register (the source
 * authoritative for names) knows, then the older one. The other is absorbed into it.
 */
function survivorFirst(a: LinkPerson, b: LinkPerson): [LinkPerson, LinkPerson] {
  const rank = (p: LinkPerson) => [p.idNumber ? 0 : 1, p.authoritative ? 0 : 1, p.createdAt.getTime()] as const;
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i += 1) {
    if (ra[i]! !== rb[i]!) return ra[i]! < rb[i]! ? [a, b] : [b, a];
  }
  return a.id < b.id ? [a, b] : [b, a];
}

export interface PlannedMerge {
  survivor: string;
  absorbed: string;
  candidateId: string | null;
  score: number | null;
  automatic: boolean;
  regionPath: string;
}

/**
 * Merges in order, each survivor and absorbed person in at most one merge per round, so that each
 * merge's snapshot is exactly the state just before it and the rounds run as set-based statements.
 */
export function rounds(merges: readonly PlannedMerge[]): PlannedMerge[][] {
  const last = new Map<string, number>();
  const out: PlannedMerge[][] = [];
  for (const m of merges) {
    const r = Math.max(last.get(m.survivor) ?? -1, last.get(m.absorbed) ?? -1) + 1;
    (out[r] ??= []).push(m);
    last.set(m.survivor, r);
    last.set(m.absorbed, r);
  }
  // a round's merges touch disjoint persons, so it may be applied in slices: memory stays bounded
  // (a first run over a million records plans ~150,000 merges in its first round, whose snapshots
  // held at once exhausted a 4 GB heap)
  return out.flatMap((round) => Array.from({ length: Math.ceil(round.length / MERGES_PER_STATEMENT) }, (_, i) => round.slice(i * MERGES_PER_STATEMENT, (i + 1) * MERGES_PER_STATEMENT)));
}

/** Merges applied by one set of statements (snapshots, moves, deletes, the merge rows). */
export const MERGES_PER_STATEMENT = 2_000;

type ColumnField = 'name' | 'id_number' | 'sex' | 'birth_date' | 'phone';

/**
 * Applies merges: the absorbed person's source records, history and conflicts move to the survivor;
 * its values are offered to the survivor's fields under 一数一源 (`decideField`), and a value the
 * authority does not take opens a conflict; the absorbed person is removed. Everything needed to
 * undo each merge is kept with it. Answers the merges' ids, in order.
 */
export async function applyMerges(ctx: CommandContext, planned: readonly PlannedMerge[]): Promise<string[]> {
  const { trx } = ctx;
  const authority = await loadAuthority(trx);
  const by = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  const at = new Date();
  const ids: string[] = [];
  for (const round of rounds(planned)) {
    const snapshots = await snapshotPairs(trx, round);
    const newFields: FieldRow[] = [];
    const conflicts: Parameters<typeof openConflicts>[1][number][] = [];
    const columns: Parameters<typeof updatePersonColumns>[1][number][] = [];
    for (const m of round) {
      const s = snapshots.get(m.absorbed)!;
      const fields = new Map(s.survivorFields.map((f) => [f.field, { ...f, person_id: m.survivor }]));
      for (const incoming of s.absorbedFields) {
        const previous = fields.get(incoming.field);
        const source = incoming.source_name;
        const fieldAuthority = authority.get(incoming.field);
        const outcome = decideField(incoming.field, previous && { value: previous.value, source: previous.source_name }, { value: incoming.value, source }, fieldAuthority);
        const takeOver = { ...incoming, person_id: m.survivor };
        if (outcome === 'set') fields.set(incoming.field, takeOver);
        else if (outcome === 'confirmed') {
          // the authority confirming a value becomes its source, as on import
          if (source === fieldAuthority && previous!.source_name !== source) fields.set(incoming.field, takeOver);
        } else if (outcome === 'replaced') {
          // two records of the same non-authoritative source: the later observation stands
          if (previous!.source_name !== source || incoming.observed_at > previous!.observed_at) fields.set(incoming.field, takeOver);
        } else {
          conflicts.push({ personId: m.survivor, regionPath: String(s.survivor.region_path), field: incoming.field, currentValue: previous!.value, currentSource: previous!.source_name, proposedValue: incoming.value, proposedSource: source, historyId: incoming.history_id });
        }
      }
      newFields.push(...fields.values());
      const value = (field: ColumnField) => fields.get(field)?.value ?? null;
      const name = value('name') ?? String(s.survivor.name);
      columns.push({
        id: m.survivor,
        name,
        nameInitials: nameInitials(name),
        idNumber: value('id_number'),
        sex: value('sex'),
        birthDate: value('birth_date'),
        phone: value('phone'),
        dwellingId: (s.survivor.dwelling_id as string | null) ?? (s.absorbed.dwelling_id as string | null),
        householdId: (s.survivor.household_id as string | null) ?? (s.absorbed.household_id as string | null),
      });
    }
    await moveToSurvivors(trx, round);
    for (const mover of personReferenceMovers()) await mover.move(trx, round);
    const absorbed = round.map((m) => m.absorbed);
    await deletePersons(trx, absorbed);
    await replaceFields(trx, round.map((m) => m.survivor), newFields);
    await updatePersonColumns(trx, columns, at);
    const opened = await openConflicts(trx, conflicts);
    await staleCandidatesOf(trx, absorbed);
    const mergeIds = await insertMerges(
      trx,
      round.map((m) => {
        const snapshot: MergeSnapshot = { ...snapshots.get(m.absorbed)!, openedConflictIds: opened.filter((c) => c.personId === m.survivor).map((c) => c.id) };
        return { candidateId: m.candidateId, survivor: m.survivor, absorbed: m.absorbed, regionPath: m.regionPath, score: m.score, automatic: m.automatic, snapshot, by, at };
      }),
    );
    ids.push(...mergeIds);
    await recordChange(ctx, {
      audit: {
        action: 'ledger.persons.merge',
        objectType: 'ledger_merge',
        objectId: mergeIds[0]!,
        regionPath: round.length === 1 ? round[0]!.regionPath : round.map((m) => m.regionPath).reduce(commonPath),
        details: { merges: round.map((m, i) => ({ id: mergeIds[i], survivor: m.survivor, absorbed: m.absorbed, score: m.score, automatic: m.automatic })) },
      },
      event: {
        type: 'ledger.persons_merged',
        aggregateType: 'ledger_merge',
        aggregateId: mergeIds[0]!,
        regionPath: round.length === 1 ? round[0]!.regionPath : null,
        payload: { merges: round.map((m, i) => ({ id: mergeIds[i], survivor: m.survivor, absorbed: m.absorbed })), personIds: round.map((m) => m.survivor) },
      },
    });
  }
  return ids;
}

export interface LinkageOutcome {
  runId: string;
  pairs: number;
  autoMerged: number;
  queued: number;
}

/**
 * One linkage run over the persons changed since the last one (all of them the first time):
 * blocking finds candidate pairs, each pair is scored (compare.ts), pairs above the upper threshold
 * are merged, pairs between the thresholds are queued for review. Serialised by an advisory lock,
 * so an import's run and a manual run never interleave.
 */
export async function runLinkage(ctx: CommandContext, trigger: string): Promise<LinkageOutcome> {
  const { trx } = ctx;
  await lockLinkage(trx);
  const since = await lastRunStart(trx);
  const runId = await insertRun(trx, trigger, since);
  const pairs = await blockedPairs(trx, since);

  const candidates: NewCandidate[] = [];
  const byId = new Map<string, Pick<LinkPerson, 'id' | 'idNumber' | 'authoritative' | 'createdAt' | 'regionPath'>>();
  for (let i = 0; i < pairs.length; i += PAIRS_PER_CHUNK) {
    const chunk = pairs.slice(i, i + PAIRS_PER_CHUNK);
    const persons = await linkPersons(trx, [...new Set(chunk.flatMap((p) => [p.a, p.b]))]);
    const parsed = new Map<string, AddressParts | null>();
    const parts = (address: string) => {
      if (!parsed.has(address)) parsed.set(address, addressParts(address));
      return parsed.get(address)!;
    };
    for (const { a, b } of chunk) {
      const pa = persons.get(a);
      const pb = persons.get(b);
      if (!pa || !pb) continue;
      const { score, evidence } = compare(pa, pb, parts);
      const decision = decide(pa, pb, score, evidence);
      if (decision === 'none') continue;
      for (const p of [pa, pb]) byId.set(p.id, { id: p.id, idNumber: p.idNumber, authoritative: p.authoritative, createdAt: p.createdAt, regionPath: p.regionPath });
      candidates.push({ a, b, regionPath: commonPath(pa.regionPath, pb.regionPath), score, evidence, status: decision === 'merge' ? 'merged' : 'pending', automatic: decision === 'merge' });
    }
  }

  // merges best first; a person already absorbed in this run stands for its survivor (union–find)
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.has(root)) root = parent.get(root)!;
    return root;
  };
  const idHolder = new Map<string, string | null>([...byId.values()].map((p) => [p.id, p.idNumber]));
  const planned: Array<PlannedMerge & { key: string }> = [];
  const toMerge = candidates.filter((c) => c.status === 'merged').sort((x, y) => y.score - x.score);
  for (const c of toMerge) {
    const ra = find(c.a);
    const rb = find(c.b);
    const ia = idHolder.get(ra) ?? null;
    const ib = idHolder.get(rb) ?? null;
    if (ra === rb || (ia && ib && ia !== ib)) {
      c.status = 'pending';
      c.automatic = false;
      continue;
    }
    const [survivor, absorbed] = survivorFirst(byId.get(ra) as LinkPerson, byId.get(rb) as LinkPerson);
    parent.set(absorbed.id, survivor.id);
    idHolder.set(survivor.id, ia ?? ib);
    planned.push({ key: `${c.a} ${c.b}`, survivor: survivor.id, absorbed: absorbed.id, candidateId: null, score: c.score, automatic: true, regionPath: c.regionPath });
  }
  // a queued pair that names a person merged away names its survivor instead
  const queued = new Map<string, NewCandidate>();
  for (const c of candidates) {
    if (c.status !== 'pending') continue;
    const [a, b] = [find(c.a), find(c.b)].sort() as [string, string];
    if (a === b || queued.has(`${a} ${b}`)) continue;
    queued.set(`${a} ${b}`, { ...c, a, b });
  }
  const merged = candidates.filter((c) => c.status === 'merged');
  const candidateIds = await insertCandidates(trx, [...merged, ...queued.values()]);
  await applyMerges(ctx, planned.map((p) => ({ ...p, candidateId: candidateIds.get(p.key) ?? null })));

  const outcome = { runId, pairs: pairs.length, autoMerged: planned.length, queued: queued.size };
  await finishRun(trx, runId, { status: 'done', ...outcome, message: null });
  await recordChange(ctx, {
    audit: { action: 'ledger.linkage.run', objectType: 'ledger_linkage_run', objectId: runId, regionPath: null, details: { trigger, since: since?.toISOString() ?? null, ...outcome } },
    event: { type: 'ledger.linkage_finished', aggregateType: 'ledger_linkage_run', aggregateId: runId, regionPath: null, payload: { trigger, ...outcome } },
  });
  return outcome;
}

/** A reviewer's yes: the pair is one person. The survivor is chosen as linkage would. */
export async function acceptCandidate(ctx: CommandContext, candidate: Candidate): Promise<string> {
  if (candidate.status !== 'pending') throw new AppError('LEDGER_MATCH_DECIDED', { status: candidate.status });
  const persons = await linkPersons(ctx.trx, [candidate.personA, candidate.personB]);
  const a = persons.get(candidate.personA);
  const b = persons.get(candidate.personB);
  if (!a || !b) throw new AppError('NOT_FOUND');
  if (a.idNumber && b.idNumber) throw new AppError('LEDGER_MATCH_TWO_ID_NUMBERS');
  const [survivor, absorbed] = survivorFirst(a, b);
  await decideCandidates(ctx.trx, [candidate.id], 'merged', ctx.actor.kind === 'user' ? ctx.actor.userId : null);
  const [mergeId] = await applyMerges(ctx, [{ survivor: survivor.id, absorbed: absorbed.id, candidateId: candidate.id, score: candidate.score, automatic: false, regionPath: candidate.regionPath }]);
  return mergeId!;
}

/** A reviewer's no: two people; remembered, so linkage never proposes the pair again. */
export async function rejectCandidate(ctx: CommandContext, candidate: Candidate): Promise<void> {
  if (candidate.status !== 'pending') throw new AppError('LEDGER_MATCH_DECIDED', { status: candidate.status });
  await decideCandidates(ctx.trx, [candidate.id], 'rejected', ctx.actor.kind === 'user' ? ctx.actor.userId : null);
  await recordChange(ctx, {
    audit: { action: 'ledger.match.reject', objectType: 'ledger_match_candidate', objectId: candidate.id, regionPath: candidate.regionPath, details: { personA: candidate.personA, personB: candidate.personB, score: candidate.score } },
    event: { type: 'ledger.match_rejected', aggregateType: 'ledger_match_candidate', aggregateId: candidate.id, regionPath: candidate.regionPath, payload: { score: candidate.score } },
  });
}

/**
 * Undoes a merge exactly: the absorbed person comes back with its id, fields, source records,
 * history and conflicts; the survivor's row and fields are as they were; conflicts the merge opened
 * are gone. Only the latest standing merge into a survivor, and only while nothing else has changed
 * the survivor since (a later import's values would otherwise be lost). The pair is then remembered
 * as two people.
 */
export async function undoMerge(ctx: CommandContext, merge: Merge): Promise<void> {
  if (merge.undoneAt) throw new AppError('LEDGER_MERGE_UNDONE');
  const updatedAt = await personUpdatedAt(ctx.trx, merge.survivorId);
  if (updatedAt === null || (await laterMergeExists(ctx.trx, merge)) || updatedAt.getTime() > merge.mergedAt.getTime()) throw new AppError('LEDGER_MERGE_SUPERSEDED');
  const by = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  await restoreMerge(ctx.trx, merge, by);
  await rememberApart(ctx.trx, merge.survivorId, merge.absorbedId, merge.regionPath, by);
  await recordChange(ctx, {
    audit: { action: 'ledger.persons.unmerge', objectType: 'ledger_merge', objectId: merge.id, regionPath: merge.regionPath, details: { survivor: merge.survivorId, absorbed: merge.absorbedId } },
    event: { type: 'ledger.persons_unmerged', aggregateType: 'ledger_merge', aggregateId: merge.id, regionPath: merge.regionPath, payload: { survivor: merge.survivorId, absorbed: merge.absorbedId, personIds: [merge.survivorId, merge.absorbedId] } },
  });
}
