/**
 * The wire envelope shared by every transport (Electron IPC and HTTP) and the typed errors.
 * Everything here is JSON-safe: ISO strings and integers only.
 */
import type { MessageKey } from './i18n';

export const ERROR_CODES = [
  'BAD_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INSUFFICIENT_STOCK',
  'RATE_LIMITED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type MessageParams = Record<string, string | number>;

/** One problem with one input field; `path` is dotted (`lines.0.quantity`). */
export interface FieldError {
  path: string;
  /** The field as the user knows it: 第 1 行 · 数量. */
  label: string;
  /** The problem, without the label: 必须大于 0. */
  message: string;
}

export interface RpcRequest {
  procedure: string;
  input?: unknown;
  /** Session token; HTTP sends it as a bearer header instead. */
  token?: string;
  locale?: string;
  /** Same key again (same session) → the first response, not a second write. */
  idempotencyKey?: string;
  /** Sent by a screen refreshing itself, not by the user: it does not keep an idle session alive. */
  background?: boolean;
}

export interface RpcError {
  code: ErrorCode;
  message: string;
  fields?: FieldError[];
}

export type RpcResponse<T = unknown> = { ok: true; result: T } | { ok: false; error: RpcError };

/** A field problem before translation: the message is an i18n key with its parameters. */
export interface FieldIssue {
  path: string;
  key: MessageKey;
  params?: MessageParams;
}

/**
 * An expected failure. Services throw it with a message key; dispatch translates it into the
 * caller's language. Anything else thrown becomes INTERNAL and is logged, never shown.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly key: MessageKey,
    readonly params: MessageParams = {},
    readonly fields: FieldIssue[] = [],
  ) {
    super(`${code}: ${key} ${JSON.stringify(params)}`);
    this.name = 'AppError';
  }
}
