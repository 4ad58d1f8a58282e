import { describe, expect, it } from 'vitest';
import { excelSerialToDate, idCheckDigit, parseDate, parseIdNumber, parsePhone, parseSex, toHalfWidth } from '../../src/server/modules/ledger/validation.ts';

const TODAY = new Date('2026-12-01T00:00:00Z');

describe('GB 11643 ID numbers', () => {
  it('computes the check character (MOD 11-2), including X', () => {
    expect(idCheckDigit('11010519491231002')).toBe('X'); // the standard's own example
    expect(idCheckDigit('44052418800101001')).toBe('4');
  });

  it('accepts a valid number and reads birth date and sex from it', () => {
    expect(parseIdNumber('11010519491231002X', TODAY)).toEqual({ ok: true, value: { number: '11010519491231002X', birthDate: '1949-12-31', sex: 'female', upgraded: false } });
    expect(parseIdNumber(' 11010519491231002x ', TODAY)).toMatchObject({ ok: true, value: { number: '11010519491231002X' } });
    expect(parseIdNumber('１１０１０５１９４９１２３１００２Ｘ', TODAY)).toMatchObject({ ok: true, value: { number: '11010519491231002X' } });
  });

  it('refuses a wrong check digit, a non-existent or future birth date and wrong lengths', () => {
    expect(parseIdNumber('110105194912310021', TODAY)).toMatchObject({ ok: false, reason: expect.stringContaining('check digit') });
    const feb30 = `31011519500230123`;
    expect(parseIdNumber(feb30 + idCheckDigit(feb30), TODAY)).toMatchObject({ ok: false, reason: expect.stringContaining('does not exist') });
    const future = `31011520300101123`;
    expect(parseIdNumber(future + idCheckDigit(future), TODAY)).toMatchObject({ ok: false, reason: expect.stringContaining('future') });
    expect(parseIdNumber('3101151950010112', TODAY).ok).toBe(false);
    expect(parseIdNumber('abc', TODAY).ok).toBe(false);
    expect(parseIdNumber('', TODAY)).toEqual({ ok: false, reason: 'empty' });
  });

  it('upgrades a 15-digit first-generation number to 18 with its check character', () => {
    const result = parseIdNumber('310115500101123', TODAY);
    expect(result).toEqual({ ok: true, value: { number: `31011519500101123${idCheckDigit('31011519500101123')}`, birthDate: '1950-01-01', sex: 'male', upgraded: true } });
  });
});

describe('dates as Excel produces them', () => {
  it.each([
    ['1950-01-02', '1950-01-02'],
    ['1950/1/2', '1950-01-02'],
    ['1950.01.02', '1950-01-02'],
    ['1950年1月2日', '1950-01-02'],
    ['19500102', '1950-01-02'],
    ['1950-01-02 00:00:00', '1950-01-02'],
    ['1950-01-02T00:00:00.000Z', '1950-01-02'],
    ['18264', '1950-01-01'],
    ['18265', '1950-01-02'],
    ['１９５０－０１－０２', '1950-01-02'],
  ])('%s → %s', (input, expected) => expect(parseDate(input)).toEqual({ ok: true, value: expected }));

  it('converts serials around the 1900 leap-year bug', () => {
    expect(excelSerialToDate(1)).toBe('1900-01-01');
    expect(excelSerialToDate(59)).toBe('1900-02-28');
    expect(excelSerialToDate(60)).toBeNull();
    expect(excelSerialToDate(61)).toBe('1900-03-01');
    expect(excelSerialToDate(45292)).toBe('2024-01-01');
    expect(excelSerialToDate(45292.75)).toBe('2024-01-01');
  });

  it.each(['1950-02-30', '1950-13-01', 'yesterday', '0', '12/31'])('refuses %s', (input) => expect(parseDate(input).ok).toBe(false));
});

describe('phone numbers', () => {
  it.each([
    ['13812345678', '13812345678', 'mobile'],
    ['138-1234-5678', '13812345678', 'mobile'],
    ['+86 138 1234 5678', '13812345678', 'mobile'],
    ['１３８１２３４５６７８', '13812345678', 'mobile'],
    ['58881234', '021-58881234', 'landline'],
    ['021-58881234', '021-58881234', 'landline'],
    ['02158881234', '021-58881234', 'landline'],
    ['(021)58881234转123', '021-58881234-123', 'landline'],
    ['010-62345678', '010-62345678', 'landline'],
  ])('%s → %s (%s)', (input, number, kind) => expect(parsePhone(input)).toEqual({ ok: true, value: { number, kind } }));

  it.each(['12812345678', '1381234567', '021-5888123', '110', 'none'])('refuses %s', (input) => expect(parsePhone(input).ok).toBe(false));
});

describe('sex and full-width text', () => {
  it('reads the ways sex is written', () => {
    expect(parseSex('男')).toEqual({ ok: true, value: 'male' });
    expect(parseSex('女性')).toEqual({ ok: true, value: 'female' });
    expect(parseSex('未知').ok).toBe(false);
  });
  it('turns full-width digits, letters and spaces half-width', () => expect(toHalfWidth('３号楼\u3000５０２室ＡＢ')).toBe('3号楼 502室AB'));
});
