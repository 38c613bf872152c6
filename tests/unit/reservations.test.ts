/**
 * Reserved (已分配未出库) stock lowers what is available (on hand − reserved) for issues,
 * transfers, scrap and reversals, and for further reservations.
 */
import { createTestEnv, createWorld, failsCleanly, levelOf, release, reserve, type TestEnv } from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;
let batchId: number;
let receiptId: number;

beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
  const r = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.quilt.materialId, quantity: 100, lotNo: 'Q1', expiresOn: '2030-01-01' }],
  });
  batchId = r.movements[0]!.batchId;
  receiptId = r.movements[0]!.movementId;
});
afterEach(() => env.close());

const insufficient = (requested: number, available: number) =>
  `「棉被」在「青岛市级救灾物资储备库」可用库存不足：需要 ${requested}，可用 ${available}`;

test('a reservation shows as reserved and lowers available in the balances and the matrix', async () => {
  await reserve(env, w.city.depotId, w.quilt.materialId, 30);
  expect(await levelOf(env, w.city.depotId, w.quilt.materialId)).toEqual({ onHand: 100, reserved: 30 });
  const balances = await env.balances(w.admin.token, { depotId: w.city.depotId });
  expect(balances.rows).toEqual([
    expect.objectContaining({ materialId: w.quilt.materialId, onHand: 100, reserved: 30, available: 70 }),
  ]);
  const totals = await env.balances(w.admin.token, { groupBy: 'material' });
  expect(totals.rows).toEqual([expect.objectContaining({ onHand: 100, reserved: 30, available: 70 })]);
  const matrix = await env.call(w.admin.token, 'stock.matrix', {});
  expect(matrix.cells).toEqual({
    materialId: [w.quilt.materialId],
    depotId: [w.city.depotId],
    onHand: [100],
    available: [70],
  });
});

test('issues may take only what is available', async () => {
  await reserve(env, w.city.depotId, w.quilt.materialId, 30);
  const error = await failsCleanly(env, w.keeper.token, 'stock.issue', {
    depotId: w.city.depotId,
    recipient: 'x',
    lines: [{ materialId: w.quilt.materialId, quantity: 71 }],
  });
  expect(error.code).toBe('INSUFFICIENT_STOCK');
  expect(error.message).toBe(insufficient(71, 70));
  // Naming the batch does not get round it.
  const named = await failsCleanly(env, w.keeper.token, 'stock.issue', {
    depotId: w.city.depotId,
    recipient: 'x',
    lines: [{ materialId: w.quilt.materialId, quantity: 71, batchId }],
  });
  expect(named.message).toBe(insufficient(71, 70));
  await env.call(w.keeper.token, 'stock.issue', {
    depotId: w.city.depotId,
    recipient: 'x',
    lines: [{ materialId: w.quilt.materialId, quantity: 70 }],
  });
  expect(await levelOf(env, w.city.depotId, w.quilt.materialId)).toEqual({ onHand: 30, reserved: 30 });
});

test('transfers and scrap may take only what is available', async () => {
  await reserve(env, w.city.depotId, w.quilt.materialId, 90);
  const transfer = await failsCleanly(env, w.keeper.token, 'stock.transfer', {
    fromDepotId: w.city.depotId,
    toDepotId: w.shinan.depotId,
    lines: [{ materialId: w.quilt.materialId, quantity: 11 }],
  });
  expect([transfer.code, transfer.message]).toEqual(['INSUFFICIENT_STOCK', insufficient(11, 10)]);
  const scrap = await failsCleanly(env, w.keeper.token, 'stock.scrap', {
    depotId: w.city.depotId,
    reason: '破损',
    lines: [{ batchId, quantity: 11 }],
  });
  expect([scrap.code, scrap.message]).toEqual(['INSUFFICIENT_STOCK', insufficient(11, 10)]);
  expect(scrap.fields![0]!.path).toBe('lines.0.quantity');
});

test('a reversal may not take reserved stock away either', async () => {
  await reserve(env, w.city.depotId, w.quilt.materialId, 1);
  const error = await failsCleanly(env, w.keeper.token, 'stock.reverse', {
    movementId: receiptId,
    reason: '录错',
  });
  expect([error.code, error.message]).toEqual(['INSUFFICIENT_STOCK', insufficient(100, 99)]);
});

test('reserving more than available is refused and writes nothing', async () => {
  await reserve(env, w.city.depotId, w.quilt.materialId, 60);
  const coordinator = await env.user('coordinator');
  const request = await env.call(coordinator.token, 'allocation.create', {
    requesterUnit: { name: '街道办事处', contact: '赵主任', phone: '13900001111' },
    deliverTo: { address: '安置点', contact: '赵主任', phone: '13900001111' },
    urgency: 'urgent',
    neededBy: '2026-11-30T12:00:00+08:00',
    lines: [{ materialId: w.quilt.materialId, quantity: 41 }],
    submit: true,
  });
  const refused = await failsCleanly(env, coordinator.token, 'allocation.approve', {
    requestId: request.requestId,
    lines: [
      {
        lineId: request.lines[0]!.lineId,
        sources: [{ depotId: w.city.depotId, quantity: 41, overrideReason: '测试' }],
      },
    ],
  });
  expect(refused.code).toBe('INSUFFICIENT_STOCK');
  expect(refused.message).toBe(insufficient(41, 40));
  await reserve(env, w.city.depotId, w.quilt.materialId, 40);
  expect((await levelOf(env, w.city.depotId, w.quilt.materialId)).reserved).toBe(100);
});

test('releasing a reservation makes the stock available again; the ledger check agrees throughout', async () => {
  const id = await reserve(env, w.city.depotId, w.quilt.materialId, 100);
  expect((await env.call(w.admin.token, 'ledger.check')).ok).toBe(true);
  expect(
    (
      await failsCleanly(env, w.keeper.token, 'stock.issue', {
        depotId: w.city.depotId,
        recipient: 'x',
        lines: [{ materialId: w.quilt.materialId, quantity: 1 }],
      })
    ).code,
  ).toBe('INSUFFICIENT_STOCK');
  await release(env, id);
  expect(await levelOf(env, w.city.depotId, w.quilt.materialId)).toEqual({ onHand: 100, reserved: 0 });
  await env.call(w.keeper.token, 'stock.issue', {
    depotId: w.city.depotId,
    recipient: 'x',
    lines: [{ materialId: w.quilt.materialId, quantity: 100 }],
  });
  expect((await env.call(w.admin.token, 'ledger.check')).ok).toBe(true);
  // A reservation can be released only once: its request is cancelled now.
  await expect(release(env, id)).rejects.toThrow(/CONFLICT/);
});

test('reserved stock in one depot does not limit another', async () => {
  await env.call(w.admin.token, 'stock.receive', {
    depotId: w.shinan.depotId,
    source: 'procurement',
    lines: [{ materialId: w.quilt.materialId, quantity: 10, lotNo: 'S1' }],
  });
  await reserve(env, w.city.depotId, w.quilt.materialId, 100);
  await env.call(w.admin.token, 'stock.issue', {
    depotId: w.shinan.depotId,
    recipient: 'x',
    lines: [{ materialId: w.quilt.materialId, quantity: 10 }],
  });
});
