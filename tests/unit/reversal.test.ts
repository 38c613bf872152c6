/** Reversal (红冲): the exact opposite of a posted movement, once; posted movements never change. */
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

beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
});
afterEach(() => env.close());

async function receive(quantity: number, lotNo = 'Q1') {
  const r = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.quilt.materialId, quantity, lotNo, expiresOn: '2030-01-01' }],
  });
  return r.movements[0]!;
}

function movementRow(movementId: number) {
  return env.app.db
    .selectFrom('movements')
    .selectAll()
    .where('movementId', '=', movementId)
    .executeTakeFirstOrThrow();
}

test('reversing a receipt cancels it exactly and leaves the original untouched', async () => {
  const receipt = await receive(40);
  const originalRow = await movementRow(receipt.movementId);
  const r = await env.call(w.keeper.token, 'stock.reverse', {
    movementId: receipt.movementId,
    reason: '数量录错',
  });
  expect(r.docNo).toBe('HC-20261130-0001');
  expect(r.movements).toHaveLength(1);
  expect(r.movements[0]).toMatchObject({
    type: 'reversal',
    depotId: w.city.depotId,
    materialId: w.quilt.materialId,
    batchId: receipt.batchId,
    quantity: -40,
    reversesMovementId: receipt.movementId,
    reason: '数量录错',
    userId: w.keeper.userId,
  });
  expect(await batchOnHand(env, receipt.batchId)).toBe(0);
  expect(await ledgerOnHand(env, receipt.batchId)).toBe(0);
  expect((await levelOf(env, w.city.depotId, w.quilt.materialId)).onHand).toBe(0);
  expect(await movementRow(receipt.movementId)).toEqual(originalRow);
  const history = await env.call(w.admin.token, 'stock.movements', { batchId: receipt.batchId });
  expect(history.rows.map((m) => [m.type, m.quantity, m.reversedBy])).toEqual([
    ['reversal', -40, null],
    ['receipt', 40, r.movements[0]!.movementId],
  ]);
});

test('reversing an issue puts the goods back in the same batch', async () => {
  const receipt = await receive(40);
  const issue = await env.call(w.keeper.token, 'stock.issue', {
    depotId: w.city.depotId,
    recipient: 'x',
    lines: [{ materialId: w.quilt.materialId, quantity: 15 }],
  });
  const r = await env.call(w.keeper.token, 'stock.reverse', {
    movementId: issue.movements[0]!.movementId,
    reason: '未实际出库',
  });
  expect(r.movements[0]).toMatchObject({ batchId: receipt.batchId, quantity: 15 });
  expect(await batchOnHand(env, receipt.batchId)).toBe(40);
});

test('reversing a scrap restores the batch', async () => {
  const receipt = await receive(10);
  const scrap = await env.call(w.keeper.token, 'stock.scrap', {
    depotId: w.city.depotId,
    reason: '破损',
    lines: [{ batchId: receipt.batchId, quantity: 4 }],
  });
  await env.call(w.keeper.token, 'stock.reverse', {
    movementId: scrap.movements[0]!.movementId,
    reason: '误报废',
  });
  expect(await batchOnHand(env, receipt.batchId)).toBe(10);
});

test('reversing twice is a CONFLICT naming the document, and nothing is written', async () => {
  const receipt = await receive(40);
  await env.call(w.keeper.token, 'stock.reverse', { movementId: receipt.movementId, reason: '录错' });
  const error = await failsCleanly(env, w.keeper.token, 'stock.reverse', {
    movementId: receipt.movementId,
    reason: '再冲一次',
  });
  expect(error).toEqual({ code: 'CONFLICT', message: '记录 RK-20261130-0001 已经红冲过，不能重复红冲' });
});

test('a reversal cannot be reversed', async () => {
  const receipt = await receive(40);
  const r = await env.call(w.keeper.token, 'stock.reverse', {
    movementId: receipt.movementId,
    reason: '录错',
  });
  const error = await failsCleanly(env, w.keeper.token, 'stock.reverse', {
    movementId: r.movements[0]!.movementId,
    reason: '冲回',
  });
  expect(error).toEqual({ code: 'CONFLICT', message: '红冲记录不能再红冲；如需恢复请重新录入' });
});

test('reversing a receipt whose stock has been issued is INSUFFICIENT_STOCK', async () => {
  const receipt = await receive(40);
  await env.call(w.keeper.token, 'stock.issue', {
    depotId: w.city.depotId,
    recipient: 'x',
    lines: [{ materialId: w.quilt.materialId, quantity: 1 }],
  });
  const error = await failsCleanly(env, w.keeper.token, 'stock.reverse', {
    movementId: receipt.movementId,
    reason: '录错',
  });
  expect(error).toEqual({
    code: 'INSUFFICIENT_STOCK',
    message: '批次「Q1」库存不足：需要 40，结存 39',
    fields: [{ path: 'movementId', label: '出入库记录', message: '批次「Q1」库存不足：需要 40，结存 39' }],
  });
});

describe('transfers', () => {
  async function transferOut(quantity: number) {
    await receive(50);
    return env.call(w.keeper.token, 'stock.transfer', {
      fromDepotId: w.city.depotId,
      toDepotId: w.shinan.depotId,
      lines: [{ materialId: w.quilt.materialId, quantity }],
    });
  }

  test.each(['transfer_out', 'transfer_in'])(
    'reversing the %s leg reverses both legs in one document',
    async (leg) => {
      const t = await transferOut(20);
      const [out, into] = t.movements;
      const chosen = leg === 'transfer_out' ? out! : into!;
      const r = await env.call(w.keeper.token, 'stock.reverse', {
        movementId: chosen.movementId,
        reason: '调错库',
      });
      expect(r.movements.map((m) => [m.depotId, m.quantity, m.reversesMovementId]).sort()).toEqual(
        [
          [w.city.depotId, 20, out!.movementId],
          [w.shinan.depotId, -20, into!.movementId],
        ].sort(),
      );
      expect(new Set(r.movements.map((m) => m.docNo))).toEqual(new Set([r.docNo]));
      expect((await levelOf(env, w.city.depotId, w.quilt.materialId)).onHand).toBe(50);
      expect((await levelOf(env, w.shinan.depotId, w.quilt.materialId)).onHand).toBe(0);
      // Either leg now counts as reversed.
      const other = leg === 'transfer_out' ? into! : out!;
      const error = await failsCleanly(env, w.keeper.token, 'stock.reverse', {
        movementId: other.movementId,
        reason: '再冲',
      });
      expect(error.code).toBe('CONFLICT');
      expect((await env.call(w.admin.token, 'ledger.check')).ok).toBe(true);
    },
  );

  test('reversing a transfer whose goods have left the destination is INSUFFICIENT_STOCK', async () => {
    const t = await transferOut(20);
    await env.call(w.admin.token, 'stock.issue', {
      depotId: w.shinan.depotId,
      recipient: 'x',
      lines: [{ materialId: w.quilt.materialId, quantity: 5 }],
    });
    const error = await failsCleanly(env, w.keeper.token, 'stock.reverse', {
      movementId: t.movements[0]!.movementId,
      reason: '调错库',
    });
    expect(error.code).toBe('INSUFFICIENT_STOCK');
    expect(error.message).toBe('批次「Q1」库存不足：需要 20，结存 15');
  });
});

test('needs a reason', async () => {
  const receipt = await receive(5);
  const error = await failsCleanly(env, w.keeper.token, 'stock.reverse', {
    movementId: receipt.movementId,
    reason: ' ',
  });
  expect(error.fields).toEqual([{ path: 'reason', label: '原因', message: '不能为空' }]);
});
