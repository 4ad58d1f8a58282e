import { ROLES } from '../../../shared/roles.ts';
import { definePermissions, requirePermission, type PermissionRegistry } from '../../platform/access.ts';
import type { UserActor } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';

export const categoryPermissions = definePermissions({
  /** Everyone, residents included: residents need the list of categories they may choose. */
  'category.read': ROLES,
  /** The whole catalogue: classes, inactive categories and those residents do not choose. */
  'category.readAll': ROLES.filter((r) => r !== 'resident'),
  /** Creating, editing (a new version), deactivating and reactivating categories. */
  'category.manage': ['admin'],
});

/**
 * The catalogue is installation-wide, so only an administrator scoped at the top of the region
 * tree (the district) may change it; an administrator of one street reads it like everyone else.
 */
export function requireCatalogueManager(permissions: PermissionRegistry, actor: UserActor): void {
  requirePermission(permissions, actor, 'category.manage');
  if (actor.assignment.regionPath.includes('.')) throw new AppError('FORBIDDEN', { permission: 'category.manage', scope: 'district' });
}
