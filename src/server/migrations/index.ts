import { Migrator, type Migration, type MigrationProvider, type Kysely, type MigrationResultSet } from 'kysely';
import * as m0001 from './0001-core.ts';
import * as m0002 from './0002-calendar.ts';
import * as m0003 from './0003-categories.ts';
import * as m0004 from './0004-classifier.ts';
import * as m0005 from './0005-cases.ts';
import * as m0006 from './0006-case-time.ts';
import * as m0007 from './0007-case-photos.ts';
import * as m0008 from './0008-open311.ts';
import * as m0009 from './0009-auto-dispatch.ts';
import * as m0010 from './0010-case-duplicates.ts';
import * as m0011 from './0011-case-board-indexes.ts';
import * as m0012 from './0012-devices.ts';
import * as m0013 from './0013-telemetry.ts';
import * as m0018 from './0018-coverage.ts';
import * as m0014 from './0014-alarms.ts';
import * as m0015 from './0015-device-rules.ts';
import * as m0017 from './0017-ledger.ts';
import * as m0019 from './0019-ledger-linkage.ts';
import * as m0020 from './0020-reports.ts';
import * as m0021 from './0021-ledger-review.ts';
import * as m0023 from './0023-services.ts';
import * as m0024 from './0024-civic.ts';
import * as m0025 from './0025-ledger-set-based-references.ts';
import * as m0026 from './0026-notice-announcements.ts';

/**
 * The ordered registry of migrations. Append only: a migration that has landed is never edited;
 * change the schema with a new one. Keys sort in the order they run.
 */
export const migrations: Record<string, Migration> = {
  '0001-core': m0001,
  '0002-calendar': m0002,
  '0003-categories': m0003,
  '0004-classifier': m0004,
  '0005-cases': m0005,
  '0006-case-time': m0006,
  '0007-case-photos': m0007,
  '0008-open311': m0008,
  '0009-auto-dispatch': m0009,
  '0010-case-duplicates': m0010,
  '0011-case-board-indexes': m0011,
  '0012-devices': m0012,
  '0013-telemetry': m0013,
  '0018-coverage': m0018,
  '0014-alarms': m0014,
  '0015-device-rules': m0015,
  '0017-ledger': m0017,
  '0019-ledger-linkage': m0019,
  '0020-reports': m0020,
  '0021-ledger-review': m0021,
  '0023-services': m0023,
  '0024-civic': m0024,
  '0025-ledger-set-based-references': m0025,
  '0026-notice-announcements': m0026,
};

class RegistryProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: new RegistryProvider(), migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error));
  return result;
}
