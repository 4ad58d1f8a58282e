import { ROLES } from '../../../shared/roles.ts';
import { definePermissions } from '../../platform/access.ts';

export const devicePermissions = definePermissions({
  /** The device registry, in the caller's region scope: every staff role, not residents. */
  'device.read': ROLES.filter((r) => r !== 'resident'),
  /** Registering, editing, retiring devices and issuing their credentials, in the caller's scope. */
  'device.manage': ['device_maintainer', 'admin'],
});

export const DEVICE_STATES = ['active', 'maintenance', 'retired'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

/** Region levels a device may be placed at: a committee (居村委), or a grid or building inside one. */
export const DEVICE_REGION_LEVELS: readonly string[] = ['committee', 'grid', 'building'];

export const EXPECTED_INTERVAL_MIN_S = 10;
export const EXPECTED_INTERVAL_MAX_S = 7 * 24 * 3600;
