/**
 * Slows password guessing: after `maxLoginFailures` failed sign-ins for a user name within 15
 * minutes, that name is locked for a minute, doubling with each further failure up to 15
 * minutes. Kept in the database, so every server process counts the same failures.
 */
import type { ServiceContext } from './context';
import { transact } from './write';

const WINDOW_MS = 15 * 60_000;
const FIRST_LOCK_MS = 60_000;
const MAX_LOCK_MS = 15 * 60_000;

const keyOf = (username: string) => username.trim().toLowerCase();

/** Seconds until this name may try again, or 0. */
export async function retryAfterSeconds(ctx: ServiceContext, username: string, now: Date): Promise<number> {
  const row = await ctx.db
    .selectFrom('loginThrottle')
    .select('lockedUntil')
    .where('name', '=', keyOf(username))
    .executeTakeFirst();
  const until = row?.lockedUntil ? Date.parse(row.lockedUntil) : 0;
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

export async function recordFailure(ctx: ServiceContext, username: string, now: Date): Promise<void> {
  const name = keyOf(username);
  const at = now.toISOString();
  await transact(ctx, async (trx) => {
    await trx
      .insertInto('loginThrottle')
      .values({ name, failures: 0, windowStartedAt: at, lockedUntil: null, locks: 0 })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await ctx.dialect
      .forUpdate(trx.selectFrom('loginThrottle').selectAll().where('name', '=', name))
      .executeTakeFirstOrThrow();
    const fresh = now.getTime() - Date.parse(row.windowStartedAt) >= WINDOW_MS;
    const failures = fresh ? 1 : row.failures + 1;
    const lock = failures >= ctx.security.maxLoginFailures;
    await trx
      .updateTable('loginThrottle')
      .set({
        failures,
        windowStartedAt: fresh ? at : row.windowStartedAt,
        ...(lock
          ? {
              lockedUntil: new Date(
                now.getTime() + Math.min(FIRST_LOCK_MS * 2 ** row.locks, MAX_LOCK_MS),
              ).toISOString(),
              locks: row.locks + 1,
            }
          : {}),
      })
      .where('name', '=', name)
      .execute();
  });
}

export async function recordSuccess(ctx: ServiceContext, username: string): Promise<void> {
  await transact(ctx, (trx) => trx.deleteFrom('loginThrottle').where('name', '=', keyOf(username)).execute());
}
