import { definePermissions } from '../../../platform/access.ts';

export const ledgerReviewPermissions = definePermissions({
  /** Resolving 一数一源 conflicts of persons in the caller's scope: the committee staff and the data steward. */
  'ledger.review': ['social_worker', 'committee_head', 'data_steward'],
  /** Choosing each field's authoritative source (一数一源): district-wide, so the data steward and the administrator. */
  'ledger.authority.manage': ['data_steward', 'admin'],
});

/** A value checked in person by the committee: the source a verified value carries. */
export const VERIFIED_SOURCE = '社工走访';

/** A bulk resolve touches at most this many conflicts: more should be narrowed down by committee first. */
export const BULK_RESOLVE_MAX = 500;

export type ConflictAction = 'keep' | 'accept' | 'verified';
