/** The stock card's reads: one batch's details (stock.batch) and reversal document numbers on movements. */
import { createTestEnv, createWorld, type TestEnv } from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;
beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
});
afterEach(() => env.close());

test('stock.batch returns the lot, dates, source, supplier, price, on hand and expiry standing', async () => {
  const r = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'donation',
    lines: [
      {
        materialId: w.tent.materialId,
        quantity: 20,
        lotNo: 'T-1',
        producedOn: '2026-03-01',
        expiresOn: '2036-02-28',
        supplier: '某帐篷厂',
        unitPriceFen: 132000,
      },
      { materialId: w.quilt.materialId, quantity: 8, lotNo: 'Q-1', expiresOn: '2026-12-20' },
      { materialId: w.jacket.materialId, quantity: 3, lotNo: 'J-1', expiresOn: '2026-11-29' },
    ],
  });
  const [tent, quilt, jacket] = r.movements;
  await env.call(w.keeper.token, 'stock.issue', {
    depotId: w.city.depotId,
    recipient: '崂山区',
    lines: [{ materialId: w.tent.materialId, quantity: 5 }],
  });

  const staff = await env.user('staff');
  expect(await env.call(staff.token, 'stock.batch', { batchId: tent!.batchId })).toEqual({
    batchId: tent!.batchId,
    depotId: w.city.depotId,
    depotCode: 'QD-SJ',
    depotName: '青岛市级救灾物资储备库',
    materialId: w.tent.materialId,
    materialCode: 'M0001',
    materialName: '救灾专用单帐篷',
    spec: '12㎡',
    unit: '顶',
    category: '帐篷',
    lotNo: 'T-1',
    producedOn: '2026-03-01',
    expiresOn: '2036-02-28',
    source: 'donation',
    supplier: '某帐篷厂',
    unitPriceFen: 132000,
    onHand: 15,
    createdAt: '2026-11-30T02:00:00.000Z',
    today: '2026-11-30',
    daysLeft: 3377,
    expiryStatus: null,
    receiptTerms: [
      { source: 'donation', supplier: '某帐篷厂', unitPriceFen: 132000, quantity: 20, receipts: 1 },
    ],
  });
  // 棉被 warns 30 days ahead; 救生衣 expired yesterday.
  expect(await env.call(staff.token, 'stock.batch', { batchId: quilt!.batchId })).toMatchObject({
    daysLeft: 20,
    expiryStatus: 'expiring',
  });
  expect(await env.call(staff.token, 'stock.batch', { batchId: jacket!.batchId })).toMatchObject({
    daysLeft: -1,
    expiryStatus: 'expired',
  });

  const missing = await env.fail(staff.token, 'stock.batch', { batchId: 999 });
  expect(missing.code).toBe('NOT_FOUND');
});

test('movements name the document a reversal cancels and the reversal that cancelled them', async () => {
  const r = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.tent.materialId, quantity: 10, lotNo: 'T-1' }],
  });
  const original = r.movements[0]!;
  const reversal = await env.call(w.keeper.token, 'stock.reverse', {
    movementId: original.movementId,
    reason: '录错数量',
  });
  const page = await env.call(w.keeper.token, 'stock.movements', { batchId: original.batchId });
  expect(page.rows).toHaveLength(2);
  const [newest, oldest] = page.rows;
  expect(newest).toMatchObject({
    type: 'reversal',
    docNo: reversal.docNo,
    reversesMovementId: original.movementId,
    reversesDocNo: r.docNo,
    reversedBy: null,
    reversedByDocNo: null,
  });
  expect(oldest).toMatchObject({
    movementId: original.movementId,
    reversesDocNo: null,
    reversedBy: newest!.movementId,
    reversedByDocNo: reversal.docNo,
  });
});
