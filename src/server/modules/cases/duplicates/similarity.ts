import { DUPLICATE_PUBLIC_DESCRIPTION_CHARS } from '../../../../shared/cases.ts';
import { scrubPersonalData } from '../../../../shared/mask.ts';
import { characterBigrams, segment } from '../../classifier/segment.ts';

/**
 * Text similarity of two reports, for "is this your problem?" (重复上报). Pure.
 *
 * Both texts go through the classifier's jieba segmentation (its default dictionary plus the
 * domain words: 飞线充电, 楼道堆物 … stay whole; stop words such as 的, 了, 有, 楼 are dropped) and
 * are also cut into character bigrams (a mistyped or unknown word, 楼到堆物, still overlaps).
 * Bigrams with a digit or a filler character (的 了 里 有 号 楼 …) are left out: they match
 * between any two reports about buildings. The score is the mean of the Jaccard index of the two
 * word sets and of the two bigram sets, in [0, 1]. Numbers stay words: 3号楼 and 5号楼 differ.
 */
export interface TextFeatures {
  words: ReadonlySet<string>;
  bigrams: ReadonlySet<string>;
}

/** Characters too common in reports for a bigram containing them to say anything. */
const FILLER_CHARS: ReadonlySet<string> = new Set([...'的了里有在是很多好个号楼栋室一这那我你他人']);

export function textFeatures(text: string): TextFeatures {
  const bigrams = characterBigrams(text).filter((b) => ![...b].some((ch) => FILLER_CHARS.has(ch) || /\d/.test(ch)));
  return { words: new Set(segment(text)), bigrams: new Set(bigrams) };
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared += 1;
  return shared / (a.size + b.size - shared);
}

export function featureSimilarity(a: TextFeatures, b: TextFeatures): number {
  return (jaccard(a.words, b.words) + jaccard(a.bigrams, b.bigrams)) / 2;
}

export function textSimilarity(a: string, b: string): number {
  return featureSimilarity(textFeatures(a), textFeatures(b));
}

/** Great-circle distance in metres (haversine on a sphere of the mean Earth radius). */
export function haversineMeters(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * A latitude/longitude box that contains every point within `meters` of a centre, for a
 * cheap indexed prefilter before the exact distance (generous by 1 %).
 */
export function boundingBox(center: { lat: number; lng: number }, meters: number): { minLat: number; maxLat: number; minLng: number; maxLng: number } {
  const dLat = ((meters * 1.01) / 6_371_008.8) * (180 / Math.PI);
  const dLng = dLat / Math.max(Math.cos((center.lat * Math.PI) / 180), 1e-6);
  return { minLat: center.lat - dLat, maxLat: center.lat + dLat, minLng: center.lng - dLng, maxLng: center.lng + dLng };
}

/**
 * A case's description as a resident may see it when it is not theirs (the similar-cases list,
 * merged reports): phone and ID numbers masked, at most `max` characters.
 */
export function publicDescription(text: string, max = DUPLICATE_PUBLIC_DESCRIPTION_CHARS): string {
  const chars = [...scrubPersonalData(text.trim())];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max).join('')}…`;
}

export interface ScoredCandidate {
  score: number;
  distanceMeters: number | null;
  createdAt: Date;
}

/**
 * Keeps the candidates that are duplicates (score at least `minScore`, inside their radius when a
 * distance is known) and ranks them: text similarity first, then the nearer, then the newer.
 */
export function rankSimilar<T extends ScoredCandidate & { radiusM: number }>(candidates: readonly T[], minScore: number, max: number): T[] {
  return candidates
    .filter((c) => c.score >= minScore && (c.distanceMeters === null || c.distanceMeters <= c.radiusM))
    .sort((a, b) => b.score - a.score || (a.distanceMeters ?? Infinity) - (b.distanceMeters ?? Infinity) || b.createdAt.getTime() - a.createdAt.getTime())
    .slice(0, max);
}
