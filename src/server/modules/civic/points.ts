import { POINTS_AWARDS } from '../../../shared/civic.ts';
import type { DomainEvent, Subscriber } from '../../platform/events.ts';
import type { Tx } from '../../platform/db/index.ts';
import { awardPoints } from './commands.ts';
import { caseForPoints } from './repository.ts';

/**
 * Points are earned from the events of the things that earn them, delivered through the outbox
 * once per event; each award is also unique per (person, reason, source), so a case reported,
 * reopened and closed twice still earns its reporter one award of each kind.
 */
async function onCaseEvent(event: DomainEvent, trx: Tx): Promise<void> {
  const row = await caseForPoints(trx, event.aggregateId);
  if (!row?.reporter_user_id || !row.reporter_is_resident) return;
  if (event.type === 'case.reported') {
    await awardPoints(trx, { userId: row.reporter_user_id, amount: POINTS_AWARDS.report, reason: 'report', sourceId: row.id, regionPath: row.region_path });
  } else if (event.type === 'case.closed' && event.actorUserId === row.reporter_user_id && event.payload.passed === true) {
    // 确认已解决: the reporter themselves verified the fix
    await awardPoints(trx, { userId: row.reporter_user_id, amount: POINTS_AWARDS.verify_fix, reason: 'verify_fix', sourceId: row.id, regionPath: row.region_path });
  }
}

export function pointsSubscribers(): Subscriber[] {
  return [
    { name: 'points.cases', events: ['case.reported', 'case.closed'], handle: onCaseEvent },
    {
      name: 'points.votes',
      events: ['proposal.voted'],
      async handle(event, trx) {
        if (!event.actorUserId) return;
        await awardPoints(trx, { userId: event.actorUserId, amount: POINTS_AWARDS.vote, reason: 'vote', sourceId: event.aggregateId, regionPath: event.regionPath });
      },
    },
    {
      name: 'points.volunteering',
      events: ['volunteer.checked_out'],
      async handle(event, trx) {
        const { userId, hours, pointsPerHour } = event.payload as { userId: string; hours: number; pointsPerHour: number };
        await awardPoints(trx, { userId, amount: Math.round(hours * pointsPerHour), reason: 'volunteer', sourceId: event.aggregateId, regionPath: event.regionPath, note: `${hours} h` });
      },
    },
  ];
}
