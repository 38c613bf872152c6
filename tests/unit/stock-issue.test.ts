/** Issue (出库) by first-expiry-first-out, and scrap (报废) from named batches. */
import {
  batchOnHand,
  createTestEnv,
  createWorld,
  failsCleanly,
  levelOf,
  snapshot,
  type TestEnv,
} from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;
/** Batch ids by lot number, for the lots received in beforeEach. */
let lots: Record<string, number>;

// The clock stands at 2026-11-30 10:00 in Qingdao (02:00 UTC).
beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
  const r = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [
      { materialId: w.quilt.materialId, quantity: 40, lotNo: 'LATE', expiresOn: '2028-06-30' },
      { materialId: w.quilt.materialId, quantity: 10, lotNo: 'NOEXP', expiresOn: null },
      { materialId: w.quilt.materialId, quantity: 30, lotNo: 'EARLY', expiresOn: '2027-01-31' },
      { materialId: w.quilt.materialId, quantity: 25, lotNo: 'EXPIRED', expiresOn: '2026-11-29' },
      { materialId: w.quilt.materialId, quantity: 5, lotNo: 'TODAY', expiresOn: '2026-11-30' },
      { materialId: w.quilt.materialId, quantity: 15, lotNo: 'LATE-TWIN', expiresOn: '2028-06-30' },
    ],
  });
  lots = Object.fromEntries(r.movements.map((m) => [m.lotNo, m.batchId]));
});
afterEach(() => env.close());

function issue(quantity: number, batchId?: number) {
  return env.call(w.keeper.token, 'stock.issue', {
    depotId: w.city.depotId,
    recipient: '市南区应急局',
    reason: '台风转移安置',
    lines: [{ materialId: w.quilt.materialId, quantity, ...(batchId === undefined ? {} : { batchId }) }],
  });
}

describe('FEFO', () => {
  test('picks the earliest expiry first, across as many batches as needed', async () => {
    const r = await issue(40);
    expect(r.docNo).toBe('CK-20261130-0001');
    // Expiring today is still good; expired yesterday is skipped.
    expect(r.movements.map((m) => [m.lotNo, m.quantity])).toEqual([
      ['TODAY', -5],
      ['EARLY', -30],
      ['LATE', -5],
    ]);
    expect(
      r.movements.every(
        (m) =>
          m.type === 'issue' &&
          m.expiredOverride === false &&
          m.recipient === '市南区应急局' &&
          m.reason === '台风转移安置',
      ),
    ).toBe(true);
    expect(await batchOnHand(env, lots.TODAY!)).toBe(0);
    expect(await batchOnHand(env, lots.EARLY!)).toBe(0);
    expect(await batchOnHand(env, lots.LATE!)).toBe(35);
    expect(await batchOnHand(env, lots.EXPIRED!)).toBe(25);
    expect((await levelOf(env, w.city.depotId, w.quilt.materialId)).onHand).toBe(125 - 40);
  });

  test('equal expiry dates go in the order the batches arrived; batches without an expiry go last', async () => {
    const r = await issue(95);
    expect(r.movements.map((m) => [m.lotNo, m.quantity])).toEqual([
      ['TODAY', -5],
      ['EARLY', -30],
      ['LATE', -40],
      ['LATE-TWIN', -15],
      ['NOEXP', -5],
    ]);
  });

  test('expired stock is not picked: asking for more than the unexpired stock is INSUFFICIENT_STOCK', async () => {
    // On hand 125, of which 25 expired: 100 can leave by FEFO.
    const error = await failsCleanly(env, w.keeper.token, 'stock.issue', {
      depotId: w.city.depotId,
      recipient: 'x',
      lines: [{ materialId: w.quilt.materialId, quantity: 101 }],
    });
    expect(error).toEqual({
      code: 'INSUFFICIENT_STOCK',
      message: '「棉被」在「青岛市级救灾物资储备库」可用库存不足：需要 101，可用 100',
      fields: [
        {
          path: 'lines.0.quantity',
          label: '第 1 行 · 数量',
          message: '「棉被」在「青岛市级救灾物资储备库」可用库存不足：需要 101，可用 100',
        },
      ],
    });
  });

  test('an expired batch leaves only when chosen, and the movement says so', async () => {
    const r = await issue(20, lots.EXPIRED);
    expect(r.movements).toHaveLength(1);
    expect(r.movements[0]).toMatchObject({ lotNo: 'EXPIRED', quantity: -20, expiredOverride: true });
    expect(await batchOnHand(env, lots.EXPIRED!)).toBe(5);
    const stored = await env.app.db
      .selectFrom('movements')
      .select('expiredOverride')
      .where('movementId', '=', r.movements[0]!.movementId)
      .executeTakeFirstOrThrow();
    expect(stored.expiredOverride).toBe(1);
  });

  test('a chosen batch that has not expired is not marked as an override', async () => {
    const r = await issue(10, lots.LATE);
    expect(r.movements[0]).toMatchObject({ lotNo: 'LATE', quantity: -10, expiredOverride: false });
  });

  test('a chosen batch cannot give more than it holds, naming the lot', async () => {
    const error = await failsCleanly(env, w.keeper.token, 'stock.issue', {
      depotId: w.city.depotId,
      recipient: 'x',
      lines: [{ materialId: w.quilt.materialId, quantity: 31, batchId: lots.EARLY }],
    });
    expect(error).toEqual({
      code: 'INSUFFICIENT_STOCK',
      message: '批次「EARLY」库存不足：需要 31，结存 30',
      fields: [
        {
          path: 'lines.0.quantity',
          label: '第 1 行 · 数量',
          message: '批次「EARLY」库存不足：需要 31，结存 30',
        },
      ],
    });
  });

  test('when only expired stock is left nothing can be issued by FEFO', async () => {
    await issue(100);
    const error = await failsCleanly(env, w.keeper.token, 'stock.issue', {
      depotId: w.city.depotId,
      recipient: 'x',
      lines: [{ materialId: w.quilt.materialId, quantity: 1 }],
    });
    expect(error.code).toBe('INSUFFICIENT_STOCK');
    expect(error.message).toBe('「棉被」在「青岛市级救灾物资储备库」可用库存不足：需要 1，可用 0');
  });
});

describe('never more than there is', () => {
  test('issuing a material the depot does not hold is INSUFFICIENT_STOCK', async () => {
    const error = await failsCleanly(env, w.keeper.token, 'stock.issue', {
      depotId: w.city.depotId,
      recipient: 'x',
      lines: [{ materialId: w.tent.materialId, quantity: 1 }],
    });
    expect(error.code).toBe('INSUFFICIENT_STOCK');
    expect(error.message).toBe('「救灾专用单帐篷」在「青岛市级救灾物资储备库」可用库存不足：需要 1，可用 0');
  });

  test('an issue is one transaction: when a later line fails, the earlier lines are not written', async () => {
    const before = await snapshot(env);
    const error = await failsCleanly(env, w.keeper.token, 'stock.issue', {
      depotId: w.city.depotId,
      recipient: 'x',
      lines: [
        { materialId: w.quilt.materialId, quantity: 60 },
        { materialId: w.quilt.materialId, quantity: 41 }, // 100 unexpired − 60 = 40 left
      ],
    });
    expect(error.code).toBe('INSUFFICIENT_STOCK');
    expect(error.fields![0]!.path).toBe('lines.1.quantity');
    expect(error.message).toContain('需要 41，可用 40');
    expect(await snapshot(env)).toEqual(before);
    expect((await issue(1)).docNo).toBe('CK-20261130-0001');
  });

  test('down to exactly zero, then not one more', async () => {
    await issue(100);
    await issue(25, lots.EXPIRED);
    expect((await levelOf(env, w.city.depotId, w.quilt.materialId)).onHand).toBe(0);
    const error = await failsCleanly(env, w.keeper.token, 'stock.issue', {
      depotId: w.city.depotId,
      recipient: 'x',
      lines: [{ materialId: w.quilt.materialId, quantity: 1, batchId: lots.EXPIRED }],
    });
    expect(error.code).toBe('INSUFFICIENT_STOCK');
    const negatives = await env.app.db
      .selectFrom('batchBalances')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('onHand', '<', 0)
      .executeTakeFirstOrThrow();
    expect(Number(negatives.n)).toBe(0);
  });
});

describe('scrap', () => {
  test('takes the quantity from the named batch with the reason, under a BF number', async () => {
    const r = await env.call(w.keeper.token, 'stock.scrap', {
      depotId: w.city.depotId,
      reason: '过期霉变',
      note: '经鉴定不可使用',
      lines: [
        { batchId: lots.EXPIRED!, quantity: 25 },
        { batchId: lots.LATE!, quantity: 2 },
      ],
    });
    expect(r.docNo).toBe('BF-20261130-0001');
    expect(r.movements.map((m) => [m.type, m.lotNo, m.quantity, m.reason, m.note])).toEqual([
      ['scrap', 'EXPIRED', -25, '过期霉变', '经鉴定不可使用'],
      ['scrap', 'LATE', -2, '过期霉变', '经鉴定不可使用'],
    ]);
    expect(await batchOnHand(env, lots.EXPIRED!)).toBe(0);
    expect(await batchOnHand(env, lots.LATE!)).toBe(38);
    expect((await levelOf(env, w.city.depotId, w.quilt.materialId)).onHand).toBe(98);
  });

  test('cannot scrap more than the batch holds', async () => {
    const error = await failsCleanly(env, w.keeper.token, 'stock.scrap', {
      depotId: w.city.depotId,
      reason: '破损',
      lines: [{ batchId: lots.TODAY!, quantity: 6 }],
    });
    expect(error).toEqual({
      code: 'INSUFFICIENT_STOCK',
      message: '批次「TODAY」库存不足：需要 6，结存 5',
      fields: [
        {
          path: 'lines.0.quantity',
          label: '第 1 行 · 数量',
          message: '批次「TODAY」库存不足：需要 6，结存 5',
        },
      ],
    });
  });

  test('needs a reason', async () => {
    const error = await failsCleanly(env, w.keeper.token, 'stock.scrap', {
      depotId: w.city.depotId,
      reason: '',
      lines: [{ batchId: lots.TODAY!, quantity: 1 }],
    });
    expect(error.fields).toEqual([{ path: 'reason', label: '原因', message: '不能为空' }]);
  });

  test('cannot name a batch of another depot', async () => {
    const error = await failsCleanly(env, w.admin.token, 'stock.scrap', {
      depotId: w.shinan.depotId,
      reason: '破损',
      lines: [{ batchId: lots.LATE!, quantity: 1 }],
    });
    expect(error.code).toBe('BAD_INPUT');
    expect(error.fields).toEqual([
      { path: 'lines.0.batchId', label: '第 1 行 · 批次', message: '批次「LATE」不属于该储备库或该物资' },
    ]);
  });
});
