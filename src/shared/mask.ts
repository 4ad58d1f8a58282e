/**
 * Masking of sensitive personal information (PIPL): shown masked by default,
 * in full only to a role that may, with a reason, and audited.
 */

/** 身份证号 310***********1234: keep the first three and the last four characters. */
export function maskIdNumber(value: string): string {
  if (value.length <= 7) return '*'.repeat(value.length);
  return value.slice(0, 3) + '*'.repeat(value.length - 7) + value.slice(-4);
}

/** Mobile 138****1234; landlines keep their last four digits. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\s|-/g, '');
  if (/^1\d{10}$/.test(digits)) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return '*'.repeat(digits.length - 4) + digits.slice(-4);
}

/** Chinese names keep the family name: 张*, 欧阳**. */
export function maskName(value: string): string {
  const chars = [...value];
  if (chars.length <= 1) return value;
  return chars[0] + '*'.repeat(chars.length - 1);
}

/**
 * A last guard on free text that is shown to other people (Open311, the similar-cases list):
 * mobile numbers and 18-character ID numbers are masked, whatever the text's author typed into it.
 */
export function scrubPersonalData(text: string): string {
  return text
    .replace(/(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g, (_m, a: string, _b: string, c: string) => `${a}****${c}`)
    .replace(/(?<![\dXx])(\d{3})\d{11}(\d{3}[\dXx])(?![\dXx])/g, (_m, a: string, b: string) => `${a}***********${b}`);
}
