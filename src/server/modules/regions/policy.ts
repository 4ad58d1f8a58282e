import { ROLES } from '../../../shared/roles.ts';
import { definePermissions } from '../../platform/access.ts';

export const regionPermissions = definePermissions({
  /** Everyone sees the region tree inside their own scope. */
  'region.read': ROLES,
  /** Adding, renaming and removing grids and buildings under a committee. */
  'region.manage': ['admin', 'district_operator', 'street_dispatcher', 'committee_head'],
});
