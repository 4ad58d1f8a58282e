import { existsSync } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../config.ts';
import { systemActor } from '../../platform/actor.ts';
import type { Platform } from '../../platform/platform.ts';
import { importFile } from './importer.ts';
import { countPersonsUnder } from './repository.ts';
import { PUDONG_COMMITTEES, rowsOf, sourceRows, syntheticIdNumber, writeSourceCsv, writeSourceXlsx, type PopulationOptions, type SourceRow, type SyntheticSource, type TruePerson } from './synthetic.ts';

/**
 * The demo ledger: two committees of 陆家嘴 (梅园一村, 汇豪天下) as four departments would send
 * them — the police register (实有人口, which reaches committees through data sharing), and three
 * departments' spreadsheets: a civil-affairs list, a health list, a disability federation list —
 * generated (synthetic.ts, nobody real) into `<dataDir>/demo/ledger/`. The register is imported at
 * the first demo start, so the ledger, the service menu and the reports have people; the three
 * spreadsheets are left for a committee worker to import in the wizard (居民台账 → 导入 → 演示文件),
 * which is where their mess shows: conflicts for review, probable duplicates, rows refused with reasons.
 *
 * One more person is the demo's story (issue #6): 王秀英 of 梅园一村, living alone, who turns 80 on
 * the day the files are written (the first demo start). The demo account `resident` is hers (the
 * services demo links it by her register record), so her app shows 高龄津贴 and the other services
 * turning 80 opens, and tells her in 消息, without her asking for anything.
 */
export const DEMO_LEDGER_COMMITTEES = ['310115005001', '310115005002'] as const;

const POPULATION: PopulationOptions = {
  seed: 20261201,
  households: 160,
  committees: PUDONG_COMMITTEES.filter((c) => (DEMO_LEDGER_COMMITTEES as readonly string[]).includes(c.code)),
};

/** The demo account `resident`'s phone (identity/demo.ts), for the departments that record phones. */
const DEMO_STORY_PHONE = '19900000007';
/** Far above the generated population's indexes (≈ 2.6 per household): no record key or ID number repeats. */
const DEMO_STORY_INDEX = 900_000;
/** Her record in the police register: how the services demo finds her to link the account `resident`. */
export const DEMO_STORY_RECORD = { source: '公安实有人口', recordKey: `GA${String(DEMO_STORY_INDEX).padStart(8, '0')}` } as const;

/** 王秀英: born 80 years before `today` (YYYY-MM-DD), alone in 梅园一村9号楼1单元101室. */
export function demoStoryPerson(today: string): TruePerson {
  const committee = POPULATION.committees!.find((c) => c.code === DEMO_LEDGER_COMMITTEES[0])!;
  const birthDate = `${Number(today.slice(0, 4)) - 80}${today.slice(4)}`;
  const personIndex = DEMO_STORY_INDEX;
  return {
    personIndex,
    householdIndex: DEMO_STORY_INDEX,
    name: '王秀英',
    sex: 'female',
    birthDate,
    idNumber: syntheticIdNumber(birthDate, 'female', personIndex),
    phone: DEMO_STORY_PHONE,
    dwelling: { committee, style: 'estate', road: null, lane: null, building: 9, unit: 1, room: 101 },
    relation: '户主',
    tags: [],
    disability: null,
  };
}

/** Every department's rows: the generated population, then the story's person. */
function demoRows(today: string): Iterable<SourceRow> {
  return (function* () {
    yield* sourceRows(POPULATION);
    yield* rowsOf(demoStoryPerson(today), POPULATION);
  })();
}

export interface DemoLedgerFile {
  name: string;
  source: SyntheticSource;
  format: 'csv' | 'xlsx';
}

/** In the order a worker would take them: the register first (already in after the first start). */
export const DEMO_LEDGER_FILES: readonly DemoLedgerFile[] = [
  { name: '公安实有人口-梅园一村-汇豪天下.xlsx', source: '公安实有人口', format: 'xlsx' },
  { name: '民政-低保孤老名单.xlsx', source: '民政', format: 'xlsx' },
  { name: '卫健-家庭医生签约居民.csv', source: '卫健', format: 'csv' },
  { name: '残联-持证残疾人名单.xlsx', source: '残联', format: 'xlsx' },
];

export function demoLedgerDir(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'demo', 'ledger');
}

/** The demo files that exist, with their sizes (none outside demo mode). */
export async function listDemoLedgerFiles(config: Pick<Config, 'dataDir' | 'demo'>): Promise<Array<DemoLedgerFile & { bytes: number; path: string }>> {
  if (!config.demo) return [];
  const found = [];
  for (const file of DEMO_LEDGER_FILES) {
    const path = join(demoLedgerDir(config), file.name);
    const info = await stat(path).catch(() => null);
    if (info?.isFile()) found.push({ ...file, bytes: info.size, path });
  }
  return found;
}

async function writeDemoFiles(dir: string, today: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const file of DEMO_LEDGER_FILES) {
    const target = join(dir, file.name);
    if (existsSync(target)) continue;
    // written under a temporary name: a half-written file is never offered
    const temporary = `${target}.tmp`;
    const write = file.format === 'csv' ? writeSourceCsv : writeSourceXlsx;
    await write(temporary, file.source, demoRows(today));
    await rename(temporary, target);
  }
}

/** Writes the demo files if missing and imports the register once (idempotent: re-importing changes nothing either). */
export async function seedDemoLedger(platform: Platform): Promise<void> {
  // with the rest of the demo's synthetic data (the test template and the browser tests leave it out)
  if (!platform.config.demoCases) return;
  const dir = demoLedgerDir(platform.config);
  // the Shanghai day: the story's birthday is the day the demo is first started
  await writeDemoFiles(dir, new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
  if ((await countPersonsUnder(platform.db, DEMO_LEDGER_COMMITTEES)) > 0) return;
  const register = DEMO_LEDGER_FILES[0]!;
  const outcome = await importFile(platform, systemActor('ledger.demo'), { path: join(dir, register.name), source: register.source });
  if (outcome.status !== 'done') throw new Error(`demo ledger register import ${outcome.status}: ${outcome.message ?? ''}`);
}
