import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { PermissionTable } from './access.ts';
import type { Subscriber } from './events.ts';
import type { Job } from './jobs.ts';
import type { Platform } from './platform.ts';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/**
 * A capability declares itself in one manifest: its permissions, its routes, the events it
 * listens to and the data it seeds. `buildApp` mounts every manifest in `modules/index.ts`.
 */
export interface ModuleManifest {
  name: string;
  /** Role → action table, merged into the platform's registry (names must be unique). */
  permissions: PermissionTable;
  /** Registers the module's routes under /api (behind the session hook; `config: { public: true }` opts out). */
  routes?: (app: App, platform: Platform) => void | Promise<void>;
  /**
   * Routes outside /api, for standards that fix their own paths (Open311 at /open311/v2). Each
   * mount is its own encapsulated Fastify context under `prefix`, without the session hook: the
   * routes decide for themselves who may call them, and may register their own content parsers
   * and error handlers there without affecting /api.
   */
  mounts?: ReadonlyArray<{ prefix: string; routes: (app: App, platform: Platform) => void | Promise<void> }>;
  subscribers?: (platform: Platform) => Subscriber[];
  /** Periodic work (sweeps, senders) the scheduler runs while the server runs. */
  jobs?: (platform: Platform) => Job[];
  /** Long-running parts (a network listener, a broker consumer), started after the server is ready and stopped first on close. */
  services?: (platform: Platform) => Service[];
  /** Reference data every installation needs; must be idempotent. Runs in module order. */
  seed?: (platform: Platform) => Promise<void>;
  /** Synthetic demonstration data (clearly marked); only in demo mode. Must be idempotent. */
  demoSeed?: (platform: Platform) => Promise<void>;
}

/** A long-running part of a module, started and stopped with the server. */
export interface Service {
  name: string;
  start(): Promise<void>;
  /** Stops taking work and finishes what it has accepted. */
  stop(): Promise<void>;
}

export function defineModule(manifest: ModuleManifest): ModuleManifest {
  return manifest;
}
