/**
 * Pins the desktop shell's security settings without Electron: security.ts, window-state.ts,
 * options.ts and menu.ts import no 'electron' at run time (eslint enforces it), so jest loads them
 * in plain Node. What they configure is applied by main.ts, window.ts, protocol.ts and ipc.ts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkDesktop, hasDisplay } from '../../src/main/electron-binary';
import { menuTemplate } from '../../src/main/electron/menu';
import { menuLocale, parseDesktopArgs } from '../../src/main/electron/options';
import {
  APP_SCHEME_PRIVILEGES,
  CONTENT_SECURITY_POLICY,
  isAllowedExternalUrl,
  isAppUrl,
  resolveRendererFile,
  responseHeaders,
  START_URL,
  toRpcRequest,
  WEB_PREFERENCES,
  webPreferences,
} from '../../src/main/electron/security';
import { initialWindowState, readWindowState, writeWindowState } from '../../src/main/electron/window-state';
import { CONTENT_SECURITY_POLICY as HTTP_CSP } from '../../src/main/rpc/http';

/** The policy's directives: { 'default-src': ["'self'"], … }. */
function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('BrowserWindow webPreferences', () => {
  test('isolate and sandbox the renderer, with no Node and no insecure content', () => {
    expect(WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    });
    expect(Object.isFrozen(WEB_PREFERENCES)).toBe(true);
  });

  test('load the bundled preload next to the main bundle', () => {
    expect(webPreferences(path.join('/opt', 'app', 'out', 'main')).preload).toBe(
      path.join('/opt', 'app', 'out', 'main', 'preload.cjs'),
    );
    expect(path.isAbsolute(WEB_PREFERENCES.preload)).toBe(true);
    expect(path.basename(WEB_PREFERENCES.preload)).toBe('preload.cjs');
  });
});

describe('Content-Security-Policy', () => {
  const csp = directives(CONTENT_SECURITY_POLICY);

  test('allows only the app itself: no eval, no inline or remote scripts, no plugins, no framing', () => {
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['connect-src']).toEqual(["'self'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['base-uri']).toEqual(["'none'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/\*|https?:|ws:|wss:/);
    for (const [name, sources] of Object.entries(csp)) {
      if (name !== 'style-src') expect(sources).not.toContain("'unsafe-inline'"); // antd's CSS-in-JS needs inline styles
    }
  });

  test('is the same policy the HTTP transport sends, and every app:// file carries it', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(HTTP_CSP);
    expect(responseHeaders('/r/index.html')).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    });
    expect(responseHeaders('/r/assets/index-abc.js')['content-type']).toBe('text/javascript; charset=utf-8');
  });
});

describe('app:// protocol', () => {
  test('is a standard, secure scheme that no other origin may read and that never bypasses the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({
      standard: true,
      secure: true,
      corsEnabled: false,
      bypassCSP: false,
      allowServiceWorkers: false,
    });
    expect(START_URL).toBe('app://relief-depot/index.html');
  });

  const root = path.resolve('/srv/renderer');
  test('serves files inside the renderer folder; / is index.html', () => {
    expect(resolveRendererFile(root, 'app://relief-depot/')).toEqual({
      ok: true,
      file: path.join(root, 'index.html'),
    });
    expect(resolveRendererFile(root, 'app://relief-depot/index.html?x=1#/stock')).toEqual({
      ok: true,
      file: path.join(root, 'index.html'),
    });
    expect(resolveRendererFile(root, 'app://relief-depot/assets/index-abc.js')).toEqual({
      ok: true,
      file: path.join(root, 'assets', 'index-abc.js'),
    });
    expect(resolveRendererFile(root, 'app://relief-depot/assets/%E5%9B%BE.png')).toEqual({
      ok: true,
      file: path.join(root, 'assets', '图.png'),
    });
  });

  test('refuses path traversal however it is spelled', () => {
    for (const url of [
      'app://relief-depot/..%2f..%2fetc%2fpasswd',
      'app://relief-depot/assets/..%2F..%2F..%2Fetc/passwd',
      'app://relief-depot/%2e%2e%2f%2e%2e%2fetc/passwd',
      'app://relief-depot/..%5c..%5cwindows%5cwin.ini',
    ]) {
      const resolved = resolveRendererFile(root, url, url.includes('%5c') ? path.win32 : path);
      expect(resolved.ok).toBe(false);
    }
    // Plain ../ is removed by URL parsing before it reaches us; it stays inside the root.
    const dotted = resolveRendererFile(root, 'app://relief-depot/../../etc/passwd');
    expect(dotted.ok && dotted.file.startsWith(root + path.sep)).toBe(true);
    const win = resolveRendererFile('C:\\app\\renderer', 'app://relief-depot/..%5c..%5cwin.ini', path.win32);
    expect(win).toEqual({ ok: false, status: 403 });
  });

  test('refuses other hosts and schemes, bad escapes and NUL bytes', () => {
    expect(resolveRendererFile(root, 'app://evil/index.html')).toEqual({ ok: false, status: 404 });
    expect(resolveRendererFile(root, 'file:///srv/renderer/index.html')).toEqual({ ok: false, status: 404 });
    expect(resolveRendererFile(root, 'app://relief-depot/%E0%A4%A')).toEqual({ ok: false, status: 400 });
    expect(resolveRendererFile(root, 'app://relief-depot/index.html%00.png')).toEqual({
      ok: false,
      status: 400,
    });
  });
});

describe('IPC and navigation', () => {
  test('only frames showing app://relief-depot may call rpc', () => {
    expect(isAppUrl('app://relief-depot/index.html#/stock')).toBe(true);
    for (const url of [
      'app://relief-depot.evil.com/index.html',
      'app://evil/index.html',
      'app://user@relief-depot/index.html',
      'http://127.0.0.1:4870/',
      'https://relief-depot/',
      'file:///srv/renderer/index.html',
      'about:blank',
      'devtools://devtools/bundled/index.html',
      '',
      undefined,
      null,
    ]) {
      expect([url, isAppUrl(url)]).toEqual([url, false]);
    }
  });

  test('external links open only over https', () => {
    expect(isAllowedExternalUrl('https://www.mem.gov.cn/')).toBe(true);
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://share/x',
      'https://u:p@example.com/',
      'not a url',
    ]) {
      expect([url, isAllowedExternalUrl(url)]).toEqual([url, false]);
    }
  });

  test('the rpc envelope keeps its known fields only, with their types', () => {
    expect(
      toRpcRequest({
        procedure: 'auth.me',
        input: { a: 1 },
        token: 't',
        locale: 'en',
        idempotencyKey: 'k',
        background: true,
        extra: 'x',
      }),
    ).toEqual({
      procedure: 'auth.me',
      input: { a: 1 },
      token: 't',
      locale: 'en',
      idempotencyKey: 'k',
      background: true,
    });
    expect(toRpcRequest({ procedure: 'auth.me', token: 42, background: 'yes' })).toEqual({
      procedure: 'auth.me',
      input: undefined,
      token: undefined,
      locale: undefined,
      idempotencyKey: undefined,
      background: false,
    });
    for (const bad of [null, 'auth.me', [], {}, { procedure: 1 }, { procedure: '' }])
      expect(toRpcRequest(bad)).toBeNull();
  });
});

describe('command line, menu and window', () => {
  test('reads --data, --lang and --serve among Electron’s own switches; HTTP only when asked', () => {
    expect(
      parseDesktopArgs([
        '--inspect=0',
        '--remote-debugging-port=0',
        'out/main/electron.cjs',
        '--data',
        '/tmp/d',
        '--lang=en',
      ]),
    ).toEqual({
      data: '/tmp/d',
      lang: 'en',
      serve: false,
      host: '127.0.0.1',
      port: undefined,
    });
    expect(parseDesktopArgs(['.', '--serve', '--port', '5000'])).toMatchObject({ serve: true, port: 5000 });
    expect(menuLocale(undefined, 'zh-CN')).toBe('zh-CN');
    expect(menuLocale(undefined, 'de-DE')).toBe('zh-CN');
    expect(menuLocale('en', 'zh-CN')).toBe('en');
  });

  test('the menu is 文件 / 编辑 / 视图 / 帮助 in Chinese, with an English variant', () => {
    const actions = { openDataFolder: () => undefined, about: () => undefined, devTools: false };
    const zh = menuTemplate('zh-CN', actions);
    expect(zh.map((m) => m.label)).toEqual(['文件(&F)', '编辑(&E)', '视图(&V)', '帮助(&H)']);
    const roles = zh.flatMap((m) =>
      Array.isArray(m.submenu) ? m.submenu.map((i) => i.role).filter(Boolean) : [],
    );
    expect(roles).toEqual([
      'quit',
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'selectAll',
      'reload',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ]);
    expect(menuTemplate('en', actions).map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
    expect(JSON.stringify(menuTemplate('zh-CN', { ...actions, devTools: true }))).toContain('toggleDevTools');
  });

  test('the window remembers its bounds, and comes back on screen', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'relief-depot-window-'));
    try {
      const file = path.join(dir, 'sub', 'window-state.json');
      expect(readWindowState(file)).toBeNull();
      writeWindowState(file, { x: 100, y: 50, width: 1400, height: 900 }, true);
      const saved = readWindowState(file);
      expect(saved).toEqual({ bounds: { x: 100, y: 50, width: 1400, height: 900 }, maximized: true });
      const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];
      expect(initialWindowState(saved, screen)).toEqual(saved);
      // Saved on a second monitor that is gone: default size, centred by the system.
      expect(
        initialWindowState(
          { bounds: { x: 2500, y: 100, width: 1366, height: 840 }, maximized: false },
          screen,
        ),
      ).toEqual({
        bounds: { width: 1366, height: 840 },
        maximized: false,
      });
      // A smaller screen (1366×728 work area): shrunk to fit, never below the minimum size.
      expect(initialWindowState(saved, [{ x: 0, y: 0, width: 1366, height: 728 }]).bounds).toEqual({
        x: 0,
        y: 0,
        width: 1366,
        height: 728,
      });
      expect(initialWindowState(null, [{ x: 0, y: 0, width: 1366, height: 728 }]).bounds).toEqual({
        width: 1366,
        height: 728,
      });
      writeFileSync(file, '{"x": "a"}');
      expect(readWindowState(file)).toBeNull();
      expect(readFileSync(file, 'utf8')).toBe('{"x": "a"}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('finding the Electron binary without loading the electron package', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'relief-depot-electron-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('missing package, missing binary, no display, or the binary', () => {
    const display = { DISPLAY: ':0' };
    expect(checkDesktop(null, display, 'linux')).toMatchObject({ ok: false, reason: 'no-electron-package' });
    expect(checkDesktop(dir, display, 'linux')).toMatchObject({ ok: false, reason: 'no-binary' });
    writeFileSync(path.join(dir, 'path.txt'), 'electron');
    expect(checkDesktop(dir, display, 'linux')).toMatchObject({ ok: false, reason: 'no-binary' });
    mkdirSync(path.join(dir, 'dist'));
    writeFileSync(path.join(dir, 'dist', 'electron'), '');
    expect(checkDesktop(dir, {}, 'linux')).toMatchObject({ ok: false, reason: 'no-display' });
    expect(checkDesktop(dir, { WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toEqual({
      ok: true,
      binary: path.join(dir, 'dist', 'electron'),
    });
    expect(checkDesktop(dir, {}, 'win32')).toEqual({ ok: true, binary: path.join(dir, 'dist', 'electron') });
    expect(hasDisplay({}, 'darwin')).toBe(true);
  });
});
