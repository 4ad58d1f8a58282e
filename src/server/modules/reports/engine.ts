import { Value } from 'typebox/value';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { maskIdNumber, maskName, maskPhone } from '../../../shared/mask.ts';
import {
  HOUSEHOLD_COLUMN_LABELS,
  HOUSEHOLD_COLUMNS,
  IDENTIFIER_COLUMNS,
  PERSON_COLUMN_LABELS,
  PERSON_COLUMNS,
  type ListTemplate,
  type ReportDefinition,
  type SummaryTemplate,
} from '../../../shared/reports.ts';
import { AppError } from '../../platform/errors.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { Scope } from '../../platform/access.ts';
import { SENSITIVE_TAG_CATEGORIES } from '../ledger/policy.ts';
import { listTags, type LedgerTag } from '../ledger/repository.ts';
import { queryList, querySummary } from './repository.ts';
import { ReportDefinitionSchema } from './schemas.ts';

/**
 * The report engine: checks a template against the ledger's vocabulary and the viewer's rights,
 * runs its one query and shapes the rows (masking, subtotals, totals) into a table that the
 * XLSX writer and the JSON answer both present.
 */

export type Cell = string | number | null;

export interface ReportTable {
  title: string;
  columns: Array<{ key: string; label: string; width: number }>;
  rows: Array<{ kind: 'data' | 'subtotal' | 'total'; cells: Cell[] }>;
  /** Data rows only. */
  rowCount: number;
  /** Whether the report shows health, disability or welfare data. */
  sensitive: boolean;
  /** Whether it shows ID or phone numbers in full. */
  unmasked: boolean;
}

/** What the person asking may see: the ledger's rules (`ledger.personal.read`) decide. */
export interface Viewer {
  personal: boolean;
}

const PERSON_SET: ReadonlySet<string> = new Set(PERSON_COLUMNS);
const HOUSEHOLD_SET: ReadonlySet<string> = new Set(HOUSEHOLD_COLUMNS);
const NAME_COLUMNS: ReadonlySet<string> = new Set(['name', 'emergency_contact_name', 'guardian_name', 'head_name']);
const ADDRESS_COLUMNS: ReadonlySet<string> = new Set(['residence_address', 'hukou_address', 'dwelling_address', 'address']);

const invalid = (reason: string) => new AppError('REPORT_TEMPLATE_INVALID', { reason });

/** A stored or submitted definition, checked against the schema (stored rows may predate a change). */
export function parseDefinition(value: unknown): ReportDefinition {
  if (!Value.Check(ReportDefinitionSchema, value)) throw invalid('definition does not match the schema');
  return value as ReportDefinition;
}

/** The tags the definition refers to, for checks against the dictionary. */
function referencedTags(def: ReportDefinition): string[] {
  const tags = [...(def.filter.tagsAll ?? []), ...(def.filter.tagsAny ?? [])];
  if (def.kind === 'list') tags.push(...def.columns.filter((c) => c.field.startsWith('tag.')).map((c) => c.field.slice(4)));
  else tags.push(...def.measures.flatMap((m) => (m.kind === 'tag' && m.tag ? [m.tag] : [])));
  return tags;
}

/**
 * Checks that every column, sort key and tag exists; answers whether the template touches
 * sensitive categories (a tag of the welfare, disability, health or security category).
 */
export function checkDefinition(def: ReportDefinition, tags: ReadonlyMap<string, LedgerTag>): { sensitive: boolean } {
  if (def.filter.minAge !== undefined && def.filter.maxAge !== undefined && def.filter.minAge > def.filter.maxAge) throw invalid('minAge is above maxAge');
  if (def.kind === 'list') {
    const known = def.subject === 'person' ? PERSON_SET : HOUSEHOLD_SET;
    for (const c of def.columns) {
      const isTag = def.subject === 'person' && c.field.startsWith('tag.');
      if (!isTag && !known.has(c.field)) throw invalid(`unknown column ${c.field}`);
    }
    for (const s of def.sort ?? []) {
      if (!def.columns.some((c) => c.field === s.field)) throw invalid(`sort by ${s.field}, which is not a column`);
    }
    if (def.subject === 'household' && (def.groupBy === 'dwelling' || def.groupBy === 'household')) throw invalid(`a household list cannot be grouped by ${def.groupBy}`);
  } else {
    const keys = new Set<string>();
    for (const m of def.measures) {
      if (keys.has(m.key)) throw invalid(`measure key ${m.key} twice`);
      keys.add(m.key);
      if (m.kind === 'tag' && !m.tag) throw invalid(`measure ${m.key} needs a tag`);
      if (m.kind === 'age_band' && m.minAge === undefined && m.maxAge === undefined) throw invalid(`measure ${m.key} needs minAge or maxAge`);
    }
  }
  let sensitive = false;
  for (const code of referencedTags(def)) {
    const tag = tags.get(code);
    if (!tag) throw invalid(`unknown tag ${code}`);
    if (SENSITIVE_TAG_CATEGORIES.has(tag.category)) sensitive = true;
  }
  return { sensitive };
}

function columnLabel(def: ListTemplate, field: string, locale: Locale, tags: ReadonlyMap<string, LedgerTag>): string {
  if (field.startsWith('tag.')) {
    const tag = tags.get(field.slice(4));
    return tag ? (locale === 'en' ? tag.nameEn : tag.name) : field;
  }
  const labels = def.subject === 'person' ? (PERSON_COLUMN_LABELS as Record<string, Record<Locale, string>>) : (HOUSEHOLD_COLUMN_LABELS as Record<string, Record<Locale, string>>);
  return labels[field]?.[locale] ?? field;
}

/** One value as the viewer may see it (PIPL: least exposure unless the role and the template both need it). */
function present(field: string, value: unknown, unmaskedColumn: boolean, viewer: Viewer, tags: ReadonlyMap<string, LedgerTag>, hidden: ReadonlySet<string>): Cell {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    return value
      .filter((code): code is string => typeof code === 'string' && !hidden.has(code))
      .map((code) => tags.get(code)?.name ?? code)
      .join('、');
  }
  if (typeof value === 'number') return value;
  const text = String(value);
  if (IDENTIFIER_COLUMNS.has(field)) {
    if (unmaskedColumn && viewer.personal) return text;
    return field === 'id_number' || field === 'head_id_number' ? maskIdNumber(text) : maskPhone(text);
  }
  if (viewer.personal) return text;
  if (NAME_COLUMNS.has(field)) return maskName(text);
  if (field === 'members') return text.split('、').map(maskName).join('、');
  if (field === 'birth_date') return text.slice(0, 4);
  if (ADDRESS_COLUMNS.has(field)) return null;
  return text;
}

interface RunScope {
  scope: Scope;
  regionPath: string;
  regionName: string;
}

/** Runs a template for a region as `viewer` sees it; refuses sensitive templates to roles that may not see them. */
export async function buildReport(db: Executor, def: ReportDefinition, where: RunScope, viewer: Viewer, locale: Locale): Promise<ReportTable> {
  const dictionary = await listTags(db);
  const tags = new Map(dictionary.map((t) => [t.code, t]));
  const { sensitive } = checkDefinition(def, tags);
  if (sensitive && !viewer.personal) throw new AppError('REPORT_SENSITIVE_FORBIDDEN');
  const hidden = new Set(viewer.personal ? [] : dictionary.filter((t) => SENSITIVE_TAG_CATEGORIES.has(t.category)).map((t) => t.code));
  return def.kind === 'list' ? listTable(db, def, where, viewer, locale, tags, hidden, sensitive) : summaryTable(db, def, where, locale, sensitive);
}

async function listTable(
  db: Executor,
  def: ListTemplate,
  where: RunScope,
  viewer: Viewer,
  locale: Locale,
  tags: ReadonlyMap<string, LedgerTag>,
  hidden: ReadonlySet<string>,
  sensitive: boolean,
): Promise<ReportTable> {
  const result = await queryList(db, where, def, [...tags.keys()]);
  const unit = def.subject === 'person' ? (locale === 'en' ? 'persons' : '人') : locale === 'en' ? 'households' : '户';
  const columns = def.columns.map((c) => ({ key: c.field, label: c.label ?? columnLabel(def, c.field, locale, tags), width: c.width ?? 14 }));
  const summaryRow = (kind: 'subtotal' | 'total', text: string): ReportTable['rows'][number] => ({ kind, cells: [text, ...columns.slice(1).map(() => null)] });
  const rows: ReportTable['rows'] = [];
  let group: { key: string | null; label: string | null; count: number } | null = null;
  const closeGroup = () => {
    if (group && def.groupBy && def.totals) rows.push(summaryRow('subtotal', locale === 'en' ? `Subtotal ${group.label ?? ''}: ${group.count} ${unit}` : `小计（${group.label || '未登记'}）：${group.count} ${unit}`));
  };
  for (const r of result) {
    if (!group || group.key !== r.groupKey) {
      closeGroup();
      group = { key: r.groupKey, label: r.groupLabel, count: 0 };
    }
    group.count += 1;
    rows.push({ kind: 'data', cells: def.columns.map((c, i) => present(c.field, r.cells[i], c.unmasked === true, viewer, tags, hidden)) });
  }
  closeGroup();
  if (def.totals) rows.push(summaryRow('total', locale === 'en' ? `Total: ${result.length} ${unit}` : `合计：${result.length} ${unit}`));
  const unmasked = viewer.personal && def.columns.some((c) => c.unmasked && IDENTIFIER_COLUMNS.has(c.field));
  return { title: def.title, columns, rows, rowCount: result.length, sensitive, unmasked };
}

async function summaryTable(db: Executor, def: SummaryTemplate, where: RunScope, locale: Locale, sensitive: boolean): Promise<ReportTable> {
  const result = await querySummary(db, where, def);
  const en = locale === 'en';
  const byCommittee = def.groupBy === 'committee';
  const columns = [
    { key: 'street', label: en ? 'Street / town' : '街镇', width: 16 },
    ...(byCommittee ? [{ key: 'committee', label: en ? 'Committee' : '居村委', width: 20 }] : []),
    ...def.measures.map((m) => ({ key: m.key, label: m.label, width: Math.max(8, [...m.label].length * 2 + 2) })),
  ];
  const rows: ReportTable['rows'] = result.map((r) => {
    if (r.level === 'total') return { kind: 'total', cells: [en ? `Total (${where.regionName})` : `合计（${where.regionName}）`, ...(byCommittee ? [null] : []), ...r.values] };
    if (r.level === 'subtotal') return { kind: 'subtotal', cells: [r.streetName, en ? 'Subtotal' : '小计', ...r.values] };
    return { kind: 'data', cells: [r.streetName, ...(byCommittee ? [r.name] : []), ...r.values] };
  });
  return { title: def.title, columns, rows, rowCount: rows.filter((r) => r.kind === 'data').length, sensitive, unmasked: false };
}
