import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/server/modules/ledger/importer.ts';
import { systemActor } from '../../src/server/platform/actor.ts';
import { verifyAuditChain } from '../../src/server/platform/audit.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';
import { csvText, syntheticPerson } from '../helpers/ledger-data.ts';

const MEIYUAN = '310115005001'; // 梅园一村居委会: the worker's and the head's committee
const HUIHAO = '310115005002'; // 汇豪天下居委会, same street

interface Conflict {
  id: string;
  personId: string;
  personName: string;
  regionCode: string;
  field: string;
  currentValue: string | null;
  currentSource: string;
  proposedValue: string | null;
  proposedSource: string;
  status: string;
  resolution: string | null;
}
interface Detail {
  id: string;
  name: string;
  phone: string | null;
  householdId: string | null;
  dwellingId: string | null;
  fields: Array<{ field: string; value: string | null; source: string }>;
  history: Array<{ field: string; value: string | null; source: string; outcome: string; note: string | null }>;
  conflicts: Array<{ id: string; field: string }>;
}

/**
 * The review of the committee ledger: the 一数一源 conflict queue and its resolutions (history, the
 * person's columns, audit), bulk resolution, changing a field's authority, the household and dwelling
 * views; scope between committees and masking per role throughout.
 */
describe.each(ENGINES)('ledger review on %s', (engine) => {
  let t: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'gongzhi-ledger-review-'));
  const token: Record<'steward' | 'worker' | 'head' | 'dispatcher' | 'admin', string> = { steward: '', worker: '', head: '', dispatcher: '', admin: '' };
  const a = syntheticPerson(41, '1941-05-06');
  const b = syntheticPerson(42, '1975-09-10');
  const c = syntheticPerson(43, '1960-02-03');
  const spouse = syntheticPerson(44, '1943-07-08');
  let files = 0;

  async function load(source: string, rows: string[][]) {
    const path = join(dir, `${(files += 1)}.csv`);
    writeFileSync(path, csvText(rows));
    const result = await importFile(t.platform, systemActor('ledger-review-test'), { path, source });
    expect(result.status).toBe('done');
    return result.counts;
  }

  beforeAll(async () => {
    t = await createTestApp(engine);
    for (const who of Object.keys(token) as Array<keyof typeof token>) token[who] = await t.login(who);
    const header = ['记录编号', '户号', '姓名', '身份证号', '联系电话', '居住地址', '与户主关系', '所属居委'];
    await load('公安实有人口', [
      header,
      ['GA-1', 'H-1', a.name, a.idNumber, a.phone, '梅园一村3号楼2单元502室', '户主', '梅园一村居委会'],
      ['GA-2', 'H-1', spouse.name, spouse.idNumber, '', '梅园一村3号楼2单元502室', '配偶', '梅园一村居委会'],
      ['GA-3', 'H-2', b.name, b.idNumber, b.phone, '梅园一村7号楼101室', '户主', '梅园一村居委会'],
      ['GA-4', 'H-9', c.name, c.idNumber, c.phone, '汇豪天下5号楼1801室', '户主', '汇豪天下居委会'],
    ]);
    await load('民政', [
      ['姓名', '身份证号', '联系电话', '居住地址', '所属居委'],
      ['王小明', a.idNumber, '13900008888', '梅园一村9号楼101室', '梅园一村居委会'],
      [b.name, b.idNumber, '', '梅园一村8号楼303室', '梅园一村居委会'],
      ['李大同', c.idNumber, '', '', '汇豪天下居委会'],
    ]);
    await load('卫健', [
      ['姓名', '身份证号', '联系电话', '所属居委'],
      ['王小明', a.idNumber, '13900007777', '梅园一村居委会'],
    ]);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const errorOf = (res: LightMyRequestResponse) => ({ status: res.statusCode, code: (res.json() as { error: { code: string } }).error.code });
  const conflicts = async (who: keyof typeof token, query = '') => {
    const res = await t.request({ url: `/api/ledger/conflicts${query}`, token: token[who] });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Conflict[]; total: number };
  };
  const detail = async (who: keyof typeof token, id: string) => {
    const res = await t.request({ url: `/api/ledger/persons/${id}`, token: token[who] });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Detail;
  };
  const resolve = (who: keyof typeof token, id: string, body: unknown) => t.request({ method: 'POST', url: `/api/ledger/conflicts/${id}/resolve`, token: token[who], body });
  const personColumns = (id: string) =>
    t.platform.db.selectFrom('ledger_persons').select(['name', 'name_initials', 'phone', 'dwelling_id', 'household_id']).where('id', '=', id).executeTakeFirstOrThrow();

  it('lists the open conflicts in scope, masked per role', async () => {
    const mine = await conflicts('worker');
    expect(mine.items.every((x) => x.regionCode === MEIYUAN)).toBe(true);
    // a: name, phone (民政 and 卫健), address; b: address. c is in 汇豪天下.
    expect(mine.items.map((x) => `${x.field} ${x.proposedSource}`).sort()).toEqual(
      ['name 民政', 'name 卫健', 'phone 民政', 'phone 卫健', 'residence_address 民政', 'residence_address 民政'].sort(),
    );
    const phone = mine.items.find((x) => x.field === 'phone' && x.proposedSource === '民政')!;
    expect(phone).toMatchObject({ personName: a.name, currentValue: `139****${a.phone.slice(-4)}`, currentSource: '公安实有人口', proposedValue: '139****8888', status: 'open' });
    expect((await conflicts('steward')).total).toBe(mine.total + 1);
    expect((await conflicts('steward', `?region=${HUIHAO}`)).items.map((x) => x.personName)).toEqual([c.name]);
    expect((await conflicts('worker', '?field=residence_address')).total).toBe(2);
    expect((await conflicts('worker', '?source=health')).total).toBe(2);

    // a street dispatcher reads the queue, but names masked and addresses withheld
    const desk = await conflicts('dispatcher', '?field=residence_address');
    expect(desk.total).toBe(2);
    expect(desk.items.every((x) => x.currentValue === null && x.proposedValue === null && /^\p{Script=Han}\*+$/u.test(x.personName))).toBe(true);
    expect(JSON.stringify(desk)).not.toContain(a.name);

    // the worker never sees 汇豪天下's; bad filters are refused
    expect(errorOf(await t.request({ url: `/api/ledger/conflicts?region=${HUIHAO}`, token: token.worker }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await t.request({ url: '/api/ledger/conflicts?source=nowhere', token: token.worker })).code).toBe('LEDGER_SOURCE_UNKNOWN');
    expect(errorOf(await t.request({ url: '/api/ledger/conflicts?limit=0', token: token.worker }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const stats = (await t.request({ url: '/api/ledger/stats', token: token.worker })).json() as { conflicts: number };
    expect(stats.conflicts).toBe(mine.total);
  });

  it('accepts a proposed name: history, current field, name and initials change; audited with an event', async () => {
    const nameConflict = (await conflicts('worker', '?field=name&source=民政')).items[0]!;
    const res = await resolve('worker', nameConflict.id, { action: 'accept', note: '民政窗口核对过户口本' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { conflict: Conflict; settled: string[] };
    expect(body.conflict).toMatchObject({ status: 'resolved', resolution: 'accept' });
    // 卫健 proposed the same name: settled with it
    expect(body.settled).toHaveLength(1);
    const person = await detail('worker', nameConflict.personId);
    expect(person.name).toBe('王小明');
    expect(person.fields.find((f) => f.field === 'name')).toMatchObject({ value: '王小明', source: '民政' });
    expect(person.history.filter((h) => h.field === 'name').map((h) => [h.value, h.source, h.outcome])).toEqual([
      [a.name, '公安实有人口', 'set'],
      ['王小明', '民政', 'conflict'],
      ['王小明', '卫健', 'conflict'],
      ['王小明', '民政', 'accepted'],
    ]);
    expect(person.history.find((h) => h.outcome === 'accepted')!.note).toBe('民政窗口核对过户口本');
    expect(person.conflicts.map((x) => x.field)).not.toContain('name');
    expect(await personColumns(nameConflict.personId)).toMatchObject({ name: '王小明', name_initials: 'wxm' });
    const found = (await t.request({ url: '/api/ledger/persons?q=wxm', token: token.worker })).json() as { items: Array<{ id: string }> };
    expect(found.items.map((p) => p.id)).toEqual([nameConflict.personId]);

    expect(errorOf(await resolve('worker', nameConflict.id, { action: 'keep' }))).toEqual({ status: 409, code: 'LEDGER_CONFLICT_RESOLVED' });
    const audit = await t.platform.db.selectFrom('audit_log').select(['actor_username', 'reason', 'details']).where('action', '=', 'ledger.conflict.resolve').execute();
    expect(audit).toEqual([{ actor_username: 'worker', reason: '民政窗口核对过户口本', details: expect.objectContaining({ conflictId: nameConflict.id, field: 'name', action: 'accept' }) as unknown }]);
    expect(JSON.stringify(audit)).not.toContain('王小明');
    const events = await sql<{ n: string }>`select count(*) as n from outbox_events where type = 'ledger.conflict_resolved'`.execute(t.platform.db);
    expect(Number(events.rows[0]!.n)).toBe(1);
    expect((await verifyAuditChain(t.platform.db)).ok).toBe(true);
  });

  it('keeps the current value: the proposal is recorded as rejected, nothing else moves', async () => {
    const list = (await conflicts('worker', '?field=residence_address')).items;
    const bConflict = list.find((x) => x.personName === b.name)!;
    const before = await personColumns(bConflict.personId);
    const res = await resolve('head', bConflict.id, { action: 'keep', note: '上门核实仍住7号楼' });
    expect(res.statusCode, res.body).toBe(200);
    const person = await detail('head', bConflict.personId);
    expect(person.fields.find((f) => f.field === 'residence_address')).toMatchObject({ value: '梅园一村7号楼101室', source: '公安实有人口' });
    expect(person.history.filter((h) => h.field === 'residence_address').map((h) => [h.value, h.source, h.outcome])).toEqual([
      ['梅园一村7号楼101室', '公安实有人口', 'set'],
      ['梅园一村8号楼303室', '民政', 'conflict'],
      ['梅园一村8号楼303室', '民政', 'rejected'],
    ]);
    expect(await personColumns(bConflict.personId)).toEqual(before);
  });

  it('takes a verified value from a visit, normalised, and refuses a value that is not one', async () => {
    const phoneConflict = (await conflicts('worker', '?field=phone&source=民政')).items[0]!;
    const personId = phoneConflict.personId;
    const history = async () => (await detail('worker', personId)).history.length;
    const before = await history();
    expect(errorOf(await resolve('worker', phoneConflict.id, { action: 'verified', value: '12345', note: '电话回访' }))).toEqual({ status: 422, code: 'LEDGER_VALUE_INVALID' });
    expect(errorOf(await resolve('worker', phoneConflict.id, { action: 'verified', note: '电话回访' }))).toEqual({ status: 422, code: 'LEDGER_VALUE_INVALID' });
    expect(errorOf(await resolve('worker', phoneConflict.id, { action: 'maybe' }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await resolve('worker', 'abc', { action: 'keep' }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await resolve('worker', '999999', { action: 'keep' }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(await history()).toBe(before);

    const res = await resolve('worker', phoneConflict.id, { action: 'verified', value: '139 0000 6666', note: '上门核实本人手机' });
    expect(res.statusCode, res.body).toBe(200);
    const person = await detail('worker', personId);
    expect(person.phone).toBe('139****6666');
    expect(person.fields.find((f) => f.field === 'phone')).toMatchObject({ value: '139****6666', source: '社工走访' });
    expect(person.history.filter((h) => h.field === 'phone').at(-1)).toMatchObject({ field: 'phone', value: '139****6666', source: '社工走访', outcome: 'verified', note: '上门核实本人手机' });
    expect((await personColumns(personId)).phone).toBe('13900006666');
    // 卫健's proposal now stands against the verified number
    const remaining = (await conflicts('worker', '?field=phone')).items;
    expect(remaining.map((x) => [x.proposedSource, x.currentValue, x.currentSource])).toEqual([['卫健', '139****6666', '社工走访']]);
  });

  it('accepting an address moves the person to the dwelling; the dwelling and household pages show who lives there', async () => {
    const addr = (await conflicts('worker', '?field=residence_address')).items[0]!;
    const before = await personColumns(addr.personId);
    expect((await resolve('worker', addr.id, { action: 'accept' })).statusCode).toBe(200);
    const after = await personColumns(addr.personId);
    expect(after.dwelling_id).not.toBeNull();
    expect(after.dwelling_id).not.toBe(before.dwelling_id);

    const dwelling = await t.request({ url: `/api/ledger/dwellings/${after.dwelling_id}`, token: token.worker });
    expect(dwelling.statusCode, dwelling.body).toBe(200);
    expect(dwelling.json()).toMatchObject({ address: '梅园一村9号楼101室', regionCode: MEIYUAN, residents: [{ id: addr.personId }] });
    // the spouse stays at 3号楼, now alone there
    const old = (await t.request({ url: `/api/ledger/dwellings/${before.dwelling_id}`, token: token.worker })).json() as { residents: Array<{ name: string; tags: Array<{ code: string }> }> };
    expect(old.residents.map((r) => r.name)).toEqual([spouse.name]);
    expect(old.residents[0]!.tags.map((x) => x.code)).toContain('living_alone');

    const household = await t.request({ url: `/api/ledger/households/${after.household_id}`, token: token.worker });
    expect(household.statusCode, household.body).toBe(200);
    const h = household.json() as { householdNumber: string; members: Array<{ name: string; relationToHead: string | null; idNumber: string }>; tags: Array<{ code: string }> };
    expect(h.householdNumber).toBe('H-1');
    expect(h.members.map((m) => [m.name, m.relationToHead])).toEqual([['王小明', '户主'], [spouse.name, '配偶']]);
    expect(h.members[1]!.idNumber).toBe(`310***********${spouse.idNumber.slice(-4)}`);
    expect(h.tags.map((x) => x.code)).toContain('elderly');

    // masked for the street desk; out of scope for another committee's worker
    const desk = (await t.request({ url: `/api/ledger/households/${after.household_id}`, token: token.dispatcher })).json() as { members: Array<{ name: string }> };
    expect(desk.members.map((m) => m.name)).toEqual(['王**', `${spouse.name[0]}${'*'.repeat(spouse.name.length - 1)}`]);
    expect(((await t.request({ url: `/api/ledger/dwellings/${after.dwelling_id}`, token: token.dispatcher })).json() as { address: string | null }).address).toBeNull();
    const huihaoHousehold = await t.platform.db.selectFrom('ledger_households').select('id').where('household_number', '=', 'H-9').executeTakeFirstOrThrow();
    expect(errorOf(await t.request({ url: `/api/ledger/households/${huihaoHousehold.id}`, token: token.worker }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect((await t.request({ url: `/api/ledger/households/${huihaoHousehold.id}`, token: token.steward })).statusCode).toBe(200);

    // search by the dwelling's canonical address finds the person, however the source wrote it
    const found = (await t.request({ url: `/api/ledger/persons?q=${encodeURIComponent('9号楼101')}`, token: token.worker })).json() as { items: Array<{ id: string }> };
    expect(found.items.map((p) => p.id)).toEqual([addr.personId]);
  });

  it('isolates committees: a worker cannot resolve another committee’s conflict, a desk cannot resolve at all', async () => {
    const huihao = (await conflicts('steward', `?region=${HUIHAO}`)).items[0]!;
    expect(errorOf(await resolve('worker', huihao.id, { action: 'keep' }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await resolve('dispatcher', huihao.id, { action: 'keep' }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(errorOf(await resolve('admin', huihao.id, { action: 'keep' }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    const bulk = await t.request({ method: 'POST', url: '/api/ledger/conflicts/bulk-resolve', token: token.worker, body: { field: 'name', source: '民政', action: 'accept', expectedCount: 1, note: '批量' } });
    // the worker's scope holds no open 民政 name conflict any more (a's was accepted); 汇豪天下's is not theirs
    expect(errorOf(bulk)).toEqual({ status: 409, code: 'LEDGER_BULK_CHANGED' });
    expect((await conflicts('steward', `?region=${HUIHAO}`)).items[0]!.status).toBe('open');
  });

  it('bulk-resolves one field from one source only when the count is the one confirmed', async () => {
    const bulk = (body: Record<string, unknown>) => t.request({ method: 'POST', url: '/api/ledger/conflicts/bulk-resolve', token: token.steward, body: { field: 'name', source: 'civil_affairs', action: 'keep', note: '以公安为准', ...body } });
    expect(errorOf(await bulk({ expectedCount: 2 }))).toEqual({ status: 409, code: 'LEDGER_BULK_CHANGED' });
    expect(errorOf(await bulk({ expectedCount: 0 }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await bulk({ expectedCount: 1, note: undefined }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await conflicts('steward', '?field=name')).total).toBe(1);
    const res = await bulk({ expectedCount: 1 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ resolved: 1 });
    expect((await conflicts('steward', '?field=name')).total).toBe(0);
    const summary = await t.platform.db.selectFrom('audit_log').select(['reason', 'details']).where('action', '=', 'ledger.conflict.bulk_resolve').execute();
    expect(summary).toEqual([{ reason: '以公安为准', details: expect.objectContaining({ field: 'name', source: '民政', action: 'keep', count: 1 }) as unknown }]);
  });

  it('changes a field’s authoritative source with history; later imports follow the new authority', async () => {
    const put = (who: keyof typeof token, field: string, body: unknown) => t.request({ method: 'PUT', url: `/api/ledger/authority/${field}`, token: token[who], body });
    expect(errorOf(await put('worker', 'residence_address', { source: '民政', reason: '试试' }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(errorOf(await put('steward', 'shoe_size', { source: '民政', reason: '不存在' }))).toEqual({ status: 422, code: 'LEDGER_FIELD_UNKNOWN' });
    expect(errorOf(await put('steward', 'tag.elderly', { source: '民政', reason: '自动计算' }))).toEqual({ status: 422, code: 'LEDGER_FIELD_UNKNOWN' });
    expect(errorOf(await put('steward', 'residence_address', { source: '不存在', reason: '测试' })).code).toBe('LEDGER_SOURCE_UNKNOWN');
    expect(errorOf(await put('steward', 'residence_address', { source: '民政' }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });

    const res = await put('steward', 'residence_address', { source: 'civil_affairs', reason: '民政每月核对居住地' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ entry: { field: 'residence_address', source: '民政' }, changed: true });
    expect((await put('steward', 'residence_address', { source: '民政', reason: '再次确认' })).json()).toMatchObject({ changed: false });
    const view = (await t.request({ url: '/api/ledger/authority', token: token.worker })).json() as { items: Array<{ field: string; source: string }>; changes: Array<Record<string, unknown>> };
    expect(view.items.find((x) => x.field === 'residence_address')!.source).toBe('民政');
    expect(view.changes).toEqual([expect.objectContaining({ field: 'residence_address', oldSource: '公安实有人口', newSource: '民政', reason: '民政每月核对居住地', changedBy: expect.any(String) as unknown })]);
    expect(await t.platform.db.selectFrom('audit_log').select(['reason', 'details']).where('action', '=', 'ledger.authority.change').execute()).toEqual([
      { reason: '民政每月核对居住地', details: expect.objectContaining({ from: '公安实有人口', to: '民政' }) as unknown },
    ]);

    // 民政 now replaces b's address outright; 公安 proposing another one opens a conflict instead
    const bId = (await t.platform.db.selectFrom('ledger_persons').select('id').where('id_number', '=', b.idNumber).executeTakeFirstOrThrow()).id;
    const civil = await load('民政', [['姓名', '身份证号', '居住地址', '所属居委'], [b.name, b.idNumber, '梅园一村8号楼404室', '梅园一村居委会']]);
    expect(civil.conflicts).toBe(0);
    expect((await detail('worker', bId)).fields.find((f) => f.field === 'residence_address')).toMatchObject({ value: '梅园一村8号楼404室', source: '民政' });
    const policeAgain = await load('公安实有人口', [['记录编号', '姓名', '身份证号', '居住地址', '所属居委'], ['GA-3', b.name, b.idNumber, '梅园一村7号楼102室', '梅园一村居委会']]);
    expect(policeAgain.conflicts).toBe(1);
    const open = (await conflicts('worker', '?field=residence_address')).items;
    expect(open.map((x) => [x.currentSource, x.proposedSource])).toEqual([['民政', '公安实有人口']]);
  });

  it('verifies a committee by its name: the person moves, and leaves the worker’s scope', async () => {
    const d = syntheticPerson(45, '1980-01-01');
    await load('公安实有人口', [['记录编号', '姓名', '身份证号', '所属居委'], ['GA-5', d.name, d.idNumber, '梅园一村居委会']]);
    await load('民政', [['姓名', '身份证号', '所属居委'], [d.name, d.idNumber, '汇豪天下居委会']]);
    const conflict = (await conflicts('worker', '?field=committee')).items[0]!;
    expect(conflict).toMatchObject({ personName: d.name, currentValue: MEIYUAN, proposedValue: HUIHAO });
    // a social worker may not move a person out of their committee
    expect(errorOf(await resolve('worker', conflict.id, { action: 'accept' }))).toEqual({ status: 422, code: 'LEDGER_VALUE_INVALID' });
    expect(errorOf(await resolve('steward', conflict.id, { action: 'verified', value: '不存在居委会', note: '核实' }))).toEqual({ status: 422, code: 'LEDGER_VALUE_INVALID' });
    const res = await resolve('steward', conflict.id, { action: 'verified', value: '汇豪天下居委会', note: '街道核实已迁往汇豪天下' });
    expect(res.statusCode, res.body).toBe(200);
    const row = await t.platform.db.selectFrom('ledger_persons').select(['region_code']).where('id', '=', conflict.personId).executeTakeFirstOrThrow();
    expect(row.region_code).toBe(HUIHAO);
    expect((await t.request({ url: `/api/ledger/persons/${conflict.personId}`, token: token.worker })).statusCode).toBe(404);
    expect((await detail('steward', conflict.personId)).fields.find((f) => f.field === 'committee')).toMatchObject({ value: HUIHAO, source: '社工走访' });
  });
});
