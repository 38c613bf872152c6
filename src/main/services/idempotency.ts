/**
 * Replays instead of repeating: a request carrying an idempotency key already used by the same
 * session within ten minutes gets the first request's response, not a second write. So a
 * double-clicked submit, or a retry after a lost reply, posts once. The key is claimed inside
 * the first write's own transaction (so exactly one of two racing requests claims it, in any
 * server process) and the response is stored when the request completes. Only successes are
 * kept: a refused write rolls its claim back with everything else, and the corrected retry runs anew.
 * Only writes claim keys (a keyed read stores nothing), a key used again for a different request
 * is refused, and replies past 256 KiB are not kept (the repeat hears "already submitted").
 */
import { AppError } from '../../shared/rpc';
import type { Trx } from '../db/database';
import type { ServiceContext } from './context';
import { transact, type WriteTime } from './write';

const TTL_MS = 10 * 60_000;
/** The response column while the first request is still finishing. */
const PENDING = '';
/** The response column when the reply was too large to keep: a repeat hears "already submitted". */
const NOT_KEPT = '-';
/**
 * Replies are kept up to this size: all but the largest documents (500 lines with long lot
 * numbers pass it; their repeat hears "already submitted" and still posts nothing twice).
 */
const MAX_REPLY_CHARS = 256 * 1024;

export interface RequestKey {
  /** The session's token hash (or '' before sign-in). */
  scope: string;
  key: string;
  procedure: string;
  /** SHA-256 of the procedure and its validated input: a repeat must ask for the same thing. */
  requestHash: string;
  /** Set once a write of this request has committed its claim. */
  claimed: boolean;
}

/** Thrown inside a write whose key was claimed before: dispatch answers with the first response. */
export class Replay extends Error {
  constructor(readonly key: RequestKey) {
    super('idempotent replay');
  }
}

export async function claimIdempotencyKey(ctx: ServiceContext, trx: Trx, at: WriteTime): Promise<void> {
  const k = ctx.request?.idempotency;
  if (!k || k.claimed) return;
  await trx
    .deleteFrom('idempotencyKeys')
    .where('createdAt', '<', new Date(at.instant.getTime() - TTL_MS).toISOString())
    .execute();
  const claim = () =>
    trx
      .insertInto('idempotencyKeys')
      .values({
        scope: k.scope,
        key: k.key,
        procedure: k.procedure,
        requestHash: k.requestHash,
        responseJson: PENDING,
        createdAt: at.iso,
      })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
  const firstUse = () =>
    trx
      .selectFrom('idempotencyKeys')
      .select(['procedure', 'requestHash'])
      .where('scope', '=', k.scope)
      .where('key', '=', k.key)
      .executeTakeFirst();
  if (await claim()) return;
  let first = await firstUse();
  // Gone between the two statements (another request pruned it as expired): claim it now.
  if (!first) {
    if (await claim()) return;
    first = await firstUse();
  }
  // The same key for another request is a client's mistake, not a repeat: neither replay nor write.
  if (first && first.requestHash !== k.requestHash)
    throw new AppError('CONFLICT', 'error.keyReused', { procedure: first.procedure });
  throw new Replay(k);
}

const keptReply = (json: string) => (json.length > MAX_REPLY_CHARS ? NOT_KEPT : json);

export async function storeResponse(ctx: ServiceContext, k: RequestKey, response: unknown): Promise<void> {
  await transact(ctx, (trx) =>
    trx
      .updateTable('idempotencyKeys')
      .set({ responseJson: keptReply(JSON.stringify(response)) })
      .where('scope', '=', k.scope)
      .where('key', '=', k.key)
      .execute(),
  );
}

/**
 * The first request's response; while it is still finishing elsewhere, waits a little for it.
 * Null when there is none to give (the first one ended without storing it).
 */
export async function replayedResponse(ctx: ServiceContext, k: RequestKey): Promise<unknown | null> {
  for (let i = 0; i < 50; i += 1) {
    const row = await ctx.db
      .selectFrom('idempotencyKeys')
      .select('responseJson')
      .where('scope', '=', k.scope)
      .where('key', '=', k.key)
      .executeTakeFirst();
    if (row?.responseJson === NOT_KEPT) return null;
    if (row && row.responseJson !== PENDING) return JSON.parse(row.responseJson) as unknown;
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  return null;
}
