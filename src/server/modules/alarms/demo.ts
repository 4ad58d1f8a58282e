import type { AlarmTypeId } from '../../../shared/alarms.ts';
import { systemActor } from '../../platform/actor.ts';
import { recordChange, type Platform } from '../../platform/platform.ts';
import { DEMO_DEVICES } from '../devices/demo.ts';
import { alarmsExistFor, putEmergencyContact } from './repository.ts';
import { applyAlarmSignals } from './signals.ts';

const MINUTE = 60_000;
const deviceOf = (profile: string) => DEMO_DEVICES.find((d) => d.profile === profile)?.id;

/** What the demo devices report (演示): an elderly resident's door, a leak, a low battery, a forced gate, a full bin. */
const DEMO_SIGNALS: ReadonlyArray<{ profile: string; type: AlarmTypeId; minutesAgo: number; zh: string; en: string }> = [
  { profile: 'door-magnet', type: 'door-no-open', minutesAgo: 40, zh: '演示：已 36 小时未开门', en: 'Demo: not opened for 36 hours' },
  { profile: 'water-meter', type: 'water-leak', minutesAgo: 25, zh: '演示：夜间持续流水 3 小时', en: 'Demo: water flowing for 3 hours at night' },
  { profile: 'smoke', type: 'battery-low', minutesAgo: 90, zh: '演示：电量 8%', en: 'Demo: battery at 8 %' },
  { profile: 'gate', type: 'gate-forced', minutesAgo: 8, zh: '演示：北门被强行打开', en: 'Demo: the north gate was forced' },
  { profile: 'bin', type: 'bin-full', minutesAgo: 15, zh: '演示：满溢度 96%', en: 'Demo: 96 % full' },
];

/**
 * Demo alarms on the demo devices, raised through the real sink, and a synthetic emergency contact
 * (marked 演示) for the demo door contact, so that 告警中心 and the elderly flow can be tried before
 * any device reports. Only with the demo month (`demoCases`); idempotent: nothing if the demo devices
 * have alarms already.
 */
export async function seedDemoAlarms(platform: Platform): Promise<void> {
  if (!platform.config.demoCases) return;
  const signals = DEMO_SIGNALS.flatMap((s) => {
    const deviceId = deviceOf(s.profile);
    return deviceId ? [{ deviceId, s }] : [];
  });
  if (signals.length === 0 || (await alarmsExistFor(platform.db, signals.map((x) => x.deviceId)))) return;
  const now = Date.now();
  await platform.transaction(systemActor('demo'), async (ctx) => {
    const door = deviceOf('door-magnet');
    if (door) {
      await putEmergencyContact(ctx.trx, door, { name: '演示·李女士（女儿）', phone: '13900000101' }, null);
      await recordChange(ctx, { audit: { action: 'device.emergency_contact_set', objectType: 'device', objectId: door, details: { demo: true } } });
    }
    await applyAlarmSignals(
      ctx,
      signals.map(({ deviceId, s }) => ({ deviceId, type: s.type, active: true, at: new Date(now - s.minutesAgo * MINUTE), source: { kind: 'rule', ruleId: 'demo' }, detail: { 'zh-CN': s.zh, en: s.en } })),
    );
  });
}
