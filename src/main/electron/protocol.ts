/**
 * The app:// protocol: serves the built renderer (out/renderer, inside app.asar when packaged)
 * with the strict Content-Security-Policy header. The scheme is registered as privileged before
 * the app is ready (registerAppScheme), the handler after (handleAppProtocol).
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import {
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  isAppUrl,
  resolveRendererFile,
  responseHeaders,
} from './security';

/** Must run before app 'ready' (Electron only honours privileges registered then). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

function refuse(status: number): Response {
  return new Response(null, { status, headers: { 'x-content-type-options': 'nosniff' } });
}

export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    // Only the app's own pages (or the browser itself: the first load) may fetch its files.
    const initiator = (request as Request & { initiatorOrigin?: string }).initiatorOrigin;
    if (initiator !== undefined && !isAppUrl(initiator)) return refuse(403);
    const resolved = resolveRendererFile(rendererDir, request.url);
    if (!resolved.ok) return refuse(resolved.status);
    let body: Buffer;
    try {
      body = await readFile(resolved.file);
    } catch {
      return refuse(404);
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: responseHeaders(resolved.file),
    });
  });
}
