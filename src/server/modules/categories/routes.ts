import { can, requirePermission, requireUser } from '../../platform/access.ts';
import type { UserActor } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { ErrorResponse, withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { createLeafCategory, editCategory, setCategoryState } from './commands.ts';
import { requireCatalogueManager } from './policy.ts';
import { currentCategory, findCategoryVersion, listCategories, listCategoryVersions, type Category, type CategoryFilter } from './repository.ts';
import {
  CategoryCodeParams,
  CategoryDetail,
  CategoryList,
  CategoryListQuery,
  CategoryStateBody,
  CategoryVersionParams,
  CategoryVersionSchema,
  CreateCategoryBody,
  UpdateCategoryBody,
} from './schemas.ts';

const present = (c: Category) => ({
  code: c.code,
  parentCode: c.parentCode,
  parentName: c.parentName,
  parentNameEn: c.parentNameEn,
  type: c.type,
  level: c.level,
  version: c.version,
  name: c.name,
  nameEn: c.nameEn,
  active: c.active,
  selectable: c.selectable,
  departmentKind: c.departmentKind,
  responsibility: c.responsibility,
  timeLimits: c.timeLimits,
  verification: c.verification,
  residentSelectable: c.residentSelectable,
  keywords: c.keywords,
  duplicateRadiusM: c.duplicateRadiusM,
  updatedAt: c.updatedAt.toISOString(),
});

export function categoryRoutes(app: App, platform: Platform): void {
  const { db, permissions } = platform;
  const tags = ['categories'];

  /** Residents see only what they may choose: active leaves marked resident-selectable. Everyone else sees the whole catalogue. */
  const seesAll = (actor: UserActor) => can(permissions, actor, 'category.readAll');
  const visible = (actor: UserActor, c: Category) => seesAll(actor) || (c.selectable && c.residentSelectable === true);

  /** A category the caller may see, or 404 exactly as if it did not exist. */
  async function load(actor: UserActor, code: string): Promise<Category> {
    const category = await currentCategory(db, code);
    if (!category || !visible(actor, category)) throw new AppError('NOT_FOUND');
    return category;
  }

  async function detail(code: string) {
    const [category, versions] = await Promise.all([currentCategory(db, code), listCategoryVersions(db, code)]);
    if (!category) throw new AppError('NOT_FOUND');
    return { ...present(category), versions: versions.map((v) => ({ version: v.version, createdAt: v.createdAt.toISOString(), createdBy: v.createdBy, note: v.note })) };
  }

  app.get(
    '/categories',
    {
      schema: {
        tags,
        summary: 'The case category catalogue as a flat list in code order (classes and leaves; parentCode builds the tree). Residents get the active leaves they may choose.',
        querystring: CategoryListQuery,
        response: withErrors({ 200: CategoryList }),
      },
    },
    async (request) => {
      const actor = requireUser(request.actor);
      requirePermission(permissions, actor, 'category.read');
      const q = request.query;
      const filter: CategoryFilter = seesAll(actor)
        ? { type: q.type, level: q.level, selectable: q.selectable, q: q.q, includeInactive: q.includeInactive ?? false }
        : { type: q.type, q: q.q, level: 'leaf', selectable: true, residentSelectable: true, includeInactive: false };
      const items = (await listCategories(db, filter)).map(present);
      return { items, total: items.length };
    },
  );

  app.get(
    '/categories/:code',
    { schema: { tags, summary: 'A category: its current version and the list of its versions', params: CategoryCodeParams, response: withErrors({ 200: CategoryDetail }) } },
    async (request) => {
      const actor = requireUser(request.actor);
      requirePermission(permissions, actor, 'category.read');
      const category = await load(actor, request.params.code);
      return detail(category.code);
    },
  );

  app.get(
    '/categories/:code/versions/:version',
    { schema: { tags, summary: 'One version of a category, as cases filed under it see it', params: CategoryVersionParams, response: withErrors({ 200: CategoryVersionSchema }) } },
    async (request) => {
      const actor = requireUser(request.actor);
      requirePermission(permissions, actor, 'category.read');
      await load(actor, request.params.code);
      const v = await findCategoryVersion(db, request.params.code, request.params.version);
      if (!v) throw new AppError('NOT_FOUND');
      return {
        code: v.code,
        version: v.version,
        current: v.version === v.currentVersion,
        type: v.type,
        level: v.level,
        parentCode: v.parentCode,
        name: v.name,
        nameEn: v.nameEn,
        departmentKind: v.departmentKind,
        responsibility: v.responsibility,
        timeLimits: v.timeLimits,
        verification: v.verification,
        residentSelectable: v.residentSelectable,
        keywords: v.keywords,
        duplicateRadiusM: v.duplicateRadiusM,
        note: v.note,
        createdAt: v.createdAt.toISOString(),
        createdBy: v.createdBy,
      };
    },
  );

  app.post(
    '/categories',
    {
      schema: {
        tags,
        summary: 'Add a leaf category (小类) under an existing class (district administrators)',
        body: CreateCategoryBody,
        response: withErrors({ 201: CategoryDetail, 409: ErrorResponse, 422: ErrorResponse }),
      },
    },
    async (request, reply) => {
      const actor = requireUser(request.actor);
      requireCatalogueManager(permissions, actor);
      const parent = await currentCategory(db, request.body.parentCode);
      const code = await platform.transaction(actor, (ctx) => createLeafCategory(ctx, parent, request.body), { requestId: request.id });
      return reply.code(201).send(await detail(code));
    },
  );

  app.patch(
    '/categories/:code',
    {
      schema: {
        tags,
        summary: 'Change a category: writes a new version (cases keep the version they were filed under). A patch that changes nothing writes nothing.',
        params: CategoryCodeParams,
        body: UpdateCategoryBody,
        response: withErrors({ 200: CategoryDetail, 422: ErrorResponse }),
      },
    },
    async (request) => {
      const actor = requireUser(request.actor);
      const category = await load(actor, request.params.code);
      requireCatalogueManager(permissions, actor);
      await platform.transaction(actor, (ctx) => editCategory(ctx, category.code, request.body), { requestId: request.id });
      return detail(category.code);
    },
  );

  for (const [action, active] of [['deactivate', false], ['activate', true]] as const) {
    app.post(
      `/categories/:code/${action}`,
      {
        schema: {
          tags,
          summary: active
            ? 'Switch a category back on'
            : 'Switch a category off: no new cases under it (or under the leaves of a class); filed cases keep it',
          params: CategoryCodeParams,
          body: CategoryStateBody,
          response: withErrors({ 200: CategoryDetail }),
        },
      },
      async (request) => {
        const actor = requireUser(request.actor);
        const category = await load(actor, request.params.code);
        requireCatalogueManager(permissions, actor);
        await platform.transaction(actor, (ctx) => setCategoryState(ctx, category.code, active, request.body?.reason ?? null), { requestId: request.id });
        return detail(category.code);
      },
    );
  }
}
