import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { sql } from 'kysely';
import type { Actor } from './actor.ts';
import type { Executor, Tx } from './db/index.ts';
import type { AuditLogRow } from './db/schema.ts';

/**
 * The audit log: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE) and hash-chained.
 * Each entry's hash covers its own fields and the previous entry's hash, so editing, deleting
 * or reordering any entry breaks every hash after it. Entries are written in the caller's
 * transaction under a transaction-scoped advisory lock, which serialises writers so the chain
 * never forks; the lock is released at commit, and a rolled-back change leaves no entry.
 */

export const GENESIS_HASH = '0'.repeat(64);
/** Arbitrary constant naming the audit chain's advisory lock. */
const AUDIT_CHAIN_LOCK = 7_337_001;

export interface AuditEntry {
  action: string;
  objectType: string;
  objectId?: string | null;
  regionPath?: string | null;
  /** Why a person looked at full personal data, or why an override was made. */
  reason?: string | null;
  details?: Record<string, unknown>;
  requestId?: string | null;
}

interface HashedFields {
  id: string;
  at: string;
  actorUserId: string | null;
  actorUsername: string | null;
  actorRole: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  regionPath: string | null;
  reason: string | null;
  details: unknown;
  requestId: string | null;
  prevHash: string;
}

function entryHash(fields: HashedFields): string {
  const canonical = canonicalize(fields);
  if (canonical === undefined) throw new Error('audit entry cannot be canonicalised');
  return createHash('sha256').update(canonical).digest('hex');
}

function actorFields(actor: Actor): Pick<HashedFields, 'actorUserId' | 'actorUsername' | 'actorRole'> {
  if (actor.kind === 'system') return { actorUserId: null, actorUsername: `system:${actor.name}`, actorRole: null };
  return { actorUserId: actor.userId, actorUsername: actor.username, actorRole: actor.assignment.role };
}

/** JSON round-trip so that what we hash is exactly what jsonb will give back (no undefined, no Dates). */
function normaliseDetails(details: Record<string, unknown> | undefined): unknown {
  return JSON.parse(JSON.stringify(details ?? {}));
}

export async function recordAudit(trx: Tx, actor: Actor, entry: AuditEntry): Promise<string> {
  await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
  const last = await trx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const { rows } = await sql<{ id: string }>`select nextval('audit_log_id_seq')::text as id`.execute(trx);
  const id = rows[0]!.id;
  const fields: HashedFields = {
    id,
    at: new Date().toISOString(),
    ...actorFields(actor),
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId ?? null,
    regionPath: entry.regionPath ?? null,
    reason: entry.reason ?? null,
    details: normaliseDetails(entry.details),
    requestId: entry.requestId ?? null,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const hash = entryHash(fields);
  await trx
    .insertInto('audit_log')
    .values({
      id,
      at: new Date(fields.at),
      actor_user_id: fields.actorUserId,
      actor_username: fields.actorUsername,
      actor_role: fields.actorRole,
      action: fields.action,
      object_type: fields.objectType,
      object_id: fields.objectId,
      region_path: fields.regionPath,
      reason: fields.reason,
      details: JSON.stringify(fields.details),
      request_id: fields.requestId,
      prev_hash: fields.prevHash,
      hash,
    })
    .execute();
  return id;
}

function fieldsOf(row: AuditLogRow): HashedFields {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actorUserId: row.actor_user_id,
    actorUsername: row.actor_username,
    actorRole: row.actor_role,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    regionPath: row.region_path,
    reason: row.reason,
    details: row.details,
    requestId: row.request_id,
    prevHash: row.prev_hash,
  };
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  lastHash: string;
  firstBroken?: { id: string; problem: 'hash_mismatch' | 'chain_break'; expected: string; found: string };
}

/** Walks the whole chain in id order. Reports the first entry whose hash or link does not hold. */
export async function verifyAuditChain(db: Executor, batchSize = 2000): Promise<AuditVerification> {
  let previous = GENESIS_HASH;
  let checked = 0;
  let afterId: string | null = null;
  for (;;) {
    let query = db.selectFrom('audit_log').selectAll().orderBy(sql`id`).limit(batchSize);
    if (afterId !== null) query = query.where(sql<boolean>`id > ${afterId}::bigint`);
    const rows = await query.execute();
    for (const row of rows) {
      if (row.prev_hash !== previous) {
        return { ok: false, checked, lastHash: previous, firstBroken: { id: row.id, problem: 'chain_break', expected: previous, found: row.prev_hash } };
      }
      const recomputed = entryHash(fieldsOf(row));
      if (recomputed !== row.hash) {
        return { ok: false, checked, lastHash: previous, firstBroken: { id: row.id, problem: 'hash_mismatch', expected: recomputed, found: row.hash } };
      }
      previous = row.hash;
      checked += 1;
    }
    if (rows.length < batchSize) break;
    afterId = rows[rows.length - 1]!.id;
  }
  return { ok: true, checked, lastHash: previous };
}
