import type { Role } from '../../../shared/roles.ts';
import { definePermissions } from '../../platform/access.ts';

/** Committee staff run their committee's self-governance; the desks above them may publish and watch. */
export const CIVIC_COMMITTEE_ROLES: readonly Role[] = ['committee_head', 'social_worker'];
const CIVIC_STAFF_ROLES: readonly Role[] = [...CIVIC_COMMITTEE_ROLES, 'street_dispatcher', 'district_operator', 'admin'];

export const civicPermissions = definePermissions({
  /** Notices: residents read the ones addressed to them; staff read their scope's with receipts. */
  'notice.read': ['resident', ...CIVIC_STAFF_ROLES],
  /** Read receipts are a resident's: opening a notice addressed to them. */
  'notice.receive': ['resident'],
  /** Committees and streets publish (and withdraw) notices to residents of their scope. */
  'notice.publish': [...CIVIC_COMMITTEE_ROLES, 'street_dispatcher', 'admin'],
  'proposal.read': ['resident', ...CIVIC_STAFF_ROLES],
  /** Propose, comment, support, vote: residents only, inside their committee or building. */
  'proposal.participate': ['resident'],
  /** Open a vote, record the accountability (responsible party, milestones, progress), turn hotspots into proposals, set the threshold. */
  'proposal.manage': [...CIVIC_COMMITTEE_ROLES, 'admin'],
  /** Register as a volunteer, sign up for tasks, see one's own points, redeem rewards. */
  'volunteer.participate': ['resident'],
  /** Volunteers (masked), tasks, check-in/out, rewards, redemptions. */
  'volunteer.manage': [...CIVIC_COMMITTEE_ROLES, 'admin'],
  'volunteer.read': ['resident', ...CIVIC_STAFF_ROLES],
});
