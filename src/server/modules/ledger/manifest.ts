import { systemActor } from '../../platform/actor.ts';
import { defineModule } from '../../platform/module.ts';
import { failStalledImports } from './commands.ts';
import { seedDemoLedger } from './demo.ts';
import { linkagePermissions } from './linkage/policy.ts';
import { linkageRoutes, linkageSubscribers } from './linkage/routes.ts';
import { ledgerPermissions } from './policy.ts';
import { ledgerRoutes } from './routes.ts';
import { ledgerReviewPermissions } from './review/policy.ts';
import { ledgerReviewRoutes } from './review/routes.ts';

/**
 * The committee ledger (issue #5), foundation: persons, households and dwellings under their
 * committee, every value with its source and time under 一数一源, conflicts and history, the tag
 * dictionary, and imports of departments' spreadsheets. Record linkage, reports and the review
 * queues build on it.
 */
export const ledgerModule = defineModule({
  name: 'ledger',
  permissions: { ...ledgerPermissions, ...ledgerReviewPermissions, ...linkagePermissions },
  routes: async (app, platform) => {
    await ledgerRoutes(app, platform);
    await ledgerReviewRoutes(app, platform);
    await linkageRoutes(app, platform);
  },
  subscribers: linkageSubscribers,
  demoSeed: seedDemoLedger,
  jobs: (platform) => [
    { name: 'ledger.stalled-imports', intervalMs: 60_000, run: (now) => platform.transaction(systemActor('ledger.stalled-imports'), (ctx) => failStalledImports(ctx, now)) },
  ],
});
