/**
 * The renderer's only way to the core: `window.bridge` inside Electron (shared/bridge.ts),
 * `fetch` in a browser (`/rpc`, and `/upload` and `/download/<jobId>` for files). Typed by the contract; failures become an RpcFailure carrying the server's
 * code, message and field errors (already in the user's language).
 */
import type { InputOf, OutputOf, ProcedureName } from '../shared/api';
import type { DesktopBridge } from '../shared/bridge';
import { resolveLocale, t } from '../shared/i18n';
import { MAX_IMPORT_BYTES } from '../shared/schemas/import';
import type { ErrorCode, FieldError, RpcRequest, RpcResponse } from '../shared/rpc';

declare global {
  interface Window {
    bridge?: DesktopBridge;
  }
}

export class RpcFailure extends Error {
  constructor(
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'RpcFailure';
  }
}

interface ClientState {
  token: string | null;
  locale: string;
  onUnauthenticated: () => void;
}

const state: ClientState = { token: null, locale: 'zh-CN', onUnauthenticated: () => undefined };

export function configureClient(update: Partial<ClientState>): void {
  Object.assign(state, update);
}

const NETWORK_MESSAGE: Record<string, string> = {
  'zh-CN': '无法连接到服务，请检查程序是否在运行；您填写的内容已保留，可稍后重试',
  en: 'Cannot reach the service: check that the app is running. What you typed is kept; try again.',
};

const INTERNAL_MESSAGE: Record<string, string> = {
  'zh-CN': '服务返回了无法读取的数据，请重试；仍不行请联系管理员',
  en: 'The service sent data that cannot be read. Try again; if it persists, tell the administrator.',
};

/** A reply that arrived but cannot be used (a malformed page): shown like a server fault, in the user's language. */
export function unreadableReply(detail: unknown): RpcFailure {
  console.error('unreadable reply', detail);
  return new RpcFailure('INTERNAL', INTERNAL_MESSAGE[state.locale] ?? INTERNAL_MESSAGE['zh-CN']!);
}

async function send(request: RpcRequest): Promise<RpcResponse> {
  if (window.bridge) return window.bridge.rpc({ ...request, token: state.token ?? undefined });
  const response = await fetch('/rpc', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(state.token ? { authorization: `Bearer ${state.token}` } : {}),
    },
    body: JSON.stringify({
      procedure: request.procedure,
      input: request.input,
      locale: request.locale,
      idempotencyKey: request.idempotencyKey,
      background: request.background,
    }),
  });
  return (await response.json()) as RpcResponse;
}

/** A fresh key for one user action (one form submission): retries and double clicks reuse it. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export async function rpc<P extends ProcedureName>(
  procedure: P,
  input?: InputOf<P>,
  options: { idempotencyKey?: string; background?: boolean } = {},
): Promise<OutputOf<P>> {
  let response: RpcResponse;
  try {
    response = await send({
      procedure,
      input: input ?? {},
      locale: state.locale,
      idempotencyKey: options.idempotencyKey,
      background: options.background,
    });
  } catch {
    throw new RpcFailure('NETWORK', NETWORK_MESSAGE[state.locale] ?? NETWORK_MESSAGE['zh-CN']!);
  }
  if (response.ok) return response.result as OutputOf<P>;
  const { code, message, fields } = response.error;
  // A failed sign-in is not an ended session.
  if (code === 'UNAUTHENTICATED' && procedure !== 'auth.login') state.onUnauthenticated();
  throw new RpcFailure(code, message, fields ?? []);
}

/** A file transfer's envelope: its result, or its failure thrown like an rpc's. */
async function transfer<T>(send: () => Promise<RpcResponse>): Promise<T> {
  let response: RpcResponse;
  try {
    response = await send();
  } catch {
    throw new RpcFailure('NETWORK', NETWORK_MESSAGE[state.locale] ?? NETWORK_MESSAGE['zh-CN']!);
  }
  if (response.ok) return response.result as T;
  if (response.error.code === 'UNAUTHENTICATED') state.onUnauthenticated();
  throw new RpcFailure(response.error.code, response.error.message, response.error.fields ?? []);
}

/**
 * Sends a file for import: in a browser as the body of `POST /upload` (never inside a JSON
 * envelope: the RPC body cap is 1 MiB), in the desktop shell as its bytes over the bridge. The
 * answer is the upload's id, for `import.preview` and `import.commit`.
 */
export function uploadFile(file: File): Promise<{ uploadId: string; fileName: string; bytes: number }> {
  // Refused before a byte is read: the desktop would otherwise read the whole file into memory.
  if (file.size > MAX_IMPORT_BYTES) {
    const message = t(resolveLocale(state.locale), 'import.tooBig', { mb: MAX_IMPORT_BYTES / 1024 / 1024 });
    return Promise.reject(new RpcFailure('BAD_INPUT', message));
  }
  const { bridge } = window;
  if (bridge)
    return transfer(async () =>
      bridge.upload({
        token: state.token ?? undefined,
        locale: state.locale,
        fileName: file.name,
        bytes: await file.arrayBuffer(),
      }),
    );
  return transfer(async () => {
    const reply = await fetch('/upload', {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'x-file-name': encodeURIComponent(file.name),
        'accept-language': state.locale,
        ...(state.token ? { authorization: `Bearer ${state.token}` } : {}),
      },
      body: file,
    });
    return (await reply.json()) as RpcResponse;
  });
}

/**
 * Saves a finished export: the desktop shell asks where in its save dialog (`saved: false` when
 * the user dismisses it); a browser downloads `/download/<jobId>` to its downloads folder.
 */
export async function saveExport(job: {
  jobId: string;
  fileName: string;
}): Promise<{ saved: boolean; fileName?: string }> {
  const { bridge } = window;
  if (bridge) return transfer(() => bridge.saveExport({ jobId: job.jobId, locale: state.locale }));
  const link = document.createElement('a');
  link.href = `/download/${job.jobId}`;
  link.download = job.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  return { saved: true, fileName: job.fileName };
}
