import { describe, expect, it } from 'vitest';
import { decideField, ageOn, sameValue } from '../../src/server/modules/ledger/policy.ts';
import { neutralizeCell } from '../../src/server/modules/ledger/report.ts';
import { detectMapping, likelyHeader, prepareRow, type RowContext, type TagEntry } from '../../src/server/modules/ledger/rows.ts';
import { sniffSheet } from '../../src/server/modules/ledger/sheet.ts';
import { encodeGbk, syntheticPerson } from '../helpers/ledger-data.ts';

const TAGS: TagEntry[] = [
  { code: 'elderly', name: '高龄', derived: true },
  { code: 'dibao', name: '低保', derived: false },
  { code: 'disability', name: '残疾', derived: false },
];
const COMMITTEE = { code: '310115005001', name: '梅园一村居委会', path: '310115.310115005.310115005001', streetName: '陆家嘴街道' };
const rows = (...cells: string[][]) => cells.map((c, i) => ({ number: i + 1, cells: c }));

describe('header detection', () => {
  it('finds the header under a merged title row and maps the common Chinese headers', () => {
    const mapping = detectMapping(
      rows(['2026年梅园一村高龄老人名单', '', ''], ['制表单位：梅园一村居委会', '', ''], ['序号', '姓名', '公民身份号码(必填)', '性别', '出生年月', '手机', '现住址', '所属居委', '是否低保', '高龄', '备注']),
      TAGS,
    );
    expect(mapping).toMatchObject({
      headerRow: 3,
      // 高龄 is derived from the birth date: a 高龄 column is not taken as a source
      targets: ['ignore', 'name', 'id_number', 'sex', 'birth_date', 'phone', 'residence_address', 'committee', 'tag.dibao', null, 'note'],
    });
  });

  it('needs a name column and one more; a saved mapping overrides', () => {
    expect(detectMapping(rows(['姓名'], ['张三']), TAGS)).toBeNull();
    expect(detectMapping(rows(['a', 'b', 'c']), TAGS)).toBeNull();
    expect(detectMapping(rows(['居民', '证件', '住处']), TAGS, { 居民: 'name', 证件: 'id_number' })).toMatchObject({ headerRow: 1, targets: ['name', 'id_number', null] });
  });

  it('applies a mapping to a header written with brackets or an asterisk, as the preview shows and saves it', () => {
    const mapping = detectMapping(rows(['姓名', '证件号（18位）*', '移动 电话：']), TAGS, { '证件号(18位)*': 'id_number', '移动电话:': 'phone' });
    expect(mapping).toMatchObject({ headers: ['姓名', '证件号(18位)*', '移动 电话:'], targets: ['name', 'id_number', 'phone'] });
  });

  it('offers the first of the fullest rows to map by hand when no header is recognised', () => {
    expect(likelyHeader(rows(['名单', '', ''], ['居民', ' 证件（18位）', '住处'], ['张三', '310115195001011234', '梅园一村']))).toEqual({ row: 2, headers: ['居民', '证件(18位)', '住处'] });
    expect(likelyHeader(rows(['', '']))).toBeNull();
  });

  it('takes the first of two columns of the same kind', () => {
    expect(detectMapping(rows(['姓名', '电话', '手机']), TAGS)?.targets).toEqual(['name', 'phone', null]);
  });
});

describe('row preparation', () => {
  const mapping = detectMapping(rows(['记录编号', '姓名', '身份证号', '性别', '出生日期', '联系电话', '居住地址', '人员类别', '低保']), TAGS)!;
  const context: RowContext = { mapping, regions: { streets: [], committees: [COMMITTEE] }, tags: TAGS, defaultCommittee: COMMITTEE, today: new Date('2026-12-01') };
  const p = syntheticPerson(11, '1940-02-03');

  it('normalises a good row and derives sex and birth date from the ID number', () => {
    const outcome = prepareRow('民政', 2, ['MZ-1', ` ${p.name} `, p.idNumber.toLowerCase(), '', '', '139 0000 0011', '梅园一村3号楼502室', '残疾、低保', '是'], context);
    expect(outcome.kind).toBe('ready');
    if (outcome.kind !== 'ready') return;
    expect(outcome.row).toMatchObject({
      recordKey: 'MZ-1',
      values: { name: p.name, id_number: p.idNumber, birth_date: '1940-02-03', phone: '13900000011', committee: COMMITTEE.code },
      tags: { disability: true, dibao: true },
      dwelling: { key: '梅园一村|3||502', building: '3', room: '502' },
      problems: [],
    });
  });

  it('rejects inconsistent sex or birth date, drops a bad phone, and ignores empty rows', () => {
    const wrongSex = p.sex === '男' ? '女' : '男';
    expect(prepareRow('民政', 3, ['', p.name, p.idNumber, wrongSex, '', '', '', '', ''], context)).toMatchObject({ kind: 'rejected', problems: [{ code: 'sex_mismatch' }] });
    expect(prepareRow('民政', 4, ['', p.name, p.idNumber, '', '1940-02-04', '', '', '', ''], context)).toMatchObject({ kind: 'rejected', problems: [{ code: 'birth_date_mismatch' }] });
    expect(prepareRow('民政', 5, ['', p.name, '', '', '', '12345', '', '不知道', '也许'], context)).toMatchObject({
      kind: 'ready',
      row: { values: { name: p.name }, problems: [{ code: 'phone_invalid' }, { code: 'tag_value_invalid' }, { code: 'tag_unknown' }] },
    });
    expect(prepareRow('民政', 6, ['', ' ', '', '', '', '', '', '', ''], context)).toEqual({ kind: 'empty' });
  });

  it('hashes a row by its content and source, not its position', () => {
    const a = prepareRow('民政', 2, ['', p.name, p.idNumber, '', '', '', '', '', ''], context);
    const b = prepareRow('民政', 90, ['', p.name, p.idNumber, '', '', '', '', '', ''], context);
    const c = prepareRow('卫健', 2, ['', p.name, p.idNumber, '', '', '', '', '', ''], context);
    if (a.kind !== 'ready' || b.kind !== 'ready' || c.kind !== 'ready') throw new Error('rows should be ready');
    expect(a.row.rowHash).toBe(b.row.rowHash);
    expect(a.row.rowHash).not.toBe(c.row.rowHash);
  });
});

describe('一数一源', () => {
  const AUTHORITY = '公安实有人口';
  it.each([
    [undefined, { value: 'A', source: '民政' }, 'set'],
    [{ value: 'A', source: AUTHORITY }, { value: 'A', source: '民政' }, 'confirmed'],
    [{ value: 'A', source: '民政' }, { value: 'B', source: AUTHORITY }, 'replaced'],
    [{ value: 'A', source: '民政' }, { value: 'B', source: '民政' }, 'replaced'],
    [{ value: 'A', source: AUTHORITY }, { value: 'B', source: '民政' }, 'conflict'],
    [{ value: 'A', source: '卫健' }, { value: 'B', source: '民政' }, 'conflict'],
  ] as const)('current %o, offered %o → %s', (current, incoming, outcome) => expect(decideField('name', current, incoming, AUTHORITY)).toBe(outcome));

  it('takes an address written another way for the same dwelling as a confirmation, not a conflict', () => {
    const current = { value: '浦东新区陆家嘴街道梅园一村1号楼1单元501室', source: AUTHORITY };
    expect(decideField('residence_address', current, { value: '梅园一村一号楼一单元五〇一室', source: '民政' }, AUTHORITY)).toBe('confirmed');
    expect(decideField('residence_address', current, { value: '梅园一村１-１-５０１', source: '卫健' }, AUTHORITY)).toBe('confirmed');
    expect(decideField('residence_address', current, { value: '梅园一村1号楼502室', source: '民政' }, AUTHORITY)).toBe('conflict');
    // the same text in another field is compared as text
    expect(decideField('name', { value: '1号楼501室', source: AUTHORITY }, { value: '一号楼五〇一室', source: '民政' }, AUTHORITY)).toBe('conflict');
  });

  it.each([
    ['梅园一村1号楼1单元501室', '梅园一村1号楼501室', true], // leaving out the 单元 does not contradict
    ['梅园一村1号楼1单元501室', '梅园一村1号楼2单元501室', false],
    ['梅园一村1号楼1单元501室', '梅园二村1号楼1单元501室', false],
    ['梅园一村2号楼1单元501室', '梅园一村1号楼1单元501室', false],
    ['东方路100弄3号502室', '上海市浦东新区东方路一百弄三号五〇二室', true],
    ['东方路100弄3号502室', '东方路100弄4号502室', false],
    ['东方路800号', '东方路800号', true],
    ['东方路800号', '东方路801号', false],
  ] as const)('%s and %s name the same dwelling: %s', (a, b, same) => expect(sameValue('residence_address', a, b)).toBe(same));

  it('counts age in whole years', () => {
    expect(ageOn('1946-12-02', '2026-12-01')).toBe(79);
    expect(ageOn('1946-12-01', '2026-12-01')).toBe(80);
  });
});

describe('file sniffing and export safety', () => {
  it('tells XLSX, UTF-8 and GBK CSV, old XLS and binary files apart by their bytes', () => {
    expect(sniffSheet(Buffer.from('PK\u0003\u0004rest'))).toEqual({ format: 'xlsx' });
    expect(sniffSheet(Buffer.from('\uFEFF姓名,身份证号\n张三,1\n'))).toEqual({ format: 'csv', encoding: 'utf-8', delimiter: ',' });
    expect(sniffSheet(encodeGbk('姓名\t身份证号\n张三\t1\n'))).toEqual({ format: 'csv', encoding: 'gb18030', delimiter: '\t' });
    expect(sniffSheet(Buffer.from('d0cf11e0a1b11ae1', 'hex'))).toEqual({ format: null, reason: 'legacy_xls' });
    expect(sniffSheet(Buffer.from('%PDF-1.7\n\u0000\u0001binary'))).toEqual({ format: null, reason: 'binary' });
    expect(sniffSheet(Buffer.alloc(0))).toEqual({ format: null, reason: 'empty' });
    // a UTF-8 character cut at the end of the sample is not mistaken for GBK
    expect(sniffSheet(Buffer.from('姓名,住址\n张三,梅园').subarray(0, -1))).toMatchObject({ encoding: 'utf-8' });
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    for (const value of ['=1+1', '+86', '-2', '@SUM(A1)', '\t=x']) expect(neutralizeCell(value)).toBe(`'${value}`);
    expect(neutralizeCell('张三')).toBe('张三');
  });
});
