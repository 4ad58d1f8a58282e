import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';

/**
 * Reading departments' spreadsheets as a stream of rows of text, whatever their size: CSV in UTF-8
 * or GBK (GB 18030), and XLSX through exceljs's streaming reader (the first worksheet). Nothing
 * here holds more than one row, plus the XLSX shared-string table, in memory.
 */

export type SheetFormat = 'csv' | 'xlsx';

export interface SheetRow {
  /** 1-based: the line of the CSV record, the row number of the worksheet. */
  number: number;
  cells: string[];
}

const SNIFF_BYTES = 64 * 1024;

export type Sniffed = { format: 'xlsx' } | { format: 'csv'; encoding: 'utf-8' | 'gb18030'; delimiter: string } | { format: null; reason: 'legacy_xls' | 'binary' | 'empty' };

/**
 * What a file is, from its first bytes (never its name): XLSX is a ZIP; an old .xls is an OLE2
 * compound file (refused with its own reason: save it as .xlsx); CSV is text that decodes as UTF-8
 * or else GB 18030 (a superset of GBK) without control characters.
 */
export function sniffSheet(head: Buffer): Sniffed {
  if (head.length === 0) return { format: null, reason: 'empty' };
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return { format: 'xlsx' };
  if (head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return { format: null, reason: 'legacy_xls' };
  let encoding: 'utf-8' | 'gb18030' = 'utf-8';
  let text: string;
  try {
    // stream: a multi-byte character cut at the end of the sample is not an error
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    encoding = 'gb18030';
    text = new TextDecoder('gb18030').decode(head);
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what marks a binary file
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD]/.test(text)) return { format: null, reason: 'binary' };
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', '\t', ';'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
  return { format: 'csv', encoding, delimiter };
}

export async function sniffFile(path: string): Promise<Sniffed> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return sniffSheet(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

async function* decodedText(path: string, encoding: string): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) yield decoder.decode(chunk as Buffer, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}

async function* csvRows(path: string, encoding: string, delimiter: string): AsyncGenerator<SheetRow> {
  const parser = Readable.from(decodedText(path, encoding)).pipe(
    parse({ bom: true, delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, info: true }),
  );
  for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield { number: record.info.lines, cells: record.record };
  }
}

/** A cell's value as the person sees it: dates as YYYY-MM-DD, formulas by their result, rich text as text. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  // Integers print without exponent up to 1e21; an 18-digit ID number Excel stored as a number has
  // already lost its last digits, and prints as the shortest decimal of the double (see rows.ts).
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'object') {
    const v = value as { richText?: Array<{ text: string }>; result?: unknown; text?: unknown; error?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result);
    if (typeof v.text === 'string') return v.text;
    if ('error' in v) return '';
  }
  return String(value);
}

async function* xlsxRows(path: string): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  for await (const worksheet of reader) {
    for await (const row of worksheet) {
      const values = row.values as unknown[];
      const cells: string[] = [];
      // row.values is 1-based and sparse
      for (let i = 1; i < values.length; i += 1) cells.push(cellText(values[i]));
      yield { number: row.number, cells };
    }
    return; // the first worksheet only
  }
}

export function readSheet(path: string, sniffed: Exclude<Sniffed, { format: null }>): AsyncGenerator<SheetRow> {
  return sniffed.format === 'xlsx' ? xlsxRows(path) : csvRows(path, sniffed.encoding, sniffed.delimiter);
}

