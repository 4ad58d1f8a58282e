import { resolve } from 'node:path';

/** Runtime configuration, read once from the environment. Everything a district changes lives here. */
export interface Config {
  port: number;
  host: string;
  /** `postgres://…` for a PostgreSQL server; undefined means embedded PGlite under dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  demo: boolean;
  /**
   * In demo mode, also seed the synthetic data beyond accounts and places: the month of cases
   * (cases/demo.ts), demo alarms, the demo ledger and its department files, notices and proposals;
   * GONGZHI_DEMO_CASES, default true.
   */
  demoCases: boolean;
  /** In demo mode, `gongzhi start` runs the eleven demo devices against the embedded broker (GONGZHI_DEMO_DEVICES, default true). */
  demoDevices: boolean;
  /** Root region of this installation (a district code). */
  rootRegionCode: string;
  /** Session lifetime in hours (sliding). */
  sessionTtlHours: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  /** Login attempts per client address per minute before 429. */
  loginRateLimitPerMinute: number;
  bodyLimitBytes: number;
  /** Serve cookies with the Secure flag (behind HTTPS). */
  secureCookies: boolean;
  /** scrypt cost exponent: N = 2^cost. 15 → 32 MiB per hash. */
  passwordHashCost: number;
  logLevel: string;
  webDistDir: string;
  trustProxy: boolean;
  /** Where case photos are stored; undefined means `<dataDir>/photos`. */
  photoDir: string | undefined;
  /** Largest accepted photo file, in bytes (larger → 413 PHOTO_TOO_LARGE). */
  photoMaxBytes: number;
  /** Files in one upload request (more → 413 PHOTO_TOO_MANY_FILES). */
  photoMaxFilesPerRequest: number;
  /** Photos one case may hold (more → 422 PHOTO_CASE_LIMIT). */
  photoMaxPerCase: number;
  /** Largest decoded image, in pixels (width × height); refuses decompression bombs (422 PHOTO_TOO_MANY_PIXELS). */
  photoMaxPixels: number;
  /** Base-map tiles for the console's maps (`https://…/{z}/{x}/{y}.png`, `{s}` for subdomains); none: markers on a plain ground. */
  mapTileUrl: string | undefined;
  /** Largest spreadsheet the ledger imports, in bytes (larger → 413 LEDGER_IMPORT_TOO_LARGE). */
  ledgerImportMaxBytes: number;
  /** The tiles' coordinate system: Chinese providers (高德, 腾讯) draw GCJ-02, OpenStreetMap and 天地图 WGS-84. */
  mapTileCrs: 'wgs84' | 'gcj02';
  mapAttribution: string;
  /** Port of the embedded MQTT broker (aedes); 0 picks a free port. Unused when mqttUrl is set. */
  mqttPort: number;
  /**
   * An external MQTT broker (`mqtt://…`, `mqtts://…`) to consume device messages from instead of
   * running the embedded one. Devices then authenticate at that broker.
   */
  mqttUrl: string | undefined;
  /** Client id at the external broker (a persistent session: unacknowledged messages are redelivered after a restart); default gongzhi-<host>-<port>. */
  mqttClientId: string | undefined;
  /** The MQTT 5 shared-subscription group several instances share the device topics in. */
  mqttSharedGroup: string;
  /** Largest accepted device message, in bytes (larger: rejected and counted). */
  telemetryMaxPayloadBytes: number;
  /** Days a reading is kept in the time series. */
  telemetryRetentionDays: number;
}

function tileUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^https?:\/\/[^/]+\//.test(raw) || !['{z}', '{x}', '{y}'].every((p) => raw.includes(p))) throw new Error(`MAP_TILE_URL must be an http(s) URL template with {z}, {x} and {y}, got "${raw}"`);
  return raw;
}

function mqttUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^(mqtts?|wss?):\/\/[^/]/.test(raw)) throw new Error(`MQTT_URL must be an mqtt://, mqtts://, ws:// or wss:// URL, got "${raw}"`);
  return raw;
}

function int(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function bool(name: string, fallback: boolean, env: NodeJS.ProcessEnv): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const databaseUrl = env.DATABASE_URL && env.DATABASE_URL !== '' ? env.DATABASE_URL : undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must be a postgres:// URL (leave it unset for the embedded PGlite database)');
  }
  return {
    port: int('PORT', 3000, env),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl,
    dataDir: resolve(env.DATA_DIR ?? './data'),
    demo: bool('GONGZHI_DEMO', false, env),
    demoCases: bool('GONGZHI_DEMO_CASES', true, env),
    demoDevices: bool('GONGZHI_DEMO_DEVICES', true, env),
    rootRegionCode: env.GONGZHI_ROOT_REGION ?? '310115',
    sessionTtlHours: int('SESSION_TTL_HOURS', 12, env),
    loginMaxFailures: int('LOGIN_MAX_FAILURES', 5, env),
    loginLockMinutes: int('LOGIN_LOCK_MINUTES', 15, env),
    loginRateLimitPerMinute: int('LOGIN_RATE_LIMIT_PER_MINUTE', 20, env),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 1024 * 1024, env),
    secureCookies: bool('SECURE_COOKIES', false, env),
    passwordHashCost: int('PASSWORD_HASH_COST', 15, env),
    logLevel: env.LOG_LEVEL ?? 'info',
    webDistDir: resolve(env.WEB_DIST_DIR ?? './dist/web'),
    trustProxy: bool('TRUST_PROXY', false, env),
    photoDir: env.PHOTO_DIR && env.PHOTO_DIR !== '' ? resolve(env.PHOTO_DIR) : undefined,
    photoMaxBytes: int('PHOTO_MAX_BYTES', 10 * 1024 * 1024, env),
    photoMaxFilesPerRequest: int('PHOTO_MAX_FILES_PER_REQUEST', 9, env),
    photoMaxPerCase: int('PHOTO_MAX_PER_CASE', 30, env),
    photoMaxPixels: int('PHOTO_MAX_PIXELS', 50_000_000, env),
    mapTileUrl: tileUrl(env.MAP_TILE_URL),
    mapTileCrs: env.MAP_TILE_CRS === 'gcj02' ? 'gcj02' : 'wgs84',
    mapAttribution: env.MAP_ATTRIBUTION ?? '',
    mqttPort: int('MQTT_PORT', 1883, env),
    mqttUrl: mqttUrl(env.MQTT_URL),
    mqttClientId: env.MQTT_CLIENT_ID && env.MQTT_CLIENT_ID !== '' ? env.MQTT_CLIENT_ID : undefined,
    mqttSharedGroup: env.MQTT_SHARED_GROUP && env.MQTT_SHARED_GROUP !== '' ? env.MQTT_SHARED_GROUP : 'gongzhi',
    telemetryMaxPayloadBytes: int('TELEMETRY_MAX_PAYLOAD_BYTES', 16 * 1024, env),
    telemetryRetentionDays: int('TELEMETRY_RETENTION_DAYS', 90, env),
    ledgerImportMaxBytes: int('LEDGER_IMPORT_MAX_BYTES', 512 * 1024 * 1024, env),
    ...overrides,
  };
}
