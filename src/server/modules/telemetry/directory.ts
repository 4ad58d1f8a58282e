import { timingSafeEqual } from 'node:crypto';
import { hashToken } from '../../platform/auth/password.ts';
import type { Database } from '../../platform/db/index.ts';
import { findDeviceCredentials, type DeviceCredentials } from './repository.ts';

const ENTRY_TTL_MS = 30_000;
const UNKNOWN_TTL_MS = 5_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type DeviceCheck = { ok: true; device: DeviceCredentials } | { ok: false; reason: 'unknown_device' | 'bad_credential' | 'retired'; device: DeviceCredentials | null };

/**
 * Device credentials, cached: every MQTT connect and HTTP message needs one, and they change
 * rarely. Entries live 30 s (a change made by another instance is seen within that) and are
 * dropped at once when this instance hears of a change (token rotated, state changed). Lookups of
 * the same device at the same moment share one query.
 */
export class DeviceDirectory {
  private readonly entries = new Map<string, { device: DeviceCredentials | null; expires: number }>();
  private readonly loading = new Map<string, Promise<DeviceCredentials | null>>();
  private readonly listeners = new Set<(deviceId: string) => void>();

  constructor(private readonly db: Database) {}

  async get(deviceId: string): Promise<DeviceCredentials | null> {
    if (!UUID.test(deviceId)) return null;
    const id = deviceId.toLowerCase();
    const cached = this.entries.get(id);
    if (cached && cached.expires > Date.now()) return cached.device;
    let pending = this.loading.get(id);
    if (!pending) {
      pending = findDeviceCredentials(this.db, [id])
        .then(([device]) => {
          this.entries.set(id, { device: device ?? null, expires: Date.now() + (device ? ENTRY_TTL_MS : UNKNOWN_TTL_MS) });
          return device ?? null;
        })
        .finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    return pending;
  }

  /** Checks a device's token (constant-time on the hashes). */
  async authenticate(deviceId: string, token: string | undefined): Promise<DeviceCheck> {
    const device = await this.get(deviceId);
    if (!device) return { ok: false, reason: 'unknown_device', device: null };
    if (token === undefined || !sameHash(hashToken(token), device.tokenHash)) return { ok: false, reason: 'bad_credential', device };
    if (device.state === 'retired') return { ok: false, reason: 'retired', device };
    return { ok: true, device };
  }

  /** The device changed (credential, state, place): forget it and tell the transports (they drop its connections). */
  invalidate(deviceId: string): void {
    this.entries.delete(deviceId);
    for (const listener of this.listeners) listener(deviceId);
  }

  onInvalidate(listener: (deviceId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
