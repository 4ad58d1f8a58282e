/**
 * Multinomial naive Bayes with additive (Laplace, α = 1) smoothing. Pure and in memory;
 * documents are bags of features with a weight (a catalogue keyword counts less than a report).
 *
 *   log P(c | d) ∝ log P(c) + Σ_f n(f, d) · log( (n(f, c) + α) / (N(c) + α · |V|) )
 *
 * with P(c) = (docs(c) + 1) / (docs + |C|). Scores are the posterior normalised over the
 * categories asked about, so they sum to 1 over that set.
 */
export interface Scored {
  label: string;
  score: number;
}

interface LabelStats {
  docs: number;
  total: number;
  counts: Map<string, number>;
}

export class NaiveBayes {
  private readonly labels = new Map<string, LabelStats>();
  private readonly vocabulary = new Map<string, number>();
  private docs = 0;

  constructor(private readonly alpha = 1) {}

  /** Learns one document. */
  add(label: string, features: readonly string[], weight = 1): void {
    if (features.length === 0 || weight <= 0) return;
    let stats = this.labels.get(label);
    if (!stats) {
      stats = { docs: 0, total: 0, counts: new Map() };
      this.labels.set(label, stats);
    }
    stats.docs += weight;
    this.docs += weight;
    for (const f of features) {
      stats.counts.set(f, (stats.counts.get(f) ?? 0) + weight);
      stats.total += weight;
      this.vocabulary.set(f, (this.vocabulary.get(f) ?? 0) + 1);
    }
  }

  get labelCount(): number {
    return this.labels.size;
  }

  /** Log of the unnormalised posterior of one label; labels never seen get only the smoothing mass. */
  private logJoint(label: string, features: readonly string[], labelTotal: number): number {
    const stats = this.labels.get(label);
    const v = Math.max(this.vocabulary.size, 1);
    const docs = stats?.docs ?? 0;
    const total = stats?.total ?? 0;
    let score = Math.log((docs + 1) / (this.docs + labelTotal));
    const denominator = Math.log(total + this.alpha * v);
    for (const f of features) {
      // Features no category has seen carry no evidence: skip them, as they would scale every label alike only up to smoothing.
      if (!this.vocabulary.has(f)) continue;
      score += Math.log((stats?.counts.get(f) ?? 0) + this.alpha) - denominator;
    }
    return score;
  }

  /** The candidate labels ranked best first, each with its normalised posterior (0..1, summing to 1). */
  rank(features: readonly string[], candidates: readonly string[] = [...this.labels.keys()]): Scored[] {
    if (candidates.length === 0) return [];
    const logs = candidates.map((label) => ({ label, log: this.logJoint(label, features, candidates.length) }));
    const max = Math.max(...logs.map((l) => l.log));
    const exp = logs.map((l) => ({ label: l.label, e: Math.exp(l.log - max) }));
    const sum = exp.reduce((s, l) => s + l.e, 0);
    return exp
      .map((l) => ({ label: l.label, score: l.e / sum }))
      .sort((a, b) => b.score - a.score || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  }
}
