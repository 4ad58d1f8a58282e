import { evaluateHeldOut } from '../src/server/modules/classifier/model.ts';
import { SEED_CORPUS } from '../src/server/modules/classifier/seed-corpus.ts';
import { defaultVocabulary } from '../src/server/modules/classifier/service.ts';

/** Held-out accuracy of the category classifier: every 5th seed sentence per category, ranked against all 151 leaves. */
export function classifierSection(): string {
  const r = evaluateHeldOut(SEED_CORPUS, defaultVocabulary());
  const pct = (x: number) => (x * 100).toFixed(1);
  return `classifier: top-1 ${pct(r.top1)} %, top-3 ${pct(r.top3)} % on ${r.heldOut} held-out reports (trained on ${r.trained} seed sentences + catalogue names and keywords)`;
}
