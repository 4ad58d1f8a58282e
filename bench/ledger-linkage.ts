import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { systemActor } from '../src/server/platform/actor.ts';
import { importFile } from '../src/server/modules/ledger/importer.ts';
import { runLinkage } from '../src/server/modules/ledger/linkage/commands.ts';
import { pairwiseQuality, sourceRows, SYNTHETIC_SOURCES, truthOfRecordKey, writeSourceCsv } from '../src/server/modules/ledger/synthetic.ts';
import { postgresServerUrl, withPostgresDatabase, withServer, type EngineLabel } from './support.ts';

/**
 * Record linkage at scale: the synthetic Pudong population's four departments (公安实有人口,
 * 民政, 卫健, 残联) written as CSV, imported through the real importer, then one linkage run over
 * everything (the event bus stopped, so the run is measured alone), and pairwise precision and
 * recall of the result against the generator's known truth.
 *
 * BENCH_LINKAGE_RECORDS (default 1,000,000) sets the size on PostgreSQL; PGlite runs
 * BENCH_LINKAGE_PGLITE_RECORDS (default 100,000: one connection, in-process).
 */

const RECORDS = Number(process.env.BENCH_LINKAGE_RECORDS ?? 1_000_000);
const PGLITE_RECORDS = Number(process.env.BENCH_LINKAGE_PGLITE_RECORDS ?? 100_000);
/** Records per household in the generated sources (≈ 2.6 persons × 1.36 rows), to size the population. */
const RECORDS_PER_HOUSEHOLD = 3.5;

export interface LinkageBenchRow {
  label: EngineLabel;
  records: number;
  persons: { before: number; after: number };
  importSeconds: number;
  linkageSeconds: number;
  pairs: number;
  autoMerged: number;
  queued: number;
  precision: number;
  recall: number;
  heapMb: number;
}

async function benchOne(label: EngineLabel, databaseUrl: string | undefined, target: number): Promise<LinkageBenchRow> {
  const dir = mkdtempSync(join(tmpdir(), 'gongzhi-linkage-'));
  try {
    const options = { seed: 5_700_000, households: Math.ceil(target / RECORDS_PER_HOUSEHOLD) };
    for (const source of SYNTHETIC_SOURCES) await writeSourceCsv(join(dir, `${source}.csv`), source, sourceRows(options));
    return await withServer(databaseUrl, async (server) => {
      const { platform } = server;
      await platform.events.stop();
      const actor = systemActor('bench.ledger-linkage');
      const importStart = performance.now();
      for (const source of SYNTHETIC_SOURCES) {
        const outcome = await importFile(platform, actor, { path: join(dir, `${source}.csv`), source });
        if (outcome.status !== 'done') throw new Error(`import of ${source} failed: ${outcome.message}`);
      }
      const importSeconds = (performance.now() - importStart) / 1000;
      const count = async () => Number((await sql<{ n: string }>`select count(*) as n from ledger_persons`.execute(platform.db)).rows[0]!.n);
      const before = await count();

      const linkStart = performance.now();
      const outcome = await platform.transaction(actor, (ctx) => runLinkage(ctx, 'bench'));
      const linkageSeconds = (performance.now() - linkStart) / 1000;
      const heapMb = process.memoryUsage().heapUsed / 2 ** 20;

      // every stored record with its person, a page at a time
      const linked: Array<{ truth: number; personId: string }> = [];
      let after = '0';
      for (;;) {
        const { rows } = await sql<{ id: string; record_key: string; person_id: string }>`
          select s.id::text as id, s.record_key, s.person_id from ledger_source_records s where s.id > ${after}::bigint order by s.id limit 50000`.execute(platform.db);
        if (rows.length === 0) break;
        for (const r of rows) {
          const truth = truthOfRecordKey(r.record_key);
          if (truth !== null) linked.push({ truth, personId: r.person_id });
        }
        after = rows[rows.length - 1]!.id;
      }
      const quality = pairwiseQuality(linked);
      return {
        label,
        records: linked.length,
        persons: { before, after: await count() },
        importSeconds,
        linkageSeconds,
        pairs: outcome.pairs,
        autoMerged: outcome.autoMerged,
        queued: outcome.queued,
        precision: quality.precision,
        recall: quality.recall,
        heapMb,
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runLinkageBench(): Promise<LinkageBenchRow[]> {
  const rows = [await benchOne('pglite', undefined, PGLITE_RECORDS)];
  const postgresUrl = postgresServerUrl();
  if (postgresUrl) rows.push(await withPostgresDatabase(postgresUrl, 'linkage', (url) => benchOne('postgres', url, RECORDS)));
  return rows;
}

export function linkageTable(rows: readonly LinkageBenchRow[]): string {
  const lines = [
    'record linkage (synthetic Pudong, four departments, known truth; one run over everything imported)',
    'engine    records    persons before → after   import s  linkage s   pairs    merged   queued  precision  recall  heap MB',
  ];
  for (const r of rows) {
    lines.push(
      `${r.label.padEnd(9)} ${String(r.records).padStart(8)}  ${String(r.persons.before).padStart(9)} → ${String(r.persons.after).padEnd(9)}  ${r.importSeconds.toFixed(0).padStart(8)}  ${r.linkageSeconds.toFixed(1).padStart(9)}  ${String(r.pairs).padStart(7)}  ${String(r.autoMerged).padStart(7)}  ${String(r.queued).padStart(7)}  ${r.precision.toFixed(4).padStart(9)}  ${r.recall.toFixed(4).padStart(6)}  ${r.heapMb.toFixed(0).padStart(7)}`,
    );
  }
  return lines.join('\n');
}
