import { sql, type SqlBool } from 'kysely';
import { scopeCondition, type Scope } from '../../platform/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import { CLOSED_STATUSES, PUBLIC_NOTE_ACTIONS } from './policy.ts';

/**
 * The only code that touches `open311_api_keys` and `open311_requests`, and the public read of
 * cases for Open311. Public reads select public columns only: the contact columns of
 * `open311_requests` are read by no function here.
 */

// ---------------------------------------------------------------- API keys

export interface ApiKeyRow {
  id: string;
  name: string;
  keyPrefix: string;
  userId: string;
  username: string;
  displayName: string;
  userActive: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const keyColumns = [
  'k.id',
  'k.name',
  'k.key_prefix',
  'k.user_id',
  'u.username',
  'u.display_name',
  'u.status',
  'k.created_at',
  'k.last_used_at',
  'k.revoked_at',
] as const;

function presentKey(row: {
  id: string;
  name: string;
  key_prefix: string;
  user_id: string;
  username: string;
  display_name: string;
  status: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}): ApiKeyRow {
  return {
    id: row.id,
    name: row.name,
    keyPrefix: row.key_prefix,
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    userActive: row.status === 'active',
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

const keys = (db: Executor) => db.selectFrom('open311_api_keys as k').innerJoin('users as u', 'u.id', 'k.user_id').select(keyColumns);

/** The key with this SHA-256, revoked or not. */
export async function findKeyByHash(db: Executor, keyHash: string): Promise<ApiKeyRow | undefined> {
  const row = await keys(db).where('k.key_hash', '=', keyHash).executeTakeFirst();
  return row && presentKey(row);
}

export async function findKey(db: Executor, id: string, options: { forUpdate?: boolean } = {}): Promise<ApiKeyRow | undefined> {
  let query = keys(db).where('k.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('k');
  const row = await query.executeTakeFirst();
  return row && presentKey(row);
}

export async function listKeys(db: Executor): Promise<ApiKeyRow[]> {
  const rows = await keys(db).orderBy('k.created_at', 'desc').orderBy('k.id').execute();
  return rows.map(presentKey);
}

export async function keyHashExists(db: Executor, keyHash: string): Promise<boolean> {
  return (await db.selectFrom('open311_api_keys').select('id').where('key_hash', '=', keyHash).executeTakeFirst()) !== undefined;
}

/** An integration account is one that was created for (and so far holds) an Open311 key. */
export async function isIntegrationAccount(db: Executor, userId: string): Promise<boolean> {
  return (await db.selectFrom('open311_api_keys').select('id').where('user_id', '=', userId).limit(1).executeTakeFirst()) !== undefined;
}

export async function usernameOf(db: Executor, userId: string): Promise<string | undefined> {
  return (await db.selectFrom('users').select('username').where('id', '=', userId).executeTakeFirst())?.username;
}

export async function userIdOf(db: Executor, username: string): Promise<string | undefined> {
  return (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst())?.id;
}

export async function insertKey(db: Executor, row: { name: string; keyHash: string; keyPrefix: string; userId: string; createdBy: string | null }): Promise<string> {
  const inserted = await db
    .insertInto('open311_api_keys')
    .values({ name: row.name, key_hash: row.keyHash, key_prefix: row.keyPrefix, user_id: row.userId, created_by: row.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function revokeKey(db: Executor, id: string, by: string | null): Promise<void> {
  await db.updateTable('open311_api_keys').set({ revoked_at: new Date(), revoked_by: by }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

export async function touchKey(db: Executor, id: string): Promise<void> {
  await db.updateTable('open311_api_keys').set({ last_used_at: new Date() }).where('id', '=', id).execute();
}

// ---------------------------------------------------------------- submissions

export interface NewSubmission {
  caseId: string;
  apiKeyId: string;
  addressId: string | null;
  mediaUrl: string | null;
  contact: { email: string | null; firstName: string | null; lastName: string | null; phone: string | null; deviceId: string | null; accountId: string | null };
}

/** Stores what a submission adds to its case; returns the token that resolves to the case. */
export async function insertSubmission(db: Executor, row: NewSubmission): Promise<string> {
  const inserted = await db
    .insertInto('open311_requests')
    .values({
      case_id: row.caseId,
      api_key_id: row.apiKeyId,
      address_id: row.addressId,
      media_url: row.mediaUrl,
      email: row.contact.email,
      first_name: row.contact.firstName,
      last_name: row.contact.lastName,
      phone: row.contact.phone,
      device_id: row.contact.deviceId,
      account_id: row.contact.accountId,
    })
    .returning('token')
    .executeTakeFirstOrThrow();
  return inserted.token;
}

export async function caseNumber(db: Executor, caseId: string): Promise<string> {
  return (await db.selectFrom('cases').select('number').where('id', '=', caseId).executeTakeFirstOrThrow()).number;
}

/** The case number a token stands for. */
export async function findByToken(db: Executor, token: string): Promise<{ number: string; token: string } | undefined> {
  return db
    .selectFrom('open311_requests as o')
    .innerJoin('cases as c', 'c.id', 'o.case_id')
    .select(['c.number', sql<string>`o.token::text`.as('token')])
    .where('o.token', '=', token)
    .executeTakeFirst();
}

// ---------------------------------------------------------------- places

export interface Place {
  code: string;
  name: string;
  level: string;
  regionPath: string;
}

/** A committee, grid or building by its code, inside the scope. */
export async function findPlace(db: Executor, scope: Scope, code: string): Promise<Place | undefined> {
  const row = await db
    .selectFrom('regions as r')
    .select(['r.code', 'r.name', 'r.level', 'r.path'])
    .where('r.code', '=', code)
    .where(scopeCondition(sql.ref('r.path'), scope))
    .executeTakeFirst();
  return row && { code: row.code, name: row.name, level: row.level, regionPath: row.path };
}

/**
 * Committees whose full registered name occurs in a free-text address, with the name of their
 * street or town (so that the caller can disambiguate by it). Text matching only: no coordinates.
 */
export async function committeesNamedIn(db: Executor, scope: Scope, text: string): Promise<Array<Place & { streetName: string }>> {
  const rows = await db
    .selectFrom('regions as r')
    .innerJoin('regions as s', 's.code', 'r.parent_code')
    .select(['r.code', 'r.name', 'r.level', 'r.path', 's.name as street_name'])
    .where('r.level', '=', 'committee')
    .where(sql<SqlBool>`strpos(${text}, r.name) > 0`)
    .where(scopeCondition(sql.ref('r.path'), scope))
    .orderBy('r.code')
    .limit(50)
    .execute();
  return rows.map((r) => ({ code: r.code, name: r.name, level: r.level, regionPath: r.path, streetName: r.street_name }));
}

// ---------------------------------------------------------------- public read of cases

/** What a public Open311 request shows of a case; no reporter, no contact data. */
export interface PublicRequestRow {
  number: string;
  status: string;
  channel: string;
  description: string;
  categoryCode: string;
  serviceName: string;
  serviceNameEn: string;
  address: string | null;
  regionCode: string;
  /** The committee the case lies in (the case's own region, or the committee above its grid or building). */
  committeeCode: string;
  committeeName: string;
  streetName: string;
  lat: number | null;
  lng: number | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  deadlineAt: Date | null;
  agency: string | null;
  statusNote: string | null;
  mediaUrl: string | null;
  addressId: string | null;
}

export interface PublicRequestFilter {
  numbers?: readonly string[];
  serviceCodes?: readonly string[];
  statuses?: ReadonlyArray<'open' | 'closed'>;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

/**
 * Cases filed under a public service: a leaf category whose current version residents may
 * choose (the Open311 services). Cases without a category, or under a category only staff use,
 * are not published.
 */
function publicCases(db: Executor) {
  const noteActions = [...PUBLIC_NOTE_ACTIONS];
  return db
    .selectFrom('cases as c')
    .innerJoin('categories as cat', 'cat.code', 'c.category_code')
    .innerJoin('category_versions as cur', (join) => join.onRef('cur.code', '=', 'cat.code').onRef('cur.version', '=', 'cat.current_version'))
    .innerJoin('category_versions as v', (join) => join.onRef('v.code', '=', 'c.category_code').onRef('v.version', '=', 'c.category_version'))
    .innerJoin('regions as cm', (join) => join.on(sql<SqlBool>`cm.path = subpath(c.region_path, 0, 3)`))
    .innerJoin('regions as s', (join) => join.on(sql<SqlBool>`s.path = subpath(c.region_path, 0, 2)`))
    .leftJoin('departments as d', 'd.id', 'c.main_unit_id')
    .leftJoin('open311_requests as o', 'o.case_id', 'c.id')
    .where('cat.level', '=', 'leaf')
    .where('cur.resident_selectable', '=', true)
    .select([
      'c.id',
      'c.number',
      'c.status',
      'c.channel',
      'c.description',
      'c.category_code',
      'v.name as service_name',
      'v.name_en as service_name_en',
      'c.address',
      'c.region_code',
      'cm.code as committee_code',
      'cm.name as committee_name',
      's.name as street_name',
      'c.lat',
      'c.lng',
      'c.created_at',
      'c.updated_at',
      'c.closed_at',
      'c.deadline_at',
      'd.name as agency',
      'o.media_url',
      'o.address_id',
      sql<string | null>`(select e.note from case_events e where e.case_id = c.id and e.note is not null and e.action in (${sql.join(noteActions)}) order by e.id desc limit 1)`.as('status_note'),
    ]);
}

type PublicSelect = Awaited<ReturnType<ReturnType<typeof publicCases>['execute']>>[number];

function presentPublic(row: PublicSelect): PublicRequestRow {
  return {
    number: row.number,
    status: row.status,
    channel: row.channel,
    description: row.description,
    categoryCode: row.category_code!,
    serviceName: row.service_name,
    serviceNameEn: row.service_name_en,
    address: row.address,
    regionCode: row.region_code,
    committeeCode: row.committee_code,
    committeeName: row.committee_name,
    streetName: row.street_name,
    lat: row.lat,
    lng: row.lng,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    deadlineAt: row.deadline_at,
    agency: row.agency,
    statusNote: row.status_note,
    mediaUrl: row.media_url,
    addressId: row.address_id,
  };
}

export async function findPublicRequest(db: Executor, number: string): Promise<PublicRequestRow | undefined> {
  const row = await publicCases(db).where('c.number', '=', number).executeTakeFirst();
  return row && presentPublic(row);
}

/** Newest first. With `numbers`, the other filters are not applied (GeoReport: service_request_id overrides them). */
export async function listPublicRequests(db: Executor, filter: PublicRequestFilter): Promise<PublicRequestRow[]> {
  let query = publicCases(db);
  if (filter.numbers) {
    query = query.where('c.number', 'in', filter.numbers.length ? [...filter.numbers] : ['']);
  } else {
    if (filter.serviceCodes?.length) query = query.where('c.category_code', 'in', [...filter.serviceCodes]);
    const statuses = new Set(filter.statuses ?? []);
    if (statuses.size === 1) query = query.where('c.status', statuses.has('closed') ? 'in' : 'not in', [...CLOSED_STATUSES]);
    if (filter.from) query = query.where('c.created_at', '>=', filter.from);
    if (filter.to) query = query.where('c.created_at', '<=', filter.to);
  }
  const rows = await query.orderBy('c.created_at', 'desc').orderBy('c.id').limit(filter.limit).offset(filter.offset).execute();
  return rows.map(presentPublic);
}
