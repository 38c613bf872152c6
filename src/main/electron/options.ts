/**
 * The desktop app's command line (no electron import: unit-tested in plain Node).
 *   --data DIR          data folder (else RELIEF_DEPOT_DATA, else the user data folder)
 *   --lang zh-CN|en     menu and dialog language (else the system's; Chinese by default)
 *   --serve             also serve the HTTP transport (off unless asked)
 *   --host H --port P   where --serve listens (127.0.0.1, 4870 or the next free port)
 * Electron and Chromium add switches of their own (--inspect=0, --no-sandbox …) and the app path
 * may come first or last, so unknown arguments are ignored rather than refused.
 */
import { parseArgs } from 'node:util';

export interface DesktopOptions {
  data: string | undefined;
  lang: string | undefined;
  serve: boolean;
  host: string;
  /** undefined: 4870 or the next free port. */
  port: number | undefined;
}

export function parseDesktopArgs(argv: readonly string[]): DesktopOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: false,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      lang: { type: 'string' },
      serve: { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
    },
  });
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const port = str(values.port);
  return {
    data: str(values.data),
    lang: str(values.lang),
    serve: values.serve === true,
    host: str(values.host) ?? '127.0.0.1',
    port: port !== undefined && /^\d{1,5}$/.test(port) ? Number(port) : undefined,
  };
}

export type MenuLocale = 'zh-CN' | 'en';

/** English only when asked for (or the system is English); Chinese otherwise. */
export function menuLocale(requested: string | undefined, systemLocale: string): MenuLocale {
  return (requested ?? systemLocale).toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}
