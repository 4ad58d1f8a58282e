import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/bootstrap.ts';
import { loadConfig } from '../../src/server/config.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PASSWORD = 'gongzhi-demo';

/**
 * How long a page may take to settle. Generous: the browser files run beside the rest of the suite
 * on two cores, and a server round trip under that load has taken over 15 s.
 */
export const PAGE_TIMEOUT_MS = 30_000;

/** Retries until the page settles (expect.poll's default of one second is short for a browser). */
export const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: PAGE_TIMEOUT_MS, interval: 100 });

/**
 * The real server in demo mode (accounts, not the demo month) on a fresh embedded database (port 0, its own data directory) and
 * Debian's Chromium, for one browser test file. Pages collect uncaught errors in `pageErrors`.
 */
export interface BrowserHarness {
  server: RunningServer;
  pageErrors: string[];
  /** A fresh browser profile (cookies, localStorage) on the server. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in the context, with the tests' timeout and error collection. */
  newPage(context: BrowserContext): Promise<Page>;
  close(): Promise<void>;
}

export async function startBrowserHarness(dataDirPrefix: string): Promise<BrowserHarness> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium fonts-noto-cjk, or set CHROMIUM_PATH`);
  const dataDir = mkdtempSync(join(tmpdir(), dataDirPrefix));
  // built once for the whole run by test/global-setup.ts
  const webDistDir = resolve('dist/web');
  const server = await startServer(
    loadConfig(
      { ...process.env },
      // Demo accounts without the demo month: its ~1,900 events would still be delivering on the embedded
      // database's one connection while the first pages load (the month has its own e2e test).
      { port: 0, host: '127.0.0.1', dataDir, demo: true, demoCases: false, databaseUrl: undefined, logLevel: 'warn', webDistDir, passwordHashCost: 12, loginRateLimitPerMinute: 1000 },
    ),
  );
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  return {
    server,
    pageErrors,
    async newContext(options = {}) {
      const context = await browser.newContext({ baseURL: server.url, locale: 'zh-CN', ...options });
      contexts.push(context);
      return context;
    },
    async newPage(context) {
      const page = await context.newPage();
      page.setDefaultTimeout(PAGE_TIMEOUT_MS);
      page.on('pageerror', (error) => pageErrors.push(error.message));
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the login page with the demo password. */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

/** The JSON API as a signed-in account (bearer token, signed in once per username), for arranging what a browser test needs. */
export function apiClient(baseUrl: () => string): <T>(username: string, method: string, path: string, body?: unknown, password?: string) => Promise<T> {
  const tokens = new Map<string, string>();
  return async <T>(username: string, method: string, path: string, body?: unknown, password = PASSWORD): Promise<T> => {
    let token = tokens.get(username);
    if (!token) {
      const response = await fetch(`${baseUrl()}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      expect(response.status).toBe(200);
      token = ((await response.json()) as { token: string }).token;
      tokens.set(username, token);
    }
    const response = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const payload: unknown = await response.json();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(payload)}`);
    return payload as T;
  };
}
