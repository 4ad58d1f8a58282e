import { hostname } from 'node:os';
import type { Service } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import type { AlarmSink, ReadingEvaluator, ScheduledEvaluator } from './contracts.ts';
import { DeviceDirectory } from './directory.ts';
import { Ingestor } from './ingest.ts';
import { EmbeddedBroker, ExternalBrokerConsumer } from './transports.ts';

/** What turns readings into alarms: the rules' evaluators and the alarms' sink (see stages.ts). */
export interface TelemetryStages {
  evaluators: readonly ReadingEvaluator[];
  sink: AlarmSink;
  /** Signals from time-based conditions (nothing arrived for N hours), evaluated on a schedule. */
  scheduled: readonly ScheduledEvaluator[];
}

export interface TelemetryRuntime {
  directory: DeviceDirectory;
  ingestor: Ingestor;
  stages: TelemetryStages;
  /** The MQTT side: the embedded broker, or the consumer of an external one. */
  transport: EmbeddedBroker | ExternalBrokerConsumer;
}

const runtimes = new WeakMap<Platform, TelemetryRuntime>();

/** One ingestion per server: its routes, services and jobs share the queue and the credential cache. */
export function telemetryRuntime(platform: Platform, stages: TelemetryStages): TelemetryRuntime {
  let runtime = runtimes.get(platform);
  if (!runtime) {
    const { config } = platform;
    const directory = new DeviceDirectory(platform.db);
    const ingestor = new Ingestor(platform, {
      evaluators: stages.evaluators,
      sink: stages.sink,
      maxPayloadBytes: config.telemetryMaxPayloadBytes,
      // PGlite has one connection and no parallel writers: larger batches amortise its per-statement cost.
      maxBatch: platform.dbKind === 'pglite' ? 2000 : 1000,
    });
    const transport: Service & (EmbeddedBroker | ExternalBrokerConsumer) = config.mqttUrl
      ? new ExternalBrokerConsumer(platform, ingestor, directory, config.mqttUrl, config.mqttSharedGroup, config.mqttClientId ?? `gongzhi-${hostname()}-${config.port}`)
      : new EmbeddedBroker(platform, ingestor, directory, config.mqttPort, config.host, config.demo);
    runtime = { directory, ingestor, stages, transport };
    runtimes.set(platform, runtime);
  }
  return runtime;
}
