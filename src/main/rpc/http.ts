/**
 * The loopback HTTP transport: `POST /rpc` (JSON envelope, bearer session token) and, when a
 * built renderer is given, the UI's static files from the same origin. node:http only.
 * Binds 127.0.0.1 by default; checks the Host header (DNS rebinding) and the Origin of
 * cross-site requests, and caps the request size.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import path from 'node:path';
import { resolveLocale, t } from '../../shared/i18n';
import type { ErrorCode, RpcRequest, RpcResponse } from '../../shared/rpc';
import { MAX_IMPORT_BYTES } from '../../shared/schemas/import';

export interface HttpOptions {
  host?: string;
  port?: number;
  /** Folder with the built renderer (index.html); omitted: only /rpc is served. */
  staticDir?: string | null;
  /** Extra host names accepted in the Host header (for a LAN name later). */
  allowedHosts?: string[];
  maxBodyBytes?: number;
  /** Finished export files by job id (`GET /download/<jobId>`); omitted: no downloads. */
  downloads?: { download(jobId: string): { file: string; fileName: string } | null };
  /** Files sent for import (`POST /upload`, the bytes as the body); omitted: no uploads. */
  uploads?: {
    upload(token: string | undefined, fileName: string, bytes: Buffer, locale: string): Promise<RpcResponse>;
  };
}

export interface HttpServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const STATUS: Record<ErrorCode, number> = {
  BAD_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INSUFFICIENT_STOCK: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

type Dispatch = (request: RpcRequest, source: string) => Promise<RpcResponse>;

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

function refuse(res: ServerResponse, status: number, code: ErrorCode, message: string) {
  sendJson(res, status, { ok: false, error: { code, message } } satisfies RpcResponse);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge();
      else chunks.push(chunk);
    };
    // The rest of the body is read and dropped: closing (or destroying) the socket while the
    // client still sends resets the connection, and the client may never see the 413.
    const tooLarge = () => {
      req.off('data', onData);
      req.resume();
      resolve('too-large');
    };
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      tooLarge();
      return;
    }
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function fileSize(file: string): number | null {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
}

export async function startHttpServer(dispatch: Dispatch, options: HttpOptions = {}): Promise<HttpServer> {
  const host = options.host ?? '127.0.0.1';
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const staticDir =
    options.staticDir && existsSync(path.join(options.staticDir, 'index.html'))
      ? path.resolve(options.staticDir)
      : null;
  let acceptedHosts = new Set<string>();
  let acceptedOrigins = new Set<string>();

  const server = createServer(async (req, res) => {
    const locale = resolveLocale(req.headers['accept-language']?.split(',')[0]);
    try {
      if (!acceptedHosts.has((req.headers.host ?? '').toLowerCase())) {
        refuse(res, 421, 'FORBIDDEN', t(locale, 'rpc.badHost'));
        return;
      }
      const url = new URL(req.url ?? '/', 'http://local');
      let pathname: string;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        refuse(res, 400, 'BAD_INPUT', t(locale, 'rpc.badPath'));
        return;
      }
      if (pathname === '/rpc') {
        await handleRpc(req, res, url, locale);
        return;
      }
      const download = /^\/download\/([0-9a-f]{32})$/.exec(pathname);
      if (download && req.method === 'GET') {
        serveDownload(download[1]!, res, locale);
        return;
      }
      if (pathname === '/upload' && options.uploads) {
        await handleUpload(req, res, locale);
        return;
      }
      if (req.method === 'GET' || req.method === 'HEAD') {
        serveStatic(pathname, res);
        return;
      }
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } catch (error) {
      if (!res.headersSent) refuse(res, 500, 'INTERNAL', t(locale, 'error.INTERNAL'));
      console.error('http: unexpected error', error);
    }
  });

  /**
   * Whether a request may go on: a POST, and from no other site's page (a browser on another
   * site may not drive the API; the token is a header, but be strict). Otherwise it is answered.
   */
  function postFromHere(
    req: IncomingMessage,
    res: ServerResponse,
    locale: ReturnType<typeof resolveLocale>,
  ): boolean {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return false;
    }
    const origin = req.headers.origin;
    if (origin && !acceptedOrigins.has(origin.toLowerCase())) {
      refuse(res, 403, 'FORBIDDEN', t(locale, 'rpc.badOrigin'));
      return false;
    }
    return true;
  }

  async function handleRpc(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    locale: ReturnType<typeof resolveLocale>,
  ) {
    if (!postFromHere(req, res, locale)) return;
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      refuse(res, 415, 'BAD_INPUT', t(locale, 'rpc.badJson'));
      return;
    }
    const body = await readBody(req, limit);
    if (body === 'too-large') {
      refuse(res, 413, 'BAD_INPUT', t(locale, 'rpc.tooLarge', { limit }));
      return;
    }
    let envelope: {
      procedure?: unknown;
      input?: unknown;
      locale?: unknown;
      idempotencyKey?: unknown;
      background?: unknown;
    };
    try {
      envelope = JSON.parse(body.toString('utf8')) as typeof envelope;
      if (typeof envelope !== 'object' || envelope === null) throw new Error('not an object');
    } catch {
      refuse(res, 400, 'BAD_INPUT', t(locale, 'rpc.badJson'));
      return;
    }
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const response = await dispatch(
      {
        procedure:
          typeof envelope.procedure === 'string' ? envelope.procedure : (url.searchParams.get('p') ?? ''),
        input: envelope.input,
        token: bearer,
        locale: typeof envelope.locale === 'string' ? envelope.locale : locale,
        idempotencyKey: typeof envelope.idempotencyKey === 'string' ? envelope.idempotencyKey : undefined,
        background: envelope.background === true,
      },
      req.socket.remoteAddress ?? 'http',
    );
    sendJson(res, response.ok ? 200 : STATUS[response.error.code], response);
  }

  /**
   * A file for import, as the request's body (never base64 in JSON: the RPC cap is 1 MiB), with
   * its name URI-encoded in `x-file-name` and the session's bearer token; the same origin checks
   * as /rpc. The answer is the RPC envelope with the upload's id.
   */
  async function handleUpload(
    req: IncomingMessage,
    res: ServerResponse,
    locale: ReturnType<typeof resolveLocale>,
  ) {
    if (!postFromHere(req, res, locale)) return;
    const body = await readBody(req, MAX_IMPORT_BYTES);
    if (body === 'too-large') {
      refuse(res, 413, 'BAD_INPUT', t(locale, 'import.tooBig', { mb: MAX_IMPORT_BYTES / 1024 / 1024 }));
      return;
    }
    let fileName: string;
    try {
      fileName = decodeURIComponent(String(req.headers['x-file-name'] ?? ''));
    } catch {
      fileName = '';
    }
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const response = await options.uploads!.upload(bearer, fileName, body, locale);
    sendJson(res, response.ok ? 200 : STATUS[response.error.code], response);
  }

  /**
   * A finished export, streamed from disk. The job id is the capability: 128 random bits given
   * only to the user who started the export, valid until the file is swept.
   */
  function serveDownload(jobId: string, res: ServerResponse, locale: ReturnType<typeof resolveLocale>) {
    const found = options.downloads?.download(jobId);
    const size = found ? fileSize(found.file) : null;
    if (!found || size === null) {
      refuse(res, 404, 'NOT_FOUND', t(locale, 'export.jobNotFound'));
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(found.fileName)}`,
      'content-length': size,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    // The client may go away, the file may be swept: either way the stream is closed, never thrown.
    pipeline(createReadStream(found.file), res, () => undefined);
  }

  function serveStatic(pathname: string, res: ServerResponse) {
    if (!staticDir) {
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Relief Depot: only /rpc is served (no built UI).\n');
      return;
    }
    const relative = pathname.replace(/^\/+/, '');
    let file = path.resolve(staticDir, relative);
    if (!file.startsWith(staticDir + path.sep) && file !== staticDir) {
      res.writeHead(404).end();
      return;
    }
    // Client-side routes fall back to the app shell.
    if (!existsSync(file) || !statSync(file).isFile()) file = path.join(staticDir, 'index.html');
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': file.endsWith('index.html') ? 'no-cache' : 'max-age=31536000, immutable',
    });
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  acceptedHosts = new Set(
    [host, '127.0.0.1', 'localhost', ...(options.allowedHosts ?? [])].map((h) =>
      `${h}:${port}`.toLowerCase(),
    ),
  );
  acceptedOrigins = new Set([...acceptedHosts].map((h) => `http://${h}`));
  return {
    server,
    url: `http://${host}:${port}`,
    // Closing ends the connections still open (a browser's keep-alive, a poll in flight): a
    // shutdown never waits on a client.
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
