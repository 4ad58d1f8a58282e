import { systemActor } from '../../platform/actor.ts';
import { defineModule } from '../../platform/module.ts';
import { importRegionTree, loadRegionTreeFile } from './commands.ts';
import { regionPermissions } from './policy.ts';
import { regionRoutes } from './routes.ts';

export const regionsModule = defineModule({
  name: 'regions',
  permissions: regionPermissions,
  routes: regionRoutes,
  async seed(platform) {
    const tree = loadRegionTreeFile();
    if (tree.district.code !== platform.config.rootRegionCode) {
      throw new Error(`GONGZHI_ROOT_REGION=${platform.config.rootRegionCode} but the bundled region tree is ${tree.district.code}`);
    }
    await platform.transaction(systemActor('seed'), (ctx) => importRegionTree(ctx, tree));
  },
});
