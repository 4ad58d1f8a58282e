import { NaiveBayes, type Scored } from './naive-bayes.ts';
import { features } from './segment.ts';
import type { SeedCorpus } from './seed-corpus.ts';

/** What the model needs to know of a leaf category: its code and the words the catalogue gives it. */
export interface CategoryVocabulary {
  code: string;
  name: string;
  keywords: readonly string[];
}

export type ExampleSource = 'seed' | 'confirmed' | 'corrected';

export interface LearnedExample {
  text: string;
  categoryCode: string;
  source: ExampleSource;
}

/** How much one document counts. Names and keywords are short and weak; a correction says the model was wrong. */
export const WEIGHTS = { name: 1, keyword: 0.5, seed: 1, confirmed: 1, corrected: 2 } as const;

/** The classifier over leaf categories: naive Bayes on jieba tokens + character bigrams. */
export class CategoryModel {
  private readonly nb = new NaiveBayes();

  /** Catalogue names and keywords as weak examples, so every leaf is known even without reports. */
  addCatalogue(categories: readonly CategoryVocabulary[]): this {
    for (const c of categories) {
      this.nb.add(c.code, features(c.name), WEIGHTS.name);
      for (const k of c.keywords) this.nb.add(c.code, features(k), WEIGHTS.keyword);
    }
    return this;
  }

  addCorpus(corpus: SeedCorpus): this {
    for (const [code, sentences] of Object.entries(corpus)) for (const s of sentences) this.nb.add(code, features(s), WEIGHTS.seed);
    return this;
  }

  learn(example: LearnedExample): void {
    this.nb.add(example.categoryCode, features(example.text), WEIGHTS[example.source]);
  }

  /** Candidates ranked best first with their normalised posterior. */
  suggest(text: string, candidates: readonly string[]): Scored[] {
    return this.nb.rank(features(text), candidates);
  }
}

export interface HeldOutResult {
  trained: number;
  heldOut: number;
  top1: number;
  top3: number;
  /** Held-out reports whose category was not in the top 3, for looking at. */
  misses: Array<{ text: string; expected: string; got: string[] }>;
}

/**
 * Deterministic held-out measurement: every `every`-th sentence of each category (the 5th, 10th, …)
 * is held out; the model learns the rest plus the catalogue's names and keywords and ranks every
 * leaf for each held-out sentence. Pure: same corpus, same figures.
 */
export function evaluateHeldOut(corpus: SeedCorpus, catalogue: readonly CategoryVocabulary[], every = 5): HeldOutResult {
  const train: Record<string, string[]> = {};
  const test: Array<{ code: string; text: string }> = [];
  for (const [code, sentences] of Object.entries(corpus)) {
    train[code] = [];
    sentences.forEach((text, i) => ((i + 1) % every === 0 ? test.push({ code, text }) : train[code]!.push(text)));
  }
  const model = new CategoryModel().addCatalogue(catalogue).addCorpus(train);
  const codes = catalogue.map((c) => c.code);
  let top1 = 0;
  let top3 = 0;
  const misses: HeldOutResult['misses'] = [];
  for (const { code, text } of test) {
    const ranked = model.suggest(text, codes).slice(0, 3).map((s) => s.label);
    if (ranked[0] === code) top1 += 1;
    if (ranked.includes(code)) top3 += 1;
    else misses.push({ text, expected: code, got: ranked });
  }
  const n = Math.max(test.length, 1);
  return { trained: Object.values(train).reduce((s, l) => s + l.length, 0), heldOut: test.length, top1: top1 / n, top3: top3 / n, misses };
}
