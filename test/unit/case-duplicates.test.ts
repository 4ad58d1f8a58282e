import { describe, expect, it } from 'vitest';
import { boundingBox, haversineMeters, publicDescription, rankSimilar, textSimilarity } from '../../src/server/modules/cases/duplicates/similarity.ts';

describe('duplicate scoring', () => {
  it('ranks a rewording of the same problem above a different problem', () => {
    const report = '3号楼楼道里堆满了纸箱';
    const same = textSimilarity(report, '3号楼楼道堆满纸箱，消防通道堵了');
    const reworded = textSimilarity(report, '3号楼楼道堆放大量纸箱杂物');
    const other = textSimilarity(report, '小区门口路灯不亮了');
    expect(same).toBeGreaterThan(0.3);
    expect(reworded).toBeGreaterThan(0.2);
    expect(other).toBe(0);
    // a domain word stays whole: 飞线充电 matches 飞线充电, not the 楼道 of a different problem
    expect(textSimilarity('楼道里有人飞线充电', '5号楼有电动车飞线充电')).toBeGreaterThan(textSimilarity('楼道里有人飞线充电', '楼道里堆满了纸箱'));
    // a typo still overlaps through bigrams
    expect(textSimilarity('楼道堆物很多', '楼到堆物很多')).toBeGreaterThan(0.05);
    expect(textSimilarity('', '')).toBe(0);
    expect(textSimilarity(report, report)).toBe(1);
  });

  it('measures distance on the sphere and boxes a radius generously', () => {
    const a = { lat: 31.2304, lng: 121.5106 };
    // 0.0009° of latitude ≈ 100 m
    expect(haversineMeters(a, { lat: a.lat + 0.0009, lng: a.lng })).toBeCloseTo(100.08, 0);
    expect(haversineMeters(a, a)).toBe(0);
    const box = boundingBox(a, 100);
    const east = { lat: a.lat, lng: box.maxLng };
    expect(haversineMeters(a, east)).toBeGreaterThan(100);
    expect(haversineMeters(a, { lat: box.maxLat, lng: a.lng })).toBeGreaterThan(100);
  });

  it('keeps candidates above the score and inside their radius, best text first, then nearer, then newer', () => {
    const at = (d: string) => new Date(`2026-11-${d}T02:00:00Z`);
    const ranked = rankSimilar(
      [
        { id: 'far', score: 0.9, distanceMeters: 120, radiusM: 50, createdAt: at('20') },
        { id: 'low', score: 0.01, distanceMeters: 5, radiusM: 50, createdAt: at('20') },
        { id: 'b', score: 0.4, distanceMeters: 30, radiusM: 50, createdAt: at('20') },
        { id: 'a', score: 0.4, distanceMeters: 10, radiusM: 50, createdAt: at('19') },
        { id: 'c', score: 0.6, distanceMeters: null, radiusM: 50, createdAt: at('18') },
        { id: 'd', score: 0.4, distanceMeters: 10, radiusM: 50, createdAt: at('21') },
      ],
      0.05,
      3,
    );
    expect(ranked.map((r) => r.id)).toEqual(['c', 'd', 'a']);
  });

  it('shortens and scrubs a description for residents', () => {
    expect(publicDescription('楼道堆物，联系我13812345678')).toBe('楼道堆物，联系我138****5678');
    expect(publicDescription('一'.repeat(100), 60)).toBe(`${'一'.repeat(60)}…`);
    expect(publicDescription('身份证310101199001011234丢了')).toBe('身份证310***********1234丢了');
  });
});
