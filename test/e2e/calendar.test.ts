import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/server/platform/audit.ts';
import { systemActor } from '../../src/server/platform/actor.ts';
import { replaceYearSchedule } from '../../src/server/modules/calendar/commands.ts';
import { workingCalendar } from '../../src/server/modules/calendar/store.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

interface YearSummary { year: number; source: string; holidays: number; workdays: number; updatedBy: string | null }
interface YearDetail { year: number; source: string; updatedBy: string | null; days: Array<{ date: string; kind: string; name: string | null }> }
interface AuditItem { action: string; objectType: string; objectId: string | null; actorUsername: string; details: Record<string, unknown> }

/**
 * chinese-days@1.5.7 ends with 2026. The 2027 schedule below is test data in the shape the State
 * Council publishes (not the real 2027 schedule, which had not been announced).
 */
const SCHEDULE_2027 = [
  { date: '2027-01-01', kind: 'holiday', name: '元旦' },
  { date: '2027-01-02', kind: 'holiday', name: '元旦' },
  { date: '2027-01-03', kind: 'holiday', name: '元旦' },
  { date: '2027-02-06', kind: 'holiday', name: '春节' },
  { date: '2027-02-07', kind: 'holiday', name: '春节' },
  { date: '2027-02-08', kind: 'holiday', name: '春节' },
  { date: '2027-02-20', kind: 'workday', name: '春节' }, // a Saturday
];

describe.each(ENGINES)('working calendar on %s', (engine) => {
  let t: TestApp;
  let admin: string;
  let operator: string;
  let resident: string;

  const deadline = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.request({ method: 'POST', url: '/api/calendar/deadline', token, body, headers });
  const countAudit = async () => Number((await sql<{ n: string }>`select count(*)::text as n from audit_log where action like 'calendar.%'`.execute(t.database.db)).rows[0]!.n);

  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await t.login('admin');
    operator = await t.login('operator');
    resident = await t.login('resident');
  });
  afterAll(() => t.close());

  it('is seeded from chinese-days for 2004–2026 and knows no later year', async () => {
    const res = await t.request({ url: '/api/calendar/years', token: operator });
    expect(res.statusCode).toBe(200);
    const years = (res.json() as { items: YearSummary[] }).items;
    expect(years.map((y) => y.year)).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(years.every((y) => y.source === 'chinese-days@1.5.7' && y.updatedBy === null)).toBe(true);
    expect(years.find((y) => y.year === 2026)).toMatchObject({ holidays: 33, workdays: 6 });

    const y2026 = (await t.request({ url: '/api/calendar/years/2026', token: operator })).json() as YearDetail;
    expect(y2026.days).toContainEqual({ date: '2026-02-17', kind: 'holiday', name: '春节' });
    expect(y2026.days).toContainEqual({ date: '2026-02-14', kind: 'workday', name: '春节' });
    expect(y2026.days.map((d) => d.date)).toEqual([...y2026.days.map((d) => d.date)].sort());

    const missing = await t.request({ url: '/api/calendar/years/2027', token: operator });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });

    const settings = await t.request({ url: '/api/calendar/settings', token: operator });
    expect(settings.json()).toMatchObject({ workingHours: [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '18:00' }], updatedBy: null });
  });

  it('previews deadlines, and refuses one that runs into an unknown year, naming it', async () => {
    const ok = await deadline(operator, { start: '2026-09-30T15:00:00+08:00', amount: 3, clock: 'working_days' });
    expect(ok.statusCode).toBe(200);
    // 国庆 2026: 10-08, 10-09 and the 调休 Saturday 10-10, until 18:00 Shanghai time
    expect(ok.json()).toEqual({ deadline: '2026-10-10T10:00:00.000Z', warnAt: '2026-10-10T03:12:00.000Z' });
    const hours = await deadline(operator, { start: '2026-02-13T09:30:00Z', amount: 1, clock: 'working_hours' });
    expect(hours.json()).toMatchObject({ deadline: '2026-02-14T00:30:00.000Z' }); // Friday 17:30 → the 调休 Saturday 08:30

    const unknown = await deadline(operator, { start: '2026-12-30T10:00:00+08:00', amount: 5, clock: 'working_days' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ error: { code: 'CALENDAR_YEAR_UNKNOWN', details: { year: 2027 } } });
    expect((unknown.json() as { error: { message: string } }).error.message).toContain('2027 年');
    const en = await deadline(operator, { start: '2026-12-30T10:00:00+08:00', amount: 5, clock: 'working_days' }, { 'accept-language': 'en' });
    expect((en.json() as { error: { message: string } }).error.message).toMatch(/no holiday schedule for 2027/);

    // continuous clocks need no calendar
    const emergency = await deadline(operator, { start: '2026-12-31T20:00:00+08:00', amount: 24, clock: 'emergency_working_hours' });
    expect(emergency.json()).toEqual({ deadline: '2027-01-01T12:00:00.000Z', warnAt: '2027-01-01T07:12:00.000Z' });
  });

  it('lets the administrator enter 2027; deadlines then cross into it, but not into 2028', async () => {
    const put = await t.request({ method: 'PUT', url: '/api/calendar/years/2027', token: admin, body: { days: SCHEDULE_2027 } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ year: 2027, source: 'manual', updatedBy: 'admin', days: SCHEDULE_2027 });
    const years = ((await t.request({ url: '/api/calendar/years', token: admin })).json() as { items: YearSummary[] }).items;
    expect(years.find((y) => y.year === 2027)).toMatchObject({ source: 'manual', holidays: 6, workdays: 1, updatedBy: 'admin' });

    // 12-31 (1), 元旦 01-01…03 off, 01-04 (2) … 01-07 (5), 18:00
    const across = await deadline(operator, { start: '2026-12-30T10:00:00+08:00', amount: 5, clock: 'working_days' });
    expect(across.statusCode).toBe(200);
    expect(across.json()).toMatchObject({ deadline: '2027-01-07T10:00:00.000Z' });
    // the 2027 调休 Saturday counts
    const saturday = await deadline(operator, { start: '2027-02-19T17:00:00+08:00', amount: 2, clock: 'working_hours' });
    expect(saturday.json()).toMatchObject({ deadline: '2027-02-20T01:00:00.000Z' });

    const later = await deadline(operator, { start: '2027-12-30T10:00:00+08:00', amount: 5, clock: 'working_days' });
    expect(later.statusCode).toBe(422);
    expect(later.json()).toMatchObject({ error: { code: 'CALENDAR_YEAR_UNKNOWN', details: { year: 2028 } } });
  });

  it('replaces a year from the package, recording what changed', async () => {
    const before = (await t.request({ url: '/api/calendar/years/2026', token: admin })).json() as YearDetail;
    const days = before.days
      .filter((d) => d.date !== '2026-06-19') // drop one
      .map((d) => (d.date === '2026-01-01' ? { ...d, name: '元旦节' } : d)) // rename one
      .concat([{ date: '2026-12-31', kind: 'holiday', name: '测试假日' }]); // add one
    const res = await t.request({ method: 'PUT', url: '/api/calendar/years/2026', token: admin, body: { days: days.map((d) => (d.name === null ? { date: d.date, kind: d.kind } : d)) } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ source: 'manual' });
    const audit = (await t.request({ url: '/api/audit?action=calendar.replace_year&objectId=2026', token: admin })).json() as { items: AuditItem[] };
    expect(audit.items[0]).toMatchObject({
      actorUsername: 'admin',
      objectType: 'calendar_year',
      details: { year: 2026, source: 'manual', previousSource: 'chinese-days@1.5.7', added: ['2026-12-31'], removed: ['2026-06-19'], changed: ['2026-01-01'] },
    });
  });

  it('refuses bad input with a clear code and changes nothing', async () => {
    const year = (await t.request({ url: '/api/calendar/years/2027', token: admin })).json() as YearDetail;
    const settings = (await t.request({ url: '/api/calendar/settings', token: admin })).json() as unknown;
    const audited = await countAudit();
    const cases: Array<{ url: string; body: unknown; status: number; code: string }> = [
      { url: '/api/calendar/years/2027', body: { days: [{ date: '2028-01-01', kind: 'holiday', name: '元旦' }] }, status: 422, code: 'CALENDAR_DATE_OUTSIDE_YEAR' },
      { url: '/api/calendar/years/2027', body: { days: [{ date: '2027-01-01', kind: 'holiday' }, { date: '2027-01-01', kind: 'holiday', name: '元旦' }] }, status: 422, code: 'CALENDAR_DUPLICATE_DATE' },
      { url: '/api/calendar/years/2027', body: { days: [{ date: '2027-01-04', kind: 'workday' }] }, status: 422, code: 'CALENDAR_WORKDAY_NOT_WEEKEND' },
      { url: '/api/calendar/years/2027', body: { days: [{ date: '2027-02-30', kind: 'holiday' }] }, status: 400, code: 'VALIDATION_FAILED' },
      { url: '/api/calendar/years/2027', body: { days: [{ date: '2027-01-01', kind: 'vacation' }] }, status: 400, code: 'VALIDATION_FAILED' },
      { url: '/api/calendar/years/2027', body: { days: [{ date: '2027-01-01', kind: 'holiday', colour: 'red' }] }, status: 400, code: 'VALIDATION_FAILED' },
      { url: '/api/calendar/years/2027', body: { days: [], source: 'chinese-days@9' }, status: 400, code: 'VALIDATION_FAILED' },
      { url: '/api/calendar/years/1999', body: { days: [] }, status: 400, code: 'VALIDATION_FAILED' },
      { url: '/api/calendar/settings', body: { workingHours: [{ start: '08:00', end: '12:00' }, { start: '11:00', end: '18:00' }] }, status: 422, code: 'CALENDAR_WORKING_HOURS_INVALID' },
      { url: '/api/calendar/settings', body: { workingHours: [{ start: '14:00', end: '18:00' }, { start: '08:00', end: '12:00' }] }, status: 422, code: 'CALENDAR_WORKING_HOURS_INVALID' },
      { url: '/api/calendar/settings', body: { workingHours: [{ start: '18:00', end: '08:00' }] }, status: 422, code: 'CALENDAR_WORKING_HOURS_INVALID' },
      { url: '/api/calendar/settings', body: { workingHours: [{ start: '8:00', end: '12:00' }] }, status: 400, code: 'VALIDATION_FAILED' },
      { url: '/api/calendar/settings', body: { workingHours: [{ start: '08:00', end: '25:00' }] }, status: 400, code: 'VALIDATION_FAILED' },
      { url: '/api/calendar/settings', body: { workingHours: [] }, status: 400, code: 'VALIDATION_FAILED' },
      { url: '/api/calendar/settings', body: { workingHours: [{ start: '08:00', end: '12:00' }], timezone: 'UTC' }, status: 400, code: 'VALIDATION_FAILED' },
    ];
    for (const c of cases) {
      const res = await t.request({ method: 'PUT', url: c.url, token: admin, body: c.body });
      expect({ body: c.body, status: res.statusCode, code: (res.json() as { error: { code: string } }).error.code }).toEqual({ body: c.body, status: c.status, code: c.code });
    }
    const previews: Array<[Record<string, unknown>, number, string]> = [
      [{ start: '2026-03-02T10:00:00+08:00', amount: 1.5, clock: 'working_days' }, 422, 'CALENDAR_LIMIT_INVALID'],
      [{ start: '2026-03-02T10:00:00+08:00', amount: 0, clock: 'working_hours' }, 400, 'VALIDATION_FAILED'],
      [{ start: '2026-03-02 10:00', amount: 1, clock: 'working_hours' }, 400, 'VALIDATION_FAILED'],
      [{ start: '2026-03-02T10:00:00+08:00', amount: 1, clock: 'fortnights' }, 400, 'VALIDATION_FAILED'],
      [{ start: '2026-03-02T10:00:00+08:00', amount: 1, clock: 'working_hours', urgency: 'urgent' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of previews) {
      const res = await deadline(operator, body);
      expect({ body, status: res.statusCode, code: (res.json() as { error: { code: string } }).error.code }).toEqual({ body, status, code });
    }
    expect((await t.request({ url: '/api/calendar/years/2027', token: admin })).json()).toEqual(year);
    expect((await t.request({ url: '/api/calendar/settings', token: admin })).json()).toEqual(settings);
    expect(await countAudit()).toBe(audited);
  });

  it('lets only an installation-wide administrator change it, and keeps residents out', async () => {
    const audited = await countAudit();
    for (const name of ['operator', 'steward', 'dispatcher', 'handler', 'head', 'worker']) {
      const token = await t.login(name);
      expect((await t.request({ url: '/api/calendar/years', token })).statusCode, name).toBe(200);
      expect((await t.request({ url: '/api/calendar/settings', token })).statusCode, name).toBe(200);
      expect((await deadline(token, { start: '2026-03-02T10:00:00+08:00', amount: 1, clock: 'working_days' })).statusCode, name).toBe(200);
      const put = await t.request({ method: 'PUT', url: '/api/calendar/years/2027', token, body: { days: [] } });
      expect({ name, status: put.statusCode }).toEqual({ name, status: 403 });
      expect(put.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
      expect((await t.request({ method: 'PUT', url: '/api/calendar/settings', token, body: { workingHours: [{ start: '09:00', end: '17:00' }] } })).statusCode, name).toBe(403);
    }
    for (const url of ['/api/calendar/years', '/api/calendar/years/2026', '/api/calendar/settings']) {
      expect((await t.request({ url, token: resident })).statusCode, url).toBe(403);
    }
    expect((await deadline(resident, { start: '2026-03-02T10:00:00+08:00', amount: 1, clock: 'working_days' })).statusCode).toBe(403);
    expect((await t.request({ url: '/api/calendar/years' })).statusCode).toBe(401);

    // an administrator scoped to one street manages that street, not the installation's calendar
    const created = await t.request({
      method: 'POST',
      url: '/api/users',
      token: admin,
      body: { username: 'street-admin', displayName: '街道管理员', password: 'street-admin-pass', assignment: { role: 'admin', regionCode: '310115004' } },
    });
    expect(created.statusCode).toBe(201);
    const streetAdmin = await t.login('street-admin', 'street-admin-pass');
    expect((await t.request({ url: '/api/calendar/years/2027', token: streetAdmin })).statusCode).toBe(200);
    expect((await t.request({ method: 'PUT', url: '/api/calendar/years/2027', token: streetAdmin, body: { days: [] } })).statusCode).toBe(403);
    expect(await countAudit()).toBe(audited);
  });

  it('changes the working hours, and deadlines follow at once', async () => {
    const start = '2026-03-02T16:30:00+08:00'; // Monday
    expect((await deadline(operator, { start, amount: 1, clock: 'working_hours' })).json()).toMatchObject({ deadline: '2026-03-02T09:30:00.000Z' });
    const res = await t.request({
      method: 'PUT',
      url: '/api/calendar/settings',
      token: admin,
      body: { workingHours: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ workingHours: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }], updatedBy: 'admin' });
    // 30 min until 17:00, then 30 min from 09:00 on Tuesday
    expect((await deadline(operator, { start, amount: 1, clock: 'working_hours' })).json()).toMatchObject({ deadline: '2026-03-03T01:30:00.000Z' });
    expect((await deadline(operator, { start, amount: 1, clock: 'working_days' })).json()).toMatchObject({ deadline: '2026-03-03T09:00:00.000Z' });
  });

  it('notices a change made by another instance (same database, not through this process)', async () => {
    const start = '2026-03-02T16:30:00+08:00';
    await deadline(operator, { start, amount: 1, clock: 'working_days' }); // warm this process's cache
    // what a second app instance's write amounts to: new data and a new version, committed elsewhere
    await sql`update calendar_settings set working_hours = '[{"start":"08:00","end":"12:00"},{"start":"14:00","end":"18:00"}]'::jsonb, version = version + 1`.execute(t.database.db);
    expect((await deadline(operator, { start, amount: 1, clock: 'working_days' })).json()).toMatchObject({ deadline: '2026-03-03T10:00:00.000Z' });
    await sql`insert into calendar_years (year, source) values (2028, 'manual')`.execute(t.database.db);
    await sql`update calendar_settings set version = version + 1`.execute(t.database.db);
    expect((await deadline(operator, { start: '2027-12-30T10:00:00+08:00', amount: 5, clock: 'working_days' })).statusCode).toBe(200);
  });

  it('sees its own uncommitted change inside a transaction, and caches only committed data', async () => {
    const db = t.platform.db;
    expect((await workingCalendar(db)).years.has(2029)).toBe(false);
    const rollback = new Error('roll back');
    await expect(
      db.transaction().execute(async (trx) => {
        await replaceYearSchedule({ trx, actor: systemActor('test'), requestId: null }, 2029, [{ date: '2029-01-01', kind: 'holiday', name: '元旦' }]);
        const inside = await workingCalendar(db, trx);
        expect(inside.years.has(2029)).toBe(true);
        expect(inside.days.get('2029-01-01')).toBe('holiday');
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect((await workingCalendar(db)).years.has(2029)).toBe(false);
    const found = await deadline(operator, { start: '2028-12-29T10:00:00+08:00', amount: 3, clock: 'working_days' });
    expect(found.json()).toMatchObject({ error: { code: 'CALENDAR_YEAR_UNKNOWN', details: { year: 2029 } } });
  });

  it('audits every change and emits its events; the chain verifies', async () => {
    const audit = (await t.request({ url: '/api/audit?action=calendar.&limit=50', token: admin })).json() as { items: AuditItem[] };
    expect(audit.items.map((e) => `${e.action} ${e.objectId} ${e.actorUsername}`)).toEqual([
      'calendar.set_working_hours working_hours admin',
      'calendar.replace_year 2026 admin',
      'calendar.replace_year 2027 admin',
      'calendar.import chinese-days@1.5.7 system:seed',
    ]);
    expect(audit.items[0]!.details).toEqual({
      from: [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '18:00' }],
      to: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }],
    });
    expect(audit.items[2]!.details).toMatchObject({ year: 2027, previousSource: null, holidays: 6, workdays: 1, added: SCHEDULE_2027.map((d) => d.date), removed: [], changed: [] });
    expect(audit.items[3]!.details).toMatchObject({ source: 'chinese-days@1.5.7', years: Array.from({ length: 23 }, (_, i) => 2004 + i) });
    const events = await t.database.db.selectFrom('outbox_events').select(['type', 'aggregate_id']).where('type', 'like', 'calendar.%').orderBy('id').execute();
    expect(events.map((e) => `${e.type} ${e.aggregate_id}`)).toEqual([
      'calendar.imported chinese-days@1.5.7',
      'calendar.year_replaced 2027',
      'calendar.year_replaced 2026',
      'calendar.working_hours_changed working_hours',
    ]);
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });
});
