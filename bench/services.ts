/**
 * Proactive services (递菜单): every eligibility rule of the catalogue over N synthetic residents,
 * per engine, as a ratio of one SQL scan of the same table, then the incremental re-evaluation
 * after one resident changes.
 *
 * 1. Bulk-load N persons with `generate_series` (spread over Pudong's 1,526 committees, birth dates
 *    over 100 years, 0.6·N dwellings so a third of them hold one person — 独居 — and 低保 / 残疾
 *    tags on 10 % / 5 % with their history rows). Synthetic, reproducible, nobody real.
 * 2. Baseline: one scan, `count(*)` of the persons born before a date (a sequential scan).
 * 3. Evaluate: for every service, `count(*)` of the persons its compiled condition selects
 *    (region, validity, rule, not already receiving it) — the matching query without writing.
 * 4. Materialise: the real re-evaluation (`evaluateService`: upsert matches, mark dropped ones).
 * 5. Incremental: one person's tag changes; every service re-evaluated for that person only.
 *
 *   npm run bench -- services
 *   BENCH_SERVICES_PERSONS=5700000 BENCH_SERVICES_PERSONS_PGLITE=200000 npm run bench -- services
 */
import { sql } from 'kysely';
import { systemActor } from '../src/server/platform/actor.ts';
import { UNRESTRICTED } from '../src/server/platform/access.ts';
import type { Platform } from '../src/server/platform/platform.ts';
import { reevaluatePersons, shanghaiDay } from '../src/server/modules/services/commands.ts';
import { eligibilityCondition, evaluateService, listServices, regionLookup } from '../src/server/modules/services/repository.ts';
import { postgresServerUrl, withPostgresDatabase, withServer, type EngineLabel } from './support.ts';

const postgresPersons = Number(process.env.BENCH_SERVICES_PERSONS ?? 5_700_000);
const pglitePersons = Number(process.env.BENCH_SERVICES_PERSONS_PGLITE ?? 100_000);
const CHUNK = 500_000;

interface Report {
  label: EngineLabel;
  persons: number;
  loadMs: number;
  scanMs: number;
  evaluateMs: number;
  services: number;
  eligible: number;
  materialiseMs: number | null;
  incrementalMs: number;
}

const now = () => performance.now();

async function bulkLoad(platform: Platform, persons: number): Promise<void> {
  const db = platform.db;
  await sql`create temporary table bench_committees as select row_number() over (order by code) - 1 as k, code, path from regions where level = 'committee'`.execute(db);
  const committees = Number((await sql<{ n: string }>`select count(*) as n from bench_committees`.execute(db)).rows[0]!.n);
  const dwellings = Math.ceil(persons * 0.6);
  for (let from = 0; from < dwellings; from += CHUNK) {
    const to = Math.min(dwellings, from + CHUNK) - 1;
    await sql`
      insert into ledger_dwellings (region_code, region_path, dwelling_key, place, address)
      select c.code, c.path, 'bench|' || j, '合成小区', '合成小区' || j || '号' from generate_series(${from}::int, ${to}::int) j join bench_committees c on c.k = j % ${committees}`.execute(db);
  }
  await sql`create temporary table bench_dwellings as select (substr(dwelling_key, 7))::int as j, id from ledger_dwellings where dwelling_key like 'bench|%'`.execute(db);
  await sql`create index on bench_dwellings (j)`.execute(db);
  for (let from = 0; from < persons; from += CHUNK) {
    const to = Math.min(persons, from + CHUNK) - 1;
    await sql`
      insert into ledger_persons (region_code, region_path, name, sex, birth_date, dwelling_id)
      select c.code, c.path, '合成' || i, case when i % 2 = 0 then 'female' else 'male' end, date '1926-01-01' + ((i::bigint * 7919) % 36525)::int, d.id
      from generate_series(${from}::int, ${to}::int) i
      join bench_dwellings d on d.j = i % ${dwellings}
      join bench_committees c on c.k = (i % ${dwellings}) % ${committees}`.execute(db);
  }
  for (const [tag, source, modulo] of [['dibao', '民政', 10], ['disability', '残联', 20]] as const) {
    await sql`
      insert into ledger_field_history (person_id, field, value, source_name, observed_at, outcome)
      select id, ${`tag.${tag}`}, 'yes', ${source}, now() - make_interval(days => abs(hashtext(id::text)) % 700), 'set'
      from ledger_persons where abs(hashtext(id::text || ${tag})) % ${modulo} = 0`.execute(db);
    await sql`insert into ledger_person_fields (person_id, field, value, source_name, observed_at, history_id)
      select person_id, field, value, source_name, observed_at, id from ledger_field_history where field = ${`tag.${tag}`}`.execute(db);
  }
  await sql`analyze`.execute(db);
}

async function benchOne(label: EngineLabel, databaseUrl: string | undefined, persons: number, materialise: boolean): Promise<Report> {
  return withServer(databaseUrl, async (server) => {
    const platform = server.platform;
    const db = platform.db;
    let t = now();
    await bulkLoad(platform, persons);
    const loadMs = now() - t;
    const day = shanghaiDay();
    t = now();
    await sql`select count(*) from ledger_persons p where p.birth_date <= ${day}::date - interval '65 years'`.execute(db);
    const scanMs = now() - t;

    const services = await listServices(db, UNRESTRICTED);
    let eligible = 0;
    t = now();
    for (const s of services) {
      const regions = await regionLookup(db, [s.rule]);
      const r = await sql<{ n: string }>`select count(*) as n from ledger_persons p where ${eligibilityCondition(s, day, regions)}`.execute(db);
      eligible += Number(r.rows[0]!.n);
    }
    const evaluateMs = now() - t;

    let materialiseMs: number | null = null;
    if (materialise) {
      t = now();
      for (const s of services) {
        const regions = await regionLookup(db, [s.rule]);
        await platform.transaction(systemActor('bench'), (ctx) => evaluateService(ctx.trx, s, day, regions, { kind: 'all' }));
      }
      materialiseMs = now() - t;
    }

    const one = (await sql<{ id: string }>`select id from ledger_persons where birth_date < date '1950-01-01' limit 1`.execute(db)).rows[0]!.id;
    t = now();
    await platform.transaction(systemActor('bench'), async (ctx) => {
      const h = await sql<{ id: string }>`insert into ledger_field_history (person_id, field, value, source_name, observed_at, outcome) values (${one}::uuid, 'tag.low_income', 'yes', '民政', now(), 'set') returning id`.execute(ctx.trx);
      await sql`insert into ledger_person_fields (person_id, field, value, source_name, observed_at, history_id) values (${one}::uuid, 'tag.low_income', 'yes', '民政', now(), ${h.rows[0]!.id})`.execute(ctx.trx);
      await reevaluatePersons(ctx, { kind: 'persons', ids: [one] }, day);
    });
    const incrementalMs = now() - t;
    return { label, persons, loadMs, scanMs, evaluateMs, services: services.length, eligible, materialiseMs, incrementalMs };
  });
}

export async function runServicesBench(): Promise<Report[]> {
  const reports = [await benchOne('pglite', undefined, pglitePersons, true)];
  // each engine's line as soon as it is measured: the PostgreSQL load of millions takes long
  console.log(servicesTable(reports));
  const serverUrl = postgresServerUrl();
  if (serverUrl) reports.push(await withPostgresDatabase(serverUrl, 'services', (url) => benchOne('postgres', url, postgresPersons, process.env.BENCH_SERVICES_MATERIALISE !== '0')));
  return reports;
}

export function servicesTable(reports: Report[]): string {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const lines = ['engine    persons     load s   1 scan s   all rules s (n)   ratio   eligible    materialise s   one person ms'];
  for (const r of reports) {
    lines.push(
      `${r.label.padEnd(9)} ${String(r.persons).padStart(9)}  ${s(r.loadMs).padStart(7)}  ${s(r.scanMs).padStart(8)}   ${`${s(r.evaluateMs)} (${r.services})`.padStart(15)}  ${(r.evaluateMs / r.scanMs).toFixed(1).padStart(6)}  ${String(r.eligible).padStart(9)}   ${(r.materialiseMs === null ? '—' : s(r.materialiseMs)).padStart(13)}   ${r.incrementalMs.toFixed(0).padStart(13)}`,
    );
  }
  return lines.join('\n');
}
