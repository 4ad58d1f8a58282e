import { useCallback } from 'react';
import type { RuleDefinition } from '../../../shared/rules.ts';
import { usePreferences } from '../../preferences.tsx';
import { describePredicate } from './ruleForm.ts';

/** A rule's condition and active hours as one line in the console's language. */
export function useDescribe(): (definition: RuleDefinition) => string {
  const { t } = usePreferences();
  return useCallback(
    (definition: RuleDefinition) => {
      const words = { and: t('rules.and'), or: t('rules.or') };
      const c = definition.condition;
      let text: string;
      switch (c.kind) {
        case 'compare':
        case 'all':
        case 'any':
          text = describePredicate(c, words);
          break;
        case 'duration':
          text = t('rules.describe.duration', { predicate: describePredicate(c.predicate, words), minutes: c.minutes });
          break;
        case 'absence':
          text = c.predicate ? t('rules.describe.absence', { predicate: describePredicate(c.predicate, words), hours: c.hours }) : t('rules.describe.silence', { hours: c.hours });
          break;
        case 'window-total':
          text =
            'calendarDay' in c.window
              ? t('rules.describe.day', { field: c.field, op: c.op, value: c.value })
              : t('rules.describe.window', { field: c.field, op: c.op, value: c.value, hours: c.window.hours });
          break;
        case 'rate':
          text = t('rules.describe.rate', { field: c.field, op: c.op, value: c.perMinute, minutes: c.windowMinutes });
          break;
      }
      const hours = definition.activeHours;
      return hours ? `${text} · ${t('rules.describe.hours', { from: hours.from, to: hours.to, days: hours.days.join(',') })}` : text;
    },
    [t],
  );
}
