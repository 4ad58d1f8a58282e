import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DEVICE_PROFILE_IDS, DEVICE_PROFILES, isDeviceProfileId, type DeviceProfileId } from '../../shared/iot-profiles.ts';
import type { SimulatedDeviceCredentials } from './simulation.ts';

/**
 * The simulator's devices are real devices of the platform: registered through the same bulk CSV
 * import an operator uses (`POST /api/devices/import`), as a user who may manage devices, and
 * named 模拟·… so that nobody takes them for real ones. Their ids and tokens are kept in a file
 * (tokens are shown only once), so later runs reuse them instead of registering more.
 */

export interface RegistrationOptions {
  /** The platform's base URL, e.g. http://localhost:3000. */
  apiUrl: string;
  username: string;
  password: string;
  /** A committee (居村委), or a grid or building inside one, in the user's scope. */
  regionCode: string;
  count: number;
  /** The cache of registered devices (JSON, readable only by its owner: it holds credentials). */
  cacheFile: string;
}

interface CachedDevice extends SimulatedDeviceCredentials {
  name: string;
}

/** The devices registered for one platform and region. */
interface Fleet {
  apiUrl: string;
  regionCode: string;
  devices: CachedDevice[];
}

/** The cache file: one fleet per platform and region the simulator has registered devices with. */
interface DeviceCache {
  fleets: Fleet[];
}

/**
 * A realistic mix after one of each kind: mostly smoke detectors and water meters, some door
 * contacts, bins and parking spots, few lifts, gates and cameras.
 */
const PROFILE_SHARES: Record<DeviceProfileId, number> = {
  smoke: 30,
  'water-meter': 20,
  'door-magnet': 10,
  bin: 8,
  parking: 8,
  gas: 5,
  lift: 5,
  'fire-lane': 4,
  gate: 4,
  'camera-ai': 4,
  'fire-tank': 2,
};
const DECK: DeviceProfileId[] = DEVICE_PROFILE_IDS.flatMap((p) => Array.from({ length: PROFILE_SHARES[p] }, () => p));

/** The profile of the simulator's i-th device: one of each first, then dealt from the mix. */
export function simulatedProfile(index: number): DeviceProfileId {
  if (index < DEVICE_PROFILE_IDS.length) return DEVICE_PROFILE_IDS[index]!;
  // a stride coprime with the deck's length spreads each profile's devices through the fleet
  return DECK[(index * 37) % DECK.length]!;
}

export const simulatedName = (index: number, profile: DeviceProfileId) => `模拟·${DEVICE_PROFILES[profile].name['zh-CN']} ${String(index + 1).padStart(5, '0')}`;

const IMPORT_BATCH = 1000;

class ApiClient {
  private token: string | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly username: string,
    private readonly password: string,
  ) {}

  private async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: {
        accept: 'application/json',
        'accept-language': 'zh-CN',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, json: await response.json().catch(() => null) };
  }

  private static failure(what: string, status: number, json: unknown): Error {
    const error = (json as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    const details = error?.details ? ` ${JSON.stringify(error.details)}` : '';
    return new Error(`${what}: HTTP ${status}${error ? ` ${error.code ?? ''} ${error.message ?? ''}` : ''}${details}`);
  }

  async login(): Promise<void> {
    const { status, json } = await this.call('POST', '/api/auth/login', { username: this.username, password: this.password });
    if (status !== 200) throw ApiClient.failure(`signing in as ${this.username} at ${this.baseUrl}`, status, json);
    this.token = (json as { token: string }).token;
  }

  async deviceExists(id: string): Promise<boolean> {
    const { status, json } = await this.call('GET', `/api/devices/${id}`);
    if (status === 404) return false;
    if (status !== 200) throw ApiClient.failure(`looking up device ${id}`, status, json);
    return true;
  }

  async importCsv(csv: string): Promise<Array<{ row: number; id: string; name: string; token: string }>> {
    const { status, json } = await this.call('POST', '/api/devices/import', { csv });
    if (status !== 201) throw ApiClient.failure('registering the simulated devices', status, json);
    return (json as { items: Array<{ row: number; id: string; name: string; token: string }> }).items;
  }
}

const validDevice = (d: Partial<CachedDevice> | null): d is CachedDevice =>
  typeof d?.id === 'string' && typeof d.token === 'string' && typeof d.name === 'string' && isDeviceProfileId(String(d.profile));

/** The cache, or an empty one when there is none yet (or it is not ours to read: then it is rewritten). */
async function readCache(file: string): Promise<DeviceCache> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { fleets?: unknown };
    const fleets = Array.isArray(parsed.fleets) ? (parsed.fleets as Array<Partial<Fleet> | null>) : [];
    return {
      fleets: fleets.flatMap((f) =>
        f && typeof f.apiUrl === 'string' && typeof f.regionCode === 'string' && Array.isArray(f.devices) ? [{ apiUrl: f.apiUrl, regionCode: f.regionCode, devices: f.devices.filter(validDevice) }] : [],
      ),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return { fleets: [] };
    throw error;
  }
}

async function writeCache(file: string, cache: DeviceCache): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(cache, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

const csvCell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * `count` devices with their credentials: from the cache when it was written for the same
 * platform and region and its devices still exist there, the rest registered now.
 */
export async function obtainDevices(options: RegistrationOptions): Promise<{ devices: SimulatedDeviceCredentials[]; registered: number; reused: number }> {
  const api = new ApiClient(options.apiUrl, options.username, options.password);
  await api.login();
  const cache = await readCache(options.cacheFile);
  const others = cache.fleets.filter((f) => f.apiUrl !== options.apiUrl || f.regionCode !== options.regionCode);
  let devices = cache.fleets.find((f) => !others.includes(f))?.devices ?? [];
  // a database that was reset no longer knows the cached devices: start that fleet afresh
  if (devices.length > 0 && !(await api.deviceExists(devices[0]!.id))) devices = [];
  const reused = Math.min(devices.length, options.count);

  for (let start = devices.length; start < options.count; start += IMPORT_BATCH) {
    const end = Math.min(options.count, start + IMPORT_BATCH);
    // the import answers each device with its CSV line: line 2 is rows[0]
    const rows = Array.from({ length: end - start }, (_, k) => {
      const index = start + k;
      const profile = simulatedProfile(index);
      return { profile, name: simulatedName(index, profile) };
    });
    const csv = ['profile,name,regionCode,lat,lng,owner,installedOn,expectedIntervalS', ...rows.map((r) => [r.profile, csvCell(r.name), options.regionCode, '', '', '模拟器', '', ''].join(','))].join('\n');
    const created = await api.importCsv(csv);
    devices = [...devices, ...created.map((item) => ({ id: item.id, profile: rows[item.row - 2]!.profile, name: item.name, token: item.token }))];
    // written after every batch: a later failure must not lose the tokens already issued
    await writeCache(options.cacheFile, { fleets: [...others, { apiUrl: options.apiUrl, regionCode: options.regionCode, devices }] });
  }
  return {
    devices: devices.slice(0, options.count).map(({ id, profile, token }) => ({ id, profile, token })),
    registered: options.count - reused,
    reused,
  };
}
