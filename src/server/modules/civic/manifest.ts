import { defineModule } from '../../platform/module.ts';
import { announceDueNotices, closeDueVotes } from './commands.ts';
import { seedDemoCivic } from './demo.ts';
import { pointsSubscribers } from './points.ts';
import { civicPermissions } from './policy.ts';
import { civicRoutes } from './routes.ts';
import { tellingSubscribers } from './tell.ts';

/** How often the vote-closing job looks; the results appear at most this long after a window closes. */
export const VOTE_CLOSE_INTERVAL_MS = 60_000;
/** How often scheduled notices are looked for: they reach residents' 消息 at most this long after they start. */
export const NOTICE_ANNOUNCE_INTERVAL_MS = 60_000;

/**
 * Resident self-governance (issue #6 items 4–6, 浦东e家园): notices to residents by region and tag
 * with read receipts; proposals (居民议事) with discussion, supports, one vote per resident of the
 * affected committee or building, published results and accountability; hotspots of cases turned
 * into proposals; volunteers, tasks and hours; the append-only points ledger and rewards.
 */
export const civicModule = defineModule({
  name: 'civic',
  permissions: civicPermissions,
  routes: civicRoutes,
  subscribers: () => [...pointsSubscribers(), ...tellingSubscribers()],
  demoSeed: seedDemoCivic,
  jobs: (platform) => [
    { name: 'proposals.close-votes', intervalMs: VOTE_CLOSE_INTERVAL_MS, run: (now) => closeDueVotes(platform, now) },
    { name: 'notices.announce', intervalMs: NOTICE_ANNOUNCE_INTERVAL_MS, run: (now) => announceDueNotices(platform, now) },
  ],
});
