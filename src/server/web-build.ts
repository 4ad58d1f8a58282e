import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
type Vite = typeof import('vite'); // eslint-disable-line @typescript-eslint/consistent-type-imports -- optional dev dependency, loaded lazily

/** Newest modification time of any file under the given roots. */
function newestMtime(roots: string[]): number {
  let newest = 0;
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  roots.forEach(walk);
  return newest;
}

/**
 * Builds the web console with Vite when its bundle is missing or older than its sources, so that
 * `npm start` on a fresh checkout serves the UI without a separate build step.
 */
export async function ensureWebBuild(outDir: string): Promise<void> {
  const index = join(outDir, 'index.html');
  const sources = ['src/web', 'src/shared', 'index.html', 'vite.config.ts'].map((p) => resolve(p));
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(sources)) return;
  let vite: Vite;
  try {
    vite = await import('vite');
  } catch {
    console.warn('web console not built and Vite is not installed (npm ci without --omit=dev builds it)');
    return;
  }
  const started = Date.now();
  console.log('building the web console…');
  await vite.build({ configFile: resolve('vite.config.ts'), logLevel: 'warn', build: { outDir } });
  console.log(`web console built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
