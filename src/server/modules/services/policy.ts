import { definePermissions } from '../../platform/access.ts';

export const servicePermissions = definePermissions({
  /** The catalogue: every signed-in role sees the services that concern its region (residents too). */
  'services.read': ['resident', 'social_worker', 'committee_head', 'street_dispatcher', 'department_handler', 'district_operator', 'provider', 'party_org', 'data_steward', 'device_maintainer', 'admin'],
  /**
   * Writing services and their rules: the data steward (who keeps the ledger the rules read) and
   * administrators, at district level; a street's own services by its dispatcher desk is left out
   * on purpose (policy is set by departments, not by the desks).
   */
  'services.manage': ['data_steward', 'admin'],
  /** Who is eligible, by service and region (masked): committee and street staff, the district, the steward. */
  'services.eligible.read': ['social_worker', 'committee_head', 'street_dispatcher', 'district_operator', 'data_steward', 'admin'],
  /** The 待走访 worklist, visits, uptake changes, confirming a resident's identity in person, recording a written 代办. */
  'services.worklist': ['social_worker', 'committee_head'],
  /** One's own menu (and, with an authorisation, the menu of the person one acts for). */
  'services.menu': ['resident', 'social_worker', 'committee_head'],
});
