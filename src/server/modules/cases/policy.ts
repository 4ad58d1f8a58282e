import { ROLES } from '../../../shared/roles.ts';
import { definePermissions } from '../../platform/access.ts';

/**
 * Everyone may report and read cases; what each person sees is decided by the repository
 * (residents their own reports, handlers their unit's cases, staff their region), and what each
 * may do next by the state machine in workflow.ts.
 */
export const casePermissions = definePermissions({
  'case.report': ROLES,
  'case.read': ROLES,
  // 12345 intake: the operations centres' operators and the street desks take calls.
  'case.hotline': ['street_dispatcher', 'district_operator', 'admin'],
  // auto-dispatch: the desks see which categories skip them; district administrators decide
  'case.autoDispatch.read': ['street_dispatcher', 'district_operator', 'committee_head', 'admin'],
  'case.autoDispatch.manage': ['admin'],
  // 回访: the desk and the hotline's operators call callers back; each full number shown is audited.
  'case.revealCaller': ['street_dispatcher', 'district_operator', 'committee_head', 'admin'],
});
