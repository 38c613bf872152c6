/**
 * Finds the Electron binary for `relief-depot start` without loading the 'electron' package
 * (its index.js downloads the binary when it is missing: impossible offline). The npm package
 * writes path.txt (the executable's path inside dist/) once its install script has fetched
 * the binary; ELECTRON_OVERRIDE_DIST_PATH points at an unpacked Electron elsewhere, as the
 * package itself honours it. On Linux a window also needs a display (X11 or Wayland).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type DesktopCheck =
  | { ok: true; binary: string }
  | { ok: false; reason: 'no-electron-package' | 'no-binary' | 'no-display'; detail: string };

/** node_modules/electron, resolved like require('electron') would, without running it. */
export function electronPackageDir(): string | null {
  try {
    return path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

export function hasDisplay(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (platform === 'win32' || platform === 'darwin') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

export function checkDesktop(
  packageDir: string | null = electronPackageDir(),
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): DesktopCheck {
  if (!packageDir) return { ok: false, reason: 'no-electron-package', detail: 'node_modules/electron' };
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  let binary: string | null = null;
  if (override)
    binary = path.join(override, relative || (platform === 'win32' ? 'electron.exe' : 'electron'));
  else if (relative) binary = path.join(packageDir, 'dist', relative);
  if (!binary || !existsSync(binary)) return { ok: false, reason: 'no-binary', detail: binary ?? pathFile };
  if (!hasDisplay(env, platform))
    return { ok: false, reason: 'no-display', detail: 'DISPLAY / WAYLAND_DISPLAY' };
  return { ok: true, binary };
}
