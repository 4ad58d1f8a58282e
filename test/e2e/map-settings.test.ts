import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

describe('base map settings', () => {
  let plain: TestApp;
  let tiled: TestApp;
  beforeAll(async () => {
    plain = await createTestApp('pglite');
    tiled = await createTestApp('pglite', { mapTileUrl: 'https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}', mapTileCrs: 'gcj02', mapAttribution: '© 高德地图' });
  });
  afterAll(async () => {
    await plain.close();
    await tiled.close();
  });

  it('tells the console there is no base map unless one is configured, and only to signed-in users', async () => {
    expect((await plain.request({ url: '/api/system/map' })).statusCode).toBe(401);
    const token = await plain.login('dispatcher');
    expect((await plain.request({ url: '/api/system/map', token })).json()).toMatchObject({ tileUrl: null, crs: 'wgs84', zoom: 11 });
  });

  it('hands out the configured tiles and lets the page load them past the CSP', async () => {
    const token = await tiled.login('dispatcher');
    const res = await tiled.request({ url: '/api/system/map', token });
    expect(res.json()).toMatchObject({ crs: 'gcj02', attribution: '© 高德地图', tileUrl: expect.stringContaining('{x}') });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/img-src 'self' data: blob: https:\/\/\*\.is\.autonavi\.com/);
    expect(String((await plain.request({ url: '/api/health' })).headers['content-security-policy'])).toMatch(/img-src 'self' data: blob:;/);
  });

  it('refuses a tile URL that is not a template', () => {
    expect(() => loadConfig({ MAP_TILE_URL: 'https://tiles.example.com/map.png' })).toThrow(/MAP_TILE_URL/);
    expect(() => loadConfig({ MAP_TILE_URL: 'javascript:alert(1)/{z}/{x}/{y}' })).toThrow(/MAP_TILE_URL/);
    expect(loadConfig({ MAP_TILE_URL: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png' }).mapTileUrl).toContain('openstreetmap');
  });
});
