/**
 * The main window and the rules every web page in the app lives under: no navigation away from
 * app://, no new windows, no <webview>, external https links to the system browser.
 * The security settings themselves are plain constants in security.ts (re-exported here) so a
 * unit test can pin them without Electron.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, screen, shell, type WebContents } from 'electron';
import { isAllowedExternalUrl, isAppUrl, START_URL, WEB_PREFERENCES, WINDOW_MIN_SIZE } from './security';
import { initialWindowState, readWindowState, WINDOW_STATE_FILE, writeWindowState } from './window-state';

export { CONTENT_SECURITY_POLICY, WEB_PREFERENCES } from './security';

function openExternally(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
}

/** Applied to every WebContents the app creates (main.ts: app 'web-contents-created'). */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return; // a reload or a link inside the app itself
    event.preventDefault();
    openExternally(url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
}

/**
 * The window's own icon, on Linux only (Windows and macOS show the executable's). Packaged, it is
 * resources/icon.png (electron-builder.yml linux.extraResources); run from the repo, the
 * build/icons/ file it is copied from (__dirname is out/main). None if the file is missing.
 */
function linuxWindowIcon(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const file = app.isPackaged
    ? path.join(process.resourcesPath, 'icon.png')
    : path.join(__dirname, '..', '..', 'build', 'icons', '256x256.png');
  return existsSync(file) ? file : undefined;
}

export interface MainWindowOptions {
  dataDir: string;
  title: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const stateFile = path.join(options.dataDir, WINDOW_STATE_FILE);
  const state = initialWindowState(
    readWindowState(stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const icon = linuxWindowIcon();
  const win = new BrowserWindow({
    ...state.bounds,
    ...(icon ? { icon } : {}),
    minWidth: WINDOW_MIN_SIZE.width,
    minHeight: WINDOW_MIN_SIZE.height,
    title: options.title,
    show: false,
    backgroundColor: '#f5f5f5',
    webPreferences: { ...WEB_PREFERENCES },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    if (!win.isDestroyed() && !win.isMinimized() && !win.isFullScreen()) {
      writeWindowState(stateFile, win.getNormalBounds(), win.isMaximized());
    }
  };
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 1000);
  };
  win.on('resize', saveSoon);
  win.on('move', saveSoon);
  win.on('maximize', saveSoon);
  win.on('unmaximize', saveSoon);
  win.on('close', save);

  void win.loadURL(START_URL);
  return win;
}
