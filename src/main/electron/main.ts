/**
 * The desktop app's main process: a thin shell around the same core the CLI and the HTTP
 * transport use (createApp → dispatch). One instance per data folder (a second launch focuses the
 * first window); the UI comes from app:// (protocol.ts), talks over its IPC channels (ipc.ts,
 * preload.ts) and lives under the rules in window.ts and security.ts. The HTTP server starts only
 * with --serve. Bundled to out/main/electron.cjs (package.json "main").
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { app, dialog, Menu, session, shell, type BrowserWindow, type Session } from 'electron';
import { createApp, type App } from '../app';
import { storeConfig } from '../db/store';
import { resolveDataDir } from '../data-dir';
import type { HttpServer } from '../rpc/http';
import { startHttpOnFreePort } from '../serve';
import { ANCHOR_FILE } from '../services/anchors';
import { handleIpc } from './ipc';
import { menuTemplate } from './menu';
import { menuLocale, parseDesktopArgs, type MenuLocale } from './options';
import { handleAppProtocol, registerAppScheme } from './protocol';
import { createMainWindow, hardenWebContents } from './window';

/** out/main → out/renderer, also inside app.asar. */
const RENDERER_DIR = path.join(__dirname, '..', 'renderer');

const texts = {
  'zh-CN': {
    title: '应急物资储备管理',
    startFailed: '无法启动',
    startFailedDetail: (dir: string, e: string) => `无法打开数据目录 ${dir} 中的数据库：\n${e}`,
    about: '关于',
    aboutDetail: (v: string, dir: string) =>
      `版本 ${v}\n数据目录：${dir}\nElectron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node.js ${process.versions.node}`,
    ok: '确定',
    serving: (u: string) => `HTTP 服务已启动：${u}`,
  },
  en: {
    title: 'Relief Depot',
    startFailed: 'Cannot start',
    startFailedDetail: (dir: string, e: string) =>
      `Cannot open the database in the data folder ${dir}:\n${e}`,
    about: 'About',
    aboutDetail: (v: string, dir: string) =>
      `Version ${v}\nData folder: ${dir}\nElectron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node.js ${process.versions.node}`,
    ok: 'OK',
    serving: (u: string) => `HTTP server started: ${u}`,
  },
} satisfies Record<MenuLocale, unknown>;

/** No web permission (camera, notifications, geolocation …) is ever granted; no stray requests. */
function hardenSession(s: Session): void {
  s.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  s.setDevicePermissionHandler(() => false);
  // The UI is local: nothing in the window talks to the network (the CSP says so too).
  s.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] },
    (_details, callback) => callback({ cancel: true }),
  );
}

function main(): void {
  const options = parseDesktopArgs(process.argv.slice(1));
  const dataDir = resolveDataDir(options.data);

  // Everything this installation keeps lives in the data folder: the database, the window
  // state, and (in chromium/) Chromium's own files. The single-instance lock is per data folder.
  mkdirSync(dataDir, { recursive: true });
  app.setPath('userData', dataDir);
  app.setPath('sessionData', path.join(dataDir, 'chromium'));
  registerAppScheme();
  app.enableSandbox();

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  let core: App | null = null;
  let http: HttpServer | null = null;
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => app.quit());

  let shutDown = false;
  app.on('will-quit', (event) => {
    if (shutDown) return;
    event.preventDefault();
    const closing = Promise.allSettled([http?.close(), core?.close()]);
    void closing.then(() => {
      shutDown = true;
      app.quit();
    });
  });

  void app.whenReady().then(async () => {
    const locale = menuLocale(options.lang, app.getLocale());
    const say = texts[locale];
    try {
      core = await createApp({ store: storeConfig(dataDir), anchorFile: path.join(dataDir, ANCHOR_FILE) });
    } catch (error) {
      dialog.showErrorBox(
        say.startFailed,
        say.startFailedDetail(dataDir, error instanceof Error ? error.message : String(error)),
      );
      app.exit(1);
      return;
    }
    hardenSession(session.defaultSession);
    handleAppProtocol(RENDERER_DIR);
    handleIpc(core);

    const showAbout = () =>
      void dialog.showMessageBox({
        type: 'info',
        title: say.about,
        message: say.title,
        detail: say.aboutDetail(app.getVersion(), dataDir),
        buttons: [say.ok],
      });
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate(locale, {
          openDataFolder: () => void shell.openPath(dataDir),
          about: showAbout,
          devTools: !app.isPackaged,
        }),
      ),
    );

    mainWindow = createMainWindow({ dataDir, title: say.title });
    mainWindow.on('closed', () => (mainWindow = null));

    if (options.serve) {
      try {
        http = await startHttpOnFreePort(core.dispatch, {
          host: options.host,
          port: options.port,
          staticDir: RENDERER_DIR,
          downloads: core.exports,
          uploads: core,
        });
        console.log(say.serving(http.url));
      } catch (error) {
        console.error('--serve:', error);
      }
    }
  });
}

main();
