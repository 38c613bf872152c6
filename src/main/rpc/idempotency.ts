/**
 * Replays instead of repeating: a request carrying an idempotency key that was already seen
 * (from the same session, within ten minutes) gets the first request's response, even while
 * the first is still running. So a double-clicked submit posts once. Only successes are kept:
 * a refused write changed nothing (one transaction), so the corrected retry runs anew. In
 * memory: the desktop app is one process, and a key only has to outlive a retry, not a restart.
 */
import type { RpcResponse } from '../../shared/rpc';

const TTL_MS = 10 * 60_000;

interface Entry {
  at: number;
  response: Promise<RpcResponse>;
}

export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();

  run(scope: string, key: string, now: number, execute: () => Promise<RpcResponse>): Promise<RpcResponse> {
    for (const [k, e] of this.entries) {
      if (now - e.at > TTL_MS) this.entries.delete(k);
      else break; // insertion order: the rest are newer
    }
    const id = `${scope}\u0000${key}`;
    const seen = this.entries.get(id);
    if (seen) return seen.response;
    const response = execute().then((r) => {
      if (!r.ok) this.entries.delete(id);
      return r;
    });
    this.entries.set(id, { at: now, response });
    return response;
  }
}
