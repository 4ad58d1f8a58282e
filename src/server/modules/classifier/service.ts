import type { Executor } from '../../platform/db/index.ts';
import { listCategories } from '../categories/repository.ts';
import { CategoryModel, evaluateHeldOut, type CategoryVocabulary, type HeldOutResult, type LearnedExample } from './model.ts';
import { examplesAfter } from './repository.ts';
import { SEED_CORPUS } from './seed-corpus.ts';
import { DEFAULT_CATALOGUE } from '../categories/default-catalogue.ts';

/**
 * The one in-process model of an instance. Built lazily from the catalogue (names, keywords),
 * the seed corpus and every stored example; then kept current incrementally: an example added
 * here is learned at once, and before each suggestion the instance picks up examples other
 * instances stored (`id > lastId`, one indexed query). `invalidate` rebuilds on next use
 * (the catalogue changed).
 */
export class ClassifierService {
  private model: CategoryModel | undefined;
  private building: Promise<CategoryModel> | undefined;
  private lastId = 0;
  private readonly learned = new Set<number>();
  private heldOut: HeldOutResult | undefined;

  constructor(private readonly db: Executor) {}

  private async build(): Promise<CategoryModel> {
    const leaves = await listCategories(this.db, { level: 'leaf', includeInactive: true });
    const model = new CategoryModel().addCatalogue(leaves.map((c) => ({ code: c.code, name: c.name, keywords: c.keywords }))).addCorpus(SEED_CORPUS);
    this.lastId = 0;
    this.learned.clear();
    this.model = model;
    await this.catchUp(this.db);
    return model;
  }

  /** The model, with every committed example learned. */
  async current(db: Executor = this.db): Promise<CategoryModel> {
    if (!this.model) {
      this.building ??= this.build().finally(() => (this.building = undefined));
      return this.building;
    }
    await this.catchUp(db);
    return this.model;
  }

  /** Learns the stored examples this instance has not seen yet. */
  async catchUp(db: Executor): Promise<void> {
    if (!this.model) return;
    for (const example of await examplesAfter(db, this.lastId)) this.learnStored(example.id, example);
  }

  /** Learns one stored example once (idempotent on its id). */
  learnStored(id: number, example: LearnedExample): void {
    if (!this.model || this.learned.has(id)) return;
    this.learned.add(id);
    this.lastId = Math.max(this.lastId, id);
    this.model.learn(example);
  }

  invalidate(): void {
    this.model = undefined;
  }

  /** Held-out accuracy of the seed corpus against the default catalogue; computed once. */
  seedAccuracy(): HeldOutResult {
    this.heldOut ??= evaluateHeldOut(SEED_CORPUS, defaultVocabulary());
    return this.heldOut;
  }
}

/** Names and keywords of every leaf of the default catalogue. */
export function defaultVocabulary(): CategoryVocabulary[] {
  return DEFAULT_CATALOGUE.flatMap((c) => c.leaves.map((l) => ({ code: `${c.code}${l.sub}`, name: l.name, keywords: l.keywords })));
}

export function seedCorpusSize(): { sentences: number; categories: number } {
  const lists = Object.values(SEED_CORPUS);
  return { sentences: lists.reduce((n, l) => n + l.length, 0), categories: lists.length };
}
