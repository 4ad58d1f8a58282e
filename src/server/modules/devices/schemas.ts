import { Type, type TSchema } from 'typebox';
import { DEVICE_PROFILE_IDS, READINGS_MAX_LIMIT } from '../../../shared/iot-profiles.ts';
import { DEVICE_STATES, EXPECTED_INTERVAL_MAX_S, EXPECTED_INTERVAL_MIN_S } from './policy.ts';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ProfileSchema = Type.Enum(DEVICE_PROFILE_IDS, { description: DEVICE_PROFILE_IDS.join(' | ') });
export const StateSchema = Type.Enum(DEVICE_STATES, { description: 'active | maintenance (检修) | retired (停用)' });

const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Owner = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', description: 'Who owns the device (property company, committee, operator)' });
const InstalledOn = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Interval = Type.Integer({ minimum: EXPECTED_INTERVAL_MIN_S, maximum: EXPECTED_INTERVAL_MAX_S, description: 'Expected reporting interval in seconds' });
export const LocationSchema = Type.Object(
  { lat: Type.Number({ minimum: -90, maximum: 90 }), lng: Type.Number({ minimum: -180, maximum: 180 }) },
  { additionalProperties: false, description: 'The point, WGS-84' },
);

export const DeviceIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const CreateDeviceBody = Type.Object(
  {
    profile: ProfileSchema,
    name: Name,
    regionCode: Type.String({ minLength: 1, maxLength: 40, description: 'A committee (居村委), or a grid or building inside one' }),
    location: Type.Optional(nullable(LocationSchema)),
    owner: Type.Optional(nullable(Owner)),
    installedOn: Type.Optional(nullable(InstalledOn)),
    expectedIntervalS: Type.Optional(Interval),
  },
  { additionalProperties: false },
);

export const UpdateDeviceBody = Type.Object(
  {
    name: Type.Optional(Name),
    location: Type.Optional(nullable(LocationSchema)),
    owner: Type.Optional(nullable(Owner)),
    installedOn: Type.Optional(nullable(InstalledOn)),
    expectedIntervalS: Type.Optional(Interval),
    state: Type.Optional(StateSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const DeviceListQuery = Type.Object(
  {
    profile: Type.Optional(ProfileSchema),
    regionCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Devices in this region or below it' })),
    state: Type.Optional(StateSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

const deviceFields = {
  id: Type.String({ format: 'uuid' }),
  profile: ProfileSchema,
  profileName: Type.String({ description: 'The profile’s name in the caller’s language' }),
  name: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  location: nullable(LocationSchema),
  owner: nullable(Type.String()),
  installedOn: nullable(Type.String({ format: 'date' })),
  expectedIntervalS: Type.Integer(),
  state: StateSchema,
  connectivity: Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('unknown')], {
    description: 'Liveness kept by ingestion: online on a message or the device’s MQTT “online”, offline on its last will or when it misses twice its expected interval; unknown before the first',
  }),
  connectivityChangedAt: nullable(Type.String({ format: 'date-time', description: 'When connectivity last changed' })),
  lastSeenAt: nullable(Type.String({ format: 'date-time' })),
  lastValues: nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'The last accepted values, normalised by the profile' })),
  rejectedCount: Type.Integer({ description: 'Messages rejected by the profile’s validation' }),
  unauthorisedCount: Type.Integer({ description: 'Messages that named this device with a wrong credential or on another device’s connection' }),
  lastRejection: nullable(
    Type.Record(Type.String(), Type.Unknown(), { description: 'The last rejected message: when, and why (as recorded by ingestion, e.g. reason, field, message, at)' }),
  ),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};

export const DeviceSchema = Type.Object(deviceFields, { additionalProperties: false });
const TokenField = Type.String({ description: 'The device credential; shown once, only its SHA-256 is stored' });
export const CreatedDeviceSchema = Type.Object({ ...deviceFields, token: TokenField }, { additionalProperties: false });
export const DeviceList = Type.Object({ items: Type.Array(DeviceSchema), total: Type.Integer() }, { additionalProperties: false });
export const TokenResponse = Type.Object({ id: Type.String({ format: 'uuid' }), token: TokenField }, { additionalProperties: false });

export const ImportBody = Type.Object(
  {
    csv: Type.String({
      minLength: 1,
      maxLength: 500_000,
      description: 'CSV text with the header profile,name,regionCode,lat,lng,owner,installedOn,expectedIntervalS (empty cells: not known / the profile default)',
    }),
  },
  { additionalProperties: false },
);
export const ImportResponse = Type.Object(
  {
    items: Type.Array(
      Type.Object({ row: Type.Integer({ description: 'CSV line (the header is line 1)' }), id: Type.String({ format: 'uuid' }), name: Type.String(), token: TokenField }, { additionalProperties: false }),
    ),
    total: Type.Integer(),
  },
  { additionalProperties: false },
);

/** Optional: no body at all, or why the credential is replaced (kept in the audit log). */
export const RotateTokenBody = Type.Union([
  Type.Object({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'Why, e.g. the device was replaced' })) }, { additionalProperties: false }),
  Type.Null(),
]);

export const ReadingsQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Observed at or after (ISO 8601 with a zone)' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Observed before (ISO 8601 with a zone)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: READINGS_MAX_LIMIT, default: 100 })),
  },
  { additionalProperties: false },
);

export const ReadingSchema = Type.Object(
  {
    id: Type.String({ description: 'device_readings.id (a bigint, as a string)' }),
    kind: Type.Union([Type.Literal('telemetry'), Type.Literal('event')]),
    observedAt: Type.String({ format: 'date-time' }),
    receivedAt: Type.String({ format: 'date-time' }),
    msgId: nullable(Type.String({ description: 'The device’s own message id, if it sent one' })),
    values: Type.Record(Type.String(), Type.Unknown(), { description: 'The normalised values (fields of the device’s profile)' }),
  },
  { additionalProperties: false },
);
export const ReadingList = Type.Object({ items: Type.Array(ReadingSchema) }, { additionalProperties: false });
