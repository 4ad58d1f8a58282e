import { sql } from 'kysely';
import { Type } from 'typebox';
import { defineModule } from '../../platform/module.ts';
import { ErrorResponse } from '../../platform/http.ts';

const startedAt = Date.now();
const Health = Type.Object({
  status: Type.Literal('ok'),
  db: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
  version: Type.String(),
  uptimeSeconds: Type.Integer(),
});

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
  },
});
