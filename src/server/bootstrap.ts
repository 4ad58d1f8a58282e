import type { Kysely } from 'kysely';
import { buildApp, type BuiltApp } from './app.ts';
import type { Config } from './config.ts';
import { migrateToLatest } from './migrations/index.ts';
import { MODULES } from './modules/index.ts';
import { openDatabase, type Database, type DatabaseHandle } from './platform/db/index.ts';
import type { Platform } from './platform/platform.ts';

export async function migrate(db: Database): Promise<string[]> {
  const result = await migrateToLatest(db as unknown as Kysely<unknown>);
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Reference data every installation needs, then (in demo mode) the synthetic demonstration data. */
export async function seed(platform: Platform, options: { demo: boolean }): Promise<void> {
  for (const module of MODULES) await module.seed?.(platform);
  if (options.demo) for (const module of MODULES) await module.demoSeed?.(platform);
}

export interface RunningServer extends BuiltApp {
  database: DatabaseHandle;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const database = await openDatabase(config);
  const applied = await migrate(database.db);
  const built = await buildApp({ config, database });
  if (applied.length) built.app.log.info({ applied }, 'migrations applied');
  await seed(built.platform, { demo: config.demo });
  await built.app.listen({ port: config.port, host: config.host });
  const address = built.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let stopping: Promise<void> | undefined;
  return {
    ...built,
    database,
    url: `http://localhost:${port}`,
    stop() {
      stopping ??= (async () => {
        await built.app.close();
        await built.idle();
        await database.close();
      })();
      return stopping;
    },
  };
}
