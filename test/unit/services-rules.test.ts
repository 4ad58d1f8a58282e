import { describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { ageOn, describeRule, EligibilityRuleSchema, evaluateRule, factsOfExample, minusYears, type PersonFacts, type RuleNode } from '../../src/shared/services.ts';
import { SEED_SERVICES } from '../../src/server/modules/services/catalogue.ts';
import { runExamples } from '../../src/server/modules/services/commands.ts';

const DAY = '2026-05-03';
const NO_REGIONS = new Map();
const facts = (over: Partial<PersonFacts> = {}): PersonFacts => ({
  birthDate: null, sex: null, regionPath: '310115.310115005.310115005001', dwellingSize: null, householdSize: 1, tags: new Map(), receiving: new Set(), ...over,
});
const holds = (rule: RuleNode, f: PersonFacts, day = DAY) => evaluateRule(rule, f, day, NO_REGIONS).holds;

describe('eligibility rules', () => {
  it.each([
    ['birthday today counts', '1946-05-03', true],
    ['one day short', '1946-05-04', false],
    ['a day past', '1946-05-02', true],
    ['no birth date', null, false],
  ])('age ≥ 80: %s', (_name, birthDate, expected) => {
    expect(holds({ kind: 'age', min: 80 }, facts({ birthDate }))).toBe(expected);
  });

  it('29 February: turns a year older on 1 March in a common year, as PostgreSQL counts', () => {
    expect(minusYears('2025-02-28', 1)).toBe('2024-02-28');
    expect(minusYears('2024-02-29', 1)).toBe('2023-02-28');
    expect(holds({ kind: 'age', min: 66 }, facts({ birthDate: '1960-02-29' }), '2026-02-28')).toBe(false);
    expect(holds({ kind: 'age', min: 66 }, facts({ birthDate: '1960-02-29' }), '2026-03-01')).toBe(true);
    expect(ageOn('1960-02-29', '2026-03-01')).toBe(66);
  });

  it('age max is inclusive in whole years', () => {
    const under = { kind: 'age', max: 17 } as const;
    expect(holds(under, facts({ birthDate: '2008-05-04' }))).toBe(true); // 17, turns 18 tomorrow
    expect(holds(under, facts({ birthDate: '2008-05-03' }))).toBe(false); // 18 today
  });

  it('tag freshness: a stored tag counts only if confirmed within maxAgeDays', () => {
    const rule = { kind: 'tag', tag: 'dibao', maxAgeDays: 365 } as const;
    const at = (observedOn: string) => facts({ tags: new Map([['dibao', { source: '民政', observedOn }]]) });
    expect(holds(rule, at('2025-05-03'))).toBe(true); // exactly 365 days
    expect(holds(rule, at('2025-05-02'))).toBe(false); // one day too old
    expect(holds({ kind: 'tag', tag: 'dibao' }, at('2010-01-01'))).toBe(true); // no expiry asked
    expect(evaluateRule(rule, at('2026-03-01'), DAY, NO_REGIONS).reasons).toEqual(['标签：低保（民政 2026-03-01）']);
  });

  it('derived tags follow the ledger: 高龄 from the birth date, 独居 from the dwelling', () => {
    expect(holds({ kind: 'tag', tag: 'elderly' }, facts({ birthDate: '1946-05-03' }))).toBe(true);
    expect(holds({ kind: 'tag', tag: 'living_alone' }, facts({ dwellingSize: 1 }))).toBe(true);
    expect(holds({ kind: 'tag', tag: 'living_alone' }, facts({ dwellingSize: 2 }))).toBe(false);
    expect(holds({ kind: 'tag', tag: 'living_alone' }, facts({ dwellingSize: null }))).toBe(false);
  });

  it('exclusions and household conditions', () => {
    const rule: RuleNode = { kind: 'all', conditions: [{ kind: 'household', maxSize: 2 }, { kind: 'not', condition: { kind: 'receiving', service: 'ltc_insurance' } }] };
    expect(holds(rule, facts({ householdSize: 2 }))).toBe(true);
    expect(holds(rule, facts({ householdSize: 3 }))).toBe(false);
    expect(holds(rule, facts({ householdSize: 1, receiving: new Set(['ltc_insurance']) }))).toBe(false);
    expect(evaluateRule(rule, facts({ householdSize: 2 }), DAY, NO_REGIONS).reasons).toEqual(['户内共2人']);
    expect(evaluateRule({ kind: 'not', condition: { kind: 'tag', tag: 'dibao' } }, facts(), DAY, NO_REGIONS).reasons).toEqual(['不属于：标签：低保']);
  });

  it('explains why: the conditions that held, with the values', () => {
    const rule: RuleNode = { kind: 'all', conditions: [{ kind: 'age', min: 80 }, { kind: 'any', conditions: [{ kind: 'tag', tag: 'living_alone' }, { kind: 'tag', tag: 'dibao' }] }] };
    const v = evaluateRule(rule, facts({ birthDate: '1946-05-03', dwellingSize: 1 }), DAY, NO_REGIONS);
    expect(v).toEqual({ holds: true, reasons: ['年满80周岁（1946-05-03出生）', '标签：独居（台账中同一住址仅此一人）'] });
    expect(describeRule(rule)).toBe('年满80周岁 且 （标签：独居 或 标签：低保）');
  });

  it('the schema refuses what is not a rule, and nesting deeper than three groups', () => {
    expect(Value.Check(EligibilityRuleSchema, { kind: 'age', min: 65 })).toBe(true);
    expect(Value.Check(EligibilityRuleSchema, { kind: 'age', min: -1 })).toBe(false);
    expect(Value.Check(EligibilityRuleSchema, { kind: 'tag', tag: 'dibao', extra: 1 })).toBe(false);
    expect(Value.Check(EligibilityRuleSchema, { kind: 'all', conditions: [] })).toBe(false);
    const deep = { kind: 'all', conditions: [{ kind: 'any', conditions: [{ kind: 'all', conditions: [{ kind: 'any', conditions: [{ kind: 'age', min: 1 }] }] }] }] };
    expect(Value.Check(EligibilityRuleSchema, deep)).toBe(false);
  });

  it('every seeded service passes its own examples, and its rule is valid', () => {
    for (const s of SEED_SERVICES) {
      expect(Value.Check(EligibilityRuleSchema, s.rule), s.code).toBe(true);
      const outcomes = runExamples(s.rule, s.examples, s.code, '310115', NO_REGIONS);
      expect(outcomes.filter((o) => !o.passed), s.code).toEqual([]);
      expect(outcomes.length, s.code).toBeGreaterThan(1);
    }
    // the examples are able to fail: flipping the threshold breaks them
    const allowance = SEED_SERVICES.find((s) => s.code === 'elderly_allowance')!;
    expect(runExamples({ kind: 'age', min: 66 }, allowance.examples, allowance.code, '310115', NO_REGIONS).some((o) => !o.passed)).toBe(true);
    expect(factsOfExample({ birthDate: null, livesAlone: true }, NO_REGIONS, '310115').dwellingSize).toBe(1);
  });
});
