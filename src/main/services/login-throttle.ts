/**
 * Slows password guessing by turns, never by locking a name: every sign-in attempt takes its
 * turn before its password is checked, counted as a failure in advance (refunded when it
 * succeeds), in one transaction, so parallel guesses queue behind each other in every server
 * process. Two queues, and a right of way:
 * - the user name, across sources: after 3 failures each further guess waits 1, 2, 4 s, then
 *   7 s: under 10 checked guesses a minute, from however many addresses;
 * - the source address, across names: after 10 failures up to 2 s apart (about 30 a minute),
 *   against one address trying many names;
 * - a source that signed in to this name within 30 days (the owner at their own desk) skips both
 *   queues for its next 3 failures (typos), so guessing elsewhere, or from the same address,
 *   cannot keep the owner out there.
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

/** A source's right of way for a name after signing in to it. */
const TRUST_MS = 30 * 24 * 60 * 60_000;
/** Failures a trusted source may make before it queues like any other. */
const TRUSTED_TYPOS = 3;

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

/**
 * The throttle's row, created if need be and locked until the transaction ends. An upsert, so
 * a row another attempt's clean-up deletes meanwhile is simply made again (no read-then-miss).
 */
async function lockedRow(trx: Trx, t: Throttle, at: string) {
  return trx
    .insertInto('loginTurns')
    .values({ ...t, failures: 0, lastFailureAt: at, nextAt: at, trustedUntil: null })
    .onConflict((oc) =>
      oc.columns(['scope', 'name', 'source']).doUpdateSet((eb) => ({ scope: eb.ref('excluded.scope') })),
    )
    .returning(['failures', 'lastFailureAt', 'nextAt', 'trustedUntil'])
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
    const forgotten = new Date(now - FORGET_MS).toISOString();
    await trx
      .deleteFrom('loginTurns')
      .where('lastFailureAt', '<', forgotten)
      .where((eb) => eb.or([eb('trustedUntil', 'is', null), eb('trustedUntil', '<', iso)]))
      .execute();
    await trx
      .updateTable('loginTurns')
      .set({ failures: 0 })
      .where('lastFailureAt', '<', forgotten)
      .where('failures', '>', 0)
      .execute();
    // Always locked in this order, so two attempts never wait for each other crosswise.
    const nameRow = await lockedRow(trx, byName, iso);
    const pairRow = await lockedRow(trx, pair, iso);
    const sourceRow = await lockedRow(trx, bySource, iso);
    const trusted =
      pairRow.trustedUntil !== null && pairRow.trustedUntil > iso && pairRow.failures < TRUSTED_TYPOS;
    const queues: [Throttle, { failures: number; nextAt: string }, Policy][] = trusted
      ? []
      : [
          [bySource, sourceRow, SOURCE],
          [byName, nameRow, NAME],
        ];
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
 * A correct password refunds the attempt's advance count and gives its source a right of way to
 * the name; the name's and the source's queues stay as they are, so an attacker who also holds
 * one valid account cannot reset them by signing in to it between guesses.
 */
export async function loginSucceeded(ctx: ServiceContext, turn: LoginTurn): Promise<void> {
  await transact(ctx, async (trx, { instant, iso }) => {
    for (const t of turn.throttles) {
      const row = trx.updateTable('loginTurns').where(isThrottle(t));
      if (t.scope === 'pair')
        await row
          .set({ failures: 0, trustedUntil: new Date(instant.getTime() + TRUST_MS).toISOString() })
          .execute();
      else
        await row
          .set((eb) => ({ failures: eb('failures', '-', 1) }))
          .where('failures', '>', 0)
          .execute();
      // Nothing left to remember of the queues (a plain sign-in): no row stays behind.
      if (t.scope !== 'pair')
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
