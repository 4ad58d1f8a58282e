import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import Fastify, { type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
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
import type { App, Service } from './platform/module.ts';
import { createPlatform, type Platform } from './platform/platform.ts';
import type { SmsSender } from './platform/sms.ts';
import { MODULES } from './modules/index.ts';

/** The bundle file a URL names, relative to the bundle root, if it exists (no path traversal). */
function staticFile(root: string, url: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.split('?')[0] ?? '/');
  } catch {
    return null; // malformed %-escapes name no file
  }
  const full = resolve(root, `.${pathname}`);
  if (!full.startsWith(`${resolve(root)}/`) || !existsSync(full) || !statSync(full).isFile()) return null;
  return relative(root, full);
}

const BUILDING_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>共治 Gongzhi</title></head><body style="font-family:sans-serif;font-size:20px;padding:3em">
<p>控制台正在构建，请稍候，本页会自动刷新。</p><p lang="en">The console is being built; this page refreshes by itself.</p></body></html>`;

/** The origins a base-map URL template loads from, for the CSP (`{s}` subdomains become a wildcard). */
function tileOrigins(template: string | undefined): string[] {
  if (!template) return [];
  const { protocol, host } = new URL(template.replace(/\{[a-z]+\}/g, (m) => (m === '{s}' ? 'gzsub' : '0')));
  return [`${protocol}//${host.replace(/(^|\.)[^.]*gzsub[^.]*\./, '$1*.')}`];
}

export interface BuiltApp {
  app: App;
  platform: Platform;
  /** The modules' long-running services, by name (started only with startServices). */
  services: ReadonlyMap<string, Service>;
  /** Resolves once no request handler is running (used before closing the database on shutdown). */
  idle(timeoutMs?: number): Promise<void>;
}

export interface BuildAppOptions {
  config: Config;
  database: DatabaseHandle;
  logger?: FastifyServerOptions['logger'];
  /** Start the outbox delivery loop and the scheduled jobs (off in tests that drive them by hand). */
  startBackgroundWork?: boolean;
  /** Start the modules' services (the MQTT broker or consumer); follows startBackgroundWork unless set. */
  startServices?: boolean;
  /** The SMS gateway; the logging sender by default. */
  sms?: SmsSender;
}

/** Fastify + platform + every module in `modules/index.ts`. Does not listen; the caller does. */
export async function buildApp({ config, database, logger, startBackgroundWork = true, startServices = startBackgroundWork, sms }: BuildAppOptions): Promise<BuiltApp> {
  const app: App = Fastify({
    logger: logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false } },
    routerOptions: { ignoreTrailingSlash: true },
    // errors raised before routing (a malformed %-escape in the URL) still get the error body
    frameworkErrors: (_error, request, reply) => {
      request.locale = localeOf(request);
      return sendError(reply, request, 'BAD_URL');
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const platform = createPlatform({ config, db: database.db, dbKind: database.kind, log: app.log, ...(sms ? { sms } : {}) });
  for (const module of MODULES) platform.permissions.register(module.name, module.permissions);
  for (const module of MODULES) for (const subscriber of module.subscribers?.(platform) ?? []) platform.events.subscribe(subscriber);
  for (const module of MODULES) for (const job of module.jobs?.(platform) ?? []) platform.jobs.register(job);
  const services = new Map<string, Service>();
  for (const module of MODULES) {
    for (const service of module.services?.(platform) ?? []) {
      if (services.has(service.name)) throw new Error(`service ${service.name} declared twice`);
      services.set(service.name, service);
    }
  }

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
        imgSrc: ["'self'", 'data:', 'blob:', ...tileOrigins(config.mapTileUrl)],
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

  // Module routes outside /api (no session hook; each mount answers for its own access rules).
  for (const module of MODULES) {
    for (const mount of module.mounts ?? []) {
      if (mount.prefix === '/api' || mount.prefix.startsWith('/api/') || !mount.prefix.startsWith('/')) throw new Error(`module ${module.name}: mount prefix ${mount.prefix} must start with / and lie outside /api`);
      await app.register(async (scope) => mount.routes(scope as App, platform), { prefix: mount.prefix });
    }
  }

  // The console may still be building when the server starts (first `npm start`): serve it once its
  // index.html exists and show a self-refreshing notice until then.
  const webIndex = join(config.webDistDir, 'index.html');
  mkdirSync(config.webDistDir, { recursive: true });
  // serve: false — files are looked up per request, because the bundle may appear after start.
  await app.register(fastifyStatic, { root: config.webDistDir, serve: false });
  app.get('/', { schema: { hide: true } }, (request, reply) => serveConsole(request, reply));
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/api')) {
      const file = staticFile(config.webDistDir, request.url);
      if (file) {
        const hashed = file.startsWith('assets/');
        return reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache').sendFile(file, { cacheControl: false });
      }
      if (request.headers.accept?.includes('text/html')) return serveConsole(request, reply);
    }
    return sendError(reply, request, 'ROUTE_NOT_FOUND');
  });
  function serveConsole(request: FastifyRequest, reply: FastifyReply) {
    if (existsSync(webIndex)) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
    return reply
      .code(503).header('retry-after', '5').type('text/html; charset=utf-8').send(BUILDING_PAGE);
  }

  app.addHook('onReady', async () => {
    if (startBackgroundWork) {
      platform.events.start();
      platform.jobs.start();
    }
    if (startServices) for (const service of services.values()) await service.start();
  });
  app.addHook('onClose', async () => {
    if (startServices) for (const service of [...services.values()].reverse()) await service.stop();
    await platform.jobs.stop();
    await platform.events.stop();
  });
  async function idle(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }
  return { app, platform, services, idle };
}

export type { TypeBoxTypeProvider };
