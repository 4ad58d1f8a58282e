import { existsSync } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../config.ts';
import { systemActor } from '../../platform/actor.ts';
import type { Platform } from '../../platform/platform.ts';
import { importFile } from './importer.ts';
import { countPersonsUnder } from './repository.ts';
import { PUDONG_COMMITTEES, sourceRows, writeSourceCsv, writeSourceXlsx, type PopulationOptions, type SyntheticSource } from './synthetic.ts';

/**
 * The demo ledger: two committees of 陆家嘴 (梅园一村, 汇豪天下) as three departments would send
 * them — the police register, a civil-affairs list, a health list — generated (synthetic.ts, nobody
 * real) into `<dataDir>/demo/ledger/`. The register is imported at the first demo start, so the
 * ledger, the service menu and the reports have people; the other two are left for a committee
 * worker to import in the wizard (居民台账 → 导入 → 演示文件), which is where their mess shows:
 * conflicts for review, probable duplicates, rows refused with reasons.
 */
export const DEMO_LEDGER_COMMITTEES = ['310115005001', '310115005002'] as const;

const POPULATION: PopulationOptions = {
  seed: 20261201,
  households: 160,
  committees: PUDONG_COMMITTEES.filter((c) => (DEMO_LEDGER_COMMITTEES as readonly string[]).includes(c.code)),
};

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

async function writeDemoFiles(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const file of DEMO_LEDGER_FILES) {
    const target = join(dir, file.name);
    if (existsSync(target)) continue;
    // written under a temporary name: a half-written file is never offered
    const temporary = `${target}.tmp`;
    const write = file.format === 'csv' ? writeSourceCsv : writeSourceXlsx;
    await write(temporary, file.source, sourceRows(POPULATION));
    await rename(temporary, target);
  }
}

/** Writes the demo files if missing and imports the register once (idempotent: re-importing changes nothing either). */
export async function seedDemoLedger(platform: Platform): Promise<void> {
  // with the rest of the demo's synthetic data (the test template and the browser tests leave it out)
  if (!platform.config.demoCases) return;
  const dir = demoLedgerDir(platform.config);
  await writeDemoFiles(dir);
  if ((await countPersonsUnder(platform.db, DEMO_LEDGER_COMMITTEES)) > 0) return;
  const register = DEMO_LEDGER_FILES[0]!;
  const outcome = await importFile(platform, systemActor('ledger.demo'), { path: join(dir, register.name), source: register.source });
  if (outcome.status !== 'done') throw new Error(`demo ledger register import ${outcome.status}: ${outcome.message ?? ''}`);
}
