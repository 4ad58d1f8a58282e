import { defineModule } from '../../platform/module.ts';
import { categoryPermissions } from './policy.ts';
import { categoryRoutes } from './routes.ts';
import { seedCategories } from './seed.ts';

/**
 * The case category catalogue (案件分类目录): 部件 / 事件 / community matters with codes, default
 * responsible department kind, time limits per urgency and verification rule; versioned.
 * The case module reads it through `currentCategory` and `findCategoryVersion` (repository.ts).
 */
export const categoriesModule = defineModule({
  name: 'categories',
  permissions: categoryPermissions,
  routes: categoryRoutes,
  seed: seedCategories,
});
