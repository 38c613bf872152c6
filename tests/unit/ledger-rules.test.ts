/**
 * The ledger's rules (DOMAIN.md): stock changes only through movements, on hand is the sum of
 * the movements, never negative, integers only, and document numbers people can read out.
 */
import { api } from '../../src/shared/api';
import { createTestEnv, createWorld, failsCleanly, type TestEnv } from './harness';

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
      depotId: d, source: 'procurement',
      lines: [
        { materialId: w.quilt.materialId, quantity: 100, lotNo: 'Q1', expiresOn: '2028-01-01' },
        { materialId: w.quilt.materialId, quantity: 60, lotNo: 'Q2', expiresOn: '2029-01-01' },
        { materialId: w.tent.materialId, quantity: 10, lotNo: 'T1' },
      ],
    });
    await env.call(admin.token, 'stock.issue', { depotId: d, recipient: 'x', lines: [{ materialId: w.quilt.materialId, quantity: 130 }] });
    const t = await env.call(admin.token, 'stock.transfer', { fromDepotId: d, toDepotId: w.shinan.depotId, lines: [{ materialId: w.quilt.materialId, quantity: 20 }] });
    await env.call(admin.token, 'stock.scrap', { depotId: d, reason: '破损', lines: [{ batchId: r.movements[2]!.batchId, quantity: 2 }] });
    await env.call(admin.token, 'stock.reverse', { movementId: t.movements[0]!.movementId, reason: '调错' });
    const st = await env.call(admin.token, 'stocktake.open', { depotId: d });
    await env.call(admin.token, 'stocktake.count', {
      stocktakeId: st.stocktakeId,
      counts: st.lines.map((l, i) => ({ lineId: l.lineId, countedQuantity: l.bookQuantity + (i === 0 ? 1 : -1), reason: '盘点差异' })),
    });
    await env.call(admin.token, 'stocktake.approve', { stocktakeId: st.stocktakeId });

    const types = env.app.sqlite.prepare('select distinct type from movements order by type').all() as { type: string }[];
    expect(types.map((x) => x.type)).toEqual(['issue', 'receipt', 'reversal', 'scrap', 'stocktake_gain', 'stocktake_loss', 'transfer_in', 'transfer_out']);
    const batchDiff = env.app.sqlite
      .prepare(
        `select count(*) as n from batch_balances bb
         where bb.on_hand <> (select coalesce(sum(quantity), 0) from movements m where m.batch_id = bb.batch_id)`,
      )
      .get() as { n: number };
    expect(batchDiff.n).toBe(0);
    const levelDiff = env.app.sqlite
      .prepare(
        `select count(*) as n from stock_levels sl
         where sl.on_hand <> (select coalesce(sum(quantity), 0) from movements m where m.depot_id = sl.depot_id and m.material_id = sl.material_id)`,
      )
      .get() as { n: number };
    expect(levelDiff.n).toBe(0);
    // The same totals reach the screens.
    const totals = await env.balances(admin.token, { groupBy: 'material' });
    const ledger = env.app.sqlite.prepare('select material_id as materialId, sum(quantity) as total from movements group by material_id').all() as { materialId: number; total: number }[];
    expect(totals.rows.map((x) => [x.materialId, x.onHand])).toEqual(ledger.map((x) => [x.materialId, x.total]));
    expect(await env.call(admin.token, 'ledger.check')).toMatchObject({ ok: true, negatives: 0 });
  });

  test('quantities are stored as integers', async () => {
    await env.call(w.admin.token, 'stock.receive', { depotId: w.city.depotId, source: 'procurement', lines: [{ materialId: w.quilt.materialId, quantity: 3, lotNo: 'Q' }] });
    const types = env.app.sqlite.prepare('select typeof(quantity) as m, (select typeof(on_hand) from batch_balances) as b from movements').get();
    expect(types).toEqual({ m: 'integer', b: 'integer' });
  });

  test('the schema refuses a negative balance or a zero movement even past the services', async () => {
    await env.call(w.admin.token, 'stock.receive', { depotId: w.city.depotId, source: 'procurement', lines: [{ materialId: w.quilt.materialId, quantity: 3, lotNo: 'Q' }] });
    expect(() => env.app.sqlite.prepare('update batch_balances set on_hand = -1').run()).toThrow(/CHECK constraint/);
    expect(() => env.app.sqlite.prepare('update stock_levels set on_hand = -1').run()).toThrow(/CHECK constraint/);
    expect(() => env.app.sqlite.prepare('update stock_levels set reserved = -1').run()).toThrow(/CHECK constraint/);
    expect(() => env.app.sqlite.prepare('update movements set quantity = 0').run()).toThrow(/CHECK constraint/);
  });

  test('a movement can be reversed only once, also at the schema level', async () => {
    const r = await env.call(w.admin.token, 'stock.receive', { depotId: w.city.depotId, source: 'procurement', lines: [{ materialId: w.quilt.materialId, quantity: 3, lotNo: 'Q' }] });
    const rev = await env.call(w.admin.token, 'stock.reverse', { movementId: r.movements[0]!.movementId, reason: '录错' });
    const row = env.app.sqlite.prepare('select * from movements where movement_id = ?').get(rev.movements[0]!.movementId) as Record<string, unknown>;
    const { movement_id: _id, ...copy } = row;
    const columns = Object.keys(copy);
    expect(() =>
      env.app.sqlite.prepare(`insert into movements (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`).run(...Object.values(copy)),
    ).toThrow(/UNIQUE constraint/);
  });

  test('concurrent issues of the same stock are serialised: one succeeds, the other is refused', async () => {
    await env.call(w.admin.token, 'stock.receive', { depotId: w.city.depotId, source: 'procurement', lines: [{ materialId: w.quilt.materialId, quantity: 100, lotNo: 'Q' }] });
    const issue = () => env.raw({
      procedure: 'stock.issue', token: w.admin.token,
      input: { depotId: w.city.depotId, recipient: 'x', lines: [{ materialId: w.quilt.materialId, quantity: 60 }] },
    });
    const results = await Promise.all([issue(), issue(), issue()]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code)).sort()).toEqual(['INSUFFICIENT_STOCK', 'INSUFFICIENT_STOCK', 'ok']);
    expect((await env.balances(w.admin.token, { depotId: w.city.depotId })).rows[0]!.onHand).toBe(40);
    expect((await env.call(w.admin.token, 'ledger.check')).ok).toBe(true);
  });

  test('there is no way to edit or delete a posted movement: the contract has no such procedure', async () => {
    expect(Object.keys(api).filter((p) => /^(stock|movement)\.(update|delete|edit|remove)/.test(p))).toEqual([]);
    for (const name of ['stock.update', 'stock.delete', 'movement.update', 'movement.delete']) {
      expect((await failsCleanly(env, w.admin.token, name, { movementId: 1 })).code).toBe('NOT_FOUND');
    }
  });
});

describe('document numbers', () => {
  beforeEach(async () => {
    env = await createTestEnv('2026-11-30T10:00:00.000Z'); // 18:00 in Qingdao
    w = await createWorld(env);
    await env.call(w.admin.token, 'stock.receive', { depotId: w.city.depotId, source: 'opening', lines: [{ materialId: w.tent.materialId, quantity: 100, lotNo: 'T' }] });
  });

  const receive = async () =>
    (await env.call(w.admin.token, 'stock.receive', { depotId: w.city.depotId, source: 'procurement', lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'T' }] })).docNo;
  const issue = async () =>
    (await env.call(w.admin.token, 'stock.issue', { depotId: w.city.depotId, recipient: 'x', lines: [{ materialId: w.tent.materialId, quantity: 1 }] })).docNo;

  test('PREFIX-YYYYMMDD-NNNN, one sequence per prefix per day', async () => {
    const numbers = [
      await receive(),
      await issue(),
      await receive(),
      (await env.call(w.admin.token, 'stock.transfer', { fromDepotId: w.city.depotId, toDepotId: w.shinan.depotId, lines: [{ materialId: w.tent.materialId, quantity: 1 }] })).docNo,
      (await env.call(w.admin.token, 'stock.scrap', { depotId: w.city.depotId, reason: '破损', lines: [{ batchId: 1, quantity: 1 }] })).docNo,
      (await env.call(w.admin.token, 'stock.reverse', { movementId: 3, reason: '未实际出库' })).docNo, // the first issue
      (await env.call(w.admin.token, 'stocktake.open', { depotId: w.laoshan.depotId })).docNo,
      await issue(),
    ];
    expect(numbers).toEqual([
      'RK-20261130-0002', // 0001 was the opening stock
      'CK-20261130-0001',
      'RK-20261130-0003',
      'DB-20261130-0001',
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
    const r = await env.call(admin.token, 'stock.receive', { depotId: w.city.depotId, source: 'procurement', lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'T' }] });
    expect(r.docNo).toBe('RK-20270101-0001');
  });

  test('concurrent writes get distinct consecutive numbers', async () => {
    const numbers = await Promise.all(Array.from({ length: 6 }, () => receive()));
    expect([...numbers].sort()).toEqual(['RK-20261130-0002', 'RK-20261130-0003', 'RK-20261130-0004', 'RK-20261130-0005', 'RK-20261130-0006', 'RK-20261130-0007']);
  });

  test('numbers are unique and never reused; a refused write does not use one up', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const docNo = i % 3 === 0 ? await issue() : await receive();
      expect(seen.has(docNo)).toBe(false);
      seen.add(docNo);
      if (i === 5) {
        await failsCleanly(env, w.admin.token, 'stock.issue', { depotId: w.city.depotId, recipient: 'x', lines: [{ materialId: w.tent.materialId, quantity: 10_000 }] });
      }
    }
    expect([...seen].filter((n) => n.startsWith('CK'))).toEqual(['CK-20261130-0001', 'CK-20261130-0002', 'CK-20261130-0003', 'CK-20261130-0004']);
    const dup = env.app.sqlite.prepare("select doc_no, count(distinct type) as kinds from movements where type in ('receipt', 'issue') group by doc_no having kinds > 1").all();
    expect(dup).toEqual([]);
  });
});
