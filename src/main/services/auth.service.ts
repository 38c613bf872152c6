/**
 * Sign-in and sessions. The token is 32 random bytes given to the client once; only its
 * SHA-256 is stored. A session ends after `sessionIdleMinutes` without a request.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { AppError } from '../../shared/rpc';
import type { changePasswordInput, loginInput, loginOutput } from '../../shared/schemas/user';
import { prepared } from '../db/prepared';
import type { Actor, ServiceContext } from './context';
import { loginSucceeded, takeLoginTurn } from './login-throttle';
import { hashPassword, verifyPassword } from './password';
import { depotIdsOf, getUser } from './user.service';
import { transact, write } from './write';

/** Don't write last-seen on every request: a minute's precision is plenty for an idle timeout. */
const TOUCH_AFTER_MS = 60_000;

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A hash to verify against when the user name is unknown, one per cost setting. */
const dummyHashes = new Map<number, Promise<string>>();

export async function login(
  ctx: ServiceContext,
  input: z.output<typeof loginInput>,
): Promise<z.output<typeof loginOutput>> {
  const username = input.username.trim();
  const turn = await takeLoginTurn(ctx, username, ctx.request?.source ?? 'local');

  const user = await ctx.db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', username)
    .where('active', '=', 1)
    .executeTakeFirst();
  // Unknown names cost the same time as wrong passwords, so timing does not reveal which it was.
  if (!dummyHashes.has(ctx.security.scryptN))
    dummyHashes.set(ctx.security.scryptN, hashPassword('not-a-password-1', ctx.security.scryptN));
  const valid = await verifyPassword(
    input.password,
    user?.passwordHash ?? (await dummyHashes.get(ctx.security.scryptN)!),
  );
  if (!user || !valid) throw new AppError('UNAUTHENTICATED', 'auth.loginFailed');
  await loginSucceeded(ctx, turn);

  const token = randomBytes(32).toString('base64url');
  const actor: Actor = {
    userId: user.userId,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    depotIds: [],
  };
  return write(ctx, actor, 'auth.login', async (trx, { instant, iso }) => {
    const expiresAt = new Date(instant.getTime() + ctx.security.sessionIdleMinutes * 60_000).toISOString();
    await trx
      .insertInto('sessions')
      .values({
        tokenHash: tokenHash(token),
        userId: user.userId,
        createdAt: iso,
        lastSeenAt: iso,
        expiresAt,
      })
      .execute();
    await trx.deleteFrom('sessions').where('expiresAt', '<', iso).execute();
    return {
      result: { token, expiresAt, user: await getUser(trx, user.userId) },
      audit: { entityType: 'session', entityId: user.userId },
    };
  });
}

const sessionUser = prepared((db, p: { hash: string }) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.userId', 's.userId')
    .select(['s.lastSeenAt', 's.expiresAt', 'u.userId', 'u.username', 'u.displayName', 'u.role', 'u.active'])
    .where('s.tokenHash', '=', p.hash),
);

/**
 * The user behind a token, or UNAUTHENTICATED when it is unknown, expired or the user is inactive.
 * `touch`: the request counts as activity and moves the idle expiry on.
 */
export async function resolveSession(
  ctx: ServiceContext,
  token: string | undefined,
  options: { touch: boolean } = { touch: true },
): Promise<Actor> {
  if (!token) throw new AppError('UNAUTHENTICATED', 'auth.sessionExpired');
  const now = ctx.clock.now();
  const hash = tokenHash(token);
  const row = await sessionUser.first(ctx.db, { hash });
  if (!row || row.active !== 1 || row.expiresAt <= now.toISOString()) {
    throw new AppError('UNAUTHENTICATED', 'auth.sessionExpired');
  }
  if (options.touch && now.getTime() - Date.parse(row.lastSeenAt) > TOUCH_AFTER_MS) {
    const expiresAt = new Date(now.getTime() + ctx.security.sessionIdleMinutes * 60_000).toISOString();
    await transact(ctx, (trx) =>
      trx
        .updateTable('sessions')
        .set({ lastSeenAt: now.toISOString(), expiresAt })
        .where('tokenHash', '=', hash)
        .execute(),
    );
  }
  const depotIds = row.role === 'keeper' ? await depotIdsOf(ctx.db, row.userId) : [];
  return {
    userId: row.userId,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    depotIds,
  };
}

export async function logout(ctx: ServiceContext, actor: Actor, token: string) {
  return write(ctx, actor, 'auth.logout', async (trx) => {
    await trx.deleteFrom('sessions').where('tokenHash', '=', tokenHash(token)).execute();
    return { result: { ok: true as const }, audit: { entityType: 'session', entityId: actor.userId } };
  });
}

export async function changePassword(
  ctx: ServiceContext,
  actor: Actor,
  token: string,
  input: z.output<typeof changePasswordInput>,
) {
  const user = await ctx.db
    .selectFrom('users')
    .select('passwordHash')
    .where('userId', '=', actor.userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError('BAD_INPUT', 'auth.wrongPassword', {}, [
      { path: 'currentPassword', key: 'auth.wrongPassword' },
    ]);
  }
  const passwordHash = await hashPassword(input.newPassword, ctx.security.scryptN);
  return write(ctx, actor, 'auth.changePassword', async (trx, { iso }) => {
    await trx
      .updateTable('users')
      .set({ passwordHash, updatedAt: iso })
      .where('userId', '=', actor.userId)
      .execute();
    // Other sessions end; this one stays signed in.
    await trx
      .deleteFrom('sessions')
      .where('userId', '=', actor.userId)
      .where('tokenHash', '<>', tokenHash(token))
      .execute();
    return { result: { ok: true as const }, audit: { entityType: 'user', entityId: actor.userId } };
  });
}
