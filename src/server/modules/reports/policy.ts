import { definePermissions } from '../../platform/access.ts';

export const reportPermissions = definePermissions({
  /**
   * Generating the ledger's reports for a region in scope, their runs and downloads. What a report
   * shows still follows the ledger's rules: masked numbers, and sensitive reports only for the
   * roles with `ledger.personal.read`. Department handlers download what is pushed to them.
   */
  'reports.read': ['social_worker', 'committee_head', 'street_dispatcher', 'department_handler', 'district_operator', 'data_steward', 'admin'],
  /** Designing templates: new templates and new versions, and previews of a draft. */
  'reports.design': ['committee_head', 'district_operator', 'data_steward', 'admin'],
  /** Monthly schedules that generate a report and push it to a department. */
  'reports.schedule': ['committee_head', 'street_dispatcher', 'district_operator', 'data_steward', 'admin'],
});
