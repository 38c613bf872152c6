/**
 * Desktop smoke test: the real Electron app on a temp data folder, driven by Playwright's
 * _electron. Runs where the Electron binary exists (and, on Linux, a display); skipped, saying
 * why, elsewhere. It never triggers a download: the binary is found from
 * node_modules/electron/path.txt (src/main/electron-binary.ts) and passed as executablePath, so
 * Playwright never requires the 'electron' package. The renderer is built by global-setup.ts;
 * the main bundle (out/main/electron.cjs, preload.cjs) here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron, expect, test, type ElectronApplication } from '@playwright/test';
import { checkDesktop } from '../../src/main/electron-binary';

const root = path.resolve(__dirname, '..', '..');
const desktop = checkDesktop();
const skipReason = desktop.ok
  ? ''
  : desktop.reason === 'no-display'
    ? 'No display for an Electron window (DISPLAY/WAYLAND_DISPLAY unset)'
    : 'Electron binary not installed (offline machine)';

function electronEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
  return env;
}

test.describe('desktop app (Electron)', () => {
  test.skip(!desktop.ok, skipReason);

  let dataDir: string;
  let app: ElectronApplication | undefined;

  test.beforeAll(() => {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build-main.mjs')], {
      cwd: root,
      stdio: 'inherit',
    });
  });
  test.beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'relief-depot-electron-'));
  });
  test.afterEach(async () => {
    await app?.close();
    app = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('opens one secure window on app:// with the first-run screen, and one instance per data folder', async () => {
    if (!desktop.ok) return;
    app = await _electron.launch({
      executablePath: desktop.binary,
      args: [root, '--data', dataDir, '--lang', 'zh-CN'],
      cwd: root,
      env: electronEnv(),
      timeout: 60_000,
    });
    const page = await app.firstWindow();
    await expect(page).toHaveTitle('应急物资储备管理');
    expect(page.url()).toMatch(/^app:\/\/relief-depot\//);

    // Empty database: the UI offers to create the administrator or load the demo data.
    await expect(page.getByText('创建管理员账号')).toBeVisible();
    await expect(page.getByRole('button', { name: '载入演示数据' })).toBeVisible();

    // The page sees exactly the bridge's three functions and no Node; the bridge reaches dispatch.
    const world = await page.evaluate(() => ({
      bridge: Object.keys(window.bridge ?? {}),
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
    }));
    expect(world).toEqual({
      bridge: ['rpc', 'saveExport', 'upload'],
      require: 'undefined',
      process: 'undefined',
    });
    const status = await page.evaluate(() => window.bridge!.rpc({ procedure: 'setup.status', input: {} }));
    expect(status).toMatchObject({ ok: true, result: { needsSetup: true } });

    // app:// files carry the strict CSP; eval is refused.
    const csp = await page.evaluate(async () =>
      (await fetch('/index.html')).headers.get('content-security-policy'),
    );
    expect(csp).toContain("default-src 'self'");
    expect(
      await page.evaluate(() => {
        try {
          return (0, eval)('1 + 1') as number;
        } catch {
          return 'blocked';
        }
      }),
    ).toBe('blocked');

    // The window as window.ts made it (its webPreferences are pinned by the unit test).
    const made = await app.evaluate(({ BrowserWindow }) => {
      const w = BrowserWindow.getAllWindows()[0]!;
      return { min: w.getMinimumSize(), width: w.getBounds().width };
    });
    expect(made.min).toEqual([1100, 700]);
    expect(made.width).toBeGreaterThanOrEqual(1100);

    // New windows and navigation away from the app are denied.
    await page.evaluate(() => void window.open('about:blank'));
    await page.evaluate(() => void (window.location.href = 'data:text/html,<p>away</p>'));
    await page.waitForTimeout(500);
    expect(app.windows()).toHaveLength(1);
    expect(page.url()).toMatch(/^app:\/\/relief-depot\//);

    // A second launch on the same data folder hands over to the first and exits.
    const second = spawnSync(desktop.binary, [root, '--data', dataDir], {
      env: electronEnv(),
      timeout: 30_000,
    });
    expect(second.status).toBe(0);
    expect(app.windows()).toHaveLength(1);
  });
});
