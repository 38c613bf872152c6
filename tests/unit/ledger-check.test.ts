/** `ledger check`: recomputes every maintained balance from the ledger and reports differences. */
import { sql } from 'kysely';
import { createTestEnv, createWorld, reserve, type TestEnv } from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;
let batchA: number;
let batchB: number;

beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
  const r = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [
      { materialId: w.quilt.materialId, quantity: 30, lotNo: 'A' },
      { materialId: w.quilt.materialId, quantity: 20, lotNo: 'B' },
    ],
  });
  [batchA, batchB] = r.movements.map((m) => m.batchId) as [number, number];
  await env.call(w.keeper.token, 'stock.issue', {
    depotId: w.city.depotId,
    recipient: 'x',
    lines: [{ materialId: w.quilt.materialId, quantity: 5 }],
  });
  await env.call(w.keeper.token, 'stock.transfer', {
    fromDepotId: w.city.depotId,
    toDepotId: w.shinan.depotId,
    lines: [{ materialId: w.quilt.materialId, quantity: 4 }],
  });
  await reserve(env, w.city.depotId, w.quilt.materialId, 7);
});
afterEach(() => env.close());

const check = () => env.call(w.admin.token, 'ledger.check');

test('is ok when the balances agree with the ledger, and counts what it checked', async () => {
  const r = await check();
  expect(r).toMatchObject({ ok: true, movements: 5, batches: 3, differences: [], negatives: 0 });
  expect(r.elapsedMs).toBeGreaterThanOrEqual(0);
});

test('reads one moment: writes arriving while it runs cause no false difference', async () => {
  const issue = (n: number) =>
    env.call(w.keeper.token, 'stock.issue', {
      depotId: w.city.depotId,
      recipient: `r${n}`,
      lines: [{ materialId: w.quilt.materialId, quantity: 1 }],
    });
  const [r] = await Promise.all([check(), issue(1), issue(2), issue(3)]);
  expect(r).toMatchObject({ ok: true, differences: [] });
  expect(await check()).toMatchObject({ ok: true, movements: 8 });
});

test('reports a batch balance that differs from the sum of its movements', async () => {
  await sql`update batch_balances set on_hand = on_hand + 3 where batch_id = ${batchB}`.execute(env.app.db);
  const r = await check();
  expect(r.ok).toBe(false);
  expect(r.differences).toEqual([
    {
      kind: 'batch',
      depotId: w.city.depotId,
      materialId: w.quilt.materialId,
      batchId: batchB,
      field: 'onHand',
      maintained: '23',
      recomputed: '20',
    },
  ]);
});

test('reports a depot total that differs, and reserved quantities that differ from the active reservations', async () => {
  await sql`update stock_levels set on_hand = on_hand - 1, reserved = 0 where depot_id = ${w.city.depotId} and material_id = ${w.quilt.materialId}`.execute(
    env.app.db,
  );
  const r = await check();
  expect(r.ok).toBe(false);
  expect(r.differences).toEqual([
    {
      kind: 'depotMaterial',
      depotId: w.city.depotId,
      materialId: w.quilt.materialId,
      batchId: null,
      field: 'onHand',
      maintained: '40',
      recomputed: '41',
    },
    {
      kind: 'depotMaterial',
      depotId: w.city.depotId,
      materialId: w.quilt.materialId,
      batchId: null,
      field: 'reserved',
      maintained: '0',
      recomputed: '7',
    },
  ]);
});

test('reports a missing balance row and a balance with no ledger behind it', async () => {
  await env.app.db.deleteFrom('batchBalances').where('batchId', '=', batchA).execute();
  const r = await check();
  expect(r.differences).toContainEqual({
    kind: 'batch',
    depotId: w.city.depotId,
    materialId: w.quilt.materialId,
    batchId: batchA,
    field: 'onHand',
    maintained: '0',
    recomputed: '21',
  });
  expect(r.ok).toBe(false);
});

test('reports a movement removed from under the balances', async () => {
  // Nothing references an issue movement: the foreign keys stay on.
  expect(
    Number(
      (await env.app.db.deleteFrom('movements').where('type', '=', 'issue').executeTakeFirst())
        .numDeletedRows,
    ),
  ).toBe(1);
  const r = await check();
  expect(r.ok).toBe(false);
  expect(r.differences.map((d) => [d.kind, d.field, d.maintained, d.recomputed])).toEqual([
    ['batch', 'onHand', '21', '26'],
    ['depotMaterial', 'onHand', '41', '46'],
  ]);
});
