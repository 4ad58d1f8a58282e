import { createHmac, randomBytes } from 'node:crypto';
import { DEVICE_PROFILES, isDeviceProfileId, type DeviceProfileId } from '../../../shared/iot-profiles.ts';
import { scopeOf } from '../../platform/access.ts';
import { hashToken } from '../../platform/auth/password.ts';
import { AppError } from '../../platform/errors.ts';
import { recordChange, type CommandContext } from '../../platform/platform.ts';
import { insidePudong } from '../open311/policy.ts';
import { findRegion, type Region } from '../regions/repository.ts';
import { parseCsv } from './csv.ts';
import { DEVICE_REGION_LEVELS, EXPECTED_INTERVAL_MAX_S, EXPECTED_INTERVAL_MIN_S, type DeviceState } from './policy.ts';
import { insertDevice, updateDevice, type Device } from './repository.ts';

/** Device tokens: 32 random bytes, base64url, behind a recognisable prefix. Only the SHA-256 is stored. */
export function newDeviceToken(): string {
  return `gzdev_${randomBytes(32).toString('base64url')}`;
}

/**
 * The demo devices' tokens are derived from this fixed, public secret so that the README can list
 * them. They exist only in demo mode (the module's demoSeed) and say so in their prefix.
 */
const DEMO_DEVICE_SECRET = 'gongzhi-demo-devices-not-a-secret';
export function demoDeviceToken(profile: DeviceProfileId): string {
  return `gzdev_demo_${profile}_${createHmac('sha256', DEMO_DEVICE_SECRET).update(profile).digest('base64url').slice(0, 16)}`;
}

export interface DeviceInput {
  profile: DeviceProfileId;
  name: string;
  regionCode: string;
  location: { lat: number; lng: number } | null;
  owner: string | null;
  installedOn: string | null;
  expectedIntervalS: number | null;
}

/** The region a device goes to: inside the caller's scope (404 otherwise) and at committee level or below. */
async function deviceRegion(ctx: CommandContext, code: string): Promise<Region> {
  const region = await findRegion(ctx.trx, scopeOf(ctx.actor), code);
  if (!region) throw new AppError('NOT_FOUND', { regionCode: code });
  if (!DEVICE_REGION_LEVELS.includes(region.level)) throw new AppError('DEVICE_REGION_INVALID', { regionCode: code, level: region.level });
  return region;
}

function checkLocation(location: { lat: number; lng: number } | null): void {
  if (location && !insidePudong(location.lat, location.lng)) throw new AppError('LOCATION_OUTSIDE_DISTRICT');
}

async function insert(ctx: CommandContext, input: DeviceInput, region: Region, fixed?: { id: string; token: string }): Promise<{ id: string; token: string }> {
  const token = fixed?.token ?? newDeviceToken();
  const id = await insertDevice(ctx.trx, {
    ...(fixed ? { id: fixed.id } : {}),
    profile: input.profile,
    name: input.name,
    region_code: region.code,
    region_path: region.regionPath,
    lat: input.location?.lat ?? null,
    lng: input.location?.lng ?? null,
    owner: input.owner,
    installed_on: input.installedOn,
    expected_interval_s: input.expectedIntervalS ?? DEVICE_PROFILES[input.profile].defaultIntervalS,
    token_hash: hashToken(token),
  });
  return { id, token };
}

const auditDetails = (input: DeviceInput) => ({ profile: input.profile, name: input.name, regionCode: input.regionCode });

/** Registers a device and issues its credential (shown to the caller once, stored as its hash). */
export async function createDevice(ctx: CommandContext, input: DeviceInput, fixed?: { id: string; token: string }): Promise<{ id: string; token: string }> {
  const region = await deviceRegion(ctx, input.regionCode);
  checkLocation(input.location);
  const created = await insert(ctx, input, region, fixed);
  await recordChange(ctx, {
    audit: { action: 'device.create', objectType: 'device', objectId: created.id, regionPath: region.regionPath, details: auditDetails(input) },
    event: { type: 'device.registered', aggregateType: 'device', aggregateId: created.id, regionPath: region.regionPath, payload: { profile: input.profile } },
  });
  return created;
}

export interface DevicePatch {
  name?: string;
  location?: { lat: number; lng: number } | null;
  owner?: string | null;
  installedOn?: string | null;
  expectedIntervalS?: number;
  state?: DeviceState;
}

export async function editDevice(ctx: CommandContext, device: Device, patch: DevicePatch): Promise<void> {
  if (patch.location !== undefined) checkLocation(patch.location);
  await updateDevice(ctx.trx, device.id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.location !== undefined ? { lat: patch.location?.lat ?? null, lng: patch.location?.lng ?? null } : {}),
    ...(patch.owner !== undefined ? { owner: patch.owner } : {}),
    ...(patch.installedOn !== undefined ? { installed_on: patch.installedOn } : {}),
    ...(patch.expectedIntervalS !== undefined ? { expected_interval_s: patch.expectedIntervalS } : {}),
    ...(patch.state !== undefined ? { state: patch.state } : {}),
  });
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const before: Record<string, unknown> = {
    name: device.name,
    location: device.lat === null ? null : { lat: device.lat, lng: device.lng },
    owner: device.owner,
    installedOn: device.installedOn,
    expectedIntervalS: device.expectedIntervalS,
    state: device.state,
  };
  for (const [key, value] of Object.entries(patch)) changes[key] = { from: before[key] ?? null, to: value ?? null };
  await recordChange(ctx, {
    audit: { action: 'device.update', objectType: 'device', objectId: device.id, regionPath: device.regionPath, details: changes },
    event: { type: 'device.updated', aggregateType: 'device', aggregateId: device.id, regionPath: device.regionPath, payload: { fields: Object.keys(patch), state: patch.state ?? device.state } },
  });
}

/** Issues a new credential; the old one stops working at once. */
export async function rotateDeviceToken(ctx: CommandContext, device: Device, reason: string | null = null): Promise<string> {
  const token = newDeviceToken();
  await updateDevice(ctx.trx, device.id, { token_hash: hashToken(token) });
  await recordChange(ctx, {
    audit: { action: 'device.token.rotate', objectType: 'device', objectId: device.id, regionPath: device.regionPath, reason },
    event: { type: 'device.token_rotated', aggregateType: 'device', aggregateId: device.id, regionPath: device.regionPath, payload: {} },
  });
  return token;
}

export const IMPORT_HEADER = ['profile', 'name', 'regionCode', 'lat', 'lng', 'owner', 'installedOn', 'expectedIntervalS'] as const;
export const IMPORT_MAX_ROWS = 1000;

export interface ImportRowError {
  /** The line of the CSV text (the header is line 1). */
  row: number;
  field: string | null;
  message: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/** One CSV row to a DeviceInput, or the reasons it is not one (the region is checked separately). */
function readRow(fields: string[], row: number): { input?: DeviceInput; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  const err = (field: string | null, message: string) => errors.push({ row, field, message });
  if (fields.length !== IMPORT_HEADER.length) {
    err(null, `expected ${IMPORT_HEADER.length} columns, found ${fields.length}`);
    return { errors };
  }
  const [profile, name, regionCode, lat, lng, owner, installedOn, interval] = fields.map((f) => f.trim()) as [string, string, string, string, string, string, string, string];
  if (!isDeviceProfileId(profile)) err('profile', `unknown profile "${profile}"`);
  if (name.length < 1 || name.length > 100) err('name', 'the name must have 1 to 100 characters');
  if (regionCode === '' || regionCode.length > 40) err('regionCode', 'a region code is required');
  let location: DeviceInput['location'] = null;
  if (lat !== '' || lng !== '') {
    if (!NUMBER.test(lat) || !NUMBER.test(lng)) err('lat', 'lat and lng must both be decimal numbers, or both empty');
    else if (!insidePudong(Number(lat), Number(lng))) err('lat', 'the location is outside the district');
    else location = { lat: Number(lat), lng: Number(lng) };
  }
  if (owner.length > 100) err('owner', 'the owner may have at most 100 characters');
  if (installedOn !== '' && !validDate(installedOn)) err('installedOn', 'the date must be YYYY-MM-DD');
  let expectedIntervalS: number | null = null;
  if (interval !== '') {
    const n = Number(interval);
    if (!/^\d+$/.test(interval) || n < EXPECTED_INTERVAL_MIN_S || n > EXPECTED_INTERVAL_MAX_S) {
      err('expectedIntervalS', `the interval must be a whole number of seconds from ${EXPECTED_INTERVAL_MIN_S} to ${EXPECTED_INTERVAL_MAX_S}`);
    } else expectedIntervalS = n;
  }
  if (errors.length || !isDeviceProfileId(profile)) return { errors };
  return { input: { profile, name, regionCode, location, owner: owner === '' ? null : owner, installedOn: installedOn === '' ? null : installedOn, expectedIntervalS }, errors };
}

/**
 * Registers every device of a CSV text, or none: every row is checked (columns, profile, region in
 * the caller's scope at committee level or below, location, date, interval) before anything is
 * written, and any error rolls the whole import back with the list of rows and what is wrong.
 */
export async function importDevices(ctx: CommandContext, csv: string): Promise<Array<{ row: number; id: string; name: string; token: string }>> {
  const parsed = parseCsv(csv);
  if (!parsed.ok) throw new AppError('DEVICE_IMPORT_INVALID', { count: 1, rows: [{ row: parsed.line, field: null, message: parsed.message }] });
  const [header, ...records] = parsed.records;
  if (!header || header.fields.map((f) => f.trim()).join(',') !== IMPORT_HEADER.join(',')) throw new AppError('DEVICE_IMPORT_HEADER', { expected: IMPORT_HEADER.join(',') });
  if (records.length === 0) throw new AppError('DEVICE_IMPORT_INVALID', { count: 1, rows: [{ row: 2, field: null, message: 'no device rows after the header' }] });
  if (records.length > IMPORT_MAX_ROWS) throw new AppError('DEVICE_IMPORT_INVALID', { count: 1, rows: [{ row: records[IMPORT_MAX_ROWS]!.line, field: null, message: `at most ${IMPORT_MAX_ROWS} devices per import` }] });

  const errors: ImportRowError[] = [];
  const ready: Array<{ row: number; input: DeviceInput; region: Region }> = [];
  const scope = scopeOf(ctx.actor);
  const regions = new Map<string, Region | undefined>();
  for (const record of records) {
    const { input, errors: rowErrors } = readRow(record.fields, record.line);
    errors.push(...rowErrors);
    if (!input) continue;
    if (!regions.has(input.regionCode)) regions.set(input.regionCode, await findRegion(ctx.trx, scope, input.regionCode));
    const region = regions.get(input.regionCode);
    if (!region) errors.push({ row: record.line, field: 'regionCode', message: `region ${input.regionCode} does not exist or is outside your scope` });
    else if (!DEVICE_REGION_LEVELS.includes(region.level)) errors.push({ row: record.line, field: 'regionCode', message: `region ${input.regionCode} is a ${region.level}; devices go in a committee, grid or building` });
    else ready.push({ row: record.line, input, region });
  }
  if (errors.length) throw new AppError('DEVICE_IMPORT_INVALID', { count: new Set(errors.map((e) => e.row)).size, rows: errors });

  const created: Array<{ row: number; id: string; name: string; token: string }> = [];
  for (const { row, input, region } of ready) {
    const { id, token } = await insert(ctx, input, region);
    created.push({ row, id, name: input.name, token });
    await recordChange(ctx, {
      audit: { action: 'device.create', objectType: 'device', objectId: id, regionPath: region.regionPath, details: { ...auditDetails(input), import: true, row } },
      event: { type: 'device.registered', aggregateType: 'device', aggregateId: id, regionPath: region.regionPath, payload: { profile: input.profile } },
    });
  }
  return created;
}
