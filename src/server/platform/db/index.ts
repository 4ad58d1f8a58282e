import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type { DB } from './schema.ts';

export type Database = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Kysely<DB> | Transaction<DB>;

export type DatabaseKind = 'pglite' | 'postgres';

/** Extensions PGlite must load at start; the migrations create them on both engines. */
export const PGLITE_EXTENSIONS = { ltree, pg_trgm };

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseKind;
  /** Present for the embedded engine; tests use it to dump and clone a migrated template. */
  pglite?: PGlite;
  close(): Promise<void>;
}

// bigint (int8) stays a string: ids and counts beyond 2^53 must not lose digits silently.
// numeric too. timestamptz → Date (the pg default).

/**
 * A pooled connection that dies while idle (the server restarts, an administrator terminates it)
 * makes the pool emit 'error'; without a listener Node treats that as an uncaught exception and
 * the process exits. The pool already discards the client and opens a new one on the next query.
 */
function survivesIdleErrors(pool: pg.Pool): pg.Pool {
  pool.on('error', (error) => process.emitWarning(`database connection lost while idle: ${error.message}`, { code: 'GONGZHI_DB_IDLE' }));
  return pool;
}

export async function openPostgres(url: string, options: { max?: number } = {}): Promise<DatabaseHandle> {
  const pool = survivesIdleErrors(new pg.Pool({ connectionString: url, max: options.max ?? 10 }));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

/**
 * Embedded PostgreSQL (PGlite, WASM). One connection: node-postgres's pool queues
 * concurrent requests on it, which is what a single-writer embedded engine needs.
 */
export async function openPGlite(source: { dataDir: string } | { loadDataDir: Blob }): Promise<DatabaseHandle> {
  let pglite: PGlite;
  if ('dataDir' in source) {
    if (!source.dataDir.startsWith('memory://')) mkdirSync(source.dataDir, { recursive: true });
    pglite = await PGlite.create({ dataDir: source.dataDir, extensions: PGLITE_EXTENSIONS });
  } else {
    pglite = await PGlite.create({ loadDataDir: source.loadDataDir, extensions: PGLITE_EXTENSIONS });
  }
  const pool = survivesIdleErrors(new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'pglite',
    pglite,
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}

export async function openDatabase(config: { databaseUrl: string | undefined; dataDir: string }): Promise<DatabaseHandle> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl);
  return openPGlite({ dataDir: `${config.dataDir}/pglite` });
}
