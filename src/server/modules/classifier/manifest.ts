import { defineModule } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { classifierPermissions } from './policy.ts';
import { classifierRoutes } from './routes.ts';
import { ClassifierService } from './service.ts';

/** One model per process and per platform (tests build several apps in one process). */
const services = new WeakMap<Platform, ClassifierService>();
export function serviceOf(platform: Platform): ClassifierService {
  let service = services.get(platform);
  if (!service) {
    service = new ClassifierService(platform.db);
    services.set(platform, service);
  }
  return service;
}

/**
 * Category suggestions from a report's text (issue #3, smart routing): jieba segmentation and a
 * naive Bayes classifier trained on the seed corpus, the catalogue's names and keywords, and every
 * category a dispatcher confirmed or corrected. The case module calls `addExample` (commands.ts).
 */
export const classifierModule = defineModule({
  name: 'classifier',
  permissions: classifierPermissions,
  routes: (app, platform) => classifierRoutes(serviceOf(platform))(app, platform),
  subscribers: (platform) => [
    {
      // Another instance stored an example: learn it (idempotent on the example id).
      name: 'classifier.learn-examples',
      events: ['classifier.example_added'],
      handle: async (_event, trx) => serviceOf(platform).catchUp(trx),
    },
    {
      // Names or keywords changed, or categories were added: rebuild on the next suggestion.
      name: 'classifier.catalogue-changed',
      events: ['category.created', 'category.changed', 'category.imported'],
      handle: async () => serviceOf(platform).invalidate(),
    },
  ],
});
