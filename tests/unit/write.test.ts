/**
 * The write wrapper (src/main/services/write.ts), on both stores: one transaction with the audit
 * record last, a bounded retry when another writer held the lock or won a serialization race,
 * and constraint failures as the typed errors a user can act on.
 */
import { sql } from 'kysely';
import { AppError } from '../../src/shared/rpc';
import type { Actor } from '../../src/main/services/context';
import { z } from 'zod';
import type { Trx } from '../../src/main/db/database';
import { write, type WriteTime } from '../../src/main/services/write';
import { countRows, createTestEnv, createWorld, snapshot, STORE, type TestEnv } from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;
let admin: Actor;
beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
  admin = { userId: w.admin.userId, username: 'admin1', displayName: 'admin 1', role: 'admin', depotIds: [] };
});
afterEach(() => env.close());

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('the write was not refused');
}

/** A driver error saying "try again", as each store reports it. */
const busy = () =>
  Object.assign(new Error('database is locked'), { code: STORE === 'postgres' ? '40001' : 'SQLITE_BUSY' });

test('commits the body and appends one audit record last, at the one time the clock was read', async () => {
  const audits = await countRows(env, 'auditLog');
  const result = await write(env.app.svc, admin, 'test.settings', async (trx, at) => {
    await trx.insertInto('settings').values({ key: 'k', value: 'v', updatedAt: at.iso }).execute();
    return { result: at.iso, audit: { entityType: 'settings', entityId: 'k', after: { value: 'v' } } };
  });
  expect(result).toBe('2026-11-30T02:00:00.000Z');
  const last = await env.app.db
    .selectFrom('auditLog')
    .selectAll()
    .orderBy('auditId', 'desc')
    .executeTakeFirstOrThrow();
  expect(last).toMatchObject({
    auditId: audits + 1,
    at: result,
    userId: w.admin.userId,
    action: 'test.settings',
    entityType: 'settings',
    entityId: 'k',
  });
  expect(
    await env.app.db.selectFrom('settings').select('updatedAt').where('key', '=', 'k').executeTakeFirst(),
  ).toEqual({ updatedAt: result });
});

test('a failing body leaves nothing behind: no rows, no audit record', async () => {
  const audits = await countRows(env, 'auditLog');
  const depots = await countRows(env, 'depots');
  const error = await refusal(
    write(env.app.svc, admin, 'test.fail', async (trx, at) => {
      await trx
        .insertInto('depots')
        .values({ code: 'X1', name: 'x', level: 'town', active: 1, createdAt: at.iso, updatedAt: at.iso })
        .execute();
      throw new AppError('BAD_INPUT', 'error.BAD_INPUT');
    }),
  );
  expect(error.code).toBe('BAD_INPUT');
  expect(await countRows(env, 'depots')).toBe(depots);
  expect(await countRows(env, 'auditLog')).toBe(audits);
});

test('a unique key is CONFLICT naming the field', async () => {
  const error = await refusal(
    write(env.app.svc, admin, 'test.dup', async (trx, at) => {
      await trx
        .insertInto('depots')
        .values({
          code: 'QD-SJ',
          name: 'again',
          level: 'town',
          active: 1,
          createdAt: at.iso,
          updatedAt: at.iso,
        })
        .execute();
      return { result: null, audit: { entityType: 'depot', entityId: null } };
    }),
  );
  expect(error).toMatchObject({
    code: 'CONFLICT',
    key: 'error.duplicate',
    fields: [{ path: 'code', key: 'error.duplicateValue' }],
  });
});

test('the stock CHECKs are INSUFFICIENT_STOCK, the plausibility bounds BAD_INPUT, a missing parent NOT_FOUND', async () => {
  await env.call(w.admin.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.tent.materialId, quantity: 5, lotNo: 'A' }],
  });
  const attempt = (statement: ReturnType<typeof sql>) =>
    refusal(
      write(env.app.svc, admin, 'test.check', async (trx) => ({
        result: await statement.execute(trx),
        audit: { entityType: 'x', entityId: null },
      })),
    );
  expect((await attempt(sql`update stock_levels set on_hand = on_hand - 6`)).code).toBe('INSUFFICIENT_STOCK');
  expect((await attempt(sql`update stock_levels set reserved = on_hand + 1`)).code).toBe(
    'INSUFFICIENT_STOCK',
  );
  expect((await attempt(sql`update batch_balances set on_hand = -1`)).code).toBe('INSUFFICIENT_STOCK');
  expect(await attempt(sql`update batch_balances set on_hand = 1000000000000`)).toMatchObject({
    code: 'BAD_INPUT',
    key: 'error.implausible',
  });
  expect(
    (await attempt(sql`insert into user_depots (user_id, depot_id) values (${w.keeper.userId}, 987654)`))
      .code,
  ).toBe('NOT_FOUND');
});

test('a lock or serialization conflict runs the whole write again, once committed', async () => {
  let runs = 0;
  const audits = await countRows(env, 'auditLog');
  const result = await write(env.app.svc, admin, 'test.retry', async (trx, at) => {
    runs += 1;
    await trx
      .insertInto('settings')
      .values({ key: `run${runs}`, value: 'v', updatedAt: at.iso })
      .execute();
    if (runs < 3) throw busy();
    return { result: runs, audit: { entityType: 'settings', entityId: null } };
  });
  expect(result).toBe(3);
  // The attempts that failed left nothing; the audit record is written once.
  expect(
    (await env.app.db.selectFrom('settings').select('key').where('key', 'like', 'run%').execute()).map(
      (r) => r.key,
    ),
  ).toEqual(['run3']);
  expect(await countRows(env, 'auditLog')).toBe(audits + 1);
});

test('a conflict that does not go away ends as CONFLICT ("busy, try again"), never INTERNAL', async () => {
  let runs = 0;
  const error = await refusal(
    write(env.app.svc, admin, 'test.busy', async () => {
      runs += 1;
      throw busy();
    }),
  );
  expect(error).toMatchObject({ code: 'CONFLICT', key: 'error.busy' });
  expect(runs).toBe(6);
});

test('a service can say what a clash on its unique column means; without that, the field is still named', async () => {
  const insertDepot = (code: string) =>
    write(
      env.app.svc,
      admin,
      'test.dup',
      async (trx, at) => {
        await trx
          .insertInto('depots')
          .values({ code, name: 'again', level: 'town', active: 1, createdAt: at.iso, updatedAt: at.iso })
          .execute();
        return { result: null, audit: { entityType: 'depot', entityId: null } };
      },
      {
        unique: {
          code: () =>
            new AppError('CONFLICT', 'depot.codeTaken', { code }, [
              { path: 'code', key: 'depot.codeTaken', params: { code } },
            ]),
        },
      },
    );
  expect(await refusal(insertDepot('QD-SJ'))).toMatchObject({
    code: 'CONFLICT',
    key: 'depot.codeTaken',
    params: { code: 'QD-SJ' },
  });
  const error = await env.fail(w.admin.token, 'depot.create', {
    code: 'QD-SN',
    name: 'x',
    level: 'district',
    parentId: w.city.depotId,
  });
  expect(error).toEqual({
    code: 'CONFLICT',
    message: expect.stringContaining('QD-SN'),
    fields: [expect.objectContaining({ path: 'code' })],
  });
});

test("a result the procedure's reply cannot carry rolls the write back instead of committing it", async () => {
  const before = await snapshot(env);
  const reply = { procedure: 'test.reply', schema: z.object({ onHand: z.number().max(10) }) };
  const body = async (trx: Trx, at: WriteTime) => {
    await trx.insertInto('settings').values({ key: 'k', value: 'v', updatedAt: at.iso }).execute();
    return { result: { onHand: 11 }, audit: { entityType: 'settings', entityId: 'k' } };
  };
  await expect(write({ ...env.app.svc, request: { reply } }, admin, 'test.reply', body)).rejects.toThrow(
    z.ZodError,
  );
  expect(await snapshot(env)).toEqual(before);
  // Another write in the same request (not the one the reply comes from) is not held to it.
  await write({ ...env.app.svc, request: { reply } }, admin, 'test.other', body);
});
