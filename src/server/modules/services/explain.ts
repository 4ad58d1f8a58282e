import type { Locale } from '../../../shared/i18n/locale.ts';
import { evaluateRule } from '../../../shared/services.ts';
import { UNRESTRICTED } from '../../platform/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import { listServices, loadFacts, regionLookup } from './repository.ts';

/**
 * Why each match holds, in the reader's language: the JavaScript evaluator over the same facts the
 * SQL condition read, on the given day (so the words are never stale, and never disagree with the
 * match, which the SQL/JS agreement tests hold).
 */
export async function explainMatches(db: Executor, matches: ReadonlyArray<{ id: string; personId: string; serviceId: string }>, locale: Locale, day: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (matches.length === 0) return out;
  const facts = await loadFacts(db, [...new Set(matches.map((m) => m.personId))], day);
  const services = new Map((await listServices(db, UNRESTRICTED)).map((s) => [s.id, s]));
  const regions = await regionLookup(db, [...services.values()].map((s) => s.rule));
  for (const m of matches) {
    const f = facts.get(m.personId);
    const s = services.get(m.serviceId);
    out.set(m.id, f && s ? evaluateRule(s.rule, f, day, regions, locale).reasons : []);
  }
  return out;
}
