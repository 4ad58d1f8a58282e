import { ROLES } from '../../../shared/roles.ts';
import { definePermissions } from '../../platform/access.ts';

export const departmentPermissions = definePermissions({
  'department.read': ROLES.filter((r) => r !== 'resident'),
  'department.manage': ['admin', 'district_operator'],
});
