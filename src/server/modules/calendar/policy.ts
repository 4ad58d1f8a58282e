import { ROLES } from '../../../shared/roles.ts';
import { definePermissions } from '../../platform/access.ts';

export const calendarPermissions = definePermissions({
  /** Staff see the holiday schedule and working hours and preview deadlines; residents do not. */
  'calendar.read': ROLES.filter((r) => r !== 'resident'),
  /**
   * Entering a year's schedule and changing the working hours. The calendar is installation-wide,
   * so the route also requires the assignment to sit at the top of the region tree.
   */
  'calendar.manage': ['admin'],
});
