/**
 * Each test gets its own server: a temp data folder, the app in-process, the HTTP transport on a
 * free loopback port serving the built renderer. `world` seeds the demo data set and signs in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { createApp, type App } from '../../src/main/app';
import { DEMO_ACCOUNTS, seedDemo } from '../../src/main/demo';
import { startHttpServer, type HttpServer } from '../../src/main/rpc/http';

export interface Server {
  app: App;
  http: HttpServer;
  url: string;
  dataDir: string;
}

export type DemoRole = 'admin' | 'coordinator' | 'keeper' | 'staff';

export const test = base.extend<{
  server: Server;
  /** A server whose store holds the demo data set. */
  demoServer: Server;
  /** Signs in as a demo account of that role on the demo server. */
  signIn: (role: DemoRole) => Promise<Page>;
}>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  server: async ({}, use) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'relief-depot-e2e-'));
    const app = await createApp({ dataDir, security: { scryptN: 2 ** 12 }, logError: () => undefined });
    const http = await startHttpServer(app.dispatch, { staticDir: path.resolve('out/renderer') });
    await use({ app, http, url: http.url, dataDir });
    await http.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  },
  demoServer: async ({ server }, use) => {
    await seedDemo(server.app);
    await use(server);
  },
  signIn: async ({ page, demoServer }, use) => {
    await use(async (role) => {
      const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
      await page.goto(demoServer.url);
      await page.getByLabel('用户名').fill(account.username);
      await page.getByLabel('密码').fill(account.password);
      await page.getByRole('button', { name: '登 录' }).or(page.getByRole('button', { name: '登录' })).click();
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
