import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvText, syntheticPerson } from '../helpers/ledger-data.ts';

/** `gongzhi ledger import` as an operator runs it, on its own embedded database. */

const BIN = new URL('../../bin/gongzhi.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'gongzhi-ledger-cli-'));
const env = { ...process.env, DATA_DIR: join(dir, 'data'), DATABASE_URL: '', LOG_LEVEL: 'warn' };

function gongzhi(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('gongzhi ledger import', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a file with a mapping, changes nothing the second time, and refuses what is not a spreadsheet', async () => {
    const a = syntheticPerson(21);
    const b = syntheticPerson(22);
    const file = join(dir, '民政.csv');
    writeFileSync(file, csvText([['编码', '姓名', '身份证号', '所属居委'], ['MZ-1', a.name, a.idNumber, '梅园一村居委会'], ['MZ-2', b.name, b.idNumber, '潍坊新村街道陈家宅居委会']]));
    const mapping = join(dir, 'mapping.json');
    writeFileSync(mapping, JSON.stringify({ 编码: 'record_key' }));

    const first = await gongzhi(['ledger', 'import', '--source', '民政', '--mapping', mapping, file]);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'done', rows: 2, imported: 2, unchanged: 0, rejected: 0 });

    const second = await gongzhi(['ledger', 'import', '--source', 'civil_affairs', '--mapping', mapping, file]);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ status: 'done', rows: 2, imported: 0, unchanged: 2 });

    const image = join(dir, 'photo.csv');
    writeFileSync(image, Buffer.from('89504e470d0a1a0a0000000d4948445200', 'hex'));
    const refused = await gongzhi(['ledger', 'import', '--source', '民政', image]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('LEDGER_IMPORT_NOT_SPREADSHEET');
  }, 180_000);
});
