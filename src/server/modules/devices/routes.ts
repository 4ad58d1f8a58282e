import { DEVICE_PROFILES, type DeviceProfileId } from '../../../shared/iot-profiles.ts';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { authorize, scopeOf } from '../../platform/access.ts';
import { AppError } from '../../platform/errors.ts';
import { ErrorResponse, localeOf, withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { createDevice, editDevice, importDevices, rotateDeviceToken } from './commands.ts';
import type { DeviceState } from './policy.ts';
import { findDevice, listDevices, listReadings, type Device } from './repository.ts';
import {
  CreateDeviceBody,
  CreatedDeviceSchema,
  DeviceIdParams,
  DeviceList,
  DeviceListQuery,
  DeviceSchema,
  ImportBody,
  ImportResponse,
  ReadingList,
  ReadingsQuery,
  RotateTokenBody,
  TokenResponse,
  UpdateDeviceBody,
} from './schemas.ts';

function present(d: Device, locale: Locale) {
  const profile = d.profile as DeviceProfileId;
  return {
    id: d.id,
    profile,
    profileName: DEVICE_PROFILES[profile].name[locale],
    name: d.name,
    regionCode: d.regionCode,
    regionName: d.regionName,
    location: d.lat === null || d.lng === null ? null : { lat: d.lat, lng: d.lng },
    owner: d.owner,
    installedOn: d.installedOn,
    expectedIntervalS: d.expectedIntervalS,
    state: d.state as DeviceState,
    connectivity: d.connectivity,
    connectivityChangedAt: d.connectivityChangedAt?.toISOString() ?? null,
    lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
    lastValues: d.lastValues,
    rejectedCount: d.rejectedCount,
    unauthorisedCount: d.unauthorisedCount,
    lastRejection: d.lastRejection,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

export function deviceRoutes(app: App, platform: Platform): void {
  const { db, permissions } = platform;
  const tags = ['devices'];

  async function loadOrThrow(scope: ReturnType<typeof scopeOf>, id: string): Promise<Device> {
    const device = await findDevice(db, scope, id);
    if (!device) throw new AppError('NOT_FOUND');
    return device;
  }

  app.get(
    '/devices',
    { schema: { tags, summary: 'IoT devices in the caller’s scope, newest first; filter by profile, region (and below) and state', querystring: DeviceListQuery, response: withErrors({ 200: DeviceList }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'device.read');
      const q = request.query;
      const { items, total } = await listDevices(db, scopeOf(actor), {
        ...(q.profile ? { profile: q.profile } : {}),
        ...(q.regionCode ? { regionCode: q.regionCode } : {}),
        ...(q.state ? { state: q.state } : {}),
        limit: q.limit ?? 50,
        offset: q.offset ?? 0,
      });
      const locale = localeOf(request);
      return { items: items.map((d) => present(d, locale)), total };
    },
  );

  app.get(
    '/devices/:id',
    { schema: { tags, summary: 'A device: registry data, online state, last values and rejected-message counter', params: DeviceIdParams, response: withErrors({ 200: DeviceSchema }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'device.read');
      return present(await loadOrThrow(scopeOf(actor), request.params.id), localeOf(request));
    },
  );

  app.get(
    '/devices/:id/readings',
    {
      schema: {
        tags,
        summary: 'A device’s stored readings, newest observation first, optionally within [from, to)',
        params: DeviceIdParams,
        querystring: ReadingsQuery,
        response: withErrors({ 200: ReadingList }),
      },
    },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'device.read');
      const scope = scopeOf(actor);
      const { from, to, limit } = request.query;
      if (from && to && Date.parse(from) >= Date.parse(to)) throw new AppError('READINGS_RANGE_INVALID', { from, to });
      await loadOrThrow(scope, request.params.id);
      const items = await listReadings(db, scope, request.params.id, {
        ...(from ? { from: new Date(from) } : {}),
        ...(to ? { to: new Date(to) } : {}),
        limit: limit ?? 100,
      });
      return {
        items: items.map((r) => ({ ...r, observedAt: r.observedAt.toISOString(), receivedAt: r.receivedAt.toISOString() })),
      };
    },
  );

  app.post(
    '/devices',
    {
      schema: {
        tags,
        summary: 'Register a device in a committee (or a grid or building inside one) of the caller’s scope; answers its credential once',
        body: CreateDeviceBody,
        response: withErrors({ 201: CreatedDeviceSchema, 422: ErrorResponse }),
      },
    },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'device.manage');
      const b = request.body;
      const { id, token } = await platform.transaction(
        actor,
        (ctx) =>
          createDevice(ctx, {
            profile: b.profile,
            name: b.name,
            regionCode: b.regionCode,
            location: b.location ?? null,
            owner: b.owner ?? null,
            installedOn: b.installedOn ?? null,
            expectedIntervalS: b.expectedIntervalS ?? null,
          }),
        { requestId: request.id },
      );
      const device = await loadOrThrow(scopeOf(actor), id);
      return reply.code(201).send({ ...present(device, localeOf(request)), token });
    },
  );

  app.patch(
    '/devices/:id',
    {
      schema: {
        tags,
        summary: 'Change a device’s name, location, owner, installation date, expected interval or state (active / maintenance / retired)',
        params: DeviceIdParams,
        body: UpdateDeviceBody,
        response: withErrors({ 200: DeviceSchema, 422: ErrorResponse }),
      },
    },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'device.manage');
      const scope = scopeOf(actor);
      await platform.transaction(
        actor,
        async (ctx) => {
          const device = await findDevice(ctx.trx, scope, request.params.id, { forUpdate: true });
          if (!device) throw new AppError('NOT_FOUND');
          await editDevice(ctx, device, request.body);
        },
        { requestId: request.id },
      );
      return present(await loadOrThrow(scope, request.params.id), localeOf(request));
    },
  );

  app.post(
    '/devices/:id/token',
    { schema: { tags, summary: 'Issue a new credential for a device (the old one stops working); answers it once', params: DeviceIdParams, body: RotateTokenBody, response: withErrors({ 200: TokenResponse }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'device.manage');
      const token = await platform.transaction(
        actor,
        async (ctx) => {
          const device = await findDevice(ctx.trx, scopeOf(actor), request.params.id, { forUpdate: true });
          if (!device) throw new AppError('NOT_FOUND');
          return rotateDeviceToken(ctx, device, request.body?.reason ?? null);
        },
        { requestId: request.id },
      );
      return { id: request.params.id, token };
    },
  );

  app.post(
    '/devices/import',
    {
      schema: {
        tags,
        summary: 'Register devices in bulk from CSV text (all or nothing; errors name the CSV line); answers each credential once',
        body: ImportBody,
        response: withErrors({ 201: ImportResponse, 422: ErrorResponse }),
      },
    },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'device.manage');
      const items = await platform.transaction(actor, (ctx) => importDevices(ctx, request.body.csv), { requestId: request.id });
      return reply.code(201).send({ items, total: items.length });
    },
  );
}
