import ExcelJS from 'exceljs';
import { idCheckDigit } from '../../src/server/modules/ledger/validation.ts';

/**
 * Synthetic residents for ledger tests: names from common surnames and given-name characters, ID
 * numbers with valid GB 11643 check digits under Pudong's area code, mobile numbers in the 1390000
 * block. Deterministic from a seed; nobody real.
 */

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '华', '建国', '桂英', '玉兰', '志强', '海燕'];

export interface SyntheticPerson {
  name: string;
  idNumber: string;
  sex: '男' | '女';
  birthDate: string;
  phone: string;
}

/** A valid 18-character ID number for a birth date and sequence (odd: male, even: female). */
export function idNumberFor(birthDate: string, sequence: number): string {
  const first17 = `310115${birthDate.replace(/-/g, '')}${String(sequence % 1000).padStart(3, '0')}`;
  return first17 + idCheckDigit(first17);
}

export function syntheticPerson(seed: number, birthDate?: string): SyntheticPerson {
  const year = 1930 + (seed * 7) % 90;
  const month = 1 + (seed * 5) % 12;
  const day = 1 + (seed * 3) % 28;
  const birth = birthDate ?? `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const sequence = (seed * 37) % 1000;
  return {
    name: SURNAMES[seed % SURNAMES.length]! + GIVEN[Math.floor(seed / SURNAMES.length) % GIVEN.length]!,
    idNumber: idNumberFor(birth, sequence),
    sex: sequence % 2 === 1 ? '男' : '女',
    birthDate: birth,
    phone: `1390000${String(seed % 10000).padStart(4, '0')}`,
  };
}

export function csvText(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return rows.map((r) => r.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',')).join('\r\n') + '\r\n';
}

/** An XLSX workbook built with exceljs, as a department's export looks: optional merged title row, then the rows. */
export async function xlsxBuffer(rows: ReadonlyArray<ReadonlyArray<string | number | Date | null>>, options: { title?: string; textColumns?: number[] } = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名单');
  if (options.title) {
    sheet.addRow([options.title]);
    sheet.mergeCells(1, 1, 1, Math.max(2, rows[0]?.length ?? 2));
  }
  for (const row of rows) sheet.addRow([...row]);
  for (const column of options.textColumns ?? []) sheet.getColumn(column).numFmt = '@';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A multipart body as a browser sends it (the platform's own FormData). */
export async function multipartBody(fields: Record<string, string>, file: { bytes: Buffer; name: string; type?: string } | null): Promise<{ payload: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }), file.name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

let gbkTable: Map<string, Buffer> | null = null;

/**
 * Text to GBK bytes, as Excel on a Chinese Windows saves "CSV": the encoder is the inverse of the
 * platform's own GB 18030 decoder over the two-byte GBK range (Node ships no GBK encoder).
 */
export function encodeGbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead += 1) {
      for (let trail = 0x40; trail <= 0xfe; trail += 1) {
        if (trail === 0x7f) continue;
        const bytes = Buffer.from([lead, trail]);
        const char = decoder.decode(bytes);
        if (char.length === 1 && char !== '\uFFFD' && !gbkTable.has(char)) gbkTable.set(char, bytes);
      }
    }
  }
  const table = gbkTable;
  return Buffer.concat(
    [...text].map((char) => {
      if (char.charCodeAt(0) < 0x80) return Buffer.from(char, 'latin1');
      const bytes = table.get(char);
      if (!bytes) throw new Error(`no GBK code for ${char}`);
      return bytes;
    }),
  );
}
