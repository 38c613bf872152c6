/** Stocktake (盘点): open freezes the book, counts are entered, approval posts gains and losses. */
import {
  batchOnHand,
  countRows,
  createTestEnv,
  createWorld,
  failsCleanly,
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
    source: 'opening',
    lines: [
      { materialId: w.tent.materialId, quantity: 10, lotNo: 'T1' },
      { materialId: w.quilt.materialId, quantity: 50, lotNo: 'Q1', expiresOn: '2030-01-01' },
      { materialId: w.quilt.materialId, quantity: 20, lotNo: 'Q2', expiresOn: '2029-01-01' },
      { materialId: w.jacket.materialId, quantity: 3, lotNo: 'J1' },
    ],
  });
  lots = Object.fromEntries(r.movements.map((m) => [m.lotNo, m.batchId]));
  // An empty batch is not counted.
  await env.call(w.keeper.token, 'stock.issue', {
    depotId: w.city.depotId,
    recipient: 'x',
    lines: [{ materialId: w.jacket.materialId, quantity: 3 }],
  });
});
afterEach(() => env.close());

async function open() {
  return env.call(w.keeper.token, 'stocktake.open', { depotId: w.city.depotId, note: '年终盘点' });
}

test('opening freezes the book quantity of every batch with stock, in the order people read them', async () => {
  const st = await open();
  expect(st).toMatchObject({
    docNo: 'PD-20261130-0001',
    depotId: w.city.depotId,
    status: 'open',
    note: '年终盘点',
    lineCount: 3,
    countedCount: 0,
    closedAt: null,
  });
  // By material code, then expiry.
  expect(
    st.lines.map((l) => [l.materialCode, l.lotNo, l.bookQuantity, l.countedQuantity, l.difference]),
  ).toEqual([
    ['M0001', 'T1', 10, null, null],
    ['M0002', 'Q2', 20, null, null],
    ['M0002', 'Q1', 50, null, null],
  ]);
});

describe('while a depot is being counted', () => {
  test('no movement may touch it: receipt, issue, transfer either way, scrap, reversal', async () => {
    const receipt = (
      await env.call(w.keeper.token, 'stock.receive', {
        depotId: w.city.depotId,
        source: 'procurement',
        lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'T9' }],
      })
    ).movements[0]!;
    await env.call(w.admin.token, 'stock.receive', {
      depotId: w.shinan.depotId,
      source: 'procurement',
      lines: [{ materialId: w.tent.materialId, quantity: 5, lotNo: 'SN' }],
    });
    const st = await open();
    const message = `「青岛市级救灾物资储备库」正在盘点（${st.docNo}），盘点结束前不能出入库`;
    const d = w.city.depotId;
    const attempts: [string, unknown][] = [
      [
        'stock.receive',
        {
          depotId: d,
          source: 'procurement',
          lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'T1' }],
        },
      ],
      [
        'stock.issue',
        { depotId: d, recipient: 'x', lines: [{ materialId: w.tent.materialId, quantity: 1 }] },
      ],
      [
        'stock.transfer',
        {
          fromDepotId: d,
          toDepotId: w.shinan.depotId,
          lines: [{ materialId: w.tent.materialId, quantity: 1 }],
        },
      ],
      [
        'stock.transfer',
        {
          fromDepotId: w.shinan.depotId,
          toDepotId: d,
          lines: [{ materialId: w.tent.materialId, quantity: 1 }],
        },
      ],
      ['stock.scrap', { depotId: d, reason: '破损', lines: [{ batchId: lots.T1, quantity: 1 }] }],
      ['stock.reverse', { movementId: receipt.movementId, reason: '录错' }],
    ];
    for (const [procedure, input] of attempts) {
      const error = await failsCleanly(env, w.admin.token, procedure, input);
      expect([procedure, error]).toEqual([procedure, { code: 'CONFLICT', message }]);
    }
    // Other depots carry on.
    await env.call(w.admin.token, 'stock.issue', {
      depotId: w.shinan.depotId,
      recipient: 'x',
      lines: [{ materialId: w.tent.materialId, quantity: 1 }],
    });
  });

  test('a second stocktake cannot be opened', async () => {
    const st = await open();
    const error = await failsCleanly(env, w.admin.token, 'stocktake.open', { depotId: w.city.depotId });
    expect(error).toEqual({
      code: 'CONFLICT',
      message: `「青岛市级救灾物资储备库」已有进行中的盘点单 ${st.docNo}`,
    });
  });
});

test('a deactivated depot cannot be counted', async () => {
  await env.call(w.admin.token, 'depot.update', { depotId: w.laoshan.depotId, active: false });
  const error = await failsCleanly(env, w.admin.token, 'stocktake.open', { depotId: w.laoshan.depotId });
  expect(error).toEqual({
    code: 'CONFLICT',
    message: '储备库「崂山区储备库」已停用',
    fields: [{ path: 'depotId', label: '储备库', message: '储备库「崂山区储备库」已停用' }],
  });
});

test('counts are entered and can be corrected; the difference is counted − book', async () => {
  const st = await open();
  const [t1, q2] = st.lines;
  let after = await env.call(w.keeper.token, 'stocktake.count', {
    stocktakeId: st.stocktakeId,
    counts: [{ lineId: t1!.lineId, countedQuantity: 12, reason: '上次漏记' }],
  });
  expect(after.lines[0]).toMatchObject({ countedQuantity: 12, difference: 2, reason: '上次漏记' });
  expect(after).toMatchObject({ countedCount: 1, differenceCount: 1 });
  after = await env.call(w.keeper.token, 'stocktake.count', {
    stocktakeId: st.stocktakeId,
    counts: [
      { lineId: t1!.lineId, countedQuantity: 10 },
      { lineId: q2!.lineId, countedQuantity: 20 },
    ],
  });
  expect(after.lines.slice(0, 2).map((l) => [l.countedQuantity, l.difference, l.reason])).toEqual([
    [10, 0, null],
    [20, 0, null],
  ]);
  expect(after).toMatchObject({ countedCount: 2, differenceCount: 0 });
});

test('a line of another stocktake cannot be counted here', async () => {
  const st = await open();
  const other = await env.call(w.admin.token, 'stocktake.open', { depotId: w.shinan.depotId });
  expect(other.lines).toEqual([]);
  const error = await failsCleanly(env, w.admin.token, 'stocktake.count', {
    stocktakeId: other.stocktakeId,
    counts: [{ lineId: st.lines[0]!.lineId, countedQuantity: 1 }],
  });
  expect(error.code).toBe('NOT_FOUND');
  expect(error.fields![0]).toMatchObject({ path: 'counts.0.lineId', label: '第 1 行 · 盘点行' });
});

describe('approval', () => {
  test('requires every line counted', async () => {
    const st = await open();
    await env.call(w.keeper.token, 'stocktake.count', {
      stocktakeId: st.stocktakeId,
      counts: [{ lineId: st.lines[0]!.lineId, countedQuantity: 10 }],
    });
    const error = await failsCleanly(env, w.admin.token, 'stocktake.approve', {
      stocktakeId: st.stocktakeId,
    });
    expect(error).toEqual({ code: 'BAD_INPUT', message: '还有 2 行未录入实盘数' });
  });

  test('requires a reason for every difference, naming the lines', async () => {
    const st = await open();
    await env.call(w.keeper.token, 'stocktake.count', {
      stocktakeId: st.stocktakeId,
      counts: [
        { lineId: st.lines[0]!.lineId, countedQuantity: 10 },
        { lineId: st.lines[1]!.lineId, countedQuantity: 19 },
        { lineId: st.lines[2]!.lineId, countedQuantity: 51, reason: '' },
      ],
    });
    const error = await failsCleanly(env, w.admin.token, 'stocktake.approve', {
      stocktakeId: st.stocktakeId,
    });
    expect(error.code).toBe('BAD_INPUT');
    expect(error.fields).toEqual([
      { path: 'lines.1.reason', label: '第 2 行 · 原因', message: '有差异时必须填写原因' },
      { path: 'lines.2.reason', label: '第 3 行 · 原因', message: '有差异时必须填写原因' },
    ]);
  });

  test('posts each difference as a gain or loss with its reason under the PD number, then unfreezes', async () => {
    const st = await open();
    await env.call(w.keeper.token, 'stocktake.count', {
      stocktakeId: st.stocktakeId,
      counts: [
        { lineId: st.lines[0]!.lineId, countedQuantity: 10 },
        { lineId: st.lines[1]!.lineId, countedQuantity: 17, reason: '鼠咬损坏 3 床' },
        { lineId: st.lines[2]!.lineId, countedQuantity: 52, reason: '入库时少记' },
      ],
    });
    const r = await env.call(w.admin.token, 'stocktake.approve', { stocktakeId: st.stocktakeId });
    expect(r.movements.map((m) => [m.docNo, m.type, m.lotNo, m.quantity, m.reason])).toEqual([
      [st.docNo, 'stocktake_loss', 'Q2', -3, '鼠咬损坏 3 床'],
      [st.docNo, 'stocktake_gain', 'Q1', 2, '入库时少记'],
    ]);
    expect(r.stocktake).toMatchObject({
      status: 'approved',
      closedAt: '2026-11-30T02:00:00.000Z',
      differenceCount: 2,
    });
    expect(r.stocktake.closedBy).toBe('admin 1');
    expect(await batchOnHand(env, lots.Q2!)).toBe(17);
    expect(await batchOnHand(env, lots.Q1!)).toBe(52);
    expect(await batchOnHand(env, lots.T1!)).toBe(10);
    expect((await levelOf(env, w.city.depotId, w.quilt.materialId)).onHand).toBe(69);
    const stored = await env.app.db
      .selectFrom('movements')
      .select(['movementId'])
      .where('stocktakeId', '=', st.stocktakeId)
      .execute();
    expect(stored).toHaveLength(2);
    expect((await env.call(w.admin.token, 'ledger.check')).ok).toBe(true);
    // Closed: no more counting or approving; movements are allowed again.
    expect(
      (await failsCleanly(env, w.admin.token, 'stocktake.approve', { stocktakeId: st.stocktakeId })).code,
    ).toBe('CONFLICT');
    const count = await failsCleanly(env, w.keeper.token, 'stocktake.count', {
      stocktakeId: st.stocktakeId,
      counts: [{ lineId: st.lines[0]!.lineId, countedQuantity: 1 }],
    });
    expect(count).toEqual({ code: 'CONFLICT', message: `盘点单 ${st.docNo} 不是盘点中状态` });
    await env.call(w.keeper.token, 'stock.issue', {
      depotId: w.city.depotId,
      recipient: 'x',
      lines: [{ materialId: w.tent.materialId, quantity: 1 }],
    });
  });

  test('only an administrator or coordinator may approve', async () => {
    const st = await open();
    await env.call(w.keeper.token, 'stocktake.count', {
      stocktakeId: st.stocktakeId,
      counts: st.lines.map((l) => ({ lineId: l.lineId, countedQuantity: l.bookQuantity })),
    });
    const keeperError = await failsCleanly(env, w.keeper.token, 'stocktake.approve', {
      stocktakeId: st.stocktakeId,
    });
    expect(keeperError).toEqual({ code: 'FORBIDDEN', message: '角色「保管员」不能执行此操作' });
    const staff = await env.user('staff');
    expect(
      (await failsCleanly(env, staff.token, 'stocktake.approve', { stocktakeId: st.stocktakeId })).code,
    ).toBe('FORBIDDEN');
    const coordinator = await env.user('coordinator');
    const r = await env.call(coordinator.token, 'stocktake.approve', { stocktakeId: st.stocktakeId });
    expect(r.movements).toEqual([]); // book matches count: nothing to post
    expect(r.stocktake.status).toBe('approved');
  });
});

test('cancelling posts nothing and unfreezes the depot', async () => {
  const st = await open();
  await env.call(w.keeper.token, 'stocktake.count', {
    stocktakeId: st.stocktakeId,
    counts: [{ lineId: st.lines[0]!.lineId, countedQuantity: 1, reason: '丢失' }],
  });
  const movementsBefore = await countRows(env, 'movements');
  expect(movementsBefore).toBeGreaterThan(0);
  const cancelled = await env.call(w.keeper.token, 'stocktake.cancel', { stocktakeId: st.stocktakeId });
  expect(cancelled).toMatchObject({ status: 'cancelled', closedBy: 'keeper 2' });
  expect(await countRows(env, 'movements')).toBe(movementsBefore);
  expect(await batchOnHand(env, lots.T1!)).toBe(10);
  expect(
    (await failsCleanly(env, w.admin.token, 'stocktake.approve', { stocktakeId: st.stocktakeId })).code,
  ).toBe('CONFLICT');
  await env.call(w.keeper.token, 'stock.issue', {
    depotId: w.city.depotId,
    recipient: 'x',
    lines: [{ materialId: w.tent.materialId, quantity: 1 }],
  });
});

test('list and get', async () => {
  const st = await open();
  await env.call(w.keeper.token, 'stocktake.cancel', { stocktakeId: st.stocktakeId });
  const second = await open();
  expect(second.docNo).toBe('PD-20261130-0002');
  const staff = await env.user('staff');
  const all = await env.call(staff.token, 'stocktake.list', {});
  expect(all.map((s) => [s.docNo, s.status])).toEqual([
    ['PD-20261130-0002', 'open'],
    ['PD-20261130-0001', 'cancelled'],
  ]);
  expect((await env.call(staff.token, 'stocktake.list', { status: 'open' })).map((s) => s.docNo)).toEqual([
    'PD-20261130-0002',
  ]);
  expect(await env.call(staff.token, 'stocktake.list', { depotId: w.shinan.depotId })).toEqual([]);
  expect(
    (await env.call(staff.token, 'stocktake.get', { stocktakeId: second.stocktakeId })).lines,
  ).toHaveLength(3);
});

test('a loss that would take a batch below zero is refused whole, naming the line', async () => {
  // Simulate a maintained balance that drifted after the book was frozen: the ledger's
  // conditional update (on_hand >= quantity, checked by rows affected; the schema's CHECK
  // on_hand >= 0 behind it) refuses the posting, and the whole transaction rolls back.
  const st = await open();
  await env.call(w.keeper.token, 'stocktake.count', {
    stocktakeId: st.stocktakeId,
    counts: st.lines.map((l) => ({ lineId: l.lineId, countedQuantity: 0, reason: '全部丢失' })),
  });
  await env.app.db.updateTable('batchBalances').set({ onHand: 5 }).where('batchId', '=', lots.Q1!).execute();
  const error = await failsCleanly(env, w.admin.token, 'stocktake.approve', { stocktakeId: st.stocktakeId });
  const message = '批次「Q1」库存不足：需要 50，结存 5';
  expect(error).toEqual({
    code: 'INSUFFICIENT_STOCK',
    message,
    fields: [{ path: 'lines.2.countedQuantity', label: '第 3 行 · 实盘数量', message }],
  });
  expect((await env.call(w.admin.token, 'stocktake.get', { stocktakeId: st.stocktakeId })).status).toBe(
    'open',
  );
});
