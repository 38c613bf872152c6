/** The audit log: every write appends one record to a hash chain; tampering is detected. */
import { sql } from 'kysely';
import { auditHash } from '../../src/main/services/audit.service';
import { verifyCoverage } from '../../src/main/services/ledger-seal';
import {
  countRows,
  createTestEnv,
  createWorld,
  failsCleanly,
  PASSWORD,
  tableRows,
  type TestEnv,
} from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;

beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
});
afterEach(() => env.close());

function auditCount(): Promise<number> {
  return countRows(env, 'auditLog');
}

function lastAudit() {
  return env.app.db
    .selectFrom('auditLog')
    .selectAll()
    .orderBy('auditId', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
}

test('every write appends exactly one record naming the action, the user and the entity', async () => {
  const { admin, keeper } = w;
  const d = w.city.depotId;
  let stocktakeId = 0;
  let lineId = 0;
  const fresh = { token: '', userId: keeper.userId }; // signed in again after the reset below
  // [who, procedure, input (evaluated when run), entity id]
  const writes: [{ token: string; userId: number } | null, string, () => unknown, string | RegExp][] = [
    [admin, 'depot.create', () => ({ code: 'X', name: '新库', level: 'town', parentId: d }), /^\d+$/],
    [admin, 'depot.update', () => ({ depotId: w.laoshan.depotId, phone: '110' }), String(w.laoshan.depotId)],
    [admin, 'material.create', () => ({ code: 'M9', name: '手电', unit: '只', topClass: 2 }), /^\d+$/],
    [
      admin,
      'material.update',
      () => ({ materialId: w.tent.materialId, warningDays: 60 }),
      String(w.tent.materialId),
    ],
    [
      admin,
      'quota.set',
      () => ({ depotId: d, materialId: w.tent.materialId, quantity: 5 }),
      `${d}:${w.tent.materialId}`,
    ],
    [
      admin,
      'user.create',
      () => ({ username: 'zhao', displayName: '赵', role: 'staff', password: 'Passw0rd!1' }),
      /^\d+$/,
    ],
    [admin, 'user.update', () => ({ userId: keeper.userId, displayName: '钱' }), String(keeper.userId)],
    [
      admin,
      'user.resetPassword',
      () => ({ userId: keeper.userId, newPassword: PASSWORD }),
      String(keeper.userId),
    ],
    [null, 'auth.login', () => ({ username: 'keeper2', password: PASSWORD }), String(keeper.userId)],
    [
      admin,
      'stock.receive',
      () => ({
        depotId: d,
        source: 'procurement',
        lines: [{ materialId: w.tent.materialId, quantity: 9, lotNo: 'A' }],
      }),
      'RK-20261130-0001',
    ],
    [
      admin,
      'stock.issue',
      () => ({ depotId: d, recipient: 'x', lines: [{ materialId: w.tent.materialId, quantity: 1 }] }),
      'CK-20261130-0001',
    ],
    [
      admin,
      'stock.transfer',
      () => ({
        fromDepotId: d,
        toDepotId: w.shinan.depotId,
        lines: [{ materialId: w.tent.materialId, quantity: 1 }],
      }),
      'YK-20261130-0001',
    ],
    [
      admin,
      'stock.scrap',
      () => ({ depotId: d, reason: '破损', lines: [{ batchId: 1, quantity: 1 }] }),
      'BF-20261130-0001',
    ],
    [admin, 'stock.reverse', () => ({ movementId: 2, reason: '录错' }), 'HC-20261130-0001'], // the issue
    [admin, 'stocktake.open', () => ({ depotId: d }), 'PD-20261130-0001'],
    [
      admin,
      'stocktake.count',
      () => ({ stocktakeId, counts: [{ lineId, countedQuantity: 6, reason: '丢失 1 顶' }] }),
      'PD-20261130-0001',
    ],
    [admin, 'stocktake.approve', () => ({ stocktakeId }), 'PD-20261130-0001'],
    [admin, 'stocktake.cancel', () => ({ stocktakeId }), 'PD-20261130-0002'],
    [
      fresh,
      'auth.changePassword',
      () => ({ currentPassword: PASSWORD, newPassword: 'Changed-passw0rd' }),
      String(keeper.userId),
    ],
    [fresh, 'auth.logout', () => ({}), String(keeper.userId)],
  ];
  for (const [who, procedure, input, entity] of writes) {
    if (procedure === 'stocktake.cancel')
      stocktakeId = (await env.call(admin.token, 'stocktake.open', { depotId: d })).stocktakeId;
    const before = await auditCount();
    const result = (await env.call(who?.token, procedure as never, input() as never)) as {
      token?: string;
      stocktakeId?: number;
      lines?: { lineId: number }[];
    };
    if (procedure === 'auth.login') fresh.token = result.token!;
    if (procedure === 'stocktake.open') {
      stocktakeId = result.stocktakeId!;
      lineId = result.lines![0]!.lineId;
    }
    const record = await lastAudit();
    expect([procedure, await auditCount(), record.action, record.userId, record.at]).toEqual([
      procedure,
      before + 1,
      procedure,
      who?.userId ?? keeper.userId,
      '2026-11-30T02:00:00.000Z',
    ]);
    if (typeof entity === 'string') expect([procedure, record.entityId]).toEqual([procedure, entity]);
    else expect(String(record.entityId)).toMatch(entity);
  }
  expect((await env.call(w.admin.token, 'audit.verify')).ok).toBe(true);
});

test('reads and refused writes append nothing', async () => {
  const before = await auditCount();
  await env.balances(w.keeper.token, {});
  await env.call(w.keeper.token, 'stock.movements', {});
  await env.call(w.admin.token, 'ledger.check');
  await env.call(w.admin.token, 'audit.verify');
  await env.call(w.admin.token, 'audit.list', {});
  await failsCleanly(env, w.keeper.token, 'stock.issue', {
    depotId: w.city.depotId,
    recipient: 'x',
    lines: [{ materialId: w.tent.materialId, quantity: 1 }],
  });
  await failsCleanly(env, undefined, 'auth.login', { username: 'keeper2', password: 'nope' });
  expect(await auditCount()).toBe(before);
});

test('records keep before and after, never a password hash; listed newest first, keyset-paged', async () => {
  await env.call(w.admin.token, 'user.create', {
    username: 'sun',
    displayName: '孙',
    role: 'staff',
    password: 'Passw0rd!1',
  });
  await env.call(w.admin.token, 'depot.update', { depotId: w.shinan.depotId, phone: '0532-1' });
  const page = await env.call(w.admin.token, 'audit.list', { limit: 2 });
  expect(page.rows.map((r) => r.action)).toEqual(['depot.update', 'user.create']);
  expect(page.rows[0]!.before).toMatchObject({ phone: null });
  expect(page.rows[0]!.after).toMatchObject({ phone: '0532-1' });
  expect(page.rows[0]!.userId).toBe(w.admin.userId);
  const all = JSON.stringify(await tableRows(env, 'audit_log'));
  expect(all).not.toMatch(/scrypt\$/);
  expect(all).not.toContain(PASSWORD);
  // Walk every page.
  const ids: number[] = [];
  let after: number | undefined;
  do {
    const p = await env.call(w.admin.token, 'audit.list', { limit: 3, ...(after ? { after } : {}) });
    ids.push(...p.rows.map((r) => r.auditId));
    after = p.nextCursor ? Number(p.nextCursor) : undefined;
  } while (after);
  const count = await auditCount();
  expect(count).toBeGreaterThan(3);
  expect(ids).toEqual(Array.from({ length: count }, (_, i) => count - i));
});

describe('verification', () => {
  beforeEach(async () => {
    await env.call(w.keeper.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [{ materialId: w.tent.materialId, quantity: 9, lotNo: 'A' }],
    });
    await env.call(w.keeper.token, 'stock.issue', {
      depotId: w.city.depotId,
      recipient: 'x',
      lines: [{ materialId: w.tent.materialId, quantity: 1 }],
    });
  });

  test('an untouched chain verifies', async () => {
    expect(await env.call(w.admin.token, 'audit.verify')).toEqual({
      ok: true,
      records: await auditCount(),
      firstBrokenId: null,
      problem: null,
    });
  });

  test('an edited record is named', async () => {
    await sql`update audit_log set after_json = replace(after_json, '"quantity":9', '"quantity":90') where audit_id = 11`.execute(
      env.app.db,
    );
    expect(
      await env.app.db
        .selectFrom('auditLog')
        .select('afterJson')
        .where('auditId', '=', 11)
        .executeTakeFirst(),
    ).toEqual({
      afterJson: expect.stringContaining('"quantity":90'),
    });
    expect(await env.call(w.admin.token, 'audit.verify')).toEqual({
      ok: false,
      records: 10,
      firstBrokenId: 11,
      problem: 'content does not match its hash',
    });
  });

  test('an edited record whose own hash is recomputed breaks the link to the next one', async () => {
    const row = await env.app.db
      .selectFrom('auditLog')
      .selectAll()
      .where('auditId', '=', 5)
      .executeTakeFirstOrThrow();
    const forged = { ...row, action: 'depot.rename' };
    await env.app.db
      .updateTable('auditLog')
      .set({ action: forged.action, hash: auditHash(forged) })
      .where('auditId', '=', 5)
      .execute();
    const r = await env.call(w.admin.token, 'audit.verify');
    expect(r).toEqual({ ok: false, records: 5, firstBrokenId: 6, problem: 'previous hash does not match' });
  });

  test('a deleted record is named by the gap', async () => {
    await env.app.db.deleteFrom('auditLog').where('auditId', '=', 6).execute();
    const r = await env.call(w.admin.token, 'audit.verify');
    expect(r).toEqual({ ok: false, records: 5, firstBrokenId: 7, problem: 'record 6 is missing' });
  });

  test('only administrators verify', async () => {
    const coordinator = await env.user('coordinator');
    expect((await failsCleanly(env, coordinator.token, 'audit.verify', {})).code).toBe('FORBIDDEN');
  });
});

describe("the audit log's record of every movement", () => {
  const receive = (quantity: number, lotNo: string) =>
    env.call(w.keeper.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [
        { materialId: w.tent.materialId, quantity, lotNo },
        { materialId: w.quilt.materialId, quantity, lotNo },
      ],
    });

  test('a write names the movements it posted, with a digest its hash covers', async () => {
    const r = await receive(5, 'S-1');
    const record = await lastAudit();
    expect(JSON.parse(record.movementsJson!)).toEqual({
      ids: r.movements.map((m) => m.movementId),
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(auditHash(record)).toBe(record.hash);
    expect(
      auditHash({ ...record, movementsJson: record.movementsJson!.replace(/"ids":\[\d+/, '"ids":[99') }),
    ).not.toBe(record.hash);
    expect(await verifyCoverage(env.app.store)).toEqual({
      ok: true,
      movements: 2,
      problems: [],
      problemCount: 0,
    });
  });

  test('finds a movement deleted, one edited and one slipped in, whatever the balances say', async () => {
    const first = await receive(5, 'S-1');
    const second = await receive(7, 'S-2');
    const [gone, kept] = first.movements;
    await env.app.db.deleteFrom('movements').where('movementId', '=', gone!.movementId).execute();
    await env.app.db
      .updateTable('movements')
      .set({ quantity: 8 })
      .where('movementId', '=', second.movements[0]!.movementId)
      .execute();
    const stray = await env.app.db
      .insertInto('movements')
      .values({
        docNo: 'RK-20261130-0099',
        type: 'receipt',
        depotId: w.city.depotId,
        materialId: w.tent.materialId,
        batchId: kept!.batchId,
        quantity: 3,
        occurredAt: '2026-11-30T02:00:00.000Z',
        userId: w.keeper.userId,
        expiredOverride: 0,
      })
      .returning('movementId')
      .executeTakeFirstOrThrow();
    const audit = await env.app.db
      .selectFrom('auditLog')
      .select('auditId')
      .where('action', '=', 'stock.receive')
      .orderBy('auditId')
      .execute();
    const result = await verifyCoverage(env.app.store);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { kind: 'missing', movementId: gone!.movementId, auditId: audit[0]!.auditId },
      { kind: 'changed', auditId: audit[1]!.auditId, docNo: second.docNo },
      { kind: 'uncovered', movementId: stray.movementId, docNo: 'RK-20261130-0099' },
    ]);
  });
});
