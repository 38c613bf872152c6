/** Transfer between depots (调拨移库): out of one and into the other, one document, one transaction. */
import {
  batchOnHand,
  createTestEnv,
  createWorld,
  failsCleanly,
  ledgerOnHand,
  levelOf,
  type TestEnv,
} from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;
let lots: Record<string, number>;

beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
  const r = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [
      {
        materialId: w.quilt.materialId,
        quantity: 30,
        lotNo: 'Q-A',
        producedOn: '2025-06-01',
        expiresOn: '2027-05-31',
        supplier: '被服厂',
        unitPriceFen: 8800,
      },
      { materialId: w.quilt.materialId, quantity: 50, lotNo: 'Q-B', expiresOn: '2029-12-31' },
      { materialId: w.quilt.materialId, quantity: 8, lotNo: 'Q-OLD', expiresOn: '2026-10-01' },
      { materialId: w.tent.materialId, quantity: 10, lotNo: 'T-1' },
    ],
  });
  lots = Object.fromEntries(r.movements.map((m) => [m.lotNo, m.batchId]));
});
afterEach(() => env.close());

function transfer(
  lines: { materialId: number; quantity: number; batchId?: number }[],
  toDepotId = w.shinan.depotId,
) {
  return env.call(w.keeper.token, 'stock.transfer', {
    fromDepotId: w.city.depotId,
    toDepotId,
    note: '支援市南',
    lines,
  });
}

test('two movements in one YK document: out of one depot, into the other, both balances change', async () => {
  const r = await transfer([{ materialId: w.quilt.materialId, quantity: 20 }]);
  expect(r.docNo).toBe('YK-20261130-0001');
  expect(r.movements).toHaveLength(2);
  const [out, into] = r.movements;
  expect(out).toMatchObject({
    docNo: r.docNo,
    type: 'transfer_out',
    depotId: w.city.depotId,
    counterpartDepotId: w.shinan.depotId,
    batchId: lots['Q-A'],
    lotNo: 'Q-A',
    quantity: -20,
    note: '支援市南',
  });
  expect(into).toMatchObject({
    docNo: r.docNo,
    type: 'transfer_in',
    depotId: w.shinan.depotId,
    counterpartDepotId: w.city.depotId,
    lotNo: 'Q-A',
    expiresOn: '2027-05-31',
    quantity: 20,
  });
  expect(into!.batchId).not.toBe(out!.batchId);
  expect((await levelOf(env, w.city.depotId, w.quilt.materialId)).onHand).toBe(88 - 20);
  expect((await levelOf(env, w.shinan.depotId, w.quilt.materialId)).onHand).toBe(20);
  expect(await batchOnHand(env, lots['Q-A']!)).toBe(10);
  expect(await batchOnHand(env, into!.batchId)).toBe(20);
  expect([await ledgerOnHand(env, lots['Q-A']!), await ledgerOnHand(env, into!.batchId)]).toEqual([10, 20]);
  expect((await env.call(w.admin.token, 'ledger.check')).ok).toBe(true);
});

test('the destination batch keeps the lot number, dates, supplier and price', async () => {
  const r = await transfer([{ materialId: w.quilt.materialId, quantity: 5 }]);
  const dest = await env.app.db
    .selectFrom('batches')
    .selectAll()
    .where('batchId', '=', r.movements[1]!.batchId)
    .executeTakeFirstOrThrow();
  expect(dest).toMatchObject({
    depotId: w.shinan.depotId,
    materialId: w.quilt.materialId,
    lotNo: 'Q-A',
    producedOn: '2025-06-01',
    expiresOn: '2027-05-31',
    supplier: '被服厂',
    unitPriceFen: 8800,
    source: 'transfer',
  });
});

test('FEFO across batches gives one out/in pair per batch; a second transfer reuses the destination batch', async () => {
  const r = await transfer([{ materialId: w.quilt.materialId, quantity: 40 }]);
  expect(r.movements.map((m) => [m.type, m.lotNo, m.quantity])).toEqual([
    ['transfer_out', 'Q-A', -30],
    ['transfer_in', 'Q-A', 30],
    ['transfer_out', 'Q-B', -10],
    ['transfer_in', 'Q-B', 10],
  ]);
  const again = await transfer([{ materialId: w.quilt.materialId, quantity: 5 }]);
  expect(again.docNo).toBe('YK-20261130-0002');
  expect(again.movements[1]).toMatchObject({ lotNo: 'Q-B', batchId: r.movements[3]!.batchId, quantity: 5 });
  expect(await batchOnHand(env, r.movements[3]!.batchId)).toBe(15);
});

test('an expired batch moves only when chosen, marked as an override, and keeps its expiry', async () => {
  const r = await transfer([{ materialId: w.quilt.materialId, quantity: 8, batchId: lots['Q-OLD']! }]);
  expect(r.movements.map((m) => [m.type, m.lotNo, m.expiresOn, m.expiredOverride])).toEqual([
    ['transfer_out', 'Q-OLD', '2026-10-01', true],
    ['transfer_in', 'Q-OLD', '2026-10-01', false],
  ]);
});

test('a transfer to the same depot is refused on the destination field', async () => {
  const error = await failsCleanly(env, w.keeper.token, 'stock.transfer', {
    fromDepotId: w.city.depotId,
    toDepotId: w.city.depotId,
    lines: [{ materialId: w.quilt.materialId, quantity: 1 }],
  });
  expect(error).toEqual({
    code: 'BAD_INPUT',
    message: '调入库：调出库与调入库不能相同',
    fields: [{ path: 'toDepotId', label: '调入库', message: '调出库与调入库不能相同' }],
  });
});

test('more than available is INSUFFICIENT_STOCK and neither depot changes', async () => {
  const error = await failsCleanly(env, w.keeper.token, 'stock.transfer', {
    fromDepotId: w.city.depotId,
    toDepotId: w.shinan.depotId,
    lines: [
      { materialId: w.tent.materialId, quantity: 10 },
      { materialId: w.quilt.materialId, quantity: 81 }, // 88 on hand, 8 of them expired
    ],
  });
  expect(error.code).toBe('INSUFFICIENT_STOCK');
  expect(error.fields![0]).toMatchObject({ path: 'lines.1.quantity', label: '第 2 行 · 数量' });
  expect(error.message).toBe('「棉被」在「青岛市级救灾物资储备库」可用库存不足：需要 81，可用 80');
});

test('the destination must be active', async () => {
  await env.call(w.admin.token, 'depot.update', { depotId: w.laoshan.depotId, active: false });
  const error = await failsCleanly(env, w.keeper.token, 'stock.transfer', {
    fromDepotId: w.city.depotId,
    toDepotId: w.laoshan.depotId,
    lines: [{ materialId: w.quilt.materialId, quantity: 1 }],
  });
  expect(error).toEqual({
    code: 'CONFLICT',
    message: '储备库「崂山区储备库」已停用',
    fields: [{ path: 'toDepotId', label: '调入库', message: '储备库「崂山区储备库」已停用' }],
  });
});

test('a lot already at the destination with other dates is a CONFLICT, and nothing moves', async () => {
  await env.call(w.admin.token, 'stock.receive', {
    depotId: w.shinan.depotId,
    source: 'procurement',
    lines: [{ materialId: w.quilt.materialId, quantity: 1, lotNo: 'Q-A', expiresOn: '2035-01-01' }],
  });
  const error = await failsCleanly(env, w.keeper.token, 'stock.transfer', {
    fromDepotId: w.city.depotId,
    toDepotId: w.shinan.depotId,
    lines: [{ materialId: w.quilt.materialId, quantity: 5 }],
  });
  expect(error.code).toBe('CONFLICT');
  expect(error.message).toBe('批号「Q-A」已存在，但生产日期或有效期不同');
  expect(error.fields![0]!.path).toBe('lines.0.batchId');
});

test('a keeper may send stock from their own depot to any depot, not take it from another', async () => {
  const out = await transfer([{ materialId: w.tent.materialId, quantity: 4 }], w.laoshan.depotId);
  expect(out.movements).toHaveLength(2);
  const laoshanKeeper = await env.user('keeper', [w.laoshan.depotId]);
  const error = await failsCleanly(env, laoshanKeeper.token, 'stock.transfer', {
    fromDepotId: w.city.depotId,
    toDepotId: w.laoshan.depotId,
    lines: [{ materialId: w.tent.materialId, quantity: 1 }],
  });
  expect(error).toEqual({
    code: 'FORBIDDEN',
    message: '您不是「青岛市级救灾物资储备库」的保管员，不能操作该库的库存',
  });
});
