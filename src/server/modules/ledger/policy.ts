import { definePermissions } from '../../platform/access.ts';
import { parseAddress } from './address.ts';

export const ledgerPermissions = definePermissions({
  /** The ledger in the caller's scope: persons (masked), households, dwellings, statistics. */
  'ledger.read': ['social_worker', 'committee_head', 'street_dispatcher', 'district_operator', 'data_steward', 'admin'],
  /**
   * Residents' names and addresses in full and the sensitive tags (welfare, disability, health,
   * security): the committee staff who care for them and the data steward, not the desks.
   */
  'ledger.personal.read': ['social_worker', 'committee_head', 'data_steward'],
  /** One masked value (ID number, phone) in full, with a reason; audited. */
  'ledger.reveal': ['social_worker', 'committee_head', 'data_steward'],
  /** Importing a department's spreadsheet into the caller's scope. */
  'ledger.import': ['social_worker', 'committee_head', 'data_steward', 'admin'],
});

/** Tag categories only `ledger.personal.read` may see (PIPL: sensitive personal information). */
export const SENSITIVE_TAG_CATEGORIES: ReadonlySet<string> = new Set(['welfare', 'disability', 'health', 'security']);

export type FieldOutcome = 'set' | 'confirmed' | 'replaced' | 'conflict';

export interface SourcedValue {
  value: string | null;
  source: string;
}

/**
 * 一数一源: what a value received from a source does to a field's current value.
 * - no current value: it becomes the value (`set`);
 * - the same value (for addresses: the same dwelling, see `sameValue`): `confirmed` (the
 *   authoritative source confirming takes over as the value's source);
 * - a different value from the field's authoritative source: it replaces the current one;
 * - a different value from the source that gave the current one, when that is not the authority
 *   either: the source corrects itself (`replaced`);
 * - any other different value: the current value stays and a conflict opens for review.
 */
export function decideField(field: string, current: SourcedValue | undefined, incoming: SourcedValue, authority: string | undefined): FieldOutcome {
  if (!current) return 'set';
  if (sameValue(field, current.value, incoming.value)) return 'confirmed';
  if (incoming.source === authority) return 'replaced';
  if (incoming.source === current.source && current.source !== authority) return 'replaced';
  return 'conflict';
}

const ADDRESS_FIELDS: ReadonlySet<string> = new Set(['residence_address', 'hukou_address']);

/**
 * Whether two values of a field say the same thing. Addresses are compared as the dwellings they
 * name, so 梅园一村一号楼一单元五〇一室 and 浦东新区梅园一村1-1-501 agree, and an address that leaves
 * out the 单元 agrees with one that has it (1号楼501室 does not contradict 1号楼1单元501室; a
 * reviewer would not want to be asked). Different rooms, buildings or estates still differ.
 */
export function sameValue(field: string, a: string | null, b: string | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || !ADDRESS_FIELDS.has(field)) return false;
  const x = parseAddress(a);
  const y = parseAddress(b);
  if (x.dwellingKey === null || y.dwellingKey === null) return x.normalized === y.normalized;
  if (x.dwellingKey === y.dwellingKey) return true;
  const [placeX, buildingX, unitX, roomX] = x.dwellingKey.split('|');
  const [placeY, buildingY, unitY, roomY] = y.dwellingKey.split('|');
  return placeX === placeY && buildingX === buildingY && roomX === roomY && (unitX === '' || unitY === '');
}

/** Age in whole years on a day, from YYYY-MM-DD dates. */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** 高龄: 80 or older (Shanghai's 高龄老人 threshold). */
export const ELDERLY_AGE = 80;
