import { describe, expect, it } from 'vitest';
import { CASE_STATUSES } from '../../src/shared/cases.ts';
import { DEFAULT_CATALOGUE } from '../../src/server/modules/categories/default-catalogue.ts';
import { CategoryModel } from '../../src/server/modules/classifier/model.ts';
import { SEED_CORPUS } from '../../src/server/modules/classifier/seed-corpus.ts';
import { defaultVocabulary } from '../../src/server/modules/classifier/service.ts';
import { mulberry32, planDemoCases, STATUS_OF_OUTCOME } from '../../src/server/modules/cases/demo.ts';

const LEAVES = new Map(DEFAULT_CATALOGUE.flatMap((c) => c.leaves.map((l) => [`${c.code}${l.sub}`, l] as const)));

describe('the demo month plan', () => {
  const plans = planDemoCases();

  it('is a pure function of the seed', () => {
    expect(planDemoCases()).toEqual(plans);
    expect(planDemoCases(1).map((p) => p.description)).not.toEqual(plans.map((p) => p.description));
    const a = mulberry32(42);
    const b = mulberry32(42);
    const draws = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(draws);
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('has about 150 distinct cases ending in every status, with selectable categories', () => {
    expect(plans.length).toBeGreaterThanOrEqual(140);
    expect(new Set(plans.map((p) => p.description)).size).toBe(plans.length);
    // every status a case reaches on its own; `merged` needs two reports and the desk's judgement (see the duplicates tests)
    expect(new Set(plans.map((p) => STATUS_OF_OUTCOME[p.outcome]))).toEqual(new Set(CASE_STATUSES.filter((s) => s !== 'merged')));
    for (const p of plans) {
      const leaf = LEAVES.get(p.categoryCode);
      expect(leaf, p.categoryCode).toBeDefined();
      expect(leaf!.residentSelectable, p.categoryCode).toBe(true);
      if (p.hotline) expect(p.hotline.callerPhone).toMatch(/^1390000\d{4}$/);
    }
  });

  it('files each report under a category its words point to (the classifier’s top 3 agrees for most)', () => {
    const model = new CategoryModel().addCatalogue(defaultVocabulary()).addCorpus(SEED_CORPUS);
    const leaves = [...LEAVES.keys()];
    const hits = plans.filter((p) => model.suggest(p.description, leaves).slice(0, 3).some((s) => s.label === p.categoryCode)).length;
    expect(hits / plans.length).toBeGreaterThan(0.9);
  });
});
