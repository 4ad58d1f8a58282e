import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../src/server/modules/categories/default-catalogue.ts';
import { CategoryModel, evaluateHeldOut } from '../../src/server/modules/classifier/model.ts';
import { NaiveBayes } from '../../src/server/modules/classifier/naive-bayes.ts';
import { characterBigrams, features, segment } from '../../src/server/modules/classifier/segment.ts';
import { SEED_CORPUS } from '../../src/server/modules/classifier/seed-corpus.ts';
import { defaultVocabulary } from '../../src/server/modules/classifier/service.ts';

const LEAVES = new Map(DEFAULT_CATALOGUE.flatMap((c) => c.leaves.map((l) => [`${c.code}${l.sub}`, l] as const)));

describe('segmentation', () => {
  it('keeps the domain words whole', () => {
    const tokens = segment('楼道堆物，飞线充电，高空抛物，占道经营，小广告，井盖，群租，电动车');
    for (const word of ['楼道堆物', '飞线充电', '高空抛物', '占道经营', '小广告', '井盖', '群租', '电动车']) expect(tokens).toContain(word);
  });

  it('drops stop words, punctuation and spaces', () => {
    const tokens = segment('我们 小区的楼道里，堆满了杂物！！！请尽快处理。');
    expect(tokens).toEqual(expect.arrayContaining(['楼道', '杂物']));
    for (const dropped of ['我们', '的', '了', '，', '！', '。', ' ', '请', '尽快', '处理']) expect(tokens).not.toContain(dropped);
  });

  it('adds character bigrams inside runs of text only', () => {
    expect(characterBigrams('楼道里，堆物')).toEqual(['楼道', '道里', '堆物']);
    expect(features('井盖坏了')).toEqual(expect.arrayContaining(['w:井盖', 'b:井盖', 'b:盖坏', 'b:坏了']));
  });
});

describe('naive Bayes', () => {
  // A: x x y · B: z  →  V = 3, α = 1, equal priors; P(x|A) = 3/6, P(x|B) = 1/4
  const toy = () => {
    const nb = new NaiveBayes();
    nb.add('A', ['x', 'x', 'y']);
    nb.add('B', ['z']);
    return nb;
  };

  it('computes the normalised posterior with Laplace smoothing', () => {
    const ranked = toy().rank(['x']);
    expect(ranked.map((r) => r.label)).toEqual(['A', 'B']);
    expect(ranked[0]!.score).toBeCloseTo(2 / 3, 10);
    expect(ranked[1]!.score).toBeCloseTo(1 / 3, 10);
    expect(ranked.reduce((s, r) => s + r.score, 0)).toBeCloseTo(1, 10);
  });

  it('ignores features no category has seen and ranks only the candidates asked about', () => {
    expect(toy().rank(['x', 'never-seen'])[0]!.score).toBeCloseTo(2 / 3, 10);
    expect(toy().rank(['x'], ['B'])).toEqual([{ label: 'B', score: 1 }]);
    // with no evidence the priors decide: equal
    expect(toy().rank([])[0]!.score).toBeCloseTo(0.5, 10);
  });

  it('learning an example changes the ranking', () => {
    const nb = toy();
    nb.add('B', ['x', 'x', 'x', 'x']);
    expect(nb.rank(['x'])[0]!.label).toBe('B');
  });
});

describe('category model', () => {
  const model = () => new CategoryModel().addCatalogue(defaultVocabulary()).addCorpus(SEED_CORPUS);
  const all = [...LEAVES.keys()];

  it('the seed corpus names real leaves, five or more varied sentences each', () => {
    const codes = Object.keys(SEED_CORPUS);
    expect(codes.length).toBeGreaterThanOrEqual(40);
    for (const code of codes) {
      expect(LEAVES.has(code), code).toBe(true);
      expect(SEED_CORPUS[code]!.length, code).toBeGreaterThanOrEqual(5);
      expect(new Set(SEED_CORPUS[code]).size, code).toBe(SEED_CORPUS[code]!.length);
    }
  });

  it('recognises everyday reports', () => {
    const m = model();
    expect(m.suggest('楼道里堆满了杂物', all)[0]!.label).toBe('C0101');
    expect(m.suggest('有人从楼上拉电线给电瓶车充电', all)[0]!.label).toBe('C0104');
    expect(m.suggest('楼上邻居往下扔东西', all)[0]!.label).toBe('C0206');
    expect(m.suggest('电梯又坏了，被困了半小时', all)[0]!.label).toBe('C0204');
  });

  it('a corrected example moves the suggestion for a similar text', () => {
    const m = model();
    const text = '小区门口的石狮子被人推倒了';
    const before = m.suggest('门口那个石狮子又被推倒了', all).findIndex((s) => s.label === 'C0209');
    m.learn({ text, categoryCode: 'C0209', source: 'corrected' });
    const after = m.suggest('门口那个石狮子又被推倒了', all).findIndex((s) => s.label === 'C0209');
    expect(after).toBeLessThan(before);
    expect(after).toBe(0);
  });

  it('held-out accuracy of the seed corpus stays above a floor', () => {
    const result = evaluateHeldOut(SEED_CORPUS, defaultVocabulary());
    expect(result.heldOut).toBeGreaterThanOrEqual(40);
    expect(result.top3).toBeGreaterThanOrEqual(0.7);
    expect(result.top1).toBeGreaterThanOrEqual(0.45);
    // deterministic
    expect(evaluateHeldOut(SEED_CORPUS, defaultVocabulary())).toEqual(result);
  });
});
