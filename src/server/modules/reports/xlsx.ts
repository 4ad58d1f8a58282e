import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { neutralizeCell } from '../ledger/report.ts';
import type { Cell, ReportTable } from './engine.ts';

export interface Letterhead {
  regionName: string;
  /** 统计截止日期, YYYY-MM-DD (Shanghai). */
  asOf: string;
  generatedBy: string;
  generatedAt: Date;
  templateLabel: string;
}

const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const shanghai = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

/** Text a spreadsheet program would evaluate is kept as text (formula injection). */
const safe = (cell: Cell): string | number | null => (typeof cell === 'string' ? neutralizeCell(cell) : cell);

/**
 * The report as a department expects the form: title and the region with 统计截止日期 above a bold,
 * bordered header that stays in view (frozen), bordered rows, bold subtotal and total rows, and a
 * footer naming who made it and when (制表人 / 制表时间). Only the template's columns.
 */
export async function reportXlsx(table: ReportTable, head: Letterhead, locale: Locale): Promise<Buffer> {
  const en = locale === 'en';
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  workbook.creator = `Gongzhi 共治 · ${head.generatedBy}`;
  workbook.created = head.generatedAt;
  const width = table.columns.length;
  const sheet = workbook.addWorksheet(neutralizeCell(table.title).slice(0, 31).replace(/[\\/?*[\]:]/g, ' '), {
    views: [{ state: 'frozen', ySplit: 3 }],
    pageSetup: { orientation: width > 7 ? 'landscape' : 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 },
  });
  sheet.columns = table.columns.map((c) => ({ width: c.width }));

  const title = sheet.addRow([safe(table.title)]);
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  title.height = 28;
  if (width > 1) sheet.mergeCells(1, 1, 1, width);
  title.commit();
  const sub = sheet.addRow([safe(en ? `Region: ${head.regionName}    As of: ${head.asOf}    ${head.templateLabel}` : `区域：${head.regionName}    统计截止日期：${head.asOf}    ${head.templateLabel}`)]);
  if (width > 1) sheet.mergeCells(2, 1, 2, width);
  sub.commit();

  const header = sheet.addRow(table.columns.map((c) => safe(c.label)));
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.border = BORDER;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
  });
  header.commit();

  let rowNumber = 3;
  for (const r of table.rows) {
    const row = sheet.addRow(r.cells.map(safe));
    rowNumber += 1;
    for (let c = 1; c <= width; c += 1) {
      const cell = row.getCell(c);
      cell.border = BORDER;
      if (r.kind !== 'data') cell.font = { bold: true };
    }
    // a list's subtotal and total rows are one sentence across the row
    if (r.kind !== 'data' && width > 1 && r.cells.slice(1).every((x) => x === null)) sheet.mergeCells(rowNumber, 1, rowNumber, width);
    row.commit();
  }

  sheet.addRow([]).commit();
  const who = sheet.addRow([safe(en ? `Prepared by: ${head.generatedBy}    Prepared at: ${shanghai(head.generatedAt)}` : `制表人：${head.generatedBy}    制表时间：${shanghai(head.generatedAt)}`)]);
  who.font = { italic: true };
  who.commit();
  const note = sheet.addRow([en ? 'Generated from the Gongzhi committee ledger (one source per field). Contains personal information: keep it safe.' : '本表由共治居村电子台账自动生成（多表合一、一数一源），含个人信息，请妥善保管，不得外传。']);
  note.font = { italic: true, color: { argb: 'FF666666' } };
  note.commit();
  sheet.commit();
  await workbook.commit();
  await done;
  return Buffer.concat(chunks);
}
