import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

interface Me { assignment: { id: string; role: string; regionCode: string }; assignments: Array<{ id: string; role: string; regionCode: string }>; permissions: string[] }

describe.each(ENGINES)('sign-in, sessions and scopes on %s', (engine) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp(engine, { loginMaxFailures: 3, loginLockMinutes: 15 });
    admin = await t.login('admin');
  });
  afterAll(() => t.close());

  async function createAccount(username: string, password = 'a-long-password-1') {
    const res = await t.request({
      method: 'POST',
      url: '/api/users',
      token: admin,
      body: { username, displayName: username, phone: '13812345678', password, assignment: { role: 'social_worker', regionCode: '310115005001' } },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; phone: string };
  }

  it('locks an account after consecutive failures, even for the right password, until an admin unlocks it', async () => {
    const user = await createAccount('lock-me');
    for (let i = 0; i < 2; i++) {
      const res = await t.request({ method: 'POST', url: '/api/auth/login', body: { username: 'lock-me', password: 'wrong-password' } });
      expect(res.statusCode).toBe(401);
    }
    const third = await t.request({ method: 'POST', url: '/api/auth/login', body: { username: 'lock-me', password: 'wrong-password' } });
    expect(third.statusCode).toBe(423);
    expect(third.json()).toMatchObject({ error: { code: 'ACCOUNT_LOCKED' } });
    const right = await t.request({ method: 'POST', url: '/api/auth/login', body: { username: 'lock-me', password: 'a-long-password-1' } });
    expect(right.statusCode).toBe(423);

    const view = (await t.request({ url: `/api/users/${user.id}`, token: admin })).json() as { lockedUntil: string | null };
    expect(view.lockedUntil).not.toBeNull();
    expect((await t.request({ method: 'POST', url: `/api/users/${user.id}/unlock`, token: admin })).statusCode).toBe(200);
    expect((await t.request({ method: 'POST', url: '/api/auth/login', body: { username: 'lock-me', password: 'a-long-password-1' } })).statusCode).toBe(200);

    const audit = (await t.request({ url: `/api/audit?objectId=${user.id}&limit=20`, token: admin })).json() as { items: Array<{ action: string }> };
    expect(audit.items.map((e) => e.action)).toEqual(['user.unlock', 'auth.locked', 'auth.login_failed', 'auth.login_failed', 'user.create']);
  });

  it('resets the failure count on a successful sign-in', async () => {
    await createAccount('forgetful');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) {
        expect((await t.request({ method: 'POST', url: '/api/auth/login', body: { username: 'forgetful', password: 'nope-nope-nope' } })).statusCode).toBe(401);
      }
      expect((await t.request({ method: 'POST', url: '/api/auth/login', body: { username: 'forgetful', password: 'a-long-password-1' } })).statusCode).toBe(200);
    }
  });

  it('switches the active scope for users with several role assignments', async () => {
    const token = await t.login('head');
    const me = (await t.request({ url: '/api/me', token })).json() as Me;
    expect(me.assignments.map((a) => `${a.role}@${a.regionCode}`)).toEqual(['committee_head@310115005001', 'social_worker@310115005002']);
    expect(me.assignment.regionCode).toBe('310115005001');
    expect((await t.request({ url: '/api/regions/310115005002', token })).statusCode).toBe(404);

    const second = me.assignments[1]!;
    const switched = await t.request({ method: 'PUT', url: '/api/me/scope', token, body: { assignmentId: second.id } });
    expect(switched.statusCode).toBe(200);
    expect((switched.json() as Me).assignment.regionCode).toBe('310115005002');
    expect((switched.json() as Me).permissions).not.toContain('region.manage');
    expect((await t.request({ url: '/api/regions/310115005002', token })).statusCode).toBe(200);
    expect((await t.request({ url: '/api/regions/310115005001', token })).statusCode).toBe(404);

    // the next sign-in resumes the scope switched to last
    const again = (await t.request({ url: '/api/me', token: await t.login('head') })).json() as Me;
    expect(again.assignment.regionCode).toBe('310115005002');
    await t.request({ method: 'PUT', url: '/api/me/scope', token, body: { assignmentId: me.assignments[0]!.id } });
    expect(((await t.request({ url: '/api/me', token: await t.login('head') })).json() as Me).assignment.regionCode).toBe('310115005001');

    // someone else's assignment is not yours to switch to
    const other = (await t.request({ url: '/api/me', token: await t.login('worker') })).json() as Me;
    const refused = await t.request({ method: 'PUT', url: '/api/me/scope', token, body: { assignmentId: other.assignment.id } });
    expect(refused.statusCode).toBe(404);
  });

  it('changes a password, signing out the other sessions but not this one', async () => {
    await createAccount('changer');
    const first = await t.login('changer', 'a-long-password-1');
    const second = await t.login('changer', 'a-long-password-1');
    const weak = await t.request({ method: 'POST', url: '/api/me/password', token: first, body: { currentPassword: 'a-long-password-1', newPassword: 'short' } });
    expect(weak.json()).toMatchObject({ error: { code: 'WEAK_PASSWORD' } });
    const wrong = await t.request({ method: 'POST', url: '/api/me/password', token: first, body: { currentPassword: 'guess-guess', newPassword: 'another-long-one' } });
    expect(wrong.json()).toMatchObject({ error: { code: 'WRONG_PASSWORD' } });
    const ok = await t.request({ method: 'POST', url: '/api/me/password', token: first, body: { currentPassword: 'a-long-password-1', newPassword: 'another-long-one' } });
    expect(ok.statusCode).toBe(204);
    expect((await t.request({ url: '/api/me', token: first })).statusCode).toBe(200);
    expect((await t.request({ url: '/api/me', token: second })).statusCode).toBe(401);
    await t.login('changer', 'another-long-one');
  });

  it('disabling an account ends its sessions at once', async () => {
    const user = await createAccount('leaver');
    const token = await t.login('leaver', 'a-long-password-1');
    const res = await t.request({ method: 'PUT', url: `/api/users/${user.id}/status`, token: admin, body: { status: 'disabled' } });
    expect(res.statusCode).toBe(200);
    expect((await t.request({ url: '/api/me', token })).statusCode).toBe(401);
    const again = await t.request({ method: 'POST', url: '/api/auth/login', body: { username: 'leaver', password: 'a-long-password-1' } });
    expect(again.json()).toMatchObject({ error: { code: 'ACCOUNT_DISABLED' } });
  });

  it('masks phone numbers and reveals them only with a reason, audited', async () => {
    const user = await createAccount('phone-owner');
    expect(user.phone).toBe('138****5678');
    const noReason = await t.request({ method: 'POST', url: `/api/users/${user.id}/reveal`, token: admin, body: { field: 'phone', reason: '看' } });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json()).toMatchObject({ error: { code: 'REASON_REQUIRED' } });
    const revealed = await t.request({ method: 'POST', url: `/api/users/${user.id}/reveal`, token: admin, body: { field: 'phone', reason: '电话回访核实身份' } });
    expect(revealed.json()).toEqual({ field: 'phone', value: '13812345678' });
    const audit = (await t.request({ url: `/api/audit?action=personal_data.reveal&objectId=${user.id}`, token: admin })).json() as { items: Array<{ actorUsername: string; reason: string }> };
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ actorUsername: 'admin', reason: '电话回访核实身份' });
  });

  it('refuses a duplicate username and a handler without a department, changing nothing', async () => {
    const before = (await t.request({ url: '/api/users?limit=200', token: admin })).json() as { total: number };
    const dup = await t.request({ method: 'POST', url: '/api/users', token: admin, body: { username: 'ADMIN', displayName: 'x', password: 'a-long-password-1', assignment: { role: 'admin', regionCode: '310115' } } });
    expect(dup.json()).toMatchObject({ error: { code: 'USERNAME_TAKEN' } });
    const handler = await t.request({ method: 'POST', url: '/api/users', token: admin, body: { username: 'no-dept', displayName: 'x', password: 'a-long-password-1', assignment: { role: 'department_handler', regionCode: '310115005' } } });
    expect(handler.json()).toMatchObject({ error: { code: 'DEPARTMENT_REQUIRED' } });
    const after = (await t.request({ url: '/api/users?limit=200', token: admin })).json() as { total: number };
    expect(after.total).toBe(before.total);
  });
});

describe('login rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { loginRateLimitPerMinute: 3 });
  });
  afterAll(() => t.close());

  it('answers 429 with the error body once a client exceeds the per-minute limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.request({ method: 'POST', url: '/api/auth/login', body: { username: 'nobody', password: 'whatever-pass' } });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) expect(res.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});
