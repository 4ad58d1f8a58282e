import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRule, type RuleNode } from '../../src/shared/services.ts';
import { shanghaiDay } from '../../src/server/modules/services/commands.ts';
import { evaluateDue } from '../../src/server/modules/services/matching.ts';
import { findService, loadFacts, regionLookup, sqlEligible, type Service } from '../../src/server/modules/services/repository.ts';
import { UNRESTRICTED } from '../../src/server/platform/access.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';
import { csvText, idNumberFor, multipartBody } from '../helpers/ledger-data.ts';

const MEIYUAN = '310115005001'; // 梅园一村居委会
const HUIHAO = '310115005002'; // 汇豪天下居委会

interface MenuItem { serviceId: string; name: string; reasons: string[]; status: string; matchId: string; autoGrant: boolean }
interface WorkItem { matchId: string; serviceName: string; personId: string; name: string; idNumber: string | null; status: string; reasons: string[]; followUpOn: string | null }

/** YYYY-MM-DD, `years` before today in Shanghai, shifted by `days`. */
function bornYearsAgo(years: number, days = 0): string {
  const today = shanghaiDay();
  const d = new Date(Date.UTC(Number(today.slice(0, 4)) - years, Number(today.slice(5, 7)) - 1, Number(today.slice(8, 10)) + days));
  return d.toISOString().slice(0, 10);
}

describe.each(ENGINES)('proactive services on %s', (engine) => {
  let t: TestApp;
  const token: Record<'steward' | 'worker' | 'dispatcher' | 'resident' | 'head' | 'admin' | 'handler', string> = { steward: '', worker: '', dispatcher: '', resident: '', head: '', admin: '', handler: '' };
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp(engine);
    for (const who of Object.keys(token) as Array<keyof typeof token>) token[who] = await t.login(who);
  });
  afterAll(async () => t?.close());

  const errorOf = (res: LightMyRequestResponse) => ({ status: res.statusCode, code: (res.json() as { error: { code: string } }).error.code });
  const get = (who: keyof typeof token, url: string) => t.request({ url, token: token[who] });
  const post = (who: keyof typeof token, url: string, body: unknown = {}) => t.request({ method: 'POST', url, token: token[who], body });
  const ok = <T>(res: LightMyRequestResponse, status = 200): T => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as T;
  };

  /** A ledger person written the way the ledger stores one (current value + history row per field). */
  async function addPerson(p: { name?: string; birthDate: string | null; sex?: 'male' | 'female'; region?: string; dwelling?: string; household?: string; tags?: Array<{ tag: string; observedAt: string; source?: string }> }): Promise<{ id: string; idNumber: string; name: string }> {
    seq += 1;
    const db = t.platform.db;
    const region = p.region ?? MEIYUAN;
    const path = (await db.selectFrom('regions').select('path').where('code', '=', region).executeTakeFirstOrThrow()).path;
    const idNumber = idNumberFor(p.birthDate ?? '1970-01-01', 500 + seq);
    const name = p.name ?? `测试${seq}`;
    let dwellingId: string | null = null;
    if (p.dwelling) {
      await sql`insert into ledger_dwellings (region_code, region_path, dwelling_key, place, address) values (${region}, ${path}::ltree, ${p.dwelling}, '梅园一村', ${p.dwelling}) on conflict do nothing`.execute(db);
      dwellingId = (await sql<{ id: string }>`select id from ledger_dwellings where region_code = ${region} and dwelling_key = ${p.dwelling}`.execute(db)).rows[0]!.id;
    }
    let householdId: string | null = null;
    if (p.household) {
      await sql`insert into ledger_households (region_code, region_path, household_number) values (${region}, ${path}::ltree, ${p.household}) on conflict do nothing`.execute(db);
      householdId = (await sql<{ id: string }>`select id from ledger_households where region_code = ${region} and household_number = ${p.household}`.execute(db)).rows[0]!.id;
    }
    const person = await sql<{ id: string }>`
      insert into ledger_persons (region_code, region_path, name, id_number, sex, birth_date, dwelling_id, household_id)
      values (${region}, ${path}::ltree, ${name}, ${idNumber}, ${p.sex ?? null}, ${p.birthDate}::date, ${dwellingId}::uuid, ${householdId}::uuid) returning id`.execute(db);
    const id = person.rows[0]!.id;
    for (const tag of p.tags ?? []) {
      const source = tag.source ?? '民政';
      const h = await sql<{ id: string }>`insert into ledger_field_history (person_id, field, value, source_name, observed_at, outcome) values (${id}::uuid, ${`tag.${tag.tag}`}, 'yes', ${source}, ${tag.observedAt}::timestamptz, 'set') returning id`.execute(db);
      await sql`insert into ledger_person_fields (person_id, field, value, source_name, observed_at, history_id) values (${id}::uuid, ${`tag.${tag.tag}`}, 'yes', ${source}, ${tag.observedAt}::timestamptz, ${h.rows[0]!.id})`.execute(db);
    }
    return { id, idNumber, name };
  }

  const serviceByCode = async (code: string): Promise<Service> => {
    const row = await t.platform.db.selectFrom('services').select('id').where('code', '=', code).executeTakeFirstOrThrow();
    return (await findService(t.platform.db, UNRESTRICTED, row.id))!;
  };
  const evaluateAll = async () => {
    await t.platform.db.updateTable('services').set({ evaluated_on: null }).execute();
    await evaluateDue(t.platform, new Date());
  };
  const matchStatus = async (personId: string, code: string) =>
    (await sql<{ status: string; eligible: boolean }>`select m.status, m.eligible from service_matches m join services s on s.id = m.service_id where m.person_id = ${personId}::uuid and s.code = ${code}`.execute(t.platform.db)).rows[0];

  it('lists the seeded catalogue to every role, a service with its rule, examples (all passing) and versions', async () => {
    const list = ok<{ items: Array<{ id: string; code: string; name: string; department: string; ruleText: string; autoGrant: boolean }> }>(await get('resident', '/api/services'));
    expect(list.items.map((s) => s.code)).toEqual(expect.arrayContaining(['elderly_allowance', 'meal_assistance', 'home_care', 'ltc_insurance', 'disability_subsidy', 'hardship_aid', 'newborn_service', 'ageing_retrofit', 'bathing_assistance']));
    const allowance = list.items.find((s) => s.code === 'elderly_allowance')!;
    expect(allowance).toMatchObject({ ruleText: '65至79周岁', autoGrant: true });
    const detail = ok<{ rule: unknown; rules: Array<{ version: number; text: string }>; exampleOutcomes: Array<{ passed: boolean }>; versions: unknown[] }>(await get('handler', `/api/services/${allowance.id}`));
    expect(detail.rule).toEqual({ kind: 'age', min: 65, max: 79 });
    expect(detail.rules).toEqual([{ version: 1, rule: { kind: 'age', min: 65, max: 79 }, text: '65至79周岁' }]);
    expect(detail.exampleOutcomes.length).toBeGreaterThan(2);
    expect(detail.exampleOutcomes.every((o) => o.passed)).toBe(true);
    expect(detail.versions).toHaveLength(1);
    expect((await t.request({ url: '/api/services' })).statusCode).toBe(401);
    expect(ok<{ eligible: number }>(await post('steward', `/api/services/${allowance.id}/evaluate`)).eligible).toBeGreaterThanOrEqual(0);
    expect((await post('worker', `/api/services/${allowance.id}/evaluate`)).statusCode).toBe(403);
    expect((await get('resident', '/api/services/00000000-0000-0000-0000-000000000000')).statusCode).toBe(404);
  });

  it('refuses bad services and rules with stable codes, and changes nothing', async () => {
    const count = async () => Number((await sql<{ n: string }>`select count(*) as n from services`.execute(t.platform.db)).rows[0]!.n);
    const before = await count();
    const base = { code: 'test_service', name: '测试服务', category: 'elderly', department: '测试部门', documents: ['身份证'], autoGrant: false, rule: { kind: 'age', min: 70 }, examples: [] };
    expect(errorOf(await post('steward', '/api/services', { ...base, rule: { kind: 'tag', tag: 'no_such_tag' } }))).toEqual({ status: 422, code: 'SERVICE_RULE_INVALID' });
    expect(errorOf(await post('steward', '/api/services', { ...base, rule: { kind: 'region', region: '999999999' } }))).toEqual({ status: 422, code: 'SERVICE_RULE_INVALID' });
    expect(errorOf(await post('steward', '/api/services', { ...base, examples: [{ name: '69岁', on: '2026-05-03', person: { birthDate: '1957-01-01' }, expected: true }] }))).toEqual({ status: 422, code: 'SERVICE_EXAMPLES_FAILED' });
    expect(errorOf(await post('steward', '/api/services', { ...base, rule: { kind: 'age', min: 'seventy' } }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await post('steward', '/api/services', { ...base, code: 'Bad Code' }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await post('steward', '/api/services', { ...base, code: 'elderly_allowance' }))).toEqual({ status: 409, code: 'SERVICE_CODE_TAKEN' });
    expect(errorOf(await post('worker', '/api/services', base))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await count()).toBe(before);
    // the live test of the rule editor
    const test = ok<{ passed: boolean; ruleText: string; outcomes: Array<{ actual: boolean; reasons: string[] }> }>(
      await post('steward', '/api/services/rules/test', { rule: { kind: 'age', min: 70 }, examples: [{ name: '70岁', on: '2026-05-03', person: { birthDate: '1956-05-03' }, expected: true }] }),
    );
    expect(test).toMatchObject({ passed: true, ruleText: '年满70周岁', outcomes: [{ actual: true, reasons: ['年满70周岁（1956-05-03出生）'] }] });
  });

  it('the SQL condition and the JavaScript evaluator agree on every person for every rule', async () => {
    const people: string[] = [];
    const tagPool = ['dibao', 'low_income', 'disability', 'solitary_elderly', 'bereaved_parent'];
    let r = 7;
    const rnd = (n: number) => ((r = (r * 1103515245 + 12345) % 2147483648), r % n);
    for (let i = 0; i < 40; i++) {
      const birth = i % 9 === 0 ? null : bornYearsAgo(rnd(100), rnd(3) - 1);
      const tags = tagPool.filter(() => rnd(4) === 0).map((tag) => ({ tag, observedAt: `${2024 + rnd(3)}-0${1 + rnd(9)}-1${rnd(9)}T10:00:00+08:00` }));
      const p = await addPerson({ birthDate: birth, sex: rnd(2) ? 'male' : 'female', dwelling: rnd(3) ? `agree|${rnd(25)}` : undefined, household: rnd(2) ? `A${rnd(15)}` : undefined, tags, region: rnd(5) ? MEIYUAN : HUIHAO });
      people.push(p.id);
    }
    await sql`insert into service_receipts (person_id, service_code, since, source) values (${people[1]}::uuid, 'ltc_insurance', '2020-01-01', 'test'), (${people[2]}::uuid, 'elderly_allowance', '2020-01-01', 'test')`.execute(t.platform.db);
    const extra: RuleNode[] = [
      { kind: 'household', minSize: 2, maxSize: 3 },
      { kind: 'all', conditions: [{ kind: 'sex', sex: 'female' }, { kind: 'age', min: 15, max: 49 }] },
      { kind: 'any', conditions: [{ kind: 'region', region: HUIHAO }, { kind: 'not', condition: { kind: 'tag', tag: 'childbearing_age' } }] },
      { kind: 'not', condition: { kind: 'all', conditions: [{ kind: 'tag', tag: 'newborn' }, { kind: 'tag', tag: 'dibao', maxAgeDays: 400 }] } },
    ];
    const day = shanghaiDay();
    const facts = await loadFacts(t.platform.db, people, day);
    const services = await Promise.all(['elderly_allowance', 'meal_assistance', 'home_care', 'ltc_insurance', 'disability_subsidy', 'hardship_aid', 'newborn_service', 'ageing_retrofit', 'bathing_assistance', 'bereaved_support'].map(serviceByCode));
    const cases: Service[] = [...services, ...extra.map((rule, i) => ({ ...services[0]!, code: `extra_${i}`, rule: rule as Service['rule'] }))];
    let positives = 0;
    for (const s of cases) {
      const regions = await regionLookup(t.platform.db, [s.rule]);
      const bySql = await sqlEligible(t.platform.db, s, day, regions, people);
      const byJs = new Set(people.filter((id) => {
        const f = facts.get(id)!;
        return evaluateRule(s.rule, f, day, regions).holds && !f.receiving.has(s.code);
      }));
      expect([...bySql].sort(), s.code).toEqual([...byJs].sort());
      positives += bySql.size;
    }
    expect(positives).toBeGreaterThan(20);
  });

  it('re-evaluates on a birthday (the daily job), on a rule change and on a ledger import (events)', { timeout: 120_000 }, async () => {
    const today65 = await addPerson({ birthDate: bornYearsAgo(65) });
    const tomorrow65 = await addPerson({ birthDate: bornYearsAgo(65, 1) });
    await evaluateAll();
    expect(await matchStatus(today65.id, 'elderly_allowance')).toEqual({ status: 'matched', eligible: true });
    expect(await matchStatus(tomorrow65.id, 'elderly_allowance')).toBeUndefined();

    // a rule change is a new version; the event re-evaluates the service's whole region
    const allowance = await serviceByCode('elderly_allowance');
    const body = { code: allowance.code, name: allowance.name, category: allowance.category, department: allowance.department, documents: allowance.documents, autoGrant: true, rule: { kind: 'age', min: 66 }, examples: [] };
    const changed = ok<{ version: number; versions: unknown[] }>(await t.request({ method: 'PUT', url: `/api/services/${allowance.id}`, token: token.steward, body }));
    expect(changed.version).toBe(2);
    expect(changed.versions).toHaveLength(2);
    await t.platform.events.drain();
    expect(await matchStatus(today65.id, 'elderly_allowance')).toEqual({ status: 'matched', eligible: false });
    ok(await t.request({ method: 'PUT', url: `/api/services/${allowance.id}`, token: token.steward, body: { ...body, rule: { kind: 'age', min: 65, max: 79 } } }));
    await t.platform.events.drain();
    expect(await matchStatus(today65.id, 'elderly_allowance')).toEqual({ status: 'matched', eligible: true });

    // a ledger import: the new 70-year-old of 梅园一村 is matched once the event is delivered
    const birth = bornYearsAgo(70);
    const idNumber = idNumberFor(birth, 901);
    const form = await multipartBody({ source: '公安实有人口' }, { bytes: Buffer.from(csvText([['姓名', '身份证号', '出生日期', '所属居委'], ['导入测试', idNumber, birth, '梅园一村居委会']])), name: 'p.csv' });
    const started = await t.app.inject({ method: 'POST', url: '/api/ledger/imports', headers: { authorization: `Bearer ${token.steward}`, 'content-type': form.contentType }, payload: form.payload });
    expect(started.statusCode, started.body).toBe(202);
    const importId = (started.json() as { id: string }).id;
    for (let i = 0; i < 200; i++) {
      const view = (await get('steward', `/api/ledger/imports/${importId}`)).json() as { status: string };
      if (view.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const imported = (await sql<{ id: string }>`select id from ledger_persons where id_number = ${idNumber}`.execute(t.platform.db)).rows[0]!;
    expect(await matchStatus(imported.id, 'elderly_allowance')).toBeUndefined();
    await t.platform.events.drain();
    expect(await matchStatus(imported.id, 'elderly_allowance')).toEqual({ status: 'matched', eligible: true });
  });

  it('a resident verifies, reads their menu with the reasons, applies; the worker sees it first on the worklist', async () => {
    const me = await addPerson({ name: '王建国', birthDate: '1946-03-01', dwelling: 'menu|1', tags: [{ tag: 'dibao', observedAt: '2026-03-01T09:00:00+08:00' }] });
    await evaluateAll();
    expect(ok<unknown[]>(await get('resident', '/api/me/menu'))).toEqual([]);
    expect(errorOf(await post('resident', '/api/me/link', { name: '王建国', idNumber: idNumberFor('1950-01-01', 1) }))).toEqual({ status: 422, code: 'SERVICES_VERIFY_FAILED' });
    expect(errorOf(await post('resident', '/api/me/link', { name: '王建', idNumber: me.idNumber }))).toEqual({ status: 422, code: 'SERVICES_VERIFY_FAILED' });
    expect(errorOf(await post('resident', '/api/me/link', { name: '王建国', idNumber: '12345' }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    ok(await post('resident', '/api/me/link', { name: '王建国', idNumber: me.idNumber }));
    expect(errorOf(await post('resident', '/api/me/link', { name: '王建国', idNumber: me.idNumber }))).toEqual({ status: 409, code: 'SERVICES_ALREADY_LINKED' });
    const audit = await sql<{ n: string }>`select count(*) as n from audit_log where action = 'services.resident_link' and object_id = ${me.id}`.execute(t.platform.db);
    expect(Number(audit.rows[0]!.n)).toBe(1);

    const menu = ok<MenuItem[]>(await get('resident', '/api/me/menu'));
    // aged 80: the allowance's 高龄 band, not the 65–79 one
    expect(menu.some((m) => m.name.startsWith('老年综合津贴'))).toBe(false);
    const allowance = menu.find((m) => m.name.startsWith('高龄津贴'))!;
    expect(allowance).toMatchObject({ status: 'matched', autoGrant: true });
    expect(allowance.reasons[0]).toMatch(/^年满\d+周岁（1946-03-01出生）$/);
    const home = menu.find((m) => m.name === '居家养老服务补贴')!;
    expect(home.reasons).toEqual(expect.arrayContaining(['标签：低保（民政 2026-03-01）']));

    expect(ok<{ status: string }>(await post('resident', `/api/me/menu/${home.serviceId}/apply`))).toMatchObject({ status: 'applied' });
    const list = ok<{ items: WorkItem[] }>(await get('worker', `/api/services/worklist?limit=200`));
    expect(list.items[0]).toMatchObject({ personId: me.id, serviceName: '居家养老服务补贴', status: 'applied', name: '王建国' });
    expect(list.items[0]!.idNumber).toMatch(/^310\*{11}\d{3}[\dX]$/);
    expect(list.items[0]!.reasons.length).toBeGreaterThan(0);
    // a resident cannot apply for what the rule does not give them
    const newborn = (await serviceByCode('newborn_service')).id;
    expect((await post('resident', `/api/me/menu/${newborn}/apply`)).statusCode).toBe(404);
    expect(errorOf(await post('resident', `/api/me/menu/${allowance.serviceId}/decline`, { reason: ' ' }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('the worker logs a visit and moves the uptake; invalid steps are refused; the figures follow', async () => {
    const p = await addPerson({ name: '李桂英', birthDate: bornYearsAgo(82), dwelling: 'visit|1' });
    await evaluateAll();
    const list = ok<{ items: WorkItem[] }>(await get('worker', '/api/services/worklist?view=unreached&limit=200'));
    const item = list.items.find((i) => i.personId === p.id && i.serviceName === '社区助浴')!;
    expect(item.status).toBe('matched');
    const followUp = shanghaiDay(new Date(Date.now() + 7 * 86_400_000));
    const visited = ok<{ item: WorkItem; visits: Array<{ outcome: string }>; history: Array<{ from: string; to: string }> }>(
      await post('worker', `/api/services/matches/${item.matchId}/visits`, { visitedOn: shanghaiDay(), outcome: 'informed', note: '已上门讲解', followUpOn: followUp }),
      201,
    );
    expect(visited.item).toMatchObject({ status: 'informed', followUpOn: followUp });
    expect(visited.visits).toEqual([expect.objectContaining({ outcome: 'informed' })]);
    expect(visited.history).toEqual([expect.objectContaining({ from: 'matched', to: 'informed' })]);
    const future = shanghaiDay(new Date(Date.now() + 2 * 86_400_000));
    expect(errorOf(await post('worker', `/api/services/matches/${item.matchId}/visits`, { visitedOn: future, outcome: 'not_home' }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await post('worker', `/api/services/matches/${item.matchId}/status`, { status: 'declined' }))).toEqual({ status: 422, code: 'SERVICES_DECLINE_REASON_REQUIRED' });
    expect(errorOf(await post('worker', `/api/services/matches/${item.matchId}/status`, { status: 'matched' }))).toEqual({ status: 409, code: 'SERVICES_TRANSITION_INVALID' });
    ok(await post('worker', `/api/services/matches/${item.matchId}/status`, { status: 'applied' }));
    ok(await post('worker', `/api/services/matches/${item.matchId}/status`, { status: 'received' }));
    expect(errorOf(await post('worker', `/api/services/matches/${item.matchId}/status`, { status: 'informed' }))).toEqual({ status: 409, code: 'SERVICES_TRANSITION_INVALID' });
    // receiving is a receipt: the next evaluation leaves the match as it is and the person off the unreached list
    await evaluateAll();
    expect(await matchStatus(p.id, 'bathing_assistance')).toEqual({ status: 'received', eligible: false });
    const figures = ok<{ items: Array<{ code: string; received: number; total: number; reachedRate: number | null }> }>(await get('head', `/api/services/uptake?region=${MEIYUAN}`));
    expect(figures.items.find((i) => i.code === 'bathing_assistance')).toMatchObject({ received: 1 });
    // another committee's match is not there for this worker
    const other = await addPerson({ birthDate: bornYearsAgo(90), region: HUIHAO });
    await evaluateAll();
    const theirs = (await sql<{ id: string }>`select id from service_matches where person_id = ${other.id}::uuid limit 1`.execute(t.platform.db)).rows[0]!;
    expect((await get('worker', `/api/services/matches/${theirs.id}`)).statusCode).toBe(404);
    expect((await post('worker', `/api/services/matches/${theirs.id}/status`, { status: 'informed' })).statusCode).toBe(404);
  });

  it('eligible residents by service: scoped by region and masked', async () => {
    const allowance = await serviceByCode('elderly_allowance');
    const asWorker = ok<{ items: Array<{ name: string; idNumber: string | null; regionCode: string }>; total: number }>(await get('worker', `/api/services/${allowance.id}/eligible?limit=200`));
    expect(asWorker.total).toBeGreaterThan(0);
    expect(asWorker.items.every((i) => i.regionCode === MEIYUAN)).toBe(true);
    expect(asWorker.items.every((i) => /^.\*+$/.test(i.name) && (i.idNumber === null || i.idNumber.includes('*')))).toBe(true);
    const asDispatcher = ok<{ items: Array<{ regionCode: string }>; total: number }>(await get('dispatcher', `/api/services/${allowance.id}/eligible?limit=200`));
    expect(new Set(asDispatcher.items.map((i) => i.regionCode))).toEqual(new Set([MEIYUAN, HUIHAO]));
    expect((await get('worker', `/api/services/${allowance.id}/eligible?region=${HUIHAO}`)).statusCode).toBe(404);
    expect((await get('resident', `/api/services/${allowance.id}/eligible`)).statusCode).toBe(403);
    expect((await get('resident', '/api/services/worklist')).statusCode).toBe(403);
  });

  it('代办: a resident authorises the social worker, who applies for them; recorded as on behalf of', async () => {
    const link = ok<{ linked: boolean }>(await get('resident', '/api/me/link'));
    expect(link.linked).toBe(true);
    const personId = (await sql<{ person_id: string }>`select l.person_id from resident_links l join users u on u.id = l.user_id where u.username = 'resident'`.execute(t.platform.db)).rows[0]!.person_id;
    const retrofit = await serviceByCode('ageing_retrofit');
    // without an authorisation, acting for someone looks like nothing is there
    expect((await get('worker', `/api/me/menu?for=${personId}`)).statusCode).toBe(404);
    expect((await post('worker', `/api/me/menu/${retrofit.id}/apply`, { for: personId })).statusCode).toBe(404);
    ok(await post('resident', '/api/me/proxies', { agentUsername: 'worker', relation: '社工' }), 201);
    expect(errorOf(await post('resident', '/api/me/proxies', { agentUsername: 'worker', relation: '社工' }))).toEqual({ status: 409, code: 'SERVICES_PROXY_EXISTS' });
    expect(ok<{ actingFor: Array<{ personId: string }> }>(await get('worker', '/api/me/link')).actingFor).toEqual([expect.objectContaining({ personId, relation: '社工' })]);
    const menu = ok<MenuItem[]>(await get('worker', `/api/me/menu?for=${personId}`));
    expect(menu.some((m) => m.serviceId === retrofit.id)).toBe(true);
    ok(await post('worker', `/api/me/menu/${retrofit.id}/apply`, { for: personId }));
    const recorded = await sql<{ on_behalf_of: string; actor: string }>`
      select e.on_behalf_of, u.username as actor from service_uptake_events e join service_matches m on m.id = e.match_id join users u on u.id = e.actor_user_id
      where m.person_id = ${personId}::uuid and m.service_id = ${retrofit.id}::uuid and e.to_status = 'applied'`.execute(t.platform.db);
    expect(recorded.rows).toEqual([{ on_behalf_of: personId, actor: 'worker' }]);
    const audit = await sql<{ details: { onBehalfOf: string } }>`select details from audit_log where action = 'services.uptake' and details->>'onBehalfOf' = ${personId} order by id desc limit 1`.execute(t.platform.db);
    expect(audit.rows[0]!.details.onBehalfOf).toBe(personId);
    // withdrawn: the worker can no longer act
    const proxies = ok<{ items: Array<{ id: string; basis: string }> }>(await get('resident', '/api/me/proxies'));
    expect(proxies.items).toEqual([expect.objectContaining({ basis: 'resident', agentName: '演示·社工' })]);
    ok(await t.request({ method: 'DELETE', url: `/api/me/proxies/${proxies.items[0]!.id}`, token: token.resident }));
    expect((await get('worker', `/api/me/menu?for=${personId}`)).statusCode).toBe(404);
    // a written authorisation recorded by the worker
    ok(await post('worker', '/api/services/proxies', { personId, agentUsername: 'head', relation: '女儿（书面委托）', note: '委托书已存档' }), 201);
    expect(ok<{ items: Array<{ basis: string }> }>(await get('resident', '/api/me/proxies')).items).toEqual([expect.objectContaining({ basis: 'written' })]);
  });

  it('tells a verified resident in 消息 what their menu holds, then a service they newly qualify for on turning 80, once', async () => {
    const made = await t.request({ method: 'POST', url: '/api/users', token: token.admin, body: { username: 'li-guilan', displayName: '李桂兰', password: 'li-guilan-pass', assignment: { role: 'resident', regionCode: MEIYUAN } } });
    expect(made.statusCode, made.body).toBe(201);
    const her = await t.login('li-guilan', 'li-guilan-pass');
    const messages = async (who: string) => {
      await t.platform.events.drain();
      return ok<{ items: Array<{ id: string; kind: string; text: string; params: Record<string, unknown> }> }>(await t.request({ url: '/api/notifications?limit=100', token: who })).items.filter((n) => n.kind === 'service_matched' || n.kind === 'services_verified');
    };
    // 79 today, 80 tomorrow
    const birthDate = bornYearsAgo(80, 1);
    const liGuilan = await addPerson({ name: '李桂兰', birthDate });
    await evaluateAll();
    ok(await t.request({ method: 'POST', url: '/api/me/link', token: her, body: { name: '李桂兰', idNumber: liGuilan.idNumber } }));
    const verified = await messages(her);
    expect(verified).toEqual([expect.objectContaining({ kind: 'services_verified', params: expect.objectContaining({ count: 1, link: '/m/services' }) })]);
    expect(verified[0]!.text).toBe('实名核验已完成。您可能可以享受1项服务：老年综合津贴（65–79周岁），点开查看');

    // the next day's run: she is 80, the 高龄 band fits her and she is told without asking; the 65–79 band no longer fits
    const tomorrow = new Date(Date.now() + 24 * 3600_000);
    await t.platform.db.updateTable('services').set({ evaluated_on: null }).execute();
    await evaluateDue(t.platform, tomorrow);
    expect(await matchStatus(liGuilan.id, 'elderly_allowance_80')).toEqual({ status: 'matched', eligible: true });
    expect(await matchStatus(liGuilan.id, 'elderly_allowance')).toEqual({ status: 'matched', eligible: false });
    const told = (await messages(her)).filter((n) => n.kind === 'service_matched');
    // turning 80 also makes her 高龄 (a derived tag), which three more services ask for: one message each
    expect(told.map((n) => n.params.service).sort()).toEqual(['高龄津贴（老年综合津贴80周岁以上档）', '社区老年助餐', '长期护理保险', '居家适老化改造'].sort());
    const band = told.find((n) => n.params.service === '高龄津贴（老年综合津贴80周岁以上档）')!;
    expect(band.text).toBe(`您可能可以享受：高龄津贴（老年综合津贴80周岁以上档）（年满80周岁（${birthDate}出生））。免申即享，无需申请，请点开确认`);
    expect(band.params).toMatchObject({ link: '/m/services', autoGrant: true });
    // in English for a reader who chose it
    const english = ok<{ items: Array<{ id: string; text: string }> }>(await t.request({ url: '/api/notifications?limit=100', token: her, headers: { 'accept-language': 'en' } })).items.find((n) => n.id === band.id)!;
    expect(english.text).toBe(`You may be entitled to: Old-age allowance for 80 and over (Aged 80 (born ${birthDate})). Granted without applying; open to confirm`);

    // matching again tells nobody twice, and nobody else hears of her
    await t.platform.db.updateTable('services').set({ evaluated_on: null }).execute();
    await evaluateDue(t.platform, tomorrow);
    expect((await messages(her)).filter((n) => n.kind === 'service_matched')).toHaveLength(4);
    const band80 = (await serviceByCode('elderly_allowance_80')).id;
    expect((await messages(token.resident)).filter((n) => n.kind === 'service_matched' && n.params.serviceId === band80)).toEqual([]);
  });

  it('declining from the menu keeps the reason (also when acting for someone); the resident may change their mind', async () => {
    const personId = (await sql<{ person_id: string }>`select l.person_id from resident_links l join users u on u.id = l.user_id where u.username = 'resident'`.execute(t.platform.db)).rows[0]!.person_id;
    const menu = ok<MenuItem[]>(await get('resident', '/api/me/menu'));
    const open = menu.filter((m) => m.status === 'matched' || m.status === 'informed');
    expect(open.length).toBeGreaterThanOrEqual(2);
    const [first, second] = open as [MenuItem, MenuItem];
    const history = async (serviceId: string) =>
      (await sql<{ to_status: string; reason: string | null; on_behalf_of: string | null }>`
        select e.to_status, e.reason, e.on_behalf_of from service_uptake_events e join service_matches m on m.id = e.match_id
        where m.person_id = ${personId}::uuid and m.service_id = ${serviceId}::uuid and e.to_status in ('declined', 'applied') order by e.id`.execute(t.platform.db)).rows;
    // bad input changes nothing
    expect(errorOf(await post('resident', `/api/me/menu/${first.serviceId}/decline`, {}))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await post('resident', `/api/me/menu/${first.serviceId}/decline`, { reason: 'x'.repeat(201) }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await post('resident', `/api/me/menu/not-a-uuid/decline`, { reason: '暂时用不上' }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await history(first.serviceId)).toEqual([]);

    expect(ok<{ status: string }>(await post('resident', `/api/me/menu/${first.serviceId}/decline`, { reason: ' 暂时用不上 ' }))).toMatchObject({ status: 'declined' });
    expect(ok<MenuItem[]>(await get('resident', '/api/me/menu')).find((m) => m.serviceId === first.serviceId)).toMatchObject({ status: 'declined' });
    expect(ok<{ declineReason: string | null }>(await get('worker', `/api/services/matches/${first.matchId}`)).declineReason).toBe('暂时用不上');
    // changed their mind
    ok(await post('resident', `/api/me/menu/${first.serviceId}/apply`));
    expect(await history(first.serviceId)).toEqual([
      { to_status: 'declined', reason: '暂时用不上', on_behalf_of: null },
      { to_status: 'applied', reason: null, on_behalf_of: null },
    ]);

    // 代办: the written authorisation of the previous test lets `head` decline for the resident
    expect((await post('dispatcher', `/api/me/menu/${second.serviceId}/decline`, { for: personId, reason: '家属代为说明' })).statusCode).toBe(403);
    ok(await post('head', `/api/me/menu/${second.serviceId}/decline`, { for: personId, reason: '已在外区享受' }));
    expect(await history(second.serviceId)).toEqual([{ to_status: 'declined', reason: '已在外区享受', on_behalf_of: personId }]);
  });

  it('代办 and identity links refuse bad input and other committees with stable codes, changing nothing', async () => {
    const personId = (await sql<{ person_id: string }>`select l.person_id from resident_links l join users u on u.id = l.user_id where u.username = 'resident'`.execute(t.platform.db)).rows[0]!.person_id;
    const elsewhere = await addPerson({ name: '外区居民', birthDate: '1950-05-05', region: HUIHAO });
    const unlinked = await addPerson({ name: '未关联居民', birthDate: '1955-05-05' });
    const count = async (table: 'service_proxies' | 'resident_links') => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.platform.db)).rows[0]!.n);
    const before = { proxies: await count('service_proxies'), links: await count('resident_links') };

    // the resident's own authorisations
    expect(errorOf(await post('head', '/api/me/proxies', { agentUsername: 'worker', relation: '同事' }))).toEqual({ status: 409, code: 'SERVICES_NOT_LINKED' });
    expect(errorOf(await get('head', '/api/me/proxies'))).toEqual({ status: 409, code: 'SERVICES_NOT_LINKED' });
    expect(errorOf(await post('resident', '/api/me/proxies', { agentUsername: 'nobody-here', relation: '子女' }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await post('resident', '/api/me/proxies', { agentUsername: 'resident', relation: '本人' }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await post('resident', '/api/me/proxies', { agentUsername: 'worker', relation: ' ' }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await post('resident', '/api/me/proxies', { agentUsername: 'worker', relation: '社工', basis: 'written' }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await t.request({ method: 'DELETE', url: '/api/me/proxies/00000000-0000-4000-8000-000000000000', token: token.resident }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect((await post('steward', '/api/me/proxies', { agentUsername: 'worker', relation: '社工' })).statusCode).toBe(403);

    // the worker's written authorisation and in-person identity link: their committee only
    expect(errorOf(await post('worker', '/api/services/proxies', { personId: elsewhere.id, agentUsername: 'head', relation: '子女' }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await post('worker', '/api/services/proxies', { personId: unlinked.id, agentUsername: 'nobody-here', relation: '子女' }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await post('worker', '/api/services/proxies', { personId: 'not-a-uuid', agentUsername: 'head', relation: '子女' }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await post('worker', '/api/services/proxies', { personId: personId, agentUsername: 'head', relation: '女儿（书面委托）' }))).toEqual({ status: 409, code: 'SERVICES_PROXY_EXISTS' });
    expect((await post('dispatcher', '/api/services/proxies', { personId: unlinked.id, agentUsername: 'head', relation: '子女' })).statusCode).toBe(403);
    expect((await post('resident', '/api/services/proxies', { personId: unlinked.id, agentUsername: 'head', relation: '子女' })).statusCode).toBe(403);
    expect(errorOf(await post('worker', '/api/services/links', { personId: elsewhere.id, username: 'resident' }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await post('worker', '/api/services/links', { personId: unlinked.id, username: 'worker' }))).toEqual({ status: 404, code: 'NOT_FOUND' }); // not a resident account
    expect(errorOf(await post('worker', '/api/services/links', { personId: unlinked.id, username: 'resident' }))).toEqual({ status: 409, code: 'SERVICES_ALREADY_LINKED' });
    expect(errorOf(await post('worker', '/api/services/links', { personId: unlinked.id }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await post('resident', '/api/services/links', { personId: unlinked.id, username: 'resident' })).statusCode).toBe(403);

    expect({ proxies: await count('service_proxies'), links: await count('resident_links') }).toEqual(before);
  });
});
