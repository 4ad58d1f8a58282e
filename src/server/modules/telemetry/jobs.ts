import { systemActor } from '../../platform/actor.ts';
import type { Job } from '../../platform/jobs.ts';
import type { Platform } from '../../platform/platform.ts';
import type { AlarmSignal } from './contracts.ts';
import { deleteReadingsBefore, sweepSilentDevices } from './repository.ts';
import type { TelemetryRuntime } from './runtime.ts';

/** A device is offline once it has been silent for this many of its expected intervals. */
export const LIVENESS_GRACE_FACTOR = 2.5;
const SWEEP_SLICE = 1000;
const RETENTION_SLICE = 10_000;

/**
 * Liveness from the clock, not only from messages: devices that stopped talking become offline and
 * raise their maintenance alarm even though nothing arrives. Each slice is one transaction; rows
 * are claimed with SKIP LOCKED, so instances sweeping together split the work.
 */
export function livenessJob(platform: Platform, runtime: TelemetryRuntime): Job {
  return {
    name: 'telemetry.liveness',
    intervalMs: 30_000,
    async run(now) {
      let total = 0;
      for (;;) {
        const offline = await platform.transaction(systemActor('telemetry'), async (ctx) => {
          const ids = await sweepSilentDevices(ctx.trx, now, LIVENESS_GRACE_FACTOR, SWEEP_SLICE);
          const signals = ids.map(
            (deviceId): AlarmSignal => ({
              deviceId,
              type: 'device-offline',
              active: true,
              at: now,
              source: { kind: 'liveness' },
              detail: { 'zh-CN': '设备超过预期上报间隔未上报', en: 'The device has not reported within its expected interval' },
            }),
          );
          if (signals.length > 0) await runtime.stages.sink(ctx, signals);
          return ids.length;
        });
        total += offline;
        if (offline < SWEEP_SLICE) return total;
      }
    },
  };
}

/** Time-based rules (no door opened for 24 h): evaluated every minute whether or not messages arrive. */
export function scheduledRulesJob(platform: Platform, runtime: TelemetryRuntime): Job {
  return {
    name: 'telemetry.scheduled-rules',
    intervalMs: 60_000,
    async run(now) {
      return platform.transaction(systemActor('telemetry'), async (ctx) => {
        const signals: AlarmSignal[] = [];
        for (const evaluate of runtime.stages.scheduled) signals.push(...(await evaluate(ctx, now)));
        if (signals.length > 0) await runtime.stages.sink(ctx, signals);
        return signals.length;
      });
    },
  };
}

/** Drops readings older than the retention period, a slice per transaction so that no lock is held long. */
export function retentionJob(platform: Platform): Job {
  return {
    name: 'telemetry.retention',
    intervalMs: 60 * 60_000,
    async run(now) {
      const before = new Date(now.getTime() - platform.config.telemetryRetentionDays * 86_400_000);
      let total = 0;
      for (;;) {
        const deleted = await deleteReadingsBefore(platform.db, before, RETENTION_SLICE);
        total += deleted;
        if (deleted < RETENTION_SLICE) return total;
      }
    },
  };
}
