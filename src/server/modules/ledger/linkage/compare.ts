import * as OpenCC from 'opencc-js/t2cn';
import { pinyin } from 'pinyin-pro';
import { parseAddress } from '../address.ts';

/**
 * The comparison of two ledger persons, Fellegi–Sunter style: each feature agrees in one of a few
 * ways, each way carries a weight (about log2 of how much likelier it is for the same person than
 * for two different ones), and the score is their sum. Pure functions, no database.
 *
 * The weights were set by hand from those odds and checked on the synthetic population
 * (synthetic.ts) against its known truth; see the README for the precision and recall they give.
 */

export interface LinkRecord {
  name: string;
  birthDate: string | null;
  sex: 'male' | 'female' | null;
  phone: string | null;
  idNumber: string | null;
  /** The residence address as received (free text). */
  address: string | null;
  dwellingId: string | null;
}

export type NameAgreement = 'exact' | 'variant' | 'homophone' | 'similar' | 'different';
export type DateAgreement = 'exact' | 'swapped' | 'close' | 'different' | 'missing';
export type SameAgreement = 'same' | 'different' | 'missing';
export type AddressAgreement = 'same' | 'building' | 'different' | 'missing';

export interface Evidence {
  name: NameAgreement;
  birthDate: DateAgreement;
  sex: SameAgreement;
  phone: SameAgreement;
  address: AddressAgreement;
}

export const WEIGHTS = {
  name: { exact: 7, variant: 6.5, homophone: 5, similar: 1.5, different: -9 },
  birthDate: { exact: 8, swapped: 4, close: 0.5, different: -9, missing: 0 },
  sex: { same: 0.5, different: -8, missing: 0 },
  phone: { same: 7, different: -1, missing: 0 },
  address: { same: 4, building: 1, different: -2, missing: 0 },
} as const satisfies { [F in keyof Evidence]: Record<Evidence[F], number> };

/** At or above: merged without asking. Below it and at or above REVIEW: queued for a person to decide. */
export const AUTO_MERGE_SCORE = 18;
export const REVIEW_SCORE = 11;

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

/** 陳國華 → 陈国华; spaces and the dots of minority names (·) removed. */
export function simplifiedName(name: string): string {
  return toSimplified(name.replace(/[\s·•・.]/g, ''));
}

/** The toneless pinyin of a name, syllables joined by spaces: 张玮 and 张伟 → "zhang wei". */
export function namePinyin(name: string): string {
  return pinyin(simplifiedName(name), { toneType: 'none', type: 'array', nonZh: 'consecutive' }).join(' ').toLowerCase();
}

/** Jaro–Winkler similarity of two strings, 0 to 1. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i += 1) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j += 1) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = bMatched[j] = true;
      matches += 1;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < a.length; i += 1) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j += 1;
    if (a[i] !== b[j]) transpositions += 1;
    j += 1;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < Math.min(4, a.length, b.length) && a[prefix] === b[prefix]) prefix += 1;
  return jaro + prefix * 0.1 * (1 - jaro);
}

export function compareNames(a: string, b: string): NameAgreement {
  if (a === b) return 'exact';
  const sa = simplifiedName(a);
  const sb = simplifiedName(b);
  if (sa === sb) return 'variant';
  const pa = namePinyin(sa);
  const pb = namePinyin(sb);
  if (pa === pb) return 'homophone';
  // the same family name, one character of the given name off by a sound people blur (玲 ling / 琳 lin)
  const ca = [...sa];
  const cb = [...sb];
  if (ca.length !== cb.length || ca[0] !== cb[0]) return 'different';
  const differing = ca.map((c, i) => i).filter((i) => ca[i] !== cb[i]);
  if (differing.length === 1) {
    const i = differing[0]!;
    if (jaroWinkler(pa.split(' ')[i] ?? '', pb.split(' ')[i] ?? '') >= 0.9) return 'similar';
  }
  return 'different';
}

export function compareBirthDates(a: string | null, b: string | null): DateAgreement {
  if (!a || !b) return 'missing';
  if (a === b) return 'exact';
  const [ya, ma, da] = a.split('-');
  const [yb, mb, db] = b.split('-');
  if (ya === yb && ma === db && da === mb) return 'swapped';
  // one digit off (a typo) or the same year and month
  const differing = [...a].filter((c, i) => c !== b[i]).length;
  if (differing === 1 || (ya === yb && ma === mb)) return 'close';
  return 'different';
}

function compareSame<T>(a: T | null, b: T | null): SameAgreement {
  if (a === null || b === null) return 'missing';
  return a === b ? 'same' : 'different';
}

/** The place (estate, or road + lane + number), building, unit and room of an address, as comparable parts. */
export interface AddressParts {
  place: string;
  building: string | null;
  unit: string | null;
  room: string | null;
}

export function addressParts(address: string): AddressParts | null {
  const parsed = parseAddress(address);
  if (!parsed.dwellingKey) return null;
  const [place, building, unit, room] = parsed.dwellingKey.split('|');
  return { place: place!, building: building || null, unit: unit || null, room: room || null };
}

/**
 * The same dwelling when the place, building and room agree; a missing unit is not a disagreement
 * (one department writes 3号楼502室, another 3号楼2单元502室).
 */
export function compareAddresses(a: LinkRecord, b: LinkRecord, parts: (address: string) => AddressParts | null = addressParts): AddressAgreement {
  if (a.dwellingId && a.dwellingId === b.dwellingId) return 'same';
  if (!a.address || !b.address) return 'missing';
  const pa = parts(a.address);
  const pb = parts(b.address);
  if (!pa || !pb) return a.address === b.address ? 'same' : 'missing';
  if (pa.place !== pb.place || pa.building !== pb.building) return 'different';
  const unitsAgree = !pa.unit || !pb.unit || pa.unit === pb.unit;
  return pa.room === pb.room && unitsAgree ? 'same' : 'building';
}

export function compare(a: LinkRecord, b: LinkRecord, parts?: (address: string) => AddressParts | null): { score: number; evidence: Evidence } {
  const evidence: Evidence = {
    name: compareNames(a.name, b.name),
    birthDate: compareBirthDates(a.birthDate, b.birthDate),
    sex: compareSame(a.sex, b.sex),
    phone: compareSame(a.phone, b.phone),
    address: compareAddresses(a, b, parts),
  };
  const score =
    WEIGHTS.name[evidence.name] + WEIGHTS.birthDate[evidence.birthDate] + WEIGHTS.sex[evidence.sex] + WEIGHTS.phone[evidence.phone] + WEIGHTS.address[evidence.address];
  return { score, evidence };
}

export type Decision = 'merge' | 'review' | 'none';

/**
 * What to do with a scored pair. Two different valid ID numbers are two people whatever else
 * agrees (the ledger keeps one person per ID number); a pair that disagrees on sex is never merged
 * without a person looking at it.
 */
export function decide(a: LinkRecord, b: LinkRecord, score: number, evidence: Evidence): Decision {
  if (a.idNumber && b.idNumber && a.idNumber !== b.idNumber) return 'none';
  if (score >= AUTO_MERGE_SCORE && evidence.sex !== 'different') return 'merge';
  if (score >= REVIEW_SCORE) return 'review';
  return 'none';
}
