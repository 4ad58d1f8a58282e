import { sql } from 'kysely';
import { scopeCondition, type Scope } from '../../platform/access.ts';
import type { Executor } from '../../platform/db/index.ts';

export interface AuditFilter {
  action?: string;
  actor?: string;
  objectType?: string;
  objectId?: string;
  from?: string;
  to?: string;
  /** Keyset pagination: entries with id below this. */
  before?: string;
  limit: number;
}

/**
 * Entries inside the scope. Entries without a region (sign-ins, account changes) belong to the
 * installation as a whole and are visible only to callers scoped at the top of the tree.
 */
export async function listAuditEntries(db: Executor, scope: Scope, seesUnregioned: boolean, filter: AuditFilter) {
  let query = db
    .selectFrom('audit_log')
    .selectAll()
    .where((eb) => (seesUnregioned ? eb.or([scopeCondition(sql.ref('region_path'), scope), eb('region_path', 'is', null)]) : scopeCondition(sql.ref('region_path'), scope)));
  if (filter.action) query = query.where('action', filter.action.endsWith('.') ? 'like' : '=', filter.action.endsWith('.') ? `${filter.action}%` : filter.action);
  if (filter.actor) query = query.where('actor_username', '=', filter.actor);
  if (filter.objectType) query = query.where('object_type', '=', filter.objectType);
  if (filter.objectId) query = query.where('object_id', '=', filter.objectId);
  if (filter.from) query = query.where('at', '>=', new Date(filter.from));
  if (filter.to) query = query.where('at', '<', new Date(filter.to));
  if (filter.before) query = query.where(sql<boolean>`id < ${filter.before}::bigint`);
  return query.orderBy(sql`id`, 'desc').limit(filter.limit).execute();
}
