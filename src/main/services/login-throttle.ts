/**
 * Slows password guessing by turns, never by locking a name: every sign-in attempt takes its
 * turn before its password is checked, counted as a failure in advance (refunded when it
 * succeeds), in one transaction, so parallel guesses queue behind each other in every server
 * process. Three throttles:
 * - the user name, across sources: after 3 failures each further guess waits 1, 2, 4 s, then
 *   7 s: under 10 checked guesses a minute, however many are sent at once;
 * - the source address, across names: after 10 failures up to 2 s apart (about 30 a minute),
 *   against one address trying many names;
 * - the pair: a source that has not failed at this name lately (the owner at their own
 *   desk) skips the name's queue, so an attacker elsewhere cannot keep the owner out.
 * An attempt whose turn is more than 10 s away is refused (RATE_LIMITED, try again in n s)
 * without being checked or counted. Failures are forgotten after a quarter of an hour without one.
 */
import { AppError } from '../../shared/rpc';
import type { ExpressionBuilder } from 'kysely';
import type { Database, Trx } from '../db/database';
import type { ServiceContext } from './context';
import { transact } from './write';

const FORGET_MS = 15 * 60_000;
const MAX_WAIT_MS = 10_000;

interface Policy {
  /** Failures before guesses start to wait. */
  free: number;
  firstDelayMs: number;
  steadyDelayMs: number;
}
const NAME: Policy = { free: 3, firstDelayMs: 1000, steadyDelayMs: 7000 };
const SOURCE: Policy = { free: 10, firstDelayMs: 250, steadyDelayMs: 2000 };

const delayAfter = (policy: Policy, failures: number) =>
  failures < policy.free
    ? 0
    : Math.min(policy.firstDelayMs * 2 ** (failures - policy.free), policy.steadyDelayMs);

const nameKey = (username: string) => username.trim().toLowerCase();

type Scope = 'name' | 'source' | 'pair';
interface Throttle {
  scope: Scope;
  name: string;
  source: string;
}

const isThrottle = (t: Throttle) => (eb: ExpressionBuilder<Database, 'loginTurns'>) =>
  eb.and({ scope: t.scope, name: t.name, source: t.source });

/** An attempt that has its turn: settle it with the outcome once the password is checked. */
export interface LoginTurn {
  throttles: Throttle[];
}

async function lockedRow(trx: Trx, ctx: ServiceContext, t: Throttle, at: string) {
  await trx
    .insertInto('loginTurns')
    .values({ ...t, failures: 0, lastFailureAt: at, nextAt: at })
    .onConflict((oc) => oc.columns(['scope', 'name', 'source']).doNothing())
    .execute();
  return ctx.dialect
    .forUpdate(
      trx.selectFrom('loginTurns').select(['failures', 'lastFailureAt', 'nextAt']).where(isThrottle(t)),
    )
    .executeTakeFirstOrThrow();
}

/**
 * Waits for this attempt's turn (at most 10 s) and counts it. RATE_LIMITED when the turn is
 * further away than that.
 */
export async function takeLoginTurn(
  ctx: ServiceContext,
  username: string,
  source: string,
): Promise<LoginTurn> {
  const name = nameKey(username);
  const byName: Throttle = { scope: 'name', name, source: '' };
  const pair: Throttle = { scope: 'pair', name, source };
  const bySource: Throttle = { scope: 'source', name: '', source };
  const turnAt = await transact(ctx, async (trx, { instant, iso }) => {
    const now = instant.getTime();
    await trx
      .deleteFrom('loginTurns')
      .where('lastFailureAt', '<', new Date(now - FORGET_MS).toISOString())
      .execute();
    // Always locked in this order, so two attempts never wait for each other crosswise.
    const nameRow = await lockedRow(trx, ctx, byName, iso);
    const pairRow = await lockedRow(trx, ctx, pair, iso);
    const sourceRow = await lockedRow(trx, ctx, bySource, iso);
    const queues: [Throttle, { failures: number; nextAt: string }, Policy][] = [
      [bySource, sourceRow, SOURCE],
    ];
    if (pairRow.failures > 0) queues.push([byName, nameRow, NAME]);
    const turn = Math.max(now, ...queues.map(([, row]) => Date.parse(row.nextAt)));
    if (turn - now > MAX_WAIT_MS)
      throw new AppError('RATE_LIMITED', 'auth.throttled', {
        seconds: Math.ceil((turn - now - MAX_WAIT_MS) / 1000),
      });
    const update = (t: Throttle) => trx.updateTable('loginTurns').where(isThrottle(t));
    for (const [t, row] of [
      [byName, nameRow],
      [pair, pairRow],
      [bySource, sourceRow],
    ] as const) {
      await update(t)
        .set({ failures: row.failures + 1, lastFailureAt: iso })
        .execute();
    }
    for (const [t, row, policy] of queues) {
      const nextAt = new Date(turn + delayAfter(policy, row.failures + 1)).toISOString();
      await update(t).set({ nextAt }).execute();
    }
    return turn;
  });
  const wait = turnAt - ctx.clock.now().getTime();
  if (wait > 0) await ctx.clock.sleep(wait);
  return { throttles: [byName, pair, bySource] };
}

/**
 * A correct password refunds the attempt's advance count and clears the pair; the name's and
 * the source's queues stay as they are, so an attacker who also holds one valid account cannot
 * reset them by signing in to it between guesses.
 */
export async function loginSucceeded(ctx: ServiceContext, turn: LoginTurn): Promise<void> {
  await transact(ctx, async (trx, { iso }) => {
    for (const t of turn.throttles) {
      const row = trx.updateTable('loginTurns').where(isThrottle(t));
      if (t.scope === 'pair') await row.set({ failures: 0 }).execute();
      else
        await row
          .set((eb) => ({ failures: eb('failures', '-', 1) }))
          .where('failures', '>', 0)
          .execute();
      // Nothing left to remember (a plain sign-in): no row stays behind.
      await trx
        .deleteFrom('loginTurns')
        .where(isThrottle(t))
        .where('failures', '=', 0)
        .where('nextAt', '<=', iso)
        .execute();
    }
  });
}

/** For an administrator at the machine (password reset): the name starts afresh everywhere. */
export async function forgetLoginFailures(ctx: ServiceContext, username: string): Promise<void> {
  await transact(ctx, (trx) => trx.deleteFrom('loginTurns').where('name', '=', nameKey(username)).execute());
}
