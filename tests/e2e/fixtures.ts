/**
 * Each test gets its own server: a temp data folder, the app in-process, the HTTP transport on a
 * free loopback port serving the built renderer. `world` seeds the demo data set and signs in.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { createApp, type App } from '../../src/main/app';
import { DATABASE_FILE, storeConfig } from '../../src/main/db/store';
import { DEMO_ACCOUNTS, seedDemo } from '../../src/main/demo';
import { startHttpServer, type HttpServer } from '../../src/main/rpc/http';

export interface Server {
  app: App;
  http: HttpServer;
  url: string;
  dataDir: string;
}

export type DemoRole = 'admin' | 'coordinator' | 'keeper' | 'staff';

async function startServer(dataDir: string): Promise<Server> {
  const app = await createApp({
    store: storeConfig(dataDir, undefined),
    security: { scryptN: 2 ** 12 },
    logError: () => undefined,
  });
  const http = await startHttpServer(app.dispatch, {
    staticDir: path.resolve('out/renderer'),
    downloads: app.exports,
    uploads: app,
  });
  return { app, http, url: http.url, dataDir };
}

async function stopServer(server: Server): Promise<void> {
  await server.http.close();
  await server.app.close();
  rmSync(server.dataDir, { recursive: true, force: true });
}

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'relief-depot-e2e-'));

export const test = base.extend<
  {
    server: Server;
    /** A server whose store holds the demo data set (a copy of the worker's template). */
    demoServer: Server;
    /** Signs in as a demo account of that role on the demo server. */
    signIn: (role: DemoRole) => Promise<Page>;
  },
  { demoTemplate: string }
>({
  // The demo data set is built once per worker and copied for each test: seeding takes seconds.
  demoTemplate: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
    async ({}, use) => {
      const dir = tempDir();
      const app = await createApp({
        store: storeConfig(dir, undefined),
        security: { scryptN: 2 ** 12 },
        logError: () => undefined,
      });
      await seedDemo(app);
      await app.close();
      await use(path.join(dir, DATABASE_FILE));
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 180_000 },
  ],
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  server: async ({}, use) => {
    const server = await startServer(tempDir());
    await use(server);
    await stopServer(server);
  },
  demoServer: async ({ demoTemplate }, use) => {
    const dataDir = tempDir();
    copyFileSync(demoTemplate, path.join(dataDir, DATABASE_FILE));
    const server = await startServer(dataDir);
    await use(server);
    await stopServer(server);
  },
  signIn: async ({ page, demoServer }, use) => {
    await use(async (role) => {
      const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
      await page.goto(demoServer.url);
      await page.getByLabel('用户名').fill(account.username);
      await page.getByLabel('密码').fill(account.password);
      await page.getByRole('button', { name: /登\s?录/ }).click();
      await expect(page.getByTestId('current-user')).toBeVisible();
      return page;
    });
  },
});

export { expect };

/** Saves a full-page screenshot as a test artifact (test-results/screens/NAME.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join('test-results', 'screens', `${name}.png`), fullPage: true });
}
