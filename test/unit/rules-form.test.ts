import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, type RuleDefinition } from '../../src/shared/rules.ts';
import { fromForm, toForm } from '../../src/web/features/rules/ruleForm.ts';

/** The console's rule editor edits flat form values; what it saves must be the definition it opened. */
describe('rule editor form', () => {
  it.each(DEFAULT_RULES.map((r) => [r.key, r.definition] as const))('round-trips the built-in rule %s', (_key, definition) => {
    const { values, nested } = toForm(definition);
    expect(nested).toBe(false);
    expect(fromForm(definition.profile, values)).toEqual(definition);
  });

  it('round-trips active hours, a severity, a rate and an absence of any reading', () => {
    const definitions: RuleDefinition[] = [
      { profile: 'fire-tank', condition: { kind: 'rate', field: 'level', op: '<', perMinute: -0.5, windowMinutes: 15 }, alarmType: 'threshold', severity: 'major', activeHours: { from: '22:00', to: '06:00', days: [1, 2, 3] } },
      { profile: 'gate', condition: { kind: 'absence', predicate: null, hours: 6 }, alarmType: 'threshold' },
      { profile: 'water-meter', condition: { kind: 'window-total', field: 'volume', op: '>=', value: 1.5, window: { hours: 6 } }, alarmType: 'water-overuse' },
    ];
    for (const definition of definitions) expect(fromForm(definition.profile, toForm(definition).values)).toEqual(definition);
  });

  it('says when a definition nests deeper than the form shows', () => {
    const nested: RuleDefinition = {
      profile: 'bin',
      condition: { kind: 'all', conditions: [{ kind: 'compare', field: 'fillLevel', op: '>=', value: 80 }, { kind: 'any', conditions: [{ kind: 'compare', field: 'temperature', op: '>', value: 40 }] }] },
      alarmType: 'threshold',
    };
    expect(toForm(nested).nested).toBe(true);
  });
});
