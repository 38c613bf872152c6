/**
 * The ledger's rules (DOMAIN.md): stock changes only through movements, on hand is the sum of
 * the movements, never negative, integers only, and document numbers people can read out.
 */
import { sql } from 'kysely';
import { api } from '../../src/shared/api';
import { createTestEnv, createWorld, deliverAllocation, failsCleanly, scalar, type TestEnv } from './harness';
import { MOVEMENT_TYPES } from '../../src/shared/schemas/stock';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;

afterEach(() => env.close());

describe('balances are the sum of the movements', () => {
  beforeEach(async () => {
    env = await createTestEnv();
    w = await createWorld(env);
  });

  test('after every kind of movement, per batch and per depot and material', async () => {
    const { admin } = w;
    const d = w.city.depotId;
    const r = await env.call(admin.token, 'stock.receive', {
      depotId: d,
      source: 'procurement',
      lines: [
        { materialId: w.quilt.materialId, quantity: 100, lotNo: 'Q1', expiresOn: '2028-01-01' },
        { materialId: w.quilt.materialId, quantity: 60, lotNo: 'Q2', expiresOn: '2029-01-01' },
        { materialId: w.tent.materialId, quantity: 10, lotNo: 'T1' },
      ],
    });
    await env.call(admin.token, 'stock.issue', {
      depotId: d,
      recipient: 'x',
      lines: [{ materialId: w.quilt.materialId, quantity: 130 }],
    });
    const t = await env.call(admin.token, 'stock.transfer', {
      fromDepotId: d,
      toDepotId: w.shinan.depotId,
      lines: [{ materialId: w.quilt.materialId, quantity: 20 }],
    });
    await env.call(admin.token, 'stock.scrap', {
      depotId: d,
      reason: '破损',
      lines: [{ batchId: r.movements[2]!.batchId, quantity: 2 }],
    });
    await env.call(admin.token, 'stock.reverse', { movementId: t.movements[0]!.movementId, reason: '调错' });
    const st = await env.call(admin.token, 'stocktake.open', { depotId: d });
    await env.call(admin.token, 'stocktake.count', {
      stocktakeId: st.stocktakeId,
      counts: st.lines.map((l, i) => ({
        lineId: l.lineId,
        countedQuantity: l.bookQuantity + (i === 0 ? 1 : -1),
        reason: '盘点差异',
      })),
    });
    await env.call(admin.token, 'stocktake.approve', { stocktakeId: st.stocktakeId });
    await deliverAllocation(env, {
      from: d,
      to: w.laoshan.depotId,
      materialId: w.tent.materialId,
      quantity: 3,
      received: 2,
    });

    const types = await env.app.db
      .selectFrom('movements')
      .select('type')
      .distinct()
      .orderBy('type')
      .execute();
    expect(types.map((x) => x.type)).toEqual([...MOVEMENT_TYPES].sort());
    const batchDiff = await scalar(
      env,
      sql`select count(*) as n from batch_balances bb
         where bb.on_hand <> (select coalesce(sum(quantity), 0) from movements m where m.batch_id = bb.batch_id)`,
    );
    expect(batchDiff).toBe(0);
    const levelDiff = await scalar(
      env,
      sql`select count(*) as n from stock_levels sl
         where sl.on_hand <> (select coalesce(sum(quantity), 0) from movements m where m.depot_id = sl.depot_id and m.material_id = sl.material_id)`,
    );
    expect(levelDiff).toBe(0);
    // The same totals reach the screens.
    const totals = await env.balances(admin.token, { groupBy: 'material' });
    const ledger = await env.app.db
      .selectFrom('movements')
      .select((eb) => ['materialId', eb.fn.sum<number>('quantity').as('total')])
      .groupBy('materialId')
      .orderBy('materialId')
      .execute();
    expect(ledger.length).toBe(2);
    expect(totals.rows.map((x) => [x.materialId, x.onHand])).toEqual(
      ledger.map((x) => [x.materialId, Number(x.total)]),
    );
    expect(await env.call(admin.token, 'ledger.check')).toMatchObject({ ok: true, negatives: 0 });
  });

  test('quantities are stored as integers', async () => {
    await env.call(w.admin.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [{ materialId: w.quilt.materialId, quantity: 3, lotNo: 'Q' }],
    });
    // Declared integer (SQLite: integer affinity, so a whole number is stored as one; PostgreSQL: bigint) …
    const tables = await env.app.db.introspection.getTables();
    const typeOf = (table: string, column: string) =>
      tables.find((t) => t.name === table)?.columns.find((c) => c.name === column)?.dataType;
    const declared = [
      typeOf('movements', 'quantity'),
      typeOf('batch_balances', 'on_hand'),
      typeOf('stock_levels', 'on_hand'),
      typeOf('stock_levels', 'reserved'),
    ];
    for (const type of declared) expect(type).toMatch(/^(integer|bigint|int8)$/i);
    // … and read back as whole JS numbers (never text, never a fraction).
    const stored = await sql<{
      m: unknown;
      b: unknown;
      l: unknown;
    }>`select mv.quantity as m, bb.on_hand as b, sl.on_hand as l from movements mv
      join batch_balances bb on bb.batch_id = mv.batch_id join stock_levels sl on sl.depot_id = mv.depot_id and sl.material_id = mv.material_id`.execute(
      env.app.db,
    );
    expect(stored.rows).toEqual([{ m: 3, b: 3, l: 3 }]);
  });

  test('the schema refuses a negative balance or a zero movement even past the services', async () => {
    await env.call(w.admin.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [{ materialId: w.quilt.materialId, quantity: 3, lotNo: 'Q' }],
    });
    const refusal = (statement: ReturnType<typeof sql>) =>
      statement.execute(env.app.db).then(
        () => 'accepted',
        (error: unknown) => env.app.store.dialect.classifyError(error)?.kind ?? error,
      );
    expect(await refusal(sql`update batch_balances set on_hand = -1`)).toBe('check');
    expect(await refusal(sql`update stock_levels set on_hand = -1`)).toBe('check');
    expect(await refusal(sql`update stock_levels set reserved = -1`)).toBe('check');
    expect(await refusal(sql`update movements set quantity = 0`)).toBe('check');
    expect(await scalar(env, sql`select sum(on_hand) from batch_balances`)).toBe(3);
  });

  test('a movement can be reversed only once, also at the schema level', async () => {
    const r = await env.call(w.admin.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [{ materialId: w.quilt.materialId, quantity: 3, lotNo: 'Q' }],
    });
    const rev = await env.call(w.admin.token, 'stock.reverse', {
      movementId: r.movements[0]!.movementId,
      reason: '录错',
    });
    const row = await env.app.db
      .selectFrom('movements')
      .selectAll()
      .where('movementId', '=', rev.movements[0]!.movementId)
      .executeTakeFirstOrThrow();
    const { movementId: _id, ...copy } = row;
    const refused = await env.app.db
      .insertInto('movements')
      .values(copy)
      .execute()
      .catch((error: unknown) => error);
    expect(env.app.store.dialect.classifyError(refused)).toEqual({
      kind: 'unique',
      table: 'movements',
      columns: ['reversesMovementId'],
    });
  });

  test('concurrent issues of the same stock are serialised: one succeeds, the other is refused', async () => {
    await env.call(w.admin.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [{ materialId: w.quilt.materialId, quantity: 100, lotNo: 'Q' }],
    });
    const issue = () =>
      env.raw({
        procedure: 'stock.issue',
        token: w.admin.token,
        input: {
          depotId: w.city.depotId,
          recipient: 'x',
          lines: [{ materialId: w.quilt.materialId, quantity: 60 }],
        },
      });
    const results = await Promise.all([issue(), issue(), issue()]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code)).sort()).toEqual([
      'INSUFFICIENT_STOCK',
      'INSUFFICIENT_STOCK',
      'ok',
    ]);
    expect((await env.balances(w.admin.token, { depotId: w.city.depotId })).rows[0]!.onHand).toBe(40);
    expect((await env.call(w.admin.token, 'ledger.check')).ok).toBe(true);
  });

  test('there is no way to edit or delete a posted movement: the contract has no such procedure', async () => {
    expect(Object.keys(api).filter((p) => /^(stock|movement)\.(update|delete|edit|remove)/.test(p))).toEqual(
      [],
    );
    for (const name of ['stock.update', 'stock.delete', 'movement.update', 'movement.delete']) {
      expect((await failsCleanly(env, w.admin.token, name, { movementId: 1 })).code).toBe('NOT_FOUND');
    }
  });
});

describe('document numbers', () => {
  beforeEach(async () => {
    env = await createTestEnv('2026-11-30T10:00:00.000Z'); // 18:00 in Qingdao
    w = await createWorld(env);
    await env.call(w.admin.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'opening',
      lines: [{ materialId: w.tent.materialId, quantity: 100, lotNo: 'T' }],
    });
  });

  const receive = async () =>
    (
      await env.call(w.admin.token, 'stock.receive', {
        depotId: w.city.depotId,
        source: 'procurement',
        lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'T' }],
      })
    ).docNo;
  const issue = async () =>
    (
      await env.call(w.admin.token, 'stock.issue', {
        depotId: w.city.depotId,
        recipient: 'x',
        lines: [{ materialId: w.tent.materialId, quantity: 1 }],
      })
    ).docNo;

  test('PREFIX-YYYYMMDD-NNNN, one sequence per prefix per day', async () => {
    const numbers = [
      await receive(),
      await issue(),
      await receive(),
      (
        await env.call(w.admin.token, 'stock.transfer', {
          fromDepotId: w.city.depotId,
          toDepotId: w.shinan.depotId,
          lines: [{ materialId: w.tent.materialId, quantity: 1 }],
        })
      ).docNo,
      (
        await env.call(w.admin.token, 'stock.scrap', {
          depotId: w.city.depotId,
          reason: '破损',
          lines: [{ batchId: 1, quantity: 1 }],
        })
      ).docNo,
      (await env.call(w.admin.token, 'stock.reverse', { movementId: 3, reason: '未实际出库' })).docNo, // the first issue
      (await env.call(w.admin.token, 'stocktake.open', { depotId: w.laoshan.depotId })).docNo,
      await issue(),
    ];
    expect(numbers).toEqual([
      'RK-20261130-0002', // 0001 was the opening stock
      'CK-20261130-0001',
      'RK-20261130-0003',
      'YK-20261130-0001',
      'BF-20261130-0001',
      'HC-20261130-0001',
      'PD-20261130-0001',
      'CK-20261130-0002',
    ]);
  });

  test('the date is the Asia/Shanghai calendar date, and the sequence starts again each day', async () => {
    env.clock.set('2026-11-30T15:59:59.000Z'); // 23:59:59 in Qingdao
    expect(await receive()).toBe('RK-20261130-0002');
    env.clock.set('2026-11-30T16:00:00.000Z'); // midnight in Qingdao, still 30 Nov in UTC
    expect(await receive()).toBe('RK-20261201-0001');
    env.clock.set('2026-11-30T17:00:00.000Z');
    expect(await receive()).toBe('RK-20261201-0002');
    expect(await issue()).toBe('CK-20261201-0001');
    env.clock.set('2026-12-31T16:30:00.000Z');
    const admin = await env.user('admin');
    const r = await env.call(admin.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'T' }],
    });
    expect(r.docNo).toBe('RK-20270101-0001');
  });

  test('concurrent writes get distinct consecutive numbers', async () => {
    const numbers = await Promise.all(Array.from({ length: 6 }, () => receive()));
    expect([...numbers].sort()).toEqual([
      'RK-20261130-0002',
      'RK-20261130-0003',
      'RK-20261130-0004',
      'RK-20261130-0005',
      'RK-20261130-0006',
      'RK-20261130-0007',
    ]);
  });

  test('numbers are unique and never reused; a refused write does not use one up', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const docNo = i % 3 === 0 ? await issue() : await receive();
      expect(seen.has(docNo)).toBe(false);
      seen.add(docNo);
      if (i === 5) {
        await failsCleanly(env, w.admin.token, 'stock.issue', {
          depotId: w.city.depotId,
          recipient: 'x',
          lines: [{ materialId: w.tent.materialId, quantity: 10_000 }],
        });
      }
    }
    expect([...seen].filter((n) => n.startsWith('CK'))).toEqual([
      'CK-20261130-0001',
      'CK-20261130-0002',
      'CK-20261130-0003',
      'CK-20261130-0004',
    ]);
    const dup =
      await sql`select doc_no from movements where type in ('receipt', 'issue') group by doc_no having count(distinct type) > 1`.execute(
        env.app.db,
      );
    expect(dup.rows).toEqual([]);
    expect(await scalar(env, sql`select count(distinct doc_no) from movements`)).toBe(13);
  });
});
