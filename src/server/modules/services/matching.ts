import { systemActor } from '../../platform/actor.ts';
import { UNRESTRICTED } from '../../platform/access.ts';
import type { Tx } from '../../platform/db/index.ts';
import type { DomainEvent, Subscriber } from '../../platform/events.ts';
import type { Job } from '../../platform/jobs.ts';
import type { CommandContext, Platform } from '../../platform/platform.ts';
import { createService, reevaluatePersons, reevaluateService, shanghaiDay } from './commands.ts';
import { SEED_REGION, SEED_SERVICES } from './catalogue.ts';
import { findServiceByCode, servicesToEvaluate, type PersonFilter } from './repository.ts';
import { findRegion } from '../regions/repository.ts';
import { tellingSubscribers } from './tell.ts';

/**
 * When matching runs: a service or rule change re-evaluates that service over its whole region;
 * a ledger import batch re-evaluates every service over the persons it touched; the daily job
 * re-evaluates every service once per Shanghai day, for what the calendar changes (birthdays,
 * tags growing stale, receipts ending, validity dates).
 */

const context = (trx: Tx, name: string): CommandContext => ({ trx, actor: systemActor(name), requestId: null });

/**
 * The persons a ledger event touched. `ledger.records_imported` carries only counts today; when it
 * carries `personIds` (created and changed persons, as its audit entry already lists) only those
 * are re-evaluated, otherwise the import's region is.
 */
export function ledgerEventFilter(event: DomainEvent): PersonFilter | null {
  const ids = event.payload.personIds;
  if (Array.isArray(ids) && ids.every((id) => typeof id === 'string')) return ids.length ? { kind: 'persons', ids: ids as string[] } : null;
  return event.regionPath ? { kind: 'region', path: event.regionPath } : null;
}

export function serviceSubscribers(): Subscriber[] {
  return [
    {
      name: 'services.rule-changed',
      events: ['services.service_changed'],
      handle: async (event, trx) => {
        await reevaluateService(context(trx, 'services.matching'), event.aggregateId, { kind: 'all' }, shanghaiDay());
      },
    },
    {
      name: 'services.ledger-changed',
      events: ['ledger.records_imported', 'ledger.person_changed', 'ledger.conflict_resolved', 'ledger.persons_merged', 'ledger.persons_unmerged'],
      handle: async (event, trx) => {
        const filter = ledgerEventFilter(event);
        if (filter) await reevaluatePersons(context(trx, 'services.matching'), filter, shanghaiDay());
      },
    },
    ...tellingSubscribers(),
  ];
}

/** Re-evaluates the services not yet evaluated on `now`'s Shanghai day, one transaction each. */
export async function evaluateDue(platform: Platform, now: Date): Promise<number> {
  const day = shanghaiDay(now);
  const due = await servicesToEvaluate(platform.db, day);
  for (const id of due) await platform.transaction(systemActor('services.daily'), (ctx) => reevaluateService(ctx, id, { kind: 'all' }, day));
  return due.length;
}

export function serviceJobs(platform: Platform): Job[] {
  return [{ name: 'services.daily', intervalMs: 15 * 60_000, run: (now) => evaluateDue(platform, now) }];
}

/** The seed catalogue, district-wide; idempotent by code (an existing service is left as its stewards made it). */
export async function seedServices(platform: Platform): Promise<void> {
  const region = await findRegion(platform.db, UNRESTRICTED, SEED_REGION);
  if (!region) return;
  await platform.transaction(systemActor('services.seed'), async (ctx) => {
    for (const seed of SEED_SERVICES) {
      if (await findServiceByCode(ctx.trx, seed.code)) continue;
      await createService(ctx, { ...seed, regionCode: region.code, enabled: true, validTo: null }, region.regionPath);
    }
  });
}
