import { DEFAULT_RULES, type DefaultRule } from '../../../shared/rules.ts';
import { pathWithin } from '../../platform/access.ts';
import type { EffectiveRule } from './engine.ts';
import type { StoredRule } from './repository.ts';

/**
 * Precedence: for each rule key, a device's own rule wins, then the rule of the deepest region
 * containing the device (committee over street), then the built-in default. The winner may be
 * switched off, which switches the key off in its scope.
 */

/** Where a rule applies: a device, or a region (as a device placed there would see it). */
export interface RuleTarget {
  deviceId: string | null;
  profile: string;
  regionPath: string;
}

export interface Resolution {
  key: string;
  /** The winning stored rule, or null when the built-in default applies. */
  stored: StoredRule | null;
  builtIn: DefaultRule | null;
}

export function effectiveOf(resolution: Resolution): EffectiveRule | null {
  if (resolution.stored) return resolution.stored.enabled ? { id: resolution.stored.id, key: resolution.key, definition: resolution.stored.definition } : null;
  return resolution.builtIn ? { id: resolution.builtIn.key, key: resolution.key, definition: resolution.builtIn.definition } : null;
}

export class RuleResolver {
  private readonly storedByProfile = new Map<string, StoredRule[]>();
  private readonly defaultsByProfile = new Map<string, DefaultRule[]>();
  private readonly memo = new Map<string, readonly EffectiveRule[]>();

  constructor(stored: readonly StoredRule[]) {
    for (const rule of stored) this.storedByProfile.set(rule.profile, [...(this.storedByProfile.get(rule.profile) ?? []), rule]);
    for (const rule of DEFAULT_RULES) this.defaultsByProfile.set(rule.definition.profile, [...(this.defaultsByProfile.get(rule.definition.profile) ?? []), rule]);
  }

  /** Every key that applies to the target, with its winner (including switched-off ones). */
  resolve(target: RuleTarget): Resolution[] {
    const byKey = new Map<string, Resolution>();
    for (const builtIn of this.defaultsByProfile.get(target.profile) ?? []) byKey.set(builtIn.key, { key: builtIn.key, stored: null, builtIn });
    for (const rule of this.storedByProfile.get(target.profile) ?? []) {
      const applies = rule.deviceId !== null ? rule.deviceId === target.deviceId : pathWithin(target.regionPath, rule.regionPath);
      if (!applies) continue;
      const current = byKey.get(rule.key) ?? { key: rule.key, stored: null, builtIn: null };
      if (!current.stored || moreSpecific(rule, current.stored)) current.stored = rule;
      byKey.set(rule.key, current);
    }
    return [...byKey.values()].filter((r) => r.stored || r.builtIn).sort((a, b) => a.key.localeCompare(b.key));
  }

  /** The rules in force for a device (memoised: the resolver lives as long as the rules do not change). */
  rulesFor(target: RuleTarget): readonly EffectiveRule[] {
    const memoKey = `${target.deviceId ?? ''} ${target.profile} ${target.regionPath}`;
    let rules = this.memo.get(memoKey);
    if (!rules) {
      rules = this.resolve(target).flatMap((r) => effectiveOf(r) ?? []);
      this.memo.set(memoKey, rules);
    }
    return rules;
  }

  /** Profiles that have at least one rule of these kinds somewhere (built-in or stored). */
  profilesWith(test: (rule: EffectiveRule) => boolean): string[] {
    const profiles = new Set<string>();
    for (const [profile, rules] of this.defaultsByProfile) if (rules.some((r) => test({ id: r.key, key: r.key, definition: r.definition }))) profiles.add(profile);
    for (const [profile, rules] of this.storedByProfile) if (rules.some((r) => r.enabled && test({ id: r.id, key: r.key, definition: r.definition }))) profiles.add(profile);
    return [...profiles];
  }
}

function moreSpecific(candidate: StoredRule, current: StoredRule): boolean {
  if (current.deviceId !== null) return false;
  if (candidate.deviceId !== null) return true;
  return candidate.regionPath.length > current.regionPath.length;
}
