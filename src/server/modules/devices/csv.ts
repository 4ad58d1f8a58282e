/**
 * A small RFC 4180 reader for the device import: comma-separated, fields optionally in double
 * quotes ("" inside quotes is a quote), CRLF or LF line ends. Returns the records with the line
 * number each starts on, so that errors can name the line people see in their spreadsheet.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export type CsvParseResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

export function parseCsv(text: string): CsvParseResult {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a BOM, as spreadsheet programs write it
  const endRecord = () => {
    fields.push(field);
    // a line with nothing on it is skipped (trailing newlines, blank separators)
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (field !== '') return { ok: false, line, message: 'a quote inside an unquoted field' };
      quoted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      continue;
    } else if (ch === '\n') {
      endRecord();
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (quoted) return { ok: false, line: recordLine, message: 'an unterminated quoted field' };
  endRecord();
  return { ok: true, records };
}
