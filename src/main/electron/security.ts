/**
 * The desktop shell's security settings, as plain data and pure functions. This module imports
 * no 'electron' at run time (type imports only; eslint enforces it), so jest can pin every value
 * (tests/unit/electron-security.test.ts) without the Electron binary.
 */
import path from 'node:path';
import type { CustomScheme, WebPreferences } from 'electron';
import type { SaveExportRequest, UploadRequest } from '../../shared/bridge';
import type { RpcRequest } from '../../shared/rpc';
import { CONTENT_SECURITY_POLICY } from '../rpc/http';

/** The same strict policy as the HTTP transport: one UI, one policy. */
export { CONTENT_SECURITY_POLICY };

/** The UI is served from app://relief-depot/… (protocol.ts), never from file:// or http://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'relief-depot';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const START_URL = `${APP_ORIGIN}/index.html`;

/**
 * Standard (relative URLs, an origin of its own, storage) and secure (a secure context, like
 * https). Not corsEnabled: no other origin may read it. Never bypassCSP, no service workers.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: false,
  bypassCSP: false,
  allowServiceWorkers: false,
  stream: false,
  codeCache: true,
} as const satisfies NonNullable<CustomScheme['privileges']>;

/** The preload bundle, next to the main bundle in out/main (scripts/build-main.mjs). */
export const PRELOAD_FILE = 'preload.cjs';

/** webPreferences for a window whose main bundle lives in `mainDir`. */
export function webPreferences(mainDir: string) {
  return Object.freeze({
    preload: path.join(mainDir, PRELOAD_FILE),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    enableWebSQL: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  } as const satisfies WebPreferences);
}

/**
 * The main window's webPreferences. In the bundle (out/main/electron.cjs) __dirname is out/main,
 * so the preload is out/main/preload.cjs.
 */
export const WEB_PREFERENCES = webPreferences(__dirname);

/** Window size: fits a 1366×768 workstation, never smaller than the layout needs. */
export const WINDOW_DEFAULT_SIZE = { width: 1366, height: 840 } as const;
export const WINDOW_MIN_SIZE = { width: 1100, height: 700 } as const;

function parseUrl(url: string | null | undefined): URL | null {
  if (!url) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether a URL belongs to the app (app://relief-depot/…). Compares scheme and host: Node's
 * URL gives every non-special scheme the origin "null", so `origin` cannot be compared.
 */
export function isAppUrl(url: string | null | undefined): boolean {
  const u = parseUrl(url);
  return (
    u !== null &&
    u.protocol === `${APP_SCHEME}:` &&
    u.host === APP_HOST &&
    u.username === '' &&
    u.password === ''
  );
}

/** Links that may leave the app go to the system browser, and only over https. */
export function isAllowedExternalUrl(url: string | null | undefined): boolean {
  const u = parseUrl(url);
  return u !== null && u.protocol === 'https:' && u.hostname !== '' && u.username === '' && u.password === '';
}

/**
 * What crosses the IPC boundary is untrusted: keep the envelope's known fields, with their types,
 * and nothing else (the same fields the HTTP transport accepts). null: not an envelope at all.
 */
export function toRpcRequest(value: unknown): RpcRequest | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.procedure !== 'string' || v.procedure.length === 0 || v.procedure.length > 100) return null;
  return {
    procedure: v.procedure,
    input: v.input,
    token: typeof v.token === 'string' ? v.token : undefined,
    locale: typeof v.locale === 'string' ? v.locale : undefined,
    idempotencyKey: typeof v.idempotencyKey === 'string' ? v.idempotencyKey : undefined,
    background: v.background === true,
  };
}

/** A finished export to save: its job id (the capability `/download/<jobId>` also takes). */
export function toSaveExportRequest(value: unknown): SaveExportRequest | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.jobId !== 'string' || !/^[0-9a-f]{32}$/.test(v.jobId)) return null;
  return { jobId: v.jobId, locale: typeof v.locale === 'string' ? v.locale : undefined };
}

/** A file chosen for import: its name and bytes (an ArrayBuffer or a typed array), as a Buffer. */
export function toUploadRequest(value: unknown): (Omit<UploadRequest, 'bytes'> & { bytes: Buffer }) | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.fileName !== 'string' || v.fileName.length > 1000) return null;
  let bytes: Buffer;
  // Compared by tag, not instanceof: what arrives over IPC may come from another realm.
  if (Object.prototype.toString.call(v.bytes) === '[object ArrayBuffer]')
    bytes = Buffer.from(v.bytes as ArrayBuffer);
  else if (ArrayBuffer.isView(v.bytes))
    bytes = Buffer.from(v.bytes.buffer, v.bytes.byteOffset, v.bytes.byteLength);
  else return null;
  return {
    token: typeof v.token === 'string' ? v.token : undefined,
    locale: typeof v.locale === 'string' ? v.locale : undefined,
    fileName: v.fileName,
    bytes,
  };
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers for every file the app:// protocol serves. */
export function responseHeaders(file: string): Record<string, string> {
  return {
    'content-type': contentType(file),
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'no-cache',
  };
}

export type ResolvedFile = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404 };

/**
 * Maps an app:// URL to a file inside `rootDir` (the built renderer). Refuses other schemes and
 * hosts (404), undecodable paths and NUL bytes (400), and anything that resolves outside the
 * root, however it is spelled (`..`, `%2e%2e`, `..%2f`, backslashes) (403). `/` is index.html.
 */
export function resolveRendererFile(
  rootDir: string,
  requestUrl: string,
  pathImpl: typeof path = path,
): ResolvedFile {
  const url = parseUrl(requestUrl);
  if (!url || !isAppUrl(requestUrl)) return { ok: false, status: 404 };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  if (pathname.includes('\0')) return { ok: false, status: 400 };
  let relative = pathname.replace(/^[/\\]+/, '');
  if (relative === '' || relative.endsWith('/')) relative += 'index.html';
  const root = pathImpl.resolve(rootDir);
  const file = pathImpl.resolve(root, relative);
  if (!file.startsWith(root + pathImpl.sep)) return { ok: false, status: 403 };
  return { ok: true, file };
}
