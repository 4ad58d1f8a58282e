import { definePermissions } from '../../platform/access.ts';

export const rulePermissions = definePermissions({
  /** The effective rules, overrides and their history, and dry runs, in the caller's scope. */
  'rule.read': ['street_dispatcher', 'committee_head', 'social_worker', 'district_operator', 'device_maintainer', 'admin'],
  /** Adding, changing and removing overrides and custom rules in the caller's scope. */
  'rule.manage': ['device_maintainer', 'district_operator', 'admin'],
});

/** Region levels a rule may be set at (besides single devices): a street or a committee. */
export const RULE_REGION_LEVELS: readonly string[] = ['street', 'committee'];

/** A dry run replays at most this long a period, and at most this many readings. */
export const DRY_RUN_MAX_DAYS = 31;
export const DRY_RUN_MAX_READINGS = 50_000;
/** The one-minute job's ticks are replayed at most this many times over a period (at least every 5 minutes). */
export const DRY_RUN_MAX_TICKS = 600;
