import { describe, expect, it } from 'vitest';
import { AUTO_MERGE_SCORE, compare, compareBirthDates, compareNames, decide, REVIEW_SCORE, type LinkRecord } from '../../src/server/modules/ledger/linkage/compare.ts';
import { parseIdNumber } from '../../src/server/modules/ledger/validation.ts';
import { MERGES_PER_STATEMENT, rounds, type PlannedMerge } from '../../src/server/modules/ledger/linkage/commands.ts';
import { household, pairwiseQuality, rowsOf, sourceRows, syntheticIdNumber } from '../../src/server/modules/ledger/synthetic.ts';

const register: LinkRecord = { name: '陈国华', birthDate: '1948-03-05', sex: 'male', phone: null, idNumber: '310115194803050017', address: '浦东新区陆家嘴街道梅园一村3号楼2单元502室', dwellingId: null };

describe('comparing two ledger persons', () => {
  it('tells names apart from their variants: traditional characters, homophones, one syllable off', () => {
    expect(compareNames('陈国华', '陈国华')).toBe('exact');
    expect(compareNames('陳國華', '陈国华')).toBe('variant');
    expect(compareNames('张伟', '张玮')).toBe('homophone');
    expect(compareNames('张静', '張靜')).toBe('variant');
    expect(compareNames('王秀英', '王秀莹')).toBe('homophone');
    expect(compareNames('张玲', '张琳')).toBe('similar');
    expect(compareNames('王芳', '李芳')).toBe('different');
    expect(compareNames('王芳', '王强')).toBe('different');
  });

  it('sees swapped day and month, a one-digit typo, and a different date', () => {
    expect(compareBirthDates('1948-03-05', '1948-05-03')).toBe('swapped');
    expect(compareBirthDates('1948-03-05', '1948-03-06')).toBe('close');
    expect(compareBirthDates('1948-03-05', '1958-07-21')).toBe('different');
    expect(compareBirthDates('1948-03-05', null)).toBe('missing');
  });

  it('merges the register and a department row written differently, queues a swapped date, leaves relatives apart', () => {
    const health: LinkRecord = { ...register, name: '陳國華', idNumber: null, phone: '13900000001', address: '梅园一村三号楼五〇二室' };
    const same = compare(register, health);
    expect(same.evidence).toMatchObject({ name: 'variant', birthDate: 'exact', address: 'same' });
    expect(decide(register, health, same.score, same.evidence)).toBe('merge');

    const swapped = { ...health, name: '陈国华', birthDate: '1948-05-03' };
    const queued = compare(register, swapped);
    expect(queued.score).toBeGreaterThanOrEqual(REVIEW_SCORE);
    expect(queued.score).toBeLessThan(AUTO_MERGE_SCORE);
    expect(decide(register, swapped, queued.score, queued.evidence)).toBe('review');

    // the spouse at the same dwelling with the same phone is someone else
    const spouse: LinkRecord = { ...health, name: '李秀英', sex: 'female', birthDate: '1950-08-12' };
    const apart = compare(register, spouse);
    expect(decide(register, spouse, apart.score, apart.evidence)).toBe('none');
  });

  it('never merges two different valid ID numbers, whatever else agrees', () => {
    const twin = { ...register, idNumber: '310115194803050033' };
    const { score, evidence } = compare(register, twin);
    expect(score).toBeGreaterThanOrEqual(AUTO_MERGE_SCORE);
    expect(decide(register, twin, score, evidence)).toBe('none');
  });

  it('reads a 15-digit first-generation number as the 18-digit one of the same person', () => {
    const id = syntheticIdNumber('1948-03-05', 'male', 42);
    const old = id.slice(0, 6) + id.slice(8, 17);
    const parsed = parseIdNumber(old);
    expect(parsed.ok && parsed.value.number).toBe(id);
  });
});

describe('the synthetic population', () => {
  it('is deterministic from its seed, with unique valid ID numbers and four sources', () => {
    const options = { seed: 7, households: 3000 };
    expect(household(options, 5, 100)).toEqual(household(options, 5, 100));
    const ids = new Set<string>();
    const sources = new Map<string, number>();
    for (const row of sourceRows(options)) {
      sources.set(row.source, (sources.get(row.source) ?? 0) + 1);
      if (row.source === '公安实有人口') {
        const id = row.cells[2]!;
        expect(parseIdNumber(id).ok, id).toBe(true);
        expect(ids.has(id), id).toBe(false);
        ids.add(id);
      }
    }
    expect([...sources.keys()].sort()).toEqual(['公安实有人口', '卫健', '残联', '民政'].sort());
    // about 2–3 % hold a disability certificate; its number is the ID number, the category and the grade
    expect(sources.get('残联')! / sources.get('公安实有人口')!).toBeGreaterThan(0.01);
    expect(sources.get('残联')! / sources.get('公安实有人口')!).toBeLessThan(0.05);
    const certified = [...sourceRows(options)].find((r) => r.source === '残联')!;
    const truth = [...sourceRows(options)].find((r) => r.source === '公安实有人口' && r.personIndex === certified.personIndex)!;
    expect(certified.cells[11]).toMatch(new RegExp(`^${truth.cells[2]}[1-7][1-4]$`));
    expect(ids.size / 3000).toBeGreaterThan(2.3);
    const person = household(options, 1, 0)[0]!;
    expect(rowsOf(person, options)[0]!.cells[1]).toBe(person.name);
  });

  it('counts pairwise precision and recall against the truth', () => {
    const q = pairwiseQuality([
      { truth: 1, personId: 'a' }, { truth: 1, personId: 'a' }, { truth: 1, personId: 'b' },
      { truth: 2, personId: 'c' }, { truth: 3, personId: 'c' },
    ]);
    expect(q).toMatchObject({ truePositives: 1, predicted: 2, actual: 3 });
    expect(q.precision).toBe(0.5);
    expect(q.recall).toBeCloseTo(1 / 3);
  });
});

describe('merge rounds', () => {
  const merge = (survivor: string, absorbed: string): PlannedMerge => ({ survivor, absorbed, candidateId: null, score: 20, automatic: true, regionPath: '310115' });

  it('orders chained merges and slices a large round so memory stays bounded', () => {
    const many = Array.from({ length: 2 * MERGES_PER_STATEMENT + 5 }, (_, i) => merge(`s${i}`, `a${i}`));
    // a chain: a0 was absorbed by s0 above, and s0 is then absorbed by t
    const planned = [...many, merge('t', 's0')];
    const out = rounds(planned);
    expect(out.map((r) => r.length)).toEqual([MERGES_PER_STATEMENT, MERGES_PER_STATEMENT, 5, 1]);
    expect(out.flat()).toEqual(planned);
    for (const slice of out) {
      const persons = slice.flatMap((m) => [m.survivor, m.absorbed]);
      expect(new Set(persons).size).toBe(persons.length);
    }
  });
});
