/** Receipt (入库): into new batches, existing batches (by id or by lot number), expiry rules. */
import {
  batchOnHand,
  countRows,
  createTestEnv,
  createWorld,
  failsCleanly,
  levelOf,
  snapshot,
  type TestEnv,
} from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;
beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
});
afterEach(() => env.close());

function batchRow(batchId: number) {
  return env.app.db
    .selectFrom('batches')
    .selectAll()
    .where('batchId', '=', batchId)
    .executeTakeFirstOrThrow();
}

function countBatches(): Promise<number> {
  return countRows(env, 'batches');
}

test('a receipt creates a new batch with its lot, dates, supplier and price, and one movement per line', async () => {
  const r = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'donation',
    note: '爱心企业捐赠',
    lines: [
      {
        materialId: w.tent.materialId,
        quantity: 20,
        lotNo: 'T-2026-01',
        producedOn: '2026-03-01',
        expiresOn: '2036-02-28',
        supplier: '某帐篷厂',
        unitPriceFen: 132000,
      },
      { materialId: w.jacket.materialId, quantity: 5, lotNo: 'J-1' },
    ],
  });
  expect(r.docNo).toBe('RK-20261130-0001');
  expect(r.movements).toHaveLength(2);
  const [tent, jacket] = r.movements;
  expect(tent).toMatchObject({
    docNo: 'RK-20261130-0001',
    type: 'receipt',
    depotId: w.city.depotId,
    depotName: '青岛市级救灾物资储备库',
    materialId: w.tent.materialId,
    materialCode: 'M0001',
    unit: '顶',
    lotNo: 'T-2026-01',
    expiresOn: '2036-02-28',
    quantity: 20,
    occurredAt: '2026-11-30T02:00:00.000Z',
    userId: w.keeper.userId,
    source: 'donation',
    supplier: '某帐篷厂',
    unitPriceFen: 132000,
    reason: null,
    note: '爱心企业捐赠',
    reversesMovementId: null,
    reversedBy: null,
    expiredOverride: false,
    counterpartDepotId: null,
  });
  expect(await batchRow(tent!.batchId)).toMatchObject({
    depotId: w.city.depotId,
    materialId: w.tent.materialId,
    lotNo: 'T-2026-01',
    producedOn: '2026-03-01',
    expiresOn: '2036-02-28',
    source: 'donation',
    supplier: '某帐篷厂',
    unitPriceFen: 132000,
  });
  expect(jacket).toMatchObject({ lotNo: 'J-1', expiresOn: null, quantity: 5 });
  expect(tent!.batchId).not.toBe(jacket!.batchId);
  expect(await batchOnHand(env, tent!.batchId)).toBe(20);
  expect(await levelOf(env, w.city.depotId, w.tent.materialId)).toEqual({ onHand: 20, reserved: 0 });
  expect(await levelOf(env, w.city.depotId, w.jacket.materialId)).toEqual({ onHand: 5, reserved: 0 });
});

test('a receipt naming an existing batch adds to it', async () => {
  const first = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.quilt.materialId, quantity: 30, lotNo: 'Q1', expiresOn: '2030-01-01' }],
  });
  const batchId = first.movements[0]!.batchId;
  const second = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'return',
    lines: [{ materialId: w.quilt.materialId, quantity: 12, batchId }],
  });
  expect(second.movements[0]).toMatchObject({ batchId, lotNo: 'Q1', expiresOn: '2030-01-01', quantity: 12 });
  expect(await countBatches()).toBe(1);
  expect(await batchOnHand(env, batchId)).toBe(42);
  expect((await levelOf(env, w.city.depotId, w.quilt.materialId)).onHand).toBe(42);
});

test('a receipt with a known lot number goes into that batch when its dates agree or are left out', async () => {
  const first = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [
      {
        materialId: w.quilt.materialId,
        quantity: 10,
        lotNo: 'Q1',
        producedOn: '2026-01-15',
        expiresOn: '2030-01-01',
      },
    ],
  });
  const batchId = first.movements[0]!.batchId;
  const again = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [
      { materialId: w.quilt.materialId, quantity: 5, lotNo: 'Q1' },
      {
        materialId: w.quilt.materialId,
        quantity: 7,
        lotNo: 'Q1',
        producedOn: '2026-01-15',
        expiresOn: '2030-01-01',
      },
    ],
  });
  expect(again.movements.map((m) => m.batchId)).toEqual([batchId, batchId]);
  expect(await countBatches()).toBe(1);
  expect(await batchOnHand(env, batchId)).toBe(22);
});

test('the same lot number with a different expiry or production date is a CONFLICT naming the lot, and nothing is written', async () => {
  await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [
      {
        materialId: w.quilt.materialId,
        quantity: 10,
        lotNo: 'Q1',
        producedOn: '2026-01-15',
        expiresOn: '2030-01-01',
      },
    ],
  });
  for (const dates of [{ expiresOn: '2030-06-30' }, { producedOn: '2026-02-01' }]) {
    const error = await failsCleanly(env, w.keeper.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [
        { materialId: w.tent.materialId, quantity: 3, lotNo: 'T1' },
        { materialId: w.quilt.materialId, quantity: 5, lotNo: 'Q1', ...dates },
      ],
    });
    expect(error).toEqual({
      code: 'CONFLICT',
      message: '批号「Q1」已存在，但生产日期或有效期不同',
      fields: [
        {
          path: 'lines.1.lotNo',
          label: '第 2 行 · 批号',
          message: '批号「Q1」已存在，但生产日期或有效期不同',
        },
      ],
    });
  }
});

test('the same lot number at another depot or of another material is another batch', async () => {
  const a = await env.call(w.admin.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.quilt.materialId, quantity: 1, lotNo: 'L1', expiresOn: '2030-01-01' }],
  });
  const b = await env.call(w.admin.token, 'stock.receive', {
    depotId: w.shinan.depotId,
    source: 'procurement',
    lines: [{ materialId: w.quilt.materialId, quantity: 1, lotNo: 'L1', expiresOn: '2031-01-01' }],
  });
  const c = await env.call(w.admin.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'L1' }],
  });
  expect(new Set([a, b, c].map((r) => r.movements[0]!.batchId)).size).toBe(3);
});

test('the expiry date is computed from the production date and the shelf life when not given', async () => {
  // 棉被: 60 months. Expiry = production date + shelf life − 1 day (有效期至 is the last good day).
  const r = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [
      { materialId: w.quilt.materialId, quantity: 1, lotNo: 'Q1', producedOn: '2026-01-15' },
      { materialId: w.quilt.materialId, quantity: 1, lotNo: 'Q2', producedOn: '2024-02-29' },
      {
        materialId: w.quilt.materialId,
        quantity: 1,
        lotNo: 'Q3',
        producedOn: '2026-01-15',
        expiresOn: '2027-12-31',
      },
      { materialId: w.quilt.materialId, quantity: 1, lotNo: 'Q4' },
      { materialId: w.tent.materialId, quantity: 1, lotNo: 'T1', producedOn: '2026-01-15' },
    ],
  });
  expect(r.movements.map((m) => [m.lotNo, m.expiresOn])).toEqual([
    ['Q1', '2031-01-14'],
    ['Q2', '2029-02-28'], // no 29 February in 2029: the month's last day
    ['Q3', '2027-12-31'], // given: kept
    ['Q4', null], // no production date
    ['T1', null], // no shelf life
  ]);
});

test('a computed expiry never runs past a shorter month', async () => {
  const gauze = await env.call(w.admin.token, 'material.create', {
    code: 'M0100',
    name: '消毒纱布',
    unit: '包',
    topClass: 1,
    shelfLifeMonths: 1,
  });
  const r = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [
      { materialId: gauze.materialId, quantity: 1, lotNo: 'G1', producedOn: '2026-01-31' },
      { materialId: gauze.materialId, quantity: 1, lotNo: 'G2', producedOn: '2026-01-01' },
      { materialId: gauze.materialId, quantity: 1, lotNo: 'G3', producedOn: '2025-12-15' },
      { materialId: gauze.materialId, quantity: 1, lotNo: 'G4', producedOn: '2026-01-28' },
    ],
  });
  expect(r.movements.map((m) => m.expiresOn)).toEqual([
    '2026-02-28',
    '2026-01-31',
    '2026-01-14',
    '2026-02-27',
  ]);
});

test('an expiry before the production date is refused', async () => {
  const error = await failsCleanly(env, w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [
      {
        materialId: w.quilt.materialId,
        quantity: 1,
        lotNo: 'Q1',
        producedOn: '2026-05-01',
        expiresOn: '2026-04-30',
      },
    ],
  });
  expect(error.code).toBe('BAD_INPUT');
  expect(error.fields).toEqual([
    { path: 'lines.0.expiresOn', label: '第 1 行 · 有效期至', message: '有效期至不能早于生产日期' },
  ]);
});

test('a batch of another material cannot be named on a receipt line', async () => {
  const r = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'T1' }],
  });
  const error = await failsCleanly(env, w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.quilt.materialId, quantity: 1, batchId: r.movements[0]!.batchId }],
  });
  expect(error.code).toBe('BAD_INPUT');
  expect(error.fields).toEqual([
    { path: 'lines.0.batchId', label: '第 1 行 · 批次', message: '批次「T1」不属于该储备库或该物资' },
  ]);
});

test('a receipt is one transaction: a bad last line leaves no batch, movement, balance or number behind', async () => {
  const before = await snapshot(env);
  const error = await failsCleanly(env, w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [
      { materialId: w.quilt.materialId, quantity: 10, lotNo: 'NEW-1' },
      { materialId: w.tent.materialId, quantity: 10, lotNo: 'NEW-2' },
      { materialId: 999, quantity: 10, lotNo: 'NEW-3' },
    ],
  });
  expect(error.code).toBe('NOT_FOUND');
  expect(await snapshot(env)).toEqual(before);
  // The number was not used up: the next receipt gets 0001.
  const ok = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.quilt.materialId, quantity: 10, lotNo: 'NEW-1' }],
  });
  expect(ok.docNo).toBe('RK-20261130-0001');
});

test('a deactivated material cannot be received, naming it', async () => {
  await env.call(w.admin.token, 'material.update', { materialId: w.jacket.materialId, active: false });
  const error = await failsCleanly(env, w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.jacket.materialId, quantity: 1, lotNo: 'J1' }],
  });
  expect(error).toEqual({
    code: 'CONFLICT',
    message: '物资「救生衣」已停用',
    fields: [{ path: 'lines.0.materialId', label: '第 1 行 · 物资', message: '物资「救生衣」已停用' }],
  });
});

test('the system-only batch sources cannot be named on a receipt', async () => {
  for (const source of ['transfer', 'stocktake']) {
    const error = await failsCleanly(env, w.keeper.token, 'stock.receive', {
      depotId: w.city.depotId,
      source,
      lines: [{ materialId: w.quilt.materialId, quantity: 1, lotNo: 'X' }],
    });
    expect(error.fields![0]!.path).toBe('source');
  }
});

test('a receipt that would take a balance to 10^12 is refused on its line, and every figure still reads', async () => {
  const nearLimit = { materialId: w.tent.materialId, quantity: 999_999_999_999, lotNo: 'BIG' };
  await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'donation',
    lines: [nearLimit],
  });
  for (const lines of [
    // Into the same lot (batch and level overflow), and into a new lot (only the level does).
    [
      { materialId: w.jacket.materialId, quantity: 1, lotNo: 'J' },
      { ...nearLimit, quantity: 1 },
    ],
    [{ ...nearLimit, lotNo: 'OTHER', quantity: 1 }],
  ]) {
    const error = await failsCleanly(
      env,
      w.keeper.token,
      'stock.receive',
      { depotId: w.city.depotId, source: 'donation', lines },
      'zh-CN',
    );
    expect(error.code).toBe('BAD_INPUT');
    expect(error.fields).toEqual([
      expect.objectContaining({
        path: `lines.${lines.length - 1}.quantity`,
        label: `第 ${lines.length} 行 · 数量`,
        message: '结存将达到 1,000,000,000,000 或以上，超出合理范围',
      }),
    ]);
  }
  const balances = await env.call(w.keeper.token, 'stock.balances', { depotId: w.city.depotId });
  expect(balances.rows.onHand).toContain(999_999_999_999);
  await env.call(w.keeper.token, 'dashboard.summary', {});
});

describe('implausible dates (DOMAIN.md rule 6)', () => {
  const receiveLot = (dates: { producedOn?: string; expiresOn?: string }, locale?: string) =>
    failsCleanly(
      env,
      w.keeper.token,
      'stock.receive',
      {
        depotId: w.city.depotId,
        source: 'procurement',
        lines: [{ materialId: w.quilt.materialId, quantity: 1, lotNo: 'Q1', ...dates }],
      },
      locale,
    );

  test('a production date before 1990-01-01, in year 0000 or after today is refused on its line', async () => {
    for (const producedOn of ['0000-01-01', '1989-12-31']) {
      const error = await receiveLot({ producedOn });
      expect(error.code).toBe('BAD_INPUT');
      expect(error.fields).toEqual([
        { path: 'lines.0.producedOn', label: '第 1 行 · 生产日期', message: '生产日期不能早于 1990-01-01' },
      ]);
    }
    const future = await receiveLot({ producedOn: '2026-12-01' });
    expect(future).toEqual({
      code: 'BAD_INPUT',
      message: '第 1 行 · 生产日期：生产日期不能晚于今天（2026-11-30）',
      fields: [
        {
          path: 'lines.0.producedOn',
          label: '第 1 行 · 生产日期',
          message: '生产日期不能晚于今天（2026-11-30）',
        },
      ],
    });
    expect((await receiveLot({ producedOn: '2026-12-01' }, 'en')).fields).toEqual([
      {
        path: 'lines.0.producedOn',
        label: 'line 1 · production date',
        message: 'the production date cannot be after today (2026-11-30)',
      },
    ]);
    expect((await receiveLot({ producedOn: '1989-12-31' }, 'en')).fields![0]!.message).toBe(
      'the production date cannot be before 1990-01-01',
    );
  });

  test('production dates from 1990-01-01 to today in Qingdao are accepted', async () => {
    const r = await env.call(w.keeper.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [
        { materialId: w.tent.materialId, quantity: 1, lotNo: 'T1', producedOn: '1990-01-01' },
        { materialId: w.tent.materialId, quantity: 1, lotNo: 'T2', producedOn: '2026-11-30' },
      ],
    });
    expect(r.movements).toHaveLength(2);
    // 2026-12-01 00:30 in Qingdao is still 30 November in UTC: the city's date decides.
    env.clock.set('2026-11-30T16:30:00.000Z');
    const keeper = await env.user('keeper', [w.city.depotId]);
    const later = await env.call(keeper.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'T3', producedOn: '2026-12-01' }],
    });
    expect(later.docNo).toBe('RK-20261201-0001');
  });

  test('a production date in year 9999 with a shelf life is refused, and no five-digit expiry is stored', async () => {
    const error = await receiveLot({ producedOn: '9999-06-30' });
    expect(error.fields).toEqual([
      {
        path: 'lines.0.producedOn',
        label: '第 1 行 · 生产日期',
        message: '生产日期不能晚于今天（2026-11-30）',
      },
    ]);
  });

  test('an expiry more than 50 years after today is refused; 50 years exactly is accepted', async () => {
    for (const expiresOn of ['2086-11-30', '2076-12-01', '9999-12-31']) {
      const error = await receiveLot({ expiresOn });
      expect(error.fields).toEqual([
        {
          path: 'lines.0.expiresOn',
          label: '第 1 行 · 有效期至',
          message: '有效期至不能晚于 2076-11-30（今天起 50 年）',
        },
      ]);
    }
    expect((await receiveLot({ expiresOn: '2086-11-30' }, 'en')).fields![0]!.message).toBe(
      'the expiry date cannot be after 2076-11-30 (50 years from today)',
    );
    // A shelf life from before the 50-year limit on it: the computed expiry is held to it too.
    await env.app.db
      .updateTable('materials')
      .set({ shelfLifeMonths: 1200 })
      .where('materialId', '=', w.quilt.materialId)
      .execute();
    expect((await receiveLot({ producedOn: '2026-01-15' })).fields).toEqual([
      {
        path: 'lines.0.producedOn',
        label: '第 1 行 · 生产日期',
        message: '有效期至不能晚于 2076-11-30（今天起 50 年）',
      },
    ]);
    const r = await env.call(w.keeper.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [{ materialId: w.quilt.materialId, quantity: 1, lotNo: 'Q1', expiresOn: '2076-11-30' }],
    });
    expect(r.movements[0]!.expiresOn).toBe('2076-11-30');
  });

  test('an expiry in year 0000 is refused as outside 1900..9999', async () => {
    const error = await receiveLot({ expiresOn: '0000-01-01' });
    expect(error.fields).toEqual([
      {
        path: 'lines.0.expiresOn',
        label: '第 1 行 · 有效期至',
        message: '日期应在 1900-01-01 至 9999-12-31 之间',
      },
    ]);
  });
});

describe('text on a receipt', () => {
  const receive = (line: Record<string, unknown>, note?: string) =>
    env.call(w.keeper.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'donation',
      note,
      lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'T1', ...line }],
    });
  const refused = (line: Record<string, unknown>, note?: string) =>
    failsCleanly(env, w.keeper.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'donation',
      note,
      lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'T1', ...line }],
    });

  test('is stored NFC-normalised: a decomposed é as one character, a CJK compatibility ideograph as the unified one', async () => {
    const r = await receive({ lotNo: 'Cafe\u0301-1', supplier: '\uF900山商行' }, 'e\u0301 \uF900');
    const batch = await batchRow(r.movements[0]!.batchId);
    expect([batch.lotNo, batch.supplier, r.movements[0]!.note]).toEqual([
      'Caf\u00e9-1',
      '\u8C48山商行',
      '\u00e9 \u8C48',
    ]);
  });

  test('a note keeps its line breaks, CRLF stored as LF', async () => {
    const r = await receive({}, '第一批\r\n第二批\n第三批');
    expect(r.movements[0]!.note).toBe('第一批\n第二批\n第三批');
  });

  test('control characters, NUL and lone surrogates are refused, naming the field', async () => {
    const cases: [Record<string, unknown>, string | undefined, string, string][] = [
      [{ lotNo: 'T\u00001' }, undefined, 'lines.0.lotNo', '不能包含不可见的控制字符（U+0000）'],
      [{ lotNo: 'T\t1' }, undefined, 'lines.0.lotNo', '不能包含不可见的控制字符（U+0009）'],
      [{ lotNo: 'T\n1' }, undefined, 'lines.0.lotNo', '不能包含不可见的控制字符（U+000A）'],
      [{ supplier: '某\u0007厂' }, undefined, 'lines.0.supplier', '不能包含不可见的控制字符（U+0007）'],
      [{ supplier: '某\u0085厂' }, undefined, 'lines.0.supplier', '不能包含不可见的控制字符（U+0085）'],
      [{ lotNo: 'T\uD8001' }, undefined, 'lines.0.lotNo', '含有残缺的字符（不成对的代理项），请重新输入'],
      [{}, '备注\u0000', 'note', '不能包含不可见的控制字符（U+0000）'],
      [{}, '备\t注', 'note', '不能包含不可见的控制字符（U+0009）'],
      [{}, '备注\uDC00', 'note', '含有残缺的字符（不成对的代理项），请重新输入'],
    ];
    for (const [line, note, path, message] of cases) {
      const error = await refused(line, note);
      expect(error.code).toBe('BAD_INPUT');
      expect(error.fields).toEqual([expect.objectContaining({ path, message })]);
    }
  });
});
