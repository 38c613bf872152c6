/**
 * A receipt's terms (source, supplier, unit price) belong to the receipt: each receipt movement
 * keeps its own, the batch keeps its first receipt's, and the history and the stock card show
 * both. Issue 8, point 7: a donation into a lot first procured was shown as that procurement.
 */
import { createTestEnv, createWorld, type TestEnv } from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;
beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
});
afterEach(() => env.close());

const terms = (m: { source: unknown; supplier: unknown; unitPriceFen: unknown }) => [
  m.source,
  m.supplier,
  m.unitPriceFen,
];

test('a second receipt into a lot keeps its own source, supplier and price; the batch keeps the first', async () => {
  const procured = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [
      {
        materialId: w.tent.materialId,
        quantity: 20,
        lotNo: 'T-1',
        supplier: '某帐篷厂',
        unitPriceFen: 132000,
      },
    ],
  });
  const batchId = procured.movements[0]!.batchId;
  // By lot number, and by batch id.
  const donated = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'donation',
    note: '爱心企业捐赠',
    lines: [{ materialId: w.tent.materialId, quantity: 10, lotNo: 'T-1', supplier: '爱心企业' }],
  });
  const calledUp = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'callUp',
    lines: [
      { materialId: w.tent.materialId, quantity: 6, batchId, supplier: '协议储备企业', unitPriceFen: 125050 },
    ],
  });
  await env.call(w.keeper.token, 'stock.issue', {
    depotId: w.city.depotId,
    recipient: '崂山区',
    lines: [{ materialId: w.tent.materialId, quantity: 4 }],
  });

  expect(donated.movements[0]).toMatchObject({
    batchId,
    source: 'donation',
    supplier: '爱心企业',
    unitPriceFen: null,
    reason: null,
    note: '爱心企业捐赠',
  });
  expect(terms(calledUp.movements[0]!)).toEqual(['callUp', '协议储备企业', 125050]);

  const stored = await env.app.db
    .selectFrom('movements')
    .select(['type', 'source', 'supplier', 'unitPriceFen', 'reason'])
    .where('batchId', '=', batchId)
    .orderBy('movementId')
    .execute();
  expect(stored).toEqual([
    { type: 'receipt', source: 'procurement', supplier: '某帐篷厂', unitPriceFen: 132000, reason: null },
    { type: 'receipt', source: 'donation', supplier: '爱心企业', unitPriceFen: null, reason: null },
    { type: 'receipt', source: 'callUp', supplier: '协议储备企业', unitPriceFen: 125050, reason: null },
    // Only receipts carry terms.
    { type: 'issue', source: null, supplier: null, unitPriceFen: null, reason: null },
  ]);
  expect(
    await env.app.db
      .selectFrom('batches')
      .select(['source', 'supplier', 'unitPriceFen'])
      .where('batchId', '=', batchId)
      .executeTakeFirstOrThrow(),
  ).toEqual({ source: 'procurement', supplier: '某帐篷厂', unitPriceFen: 132000 });

  // The history, newest first.
  const history = await env.call(w.keeper.token, 'stock.movements', { batchId });
  expect(history.rows.map((m) => [m.type, ...terms(m)])).toEqual([
    ['issue', null, null, null],
    ['receipt', 'callUp', '协议储备企业', 125050],
    ['receipt', 'donation', '爱心企业', null],
    ['receipt', 'procurement', '某帐篷厂', 132000],
  ]);

  // The stock card: the batch's first terms, and every receipt's.
  const card = await env.call(w.keeper.token, 'stock.batch', { batchId });
  expect(card).toMatchObject({
    source: 'procurement',
    supplier: '某帐篷厂',
    unitPriceFen: 132000,
    onHand: 32,
  });
  expect(card.receiptTerms).toEqual([
    { source: 'procurement', supplier: '某帐篷厂', unitPriceFen: 132000, quantity: 20, receipts: 1 },
    { source: 'donation', supplier: '爱心企业', unitPriceFen: null, quantity: 10, receipts: 1 },
    { source: 'callUp', supplier: '协议储备企业', unitPriceFen: 125050, quantity: 6, receipts: 1 },
  ]);

  // The audit record of the second receipt says what it came in on.
  const audit = await env.call(w.admin.token, 'audit.list', { limit: 10 });
  const record = audit.rows.find((r) => r.action === 'stock.receive' && r.entityId === donated.docNo);
  expect(record?.after).toMatchObject({
    input: { source: 'donation', lines: [{ supplier: '爱心企业', quantity: 10 }] },
    movementIds: [donated.movements[0]!.movementId],
  });
});

test('the stock card adds up receipts on the same terms, leaves reversed ones out, and a transferred lot has none', async () => {
  const line = { materialId: w.quilt.materialId, lotNo: 'Q-1', supplier: '某被服厂', unitPriceFen: 8800 };
  const first = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ ...line, quantity: 30 }],
  });
  const batchId = first.movements[0]!.batchId;
  await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ ...line, quantity: 12 }],
  });
  const mistaken = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'donation',
    lines: [{ materialId: w.quilt.materialId, quantity: 5, batchId, supplier: '红十字会' }],
  });
  await env.call(w.keeper.token, 'stock.reverse', {
    movementId: mistaken.movements[0]!.movementId,
    reason: '来源录错',
  });
  expect((await env.call(w.keeper.token, 'stock.batch', { batchId })).receiptTerms).toEqual([
    { source: 'procurement', supplier: '某被服厂', unitPriceFen: 8800, quantity: 42, receipts: 2 },
  ]);

  const moved = await env.call(w.keeper.token, 'stock.transfer', {
    fromDepotId: w.city.depotId,
    toDepotId: w.shinan.depotId,
    lines: [{ materialId: w.quilt.materialId, quantity: 10, batchId }],
  });
  const inLeg = moved.movements.find((m) => m.type === 'transfer_in')!;
  expect(terms(inLeg)).toEqual([null, null, null]);
  const target = await env.call(w.keeper.token, 'stock.batch', { batchId: inLeg.batchId });
  expect(target).toMatchObject({
    source: 'transfer',
    supplier: '某被服厂',
    unitPriceFen: 8800,
    receiptTerms: [],
  });
});
