import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { LEDGER_FIELD_LABELS, ROW_PROBLEMS, type LedgerField, type RowProblemCode } from '../../../shared/ledger.ts';
import type { Locale } from '../../../shared/i18n/locale.ts';
import type { Executor } from '../../platform/db/index.ts';
import { listImportErrors, type ImportRun } from './repository.ts';

/**
 * A spreadsheet cell that a spreadsheet program would run as a formula (=, +, -, @, and the tab or
 * carriage return some programs strip first) is prefixed with an apostrophe: shown as text, never
 * evaluated (CSV/formula injection).
 */
export function neutralizeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const HEADERS: Record<Locale, string[]> = {
  'zh-CN': ['行号', '字段', '问题', '处理', '原始内容'],
  en: ['Row', 'Field', 'Problem', 'Effect', 'Value as received'],
};
const EFFECT: Record<'reject' | 'drop', Record<Locale, string>> = {
  reject: { 'zh-CN': '整行未导入', en: 'Row not imported' },
  drop: { 'zh-CN': '该项未导入，其余已导入', en: 'Cell left out, rest imported' },
};

function fieldLabel(field: string | null, locale: Locale): string {
  if (field === null) return '';
  const label = (LEDGER_FIELD_LABELS as Record<string, Record<Locale, string> | undefined>)[field];
  return label ? label[locale] : field;
}

/**
 * The error report of an import as XLSX, streamed: one row per problem in file order, with the row
 * number in the uploaded file, what is wrong and what happened to it.
 */
export async function writeErrorReport(db: Executor, run: ImportRun, locale: Locale, output: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false, useStyles: true });
  workbook.creator = 'Gongzhi 共治';
  const sheet = workbook.addWorksheet(locale === 'en' ? 'Problems' : '问题清单');
  sheet.columns = [{ width: 8 }, { width: 16 }, { width: 60 }, { width: 22 }, { width: 40 }];
  const title = sheet.addRow([neutralizeCell(`${run.fileName} · ${run.sourceName} · ${run.createdAt.toISOString()}`)]);
  title.font = { bold: true };
  title.commit();
  const header = sheet.addRow(HEADERS[locale]);
  header.font = { bold: true };
  header.commit();
  let after: string | null = null;
  for (;;) {
    const page = await listImportErrors(db, run.id, after, 1000);
    for (const e of page) {
      const problem = (ROW_PROBLEMS as Record<string, (typeof ROW_PROBLEMS)[RowProblemCode] | undefined>)[e.reason];
      sheet
        .addRow([
          e.rowNumber,
          fieldLabel(e.field as LedgerField | null, locale),
          neutralizeCell(problem ? problem[locale] : e.reason),
          problem ? EFFECT[problem.effect][locale] : '',
          neutralizeCell(e.value ?? ''),
        ])
        .commit();
    }
    if (page.length < 1000) break;
    after = page[page.length - 1]!.id;
  }
  sheet.commit();
  await workbook.commit();
}
