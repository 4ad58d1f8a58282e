import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';
import { seedDemoKey } from '../../src/server/modules/open311/commands.ts';

/**
 * Open311 GeoReport v2 at /open311/v2. Every JSON response is validated against the schemas of
 * open311/schema-validation (copied to docs/standards/open311-georeport-v2/); every XML response
 * is parsed by the strict little parser below and compared with its JSON twin.
 */

const SCHEMA_DIR = join(import.meta.dirname, '../../docs/standards/open311-georeport-v2');
const schema = (file: string) => JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as object;

function validators(): Record<'services' | 'definition' | 'requests', ValidateFunction> {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(schema('service.json'), 'service.json');
  ajv.addSchema(schema('request.json'), 'request.json');
  return { services: ajv.compile(schema('services.json')), definition: ajv.compile(schema('service-definition.json')), requests: ajv.compile(schema('requests.json')) };
}

// ---------------------------------------------------------------- a strict XML parser for the test

interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Elements and text only (what GeoReport uses); throws on anything that is not well-formed. */
function parseXml(doc: string): XmlNode {
  let i = 0;
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/.exec(doc);
  if (!decl) throw new Error('missing XML declaration');
  i = decl[0].length;
  const name = (): string => {
    const m = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(doc.slice(i));
    if (!m) throw new Error(`element name expected at ${i}`);
    i += m[0].length;
    return m[0];
  };
  const text = (raw: string): string => {
    if (/[<]/.test(raw)) throw new Error('raw < in text');
    return raw.replace(/&([^;]*);|&/g, (whole, entity: string | undefined) => {
      if (entity === undefined) throw new Error('bare & in text');
      if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
      if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
      const value = ENTITIES[entity];
      if (value === undefined) throw new Error(`unknown entity &${entity};`);
      return value;
    });
  };
  const element = (): XmlNode => {
    if (doc[i] !== '<') throw new Error(`< expected at ${i}`);
    i += 1;
    const node: XmlNode = { name: name(), children: [], text: '' };
    if (doc.startsWith('/>', i)) {
      i += 2;
      return node;
    }
    if (doc[i] !== '>') throw new Error(`> expected at ${i}`);
    i += 1;
    for (;;) {
      if (doc.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== node.name) throw new Error(`</${closing}> closes <${node.name}>`);
        if (doc[i] !== '>') throw new Error(`> expected at ${i}`);
        i += 1;
        return node;
      }
      if (doc[i] === '<') node.children.push(element());
      else {
        const end = doc.indexOf('<', i);
        if (end < 0) throw new Error('unterminated element');
        node.text += text(doc.slice(i, end));
        i = end;
      }
      if (i >= doc.length) throw new Error('unterminated document');
    }
  };
  const root = element();
  if (doc.slice(i).trim() !== '') throw new Error('content after the root element');
  return root;
}

/** The XML twin of a JSON list: <root><item><field>…</field>…</item>…</root>, nulls as empty elements. */
function expectSameData(xml: string, root: string, item: string, json: Array<Record<string, unknown>>): void {
  const doc = parseXml(xml);
  expect(doc.name).toBe(root);
  expect(doc.children.map((c) => c.name)).toEqual(json.map(() => item));
  doc.children.forEach((node, n) => {
    const fields = Object.fromEntries(node.children.map((c) => [c.name, c.text]));
    const expected = Object.fromEntries(Object.entries(json[n]!).map(([k, v]) => [k, v === null ? '' : String(v)]));
    expect(fields).toEqual(expected);
  });
}

interface O311Request {
  service_request_id: string;
  status: string;
  status_notes: string | null;
  service_code: string;
  service_name: string | null;
  description: string | null;
  address: string | null;
  address_id: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
  agency_responsible: string | null;
  requested_datetime: string;
  updated_datetime: string | null;
  expected_datetime: string | null;
}
interface Submitted {
  service_request_id: string;
  token: string;
  service_notice: string | null;
  account_id: string | null;
}
type O311Error = Array<{ code: number; description: string }>;

const KEY = 'gongzhi-demo-open311';
const MEIYUAN = '310115005001';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe.each(ENGINES)('Open311 GeoReport v2 on %s', (engine) => {
  let t: TestApp;
  let v: ReturnType<typeof validators>;
  const token = {} as Record<'admin' | 'dispatcher' | 'resident' | 'worker', string>;

  beforeAll(async () => {
    t = await createTestApp(engine);
    v = validators();
    for (const name of ['admin', 'dispatcher', 'resident', 'worker'] as const) token[name] = await t.login(name);
  });
  afterAll(() => t.close());

  const post = (format: 'json' | 'xml', fields: Record<string, string>, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: form(fields) });
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: `/open311/v2/${url}`, headers });
  const caseCount = async () => Number((await t.database.db.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  it('answers discovery in JSON and XML', async () => {
    const json = await get('discovery.json');
    expect(json.statusCode).toBe(200);
    const body = json.json() as { endpoints: Array<{ url: string; specification: string; formats: string[] }> };
    expect(body.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', formats: ['application/json', 'text/xml'] });
    expect(body.endpoints[0]!.url).toMatch(/\/open311\/v2$/);
    const xml = await get('discovery.xml');
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    const doc = parseXml(xml.body);
    expect(doc.name).toBe('discovery');
    const endpoint = doc.children.find((c) => c.name === 'endpoints')!.children[0]!;
    expect(endpoint.name).toBe('endpoint');
    expect(endpoint.children.find((c) => c.name === 'formats')!.children.map((c) => [c.name, c.text])).toEqual([
      ['format', 'application/json'],
      ['format', 'text/xml'],
    ]);
  });

  it('lists the resident-selectable leaves as services, valid against services.json, the same in XML', async () => {
    const res = await get('services.json?jurisdiction_id=310115');
    expect(res.statusCode).toBe(200);
    const services = res.json() as Array<Record<string, unknown>>;
    expect(v.services(services), JSON.stringify(v.services.errors)).toBe(true);
    expect(services).toHaveLength(105);
    expect(services.find((s) => s.service_code === 'C0101')).toEqual({
      service_code: 'C0101',
      service_name: '楼道堆物',
      description: expect.stringContaining('楼道堆物'),
      metadata: false,
      type: 'realtime',
      keywords: expect.any(String),
      group: '社区事项',
    });
    expect(new Set(services.map((s) => s.group))).toEqual(new Set(['部件', '事件', '社区事项']));
    expectSameData((await get('services.xml')).body, 'services', 'service', services);
    // English on request
    const en = (await get('services.json', { 'accept-language': 'en' })).json() as Array<{ service_code: string; service_name: string; group: string }>;
    expect(en.find((s) => s.service_code === 'C0101')).toMatchObject({ service_name: expect.stringMatching(/[A-Za-z]/), group: 'Community matter' });
  });

  it('serves a service definition with an empty attribute list, and 404 for what is no service', async () => {
    const res = await get('services/C0101.json');
    expect(res.statusCode).toBe(200);
    expect(v.definition(res.json())).toBe(true);
    expect(res.json()).toEqual({ service_code: 'C0101', attributes: [] });
    const xml = parseXml((await get('services/C0101.xml')).body);
    expect(xml).toEqual({ name: 'service_definition', text: '', children: [{ name: 'service_code', text: 'C0101', children: [] }, { name: 'attributes', text: '', children: [] }] });
    // a class, an unknown code, a leaf only staff may choose
    const staffOnly = (await t.request({ url: '/api/categories?level=leaf&selectable=true', token: token.admin })).json() as { items: Array<{ code: string; residentSelectable: boolean }> };
    const hidden = staffOnly.items.find((c) => !c.residentSelectable)!.code;
    for (const code of ['C01', 'Z9999', hidden]) {
      const missing = await get(`services/${code}.json`);
      expect({ code, status: missing.statusCode }).toEqual({ code, status: 404 });
      expect(missing.json()).toEqual([{ code: 404, description: expect.any(String) }]);
    }
    const xmlError = await get('services/Z9999.xml');
    expect(xmlError.statusCode).toBe(404);
    const errorDoc = parseXml(xmlError.body);
    expect(errorDoc.name).toBe('errors');
    expect(errorDoc.children[0]!.children.map((c) => c.name)).toEqual(['code', 'description']);
    expect(errorDoc.children[0]!.children[0]!.text).toBe('404');
  });

  it('takes a form-encoded request with the demo key and makes it a case through the common command', async () => {
    const res = await post('json', {
      api_key: KEY,
      jurisdiction_id: '310115',
      service_code: 'C0101',
      address_id: MEIYUAN,
      address_string: '梅园一村 3号楼',
      lat: '31.2304',
      long: '121.5106',
      description: '3号楼楼道堆满纸箱',
      media_url: 'https://example.org/photos/1.jpg',
      email: 'zhang.san@example.org',
      first_name: '三',
      last_name: '张',
      phone: '13812345678',
      device_id: 'device-42',
      account_id: 'acct-7',
    });
    expect(res.statusCode).toBe(200);
    const [submitted] = res.json() as Submitted[];
    expect(submitted).toEqual({ service_request_id: expect.stringMatching(/^GZ\d{8}-\d{6}$/), token: expect.stringMatching(/^[0-9a-f-]{36}$/), service_notice: expect.stringContaining(submitted!.service_request_id), account_id: null });

    // the dispatcher of 陆家嘴 sees the case in the loop, channel open311, reported by the integration account
    const board = (await t.request({ url: '/api/cases?status=reported&limit=200', token: token.dispatcher })).json() as { items: Array<{ id: string; number: string; channel: string; regionCode: string; categoryCode: string; lat: number }> };
    const found = board.items.find((c) => c.number === submitted!.service_request_id)!;
    expect(found).toMatchObject({ channel: 'open311', regionCode: MEIYUAN, categoryCode: 'C0101', lat: 31.2304 });
    const row = await t.database.db.selectFrom('cases as c').innerJoin('users as u', 'u.id', 'c.reporter_user_id').select(['u.username']).where('c.id', '=', found.id).executeTakeFirstOrThrow();
    expect(row.username).toBe('open311-demo');
    // contact data is stored beside the case …
    const stored = await t.database.db.selectFrom('open311_requests').selectAll().where('case_id', '=', found.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ phone: '13812345678', email: 'zhang.san@example.org', first_name: '三', last_name: '张', device_id: 'device-42', account_id: 'acct-7', media_url: 'https://example.org/photos/1.jpg' });
    // … audited without it
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'details']).where('object_id', '=', found.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['case.report', 'open311.submit']);
    expect(JSON.stringify(audit)).not.toMatch(/13812345678|zhang\.san|device-42/);

    // … and never appears publicly
    const one = await get(`requests/${submitted!.service_request_id}.json`);
    expect(one.statusCode).toBe(200);
    expect(v.requests(one.json()), JSON.stringify(v.requests.errors)).toBe(true);
    expect((one.json() as O311Request[])[0]).toMatchObject({
      service_request_id: submitted!.service_request_id,
      status: 'open',
      service_code: 'C0101',
      service_name: '楼道堆物',
      description: '3号楼楼道堆满纸箱',
      address: '梅园一村 3号楼',
      address_id: MEIYUAN,
      lat: 31.2304,
      long: 121.5106,
      media_url: 'https://example.org/photos/1.jpg',
      requested_datetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/),
    });
    for (const url of [`requests/${submitted!.service_request_id}.json`, `requests/${submitted!.service_request_id}.xml`, 'requests.json', 'requests.xml']) {
      expect((await get(url)).body).not.toMatch(/13812345678|zhang\.san|device-42|acct-7|open311-demo/);
    }

    // the token resolves to the same id, in both formats
    const tokenRes = await get(`tokens/${submitted!.token}.json`);
    expect(tokenRes.json()).toEqual([{ service_request_id: submitted!.service_request_id, token: submitted!.token }]);
    expectSameData((await get(`tokens/${submitted!.token}.xml`)).body, 'service_requests', 'request', tokenRes.json() as Array<Record<string, unknown>>);
    expect((await get('tokens/00000000-0000-4000-8000-000000000000.json')).statusCode).toBe(404);
    expect((await get('tokens/not-a-token.json')).statusCode).toBe(404);
  });

  it('takes JSON bodies and query parameters too, answers in XML, and escapes what it echoes', async () => {
    const tricky = `A <b>&"quoted"</b> 'note' & more`;
    const json = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: { api_key: KEY, service_code: 'B0114', address_id: MEIYUAN, description: tricky, lat: 31.23, long: 121.51 } });
    expect(json.statusCode).toBe(200);
    const id = (json.json() as Submitted[])[0]!.service_request_id;
    const xml = await t.app.inject({ method: 'POST', url: `/open311/v2/requests.xml?api_key=${KEY}&service_code=C0101&address_string=${encodeURIComponent('陆家嘴街道梅园一村居委会门口')}` });
    expect(xml.statusCode).toBe(200);
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    const doc = parseXml(xml.body);
    expect(doc.name).toBe('service_requests');
    expect(doc.children[0]!.children.map((c) => c.name)).toEqual(['service_request_id', 'token', 'service_notice', 'account_id']);
    // placed by the committee's full name in the address
    const byName = (await get(`requests/${doc.children[0]!.children[0]!.text}.json`)).json() as O311Request[];
    expect(byName[0]).toMatchObject({ address_id: MEIYUAN, description: '楼道堆物', lat: null });

    const asJson = (await get(`requests/${id}.json`)).json() as Array<Record<string, unknown>>;
    expect(asJson[0]!.description).toBe(tricky);
    const asXml = (await get(`requests/${id}.xml`)).body;
    expect(asXml).toContain('A &lt;b&gt;&amp;&quot;quoted&quot;&lt;/b&gt; &apos;note&apos; &amp; more');
    expectSameData(asXml, 'service_requests', 'request', asJson);
  });

  it('refuses bad submissions with GeoReport errors and changes nothing', async () => {
    const before = await caseCount();
    const base = { api_key: KEY, service_code: 'C0101', address_id: MEIYUAN, description: '楼道堆物' };
    const cases: Array<[Record<string, string>, number, RegExp]> = [
      [{ ...base, api_key: '' }, 403, /api_key/],
      [{ ...base, api_key: 'wrong-key' }, 403, /api_key/],
      [{ ...base, jurisdiction_id: '310104' }, 404, /310104/],
      [{ ...base, service_code: 'Z9999' }, 400, /Z9999/],
      [{ ...base, service_code: '' }, 400, /service_code/],
      [{ api_key: KEY, service_code: 'C0101', description: 'x', lat: '31.23', long: '121.51' }, 400, /address_id/],
      [{ api_key: KEY, service_code: 'C0101', description: 'x' }, 400, /address_id/],
      [{ api_key: KEY, service_code: 'C0101', address_string: '南京西路 1号' }, 400, /address_string/],
      [{ api_key: KEY, service_code: 'C0101', address_string: '陈家宅居委会 5号' }, 400, /陈家宅居委会/],
      [{ ...base, address_id: '310115005' }, 400, /310115005/],
      [{ ...base, address_id: '999999999999' }, 400, /999999999999/],
      [{ ...base, lat: '39.9', long: '116.4' }, 400, /.+/],
      [{ ...base, lat: '31.2' }, 400, /lat/],
      [{ ...base, lat: 'north' }, 400, /lat/],
      [{ ...base, media_url: 'javascript:alert(1)' }, 400, /media_url/],
      [{ ...base, email: 'not-an-email' }, 400, /email/],
      [{ ...base, colour: 'red' }, 400, /colour/],
      [{ ...base, description: 'x'.repeat(2001) }, 400, /description/],
    ];
    for (const [fields, status, description] of cases) {
      const res = await post('json', fields);
      const body = res.json() as O311Error;
      expect({ fields, status: res.statusCode, code: body[0]?.code }).toEqual({ fields, status, code: status });
      expect(body[0]!.description, JSON.stringify(fields)).toMatch(description);
    }
    // the same in XML, in English on request
    const xml = await post('xml', { ...base, api_key: 'wrong-key' }, { 'accept-language': 'en' });
    expect(xml.statusCode).toBe(403);
    const doc = parseXml(xml.body);
    expect(doc.children[0]!.children.map((c) => [c.name, c.text])).toEqual([
      ['code', '403'],
      ['description', 'The api_key is missing, invalid or revoked. API keys are issued by an administrator.'],
    ]);
    expect(await caseCount()).toBe(before);
    // the ambiguous committee is placed once the street is named
    const placed = await post('json', { api_key: KEY, service_code: 'C0101', address_string: '沪东新村街道陈家宅居委会 5号' });
    expect(placed.statusCode).toBe(200);
    const [req] = (await get(`requests/${(placed.json() as Submitted[])[0]!.service_request_id}.json`)).json() as O311Request[];
    expect(req!.address_id).toBe('310115011012');
  });

  it('lists requests with the GeoReport filters and paging, valid against requests.json', async () => {
    // a resident-app case, then a rejection: closed, with the reason as status_notes
    const app = await t.request({ method: 'POST', url: '/api/cases', token: token.resident, body: { description: '我家楼下垃圾满了，电话13900001111', categoryCode: 'C0101', lat: 31.23, lng: 121.5, address: '梅园一村 5号楼 301室' } });
    expect(app.statusCode).toBe(201);
    const appCase = app.json() as { id: string; number: string };
    const o311 = (await post('json', { api_key: KEY, service_code: 'B0114', address_id: MEIYUAN, description: '井盖松动' })).json() as Submitted[];
    const rejectedId = o311[0]!.service_request_id;
    const caseId = (await t.database.db.selectFrom('cases').select('id').where('number', '=', rejectedId).executeTakeFirstOrThrow()).id;
    const rejected = await t.request({ method: 'POST', url: `/api/cases/${caseId}/transitions`, token: token.dispatcher, body: { action: 'reject', reason: '已由物业处理，联系人手机 13700001234' } });
    expect(rejected.statusCode).toBe(200);

    const all = await get('requests.json');
    expect(all.statusCode).toBe(200);
    const list = all.json() as O311Request[];
    expect(v.requests(list), JSON.stringify(v.requests.errors)).toBe(true);
    expect(list.length).toBeGreaterThanOrEqual(6);
    expect(list.map((r) => r.requested_datetime)).toEqual([...list.map((r) => r.requested_datetime)].sort().reverse());
    expectSameData((await get('requests.xml')).body, 'service_requests', 'request', list as unknown as Array<Record<string, unknown>>);

    // the resident's report: listed, but not their words, exact address or coordinates
    const fromApp = list.find((r) => r.service_request_id === appCase.number)!;
    expect(fromApp).toMatchObject({ status: 'open', description: null, lat: null, long: null, address: '浦东新区陆家嘴街道梅园一村居委会', address_id: MEIYUAN });
    expect(all.body).not.toContain('13900001111');
    expect(all.body).not.toContain('301室');

    // rejected → closed, the reason as status_notes with the phone number masked
    const closed = list.find((r) => r.service_request_id === rejectedId)!;
    expect(closed).toMatchObject({ status: 'closed', status_notes: '已由物业处理，联系人手机 137****1234' });

    const statusClosed = (await get('requests.json?status=closed')).json() as O311Request[];
    expect(statusClosed.map((r) => r.service_request_id)).toEqual([rejectedId]);
    const statusOpen = (await get('requests.json?status=open')).json() as O311Request[];
    expect(statusOpen.every((r) => r.status === 'open')).toBe(true);
    expect(statusOpen).toHaveLength(list.length - 1);
    expect((await get('requests.json?status=open,closed')).json()).toHaveLength(list.length);

    const byCode = (await get('requests.json?service_code=B0114')).json() as O311Request[];
    expect(byCode.length).toBeGreaterThan(0);
    expect(byCode.every((r) => r.service_code === 'B0114')).toBe(true);

    // service_request_id overrides the other filters
    const ids = (await get(`requests.json?service_request_id=${appCase.number},${rejectedId}&status=open`)).json() as O311Request[];
    expect(ids.map((r) => r.service_request_id).sort()).toEqual([appCase.number, rejectedId].sort());

    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await get(`requests.json?start_date=${encodeURIComponent(future)}`)).json()).toEqual([]);
    expect((await get(`requests.json?end_date=${encodeURIComponent('2001-01-01T00:00:00+08:00')}`)).json()).toEqual([]);
    expect((await get(`requests.json?start_date=${encodeURIComponent('2001-01-01T00:00:00Z')}&end_date=${encodeURIComponent(future)}`)).json()).toHaveLength(list.length);
    expect((await get(`requests.json?start_date=${encodeURIComponent(future)}&end_date=2001-01-01T00:00:00Z`)).statusCode).toBe(400);
    expect((await get('requests.json?start_date=yesterday')).statusCode).toBe(400);
    expect((await get('requests.json?status=pending')).statusCode).toBe(400);

    // paging
    const page1 = (await get('requests.json?page_size=2')).json() as O311Request[];
    const page2 = (await get('requests.json?page_size=2&page=2')).json() as O311Request[];
    expect(page1.map((r) => r.service_request_id)).toEqual(list.slice(0, 2).map((r) => r.service_request_id));
    expect(page2.map((r) => r.service_request_id)).toEqual(list.slice(2, 4).map((r) => r.service_request_id));
    expect((await get('requests.json?page_size=1001')).statusCode).toBe(400);

    expect((await get(`requests.json?api_key=${KEY}&page_size=1`)).statusCode).toBe(200);
    expect((await get('requests/GZ19990101-000001.json')).statusCode).toBe(404);
    expect((await get('requests.json?jurisdiction_id=310104')).statusCode).toBe(404);
  });

  it('shows the responsible agency and the deadline once the desk registers and dispatches', async () => {
    const [sub] = (await post('json', { api_key: KEY, service_code: 'C0101', address_id: MEIYUAN, description: '楼道里堆了旧沙发' })).json() as Submitted[];
    const caseId = (await t.database.db.selectFrom('cases').select('id').where('number', '=', sub!.service_request_id).executeTakeFirstOrThrow()).id;
    const act = (body: Record<string, unknown>) => t.request({ method: 'POST', url: `/api/cases/${caseId}/transitions`, token: token.dispatcher, body });
    expect((await act({ action: 'register', categoryCode: 'C0101', urgency: 'normal' })).statusCode).toBe(200);
    const detail = (await act({ action: 'dispatch' })).json() as { deadlineAt: string };
    const [req] = (await get(`requests/${sub!.service_request_id}.json`)).json() as O311Request[];
    expect(req).toMatchObject({ status: 'open', agency_responsible: '陆家嘴城管执法中队' });
    expect(new Date(req!.expected_datetime!).getTime()).toBe(new Date(detail.deadlineAt).getTime());
  });

  it('lets district administrators issue, list and revoke keys; the key is shown once and stored hashed', async () => {
    const created = await t.request({ method: 'POST', url: '/api/open311/keys', token: token.admin, body: { name: '市民云 App', username: 'open311-shiminyun' } });
    expect(created.statusCode).toBe(201);
    const key = created.json() as { id: string; key: string; keyPrefix: string; userId: string; username: string };
    expect(key).toMatchObject({ username: 'open311-shiminyun', key: expect.stringMatching(/^gz311_[A-Za-z0-9_-]{43}$/) });
    expect(key.key.startsWith(key.keyPrefix)).toBe(true);
    const stored = await t.database.db.selectFrom('open311_api_keys').selectAll().where('id', '=', key.id).executeTakeFirstOrThrow();
    expect(stored.key_hash).toBe(createHash('sha256').update(key.key).digest('hex'));

    const listed = await t.request({ url: '/api/open311/keys', token: token.admin });
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(key.key);
    expect((listed.json() as { items: Array<{ id: string; revokedAt: string | null }> }).items.find((k) => k.id === key.id)).toMatchObject({ revokedAt: null });

    // the new key submits as its own account; the account cannot do more than a resident
    const sub = await post('json', { api_key: key.key, service_code: 'C0101', address_id: MEIYUAN, description: '楼道堆物' });
    expect(sub.statusCode).toBe(200);
    const reporter = await t.database.db
      .selectFrom('cases as c')
      .innerJoin('users as u', 'u.id', 'c.reporter_user_id')
      .innerJoin('role_assignments as a', 'a.user_id', 'u.id')
      .select(['u.username', 'a.role', 'a.region_code'])
      .where('c.number', '=', (sub.json() as Submitted[])[0]!.service_request_id)
      .executeTakeFirstOrThrow();
    expect(reporter).toEqual({ username: 'open311-shiminyun', role: 'resident', region_code: '310115' });

    // rotation: a second key for the same account; a normal account gets none
    const rotated = await t.request({ method: 'POST', url: '/api/open311/keys', token: token.admin, body: { name: '市民云 App (2)', userId: key.userId } });
    expect(rotated.json()).toMatchObject({ userId: key.userId, username: 'open311-shiminyun' });
    const workerId = (await t.database.db.selectFrom('users').select('id').where('username', '=', 'worker').executeTakeFirstOrThrow()).id;
    const refused = await t.request({ method: 'POST', url: '/api/open311/keys', token: token.admin, body: { name: 'x', userId: workerId } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ error: { code: 'NOT_INTEGRATION_ACCOUNT' } });

    const revoked = await t.request({ method: 'DELETE', url: `/api/open311/keys/${key.id}`, token: token.admin });
    expect(revoked.statusCode).toBe(204);
    expect((await t.request({ method: 'DELETE', url: `/api/open311/keys/${key.id}`, token: token.admin })).statusCode).toBe(204);
    expect((await post('json', { api_key: key.key, service_code: 'C0101', address_id: MEIYUAN })).statusCode).toBe(403);
    // the rotated key still works
    expect((await post('json', { api_key: (rotated.json() as { key: string }).key, service_code: 'C0101', address_id: MEIYUAN })).statusCode).toBe(200);

    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'details']).where('object_type', '=', 'open311_api_key').where('object_id', '=', key.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['open311.key_create', 'open311.key_revoke']);
    expect(JSON.stringify(audit)).not.toContain(key.key);
    expect((await t.request({ method: 'DELETE', url: '/api/open311/keys/00000000-0000-4000-8000-000000000000', token: token.admin })).statusCode).toBe(404);

    // nobody else: other roles 403, an unauthenticated caller 401
    for (const who of ['dispatcher', 'worker', 'resident'] as const) {
      expect((await t.request({ url: '/api/open311/keys', token: token[who] })).statusCode).toBe(403);
      expect((await t.request({ method: 'POST', url: '/api/open311/keys', token: token[who], body: { name: 'x' } })).statusCode).toBe(403);
    }
    expect((await t.request({ url: '/api/open311/keys' })).statusCode).toBe(401);
  });

  it('seeds the demo key once', async () => {
    const count = async () => (await t.database.db.selectFrom('open311_api_keys').select('id').where('name', '=', '演示·Open311 对接').execute()).length;
    expect(await count()).toBe(1);
    await seedDemoKey(t.platform);
    expect(await count()).toBe(1);
  });

  it('keeps /api strict about form bodies while /open311 accepts them', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { authorization: `Bearer ${token.resident}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'description=x' });
    expect(res.statusCode).toBe(415);
    expect((await get('nothing-here.json')).json()).toEqual([{ code: 404, description: expect.any(String) }]);
    expect((await get('services.csv')).statusCode).toBe(400);
  });
});
