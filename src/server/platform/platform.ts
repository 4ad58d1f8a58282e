import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Actor } from './actor.ts';
import { recordAudit, type AuditEntry } from './audit.ts';
import type { Database, DatabaseKind, Tx } from './db/index.ts';
import { emitEvent, EventBus, type NewDomainEvent } from './events.ts';
import { PermissionRegistry } from './access.ts';
import { Scheduler } from './jobs.ts';
import { loggingSmsSender, type SmsSender } from './sms.ts';

/** What every module gets: configuration, the database, access rules and the event bus. */
export interface Platform {
  config: Config;
  db: Database;
  dbKind: DatabaseKind;
  permissions: PermissionRegistry;
  events: EventBus;
  jobs: Scheduler;
  sms: SmsSender;
  log: FastifyBaseLogger;
  /** Runs `work` as one unit: one transaction, audit and outbox included; delivers events after commit. */
  transaction<T>(actor: Actor, work: (ctx: CommandContext) => Promise<T>, options?: { requestId?: string }): Promise<T>;
}

/** The context a command runs in: the caller's transaction and who is acting. */
export interface CommandContext {
  trx: Tx;
  actor: Actor;
  requestId: string | null;
  /**
   * When the command takes effect: the real time unless set. Only the synthetic demo history
   * (cases/demo.ts) sets it, to replay a past month through the real commands; commands that
   * honour it say so. The audit log and the outbox always record the real time of writing.
   */
  now?: Date;
}

export interface Change {
  audit: AuditEntry;
  /** Omit for changes nobody subscribes to (e.g. revealing personal data is audited, not broadcast). */
  event?: NewDomainEvent;
}

/** Records a change the way every command must: audit entry and domain event, in the same transaction. */
export async function recordChange(ctx: CommandContext, change: Change): Promise<void> {
  await recordAudit(ctx.trx, ctx.actor, { ...change.audit, requestId: change.audit.requestId ?? ctx.requestId });
  if (change.event) {
    await emitEvent(ctx.trx, { actorUserId: ctx.actor.kind === 'user' ? ctx.actor.userId : null, ...change.event });
  }
}

export function createPlatform(options: {
  config: Config;
  db: Database;
  dbKind: DatabaseKind;
  log: FastifyBaseLogger;
  sms?: SmsSender;
}): Platform {
  const { db, log } = options;
  const events = new EventBus(db, {
    onError: (error, context) => log.error({ err: error, ...context }, 'event delivery failed'),
  });
  return {
    ...options,
    permissions: new PermissionRegistry(),
    events,
    jobs: new Scheduler((error, job) => log.error({ err: error, job }, 'job failed')),
    sms: options.sms ?? loggingSmsSender(log),
    async transaction(actor, work, { requestId } = {}) {
      const result = await db.transaction().execute((trx) => work({ trx, actor, requestId: requestId ?? null }));
      events.kick();
      return result;
    },
  };
}
