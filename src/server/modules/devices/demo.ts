import { DEVICE_PROFILE_IDS, type DeviceProfileId } from '../../../shared/iot-profiles.ts';
import { systemActor } from '../../platform/actor.ts';
import type { Platform } from '../../platform/platform.ts';
import { createDevice, demoDeviceToken } from './commands.ts';
import { deviceExists } from './repository.ts';

/** 梅园一村 (Lujiazui): where the demo devices stand. */
export const DEMO_DEVICE_REGION = '310115005001';

const NAMES: Record<DeviceProfileId, string> = {
  smoke: '演示·3号楼 502 室烟感',
  gas: '演示·社区食堂燃气探测器',
  'water-meter': '演示·5号楼总水表',
  'door-magnet': '演示·1号楼地下室门磁',
  lift: '演示·2号楼电梯控制器',
  'fire-lane': '演示·南门消防通道地磁',
  'fire-tank': '演示·消防水箱液位计',
  bin: '演示·东侧垃圾厢房桶',
  parking: '演示·访客车位 A01',
  gate: '演示·北门人行门禁',
  'camera-ai': '演示·南门 AI 摄像头',
};

/** One demo device per profile, with a fixed id and a token derived from a public demo secret (demo only). */
export const DEMO_DEVICES: ReadonlyArray<{ id: string; profile: DeviceProfileId; name: string; token: string }> = DEVICE_PROFILE_IDS.map((profile, i) => ({
  id: `de000000-0000-4000-8000-0000000000${String(i + 1).padStart(2, '0')}`,
  profile,
  name: NAMES[profile],
  token: demoDeviceToken(profile),
}));

/** Idempotent: devices that exist already are left as they are. */
export async function seedDemoDevices(platform: Platform): Promise<void> {
  for (const [i, d] of DEMO_DEVICES.entries()) {
    if (await deviceExists(platform.db, d.id)) continue;
    await platform.transaction(systemActor('demo'), (ctx) =>
      createDevice(
        ctx,
        {
          profile: d.profile,
          name: d.name,
          regionCode: DEMO_DEVICE_REGION,
          location: { lat: 31.2335 + i * 0.0002, lng: 121.5205 + i * 0.0002 },
          owner: '演示·梅园一村物业',
          installedOn: '2026-06-01',
          expectedIntervalS: null,
        },
        { id: d.id, token: d.token },
      ),
    );
  }
}
