import { cleanCell } from './validation.ts';

/**
 * Shanghai-style addresses as people write them, parsed into their parts and matched to the region
 * tree. Pure: the region tree comes in as a `RegionIndex` built by the caller.
 *
 * Handles 上海市 / 浦东新区 / 陆家嘴街道 / 张江镇 prefixes, 路 + 弄 + 支弄 + 号, estates (梅园一村,
 * 汇豪天下), 号楼 / 幢 / 栋 / 座, 单元, 室, the shorthand "100弄3号502" and "3-2-502", full-width
 * digits and Chinese numerals before a marker (三号楼, 五〇二室, 一百弄, 十二号).
 */

export interface ParsedAddress {
  district: string | null;
  /** 街道 or 镇, with its suffix (陆家嘴街道, 张江镇). */
  street: string | null;
  road: string | null;
  lane: string | null;
  branchLane: string | null;
  /** 门牌号 on a road without a lane (东方路800号). */
  number: string | null;
  /** 小区 / 村 name when the address names one (梅园一村). */
  estate: string | null;
  building: string | null;
  unit: string | null;
  room: string | null;
  /** The place, building, unit and room in one canonical string: equal for equal dwellings. */
  dwellingKey: string | null;
  /** The address rewritten canonically (梅园一村3号楼2单元502室). */
  normalized: string;
}

const CN_DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** 五〇二 → 502 (digit by digit); 二十三 → 23, 一百 → 100, 十二 → 12 (positional). */
export function chineseNumeral(text: string): number | null {
  if (text === '' || [...text].some((c) => CN_DIGITS[c] === undefined && CN_UNITS[c] === undefined)) return null;
  if (![...text].some((c) => CN_UNITS[c] !== undefined)) return Number([...text].map((c) => CN_DIGITS[c]).join(''));
  let total = 0;
  let digit: number | null = null;
  for (const c of text) {
    const unit = CN_UNITS[c];
    if (unit === undefined) {
      digit = CN_DIGITS[c]!;
    } else {
      total += (digit ?? 1) * unit;
      digit = null;
    }
  }
  return total + (digit ?? 0);
}

const MARKERS = '号楼|号|弄|支弄|室|幢|栋|座|单元|层|楼';
const CN_NUMERAL_BEFORE_MARKER = new RegExp(`([〇零一二两三四五六七八九十百千]+)(?=${MARKERS}|$)`, 'g');

/**
 * Chinese numerals that count something (a run right before 号, 弄, 室, 单元 …) to digits; numerals
 * that are part of a name (梅园一村, 三林镇) stay, as they are not followed by a marker.
 */
function arabicNumerals(text: string): string {
  return text.replace(CN_NUMERAL_BEFORE_MARKER, (run, _group: string, offset: number) => {
    // 十里 / 三林: a name, unless the run is right after a digit, a marker or the start of a part
    const before = text.slice(0, offset);
    const afterName = before !== '' && !/[\d号弄室幢栋座元层楼-]$/.test(before) && /[\u4e00-\u9fa5]$/.test(before);
    if (afterName && !/^(号|弄|室|幢|栋|座|单元)/.test(text.slice(offset + run.length))) return run;
    const n = chineseNumeral(run);
    return n === null ? run : String(n);
  });
}

/** Text as parsing expects it: half-width, no spaces or commas, 上海市 dropped, numerals in digits. */
export function normalizeAddressText(input: string): string {
  let text = cleanCell(input).replace(/[\s,，、]/g, '').replace(/^(中国)?上海市?/, '');
  text = arabicNumerals(text);
  return text.replace(/[—–－]/g, '-');
}

const DISTRICT = /^([\u4e00-\u9fa5]{2,4}?(?:新区|区))(?!\d)/;
const STREET = /^([\u4e00-\u9fa5]{2,8}?(?:街道|新镇|镇))/;
const ROAD = /^([\u4e00-\u9fa5A-Za-z]{1,14}?(?:大道|公路|路|街))(?=\d|[\u4e00-\u9fa5]|$)/;

export function parseAddress(input: string): ParsedAddress {
  const normalizedText = normalizeAddressText(input);
  const parts: ParsedAddress = {
    district: null, street: null, road: null, lane: null, branchLane: null, number: null,
    estate: null, building: null, unit: null, room: null, dwellingKey: null, normalized: '',
  };
  let rest = normalizedText;
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(rest);
    if (m) rest = rest.slice(m[0].length);
    return m;
  };
  const district = DISTRICT.exec(rest);
  if (district && !district[1]!.endsWith('小区')) {
    parts.district = district[1]!;
    rest = rest.slice(district[0].length);
  }
  const street = take(STREET);
  if (street) parts.street = street[1]!;

  while (rest !== '') {
    let m: RegExpExecArray | null;
    if ((m = take(/^(\d+)-(\d+)-(\d+)$/))) {
      parts.building ??= m[1]!;
      parts.unit = m[2]!;
      parts.room = m[3]!;
    } else if ((m = take(/^(\d+)-(\d+)$/))) {
      parts.building ??= m[1]!;
      parts.room = m[2]!;
    } else if ((m = take(/^(\d+)支弄/))) parts.branchLane = m[1]!;
    else if ((m = take(/^(\d+)弄/))) parts.lane = m[1]!;
    else if ((m = take(/^(\d+)(?:号楼|幢|栋|座)/))) parts.building = m[1]!;
    else if ((m = take(/^(\d+)号/))) {
      // After a lane or inside an estate, 3号 is a building; on a road alone it is the door number.
      if (parts.road && !parts.lane && parts.number === null) parts.number = m[1]!;
      else parts.building ??= m[1]!;
    } else if ((m = take(/^(\d+)单元/))) parts.unit = m[1]!;
    else if ((m = take(/^(\d+)(?:室|户)/))) parts.room = m[1]!;
    else if (take(/^(\d+)(?:层|楼)/)) {
      // a floor: implied by the room number
    } else if ((m = take(/^(\d+)$/))) parts.room = m[1]!;
    else if (take(/^-+/)) {
      // a separator
    } else if (!parts.road && !parts.estate && (m = take(ROAD))) parts.road = m[1]!;
    else if ((m = take(/^([^\d-]+)/))) {
      const words = m[1]!.replace(/(小区|居委会|居民区)$/, '');
      if (!parts.estate && !parts.building && words !== '') parts.estate = words;
    } else {
      // a digit run that no marker explains (e.g. "3号楼502室101"): keep it as part of the room
      m = take(/^\d+/);
      if (!m) break;
    }
  }
  if (parts.lane && !parts.road && parts.estate) {
    // "浦东南路" parsed as an estate because the lane came first: a name ending in 路 is a road
    if (/(?:路|街|大道|公路)$/.test(parts.estate)) {
      parts.road = parts.estate;
      parts.estate = null;
    }
  }
  const place = parts.estate ?? (parts.road || parts.lane ? `${parts.road ?? ''}${parts.lane ? `${parts.lane}弄` : ''}${parts.branchLane ? `${parts.branchLane}支弄` : ''}${parts.number ? `${parts.number}号` : ''}` : null);
  if (place && (parts.building || parts.room)) {
    parts.dwellingKey = [place, parts.building ?? '', parts.unit ?? '', parts.room ?? ''].join('|');
  }
  parts.normalized = [
    parts.district ?? '',
    parts.street ?? '',
    place ?? '',
    parts.building ? `${parts.building}号楼` : '',
    parts.unit ? `${parts.unit}单元` : '',
    parts.room ? `${parts.room}室` : '',
  ].join('');
  if (parts.normalized === '') parts.normalized = normalizedText;
  return parts;
}

// ---- matching to the region tree -----------------------------------------------------------------

export interface IndexedRegion {
  code: string;
  name: string;
  path: string;
  /** The 街镇 a committee belongs to. */
  streetName: string | null;
}

export interface RegionIndex {
  streets: IndexedRegion[];
  committees: IndexedRegion[];
}

const COMMITTEE_SUFFIX = /(居民委员会|村民委员会|居委会|村委会|居委|村委|社区)$/;

/** 梅园一村居委会 → 梅园一村: the part of a committee's name that addresses and people use. */
export function committeeCore(name: string): string {
  return name.replace(COMMITTEE_SUFFIX, '');
}

interface CommitteeCores {
  cores: Array<{ core: string; region: IndexedRegion }>;
  byCore: Map<string, IndexedRegion[]>;
}

/** Every committee's core name, computed once per index: an import matches every row against 1,526 committees. */
const coresByIndex = new WeakMap<RegionIndex, CommitteeCores>();

function coresOf(index: RegionIndex): CommitteeCores {
  let entry = coresByIndex.get(index);
  if (!entry) {
    const cores = index.committees.map((region) => ({ core: committeeCore(region.name), region }));
    const byCore = new Map<string, IndexedRegion[]>();
    for (const { core, region } of cores) byCore.set(core, [...(byCore.get(core) ?? []), region]);
    entry = { cores, byCore };
    coresByIndex.set(index, entry);
  }
  return entry;
}

export type RegionMatch = { kind: 'matched'; region: IndexedRegion } | { kind: 'ambiguous'; candidates: IndexedRegion[] } | { kind: 'none' };

function decide(candidates: IndexedRegion[]): RegionMatch {
  const unique = [...new Map(candidates.map((c) => [c.code, c])).values()];
  if (unique.length === 1) return { kind: 'matched', region: unique[0]! };
  if (unique.length > 1) return { kind: 'ambiguous', candidates: unique };
  return { kind: 'none' };
}

/**
 * A committee named in a 所属居委 cell: 梅园一村居委会, 梅园一村, or with its street in front
 * (潍坊新村街道陈家宅居委会) when the same name exists in several streets.
 */
export function matchCommittee(input: string, index: RegionIndex): RegionMatch {
  const text = normalizeAddressText(input);
  if (text === '') return { kind: 'none' };
  const street = index.streets.find((s) => text.startsWith(s.name));
  const name = committeeCore(street ? text.slice(street.name.length) : text);
  if (name === '') return { kind: 'none' };
  return decide((coresOf(index).byCore.get(name) ?? []).filter((c) => !street || c.streetName === street.name));
}

/**
 * The committee an address lies in: the committee whose name (without 居委会) the address contains,
 * the longest such name first, narrowed to the address's street when it names one.
 */
export function matchAddressToCommittee(parsed: ParsedAddress, index: RegionIndex): RegionMatch {
  const text = normalizeAddressText(parsed.normalized);
  const street = parsed.street ? index.streets.find((s) => s.name === parsed.street) : undefined;
  const hits = coresOf(index).cores.filter(({ core, region }) => core.length >= 2 && text.includes(core) && (!street || region.streetName === street.name));
  if (hits.length === 0) return { kind: 'none' };
  const longest = Math.max(...hits.map((h) => h.core.length));
  return decide(hits.filter((h) => h.core.length === longest).map((h) => h.region));
}
