import { ROLES } from '../../../shared/roles.ts';
import { definePermissions } from '../../platform/access.ts';

/** Everyone has an inbox; each sees only their own. */
export const notificationPermissions = definePermissions({ 'notification.read': ROLES });
