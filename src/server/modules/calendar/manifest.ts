import { systemActor } from '../../platform/actor.ts';
import { defineModule } from '../../platform/module.ts';
import { loadBundledSchedule } from './chinese-days.ts';
import { importBundledSchedule } from './commands.ts';
import { calendarPermissions } from './policy.ts';
import { calendarRoutes } from './routes.ts';

export const calendarModule = defineModule({
  name: 'calendar',
  permissions: calendarPermissions,
  routes: calendarRoutes,
  /** Holidays and 调休 of every year chinese-days covers that the database does not know yet. */
  async seed(platform) {
    const schedule = loadBundledSchedule();
    await platform.transaction(systemActor('seed'), (ctx) => importBundledSchedule(ctx, schedule));
  },
});
