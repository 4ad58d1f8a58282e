import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

interface RegionSummary { code: string; name: string; childCount: number; level: string }

describe.each(ENGINES)('API contract on %s', (engine) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await t.login('admin');
  });
  afterAll(() => t.close());

  it('reports health without credentials', async () => {
    const res = await t.request({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', db: engine });
  });

  it('logs in with a token, a session cookie, and a user', async () => {
    const res = await t.request({ method: 'POST', url: '/api/auth/login', body: { username: 'dispatcher', password: 'gongzhi-demo' } });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { token: string; user: { user: { username: string }; assignment: { role: string; regionName: string } } };
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.user.user.username).toBe('dispatcher');
    expect(body.user.assignment).toMatchObject({ role: 'street_dispatcher', regionName: '陆家嘴街道' });
    const cookie = res.cookies.find((c) => c.name === 'gz_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.value).toBe(body.token);
    // the cookie alone authenticates, as the web console uses it
    const me = await t.request({ url: '/api/me', headers: { cookie: `gz_session=${cookie!.value}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { username: 'dispatcher' } });
  });

  it('serves the district, its 42 street-level units and their 1,526 committees', async () => {
    const district = await t.request({ url: '/api/regions/310115', token: admin });
    expect(district.statusCode).toBe(200);
    expect(district.json()).toMatchObject({ code: '310115', name: '浦东新区', level: 'district', childCount: 42, descendants: { street: 42, committee: 1526 } });

    const streets = (await t.request({ url: '/api/regions/310115/children', token: admin })).json() as RegionSummary[];
    expect(streets).toHaveLength(42);
    expect(streets.every((s) => /^310115\d{3}$/.test(s.code) && s.name.length > 0)).toBe(true);
    expect(streets.reduce((sum, s) => sum + s.childCount, 0)).toBe(1526);
    expect(streets.find((s) => s.code === '310115005')).toMatchObject({ name: '陆家嘴街道', childCount: 35 });

    const committees = (await t.request({ url: '/api/regions/310115005/children', token: admin })).json() as RegionSummary[];
    expect(committees).toHaveLength(35);
    expect(committees[0]).toMatchObject({ code: '310115005001', name: '梅园一村居委会', level: 'committee' });
  });

  it('answers 401 with the error body on every non-public /api route without credentials', async () => {
    const spec = (await t.request({ url: '/api/openapi.json', token: admin })).json() as { paths: Record<string, Record<string, unknown>> };
    const all = Object.entries(spec.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => ({ path, method: m.toUpperCase() })));
    // Open311 (/open311/v2) is a public standard outside /api: its GETs need no session, its POST an api_key
    expect(all.filter((r) => r.path.startsWith('/open311/v2/')).map((r) => `${r.method} ${r.path}`)).toContain('POST /open311/v2/requests.{format}');
    const routes = all.filter((r) => r.path.startsWith('/api/'));
    expect(routes.length).toBeGreaterThan(15);
    expect(all.length - routes.length).toBe(7);
    const open = new Set(['GET /api/health', 'POST /api/auth/login']);
    for (const route of routes) {
      const url = route.path
        .replace(/\{code\}/g, '310115')
        .replace(/\{id\}|\{assignmentId\}/g, '00000000-0000-4000-8000-000000000000');
      const res = await t.request({ method: route.method as 'GET', url, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body: {} }) });
      if (open.has(`${route.method} ${route.path}`)) continue;
      expect({ route: `${route.method} ${route.path}`, status: res.statusCode }).toEqual({ route: `${route.method} ${route.path}`, status: 401 });
      // devices report with their own token, not a user session
      const code = /^\/api\/devices\/\{id\}\/(telemetry|events)$/.test(route.path) ? 'DEVICE_UNAUTHENTICATED' : 'UNAUTHENTICATED';
      expect(res.json()).toMatchObject({ error: { code, message: expect.any(String) } });
    }
    for (const url of ['/api/openapi.json', '/api/docs', '/api/no-such-route']) {
      expect((await t.request({ url })).statusCode).toBe(401);
    }
  });

  it('publishes an OpenAPI document with a schema for every route, and interactive docs', async () => {
    const spec = (await t.request({ url: '/api/openapi.json', token: admin })).json() as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>;
    };
    expect(spec.openapi).toBe('3.0.3');
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        expect(Object.keys(op.responses).length, `${method} ${path}`).toBeGreaterThan(0);
        if (['post', 'put', 'patch'].includes(method) && !path.endsWith('/logout') && !path.endsWith('/unlock')) {
          expect(op.requestBody, `${method} ${path} has a request schema`).toBeDefined();
        }
      }
    }
    const docs = await t.request({ url: '/api/docs/', token: admin });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('rejects bad input with a stable code and changes nothing', async () => {
    const before = (await t.request({ url: '/api/regions/310115005001/children', token: admin })).json() as unknown[];
    const cases: Array<{ body?: string | object; headers?: Record<string, string>; status: number; code: string }> = [
      { body: '{"level": "grid", "name": ', headers: { 'content-type': 'application/json' }, status: 400, code: 'MALFORMED_JSON' },
      { body: { level: 'grid', name: '第一网格', colour: 'red' }, status: 400, code: 'VALIDATION_FAILED' },
      { body: { level: 'grid', name: 42 }, status: 400, code: 'VALIDATION_FAILED' },
      { body: { level: 'street', name: '新街道' }, status: 400, code: 'VALIDATION_FAILED' },
      { body: { level: 'grid' }, status: 400, code: 'VALIDATION_FAILED' },
      { body: 'level=grid&name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      { body: JSON.stringify({ level: 'grid', name: 'x'.repeat(2 * 1024 * 1024) }), headers: { 'content-type': 'application/json' }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
    ];
    for (const c of cases) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/regions/310115005001/children',
        headers: { authorization: `Bearer ${admin}`, ...(c.headers ?? {}) },
        payload: c.body as string,
      });
      expect({ status: res.statusCode, code: (res.json() as { error: { code: string } }).error.code }).toEqual({ status: c.status, code: c.code });
    }
    const after = (await t.request({ url: '/api/regions/310115005001/children', token: admin })).json() as unknown[];
    expect(after).toEqual(before);
  });

  it('names the offending field of a validation error', async () => {
    const res = await t.request({ method: 'POST', url: '/api/auth/login', body: { username: 'admin', password: 'x', remember: true } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: [{ rule: 'additionalProperties', property: 'remember' }] } });
  });

  it('speaks Chinese by default and English on request', async () => {
    const zh = await t.request({ url: '/api/me' });
    expect(zh.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: '请先登录。' } });
    const en = await t.request({ url: '/api/me', headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(en.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Please sign in first.' } });
  });

  it('sends security headers and no CORS headers', async () => {
    const res = await t.request({ url: '/api/health', headers: { origin: 'https://evil.example' } });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.app.inject({ method: 'OPTIONS', url: '/api/regions/310115', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('revokes the token on logout', async () => {
    const token = await t.login('worker');
    expect((await t.request({ url: '/api/me', token })).statusCode).toBe(200);
    const out = await t.request({ method: 'POST', url: '/api/auth/logout', token });
    expect(out.statusCode).toBe(204);
    const after = await t.request({ url: '/api/me', token });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses wrong passwords and unknown users alike', async () => {
    const wrong = await t.request({ method: 'POST', url: '/api/auth/login', body: { username: 'worker', password: 'not-the-password' } });
    const unknown = await t.request({ method: 'POST', url: '/api/auth/login', body: { username: 'nobody-here', password: 'not-the-password' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });
});
