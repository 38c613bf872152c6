/** Users, roles and keepers' depots (admin). Passwords are only ever stored as scrypt hashes. */
import type { z } from 'zod';
import { AppError } from '../../shared/rpc';
import type {
  UserDto,
  userCreateInput,
  userResetPasswordInput,
  userUpdateInput,
} from '../../shared/schemas/user';
import type { DbOrTrx, Trx, UserRow } from '../db/database';
import type { Dialect } from '../db/dialect';
import { prepared } from '../db/prepared';
import type { Actor, ServiceContext } from './context';
import { write } from './write';
import { requireDepot } from './guards';
import { hashPassword } from './password';

const depotsOfUser = prepared((db, p: { userId: number }) =>
  db.selectFrom('userDepots').select('depotId').where('userId', '=', p.userId).orderBy('depotId'),
);

/** A keeper's depots (asked on every request a keeper makes). */
export async function depotIdsOf(db: DbOrTrx, userId: number): Promise<number[]> {
  const rows = await depotsOfUser.all(db, { userId });
  return rows.map((r) => r.depotId);
}

async function toUserDto(db: DbOrTrx, row: UserRow): Promise<UserDto> {
  return {
    userId: row.userId,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    depotIds: row.role === 'keeper' ? await depotIdsOf(db, row.userId) : [],
    jurisdictionDepotId: row.role === 'coordinator' ? row.jurisdictionDepotId : null,
    active: row.active === 1,
    createdAt: row.createdAt,
  };
}

/** Without the hash: what the audit log may keep. */
function auditable(row: UserRow, depotIds: number[]) {
  const { passwordHash: _hash, ...rest } = row;
  return { ...rest, depotIds };
}

/** The user; `forUpdate` (in a write, PostgreSQL): locked, so a concurrent change cannot be written over with stale values. */
async function requireUser(db: DbOrTrx, userId: number, forUpdate?: Dialect): Promise<UserRow> {
  const query = db.selectFrom('users').selectAll().where('userId', '=', userId);
  const row = await (forUpdate ? forUpdate.forUpdate(query) : query).executeTakeFirst();
  if (!row) {
    const params = { id: String(userId) };
    throw new AppError('NOT_FOUND', 'user.notFound', params, [
      { path: 'userId', key: 'user.notFound', params },
    ]);
  }
  return row;
}

export async function getUser(db: DbOrTrx, userId: number): Promise<UserDto> {
  return toUserDto(db, await requireUser(db, userId));
}

export async function listUsers(ctx: ServiceContext): Promise<UserDto[]> {
  const rows = await ctx.db.selectFrom('users').selectAll().orderBy('username').execute();
  return Promise.all(rows.map((r) => toUserDto(ctx.db, r)));
}

async function setDepots(trx: Trx, userId: number, depotIds: number[]) {
  for (const [i, depotId] of depotIds.entries()) await requireDepot(trx, depotId, { path: `depotIds.${i}` });
  await trx.deleteFrom('userDepots').where('userId', '=', userId).execute();
  const unique = [...new Set(depotIds)];
  if (unique.length > 0)
    await trx
      .insertInto('userDepots')
      .values(unique.map((depotId) => ({ userId, depotId })))
      .execute();
}

function usernameTaken(username: string): AppError {
  const params = { username };
  return new AppError('CONFLICT', 'user.usernameTaken', params, [
    { path: 'username', key: 'user.usernameTaken', params },
  ]);
}

/**
 * Creates a user; `actor` is null only for the first administrator at set-up (and in seeders).
 * `firstOnly`: refused unless there are no users yet, checked inside the write, so two set-up
 * screens submitting at once cannot both create an administrator.
 */
export async function createUser(
  ctx: ServiceContext,
  actor: Actor | null,
  input: z.output<typeof userCreateInput>,
  options: { firstOnly?: boolean } = {},
): Promise<UserDto> {
  const passwordHash = await hashPassword(input.password, ctx.security.scryptN);
  return write(
    ctx,
    actor,
    'user.create',
    async (trx, { iso: at }) => {
      if (options.firstOnly) {
        // An empty table has no row to lock: take the writers' lock (the audit head) first instead.
        await ctx.dialect.lockAuditHead(trx);
        if (await trx.selectFrom('users').select('userId').limit(1).executeTakeFirst())
          throw new AppError('CONFLICT', 'setup.done');
      }
      const taken = await trx
        .selectFrom('users')
        .select('userId')
        .where('username', '=', input.username)
        .executeTakeFirst();
      if (taken) {
        throw usernameTaken(input.username);
      }
      const row = await trx
        .insertInto('users')
        .values({
          username: input.username,
          displayName: input.displayName,
          role: input.role,
          passwordHash,
          active: 1,
          createdAt: at,
          updatedAt: at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const depotIds = input.role === 'keeper' ? input.depotIds : [];
      await setDepots(trx, row.userId, depotIds);
      return {
        result: await toUserDto(trx, row),
        audit: { entityType: 'user', entityId: row.userId, after: auditable(row, depotIds) },
      };
    },
    { unique: { username: () => usernameTaken(input.username) } },
  );
}

/**
 * Refuses to leave the system without an active administrator: nobody could then manage users,
 * and set-up would refuse a new first one. Writers are serialised first (the audit head), so two
 * administrators demoting each other at once cannot both succeed.
 */
async function assertAnotherAdmin(
  trx: Trx,
  dialect: Dialect,
  userId: number,
  path: 'role' | 'active',
): Promise<void> {
  await dialect.lockAuditHead(trx);
  const other = await trx
    .selectFrom('users')
    .select('userId')
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .where('userId', '<>', userId)
    .limit(1)
    .executeTakeFirst();
  if (!other) throw new AppError('BAD_INPUT', 'user.lastAdmin', {}, [{ path, key: 'user.lastAdmin' }]);
}

export async function updateUser(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof userUpdateInput>,
): Promise<UserDto> {
  return write(ctx, actor, 'user.update', async (trx, { iso: at }) => {
    const before = await requireUser(trx, input.userId, ctx.dialect);
    const beforeDepots = await depotIdsOf(trx, input.userId);
    if (input.active === false && input.userId === actor.userId) {
      throw new AppError('BAD_INPUT', 'user.cannotDeactivateSelf', {}, [
        { path: 'active', key: 'user.cannotDeactivateSelf' },
      ]);
    }
    const role = input.role ?? before.role;
    const leavesAdmins =
      before.role === 'admin' && before.active === 1 && (role !== 'admin' || input.active === false);
    if (leavesAdmins)
      await assertAnotherAdmin(trx, ctx.dialect, before.userId, role !== 'admin' ? 'role' : 'active');
    const depotIds = role === 'keeper' ? (input.depotIds ?? beforeDepots) : [];
    if (role === 'keeper' && depotIds.length === 0) {
      throw new AppError('BAD_INPUT', 'validation.keeperNeedsDepot', {}, [
        { path: 'depotIds', key: 'validation.keeperNeedsDepot' },
      ]);
    }
    const jurisdictionDepotId =
      role !== 'coordinator'
        ? null
        : input.jurisdictionDepotId === undefined
          ? before.jurisdictionDepotId
          : input.jurisdictionDepotId;
    if (jurisdictionDepotId !== null) {
      const depot = await requireDepot(trx, jurisdictionDepotId, { path: 'jurisdictionDepotId' });
      if (depot.level !== 'district')
        throw new AppError('BAD_INPUT', 'user.jurisdictionDistrict', { depot: depot.name }, [
          { path: 'jurisdictionDepotId', key: 'user.jurisdictionDistrict', params: { depot: depot.name } },
        ]);
    }
    const row = await trx
      .updateTable('users')
      .set({
        ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
        role,
        jurisdictionDepotId,
        ...(input.active === undefined ? {} : { active: input.active ? 1 : 0 }),
        updatedAt: at,
      })
      .where('userId', '=', input.userId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await setDepots(trx, input.userId, depotIds);
    // A changed role or scope, or a deactivation, takes effect now: the user signs in again.
    if (
      role !== before.role ||
      input.active === false ||
      input.depotIds !== undefined ||
      jurisdictionDepotId !== before.jurisdictionDepotId
    ) {
      await trx.deleteFrom('sessions').where('userId', '=', input.userId).execute();
    }
    return {
      result: await toUserDto(trx, row),
      audit: {
        entityType: 'user',
        entityId: input.userId,
        before: auditable(before, beforeDepots),
        after: auditable(row, depotIds),
      },
    };
  });
}

/** `actor` is null when someone at the machine resets it (`relief-depot user reset-password`). */
export async function resetPassword(
  ctx: ServiceContext,
  actor: Actor | null,
  input: z.output<typeof userResetPasswordInput>,
) {
  const passwordHash = await hashPassword(input.newPassword, ctx.security.scryptN);
  return write(ctx, actor, 'user.resetPassword', async (trx, { iso: at }) => {
    await requireUser(trx, input.userId, ctx.dialect);
    await trx
      .updateTable('users')
      .set({ passwordHash, updatedAt: at })
      .where('userId', '=', input.userId)
      .execute();
    await trx.deleteFrom('sessions').where('userId', '=', input.userId).execute();
    return { result: { ok: true as const }, audit: { entityType: 'user', entityId: input.userId } };
  });
}
