import type { Locale } from './i18n/locale.ts';

/**
 * Report templates (多表合一): a department's form described as data. The server compiles a
 * template into one SQL query over the ledger; the console's designer edits the same structure.
 *
 * - `list`: one row per person (or per household), the chosen columns, optional grouping with a
 *   subtotal row per group and a grand total.
 * - `summary`: one row per committee (or street) with counts (measures), subtotal rows per street
 *   and a total row for the whole region.
 */

/** Columns of a person list. `tag.<code>` columns are also allowed (是 / blank). */
export const PERSON_COLUMNS = [
  'name',
  'sex',
  'birth_date',
  'age',
  'id_number',
  'phone',
  'residence_address',
  'hukou_address',
  'dwelling_address',
  'street',
  'committee',
  'household_number',
  'relation_to_head',
  'emergency_contact_name',
  'emergency_contact_phone',
  'guardian_name',
  'guardian_phone',
  'tags',
] as const;
export type PersonColumn = (typeof PERSON_COLUMNS)[number];

/** Columns of a household list (the head of household is the member recorded as 户主, else the eldest). */
export const HOUSEHOLD_COLUMNS = ['household_number', 'street', 'committee', 'head_name', 'head_id_number', 'head_phone', 'address', 'member_count', 'members'] as const;
export type HouseholdColumn = (typeof HOUSEHOLD_COLUMNS)[number];

export const MEASURES = ['persons', 'male', 'female', 'age_band', 'tag', 'households', 'dwellings'] as const;
export type MeasureKind = (typeof MEASURES)[number];

export const LIST_GROUPS = ['street', 'committee', 'dwelling', 'household'] as const;
export type ListGroup = (typeof LIST_GROUPS)[number];
export const SUMMARY_GROUPS = ['committee', 'street'] as const;
export type SummaryGroup = (typeof SUMMARY_GROUPS)[number];

/** Which persons a report counts or lists; a household is listed when one of its members matches. */
export interface ReportFilter {
  /** Persons with every one of these tags. */
  tagsAll?: string[];
  /** Persons with at least one of these tags. */
  tagsAny?: string[];
  /** Age in whole years on the report's day, inclusive. */
  minAge?: number;
  maxAge?: number;
  sex?: 'male' | 'female';
}

export interface ListColumn {
  /** A column of the subject's catalogue, or `tag.<code>` for persons. */
  field: string;
  /** The header as the department writes it; defaults to the catalogue's label. */
  label?: string;
  /** Full ID or phone number, for the roles that may see it (otherwise masked regardless). */
  unmasked?: boolean;
  /** Column width in characters. */
  width?: number;
}

export interface Measure {
  key: string;
  label: string;
  kind: MeasureKind;
  /** For `tag`. */
  tag?: string;
  /** For `age_band`, inclusive; open-ended when absent. */
  minAge?: number;
  maxAge?: number;
}

export interface ListTemplate {
  kind: 'list';
  subject: 'person' | 'household';
  title: string;
  filter: ReportFilter;
  columns: ListColumn[];
  groupBy?: ListGroup;
  /** Subtotal row per group and a grand total row (counts of rows). */
  totals: boolean;
  sort?: Array<{ field: string; direction: 'asc' | 'desc' }>;
}

export interface SummaryTemplate {
  kind: 'summary';
  title: string;
  filter: ReportFilter;
  groupBy: SummaryGroup;
  measures: Measure[];
  /** Street subtotals (when grouped by committee) and the total of the region. */
  totals: boolean;
}

export type ReportDefinition = ListTemplate | SummaryTemplate;

export const REPORT_FORMATS = ['xlsx', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

type Labels = Record<Locale, string>;

export const PERSON_COLUMN_LABELS: Record<PersonColumn, Labels> = {
  name: { 'zh-CN': '姓名', en: 'Name' },
  sex: { 'zh-CN': '性别', en: 'Sex' },
  birth_date: { 'zh-CN': '出生日期', en: 'Date of birth' },
  age: { 'zh-CN': '年龄', en: 'Age' },
  id_number: { 'zh-CN': '身份证号', en: 'ID number' },
  phone: { 'zh-CN': '联系电话', en: 'Phone' },
  residence_address: { 'zh-CN': '居住地址', en: 'Address of residence' },
  hukou_address: { 'zh-CN': '户籍地址', en: 'Registered (hukou) address' },
  dwelling_address: { 'zh-CN': '房屋地址', en: 'Dwelling' },
  street: { 'zh-CN': '街镇', en: 'Street / town' },
  committee: { 'zh-CN': '居村委', en: 'Committee' },
  household_number: { 'zh-CN': '户号', en: 'Household number' },
  relation_to_head: { 'zh-CN': '与户主关系', en: 'Relation to head' },
  emergency_contact_name: { 'zh-CN': '紧急联系人', en: 'Emergency contact' },
  emergency_contact_phone: { 'zh-CN': '紧急联系人电话', en: 'Emergency contact’s phone' },
  guardian_name: { 'zh-CN': '监护人', en: 'Guardian' },
  guardian_phone: { 'zh-CN': '监护人电话', en: 'Guardian’s phone' },
  tags: { 'zh-CN': '人员类别', en: 'Categories' },
};

export const HOUSEHOLD_COLUMN_LABELS: Record<HouseholdColumn, Labels> = {
  household_number: { 'zh-CN': '户号', en: 'Household number' },
  street: { 'zh-CN': '街镇', en: 'Street / town' },
  committee: { 'zh-CN': '居村委', en: 'Committee' },
  head_name: { 'zh-CN': '户主姓名', en: 'Head of household' },
  head_id_number: { 'zh-CN': '户主身份证号', en: 'Head’s ID number' },
  head_phone: { 'zh-CN': '联系电话', en: 'Phone' },
  address: { 'zh-CN': '家庭住址', en: 'Address' },
  member_count: { 'zh-CN': '家庭人数', en: 'Members' },
  members: { 'zh-CN': '家庭成员', en: 'Member names' },
};

/** Columns that hold an ID or phone number: masked unless the template asks and the role may. */
export const IDENTIFIER_COLUMNS: ReadonlySet<string> = new Set(['id_number', 'phone', 'emergency_contact_phone', 'guardian_phone', 'head_id_number', 'head_phone']);
