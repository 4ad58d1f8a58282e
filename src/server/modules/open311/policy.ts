import { definePermissions, requirePermission, type PermissionRegistry } from '../../platform/access.ts';
import type { UserActor } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';

/**
 * Who may do what with Open311. The public GETs need nobody; POST requests needs an api_key,
 * whose integration account is the reporter of the case. Issuing and revoking keys is for
 * administrators scoped at the district (keys are installation-wide, like the catalogue).
 */
export const open311Permissions = definePermissions({
  'open311.manageKeys': ['admin'],
});

export function requireKeyManager(permissions: PermissionRegistry, actor: UserActor): void {
  requirePermission(permissions, actor, 'open311.manageKeys');
  if (actor.assignment.regionPath.includes('.')) throw new AppError('FORBIDDEN', { permission: 'open311.manageKeys', scope: 'district' });
}

/** The role of an integration account: the least a reporter needs (reports, sees its own reports). */
export const INTEGRATION_ROLE = 'resident';

/**
 * The same rectangle around Pudong the case API accepts for coordinates (POST /api/cases).
 * It is a plausibility check, not a boundary: the platform has no polygons for Pudong, its
 * streets or committees, so coordinates never decide where a case is placed.
 */
export const PUDONG_BOUNDS = { minLat: 30.85, maxLat: 31.4, minLng: 121.45, maxLng: 122.05 } as const;

export function insidePudong(lat: number, lng: number): boolean {
  const b = PUDONG_BOUNDS;
  return lat >= b.minLat && lat <= b.maxLat && lng >= b.minLng && lng <= b.maxLng;
}

/** Open311 knows two statuses: a case that is closed, rejected or merged into another (a duplicate) is `closed`, everything else `open`. */
export const CLOSED_STATUSES = ['closed', 'rejected', 'merged'] as const;

export function open311Status(status: string): 'open' | 'closed' {
  return (CLOSED_STATUSES as readonly string[]).includes(status) ? 'closed' : 'open';
}

/**
 * The timeline entries whose note is public as `status_notes`: what the desk or the unit says
 * about the case (a rejection's reason, a work note, the handling result). Reasons of internal
 * steps (return, transfer, extension requests) and the reporter's own words (verification,
 * rating, reopening) are not published.
 */
export const PUBLIC_NOTE_ACTIONS = ['reject', 'note', 'handled'] as const;

/** Published free text is scrubbed of mobile and ID numbers (shared with the similar-cases list). */
export { scrubPersonalData } from '../../../shared/mask.ts';
