import type { Role } from '../../shared/roles.ts';

export interface RoleAssignment {
  id: string;
  role: Role;
  regionCode: string;
  regionPath: string;
  regionName: string;
  departmentId: string | null;
  departmentName: string | null;
}

/** A signed-in person acting through one of their role assignments (the active scope). */
export interface UserActor {
  kind: 'user';
  userId: string;
  username: string;
  displayName: string;
  sessionId: string;
  assignment: RoleAssignment;
  assignments: RoleAssignment[];
}

/** The platform itself: CLI commands, seeds, background jobs. Never reachable over HTTP. */
export interface SystemActor {
  kind: 'system';
  name: string;
}

export type Actor = UserActor | SystemActor;

export const systemActor = (name: string): SystemActor => ({ kind: 'system', name });
