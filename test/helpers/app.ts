import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig, type Config } from '../../src/server/config.ts';
import type { DatabaseHandle } from '../../src/server/platform/db/index.ts';
import type { App } from '../../src/server/platform/module.ts';
import type { Platform } from '../../src/server/platform/platform.ts';
import type { Service } from '../../src/server/platform/module.ts';
import { DEMO_PASSWORD } from '../../src/server/modules/identity/demo.ts';
import { openTestDatabase } from './db.ts';
import type { SmsSender } from '../../src/server/platform/sms.ts';
import { TEST_HASH_COST, type Engine } from './engines.ts';

export interface TestApp {
  app: App;
  platform: Platform;
  database: DatabaseHandle;
  config: Config;
  /** The modules' services (started only with `startServices`). */
  services: ReadonlyMap<string, Service>;
  /** Signs in (demo password by default) and returns a bearer token. */
  login(username: string, password?: string): Promise<string>;
  request(options: { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; token?: string; body?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The real app on a private copy of the seeded template database, driven through Fastify's inject. */
export async function createTestApp(engine: Engine, overrides: Partial<Config> = {}, options: { sms?: SmsSender; database?: DatabaseHandle; startServices?: boolean } = {}): Promise<TestApp> {
  const database = options.database ?? (await openTestDatabase(engine));
  const config = loadConfig({}, {
    demo: true,
    passwordHashCost: TEST_HASH_COST,
    loginRateLimitPerMinute: 10_000,
    webDistDir: '/nonexistent',
    logLevel: 'silent',
    // the machine's own broker holds 1883: tests bind their brokers to free ports
    mqttPort: 0,
    host: '127.0.0.1',
    ...overrides,
  });
  const { app, platform, services } = await buildApp({
    config,
    database,
    logger: false,
    startBackgroundWork: false,
    startServices: options.startServices ?? false,
    ...(options.sms ? { sms: options.sms } : {}),
  });
  await app.ready();
  const request: TestApp['request'] = ({ method = 'GET', url, token, body, headers = {} }) =>
    app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
    });
  return {
    app,
    platform,
    database,
    config,
    services,
    request,
    async login(username, password = DEMO_PASSWORD) {
      const response = await request({ method: 'POST', url: '/api/auth/login', body: { username, password } });
      if (response.statusCode !== 200) throw new Error(`login ${username} failed: ${response.statusCode} ${response.body}`);
      return (response.json() as { token: string }).token;
    },
    async close() {
      await app.close();
      // a database handed in belongs to the caller (a second instance, a restart)
      if (!options.database) await database.close();
    },
  };
}
