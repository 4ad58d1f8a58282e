import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { ROW_PROBLEMS, type LedgerField, type RowProblemCode } from '../../../shared/ledger.ts';
import { matchAddressToCommittee, matchCommittee, parseAddress, type IndexedRegion, type RegionIndex } from './address.ts';
import { cleanCell, parseDate, parseIdNumber, parsePhone, parseSex } from './validation.ts';

/**
 * From a spreadsheet's cells to a ledger row: which row is the header and what each column means,
 * then each data row checked and normalised. Pure; the region index and tag dictionary come in.
 */

/** What a column can hold: a ledger field, a tag (a 是/否 column or a list of categories), or row metadata. */
export type ColumnTarget = LedgerField | `tag.${string}` | 'tags' | 'record_key' | 'note' | 'observed_at' | 'ignore';

const HEADER_ALIASES: ReadonlyArray<[ColumnTarget, readonly string[]]> = [
  ['name', ['姓名', '名字', '居民姓名', '人员姓名']],
  ['id_number', ['身份证号', '身份证号码', '公民身份号码', '公民身份证号码', '证件号码', '身份证']],
  ['sex', ['性别']],
  ['birth_date', ['出生日期', '出生年月', '出生年月日', '生日']],
  ['phone', ['联系电话', '手机', '手机号', '手机号码', '电话', '电话号码', '联系方式']],
  ['hukou_address', ['户籍地址', '户籍地', '户口所在地', '户籍所在地', '户籍详址']],
  ['residence_address', ['居住地址', '现住址', '现居住地址', '实际居住地址', '居住地', '家庭住址', '住址', '现住地址']],
  ['committee', ['所属居委', '所属居委会', '居委会', '居委', '所属社区', '居村委', '所属居村委', '社区']],
  ['record_key', ['记录编号', '档案编号', '记录号', '编号']],
  ['note', ['备注', '说明']],
  ['household_number', ['户号', '户编号']],
  ['relation_to_head', ['与户主关系', '户主关系']],
  ['emergency_contact_name', ['紧急联系人', '紧急联系人姓名']],
  ['emergency_contact_phone', ['紧急联系人电话', '紧急联系电话', '紧急联系人手机']],
  ['guardian_name', ['监护人', '监护人姓名']],
  ['guardian_phone', ['监护人电话', '监护人联系电话', '监护人手机']],
  ['tags', ['人员类别', '标签', '人员标签', '类别']],
  ['observed_at', ['登记日期', '采集日期', '更新日期', '核实日期', '走访日期']],
  ['ignore', ['序号', '行号']],
];

export interface TagEntry {
  code: string;
  name: string;
  derived: boolean;
}

/** 身份证号(必填)*： → 身份证号 */
export function normalizeHeader(cell: string): string {
  return cleanCell(cell)
    .replace(/\s/g, '')
    .replace(/[（(][^）)]*[）)]/g, '')
    .replace(/[*＊:：]/g, '');
}

function targetOfHeader(cell: string, tags: readonly TagEntry[]): ColumnTarget | null {
  const header = normalizeHeader(cell);
  if (header === '') return null;
  for (const [target, aliases] of HEADER_ALIASES) if (aliases.includes(header)) return target;
  const tag = tags.find((t) => !t.derived && (t.name === header || `是否${t.name}` === header));
  return tag ? `tag.${tag.code}` : null;
}

export interface ColumnMapping {
  /** 1-based row number of the header in the sheet. */
  headerRow: number;
  headers: string[];
  /** Per column (0-based), what it holds; null for columns not recognised (kept in the source record only). */
  targets: Array<ColumnTarget | null>;
}

/** A saved or uploaded mapping: header text → target, overriding what auto-detection would choose. */
export type MappingOverrides = Readonly<Record<string, ColumnTarget>>;

/** Rows a header may sit below (title rows, merged cells, notes) before detection gives up. */
export const HEADER_SEARCH_ROWS = 20;

/**
 * The header is the row among the first rows with the most recognised column names (at least two,
 * one of them the name); a merged title row above it ("2026年梅园一村高龄老人名单") is skipped.
 */
export function detectMapping(rows: ReadonlyArray<{ number: number; cells: string[] }>, tags: readonly TagEntry[], given: MappingOverrides = {}): ColumnMapping | null {
  // a mapping names headers as the file writes them ("证件号(18位)", as the preview shows them); cells are compared normalised
  const overrides: Record<string, ColumnTarget> = {};
  for (const [header, target] of Object.entries(given)) overrides[normalizeHeader(header)] = target;
  let best: { row: { number: number; cells: string[] }; score: number } | null = null;
  for (const row of rows.slice(0, HEADER_SEARCH_ROWS)) {
    const targets = row.cells.map((c) => overrides[normalizeHeader(c)] ?? targetOfHeader(c, tags));
    const score = new Set(targets.filter((t) => t !== null && t !== 'ignore')).size;
    if (score >= 2 && targets.includes('name') && (!best || score > best.score)) best = { row, score };
  }
  if (!best) return null;
  const seen = new Set<ColumnTarget>();
  const targets = best.row.cells.map((c) => {
    const target = overrides[normalizeHeader(c)] ?? targetOfHeader(c, tags);
    // the first column of a kind wins; a second 电话 column stays in the source record only
    if (target === null || (target !== 'ignore' && seen.has(target))) return null;
    seen.add(target);
    return target;
  });
  return { headerRow: best.row.number, headers: best.row.cells.map(cleanCell), targets };
}

/**
 * Where a person would look for the header when detection recognised none: the first of the rows with
 * the most filled cells (a title row above has one). Its cells as the preview shows headers.
 */
export function likelyHeader(rows: ReadonlyArray<{ number: number; cells: string[] }>): { row: number; headers: string[] } | null {
  let best: { number: number; cells: string[]; filled: number } | null = null;
  for (const row of rows.slice(0, HEADER_SEARCH_ROWS)) {
    const filled = row.cells.filter((c) => cleanCell(c) !== '').length;
    if (filled > (best?.filled ?? 0)) best = { ...row, filled };
  }
  return best && { row: best.number, headers: best.cells.map(cleanCell) };
}

export interface RowProblem {
  code: RowProblemCode;
  field: string | null;
  value: string | null;
}

export interface PreparedRow {
  rowNumber: number;
  /** The source's own key (记录编号), or null when the row has none (its hash stands in). */
  recordKey: string | null;
  rowHash: string;
  /** Every non-empty cell under its header, as received: the source record. */
  data: Record<string, string>;
  values: Partial<Record<LedgerField, string>>;
  /** tag code → whether the source says the person has it. */
  tags: Record<string, boolean>;
  committee: IndexedRegion;
  /** The parsed residence address, when it names a dwelling. */
  dwelling: { key: string; place: string; building: string | null; unit: string | null; room: string | null; address: string } | null;
  observedAt: string | null;
  problems: RowProblem[];
}

export type RowOutcome = { kind: 'empty' } | { kind: 'rejected'; problems: RowProblem[] } | { kind: 'ready'; row: PreparedRow };

export interface RowContext {
  mapping: ColumnMapping;
  regions: RegionIndex;
  tags: readonly TagEntry[];
  /** The committee rows without a committee column belong to (the importer's own, when they have exactly one). */
  defaultCommittee: IndexedRegion | null;
  today: Date;
}

/** Han characters (with the middle dot of minority names) or Latin letters; nothing a spreadsheet could run. */
const PERSON_NAME = /^[\p{Script=Han}A-Za-z][\p{Script=Han}A-Za-z·•.\s]*$/u;

const YES = new Set(['是', '有', 'y', 'yes', '1', '√', '✓', 'true']);
const NO = new Set(['否', '无', 'n', 'no', '0', '×', 'false', '']);
const MAX_VALUE_LENGTH = 200;

/**
 * An ID number Excel kept as a number: beyond 2^53 the last digits are gone, and the cell prints as
 * the double's shortest decimal (310115195001011260) or in exponent form (3.10115E+17).
 */
function lostDigits(text: string): boolean {
  if (/^\d(\.\d+)?e\+?1[4-8]$/i.test(text)) return true;
  const n = Number(text);
  return /^\d{16,18}$/.test(text) && !Number.isSafeInteger(n) && String(n) === text;
}

export function rowHash(source: string, data: Record<string, string>): string {
  return createHash('sha256').update(canonicalize({ source, data }) ?? '').digest('hex');
}

/** Checks and normalises one data row. `cells` are the sheet's cells as text. */
export function prepareRow(source: string, rowNumber: number, cells: readonly string[], context: RowContext): RowOutcome {
  const { mapping } = context;
  const problems: RowProblem[] = [];
  const problem = (code: RowProblemCode, field: string | null, value: string | null) => problems.push({ code, field, value });
  const data: Record<string, string> = {};
  const raw = new Map<ColumnTarget, string>();
  cells.forEach((cell, index) => {
    const value = cleanCell(cell);
    if (value === '') return;
    const header = mapping.headers[index] || `第${index + 1}列`;
    data[header] = value;
    const target = mapping.targets[index];
    if (target && target !== 'ignore') raw.set(target, value);
  });
  if (Object.keys(data).length === 0) return { kind: 'empty' };

  const values: Partial<Record<LedgerField, string>> = {};
  const name = raw.get('name');
  if (!name) problem('name_missing', 'name', null);
  else if (name.length > 50 || !PERSON_NAME.test(name)) problem('name_invalid', 'name', name);
  else values.name = name.replace(/\s+/g, name.match(/[\u4e00-\u9fa5]/) ? '' : ' ');

  let idBirth: string | null = null;
  let idSex: string | null = null;
  const idText = raw.get('id_number');
  if (idText) {
    const id = parseIdNumber(idText, context.today);
    if (id.ok) {
      values.id_number = id.value.number;
      idBirth = id.value.birthDate;
      idSex = id.value.sex;
    } else {
      problem(lostDigits(idText) ? 'id_number_lost_digits' : 'id_invalid', 'id_number', idText);
    }
  }
  const sexText = raw.get('sex');
  if (sexText) {
    const sex = parseSex(sexText);
    if (!sex.ok) problem('sex_invalid', 'sex', sexText);
    else if (idSex && sex.value !== idSex) problem('sex_mismatch', 'sex', sexText);
    else values.sex = sex.value;
  }
  if (!values.sex && idSex) values.sex = idSex;
  const birthText = raw.get('birth_date');
  if (birthText) {
    const birth = parseDate(birthText);
    if (!birth.ok) problem('birth_date_invalid', 'birth_date', birthText);
    else if (idBirth && birth.value !== idBirth) problem('birth_date_mismatch', 'birth_date', birthText);
    else values.birth_date = birth.value;
  }
  if (!values.birth_date && idBirth) values.birth_date = idBirth;

  for (const field of ['phone', 'emergency_contact_phone', 'guardian_phone'] as const) {
    const text = raw.get(field);
    if (!text) continue;
    const phone = parsePhone(text);
    if (phone.ok) values[field] = phone.value.number;
    else problem('phone_invalid', field, text);
  }
  for (const field of ['hukou_address', 'residence_address', 'household_number', 'relation_to_head', 'emergency_contact_name', 'guardian_name'] as const) {
    const text = raw.get(field);
    if (!text) continue;
    if (text.length > MAX_VALUE_LENGTH) problem('value_too_long', field, text.slice(0, 50));
    else values[field] = text;
  }

  const tags: Record<string, boolean> = {};
  for (const [target, text] of raw) {
    if (!target.startsWith('tag.')) continue;
    const answer = text.toLowerCase();
    if (YES.has(answer)) tags[target.slice(4)] = true;
    else if (NO.has(answer)) tags[target.slice(4)] = false;
    else problem('tag_value_invalid', target, text);
  }
  const tagList = raw.get('tags');
  if (tagList) {
    for (const word of tagList.split(/[、,，;；/\s]+/).filter(Boolean)) {
      const tag = context.tags.find((t) => !t.derived && (t.name === word || t.code === word));
      if (tag) tags[tag.code] = true;
      else problem('tag_unknown', 'tags', word);
    }
  }

  let observedAt: string | null = null;
  const observedText = raw.get('observed_at');
  if (observedText) {
    const observed = parseDate(observedText);
    if (observed.ok) observedAt = observed.value;
    else problem('observed_at_invalid', 'observed_at', observedText);
  }

  const recordKey = raw.get('record_key') ?? null;
  if (recordKey && recordKey.length > 100) problem('record_key_too_long', 'record_key', recordKey.slice(0, 50));

  const parsedAddress = values.residence_address ? parseAddress(values.residence_address) : null;
  let committee: IndexedRegion | null = null;
  const committeeText = raw.get('committee');
  if (committeeText) {
    const match = matchCommittee(committeeText, context.regions);
    if (match.kind === 'matched') committee = match.region;
    else problem(match.kind === 'ambiguous' ? 'committee_ambiguous' : 'committee_unknown', 'committee', committeeText);
  } else {
    const match = parsedAddress ? matchAddressToCommittee(parsedAddress, context.regions) : ({ kind: 'none' } as const);
    if (match.kind === 'matched') committee = match.region;
    else if (context.defaultCommittee) committee = context.defaultCommittee;
    else problem('committee_missing', 'committee', null);
  }
  if (committee) values.committee = committee.code;

  if (problems.some((p) => ROW_PROBLEMS[p.code].effect === 'reject') || !committee) return { kind: 'rejected', problems };
  const dwelling =
    parsedAddress?.dwellingKey
      ? {
          key: parsedAddress.dwellingKey,
          place: parsedAddress.dwellingKey.split('|')[0]!,
          building: parsedAddress.building,
          unit: parsedAddress.unit,
          room: parsedAddress.room,
          address: parsedAddress.normalized,
        }
      : null;
  return {
    kind: 'ready',
    row: { rowNumber, recordKey, rowHash: rowHash(source, data), data, values, tags, committee, dwelling, observedAt, problems },
  };
}
