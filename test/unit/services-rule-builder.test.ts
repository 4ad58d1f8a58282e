import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { SEED_SERVICES } from '../../src/server/modules/services/catalogue.ts';
import { EligibilityRuleSchema, type RuleNode } from '../../src/shared/services.ts';
import { appendAt, canAppend, fitsSchema, fromTree, isRuleShape, problemsOf, removeAt, toTree, type Group } from '../../src/web/features/services/ruleTree.ts';

/** A deterministic pseudo-random generator (no flaky seeds). */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function randomRule(next: () => number, depth: number): RuleNode {
  const r = next();
  if (depth > 0 && r < 0.35) return { kind: next() < 0.5 ? 'all' : 'any', conditions: Array.from({ length: 1 + Math.floor(next() * 3) }, () => randomRule(next, depth - 1)) };
  if (depth > 0 && r < 0.5) return { kind: 'not', condition: randomRule(next, depth - 1) };
  return r < 0.75 ? { kind: 'age', min: 60 } : { kind: 'tag', tag: 'dibao' };
}

/** The rule builder's tree (ruleTree.ts): what the form opens it saves, and its limits are the schema's. */
describe('rule builder tree', () => {
  it.each(SEED_SERVICES.map((s) => [s.code, s.rule] as const))('opens and saves the seeded rule %s unchanged', (_code, rule) => {
    expect(fromTree(toTree(rule))).toEqual(rule);
    expect(problemsOf(toTree(rule))).toEqual([]);
    expect(fitsSchema(rule)).toBe(true);
  });

  it('agrees with EligibilityRuleSchema on the depth of 2,000 random trees', () => {
    const next = rng(7);
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const rule = randomRule(next, 6);
      const valid = Value.Check(EligibilityRuleSchema, rule);
      expect(fitsSchema(rule), JSON.stringify(rule)).toBe(valid);
      if (valid) accepted++;
    }
    // both sides of the limit were tried
    expect(accepted).toBeGreaterThan(200);
    expect(accepted).toBeLessThan(1800);
  });

  it('offers a group only where the schema allows one, and at most 12 conditions in a group', () => {
    let root: Group = { kind: 'all', conditions: [{ kind: 'age', min: 60 }] };
    const group: RuleNode = { kind: 'any', conditions: [] };
    for (const path of [[], [1]]) {
      expect(canAppend(root, path, group)).toBe(true);
      root = appendAt(root, path, group);
    }
    // the root group → any → any: three deep; a fourth level is refused, a condition or a 不属于 one is not
    expect(canAppend(root, [1, 0], group)).toBe(false);
    expect(canAppend(root, [1, 0], { kind: 'not', condition: { kind: 'sex', sex: 'male' } })).toBe(true);
    expect(canAppend(root, [1], { kind: 'not', condition: { kind: 'sex', sex: 'male' } })).toBe(true);
    expect(problemsOf(root)).toEqual([{ path: [1, 0], code: 'emptyGroup' }]);
    root = removeAt(root, [1]);
    expect(fromTree(root)).toEqual({ kind: 'age', min: 60 });
    let wide: Group = { kind: 'any', conditions: [] };
    for (let i = 0; i < 12; i++) wide = appendAt(wide, [], { kind: 'age', min: i });
    expect(canAppend(wide, [], { kind: 'age', min: 1 })).toBe(false);
  });

  it('names incomplete leaves and tells JSON the form cannot show', () => {
    const root: Group = { kind: 'all', conditions: [{ kind: 'tag', tag: '' }, { kind: 'age' }, { kind: 'household', minSize: 4, maxSize: 2 }, { kind: 'not', condition: { kind: 'receiving', service: '' } }] };
    expect(problemsOf(root).map((p) => [p.path, p.code])).toEqual([[[0], 'noTag'], [[1], 'noRange'], [[2], 'badRange'], [[3, 0], 'noService']]);
    expect(isRuleShape({ kind: 'age', min: 1 })).toBe(true);
    expect(isRuleShape({ kind: 'all', conditions: [{ kind: 'income' }] })).toBe(false);
    expect(isRuleShape([])).toBe(false);
  });
});
