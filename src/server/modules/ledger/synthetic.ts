import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import ExcelJS from 'exceljs';
import { loadRegionTreeFile } from '../regions/commands.ts';
import { committeeCore } from './address.ts';
import { idCheckDigit } from './validation.ts';

/**
 * A synthetic population of Pudong for tests, the demo and the bench: households in dwellings under
 * the 1,526 committees of the bundled region tree, and the rows three departments would hold about
 * them, written the way each department writes them, with the known truth (which rows are the same
 * person). Deterministic from a seed; every person is computed from the seed and their index alone,
 * so any slice streams in constant memory. Nobody real: names are drawn from common characters, ID
 * numbers are valid GB 11643 numbers under Pudong's area code, mobiles lie in the 1390000 block.
 *
 * The departments:
 * - 公安实有人口: everyone, with a valid 18-digit ID number, household number and relation to the head;
 * - 民政: people over 60 and welfare cases, tags 低保 / 孤老 / 低收入; ID numbers sometimes missing,
 *   first-generation 15-digit or mistyped; names sometimes in traditional characters or a homophone;
 *   dates as Excel serials, 1950/1/2 or 1950年1月2日, sometimes day and month swapped;
 * - 卫健: a share of everyone, with mobile numbers, mostly without ID numbers, addresses written
 *   freely ("100弄3号502", "3号楼502室", full-width digits, Chinese numerals).
 */

// ---- deterministic randomness --------------------------------------------------------------------

/** SplitMix32-style hash of a seed and a stream of integers: the same inputs, the same number. */
function hash(seed: number, ...parts: number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

/** A small random stream for one person or household. */
class Draw {
  private n = 0;
  constructor(private readonly seed: number, private readonly key: number, private readonly salt: number) {}
  /** A number in [0, 1). */
  next(): number {
    this.n += 1;
    return hash(this.seed, this.salt, this.key, this.n) / 4_294_967_296;
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---- names ---------------------------------------------------------------------------------------

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '潘', '袁', '蔡', '蒋', '余', '于', '杜', '叶', '程', '魏', '苏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆', '汪', '范', '金', '石', '廖', '贾', '夏', '韦', '傅', '方', '邹', '孟', '熊', '秦', '邱', '江', '尹', '薛', '严', '顾', '侯', '邵', '龚'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '华', '平', '刚', '桂', '英', '兰', '玉', '红', '国', '建', '志', '海', '燕', '文', '宇', '晨', '欣', '佳', '浩', '婷', '雪', '琳', '斌', '凤', '萍', '亮', '飞', '鹏', '辉', '春', '秀', '德', '荣', '成', '新', '林', '宏', '峰', '霞', '梅', '颖', '昊', '瑶', '丹', '慧', '俊', '云', '东', '晓', '立', '忠', '卫', '民', '庆', '永', '金', '福', '树', '长', '祥', '宁', '安', '嘉', '怡', '睿', '博', '子', '思', '梓', '涵', '轩', '诗', '雨'];

/** Simplified → traditional for the characters above that have a traditional form (as some registers still write). */
const TRADITIONAL: Record<string, string> = {
  刘: '劉', 陈: '陳', 杨: '楊', 黄: '黃', 赵: '趙', 吴: '吳', 孙: '孫', 马: '馬', 郭: '郭', 罗: '羅', 郑: '鄭', 梁: '梁', 谢: '謝', 许: '許', 韩: '韓', 冯: '馮', 邓: '鄧', 彭: '彭', 肖: '蕭', 董: '董', 潘: '潘', 袁: '袁', 蒋: '蔣', 苏: '蘇', 吕: '呂', 卢: '盧', 钟: '鍾', 谭: '譚', 陆: '陸', 汪: '汪', 贾: '賈', 韦: '韋', 邹: '鄒', 熊: '熊', 邱: '邱', 尹: '尹', 薛: '薛', 严: '嚴', 顾: '顧', 龚: '龔',
  伟: '偉', 娜: '娜', 丽: '麗', 军: '軍', 艳: '艷', 杰: '傑', 涛: '濤', 华: '華', 刚: '剛', 兰: '蘭', 红: '紅', 国: '國', 海: '海', 燕: '燕', 琳: '琳', 凤: '鳳', 亮: '亮', 飞: '飛', 鹏: '鵬', 辉: '輝', 荣: '榮', 宏: '宏', 峰: '峰', 霞: '霞', 颖: '穎', 丹: '丹', 俊: '俊', 云: '雲', 东: '東', 晓: '曉', 卫: '衛', 庆: '慶', 长: '長', 宁: '寧', 怡: '怡', 睿: '睿', 博: '博', 涵: '涵', 轩: '軒', 诗: '詩',
};
/** Characters people mishear or mistype for one another (same pinyin). */
const HOMOPHONES: Record<string, string> = {
  伟: '玮', 芳: '方', 静: '靜', 丽: '莉', 强: '墙', 磊: '蕾', 军: '君', 洋: '阳', 勇: '永', 艳: '燕', 杰: '洁', 娟: '鹃', 明: '鸣', 华: '桦', 平: '萍', 刚: '钢', 英: '瑛', 兰: '岚', 红: '虹', 国: '帼', 建: '健', 志: '智', 海: '海', 文: '雯', 宇: '雨', 晨: '辰', 欣: '新', 佳: '嘉', 浩: '昊', 婷: '亭', 琳: '林', 斌: '彬', 凤: '峰', 亮: '良', 飞: '菲', 鹏: '朋', 辉: '慧', 春: '椿', 德: '得', 荣: '蓉', 成: '诚', 宏: '红', 霞: '侠', 梅: '玫', 颖: '莹', 瑶: '遥', 丹: '单', 俊: '骏', 云: '芸', 东: '冬', 晓: '筱', 立: '丽', 忠: '中', 卫: '伟', 民: '敏', 庆: '青', 金: '今', 福: '富', 祥: '翔', 宁: '凝', 安: '岸', 怡: '宜', 睿: '瑞', 子: '紫', 思: '丝', 涵: '含', 轩: '萱', 诗: '诗', 雨: '语',
};

function variantName(name: string, kind: 'traditional' | 'homophone'): string {
  const chars = [...name];
  if (kind === 'traditional') return chars.map((c) => TRADITIONAL[c] ?? c).join('');
  // the given name is the part people mishear; the family name is usually spelled out
  const i = chars.length - 1;
  chars[i] = HOMOPHONES[chars[i]!] ?? chars[i]!;
  return chars.join('');
}

// ---- the region tree -----------------------------------------------------------------------------

export interface SyntheticCommittee {
  code: string;
  name: string;
  streetName: string;
  /** The estate name addresses use (梅园一村). */
  estate: string;
}

/** Every committee of the bundled Pudong tree, in code order (1,526). */
export const PUDONG_COMMITTEES: readonly SyntheticCommittee[] = loadRegionTreeFile().streets.flatMap((s) =>
  s.committees.map((c) => ({ code: c.code, name: c.name, streetName: s.name, estate: committeeCore(c.name) })),
);

const ROADS = ['东方路', '浦东南路', '张杨路', '崂山路', '潍坊路', '浦电路', '福山路', '源深路', '峨山路', '南泉路', '松林路', '文登路', '沂南路', '灵山路', '博山路', '昌邑路'];

// ---- the population ------------------------------------------------------------------------------

export interface PopulationOptions {
  seed: number;
  /** Households to generate; persons ≈ 2.6 × households (Pudong: 2.2 million households, 5.7 million persons). */
  households: number;
  /** The committees households are spread over (default: all of Pudong's). */
  committees?: readonly SyntheticCommittee[];
  /** The day ages are counted on (default 2026-01-01), so that the data does not change with the clock. */
  today?: string;
}

export interface SyntheticDwelling {
  committee: SyntheticCommittee;
  style: 'estate' | 'lane';
  road: string | null;
  lane: number | null;
  building: number;
  unit: number;
  room: number;
}

export interface TruePerson {
  /** The truth: the same number for every row about this person. */
  personIndex: number;
  householdIndex: number;
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
  idNumber: string;
  phone: string;
  dwelling: SyntheticDwelling;
  relation: string;
  tags: string[];
  /** A registered disability (残疾人证): category (1 视力 … 7 多重) and grade (1 一级, the most severe, … 4). */
  disability: { category: number; grade: number } | null;
}

const PERSONS_PER_HOUSEHOLD = [1, 1, 2, 2, 2, 3, 3, 3, 4, 5]; // mean 2.6

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The birth date: the year drawn for the age, the day of the year from the person's index, so that
 * with the sequence number (also from the index) no two persons share an ID number.
 */
function birthDateFor(draw: Draw, personIndex: number, ageFrom: number, ageTo: number, todayYear: number): string {
  const year = todayYear - ageFrom - draw.int(Math.max(1, ageTo - ageFrom + 1));
  let day = personIndex % 365;
  let month = 0;
  while (day >= MONTH_DAYS[month]!) day -= MONTH_DAYS[month++]!;
  return `${year}-${pad(month + 1)}-${pad(day + 1)}`;
}

/**
 * A valid 18-character ID number, unique per person index below 5.8 million: the day of birth is
 * the index modulo 365, the sequence the next factor, the area code the one after (310115 and
 * the 31 codes above it). The sequence's parity is the sex.
 */
export function syntheticIdNumber(birthDate: string, sex: 'male' | 'female', personIndex: number): string {
  const seq = (Math.floor(personIndex / 365) % 500) * 2 + (sex === 'male' ? 1 : 0);
  const area = 310115 + (Math.floor(personIndex / (365 * 500)) % 32);
  const first17 = `${area}${birthDate.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckDigit(first17);
}

/** The persons of one household: a head, perhaps a spouse, children and an elderly parent. */
export function household(options: PopulationOptions, householdIndex: number, firstPersonIndex: number): TruePerson[] {
  const committees = options.committees ?? PUDONG_COMMITTEES;
  const todayYear = Number((options.today ?? '2026-01-01').slice(0, 4));
  const draw = new Draw(options.seed, householdIndex, 1);
  const committee = committees[householdIndex % committees.length]!;
  const slot = Math.floor(householdIndex / committees.length);
  const lane = draw.chance(0.35);
  const dwelling: SyntheticDwelling = {
    committee,
    style: lane ? 'lane' : 'estate',
    road: lane ? draw.pick(ROADS) : null,
    lane: lane ? 10 + draw.int(990) : null,
    // dwellings are distinct within a committee: the slot decides building, unit and room
    building: 1 + Math.floor(slot / 24),
    unit: 1 + (Math.floor(slot / 6) % 4),
    room: (1 + (slot % 6)) * 100 + 1 + (Math.floor(slot / 6) % 2),
  };
  const size = draw.pick(PERSONS_PER_HOUSEHOLD);
  const surname = draw.pick(SURNAMES);
  const members: Array<{ relation: string; ageFrom: number; ageTo: number; sex?: 'male' | 'female'; surname: string }> = [];
  if (size === 1) members.push({ relation: '户主', ageFrom: 60, ageTo: 95, surname });
  else {
    const headAge = 25 + draw.int(60);
    members.push({ relation: '户主', ageFrom: headAge, ageTo: headAge + 3, sex: 'male', surname });
    members.push({ relation: '配偶', ageFrom: headAge - 2, ageTo: headAge + 2, sex: 'female', surname: draw.pick(SURNAMES) });
    for (let i = 2; i < size; i += 1) {
      if (i === 4 || (i === 3 && headAge < 45)) members.push({ relation: '父母', ageFrom: headAge + 22, ageTo: headAge + 32, surname });
      else members.push({ relation: '子女', ageFrom: Math.max(1, headAge - 40), ageTo: Math.max(1, headAge - 22), surname });
    }
  }
  return members.map((m, i) => {
    const personIndex = firstPersonIndex + i;
    const p = new Draw(options.seed, personIndex, 2);
    const sex = m.sex ?? (p.chance(0.5) ? 'male' : 'female');
    const birthDate = birthDateFor(p, personIndex, m.ageFrom, m.ageTo, todayYear);
    const given = p.chance(0.45) ? p.pick(GIVEN) : p.pick(GIVEN) + p.pick(GIVEN);
    const age = todayYear - Number(birthDate.slice(0, 4));
    const tags: string[] = [];
    if (age >= 60 && p.chance(0.04)) tags.push('低保');
    if (age >= 70 && size === 1 && p.chance(0.3)) tags.push('孤老');
    if (p.chance(0.02)) tags.push('低收入');
    // Shanghai: about 2.4 % of residents hold a disability certificate, more among the old (drawn last: the draws above stay as they were)
    const disability = p.chance(age >= 60 ? 0.05 : 0.015) ? { category: 1 + p.int(7), grade: 1 + p.int(4) } : null;
    return {
      personIndex,
      householdIndex,
      name: m.surname + given,
      sex,
      birthDate,
      idNumber: syntheticIdNumber(birthDate, sex, personIndex),
      phone: `139${pad(personIndex % 100_000_000, 8)}`,
      dwelling,
      relation: m.relation,
      tags,
      disability,
    };
  });
}

/** Every person, household by household, in constant memory. */
export function* population(options: PopulationOptions): Generator<TruePerson> {
  let next = 0;
  for (let h = 0; h < options.households; h += 1) {
    const members = household(options, h, next);
    next += members.length;
    yield* members;
  }
}

// ---- how departments write things ----------------------------------------------------------------

const FULL_WIDTH = (text: string) => text.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
const CN = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 502 → 五〇二 (digit by digit, as room numbers are read); 3 → 三, 12 → 十二, 100 → 一百. */
function chinese(n: number, digitwise: boolean): string {
  if (digitwise) return [...String(n)].map((d) => CN[Number(d)]).join('');
  if (n < 10) return CN[n]!;
  if (n < 20) return `十${n % 10 ? CN[n % 10] : ''}`;
  if (n < 100) return `${CN[Math.floor(n / 10)]}十${n % 10 ? CN[n % 10] : ''}`;
  return [...String(n)].map((d) => CN[Number(d)]).join('');
}

/** The canonical address as the police register writes it. */
export function canonicalAddress(d: SyntheticDwelling): string {
  const place = d.style === 'lane' ? `${d.road}${d.lane}弄${d.building}号` : `${d.committee.estate}${d.building}号楼`;
  return `浦东新区${d.committee.streetName}${place}${d.unit}单元${d.room}室`;
}

/** The same dwelling as someone else would write it: shorthand, full-width digits, Chinese numerals. */
export function variantAddress(d: SyntheticDwelling, draw: Draw): string {
  const style = draw.int(5);
  if (d.style === 'lane') {
    if (style === 0) return `${d.road}${d.lane}弄${d.building}号${d.room}`; // 东方路100弄3号502
    if (style === 1) return FULL_WIDTH(`${d.road}${d.lane}弄${d.building}号${d.room}室`);
    if (style === 2) return `${d.road}${chinese(d.lane!, false)}弄${chinese(d.building, false)}号${chinese(d.room, true)}室`;
    if (style === 3) return `上海市浦东新区${d.road}${d.lane}弄${d.building}号${d.unit}单元${d.room}室`;
    return `${d.road}${d.lane}弄${d.building}号${d.room}室`;
  }
  const estate = d.committee.estate;
  if (style === 0) return `${estate}${d.building}号楼${d.room}室`; // 3号楼502室
  if (style === 1) return FULL_WIDTH(`${estate}${d.building}号楼${d.unit}单元${d.room}室`);
  if (style === 2) return `${estate}${chinese(d.building, false)}号楼${chinese(d.unit, false)}单元${chinese(d.room, true)}室`;
  if (style === 3) return `${estate}${d.building}-${d.unit}-${d.room}`;
  return `${estate}${d.building}号${d.room}室`;
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
/** YYYY-MM-DD → the Excel serial day number (1900 date system, dates after 1900-03-01). */
export function excelSerial(date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - EXCEL_EPOCH) / 86_400_000);
}

function messyDate(date: string, draw: Draw, swapDayMonth: boolean): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [month, day] = swapDayMonth && d <= 12 ? [d, m] : [m, d];
  const swapped = `${y}-${pad(month)}-${pad(day)}`;
  const style = draw.int(4);
  if (style === 0) return String(excelSerial(swapped));
  if (style === 1) return `${y}/${month}/${day}`;
  if (style === 2) return `${y}年${month}月${day}日`;
  return swapped;
}

// ---- the three sources ---------------------------------------------------------------------------

export const SYNTHETIC_SOURCES = ['公安实有人口', '民政', '卫健', '残联'] as const;
export type SyntheticSource = (typeof SYNTHETIC_SOURCES)[number];

/** Each department's header row, as its spreadsheets have it. */
export const SOURCE_HEADERS: Record<SyntheticSource, readonly string[]> = {
  公安实有人口: ['记录编号', '姓名', '公民身份号码', '性别', '出生日期', '户号', '与户主关系', '户籍地址', '居住地址', '所属居委'],
  民政: ['记录编号', '姓名', '身份证号', '性别', '出生日期', '联系电话', '现住址', '所属居委', '人员类别', '备注'],
  卫健: ['记录编号', '姓名', '身份证号', '性别', '出生年月', '手机', '现住址', '所属居委'],
  // 残疾人证号, 残疾类别 and 残疾等级 are not ledger fields: the import keeps them in the source record
  残联: ['记录编号', '姓名', '身份证号', '性别', '出生日期', '联系电话', '居住地址', '所属居委', '人员类别', '监护人', '监护人电话', '残疾人证号', '残疾类别', '残疾等级'],
};

const DISABILITY_CATEGORIES = ['视力残疾', '听力残疾', '言语残疾', '肢体残疾', '智力残疾', '精神残疾', '多重残疾'];
const GRADES = ['一级', '二级', '三级', '四级'];

/** What kind of mess a row carries: for measuring linkage per error kind. */
export type Mess = 'traditional' | 'homophone' | 'id_missing' | 'id_15' | 'id_mistyped' | 'date_swapped' | 'address_variant';

export interface SourceRow {
  source: SyntheticSource;
  /** The person the row is about (the known truth). */
  personIndex: number;
  recordKey: string;
  cells: string[];
  mess: Mess[];
}

export interface SourceRates {
  /** Share of persons 60 and over 民政 holds (welfare cases are always there). */
  civilAffairsElderly: number;
  /** Share of everyone 卫健 holds. */
  health: number;
}

const DEFAULT_RATES: SourceRates = { civilAffairsElderly: 0.5, health: 0.3 };

function committeeCell(c: SyntheticCommittee): string {
  // with the street in front: some committee names exist in several streets
  return `${c.streetName}${c.name}`;
}

function idCell(p: TruePerson, draw: Draw, rates: { missing: number; old: number; mistyped: number }, mess: Mess[]): string {
  const r = draw.next();
  if (r < rates.missing) {
    mess.push('id_missing');
    return '';
  }
  if (r < rates.missing + rates.old && p.birthDate < '2000') {
    mess.push('id_15');
    return p.idNumber.slice(0, 6) + p.idNumber.slice(8, 17);
  }
  if (r < rates.missing + rates.old + rates.mistyped) {
    mess.push('id_mistyped');
    const i = 14 + draw.int(3);
    return p.idNumber.slice(0, i) + String((Number(p.idNumber[i]) + 1) % 10) + p.idNumber.slice(i + 1);
  }
  return p.idNumber;
}

function nameCell(p: TruePerson, draw: Draw, traditional: number, homophone: number, mess: Mess[]): string {
  const r = draw.next();
  if (r < traditional) {
    const name = variantName(p.name, 'traditional');
    if (name !== p.name) mess.push('traditional');
    return name;
  }
  if (r < traditional + homophone) {
    const name = variantName(p.name, 'homophone');
    if (name !== p.name) mess.push('homophone');
    return name;
  }
  return p.name;
}

/** The rows the three departments hold about one person (none, one, two or three). */
export function rowsOf(p: TruePerson, options: PopulationOptions, rates: SourceRates = DEFAULT_RATES): SourceRow[] {
  const draw = new Draw(options.seed, p.personIndex, 3);
  const todayYear = Number((options.today ?? '2026-01-01').slice(0, 4));
  const sexCell = p.sex === 'male' ? '男' : '女';
  const rows: SourceRow[] = [
    {
      source: '公安实有人口',
      personIndex: p.personIndex,
      recordKey: `GA${pad(p.personIndex, 8)}`,
      cells: [`GA${pad(p.personIndex, 8)}`, p.name, p.idNumber, sexCell, p.birthDate, `H${pad(p.householdIndex, 8)}`, p.relation, canonicalAddress(p.dwelling), canonicalAddress(p.dwelling), committeeCell(p.dwelling.committee)],
      mess: [],
    },
  ];
  const age = todayYear - Number(p.birthDate.slice(0, 4));
  if (p.tags.length > 0 || (age >= 60 && draw.chance(rates.civilAffairsElderly))) {
    const mess: Mess[] = [];
    const name = nameCell(p, draw, 0.08, 0.05, mess);
    const id = idCell(p, draw, { missing: 0.3, old: 0.1, mistyped: 0.03 }, mess);
    const swap = draw.chance(0.05);
    if (swap && Number(p.birthDate.slice(8)) <= 12 && p.birthDate.slice(5, 7) !== p.birthDate.slice(8)) mess.push('date_swapped');
    const address = draw.chance(0.5) ? variantAddress(p.dwelling, draw) : canonicalAddress(p.dwelling);
    if (address !== canonicalAddress(p.dwelling)) mess.push('address_variant');
    const key = `MZ${pad(p.personIndex, 8)}`;
    rows.push({
      source: '民政',
      personIndex: p.personIndex,
      recordKey: key,
      // a swapped date contradicts a present ID number and the row would be refused: only when the number is absent
      cells: [key, name, id, sexCell, messyDate(p.birthDate, draw, swap && id === ''), draw.chance(0.6) ? p.phone : '', address, committeeCell(p.dwelling.committee), p.tags.join('、'), ''],
      mess,
    });
  }
  if (draw.chance(rates.health)) {
    const mess: Mess[] = [];
    const name = nameCell(p, draw, 0.02, 0.06, mess);
    const id = idCell(p, draw, { missing: 0.6, old: 0, mistyped: 0.02 }, mess);
    const swap = id === '' && draw.chance(0.04);
    if (swap && Number(p.birthDate.slice(8)) <= 12 && p.birthDate.slice(5, 7) !== p.birthDate.slice(8)) mess.push('date_swapped');
    const address = draw.chance(0.8) ? variantAddress(p.dwelling, draw) : canonicalAddress(p.dwelling);
    if (address !== canonicalAddress(p.dwelling)) mess.push('address_variant');
    const key = `WJ${pad(p.personIndex, 8)}`;
    rows.push({
      source: '卫健',
      personIndex: p.personIndex,
      recordKey: key,
      cells: [key, name, id, draw.chance(0.9) ? sexCell : '', messyDate(p.birthDate, draw, swap), draw.chance(0.9) ? p.phone : '', address, committeeCell(p.dwelling.committee)],
      mess,
    });
  }
  if (p.disability) {
    // its own draw stream, so that the other departments' rows are what they were before 残联 joined
    const d = new Draw(options.seed, p.personIndex, 4);
    const mess: Mess[] = [];
    const name = nameCell(p, d, 0.03, 0.03, mess);
    const id = idCell(p, d, { missing: 0.05, old: 0.05, mistyped: 0.02 }, mess);
    const address = d.chance(0.5) ? variantAddress(p.dwelling, d) : canonicalAddress(p.dwelling);
    if (address !== canonicalAddress(p.dwelling)) mess.push('address_variant');
    // intellectual and mental disabilities have a guardian on the certificate
    const guarded = p.disability.category === 5 || p.disability.category === 6;
    const guardian = guarded ? [p.name.slice(0, 1) + d.pick(GIVEN) + d.pick(GIVEN), `138${pad((p.personIndex * 7) % 100_000_000, 8)}`] : ['', ''];
    const key = `CL${pad(p.personIndex, 8)}`;
    rows.push({
      source: '残联',
      personIndex: p.personIndex,
      recordKey: key,
      // 残疾人证号 (second generation): the ID number, then the category and the grade
      cells: [key, name, id, sexCell, p.birthDate, d.chance(0.7) ? p.phone : '', address, committeeCell(p.dwelling.committee), '残疾', ...guardian, `${p.idNumber}${p.disability.category}${p.disability.grade}`, DISABILITY_CATEGORIES[p.disability.category - 1]!, GRADES[p.disability.grade - 1]!],
      mess,
    });
  }
  return rows;
}

/** Every row of every source, person by person, with the truth; constant memory. */
export function* sourceRows(options: PopulationOptions, rates: SourceRates = DEFAULT_RATES): Generator<SourceRow> {
  for (const person of population(options)) yield* rowsOf(person, options, rates);
}

// ---- writers -------------------------------------------------------------------------------------

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A department's rows as its CSV (UTF-8 with BOM, as Excel saves it), streamed to a file. */
export async function writeSourceCsv(path: string, source: SyntheticSource, rows: Iterable<SourceRow>): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(`\uFEFF${SOURCE_HEADERS[source].map(csvCell).join(',')}\r\n`);
  for (const row of rows) {
    if (row.source !== source) continue;
    await write(`${row.cells.map(csvCell).join(',')}\r\n`);
    written += 1;
  }
  out.end();
  await once(out, 'finish');
  return written;
}

/**
 * A department's rows as its XLSX, streamed (exceljs' streaming writer): a merged title row above
 * the header as departments print them, the ID number column as text, dates of 民政 as real Excel dates.
 */
export async function writeSourceXlsx(path: string, source: SyntheticSource, rows: Iterable<SourceRow>): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet('名单');
  const header = SOURCE_HEADERS[source];
  const title = sheet.addRow([`${source}名单（合成数据）`]);
  // merged before the row is committed: the streaming writer cannot go back to it
  sheet.mergeCells(1, 1, 1, header.length);
  title.commit();
  sheet.addRow([...header]).commit();
  const dateColumn = header.findIndex((h) => h.startsWith('出生'));
  let written = 0;
  for (const row of rows) {
    if (row.source !== source) continue;
    const cells: Array<string | number> = [...row.cells];
    // Excel serials go in as numbers, as a sheet that formats the column as a date holds them
    if (/^\d{5}$/.test(row.cells[dateColumn] ?? '')) cells[dateColumn] = Number(row.cells[dateColumn]);
    sheet.addRow(cells).commit();
    written += 1;
  }
  sheet.commit();
  await workbook.commit();
  return written;
}

// ---- measuring against the truth -----------------------------------------------------------------

export interface PairCounts {
  /** Pairs of records that are the same person and were linked to the same person. */
  truePositives: number;
  /** Pairs linked to the same person. */
  predicted: number;
  /** Pairs that are the same person. */
  actual: number;
  precision: number;
  recall: number;
}

/**
 * Pairwise precision and recall of a linkage: `records` are (truth, linked person) per record.
 * Counts pairs in groups, so a million records need only maps of their keys.
 */
export function pairwiseQuality(records: Iterable<{ truth: number; personId: string }>): PairCounts {
  const byTruth = new Map<number, number>();
  const byPerson = new Map<string, number>();
  const byBoth = new Map<string, number>();
  for (const r of records) {
    byTruth.set(r.truth, (byTruth.get(r.truth) ?? 0) + 1);
    byPerson.set(r.personId, (byPerson.get(r.personId) ?? 0) + 1);
    const both = `${r.truth} ${r.personId}`;
    byBoth.set(both, (byBoth.get(both) ?? 0) + 1);
  }
  const pairs = (counts: Map<unknown, number>) => [...counts.values()].reduce((sum, n) => sum + (n * (n - 1)) / 2, 0);
  const truePositives = pairs(byBoth);
  const predicted = pairs(byPerson);
  const actual = pairs(byTruth);
  return { truePositives, predicted, actual, precision: predicted === 0 ? 1 : truePositives / predicted, recall: actual === 0 ? 1 : truePositives / actual };
}

/** The person a synthetic record key is about (GA00000042, MZ00000042, WJ00000042 → 42). */
export function truthOfRecordKey(recordKey: string): number | null {
  const m = /^(?:GA|MZ|WJ|CL)(\d{8})$/.exec(recordKey);
  return m ? Number(m[1]) : null;
}
