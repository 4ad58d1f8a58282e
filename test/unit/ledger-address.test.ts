import { describe, expect, it } from 'vitest';
import { chineseNumeral, matchAddressToCommittee, matchCommittee, parseAddress, type RegionIndex } from '../../src/server/modules/ledger/address.ts';

describe('Chinese numerals', () => {
  it.each([
    ['五〇二', 502],
    ['三', 3],
    ['十二', 12],
    ['二十三', 23],
    ['一百', 100],
    ['一百零八', 108],
    ['两千', 2000],
  ])('%s → %i', (text, n) => expect(chineseNumeral(text)).toBe(n));
  it('refuses text that is not a numeral', () => expect(chineseNumeral('梅园')).toBeNull());
});

describe('parsing Shanghai addresses', () => {
  it.each([
    ['浦东新区陆家嘴街道梅园一村3号楼2单元502室', { district: '浦东新区', street: '陆家嘴街道', estate: '梅园一村', building: '3', unit: '2', room: '502' }, '梅园一村|3|2|502'],
    ['上海市浦东新区陆家嘴街道梅园一村3号楼2单元502室', { district: '浦东新区', street: '陆家嘴街道', estate: '梅园一村' }, '梅园一村|3|2|502'],
    ['梅园一村三号楼二单元五〇二室', { estate: '梅园一村', building: '3', unit: '2', room: '502' }, '梅园一村|3|2|502'],
    ['梅园一村３号楼２单元５０２室', { estate: '梅园一村', building: '3', unit: '2', room: '502' }, '梅园一村|3|2|502'],
    ['梅园一村 3号楼 2单元 502', { estate: '梅园一村', building: '3', unit: '2', room: '502' }, '梅园一村|3|2|502'],
    ['梅园一村3-2-502', { estate: '梅园一村', building: '3', unit: '2', room: '502' }, '梅园一村|3|2|502'],
    ['梅园一村3幢502室', { estate: '梅园一村', building: '3', room: '502' }, '梅园一村|3||502'],
    ['梅园一村小区3栋502', { estate: '梅园一村', building: '3', room: '502' }, '梅园一村|3||502'],
    ['浦东南路100弄3号502', { road: '浦东南路', lane: '100', building: '3', room: '502' }, '浦东南路100弄|3||502'],
    ['浦东南路一百弄三号五〇二室', { road: '浦东南路', lane: '100', building: '3', room: '502' }, '浦东南路100弄|3||502'],
    ['浦东南路100弄3号502室', { road: '浦东南路', lane: '100', building: '3', room: '502' }, '浦东南路100弄|3||502'],
    ['浦东南路100弄5支弄3号502室', { road: '浦东南路', lane: '100', branchLane: '5', building: '3', room: '502' }, '浦东南路100弄5支弄|3||502'],
    ['东方路800号1203室', { road: '东方路', number: '800', building: null, room: '1203' }, '东方路800号|||1203'],
    ['张江镇科苑路88弄6号101室', { street: '张江镇', road: '科苑路', lane: '88', building: '6', room: '101' }, '科苑路88弄|6||101'],
    ['汇豪天下5号楼3单元1801室', { estate: '汇豪天下', building: '5', unit: '3', room: '1801' }, '汇豪天下|5|3|1801'],
    ['汇豪天下5号楼18层1801室', { estate: '汇豪天下', building: '5', room: '1801' }, '汇豪天下|5||1801'],
  ])('%s', (input, parts, key) => {
    const parsed = parseAddress(input);
    expect(parsed).toMatchObject(parts);
    expect(parsed.dwellingKey).toBe(key);
  });

  it('parses "100弄3号502" and "3号楼502室" without a place, so no dwelling key', () => {
    expect(parseAddress('100弄3号502')).toMatchObject({ lane: '100', building: '3', room: '502', dwellingKey: '100弄|3||502' });
    expect(parseAddress('3号楼502室')).toMatchObject({ building: '3', room: '502', dwellingKey: null, normalized: '3号楼502室' });
  });

  it('gives equal keys and normal forms to the same dwelling written differently', () => {
    const variants = ['梅园一村3号楼2单元502室', '梅园一村三号楼二单元五〇二室', '浦东新区梅园一村３号楼２单元５０２', '梅园一村小区3-2-502'];
    expect(new Set(variants.map((v) => parseAddress(v).dwellingKey))).toEqual(new Set(['梅园一村|3|2|502']));
  });

  it('keeps numerals that belong to a name', () => {
    expect(parseAddress('三林镇三林路10号').street).toBe('三林镇');
    expect(parseAddress('梅园一村1号楼').estate).toBe('梅园一村');
  });
});

const INDEX: RegionIndex = {
  streets: [
    { code: '310115005', name: '陆家嘴街道', path: '310115.005', streetName: null },
    { code: '310115004', name: '潍坊新村街道', path: '310115.004', streetName: null },
    { code: '310115010', name: '沪东新村街道', path: '310115.010', streetName: null },
  ],
  committees: [
    { code: '310115005001', name: '梅园一村居委会', path: '310115.005.001', streetName: '陆家嘴街道' },
    { code: '310115005002', name: '汇豪天下居委会', path: '310115.005.002', streetName: '陆家嘴街道' },
    { code: '310115004001', name: '陈家宅居委会', path: '310115.004.001', streetName: '潍坊新村街道' },
    { code: '310115010001', name: '陈家宅居委会', path: '310115.010.001', streetName: '沪东新村街道' },
    { code: '310115005009', name: '梅园居委会', path: '310115.005.009', streetName: '陆家嘴街道' },
  ],
};

describe('matching to the region tree', () => {
  it('finds a committee named in full, by its short name, or with its street', () => {
    expect(matchCommittee('梅园一村居委会', INDEX)).toMatchObject({ kind: 'matched', region: { code: '310115005001' } });
    expect(matchCommittee('梅园一村', INDEX)).toMatchObject({ kind: 'matched', region: { code: '310115005001' } });
    expect(matchCommittee('潍坊新村街道陈家宅居委会', INDEX)).toMatchObject({ kind: 'matched', region: { code: '310115004001' } });
  });
  it('refuses to guess between committees of the same name in different streets', () => {
    expect(matchCommittee('陈家宅居委会', INDEX)).toMatchObject({ kind: 'ambiguous' });
    expect(matchCommittee('不存在居委会', INDEX)).toEqual({ kind: 'none' });
  });
  it('places an address in the committee whose name it contains, the longest name first', () => {
    expect(matchAddressToCommittee(parseAddress('浦东新区陆家嘴街道梅园一村3号楼2单元502室'), INDEX)).toMatchObject({ kind: 'matched', region: { code: '310115005001' } });
    expect(matchAddressToCommittee(parseAddress('汇豪天下5号楼1801室'), INDEX)).toMatchObject({ kind: 'matched', region: { code: '310115005002' } });
    expect(matchAddressToCommittee(parseAddress('沪东新村街道陈家宅12号101室'), INDEX)).toMatchObject({ kind: 'matched', region: { code: '310115010001' } });
    expect(matchAddressToCommittee(parseAddress('东方路800号1203室'), INDEX)).toEqual({ kind: 'none' });
  });
});
