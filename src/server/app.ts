import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './platform/db/index.ts';
import { authenticate } from './platform/auth/plugin.ts';
import { buildValidatorCompiler, errorHandler, localeOf, sendError } from './platform/http.ts';
import type { App } from './platform/module.ts';
import { createPlatform, type Platform } from './platform/platform.ts';
import { MODULES } from './modules/index.ts';

export interface BuiltApp {
  app: App;
  platform: Platform;
  /** Resolves once no request handler is running (used before closing the database on shutdown). */
  idle(timeoutMs?: number): Promise<void>;
}

export interface BuildAppOptions {
  config: Config;
  database: DatabaseHandle;
  logger?: FastifyServerOptions['logger'];
  /** Start the outbox delivery loop (off in tests that drain it by hand). */
  startEventBus?: boolean;
}

/** Fastify + platform + every module in `modules/index.ts`. Does not listen; the caller does. */
export async function buildApp({ config, database, logger, startEventBus = true }: BuildAppOptions): Promise<BuiltApp> {
  const app: App = Fastify({
    logger: logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false } },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const platform = createPlatform({ config, db: database.db, dbKind: database.kind, log: app.log });
  for (const module of MODULES) platform.permissions.register(module.name, module.permissions);
  for (const module of MODULES) for (const subscriber of module.subscribers?.(platform) ?? []) platform.events.subscribe(subscriber);

  app.setValidatorCompiler(buildValidatorCompiler());
  app.setErrorHandler(errorHandler);
  app.decorateRequest('actor', null);
  app.decorateRequest('locale', 'zh-CN');
  // Handlers of requests whose client went away keep running; shutdown waits for them before closing the database.
  let inFlight = 0;
  const counted = new WeakSet<object>();
  app.addHook('onRequest', async (request) => {
    request.locale = localeOf(request);
    inFlight += 1;
    counted.add(request);
  });
  const settle = async (request: object) => {
    if (counted.delete(request)) inFlight -= 1;
  };
  app.addHook('onSend', async (request) => settle(request));
  app.addHook('onError', async (request) => settle(request));

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Ant Design injects its CSS-in-JS as <style> elements.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Gongzhi 共治 API',
        version: '0.1.0',
        description:
          'Community governance platform API. Authenticate with `POST /api/auth/login`, then send `Authorization: Bearer <token>` ' +
          '(or the session cookie). Errors are `{"error": {"code", "message"}}`; messages follow `Accept-Language` (zh-CN default, en).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'gz_session' } } },
      security: [{ bearer: [] }, { cookie: [] }],
    },
  });

  await app.register(
    async (api) => {
      api.addHook('onRequest', authenticate(database.db, config.sessionTtlHours));
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      await api.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { deepLinking: false } });
      for (const module of MODULES) await module.routes?.(api as App, platform);
      api.setNotFoundHandler((request, reply) => sendError(reply, request, request.actor ? 'ROUTE_NOT_FOUND' : 'UNAUTHENTICATED'));
    },
    { prefix: '/api' },
  );

  const webIndex = join(config.webDistDir, 'index.html');
  if (existsSync(webIndex)) {
    await app.register(fastifyStatic, { root: config.webDistDir, wildcard: false, index: ['index.html'] });
    // Client-side routes (/regions/310115…) get the app shell; anything else is a plain 404.
    app.setNotFoundHandler((request, reply) => {
      if (request.method === 'GET' && !request.url.startsWith('/api') && request.headers.accept?.includes('text/html')) {
        return reply.type('text/html; charset=utf-8').sendFile('index.html');
      }
      return sendError(reply, request, 'ROUTE_NOT_FOUND');
    });
  } else {
    app.log.warn(`web UI not built (${webIndex} missing): run \`npm run build:web\``);
    app.setNotFoundHandler((request, reply) => sendError(reply, request, 'ROUTE_NOT_FOUND'));
  }

  app.addHook('onReady', async () => {
    if (startEventBus) platform.events.start();
  });
  app.addHook('onClose', async () => {
    await platform.events.stop();
  });
  async function idle(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }
  return { app, platform, idle };
}

export type { TypeBoxTypeProvider };
