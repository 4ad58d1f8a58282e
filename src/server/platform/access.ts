import { sql, type Expression, type SqlBool } from 'kysely';
import type { Role } from '../../shared/roles.ts';
import type { Actor, UserActor } from './actor.ts';
import { AppError } from './errors.ts';

/**
 * Access control has two halves:
 *  - permissions: which roles may perform an action at all (declared per module, checked in routes);
 *  - scope: which rows a caller can see, applied inside repositories so that a forgotten check
 *    cannot leak rows. A row outside the scope is indistinguishable from a missing one (404).
 */

export type PermissionTable = Readonly<Record<string, readonly Role[]>>;

export function definePermissions<const T extends PermissionTable>(table: T): T {
  return table;
}

export class PermissionRegistry {
  private readonly byPermission = new Map<string, ReadonlySet<Role>>();

  register(owner: string, table: PermissionTable): void {
    for (const [permission, roles] of Object.entries(table)) {
      if (this.byPermission.has(permission)) throw new Error(`permission ${permission} declared twice (by ${owner})`);
      this.byPermission.set(permission, new Set(roles));
    }
  }

  allows(role: Role, permission: string): boolean {
    const roles = this.byPermission.get(permission);
    if (!roles) throw new Error(`unknown permission ${permission}`);
    return roles.has(role);
  }

  permissionsOf(role: Role): string[] {
    return [...this.byPermission].filter(([, roles]) => roles.has(role)).map(([p]) => p).sort();
  }

  all(): Map<string, ReadonlySet<Role>> {
    return new Map(this.byPermission);
  }
}

/** Where a caller may look: every row whose region path lies under one of `paths`, or everything. */
export type Scope = { readonly kind: 'all' } | { readonly kind: 'paths'; readonly paths: readonly string[] };

export const UNRESTRICTED: Scope = { kind: 'all' };

export function scopeOf(actor: Actor): Scope {
  if (actor.kind === 'system') return UNRESTRICTED;
  return { kind: 'paths', paths: [actor.assignment.regionPath] };
}

/** ltree containment in JavaScript, for objects already in memory. */
export function pathWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}.`);
}

export function inScope(scope: Scope, path: string | null): boolean {
  if (scope.kind === 'all') return true;
  if (path === null) return false;
  return scope.paths.some((p) => pathWithin(path, p));
}

/**
 * The SQL condition "column lies inside the scope", for repositories. One GiST-indexed
 * `<@` per scope path; an empty scope matches nothing.
 */
export function scopeCondition(column: Expression<string | null> | ReturnType<typeof sql.ref>, scope: Scope): Expression<SqlBool> {
  if (scope.kind === 'all') return sql<SqlBool>`true`;
  if (scope.paths.length === 0) return sql<SqlBool>`false`;
  if (scope.paths.length === 1) return sql<SqlBool>`${column} <@ ${scope.paths[0]}::ltree`;
  return sql<SqlBool>`${column} <@ array[${sql.join(scope.paths.map((p) => sql`${p}::ltree`))}]`;
}

export function requireUser(actor: Actor | null): UserActor {
  if (!actor || actor.kind !== 'user') throw new AppError('UNAUTHENTICATED');
  return actor;
}

export function can(registry: PermissionRegistry, actor: Actor, permission: string): boolean {
  if (actor.kind === 'system') return true;
  return registry.allows(actor.assignment.role, permission);
}

export function requirePermission(registry: PermissionRegistry, actor: Actor, permission: string): void {
  if (!can(registry, actor, permission)) throw new AppError('FORBIDDEN', { permission });
}

/** The signed-in user, if their active role holds the permission (401 / 403 otherwise). */
export function authorize(registry: PermissionRegistry, actor: Actor | null, permission: string): UserActor {
  const user = requireUser(actor);
  requirePermission(registry, user, permission);
  return user;
}

/** Loaded objects outside the scope answer 404, exactly as if they did not exist. */
export function requireInScope<T extends { regionPath: string | null }>(scope: Scope, object: T | undefined | null): T {
  if (!object || !inScope(scope, object.regionPath)) throw new AppError('NOT_FOUND');
  return object;
}
