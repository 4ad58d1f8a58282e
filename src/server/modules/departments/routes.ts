import { requirePermission, requireUser, scopeOf } from '../../platform/access.ts';
import { AppError } from '../../platform/errors.ts';
import { ErrorResponse, withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { findRegion } from '../regions/repository.ts';
import { createDepartment, editDepartment } from './commands.ts';
import { findDepartment, listDepartments, type Department } from './repository.ts';
import { CreateDepartmentBody, DepartmentIdParams, DepartmentList, DepartmentListQuery, DepartmentSchema, UpdateDepartmentBody } from './schemas.ts';

const present = (d: Department) => ({ id: d.id, code: d.code, name: d.name, kind: d.kind, regionCode: d.regionCode, regionName: d.regionName });

export function departmentRoutes(app: App, platform: Platform): void {
  const { db, permissions } = platform;
  const tags = ['departments'];

  app.get(
    '/departments',
    { schema: { tags, summary: 'Departments serving your scope (inside it, or at the levels above it)', querystring: DepartmentListQuery, response: withErrors({ 200: DepartmentList }) } },
    async (request) => {
      const actor = requireUser(request.actor);
      requirePermission(permissions, actor, 'department.read');
      const q = request.query;
      const page = await listDepartments(db, scopeOf(actor), { regionCode: q.region, kind: q.kind, q: q.q, limit: q.limit ?? 50, offset: q.offset ?? 0 });
      return { items: page.items.map(present), total: page.total };
    },
  );

  app.get(
    '/departments/:id',
    { schema: { tags, summary: 'One department', params: DepartmentIdParams, response: withErrors({ 200: DepartmentSchema }) } },
    async (request) => {
      const actor = requireUser(request.actor);
      requirePermission(permissions, actor, 'department.read');
      const department = await findDepartment(db, scopeOf(actor), request.params.id);
      if (!department) throw new AppError('NOT_FOUND');
      return present(department);
    },
  );

  app.post(
    '/departments',
    { schema: { tags, summary: 'Create a department attached to a region in your scope', body: CreateDepartmentBody, response: withErrors({ 201: DepartmentSchema, 409: ErrorResponse }) } },
    async (request, reply) => {
      const actor = requireUser(request.actor);
      const scope = scopeOf(actor);
      requirePermission(permissions, actor, 'department.manage');
      const region = await findRegion(db, scope, request.body.regionCode);
      if (!region) throw new AppError('NOT_FOUND', { field: 'regionCode' });
      const id = await platform.transaction(actor, (ctx) => createDepartment(ctx, { ...request.body, region }), { requestId: request.id });
      const created = await findDepartment(db, scope, id);
      return reply.code(201).send(present(created!));
    },
  );

  app.patch(
    '/departments/:id',
    { schema: { tags, summary: 'Rename or re-classify a department', params: DepartmentIdParams, body: UpdateDepartmentBody, response: withErrors({ 200: DepartmentSchema }) } },
    async (request) => {
      const actor = requireUser(request.actor);
      const scope = scopeOf(actor);
      const department = await findDepartment(db, scope, request.params.id);
      if (!department) throw new AppError('NOT_FOUND');
      requirePermission(permissions, actor, 'department.manage');
      // Seeing a district department from a street is not owning it: changes need it inside the scope.
      const owned = await findRegion(db, scope, department.regionCode);
      if (!owned) throw new AppError('FORBIDDEN');
      await platform.transaction(actor, (ctx) => editDepartment(ctx, department, request.body), { requestId: request.id });
      return present((await findDepartment(db, scope, department.id))!);
    },
  );
}
