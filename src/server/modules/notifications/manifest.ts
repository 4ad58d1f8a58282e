import { defineModule } from '../../platform/module.ts';
import { notificationPermissions } from './policy.ts';
import { notificationRoutes } from './routes.ts';

/**
 * The in-app notification centre (issue #3 item 8). Other modules decide who hears about what and
 * call `notify` from their event subscribers (see cases/notify.ts); this module keeps the inboxes.
 */
export const notificationsModule = defineModule({
  name: 'notifications',
  permissions: notificationPermissions,
  routes: notificationRoutes,
});
