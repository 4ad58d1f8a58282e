import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import type { SmsSender } from '../../src/server/platform/sms.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

interface Clock {
  kind: 'stage' | 'handling';
  stage: string;
  startedAt: string;
  dueAt: string;
  warnAt: string;
  pausedAt: string | null;
  warned: boolean;
  overdue: boolean;
  escalated: boolean;
  provisional: boolean;
}
interface CaseDetail {
  id: string;
  number: string;
  status: string;
  deadlineAt: string | null;
  overdue: boolean;
  clocks: Clock[];
  caller: { name: string | null; phone: string | null } | null;
  callType: string | null;
  confidential: boolean;
  lat: number | null;
  lng: number | null;
  requestedExtension: number | null;
  rating: number | null;
  timeline: Array<{ action: string; actorName: string; note?: string | null }>;
}
interface Notification {
  id: string;
  kind: string;
  text: string;
  caseId: string | null;
  readAt: string | null;
}

const HOUR = 3600_000;

describe.each(ENGINES)('case clocks, notifications, hotline intake and webhooks on %s', (engine) => {
  let t: TestApp;
  const sent: Array<{ to: string; text: string; reference: string }> = [];
  const sms: SmsSender = { name: 'capture', send: async (m) => void sent.push(m) };
  const token = {} as Record<'resident' | 'dispatcher' | 'handler' | 'admin' | 'operator' | 'head', string>;
  beforeAll(async () => {
    t = await createTestApp(engine, {}, { sms });
    for (const name of Object.keys({ resident: 1, dispatcher: 1, handler: 1, admin: 1, operator: 1, head: 1 }) as Array<keyof typeof token>) token[name] = await t.login(name);
  });
  afterAll(() => t.close());

  const act = async (id: string, who: keyof typeof token, body: Record<string, unknown>) => {
    const res = await t.request({ method: 'POST', url: `/api/cases/${id}/transitions`, token: token[who], body });
    expect(res.statusCode, `${body.action}: ${res.body}`).toBe(200);
    return res.json() as CaseDetail;
  };
  const view = async (id: string, who: keyof typeof token = 'dispatcher') => (await t.request({ url: `/api/cases/${id}`, token: token[who] })).json() as CaseDetail;
  const inbox = async (who: keyof typeof token) => (await t.request({ url: '/api/notifications?limit=100', token: token[who] })).json() as { items: Notification[]; unread: number };
  const sweep = (at: Date) => t.platform.jobs.runNow('cases.deadlines', at);
  const report = async (who: keyof typeof token, body: Record<string, unknown>) => {
    const res = await t.request({ method: 'POST', url: '/api/cases', token: token[who], body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as CaseDetail;
  };
  /** Reported by the resident, registered, dispatched to the demo handler's unit and accepted. */
  const acceptedCase = async (description: string) => {
    const c = await report('resident', { description, categoryCode: 'C0101' });
    await act(c.id, 'dispatcher', { action: 'register', categoryCode: 'C0101', urgency: 'normal' });
    await act(c.id, 'dispatcher', { action: 'dispatch' });
    return act(c.id, 'handler', { action: 'accept' });
  };

  it('runs a desk clock per stage and the handling clock from registration, and tells the next person', async () => {
    const c = await report('resident', { description: '楼道里堆了很多旧自行车', categoryCode: 'C0101' });
    expect(c.clocks).toEqual([expect.objectContaining({ kind: 'stage', stage: 'register', warned: false, overdue: false })]);
    await t.platform.events.drain();
    const desk = await inbox('dispatcher');
    expect(desk.items.find((n) => n.caseId === c.id)).toMatchObject({ kind: 'new_case', text: expect.stringContaining(c.number) });

    const registered = await act(c.id, 'dispatcher', { action: 'register', categoryCode: 'C0101', urgency: 'normal' });
    const handling = registered.clocks.find((k) => k.kind === 'handling')!;
    expect(registered.clocks.find((k) => k.kind === 'stage')).toMatchObject({ stage: 'dispatch' });
    expect(handling.dueAt).toBe(registered.deadlineAt);
    expect(new Date(handling.warnAt).getTime()).toBeLessThan(new Date(handling.dueAt).getTime());

    const dispatched = await act(c.id, 'dispatcher', { action: 'dispatch' });
    expect(dispatched.clocks.find((k) => k.kind === 'stage')).toMatchObject({ stage: 'accept' });
    await t.platform.events.drain();
    const handlerInbox = await inbox('handler');
    expect(handlerInbox.items.find((n) => n.caseId === c.id)).toMatchObject({ kind: 'new_task' });
    // the actor is not told about their own action
    expect((await inbox('dispatcher')).items.filter((n) => n.caseId === c.id).map((n) => n.kind)).toEqual(['new_case']);

    const accepted = await act(c.id, 'handler', { action: 'accept' });
    expect(accepted.clocks.map((k) => k.kind)).toEqual(['handling']);
  });

  it('gives a unit the case is transferred to its own time to accept', async () => {
    const c = await report('resident', { description: '楼道里堆着一排旧柜子', categoryCode: 'C0101' });
    await act(c.id, 'dispatcher', { action: 'register', categoryCode: 'C0101', urgency: 'normal' });
    const dispatched = await act(c.id, 'dispatcher', { action: 'dispatch' });
    const first = dispatched.clocks.find((k) => k.kind === 'stage')!;
    const other = await t.database.db.selectFrom('departments').select('id').where('region_path', '=', '310115.310115005').where('kind', '<>', 'urban_management').orderBy('code').executeTakeFirstOrThrow();
    await new Promise((r) => setTimeout(r, 20));
    const transferred = await act(c.id, 'dispatcher', { action: 'transfer', mainUnitId: other.id, reason: '属于物业管理范围' });
    const second = transferred.clocks.find((k) => k.kind === 'stage')!;
    expect(second.stage).toBe('accept');
    expect(Date.parse(second.startedAt)).toBeGreaterThan(Date.parse(first.startedAt));
  });

  it('warns at 80 %, flags overdue at the deadline and escalates after half the limit again, each once', async () => {
    const c = await acceptedCase('楼道里的纸箱堆到了二楼');
    const clock = c.clocks.find((k) => k.kind === 'handling')!;
    const [warnAt, dueAt] = [new Date(clock.warnAt), new Date(clock.dueAt)];

    await sweep(new Date(warnAt.getTime() - 1000));
    expect((await view(c.id)).timeline.map((e) => e.action)).not.toContain('deadline_warning');
    expect(await sweep(warnAt)).toBeGreaterThanOrEqual(1);
    expect(await sweep(warnAt)).toBe(0);
    let now = await view(c.id);
    expect(now.clocks[0]).toMatchObject({ warned: true, overdue: false });
    expect(now.timeline.filter((e) => e.action === 'deadline_warning')).toHaveLength(1);
    expect(now.timeline.at(-1)).toMatchObject({ action: 'deadline_warning', actorName: '系统' });

    await sweep(new Date(dueAt.getTime() + 1000));
    now = await view(c.id);
    expect(now.timeline.filter((e) => e.action === 'overdue')).toHaveLength(1);
    await t.platform.events.drain();
    const handlerKinds = (await inbox('handler')).items.filter((n) => n.caseId === c.id).map((n) => n.kind);
    expect(handlerKinds).toEqual(expect.arrayContaining(['new_task', 'deadline_warning', 'overdue']));
    expect((await inbox('dispatcher')).items.filter((n) => n.caseId === c.id).map((n) => n.kind)).toContain('overdue');

    await sweep(new Date(dueAt.getTime() + 30 * 24 * HOUR));
    now = await view(c.id);
    expect(now.timeline.filter((e) => e.action === 'supervise')).toHaveLength(1);
    expect(now.clocks[0]).toMatchObject({ escalated: true });
    await t.platform.events.drain();
    // 督办 reaches the level above the street desk: the district operators
    expect((await inbox('operator')).items.find((n) => n.caseId === c.id)).toMatchObject({ kind: 'supervised' });
    const audited = await t.database.db.selectFrom('audit_log').select('action').where('object_id', '=', c.id).where('action', 'in', ['case.deadline_warning', 'case.overdue', 'case.supervise']).execute();
    expect(audited.map((a) => a.action).sort()).toEqual(['case.deadline_warning', 'case.overdue', 'case.supervise']);
  });

  it('after an outage fires only the furthest step that fell due', async () => {
    const c = await acceptedCase('楼道堆放的家具挡住了消防通道');
    const dueAt = new Date(c.clocks[0]!.dueAt);
    await sweep(new Date(dueAt.getTime() + 1000));
    const entries = (await view(c.id)).timeline.map((e) => e.action);
    expect(entries).toContain('overdue');
    expect(entries).not.toContain('deadline_warning');
  });

  it('lists overdue cases, and sorts the board by the nearest running deadline', async () => {
    const late = await acceptedCase('三楼楼道里堆了废旧床垫');
    await sweep(new Date(new Date(late.clocks[0]!.dueAt).getTime() + 1000));
    // the clock ran out in the sweep's future; in the database's present it is not yet overdue
    const listed = (await t.request({ url: '/api/cases?overdue=true&limit=200', token: token.dispatcher })).json() as { items: CaseDetail[] };
    expect(listed.items.map((i) => i.id)).not.toContain(late.id);
    await t.database.db.updateTable('case_timers').set({ due_at: new Date(Date.now() - HOUR) }).where('case_id', '=', late.id).execute();
    const overdue = (await t.request({ url: '/api/cases?overdue=true&limit=200', token: token.dispatcher })).json() as { items: CaseDetail[] };
    expect(overdue.items.map((i) => i.id)).toContain(late.id);
    expect(overdue.items.every((i) => i.overdue)).toBe(true);

    const board = (await t.request({ url: '/api/cases?active=true&sort=deadline&limit=200', token: token.dispatcher })).json() as { items: CaseDetail[] };
    const next = board.items.map((i) => Math.min(...i.clocks.filter((k) => !k.pausedAt).map((k) => new Date(k.dueAt).getTime()), Infinity));
    expect(next.length).toBeGreaterThan(2);
    expect([...next].sort((a, b) => a - b)).toEqual(next);
    expect(board.items[0]!.id).toBe(late.id);
    expect((await t.request({ url: '/api/cases?stage=register&limit=200', token: token.dispatcher })).statusCode).toBe(200);
  });

  it('survives a restart: another instance on the same database fires what is due, once', async () => {
    const c = await acceptedCase('五楼楼道被杂物堵住');
    const warnAt = new Date(c.clocks[0]!.warnAt);
    await t.app.close();
    // a new instance (a restart) and a second one alongside it sweep at the same moment
    const [a, b] = await Promise.all([createTestApp(engine, {}, { sms, database: t.database }), buildApp({ config: t.config, database: t.database, logger: false, startBackgroundWork: false })]);
    await b.app.ready();
    const fired = await Promise.all([a.platform.jobs.runNow('cases.deadlines', warnAt), b.platform.jobs.runNow('cases.deadlines', warnAt)]);
    expect(fired.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(1);
    const warnings = await t.database.db.selectFrom('case_events').select(sql<string>`count(*)`.as('n')).where('case_id', '=', c.id).where('action', '=', 'deadline_warning').executeTakeFirstOrThrow();
    expect(Number(warnings.n)).toBe(1);
    await b.app.close();
    const old = t;
    t = { ...a, close: async () => (await a.close(), await old.database.close()) };
    for (const name of Object.keys(token) as Array<keyof typeof token>) token[name] = await t.login(name);
  });

  it('extends the handling deadline by the approved amount and pauses the clock while suspended', async () => {
    const c = await acceptedCase('楼道里有人堆放了大量装修垃圾');
    const before = new Date(c.deadlineAt!).getTime();
    const bad = await t.request({ method: 'POST', url: `/api/cases/${c.id}/transitions`, token: token.handler, body: { action: 'extend', reason: '需要物业配合', amount: 1.5 } });
    expect(bad.statusCode).toBe(400); // C0101 counts whole working days
    const requested = await act(c.id, 'handler', { action: 'extend', reason: '需要物业配合清运', amount: 2 });
    expect(requested.requestedExtension).toBe(2);
    await t.platform.events.drain();
    expect((await inbox('dispatcher')).items.find((n) => n.caseId === c.id)).toMatchObject({ kind: 'request_pending' });
    const extended = await act(c.id, 'dispatcher', { action: 'approve' });
    const after = new Date(extended.deadlineAt!).getTime();
    // two more working days: at least two calendar days later
    expect(after - before).toBeGreaterThanOrEqual(2 * 24 * HOUR);
    expect(extended.requestedExtension).toBeNull();

    await act(c.id, 'handler', { action: 'suspend', reason: '等待业主回国后处理' });
    const suspended = await act(c.id, 'dispatcher', { action: 'approve' });
    expect(suspended.status).toBe('suspended');
    expect(suspended.clocks.find((k) => k.kind === 'handling')!.pausedAt).not.toBeNull();
    // a paused clock never fires
    await sweep(new Date(after + 365 * 24 * HOUR));
    expect((await view(c.id)).timeline.map((e) => e.action)).not.toContain('overdue');
    const resumed = await act(c.id, 'handler', { action: 'resume' });
    const clock = resumed.clocks.find((k) => k.kind === 'handling')!;
    expect(clock.pausedAt).toBeNull();
    expect(new Date(clock.dueAt).getTime()).toBeGreaterThanOrEqual(after);
  });

  it('takes a 12345 call: caller masked, confidential callers hidden from the unit, full number audited', async () => {
    const hotline = { description: '来电反映：小区门口下水道井盖缺失', categoryCode: 'C0101', regionCode: '310115005001', channel: 'hotline', callType: 'complaint', confidential: true, caller: { name: '王女士', phone: '13912345678' } };
    expect((await t.request({ method: 'POST', url: '/api/cases', token: token.operator, body: { ...hotline, callType: undefined } })).statusCode).toBe(400);
    expect((await t.request({ method: 'POST', url: '/api/cases', token: token.operator, body: { ...hotline, channel: 'staff' } })).statusCode).toBe(400);
    expect((await t.request({ method: 'POST', url: '/api/cases', token: token.operator, body: { ...hotline, caller: { phone: '12345' } } })).statusCode).toBe(400);
    // hotline intake is for the operations centres' staff
    expect((await t.request({ method: 'POST', url: '/api/cases', token: token.handler, body: hotline })).statusCode).toBe(403);
    const c = await report('operator', hotline);
    expect(c).toMatchObject({ callType: 'complaint', confidential: true, caller: { name: '王女士', phone: '139****5678' } });
    await act(c.id, 'dispatcher', { action: 'register', categoryCode: 'C0101', urgency: 'urgent' });
    await act(c.id, 'dispatcher', { action: 'dispatch' });
    expect((await view(c.id, 'handler')).caller).toBeNull();
    expect((await view(c.id, 'dispatcher')).caller).toMatchObject({ phone: '139****5678' });

    const reveal = (who: keyof typeof token, reason = '回访核实处理结果') => t.request({ method: 'POST', url: `/api/cases/${c.id}/caller/reveal`, token: token[who], body: { reason } });
    expect((await reveal('handler')).statusCode).toBe(403);
    expect((await reveal('dispatcher', '看')).statusCode).toBe(422);
    const full = await reveal('dispatcher');
    expect(full.statusCode).toBe(200);
    expect(full.json()).toEqual({ name: '王女士', phone: '13912345678' });
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('object_id', '=', c.id).where('action', '=', 'personal_data.reveal').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.reason).toBe('回访核实处理结果');

    // the caller hears the outcome by SMS (they have no app)
    await act(c.id, 'handler', { action: 'accept' });
    await act(c.id, 'handler', { action: 'handled', result: '井盖已补装' });
    await act(c.id, 'dispatcher', { action: 'verify', passed: true });
    await t.platform.events.drain();
    expect(sent.filter((m) => m.to === '13912345678')).toEqual([expect.objectContaining({ text: expect.stringContaining(c.number) })]);

    // 回访: the desk calls back; the caller's satisfaction becomes the rating, and only the desk may record it
    expect((await t.request({ method: 'POST', url: `/api/cases/${c.id}/transitions`, token: token.handler, body: { action: 'followup', reached: true, score: 4 } })).statusCode).toBe(403);
    expect((await t.request({ method: 'POST', url: `/api/cases/${c.id}/transitions`, token: token.dispatcher, body: { action: 'followup', reached: false, score: 4 } })).statusCode).toBe(400);
    const called = await act(c.id, 'dispatcher', { action: 'followup', reached: true, score: 4, comment: '王女士表示满意' });
    expect(called).toMatchObject({ status: 'closed', rating: 4 });
    expect(called.timeline.at(-1)).toMatchObject({ action: 'followup', note: '王女士表示满意' });
  });

  it('converts GCJ-02 coordinates from Chinese phones to WGS-84', async () => {
    const c = await report('resident', { description: '楼道灯坏了一个星期了', lat: 31.2397, lng: 121.5057, coordSystem: 'gcj02' });
    expect(c.lat).toBeCloseTo(31.2417, 3);
    expect(c.lng).toBeCloseTo(121.5013, 3);
    const wgs = await report('resident', { description: '楼道灯又坏了', lat: 31.2397, lng: 121.5057 });
    expect(wgs.lat).toBe(31.2397);
  });

  it('keeps each inbox private and marks read what its owner says', async () => {
    const mine = await inbox('handler');
    expect(mine.unread).toBeGreaterThan(1);
    const [first, second] = mine.items;
    // marking someone else's notification changes nothing
    const foreign = await t.request({ method: 'POST', url: '/api/notifications/read', token: token.resident, body: { ids: [first!.id] } });
    expect(foreign.json()).toMatchObject({ marked: 0 });
    const marked = await t.request({ method: 'POST', url: '/api/notifications/read', token: token.handler, body: { ids: [first!.id, second!.id] } });
    expect(marked.json()).toEqual({ marked: 2, unread: mine.unread - 2 });
    expect((await t.request({ url: '/api/notifications/unread-count', token: token.handler })).json()).toEqual({ unread: mine.unread - 2 });
    const all = await t.request({ method: 'POST', url: '/api/notifications/read', token: token.handler, body: { all: true } });
    expect(all.json()).toEqual({ marked: mine.unread - 2, unread: 0 });
    expect((await t.request({ method: 'POST', url: '/api/notifications/read', token: token.handler, body: { all: false } })).statusCode).toBe(400);
    expect((await t.request({ url: '/api/notifications?unread=true', token: token.handler })).json()).toMatchObject({ items: [], unread: 0 });
    const english = await t.request({ url: '/api/notifications', token: token.handler, headers: { 'accept-language': 'en' } });
    expect((english.json() as { items: Notification[] }).items[0]!.text).toMatch(/^[A-Z]/);
  });

  describe('webhooks', () => {
    let server: Server;
    let url: string;
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    let failNext = 0;
    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          if (failNext > 0) {
            failNext -= 1;
            res.writeHead(503).end();
            return;
          }
          received.push({ headers: req.headers, body });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('posts signed case events to the admin’s webhook, retrying a failing receiver', async () => {
      expect((await t.request({ method: 'POST', url: '/api/webhooks', token: token.dispatcher, body: { url, eventTypes: ['case.*'] } })).statusCode).toBe(403);
      expect((await t.request({ method: 'POST', url: '/api/webhooks', token: token.admin, body: { url: 'ftp://x', eventTypes: ['case.*'] } })).statusCode).toBe(400);
      const created = await t.request({ method: 'POST', url: '/api/webhooks', token: token.admin, body: { url, eventTypes: ['case.reported', 'case.closed'], description: '区大数据中心' } });
      expect(created.statusCode, created.body).toBe(201);
      const hook = created.json() as { id: string; secret: string };
      expect(hook.secret).toMatch(/^whsec_/);
      expect(((await t.request({ url: '/api/webhooks', token: token.admin })).json() as { items: object[] }).items[0]).not.toHaveProperty('secret');

      failNext = 1;
      const c = await report('resident', { description: '楼道里电瓶车在充电', categoryCode: 'C0101' });
      await t.platform.events.drain();
      expect(await t.platform.jobs.runNow('webhooks.send')).toBe(1);
      expect(received).toHaveLength(0);
      let deliveries = (await t.request({ url: `/api/webhooks/${hook.id}/deliveries`, token: token.admin })).json() as { items: Array<{ status: string; attempts: number; lastStatus: number; nextAttemptAt: string }> };
      expect(deliveries.items[0]).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 503 });
      // not before its back-off; then delivered
      expect(await t.platform.jobs.runNow('webhooks.send')).toBe(0);
      expect(await t.platform.jobs.runNow('webhooks.send', new Date(new Date(deliveries.items[0]!.nextAttemptAt).getTime() + 1))).toBe(1);
      expect(received).toHaveLength(1);
      const { headers, body } = received[0]!;
      const payload = JSON.parse(body) as { id: string; type: string; aggregate: { id: string }; data: { number: string } };
      expect(payload).toMatchObject({ type: 'case.reported', aggregate: { id: c.id }, data: { number: c.number } });
      expect(headers['x-gongzhi-event']).toBe('case.reported');
      const [, ts, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['x-gongzhi-signature']))!;
      expect(v1).toBe(createHmac('sha256', hook.secret).update(`${ts}.${body}`).digest('hex'));
      deliveries = (await t.request({ url: `/api/webhooks/${hook.id}/deliveries`, token: token.admin })).json() as typeof deliveries;
      expect(deliveries.items[0]).toMatchObject({ status: 'delivered', attempts: 2 });
      // events it did not ask for are not queued
      await act(c.id, 'dispatcher', { action: 'register', categoryCode: 'C0101', urgency: 'normal' });
      await t.platform.events.drain();
      expect(await t.platform.jobs.runNow('webhooks.send', new Date(Date.now() + 3600_000))).toBe(0);
      // disabled: nothing more is queued
      expect((await t.request({ method: 'PATCH', url: `/api/webhooks/${hook.id}`, token: token.admin, body: { active: false } })).json()).toMatchObject({ active: false });
      await report('resident', { description: '楼道里又有电瓶车充电', categoryCode: 'C0101' });
      await t.platform.events.drain();
      expect(await t.platform.jobs.runNow('webhooks.send', new Date(Date.now() + 3600_000))).toBe(0);
    });
  });
});
