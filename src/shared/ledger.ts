import type { Locale } from './i18n/locale.ts';

/** The committee ledger's vocabulary, shared by the server and the console. */

/** The fields of a person the ledger keeps with provenance; tags are fields `tag.<code>`. */
export const LEDGER_FIELDS = [
  'name',
  'id_number',
  'sex',
  'birth_date',
  'phone',
  'hukou_address',
  'residence_address',
  'committee',
  'household_number',
  'relation_to_head',
  'emergency_contact_name',
  'emergency_contact_phone',
  'guardian_name',
  'guardian_phone',
] as const;
export type LedgerField = (typeof LEDGER_FIELDS)[number];

export const LEDGER_FIELD_LABELS: Record<LedgerField, Record<Locale, string>> = {
  name: { 'zh-CN': '姓名', en: 'Name' },
  id_number: { 'zh-CN': '身份证号', en: 'ID number' },
  sex: { 'zh-CN': '性别', en: 'Sex' },
  birth_date: { 'zh-CN': '出生日期', en: 'Date of birth' },
  phone: { 'zh-CN': '联系电话', en: 'Phone' },
  hukou_address: { 'zh-CN': '户籍地址', en: 'Registered (hukou) address' },
  residence_address: { 'zh-CN': '居住地址', en: 'Address of residence' },
  committee: { 'zh-CN': '所属居委', en: 'Committee' },
  household_number: { 'zh-CN': '户号', en: 'Household number' },
  relation_to_head: { 'zh-CN': '与户主关系', en: 'Relation to the head of household' },
  emergency_contact_name: { 'zh-CN': '紧急联系人', en: 'Emergency contact' },
  emergency_contact_phone: { 'zh-CN': '紧急联系人电话', en: 'Emergency contact’s phone' },
  guardian_name: { 'zh-CN': '监护人', en: 'Guardian' },
  guardian_phone: { 'zh-CN': '监护人电话', en: 'Guardian’s phone' },
};

/** Fields shown masked by default and revealed one at a time with a reason (audited). */
export const REVEALABLE_FIELDS = ['id_number', 'phone', 'emergency_contact_phone', 'guardian_phone'] as const;
export type RevealableField = (typeof REVEALABLE_FIELDS)[number];

/** What became of a value received: on import (set … conflict), or by a reviewer (accepted, rejected, verified). */
export const HISTORY_OUTCOMES = ['set', 'confirmed', 'replaced', 'conflict', 'accepted', 'rejected', 'verified'] as const;
export type HistoryOutcome = (typeof HISTORY_OUTCOMES)[number];

export const IMPORT_STATUSES = ['running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/**
 * Why a row (or one of its cells) was not taken, by code. Rows with a `reject` problem are not
 * imported; a `drop` problem leaves that one cell out and keeps the rest of the row.
 */
export const ROW_PROBLEMS = {
  name_missing: { effect: 'reject', 'zh-CN': '缺少姓名', en: 'The name is missing' },
  name_invalid: { effect: 'reject', 'zh-CN': '姓名格式不正确', en: 'The name is not valid' },
  id_invalid: { effect: 'reject', 'zh-CN': '身份证号不正确（长度、校验位或出生日期）', en: 'The ID number is not valid (length, check digit or birth date)' },
  id_number_lost_digits: {
    effect: 'reject',
    'zh-CN': '身份证号被 Excel 存成了数字，末尾几位已丢失；请把该列设为文本后重新导出',
    en: 'Excel stored the ID number as a number and lost its last digits; format the column as text and export again',
  },
  sex_mismatch: { effect: 'reject', 'zh-CN': '性别与身份证号不一致', en: 'The sex does not match the ID number' },
  birth_date_mismatch: { effect: 'reject', 'zh-CN': '出生日期与身份证号不一致', en: 'The date of birth does not match the ID number' },
  committee_unknown: { effect: 'reject', 'zh-CN': '所属居委不存在或不在您的管辖范围内', en: 'The committee does not exist or is outside your scope' },
  committee_ambiguous: { effect: 'reject', 'zh-CN': '所属居委有重名，请在前面写上街镇名称', en: 'Several committees have this name; put the street or town in front' },
  committee_missing: { effect: 'reject', 'zh-CN': '无法确定所属居委（没有所属居委列，地址也无法匹配）', en: 'The committee cannot be told (no committee column, and the address matches none)' },
  record_key_too_long: { effect: 'reject', 'zh-CN': '记录编号过长（最多 100 个字符）', en: 'The record key is too long (at most 100 characters)' },
  sex_invalid: { effect: 'drop', 'zh-CN': '性别无法识别，已忽略该项', en: 'The sex was not understood and was left out' },
  birth_date_invalid: { effect: 'drop', 'zh-CN': '出生日期无法识别，已忽略该项', en: 'The date of birth was not understood and was left out' },
  phone_invalid: { effect: 'drop', 'zh-CN': '电话号码不正确，已忽略该项', en: 'The phone number is not valid and was left out' },
  tag_unknown: { effect: 'drop', 'zh-CN': '人员类别不在标签字典中，已忽略该项', en: 'The category is not in the tag dictionary and was left out' },
  tag_value_invalid: { effect: 'drop', 'zh-CN': '应填“是”或“否”，已忽略该项', en: 'Expected 是 (yes) or 否 (no); left out' },
  observed_at_invalid: { effect: 'drop', 'zh-CN': '登记日期无法识别，按导入时间记录', en: 'The record date was not understood; the import time is used' },
  value_too_long: { effect: 'drop', 'zh-CN': '内容过长（最多 200 个字符），已忽略该项', en: 'The value is too long (at most 200 characters) and was left out' },
} as const satisfies Record<string, { effect: 'reject' | 'drop' } & Record<Locale, string>>;
export type RowProblemCode = keyof typeof ROW_PROBLEMS;
