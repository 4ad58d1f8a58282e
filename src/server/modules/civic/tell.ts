import type { Subscriber } from '../../platform/events.ts';
import { notify } from '../notifications/commands.ts';
import { noticeRecipients, proposalHeading, residentsIn } from './repository.ts';

/** Shanghai wall-clock time, as a resident reads a deadline: 2026-12-08 18:00. */
const shanghaiMinute = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

/**
 * Residents hear in their app's 消息 of what concerns them without looking for it: a notice
 * addressed to them when it starts, and a vote they may take part in when it opens.
 */
export function tellingSubscribers(): Subscriber[] {
  return [
    {
      name: 'civic.tell-notice',
      events: ['notice.announced'],
      handle: async (event, trx) => {
        if (!event.regionPath) return;
        const tags = Array.isArray(event.payload.tags) ? event.payload.tags.filter((t): t is string => typeof t === 'string') : [];
        const users = await noticeRecipients(trx, { regionPath: event.regionPath, tags });
        const params = { noticeId: event.aggregateId, title: event.payload.title, publisher: event.payload.publisher, link: `/m/notices/${event.aggregateId}` };
        await notify({ trx }, users.map((userId) => ({ userId, kind: 'notice_published', eventId: event.id, caseId: null, params })));
      },
    },
    {
      name: 'civic.tell-vote',
      events: ['proposal.vote_opened'],
      handle: async (event, trx) => {
        const proposal = await proposalHeading(trx, event.aggregateId);
        if (!proposal || typeof event.payload.closesAt !== 'string') return;
        const users = await residentsIn(trx, proposal.scopePath);
        const params = { proposalId: event.aggregateId, title: proposal.title, closesOn: shanghaiMinute(event.payload.closesAt), link: `/m/proposals/${event.aggregateId}` };
        await notify({ trx }, users.map((userId) => ({ userId, kind: 'vote_opened', eventId: event.id, caseId: null, params })));
      },
    },
  ];
}
