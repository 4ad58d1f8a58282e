import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/server/config.ts';
import { migrate, seed } from '../src/server/bootstrap.ts';
import { openPGlite, openPostgres, type DatabaseHandle } from '../src/server/platform/db/index.ts';
import { createPlatform } from '../src/server/platform/platform.ts';
import { MODULES } from '../src/server/modules/index.ts';
import { TEST_HASH_COST } from './helpers/engines.ts';
import { ensureWebBuild } from '../src/server/web-build.ts';

/**
 * Builds one migrated and seeded template per engine (region tree, departments, demo accounts; not the demo cases),
 * so that each test file starts from a copy in ~1–2 s instead of migrating and seeding anew.
 */
async function prepare(database: DatabaseHandle): Promise<void> {
  await migrate(database.db);
  // The synthetic month of cases stays out of the template (tests start from an empty case list);
  // test/e2e/demo-cases.test.ts seeds it into its own copy.
  const config = loadConfig({}, { passwordHashCost: TEST_HASH_COST, demo: true, demoCases: false });
  const platform = createPlatform({ config, db: database.db, dbKind: database.kind, log: pino({ level: 'silent' }) });
  for (const module of MODULES) platform.permissions.register(module.name, module.permissions);
  await seed(platform, { demo: true });
}

export default async function setup(project: TestProject) {
  // The browser test files run in parallel and each needs the console's bundle: build it once here,
  // before any of them starts, not three times at once into the same directory (on a fresh clone a
  // page could load a half-written bundle).
  await ensureWebBuild(resolve('dist/web'));
  const dir = mkdtempSync(join(tmpdir(), 'gongzhi-test-'));
  const lite = await openPGlite({ dataDir: 'memory://' });
  await prepare(lite);
  const dump = await lite.pglite!.dumpDataDir('none');
  const templateFile = join(dir, 'pglite-template.tar');
  writeFileSync(templateFile, Buffer.from(await dump.arrayBuffer()));
  await lite.close();
  project.provide('pgliteTemplate', templateFile);

  const serverUrl = process.env.TEST_DATABASE_URL;
  let templateDb: string | undefined;
  if (serverUrl) {
    templateDb = `gongzhi_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${templateDb}`);
    await admin.query(`create database ${templateDb}`);
    const url = new URL(serverUrl);
    url.pathname = `/${templateDb}`;
    const server = await openPostgres(url.toString(), { max: 2 });
    await prepare(server);
    await server.close();
    await admin.end();
    project.provide('postgresTemplate', templateDb);
  } else {
    project.provide('postgresTemplate', '');
  }

  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (serverUrl && templateDb) {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${templateDb} with (force)`);
      await admin.end();
    }
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}
