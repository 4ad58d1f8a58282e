import { basename } from 'node:path';
import { LEDGER_FIELDS, ROW_PROBLEMS, type LedgerField } from '../../../shared/ledger.ts';
import type { Actor } from '../../platform/actor.ts';
import { scopeOf } from '../../platform/access.ts';
import { AppError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { finishImport, ingestBatch, recordImportMapping, startImport } from './commands.ts';
import { findSource, listTags, loadAuthority, loadRegionIndex, type ImportCounts, type ImportError } from './repository.ts';
import { detectMapping, HEADER_SEARCH_ROWS, likelyHeader, prepareRow, type ColumnMapping, type ColumnTarget, type MappingOverrides, type PreparedRow, type RowContext, type RowProblem } from './rows.ts';
import { readSheet, sniffFile, type SheetRow, type Sniffed } from './sheet.ts';

/**
 * An import from start to end: the file is checked (a spreadsheet? a header?) before anything is
 * written, then streamed row by row and written in batches, each batch one transaction through
 * `ingestBatch` (audited, evented, counters moved), so memory stays flat and progress is visible.
 */

/**
 * Rows per transaction: large enough to amortise each batch's fixed work (commit, audit entry,
 * event and its deliveries, a dozen statements), small enough to keep locks short and, on PGlite's
 * single connection, other requests waiting well under a second.
 */
export const IMPORT_BATCH_ROWS = 1000;

export interface ReadyFile {
  path: string;
  fileName: string;
  sniffed: Exclude<Sniffed, { format: null }>;
  mapping: ColumnMapping;
}

const TARGETS: ReadonlySet<string> = new Set<string>([...LEDGER_FIELDS, 'tags', 'record_key', 'note', 'observed_at', 'ignore']);

/** A mapping as a person or a file gives it: header text → field (or `tag.<code>`); refuses unknown targets. */
export function parseMappingOverrides(input: unknown, tagCodes: readonly string[]): MappingOverrides {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new AppError('LEDGER_MAPPING_INVALID', { reason: 'not an object' });
  const overrides: Record<string, ColumnTarget> = {};
  for (const [header, target] of Object.entries(input)) {
    const valid = typeof target === 'string' && (TARGETS.has(target) || (target.startsWith('tag.') && tagCodes.includes(target.slice(4))));
    if (!valid) throw new AppError('LEDGER_MAPPING_INVALID', { reason: `unknown target for "${header}"`, header });
    overrides[header.replace(/\s/g, '')] = target as ColumnTarget;
  }
  return overrides;
}

async function firstRows(path: string, sniffed: ReadyFile['sniffed'], count: number): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  const reader = readSheet(path, sniffed);
  try {
    for await (const row of reader) {
      rows.push(row);
      if (rows.length >= count) break;
    }
  } catch {
    throw new AppError('LEDGER_IMPORT_UNREADABLE');
  } finally {
    await reader.return(undefined);
  }
  return rows;
}

/** Checks that the file is a spreadsheet with a recognisable header (415 / 422 otherwise). */
export async function inspectFile(platform: Platform, path: string, fileName: string, overrides: MappingOverrides): Promise<ReadyFile> {
  const sniffed = await sniffFile(path);
  if (sniffed.format === null) {
    if (sniffed.reason === 'empty') throw new AppError('LEDGER_IMPORT_EMPTY');
    throw new AppError('LEDGER_IMPORT_NOT_SPREADSHEET', { reason: sniffed.reason });
  }
  const rows = await firstRows(path, sniffed, HEADER_SEARCH_ROWS);
  const mapping = detectMapping(rows, await listTags(platform.db), overrides);
  // the row a person would map by hand, with its cells as headers (a `mapping` names them so)
  if (!mapping) throw new AppError('LEDGER_IMPORT_NO_HEADER', likelyHeader(rows) ?? undefined);
  return { path, fileName, sniffed, mapping };
}

export async function resolveSource(platform: Platform, nameOrCode: string): Promise<string> {
  const source = await findSource(platform.db, nameOrCode.trim());
  if (!source) throw new AppError('LEDGER_SOURCE_UNKNOWN', { source: nameOrCode });
  return source.name;
}

async function rowContext(platform: Platform, actor: Actor, mapping: ColumnMapping): Promise<RowContext> {
  const regions = await loadRegionIndex(platform.db, scopeOf(actor));
  const own = actor.kind === 'user' ? regions.committees.find((c) => c.code === actor.assignment.regionCode) : undefined;
  return { mapping, regions, tags: await listTags(platform.db), defaultCommittee: own ?? null, today: new Date() };
}

function errorsOf(rowNumber: number, problems: readonly RowProblem[]): ImportError[] {
  return problems.map((p) => ({ rowNumber, field: p.field, reason: p.code, value: p.value }));
}

export interface PreviewRow {
  rowNumber: number;
  status: 'ready' | 'rejected' | 'empty';
  values: Partial<Record<LedgerField, string>>;
  tags: string[];
  committee: string | null;
  problems: RowProblem[];
}

/** The mapping and the first data rows as they would be imported, with their problems. Writes nothing. */
export async function previewImport(platform: Platform, actor: Actor, file: ReadyFile, source: string, limit: number): Promise<PreviewRow[]> {
  const context = await rowContext(platform, actor, file.mapping);
  const rows = await firstRows(file.path, file.sniffed, file.mapping.headerRow + limit);
  return rows
    .filter((r) => r.number > file.mapping.headerRow)
    .map((r) => {
      const outcome = prepareRow(source, r.number, r.cells, context);
      if (outcome.kind === 'empty') return { rowNumber: r.number, status: 'empty', values: {}, tags: [], committee: null, problems: [] };
      if (outcome.kind === 'rejected') return { rowNumber: r.number, status: 'rejected', values: {}, tags: [], committee: null, problems: outcome.problems };
      const row = outcome.row;
      return {
        rowNumber: r.number,
        status: 'ready',
        values: row.values,
        tags: Object.entries(row.tags).filter(([, has]) => has).map(([code]) => code),
        committee: row.committee.name,
        problems: row.problems,
      };
    });
}

/** Creates the import's record (status running) in the caller's scope; the rows follow with `runImport`. */
export async function beginImport(platform: Platform, actor: Actor, file: ReadyFile, source: string, requestId?: string): Promise<string> {
  const regionPath = actor.kind === 'user' ? actor.assignment.regionPath : platform.config.rootRegionCode;
  return platform.transaction(
    actor,
    async (ctx) => {
      const id = await startImport(ctx, { sourceName: source, fileName: file.fileName, format: file.sniffed.format, regionPath });
      await recordImportMapping(ctx, { id, regionPath }, file.mapping);
      return id;
    },
    requestId ? { requestId } : {},
  );
}

/**
 * Streams the file's data rows into the ledger in batches. Never throws: a failure marks the
 * import `failed` with its message (batches already written stay; re-running the same file then
 * skips them as unchanged).
 */
export interface ImportOutcome {
  status: 'done' | 'failed';
  message: string | null;
  counts: ImportCounts;
}

export async function runImport(platform: Platform, actor: Actor, importId: string, file: ReadyFile, source: string): Promise<ImportOutcome> {
  const total: ImportCounts = { rows: 0, imported: 0, unchanged: 0, rejected: 0, conflicts: 0 };
  const run = { id: importId, regionPath: actor.kind === 'user' ? actor.assignment.regionPath : platform.config.rootRegionCode, sourceName: source };
  // One batch is written while the next is read and checked (on PostgreSQL the two run in
  // parallel); batches still commit one after the other in file order, and at most one waits.
  let writing: Promise<void> = Promise.resolve();
  try {
    const context = await rowContext(platform, actor, file.mapping);
    const authority = await loadAuthority(platform.db);
    const receivedAt = new Date();
    let rows: PreparedRow[] = [];
    let errors: ImportError[] = [];
    let rejected = 0;
    const flush = async () => {
      if (rows.length === 0 && rejected === 0 && errors.length === 0) return;
      const batch = { run, rows, errors, rejected, authority, receivedAt };
      rows = [];
      errors = [];
      rejected = 0;
      await writing;
      writing = platform.transaction(actor, (ctx) => ingestBatch(ctx, batch)).then((counts) => {
        for (const key of Object.keys(total) as Array<keyof ImportCounts>) total[key] += counts[key];
      });
      // a failure surfaces at the next flush or at the end, never as an unhandled rejection meanwhile
      writing.catch(() => undefined);
    };
    for await (const sheetRow of readSheet(file.path, file.sniffed)) {
      if (sheetRow.number <= file.mapping.headerRow) continue;
      const outcome = prepareRow(source, sheetRow.number, sheetRow.cells, context);
      if (outcome.kind === 'empty') continue;
      if (outcome.kind === 'rejected') {
        rejected += 1;
        errors.push(...errorsOf(sheetRow.number, outcome.problems));
      } else {
        rows.push(outcome.row);
        errors.push(...errorsOf(sheetRow.number, outcome.row.problems));
      }
      if (rows.length + rejected >= IMPORT_BATCH_ROWS) await flush();
    }
    await flush();
    await writing;
    await platform.transaction(actor, (ctx) => finishImport(ctx, run, { status: 'done', message: null }));
    return { status: 'done', message: null, counts: total };
  } catch (error) {
    platform.log.error({ err: error, importId }, 'ledger import failed');
    const message = error instanceof AppError ? error.code : 'LEDGER_IMPORT_UNREADABLE';
    await writing.catch(() => undefined);
    await platform.transaction(actor, (ctx) => finishImport(ctx, run, { status: 'failed', message })).catch((e: unknown) => platform.log.error({ err: e, importId }, 'could not mark the import failed'));
    return { status: 'failed', message, counts: total };
  }
}

/** The whole import of a file on disk, waiting for the end: what `gongzhi ledger import` runs. */
export async function importFile(platform: Platform, actor: Actor, input: { path: string; source: string; mapping?: unknown }): Promise<ImportOutcome & { id: string }> {
  const source = await resolveSource(platform, input.source);
  const overrides = input.mapping === undefined ? {} : parseMappingOverrides(input.mapping, (await listTags(platform.db)).map((t) => t.code));
  const file = await inspectFile(platform, input.path, basename(input.path), overrides);
  const id = await beginImport(platform, actor, file, source);
  return { id, ...(await runImport(platform, actor, id, file, source)) };
}

/** How a problem code reads for people, with the effect it had. */
export function problemText(code: string, locale: 'zh-CN' | 'en'): string {
  const entry = (ROW_PROBLEMS as Record<string, (typeof ROW_PROBLEMS)[keyof typeof ROW_PROBLEMS] | undefined>)[code];
  return entry ? entry[locale] : code;
}

