import { parse } from 'csv-parse/sync';

/**
 * The device import's CSV reader (`csv-parse`: RFC 4180 quoting, CRLF or LF, a spreadsheet's BOM,
 * blank lines skipped). Each record keeps the line number people see in their spreadsheet, so that
 * errors can name it.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export type CsvParseResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

// with `info: true` each row comes with where it was read; the typings describe only plain rows
interface ParsedRow {
  record: string[];
  info: { lines: number };
}

export function parseCsv(text: string): CsvParseResult {
  try {
    const rows = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as ParsedRow[];
    return { ok: true, records: rows.map((r) => ({ line: r.info.lines, fields: r.record })) };
  } catch (error) {
    const failure = error as { lines?: number; message?: string };
    return { ok: false, line: failure.lines ?? 1, message: failure.message ?? String(error) };
  }
}
