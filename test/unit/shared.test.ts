import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, maskPhone } from '../../src/shared/mask.ts';
import { negotiateLocale } from '../../src/shared/i18n/locale.ts';
import { ERROR_MESSAGES } from '../../src/shared/errors.ts';
import { ROLES, ROLE_LABELS, isRole } from '../../src/shared/roles.ts';

describe('masking of personal data', () => {
  it.each([
    ['310115195001011234', '310***********1234'],
    ['31011519500101123X', '310***********123X'],
    ['1234567', '*******'],
  ])('masks the ID number %s as %s', (input, masked) => expect(maskIdNumber(input)).toBe(masked));

  it.each([
    ['13812345678', '138****5678'],
    ['138-1234-5678', '138****5678'],
    ['021-58881234', '*******1234'],
    ['110', '***'],
  ])('masks the phone %s as %s', (input, masked) => expect(maskPhone(input)).toBe(masked));

  it('keeps the family name only', () => {
    expect(maskName('张伟')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('李')).toBe('李');
  });
});

describe('locale negotiation', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['en', 'en'],
    ['en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
    ['zh-TW,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['fr-FR, en;q=0.5', 'en'],
    ['fr-FR', 'zh-CN'],
    ['en;q=0.2, zh;q=0.9', 'zh-CN'],
  ])('%s → %s', (header, locale) => expect(negotiateLocale(header)).toBe(locale));
});

describe('error catalogue', () => {
  it('has a Chinese and an English message and a 4xx/5xx status for every code', () => {
    for (const [code, entry] of Object.entries(ERROR_MESSAGES)) {
      expect(code).toMatch(/^[A-Z_]+$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(entry.en).toMatch(/^[A-Z]/);
    }
  });
});

describe('roles', () => {
  it('labels every role in both languages', () => {
    expect(ROLES).toHaveLength(11);
    for (const role of ROLES) expect(ROLE_LABELS[role]['zh-CN'].length).toBeGreaterThan(0);
    expect(isRole('admin')).toBe(true);
    expect(isRole('root')).toBe(false);
  });
});
