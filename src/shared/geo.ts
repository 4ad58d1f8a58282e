import gcoordModule from 'gcoord';

// gcoord ships CommonJS typed as an ES module: under Node the default import is module.exports,
// under a bundler its ESM build's default export. Both carry the same API.
type Gcoord = typeof gcoordModule.default;
const gcoord: Gcoord = (gcoordModule as unknown as { default?: Gcoord }).default ?? (gcoordModule as unknown as Gcoord);

/**
 * Chinese maps and phone location services publish GCJ-02 ("火星坐标"), offset from WGS-84 by
 * up to several hundred metres; the platform stores WGS-84 (what Open311 and GPS devices use).
 */
export function gcj02ToWgs84(lat: number, lng: number): { lat: number; lng: number } {
  const [x, y] = gcoord.transform<[number, number]>([lng, lat], gcoord.GCJ02, gcoord.WGS84);
  return { lat: y, lng: x };
}

export function wgs84ToGcj02(lat: number, lng: number): { lat: number; lng: number } {
  const [x, y] = gcoord.transform<[number, number]>([lng, lat], gcoord.WGS84, gcoord.GCJ02);
  return { lat: y, lng: x };
}
