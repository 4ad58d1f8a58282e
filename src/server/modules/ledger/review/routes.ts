import { authorize, scopeOf, type Scope } from '../../../platform/access.ts';
import type { UserActor } from '../../../platform/actor.ts';
import { AppError } from '../../../platform/errors.ts';
import { ErrorResponse, localeOf, withErrors } from '../../../platform/http.ts';
import type { App } from '../../../platform/module.ts';
import type { Platform } from '../../../platform/platform.ts';
import { findRegion } from '../../regions/repository.ts';
import { resolveSource } from '../importer.ts';
import { listPersons } from '../repository.ts';
import { fieldVisible, ledgerViewer, presentPerson, presentValue, type Viewer } from '../routes.ts';
import { IdParams } from '../schemas.ts';
import { changeAuthority, configurableField, normalizeVerifiedValue, recordBulkResolve, resolveConflict } from './commands.ts';
import { BULK_RESOLVE_MAX } from './policy.ts';
import {
  fieldOfPersons,
  findConflictForUpdate,
  findDwelling,
  findHousehold,
  listAuthority,
  listAuthorityChanges,
  listConflicts,
  lockOpenConflicts,
  type ConflictRow,
} from './repository.ts';
import {
  AuthorityBody,
  AuthorityFieldParams,
  AuthorityResponse,
  AuthorityView,
  BulkResolveBody,
  BulkResolveResponse,
  ConflictIdParams,
  ConflictList,
  ConflictListQuery,
  DwellingView,
  HouseholdView,
  ResolveBody,
  ResolveResponse,
} from './schemas.ts';

/** A household's members or a dwelling's residents at most (a 群租 flat may hold many; more are not shown). */
const MEMBERS_MAX = 200;

function presentConflict(c: ConflictRow, viewer: Viewer) {
  const shown = (value: string | null) => presentValue(c.field, value, viewer.personal);
  return {
    id: c.id,
    personId: c.personId,
    personName: presentValue('name', c.personName, viewer.personal) ?? '',
    regionCode: c.regionCode,
    regionName: c.regionName,
    field: c.field,
    currentValue: shown(c.currentValue),
    currentSource: c.currentSource,
    currentObservedAt: c.currentObservedAt?.toISOString() ?? null,
    proposedValue: shown(c.proposedValue),
    proposedSource: c.proposedSource,
    proposedObservedAt: c.proposedObservedAt.toISOString(),
    status: c.status,
    resolution: c.resolution,
    resolvedValue: shown(c.resolvedValue),
    resolutionNote: c.resolutionNote,
    createdAt: c.createdAt.toISOString(),
    resolvedAt: c.resolvedAt?.toISOString() ?? null,
  };
}

/**
 * The ledger's review (issue #5 items 2, 7, 8): the 一数一源 conflict queue and its resolution, the
 * authoritative source of each field, and the household and dwelling pages. Registered from the
 * ledger's manifest next to its own routes.
 */
export async function ledgerReviewRoutes(app: App, platform: Platform): Promise<void> {
  const { db, permissions } = platform;
  const tags = ['ledger'];

  const hiddenFields = (viewer: Viewer) => [...viewer.hiddenTags].map((code) => `tag.${code}`);

  async function regionPathOf(scope: Scope, code: string | undefined): Promise<string | undefined> {
    if (!code) return undefined;
    const region = await findRegion(db, scope, code);
    if (!region) throw new AppError('NOT_FOUND');
    return region.regionPath;
  }

  async function members(actor: UserActor, viewer: Viewer, filter: { householdId: string } | { dwellingId: string }, locale: ReturnType<typeof localeOf>) {
    const { items } = await listPersons(db, scopeOf(actor), { ...filter, hiddenTags: viewer.hiddenTags, limit: MEMBERS_MAX, offset: 0 });
    const relations = await fieldOfPersons(db, items.map((p) => p.id), 'relation_to_head');
    const list = items.map((p) => ({ ...presentPerson(p, viewer, locale), relationToHead: relations.get(p.id) ?? null }));
    // the head of household first, then by name
    list.sort((a, b) => Number(b.relationToHead === '户主') - Number(a.relationToHead === '户主'));
    const tagsOf = new Map(list.flatMap((m) => m.tags.map((t) => [t.code, t] as const)));
    return { list, tags: [...tagsOf.values()] };
  }

  app.get(
    '/ledger/conflicts',
    {
      schema: {
        tags,
        summary: 'Open 一数一源 conflicts of persons in the caller’s scope, oldest first: the current value and the proposed one, each with its source and date (masked per role)',
        querystring: ConflictListQuery,
        response: withErrors({ 200: ConflictList }),
      },
    },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.read');
      const scope = scopeOf(actor);
      const viewer = await ledgerViewer(platform, actor);
      const q = request.query;
      const { items, total } = await listConflicts(
        db,
        scope,
        {
          ...(q.field ? { field: q.field } : {}),
          ...(q.source ? { source: await resolveSource(platform, q.source) } : {}),
          ...(q.personId ? { personId: q.personId } : {}),
          ...(q.region ? { regionPath: await regionPathOf(scope, q.region) } : {}),
          hiddenFields: hiddenFields(viewer),
        },
        { limit: q.limit ?? 50, offset: q.offset ?? 0 },
      );
      return { items: items.map((c) => presentConflict(c, viewer)), total };
    },
  );

  app.post(
    '/ledger/conflicts/:id/resolve',
    {
      schema: {
        tags,
        summary: 'Resolve a conflict: keep the current value, accept the proposed one, or enter a value verified on a visit (source 社工走访); writes the history and the person’s columns; audited',
        params: ConflictIdParams,
        body: ResolveBody,
        response: withErrors({ 200: ResolveResponse, 409: ErrorResponse, 422: ErrorResponse }),
      },
    },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.review');
      const scope = scopeOf(actor);
      const viewer = await ledgerViewer(platform, actor);
      const { action, note } = request.body;
      const result = await platform.transaction(
        actor,
        async (ctx) => {
          const conflict = await findConflictForUpdate(ctx.trx, scope, request.params.id);
          if (!conflict || !fieldVisible(conflict.field, viewer)) throw new AppError('NOT_FOUND');
          let value: string | undefined;
          if (action === 'verified') {
            if (request.body.value === undefined) throw new AppError('LEDGER_VALUE_INVALID', { field: conflict.field, reason: 'the verified value is required' });
            const checked = normalizeVerifiedValue(conflict.field, request.body.value);
            if (!checked.ok) throw new AppError('LEDGER_VALUE_INVALID', { field: conflict.field, reason: checked.reason });
            value = checked.value;
          }
          const { settled } = await resolveConflict(ctx, scope, conflict, { action, ...(value !== undefined ? { value } : {}), note: note?.trim() ?? null });
          return { settled, conflict: await findConflictForUpdate(ctx.trx, scope, conflict.id) };
        },
        { requestId: request.id },
      );
      // the person may have moved to another committee of the reviewer's scope; never out of it
      if (!result.conflict) throw new AppError('NOT_FOUND');
      return { conflict: presentConflict(result.conflict, viewer), settled: result.settled };
    },
  );

  app.post(
    '/ledger/conflicts/bulk-resolve',
    {
      schema: {
        tags,
        summary: 'Resolve every open conflict of one field from one source in the caller’s scope (or a region of it) the same way; refused unless the count matches what the reviewer confirmed',
        body: BulkResolveBody,
        response: withErrors({ 200: BulkResolveResponse, 409: ErrorResponse, 422: ErrorResponse }),
      },
    },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.review');
      const scope = scopeOf(actor);
      const viewer = await ledgerViewer(platform, actor);
      const body = request.body;
      if (!fieldVisible(body.field, viewer)) throw new AppError('NOT_FOUND');
      const source = await resolveSource(platform, body.source);
      const regionPath = await regionPathOf(scope, body.region);
      const note = body.note.trim();
      const ids = await platform.transaction(
        actor,
        async (ctx) => {
          const open = await lockOpenConflicts(ctx.trx, scope, { field: body.field, source, ...(regionPath ? { regionPath } : {}), hiddenFields: [] }, BULK_RESOLVE_MAX + 1);
          if (open.length > BULK_RESOLVE_MAX) throw new AppError('LEDGER_BULK_TOO_MANY', { max: BULK_RESOLVE_MAX });
          if (open.length !== body.expectedCount) throw new AppError('LEDGER_BULK_CHANGED', { expected: body.expectedCount, actual: open.length });
          const done: string[] = [];
          const settled = new Set<string>();
          for (const conflict of open) {
            // an earlier one of the batch may have settled this one (same person and field)
            if (settled.has(conflict.id)) continue;
            const result = await resolveConflict(ctx, scope, conflict, { action: body.action, note });
            for (const id of result.settled) settled.add(id);
            done.push(conflict.id);
          }
          await recordBulkResolve(ctx, { regionPath: regionPath ?? actor.assignment.regionPath, field: body.field, source, action: body.action, ids: done, note });
          return done;
        },
        { requestId: request.id },
      );
      return { resolved: ids.length, ids };
    },
  );

  app.get(
    '/ledger/authority',
    { schema: { tags, summary: '一数一源: the authoritative source of each field, and the latest changes (who, when, from what to what, why)', response: withErrors({ 200: AuthorityView }) } },
    async (request) => {
      authorize(permissions, request.actor, 'ledger.read');
      const [items, changes] = await Promise.all([listAuthority(db), listAuthorityChanges(db, 200)]);
      return {
        items: items.map((a) => ({ field: a.field, source: a.source, updatedAt: a.updatedAt.toISOString() })),
        changes: changes.map((c) => ({ ...c, changedAt: c.changedAt.toISOString() })),
      };
    },
  );

  app.put(
    '/ledger/authority/:field',
    {
      schema: {
        tags,
        summary: 'Make a source the authoritative one for a field (一数一源), with a reason; applies to values received from now on; audited',
        params: AuthorityFieldParams,
        body: AuthorityBody,
        response: withErrors({ 200: AuthorityResponse, 422: ErrorResponse }),
      },
    },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.authority.manage');
      const field = request.params.field;
      const viewer = await ledgerViewer(platform, actor);
      const sourcedTags = [...viewer.tags.values()].filter((t) => !t.derived).map((t) => t.code);
      if (!configurableField(field, sourcedTags)) throw new AppError('LEDGER_FIELD_UNKNOWN', { field });
      const source = await resolveSource(platform, request.body.source);
      const { changed } = await platform.transaction(
        actor,
        (ctx) => changeAuthority(ctx, { field, source, reason: request.body.reason.trim(), regionPath: actor.assignment.regionPath }),
        { requestId: request.id },
      );
      const entry = (await listAuthority(db)).find((a) => a.field === field)!;
      return { entry: { field: entry.field, source: entry.source, updatedAt: entry.updatedAt.toISOString() }, changed };
    },
  );

  app.get(
    '/ledger/households/:id',
    { schema: { tags, summary: 'A household in the caller’s scope: its members (masked per role) with their relation to the head, and their tags', params: IdParams, response: withErrors({ 200: HouseholdView }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.read');
      const household = await findHousehold(db, scopeOf(actor), request.params.id);
      if (!household) throw new AppError('NOT_FOUND');
      const viewer = await ledgerViewer(platform, actor);
      const { list, tags: memberTags } = await members(actor, viewer, { householdId: household.id }, localeOf(request));
      return { id: household.id, householdNumber: household.householdNumber, regionCode: household.regionCode, regionName: household.regionName, members: list, tags: memberTags };
    },
  );

  app.get(
    '/ledger/dwellings/:id',
    { schema: { tags, summary: 'A dwelling (房屋) in the caller’s scope and who lives there (房屋 → 人), masked per role', params: IdParams, response: withErrors({ 200: DwellingView }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.read');
      const dwelling = await findDwelling(db, scopeOf(actor), request.params.id);
      if (!dwelling) throw new AppError('NOT_FOUND');
      const viewer = await ledgerViewer(platform, actor);
      const { list, tags: residentTags } = await members(actor, viewer, { dwellingId: dwelling.id }, localeOf(request));
      return {
        id: dwelling.id,
        address: presentValue('residence_address', dwelling.address, viewer.personal),
        building: dwelling.building,
        unit: dwelling.unit,
        room: dwelling.room,
        regionCode: dwelling.regionCode,
        regionName: dwelling.regionName,
        residents: list,
        tags: residentTags,
      };
    },
  );
}
