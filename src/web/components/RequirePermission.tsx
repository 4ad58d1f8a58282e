import type { ReactNode } from 'react';
import { useCan } from '../session.tsx';
import type { Permission } from '../types.ts';
import { ForbiddenPage } from './StatusPages.tsx';

/** Renders the page only for roles that hold the permission (the menu hides it for the others). */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const can = useCan();
  return can(permission) ? children : <ForbiddenPage />;
}
