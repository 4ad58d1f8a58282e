import { definePermissions } from '../../../platform/access.ts';

export const linkagePermissions = definePermissions({
  /** Deciding whether two ledger persons are one (and undoing a merge): the committee staff who know them, and the data steward. */
  'ledger.match.review': ['social_worker', 'committee_head', 'data_steward'],
  /** Starting a linkage run over the whole ledger by hand (it also runs after every import). */
  'ledger.linkage.run': ['data_steward', 'admin'],
});
