import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

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

/** True when the console's bundle is missing or older than its sources. */
export function webBuildNeeded(outDir: string): boolean {
  const index = join(outDir, 'index.html');
  const sources = ['src/web', 'src/shared', 'index.html', 'vite.config.ts'].map((p) => resolve(p));
  if (!existsSync(resolve('index.html'))) return false; // an installed package without sources
  return !existsSync(index) || statSync(index).mtimeMs < newestMtime(sources);
}

function viteBin(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return join(resolve(require.resolve('vite/package.json'), '..'), 'bin', 'vite.js');
  } catch {
    return undefined;
  }
}

/**
 * Builds the web console with Vite in a child process (so a server in this process keeps
 * answering while it builds). Resolves when the bundle is in place.
 */
export function buildWeb(outDir: string): Promise<void> {
  const bin = viteBin();
  if (!bin) return Promise.reject(new Error('Vite is not installed: run `npm ci` (with dev dependencies) to build the web console'));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`vite build exited with ${code}`))));
  });
}

/** Builds the console if needed and waits for it (tests, `npm run build`). */
export async function ensureWebBuild(outDir: string): Promise<void> {
  if (webBuildNeeded(outDir)) await buildWeb(outDir);
}
