import { defineModule } from '../../platform/module.ts';
import { recipients } from '../notifications/repository.ts';
import { notify } from '../notifications/commands.ts';
import { runDueSchedules } from './commands.ts';
import { reportPermissions } from './policy.ts';
import { seedTemplate } from './repository.ts';
import { reportRoutes } from './routes.ts';
import { SHIPPED_TEMPLATES } from './templates.ts';

/**
 * Reports that write themselves (多表合一, issue #5 item 6): declarative templates over the ledger,
 * generated for any region in scope as the department's XLSX form or JSON, kept as runs, and
 * scheduled monthly with a push to the department's inbox and to webhooks.
 */
export const reportsModule = defineModule({
  name: 'reports',
  permissions: reportPermissions,
  routes: reportRoutes,
  seed: async (platform) => {
    for (const t of SHIPPED_TEMPLATES) await seedTemplate(platform.db, t);
  },
  subscribers: () => [
    {
      // the department's inbox: its handlers hear of the run and download it from the link
      name: 'reports.notify-department',
      events: ['report.published'],
      handle: async (event, trx) => {
        const departmentId = event.payload.departmentId;
        if (typeof departmentId !== 'string') return;
        const users = await recipients(trx, { roles: ['department_handler'], departmentIds: [departmentId] });
        const params = { name: event.payload.name, regionName: event.payload.regionName, rows: event.payload.rows, runId: event.payload.runId, downloadUrl: event.payload.downloadUrl };
        await notify({ trx }, users.map((userId) => ({ userId, kind: 'report_published', eventId: event.id, caseId: null, params })));
      },
    },
  ],
  jobs: (platform) => [{ name: 'reports.schedules', intervalMs: 60_000, run: (now) => runDueSchedules(platform, now) }],
});
