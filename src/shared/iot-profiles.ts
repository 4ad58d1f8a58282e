/**
 * IoT device profiles (设备类型) and the data standard (issue #4). Each profile names the telemetry
 * a device of that type sends, normalised to one documented model: field names, types, units
 * (UCUM codes: '%', 'm3', 'm3/h', '%LEL', 'm', 'Cel', '1' for a dimensionless ratio) and ranges.
 * Where a FIWARE Smart Data Model exists for the thing measured, `fiware` says which and how the
 * normalised fields map onto it.
 *
 * `normalise` is pure: it validates one raw JSON payload against its profile and returns the
 * normalised values with the time of observation, or the reason it was rejected.
 */

export const DEVICE_PROFILE_IDS = ['smoke', 'gas', 'water-meter', 'door-magnet', 'lift', 'fire-lane', 'fire-tank', 'bin', 'parking', 'gate', 'camera-ai'] as const;
export type DeviceProfileId = (typeof DEVICE_PROFILE_IDS)[number];

export function isDeviceProfileId(value: string): value is DeviceProfileId {
  return (DEVICE_PROFILE_IDS as readonly string[]).includes(value);
}

export type TelemetryField =
  | { name: string; type: 'boolean'; required: boolean; description: string }
  | { name: string; type: 'number' | 'integer'; unit: string; min: number; max: number; required: boolean; description: string }
  | { name: string; type: 'enum'; values: readonly string[]; required: boolean; description: string };

export interface FiwareMapping {
  /** The Smart Data Model entity type (smart-data-models.github.io). */
  model: 'Device' | 'Alert' | 'ParkingSpot' | 'WasteContainer';
  /** How the normalised fields become the model's attributes. */
  mapping: string;
}

export interface DeviceProfile {
  id: DeviceProfileId;
  name: { 'zh-CN': string; en: string };
  fields: readonly TelemetryField[];
  /** How often a healthy device reports (heartbeat or measurement), in seconds. */
  defaultIntervalS: number;
  fiware: FiwareMapping;
}

const battery: TelemetryField = { name: 'battery', type: 'integer', unit: '%', min: 0, max: 100, required: false, description: 'Battery charge' };

export const DEVICE_PROFILES: Readonly<Record<DeviceProfileId, DeviceProfile>> = {
  smoke: {
    id: 'smoke',
    name: { 'zh-CN': '独立式烟感', en: 'Smoke detector' },
    fields: [
      { name: 'smoke', type: 'boolean', required: true, description: 'Smoke detected (alarm state)' },
      { ...battery, required: true },
    ],
    defaultIntervalS: 3600,
    fiware: { model: 'Device', mapping: 'smoke → value ("smoke=true|false"), controlledProperty ["smoke"]; battery/100 → batteryLevel' },
  },
  gas: {
    id: 'gas',
    name: { 'zh-CN': '可燃气体探测器', en: 'Combustible gas detector' },
    fields: [
      { name: 'concentration', type: 'number', unit: '%LEL', min: 0, max: 100, required: true, description: 'Gas concentration as a share of the lower explosive limit' },
      { name: 'alarm', type: 'boolean', required: true, description: 'The detector’s own alarm threshold is exceeded' },
    ],
    defaultIntervalS: 300,
    fiware: { model: 'Device', mapping: 'concentration → value, controlledProperty ["gasConcentration"]; alarm → deviceState' },
  },
  'water-meter': {
    id: 'water-meter',
    name: { 'zh-CN': '智能水表', en: 'Smart water meter' },
    fields: [
      { name: 'volume', type: 'number', unit: 'm3', min: 0, max: 99_999_999, required: true, description: 'Cumulative meter reading' },
      { name: 'flowRate', type: 'number', unit: 'm3/h', min: 0, max: 100, required: false, description: 'Instantaneous flow' },
      { name: 'leak', type: 'boolean', required: false, description: 'Continuous-flow (leak) flag raised by the meter' },
      battery,
    ],
    defaultIntervalS: 3600,
    fiware: { model: 'Device', mapping: 'volume → value, controlledProperty ["waterConsumption"]; battery/100 → batteryLevel' },
  },
  'door-magnet': {
    id: 'door-magnet',
    name: { 'zh-CN': '门磁', en: 'Door contact sensor' },
    fields: [{ name: 'open', type: 'boolean', required: true, description: 'The door is open' }, battery],
    defaultIntervalS: 3600,
    fiware: { model: 'Device', mapping: 'open → value ("open"|"closed"), controlledProperty ["state"]; battery/100 → batteryLevel' },
  },
  lift: {
    id: 'lift',
    name: { 'zh-CN': '电梯控制器（电瓶车入梯）', en: 'Lift controller (e-bike in lift)' },
    fields: [
      { name: 'ebikeDetected', type: 'boolean', required: true, description: 'An e-bike is in the car' },
      { name: 'floor', type: 'integer', unit: '1', min: -5, max: 100, required: false, description: 'Floor the car is at' },
      { name: 'doorHeld', type: 'boolean', required: false, description: 'The controller holds the doors open (blocking the e-bike)' },
    ],
    defaultIntervalS: 60,
    fiware: { model: 'Alert', mapping: 'ebikeDetected=true → Alert category "security", subCategory "ebikeInLift"' },
  },
  'fire-lane': {
    id: 'fire-lane',
    name: { 'zh-CN': '消防通道地磁', en: 'Fire-lane geomagnetic sensor' },
    fields: [{ name: 'occupied', type: 'boolean', required: true, description: 'A vehicle stands on the fire lane' }, battery],
    defaultIntervalS: 300,
    fiware: { model: 'ParkingSpot', mapping: 'occupied → status ("occupied"|"free"); occupied=true → Alert category "traffic", subCategory "fireLaneBlocked"' },
  },
  'fire-tank': {
    id: 'fire-tank',
    name: { 'zh-CN': '消防水箱液位', en: 'Fire-tank water level' },
    fields: [{ name: 'level', type: 'number', unit: 'm', min: 0, max: 20, required: true, description: 'Water level above the tank floor' }, battery],
    defaultIntervalS: 600,
    fiware: { model: 'Device', mapping: 'level → value, controlledProperty ["level"]; battery/100 → batteryLevel' },
  },
  bin: {
    id: 'bin',
    name: { 'zh-CN': '垃圾桶满溢', en: 'Bin fill level' },
    fields: [
      { name: 'fillLevel', type: 'number', unit: '%', min: 0, max: 100, required: true, description: 'How full the bin is' },
      { name: 'temperature', type: 'number', unit: 'Cel', min: -40, max: 125, required: false, description: 'Temperature inside the bin' },
      battery,
    ],
    defaultIntervalS: 1800,
    fiware: { model: 'WasteContainer', mapping: 'fillLevel/100 → fillingLevel; temperature → temperature' },
  },
  parking: {
    id: 'parking',
    name: { 'zh-CN': '车位检测器', en: 'Parking spot sensor' },
    fields: [{ name: 'occupied', type: 'boolean', required: true, description: 'A vehicle is parked on the spot' }, battery],
    defaultIntervalS: 300,
    fiware: { model: 'ParkingSpot', mapping: 'occupied → status ("occupied"|"free")' },
  },
  gate: {
    id: 'gate',
    name: { 'zh-CN': '门禁道闸', en: 'Access gate' },
    fields: [
      { name: 'event', type: 'enum', values: ['open', 'close', 'forced', 'held_open'], required: true, description: 'What happened at the gate' },
      { name: 'direction', type: 'enum', values: ['in', 'out'], required: false, description: 'Direction of passage' },
      { name: 'count', type: 'integer', unit: '1', min: 0, max: 1000, required: false, description: 'Passages since the previous message' },
    ],
    defaultIntervalS: 300,
    fiware: { model: 'Device', mapping: 'event → value, controlledProperty ["state"]; forced/held_open → Alert category "security"' },
  },
  'camera-ai': {
    id: 'camera-ai',
    name: { 'zh-CN': 'AI 摄像头事件', en: 'AI camera events' },
    fields: [
      {
        name: 'event',
        type: 'enum',
        values: ['fire_lane_blocked', 'shop_spill', 'garbage_exposed', 'heartbeat'],
        required: true,
        description: 'Recognised event: fire lane blocked (占用消防通道), shop spilling onto the pavement (跨门营业), garbage exposed (垃圾暴露), or a heartbeat',
      },
      { name: 'confidence', type: 'number', unit: '1', min: 0, max: 1, required: false, description: 'Recognition confidence (0..1)' },
    ],
    defaultIntervalS: 300,
    fiware: { model: 'Alert', mapping: 'event → Alert subCategory ("fireLaneBlocked"|"shopSpill"|"garbageExposed"), category "traffic"|"environment"; heartbeat → Device.deviceState' },
  },
};

/** The most readings one request for a device's time series answers (a day at one a minute fits). */
export const READINGS_MAX_LIMIT = 2000;

/** The optional observation time every payload may carry (ISO 8601 with a time zone); absent: the time of receipt. */
export const OBSERVED_AT_FIELD = 'observedAt';
/** Device clocks drift; a reading further ahead of the receiver than this is rejected. */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export type TelemetryValue = boolean | number | string;

export type RejectReason = 'unknown_profile' | 'not_an_object' | 'unknown_field' | 'missing_field' | 'wrong_type' | 'out_of_range' | 'bad_timestamp' | 'timestamp_in_future';

export type NormaliseResult =
  | { ok: true; values: Record<string, TelemetryValue>; observedAt: Date }
  | { ok: false; reason: RejectReason; field?: string; message: string };

const reject = (reason: RejectReason, message: string, field?: string): NormaliseResult => ({ ok: false, reason, message, ...(field !== undefined ? { field } : {}) });

/**
 * Validates a raw payload against a profile: a JSON object with only the profile's fields (and
 * `observedAt`), every required field present, each of its type and range. `receivedAt` is the
 * time of receipt, used when the payload carries no time and to refuse times in the future.
 */
export function normalise(profileId: string, payload: unknown, receivedAt: Date = new Date()): NormaliseResult {
  if (!isDeviceProfileId(profileId)) return reject('unknown_profile', `unknown profile "${profileId}"`);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return reject('not_an_object', 'the payload must be a JSON object');
  const profile = DEVICE_PROFILES[profileId];
  const raw = payload as Record<string, unknown>;
  const byName = new Map(profile.fields.map((f) => [f.name, f]));

  for (const key of Object.keys(raw)) {
    if (key !== OBSERVED_AT_FIELD && !byName.has(key)) return reject('unknown_field', `unknown field "${key}"`, key);
  }

  let observedAt = receivedAt;
  if (raw[OBSERVED_AT_FIELD] !== undefined) {
    const t = raw[OBSERVED_AT_FIELD];
    const parsed = typeof t === 'string' && ISO_WITH_ZONE.test(t) ? new Date(t) : null;
    if (!parsed || Number.isNaN(parsed.getTime())) return reject('bad_timestamp', 'observedAt must be an ISO 8601 time with a time zone', OBSERVED_AT_FIELD);
    if (parsed.getTime() - receivedAt.getTime() > MAX_CLOCK_AHEAD_MS) return reject('timestamp_in_future', 'observedAt lies in the future', OBSERVED_AT_FIELD);
    observedAt = parsed;
  }

  const values: Record<string, TelemetryValue> = {};
  for (const field of profile.fields) {
    const value = raw[field.name];
    if (value === undefined) {
      if (field.required) return reject('missing_field', `missing field "${field.name}"`, field.name);
      continue;
    }
    switch (field.type) {
      case 'boolean':
        if (typeof value !== 'boolean') return reject('wrong_type', `"${field.name}" must be true or false`, field.name);
        values[field.name] = value;
        break;
      case 'number':
      case 'integer':
        if (typeof value !== 'number' || !Number.isFinite(value) || (field.type === 'integer' && !Number.isInteger(value))) {
          return reject('wrong_type', `"${field.name}" must be ${field.type === 'integer' ? 'an integer' : 'a number'}`, field.name);
        }
        if (value < field.min || value > field.max) return reject('out_of_range', `"${field.name}" must lie between ${field.min} and ${field.max} ${field.unit}`, field.name);
        values[field.name] = value;
        break;
      case 'enum':
        if (typeof value !== 'string') return reject('wrong_type', `"${field.name}" must be a string`, field.name);
        if (!field.values.includes(value)) return reject('out_of_range', `"${field.name}" must be one of ${field.values.join(', ')}`, field.name);
        values[field.name] = value;
        break;
    }
  }
  return { ok: true, values, observedAt };
}
