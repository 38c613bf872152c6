/**
 * Where the database lives: `--data DIR`, else RELIEF_DEPOT_DATA, else the user's data folder
 * (the same one the desktop app uses): %APPDATA%\relief-depot on Windows,
 * ~/Library/Application Support/relief-depot on macOS, $XDG_CONFIG_HOME or ~/.config on Linux.
 */
import os from 'node:os';
import path from 'node:path';

export const APP_FOLDER = 'relief-depot';

export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', APP_FOLDER);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), APP_FOLDER);
}

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(flag ?? env.RELIEF_DEPOT_DATA ?? userDataDir(env));
}
