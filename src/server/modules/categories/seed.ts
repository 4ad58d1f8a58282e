import { systemActor } from '../../platform/actor.ts';
import type { Platform } from '../../platform/platform.ts';
import { importCatalogue } from './commands.ts';
import { DEFAULT_CATALOGUE } from './default-catalogue.ts';

/** Loads the default catalogue: adds the categories that are missing, leaves the others alone. */
export async function seedCategories(platform: Platform): Promise<void> {
  await platform.transaction(systemActor('seed'), (ctx) => importCatalogue(ctx, DEFAULT_CATALOGUE));
}
