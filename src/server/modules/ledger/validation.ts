/**
 * Checks and normalisations of the values departments' spreadsheets carry. Pure functions: each
 * answers the normalised value or the reason it is not one, never throws.
 */

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = <T>(reason: string): Checked<T> => ({ ok: false, reason });

/** Full-width digits, letters and punctuation (０-９, Ｘ, －, ／, the ideographic space) to ASCII. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Trimmed, half-width, inner whitespace collapsed; zero-width characters Excel users paste in removed. */
export function cleanCell(text: string): string {
  return toHalfWidth(text)
    .replace(/[\u200B-\u200D\uFEFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---- dates ----------------------------------------------------------------------------------------

function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1850 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

/**
 * An Excel serial day number (the 1900 date system) to YYYY-MM-DD. Excel counts 1900-02-29, a day
 * that never was (Lotus 1-2-3's bug), so serials from 61 on are one day ahead of the real count.
 */
export function excelSerialToDate(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2_958_466) return null;
  const whole = Math.floor(serial);
  if (whole === 60) return null; // the non-existent 1900-02-29
  const days = whole < 60 ? whole - 1 : whole - 2;
  return new Date(Date.UTC(1900, 0, 1) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A date as Excel and people write it: 1950-01-02, 1950/1/2, 1950.1.2, 19500102, 1950年1月2日,
 * an Excel serial (18265) or a date-time (1950-01-02 00:00:00, 1950-01-02T00:00:00.000Z).
 */
export function parseDate(input: string): Checked<string> {
  const text = cleanCell(input);
  if (text === '') return fail('empty');
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (m) {
    const iso = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return iso ? ok(iso) : fail(`no such date: ${text}`);
  }
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) {
    const iso = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return iso ? ok(iso) : fail(`no such date: ${text}`);
  }
  if (/^\d{1,7}(\.\d+)?$/.test(text)) {
    const iso = excelSerialToDate(Number(text));
    return iso ? ok(iso) : fail(`not a date: ${text}`);
  }
  return fail(`not a date: ${text}`);
}

// ---- ID numbers (GB 11643-1999) -----------------------------------------------------------------

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The check character of the first 17 digits of an ID number (ISO 7064 MOD 11-2). */
export function idCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export type Sex = 'male' | 'female';

export interface IdNumber {
  /** The 18-character number (a 15-digit one upgraded), upper-case X. */
  number: string;
  birthDate: string;
  sex: Sex;
  /** The number was a 15-digit first-generation one and has been upgraded. */
  upgraded: boolean;
}

/**
 * Checks a resident ID number: 18 characters with a valid check character, or the 15-digit numbers
 * issued before 1999 (birth year 19yy, no check character), which are upgraded to 18. The birth date
 * must exist and not lie in the future; the sex is the parity of the sequence number.
 */
export function parseIdNumber(input: string, today: Date = new Date()): Checked<IdNumber> {
  const text = cleanCell(input).replace(/[\s-]/g, '').toUpperCase();
  if (text === '') return fail('empty');
  let number: string;
  let upgraded = false;
  if (/^\d{15}$/.test(text)) {
    const first17 = `${text.slice(0, 6)}19${text.slice(6)}`;
    number = first17 + idCheckDigit(first17);
    upgraded = true;
  } else if (/^\d{17}[\dX]$/.test(text)) {
    number = text;
    if (idCheckDigit(number.slice(0, 17)) !== number[17]) return fail(`the check digit of ${text} is wrong (GB 11643)`);
  } else {
    return fail(`an ID number has 18 characters (or 15 digits): ${text}`);
  }
  const birthDate = isoDate(Number(number.slice(6, 10)), Number(number.slice(10, 12)), Number(number.slice(12, 14)));
  if (!birthDate) return fail(`the birth date in ${text} does not exist`);
  if (birthDate > today.toISOString().slice(0, 10)) return fail(`the birth date in ${text} lies in the future`);
  const sex: Sex = Number(number[16]) % 2 === 1 ? 'male' : 'female';
  return ok({ number, birthDate, sex, upgraded });
}

export function parseSex(input: string): Checked<Sex> {
  const text = cleanCell(input).toLowerCase();
  if (['男', 'm', 'male', '1', '男性'].includes(text)) return ok('male');
  if (['女', 'f', 'female', '2', '女性'].includes(text)) return ok('female');
  return fail(`not a sex: ${input}`);
}

// ---- phone numbers ------------------------------------------------------------------------------

export interface Phone {
  /** Mobile: 11 digits. Landline: 021 and the 8-digit number, extension after "-". */
  number: string;
  kind: 'mobile' | 'landline';
}

/**
 * Mainland mobile numbers (1[3-9]x, 11 digits; +86 / 0086 stripped) and Shanghai landlines
 * (8 digits, with or without 021; an extension as 转 123 or -123). Other cities' landlines keep
 * their area code (0 + 2–3 digits, 7–8 digits).
 */
export function parsePhone(input: string): Checked<Phone> {
  let text = cleanCell(input).replace(/[()（）\s]/g, '').replace(/转/g, '-');
  if (text === '') return fail('empty');
  text = text.replace(/^(\+86|0086)-?/, '');
  const digitsOnly = text.replace(/-/g, '');
  if (/^1[3-9]\d{9}$/.test(digitsOnly)) return ok({ number: digitsOnly, kind: 'mobile' });
  // Area codes: 010 and 02x have three digits, the rest four.
  const landline = /^(?:(010|02\d|0[3-9]\d{2})-?)?([2-9]\d{6,7})(?:-(\d{1,5}))?$/.exec(text);
  if (landline) {
    const area = landline[1] ?? '021';
    const local = landline[2]!;
    if (area === '021' && local.length !== 8) return fail(`a Shanghai number has 8 digits: ${input}`);
    return ok({ number: `${area}-${local}${landline[3] ? `-${landline[3]}` : ''}`, kind: 'landline' });
  }
  return fail(`not a mobile or landline number: ${input}`);
}
