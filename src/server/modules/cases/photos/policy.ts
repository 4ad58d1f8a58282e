import { ROLES } from '../../../../shared/roles.ts';
import { definePermissions } from '../../../platform/access.ts';

/**
 * Every role may add photos — but only to a case it can see (residents their own reports,
 * handlers their unit's cases, staff their region: `findCase`) and only while the case is open
 * (not closed, not rejected). Reading photos needs `case.read` and the same visibility.
 */
export const photoPermissions = definePermissions({
  'case.photo.add': ROLES,
});
