import { sql } from 'kysely';
import { Type } from 'typebox';
import { defineModule } from '../../platform/module.ts';
import { ErrorResponse, withErrors } from '../../platform/http.ts';
import { requireUser } from '../../platform/access.ts';

const startedAt = Date.now();
const Health = Type.Object({
  status: Type.Literal('ok'),
  db: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
  version: Type.String(),
  uptimeSeconds: Type.Integer(),
});

export const MapSettings = Type.Object({
  tileUrl: Type.Union([Type.String(), Type.Null()], { description: 'Tile URL template, or null: no base map configured (MAP_TILE_URL)' }),
  crs: Type.Union([Type.Literal('wgs84'), Type.Literal('gcj02')], { description: 'What the tiles are drawn in; case coordinates are WGS-84 and are shifted for GCJ-02 tiles' }),
  attribution: Type.String(),
  center: Type.Object({ lat: Type.Number(), lng: Type.Number() }),
  zoom: Type.Integer(),
});

/** Pudong's middle, where a district-wide map opens. */
const PUDONG_CENTRE = { lat: 31.2213, lng: 121.5447 };

export const systemModule = defineModule({
  name: 'system',
  permissions: {},
  routes(app, platform) {
    app.get(
      '/health',
      { config: { public: true }, schema: { tags: ['system'], summary: 'Liveness and database reachability', security: [], response: { 200: Health, 503: ErrorResponse } } },
      async () => {
        await sql`select 1`.execute(platform.db);
        return { status: 'ok' as const, db: platform.dbKind, version: '0.1.0', uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000) };
      },
    );
    app.get('/system/map', { schema: { tags: ['system'], summary: 'The base map the console draws cases on', response: withErrors({ 200: MapSettings }) } }, async (request) => {
      requireUser(request.actor);
      const { mapTileUrl, mapTileCrs, mapAttribution } = platform.config;
      return { tileUrl: mapTileUrl ?? null, crs: mapTileCrs, attribution: mapAttribution, center: PUDONG_CENTRE, zoom: 11 };
    });
  },
});
