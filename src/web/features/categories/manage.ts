import { useSession } from '../../session.tsx';

/**
 * Whether the signed-in role may change an installation-wide catalogue (the category catalogue,
 * the working calendar): it needs the permission **and** an assignment at the top of the region
 * tree, as the server checks (an administrator of one street reads like everyone else).
 */
export function useCanManageInstallation(permission: 'category.manage' | 'calendar.manage'): boolean {
  const me = useSession();
  return me.permissions.includes(permission) && !me.assignment.regionPath.includes('.');
}
