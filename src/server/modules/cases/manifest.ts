import { defineModule } from '../../platform/module.ts';
import { seedDemoAutoDispatch } from './commands.ts';
import { duplicateRoutes } from './duplicates/routes.ts';
import { seedDemoCases } from './demo.ts';
import { caseNotifier } from './notify.ts';
import { photoPermissions } from './photos/policy.ts';
import { photoRoutes } from './photos/routes.ts';
import { PhotoStore } from './photos/storage.ts';
import { sweepOrphanPhotos } from './photos/sweep.ts';
import { casePermissions } from './policy.ts';
import { caseRoutes } from './routes.ts';
import { sweepDeadlines } from './timers.ts';

/** How often the deadline sweep looks for warnings, overdue cases and escalations that fell due. */
export const DEADLINE_SWEEP_INTERVAL_MS = 30_000;

export const casesModule = defineModule({
  name: 'cases',
  permissions: { ...casePermissions, ...photoPermissions },
  routes: async (app, platform) => {
    caseRoutes(app, platform);
    duplicateRoutes(app, platform);
    await photoRoutes(app, platform);
  },
  subscribers: (platform) => [caseNotifier(platform)],
  jobs: (platform) => [
    { name: 'cases.deadlines', intervalMs: DEADLINE_SWEEP_INTERVAL_MS, run: (now) => sweepDeadlines(platform, now) },
    { name: 'cases.photo-orphans', intervalMs: 60 * 60_000, run: (now) => sweepOrphanPhotos(platform.db, PhotoStore.of(platform.config), now) },
  ],
  // the auto-dispatch rules first: the demo month is reported under them
  demoSeed: async (platform) => {
    await seedDemoAutoDispatch(platform);
    await seedDemoCases(platform);
  },
});
