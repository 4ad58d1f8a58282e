import { Type } from 'typebox';
import { authorize } from '../../platform/access.ts';
import { bearerToken } from '../../platform/auth/plugin.ts';
import { AppError } from '../../platform/errors.ts';
import { ErrorResponse, withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Channel } from './ingest.ts';
import type { TelemetryRuntime } from './runtime.ts';

const DeviceIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
/** The profile decides which fields are allowed; here only "a JSON object". */
const TelemetryBody = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 32, description: 'The profile’s fields, optional observedAt (ISO 8601 with zone) and optional msgId (for de-duplication)' });
const Accepted = Type.Object(
  {
    status: Type.Union([Type.Literal('stored'), Type.Literal('duplicate')], { description: 'duplicate: a message with this msgId was stored before and is not stored again' }),
    readingId: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
const Counts = Type.Record(Type.String(), Type.Integer());
const StatsSchema = Type.Object(
  {
    transport: Type.Union([Type.Literal('embedded'), Type.Literal('external')]),
    connectedDevices: Type.Union([Type.Integer(), Type.Null()], { description: 'Devices connected to the embedded broker (null with an external broker)' }),
    stored: Type.Integer(),
    duplicates: Type.Integer(),
    rejected: Counts,
    unauthorised: Counts,
    batches: Type.Integer(),
    failedBatches: Type.Integer(),
    queued: Type.Integer(),
    averageBatchSize: Type.Number(),
    averageBatchMs: Type.Number(),
  },
  { additionalProperties: false },
);

const tags = ['telemetry'];

export function telemetryRoutes(app: App, platform: Platform, runtime: () => TelemetryRuntime): void {
  {
    const channelRoute = (path: 'telemetry' | 'events', channel: Channel, summary: string) =>
      app.post(
        `/devices/:id/${path}`,
        {
          config: { deviceToken: true },
          schema: {
            tags,
            summary,
            security: [{ bearer: [] }],
            params: DeviceIdParams,
            body: TelemetryBody,
            response: withErrors({ 200: Accepted, 202: Accepted, 413: ErrorResponse, 422: ErrorResponse, 503: ErrorResponse }),
          },
          bodyLimit: platform.config.telemetryMaxPayloadBytes,
        },
        async (request, reply) => {
          const { directory, ingestor } = runtime();
          const check = await directory.authenticate(request.params.id, bearerToken(request) ?? undefined);
          if (!check.ok) {
            ingestor.countUnauthorised(check.device?.id ?? null, check.reason);
            throw new AppError('DEVICE_UNAUTHENTICATED');
          }
          const outcome = await ingestor.submit(check.device, channel, request.body).catch((error: unknown) => {
            throw new AppError('UNAVAILABLE', undefined, { cause: error });
          });
          switch (outcome.status) {
            case 'stored':
              return reply.code(202).send({ status: 'stored', readingId: outcome.readingId });
            case 'duplicate':
              return reply.code(200).send({ status: 'duplicate' });
            case 'rejected':
              throw new AppError('TELEMETRY_REJECTED', { reason: outcome.reason, message: outcome.message });
            case 'status':
              throw new Error('a data channel answered with a status');
          }
        },
      );
    channelRoute('telemetry', 'telemetry', 'A device reports measurements (its own token as Bearer); the HTTP twin of MQTT devices/{id}/telemetry');
    channelRoute('events', 'events', 'A device reports something that happened (its own token as Bearer); the HTTP twin of MQTT devices/{id}/events');

    app.get(
      '/telemetry/stats',
      { schema: { tags, summary: 'Ingestion counters of this instance since it started: stored, duplicates, rejections by reason, batches, queue', response: withErrors({ 200: StatsSchema }) } },
      async (request) => {
        authorize(platform.permissions, request.actor, 'telemetry.stats');
        const { ingestor, transport } = runtime();
        const external = transport.name === 'mqtt-consumer';
        return { transport: external ? ('external' as const) : ('embedded' as const), connectedDevices: 'connectedDevices' in transport ? transport.connectedDevices : null, ...ingestor.stats() };
      },
    );
  }
}
