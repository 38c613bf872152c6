/** Stock reads: expiry and quota warnings, balances by grouping, history, keyset paging. */
import type { OutputOf } from '../../src/shared/api';
import { createTestEnv, createWorld, failsCleanly, reserve, type TestEnv } from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;

afterEach(() => env.close());

describe('expiring and expired (rotation lists)', () => {
  let lots: Record<string, number>;
  beforeEach(async () => {
    env = await createTestEnv(); // 2026-11-30 10:00 in Qingdao
    w = await createWorld(env);
    // 帐篷 warns 90 days ahead (the default), 棉被 30 days.
    const r = await env.call(w.keeper.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [
        { materialId: w.tent.materialId, quantity: 1, lotNo: 'T-40', expiresOn: '2027-01-09' },
        { materialId: w.quilt.materialId, quantity: 2, lotNo: 'Q-40', expiresOn: '2027-01-09' },
        { materialId: w.quilt.materialId, quantity: 3, lotNo: 'Q-20', expiresOn: '2026-12-20' },
        { materialId: w.quilt.materialId, quantity: 4, lotNo: 'Q-EXP', expiresOn: '2026-11-29' },
        { materialId: w.tent.materialId, quantity: 5, lotNo: 'T-0', expiresOn: '2026-11-30' },
        { materialId: w.tent.materialId, quantity: 6, lotNo: 'T-100', expiresOn: '2027-03-10' },
        { materialId: w.jacket.materialId, quantity: 7, lotNo: 'J-NONE' },
        { materialId: w.quilt.materialId, quantity: 8, lotNo: 'Q-GONE', expiresOn: '2026-10-01' },
      ],
    });
    lots = Object.fromEntries(r.movements.map((m) => [m.lotNo, m.batchId]));
    // An empty batch is not a warning.
    await env.call(w.keeper.token, 'stock.scrap', {
      depotId: w.city.depotId,
      reason: '过期',
      lines: [{ batchId: lots['Q-GONE']!, quantity: 8 }],
    });
    await env.call(w.admin.token, 'stock.receive', {
      depotId: w.shinan.depotId,
      source: 'procurement',
      lines: [{ materialId: w.tent.materialId, quantity: 9, lotNo: 'SN-10', expiresOn: '2026-12-10' }],
    });
  });

  const view = (out: OutputOf<'stock.expiring'>) =>
    out.rows.map((r) => [r.lotNo, r.status, r.daysLeft, r.onHand]);

  test("each material's own warning window decides; expired ones are listed apart", async () => {
    const staff = await env.user('staff');
    const out = await env.call(staff.token, 'stock.expiring', {});
    expect(out.today).toBe('2026-11-30');
    expect(view(out)).toEqual([
      ['Q-EXP', 'expired', -1, 4],
      ['T-0', 'expiring', 0, 5],
      ['SN-10', 'expiring', 10, 9],
      ['Q-20', 'expiring', 20, 3],
      ['T-40', 'expiring', 40, 1],
      // Q-40 is 40 days off but 棉被 warns only 30 days ahead; T-100 is past 90; J-NONE never expires.
    ]);
    expect(out.rows[0]).toMatchObject({
      depotId: w.city.depotId,
      depotName: '青岛市级救灾物资储备库',
      materialCode: 'M0002',
      unit: '床',
      expiresOn: '2026-11-29',
    });
  });

  test('withinDays overrides every window; includeExpired and depotId filter', async () => {
    expect(
      view(await env.call(w.admin.token, 'stock.expiring', { withinDays: 45 })).map((r) => r[0]),
    ).toEqual(['Q-EXP', 'T-0', 'SN-10', 'Q-20', 'T-40', 'Q-40']);
    expect(view(await env.call(w.admin.token, 'stock.expiring', { withinDays: 0 })).map((r) => r[0])).toEqual(
      ['Q-EXP', 'T-0'],
    );
    expect(
      view(await env.call(w.admin.token, 'stock.expiring', { includeExpired: false })).map((r) => r[0]),
    ).toEqual(['T-0', 'SN-10', 'Q-20', 'T-40']);
    expect(view(await env.call(w.admin.token, 'stock.expiring', { depotId: w.shinan.depotId }))).toEqual([
      ['SN-10', 'expiring', 10, 9],
    ]);
  });

  test('a material with a wider window lists earlier', async () => {
    await env.call(w.admin.token, 'material.update', { materialId: w.quilt.materialId, warningDays: 45 });
    expect(view(await env.call(w.admin.token, 'stock.expiring', {})).map((r) => r[0])).toContain('Q-40');
  });

  test('balance rows carry the warning of their lot, or of their earliest lot with stock', async () => {
    const lotsOf = await env.balances(w.admin.token, {
      groupBy: 'batch',
      depotId: w.city.depotId,
      warnings: true,
    });
    expect(Object.fromEntries(lotsOf.rows.map((r) => [r.lotNo, r.expiry]))).toEqual({
      'T-40': { status: 'expiring', daysLeft: 40 },
      'Q-40': null, // 棉被 warns 30 days ahead
      'Q-20': { status: 'expiring', daysLeft: 20 },
      'Q-EXP': { status: 'expired', daysLeft: -1 },
      'T-0': { status: 'expiring', daysLeft: 0 },
      'T-100': null,
      'J-NONE': null,
    });
    // An emptied lot, listed on request, warns of nothing.
    const withEmpty = await env.balances(w.admin.token, {
      groupBy: 'batch',
      depotId: w.city.depotId,
      includeZero: true,
      warnings: true,
    });
    expect(withEmpty.rows.find((r) => r.lotNo === 'Q-GONE')).toMatchObject({ onHand: 0, expiry: null });
    const perDepot = await env.balances(w.admin.token, { warnings: true });
    expect(perDepot.rows.map((r) => [r.depotCode, r.materialCode, r.expiry, r.depotsBelowQuota])).toEqual([
      ['QD-SJ', 'M0001', { status: 'expiring', daysLeft: 0 }, null],
      ['QD-SN', 'M0001', { status: 'expiring', daysLeft: 10 }, null],
      ['QD-SJ', 'M0002', { status: 'expired', daysLeft: -1 }, null], // Q-GONE (scrapped, empty) does not count
      ['QD-SJ', 'M0003', null, null],
    ]);
    const city = await env.balances(w.admin.token, { groupBy: 'material', warnings: true });
    expect(city.rows.map((r) => [r.materialCode, r.expiry])).toEqual([
      ['M0001', { status: 'expiring', daysLeft: 0 }],
      ['M0002', { status: 'expired', daysLeft: -1 }],
      ['M0003', null],
    ]);
    // Per level, only that level's lots count.
    const districts = await env.balances(w.admin.token, {
      groupBy: 'material',
      level: 'district',
      warnings: true,
    });
    expect(districts.rows.map((r) => [r.materialCode, r.expiry])).toEqual([
      ['M0001', { status: 'expiring', daysLeft: 10 }],
    ]);
    // Not asked for, not computed: every grouping leaves the warnings out.
    for (const groupBy of ['batch', 'depotMaterial', 'material'] as const) {
      const plain = await env.balances(w.admin.token, { groupBy });
      expect(plain.rows.length).toBeGreaterThan(0);
      expect(plain.rows.every((r) => r.expiry === null && r.depotsBelowQuota === null)).toBe(true);
    }
  });

  test("today is Qingdao's date, not UTC's", async () => {
    env.clock.set('2026-11-30T17:00:00.000Z'); // 01:00 on 1 December in Qingdao
    const staff = await env.user('staff'); // the morning's sessions have idled out by now
    const out = await env.call(staff.token, 'stock.expiring', {});
    expect(out.today).toBe('2026-12-01');
    expect(view(out).slice(0, 2)).toEqual([
      ['Q-EXP', 'expired', -2, 4],
      ['T-0', 'expired', -1, 5],
    ]);
  });
});

describe('below quota', () => {
  beforeEach(async () => {
    env = await createTestEnv();
    w = await createWorld(env);
    await env.call(w.admin.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [
        { materialId: w.quilt.materialId, quantity: 150, lotNo: 'Q' },
        { materialId: w.tent.materialId, quantity: 50, lotNo: 'T' },
      ],
    });
    await env.call(w.admin.token, 'stock.receive', {
      depotId: w.laoshan.depotId,
      source: 'procurement',
      lines: [{ materialId: w.quilt.materialId, quantity: 20, lotNo: 'L' }],
    });
    for (const [depotId, materialId, quantity] of [
      [w.city.depotId, w.quilt.materialId, 200],
      [w.city.depotId, w.tent.materialId, 40],
      [w.shinan.depotId, w.jacket.materialId, 10],
      [w.laoshan.depotId, w.quilt.materialId, 20],
    ] as const) {
      await env.call(w.admin.token, 'quota.set', { depotId, materialId, quantity });
    }
  });

  const view = (out: OutputOf<'stock.belowQuota'>) =>
    out.rows.map((r) => [r.depotName, r.materialName, r.quota, r.onHand, r.available, r.shortBy]);

  test('lists each depot whose available quantity is under its quota (equal is not under)', async () => {
    expect(view(await env.call(w.keeper.token, 'stock.belowQuota', {}))).toEqual([
      ['青岛市级救灾物资储备库', '棉被', 200, 150, 150, 50],
      ['市南区储备库', '救生衣', 10, 0, 0, 10],
    ]);
    expect(view(await env.call(w.keeper.token, 'stock.belowQuota', { depotId: w.shinan.depotId }))).toEqual([
      ['市南区储备库', '救生衣', 10, 0, 0, 10],
    ]);
  });

  test('balance rows show the shortfall: a depot against its quota, city totals as a count of depots', async () => {
    const perDepot = await env.balances(w.admin.token, { warnings: true });
    expect(
      perDepot.rows.map((r) => [r.depotName, r.materialName, r.available, r.quota, r.depotsBelowQuota]),
    ).toEqual([
      ['青岛市级救灾物资储备库', '救灾专用单帐篷', 50, 40, null],
      ['青岛市级救灾物资储备库', '棉被', 150, 200, null],
      ['崂山区储备库', '棉被', 20, 20, null],
    ]);
    const city = await env.balances(w.admin.token, { groupBy: 'material', warnings: true });
    // 救生衣 has no stock anywhere, so no total row, though 市南 is under its quota.
    expect(city.rows.map((r) => [r.materialName, r.depotsBelowQuota])).toEqual([
      ['救灾专用单帐篷', 0],
      ['棉被', 1],
    ]);
    const districts = await env.balances(w.admin.token, {
      groupBy: 'material',
      level: 'district',
      warnings: true,
    });
    expect(districts.rows.map((r) => [r.materialName, r.depotsBelowQuota])).toEqual([['棉被', 0]]);
  });

  test('reserved stock is not available', async () => {
    await reserve(env, w.city.depotId, w.tent.materialId, 11);
    expect(view(await env.call(w.keeper.token, 'stock.belowQuota', {}))).toContainEqual([
      '青岛市级救灾物资储备库',
      '救灾专用单帐篷',
      40,
      50,
      39,
      1,
    ]);
  });

  test('a quota of 0 removes it; deactivated depots are not listed', async () => {
    await env.call(w.admin.token, 'quota.set', {
      depotId: w.city.depotId,
      materialId: w.quilt.materialId,
      quantity: 0,
    });
    await env.call(w.admin.token, 'depot.update', { depotId: w.shinan.depotId, active: false });
    expect(view(await env.call(w.keeper.token, 'stock.belowQuota', {}))).toEqual([]);
    expect(
      (await env.call(w.keeper.token, 'quota.list', { depotId: w.city.depotId })).map((q) => [
        q.materialId,
        q.quantity,
      ]),
    ).toEqual([[w.tent.materialId, 40]]);
  });
});

describe('dashboard, categories and settings', () => {
  beforeEach(async () => {
    env = await createTestEnv();
    w = await createWorld(env);
    await env.call(w.admin.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [
        { materialId: w.quilt.materialId, quantity: 150, lotNo: 'Q' },
        { materialId: w.tent.materialId, quantity: 50, lotNo: 'T' },
        { materialId: w.quilt.materialId, quantity: 4, lotNo: 'Q-EXP', expiresOn: '2026-11-29' },
      ],
    });
    await env.call(w.admin.token, 'stock.receive', {
      depotId: w.laoshan.depotId,
      source: 'procurement',
      lines: [{ materialId: w.quilt.materialId, quantity: 20, lotNo: 'L', expiresOn: '2026-12-20' }],
    });
    await env.call(w.admin.token, 'quota.set', {
      depotId: w.city.depotId,
      materialId: w.quilt.materialId,
      quantity: 200,
    });
    await env.call(w.admin.token, 'quota.set', {
      depotId: w.shinan.depotId,
      materialId: w.jacket.materialId,
      quantity: 10,
    });
  });

  test('the dashboard sums stock and value by category and by level, and counts the warnings', async () => {
    const city = await env.call(w.keeper.token, 'dashboard.summary', {});
    expect(city).toMatchObject({
      today: '2026-11-30',
      byCategory: [
        { category: '帐篷', materials: 1, onHand: 50, valueFen: 50 * 132000 },
        { category: '被服', materials: 1, onHand: 174, valueFen: 0 },
      ],
      byLevel: [
        { level: 'city', depots: 1, onHand: 204, valueFen: 50 * 132000 },
        { level: 'district', depots: 1, onHand: 20, valueFen: 0 },
        { level: 'town', depots: 0, onHand: 0, valueFen: 0 },
      ],
      warnings: { expiring: 1, expired: 1, belowQuota: 2 },
      flow: { awaitingMe: 0, planned: 0, inTransit: 0, overdue: 0 },
    });
    // Who is short of what: 市南区 has none of its 10 life jackets (all of the quota missing), the city 46 of 200 quilts.
    expect(city.shortages.map((r) => [r.depotName, r.materialName, r.shortBy])).toEqual([
      ['市南区储备库', '救生衣', 10],
      ['青岛市级救灾物资储备库', '棉被', 46],
    ]);
    expect(city.keyMaterials.map((m) => [m.name, m.available, m.quota])).toEqual([
      ['救生衣', 0, 10],
      ['棉被', 154, 200],
    ]);
    expect(city.nextExpiring.map((r) => r.lotNo)).toEqual(['L']);
    // A set of depots: 崂山区 and 市南区.
    const two = await env.call(w.keeper.token, 'dashboard.summary', {
      depotIds: [w.laoshan.depotId, w.shinan.depotId],
    });
    expect(two.shortages.map((r) => r.depotName)).toEqual(['市南区储备库']);
    expect(two.byLevel.find((l) => l.level === 'city')!.depots).toBe(0);
    expect(await env.call(w.keeper.token, 'dashboard.summary', { depotId: w.laoshan.depotId })).toMatchObject(
      {
        today: '2026-11-30',
        byCategory: [{ category: '被服', materials: 1, onHand: 20, valueFen: 0 }],
        byLevel: [
          { level: 'city', depots: 0, onHand: 0, valueFen: 0 },
          { level: 'district', depots: 1, onHand: 20, valueFen: 0 },
          { level: 'town', depots: 0, onHand: 0, valueFen: 0 },
        ],
        warnings: { expiring: 1, expired: 0, belowQuota: 0 },
      },
    );
  });

  test('categories are listed once each, in code point order; settings read back what was saved', async () => {
    await env.call(w.admin.token, 'material.create', {
      code: 'M0004',
      name: '单帐篷',
      unit: '顶',
      topClass: 1,
      category: '帐篷',
    });
    await env.call(w.admin.token, 'material.create', {
      code: 'M0005',
      name: '手电',
      unit: '只',
      topClass: 2,
    });
    expect(await env.call(w.keeper.token, 'material.categories')).toEqual(['帐篷', '救生', '被服']);
    expect(await env.call(w.keeper.token, 'settings.get')).toEqual({ idleLockMinutes: 15 });
    await env.call(w.admin.token, 'settings.update', { idleLockMinutes: 30 });
    expect(await env.call(w.keeper.token, 'settings.get')).toEqual({ idleLockMinutes: 30 });
  });
});

describe('balances', () => {
  beforeEach(async () => {
    env = await createTestEnv();
    w = await createWorld(env);
    // 3 depots × 3 materials × 2 lots, different quantities everywhere.
    let q = 1;
    for (const depot of [w.city, w.shinan, w.laoshan]) {
      const lines = [];
      for (const material of [w.tent, w.quilt, w.jacket]) {
        for (const lot of ['A', 'B'])
          lines.push({
            materialId: material.materialId,
            quantity: q++,
            lotNo: `${depot.code}-${material.code}-${lot}`,
          });
      }
      await env.call(w.admin.token, 'stock.receive', { depotId: depot.depotId, source: 'opening', lines });
    }
  });

  test('by batch: one row per lot with stock; reserved and available are per depot, so null', async () => {
    const out = await env.balances(w.admin.token, {
      groupBy: 'batch',
      depotId: w.shinan.depotId,
      materialId: w.quilt.materialId,
    });
    expect(out.rows.map((r) => [r.lotNo, r.onHand, r.reserved, r.available])).toEqual([
      ['QD-SN-M0002-A', 9, null, null],
      ['QD-SN-M0002-B', 10, null, null],
    ]);
    expect(out.nextCursor).toBeNull();
  });

  test('by depot and material: sums of the batches, with the quota', async () => {
    await env.call(w.admin.token, 'quota.set', {
      depotId: w.shinan.depotId,
      materialId: w.quilt.materialId,
      quantity: 25,
    });
    const out = await env.balances(w.admin.token, { depotId: w.shinan.depotId });
    expect(out.rows.map((r) => [r.materialCode, r.onHand, r.available, r.quota, r.batchId])).toEqual([
      ['M0001', 7 + 8, 15, null, null],
      ['M0002', 9 + 10, 19, 25, null],
      ['M0003', 11 + 12, 23, null, null],
    ]);
  });

  test('by material: city-wide totals, optionally per level', async () => {
    const all = await env.balances(w.admin.token, { groupBy: 'material' });
    expect(all.rows.map((r) => [r.materialCode, r.onHand, r.depotId])).toEqual([
      ['M0001', 1 + 2 + 7 + 8 + 13 + 14, null],
      ['M0002', 3 + 4 + 9 + 10 + 15 + 16, null],
      ['M0003', 5 + 6 + 11 + 12 + 17 + 18, null],
    ]);
    const districts = await env.balances(w.admin.token, {
      groupBy: 'material',
      level: 'district',
      materialId: w.tent.materialId,
    });
    expect(districts.rows.map((r) => r.onHand)).toEqual([7 + 8 + 13 + 14]);
  });

  test('filters: category, top class, level, text (code, name, spec, lot), with wildcards taken literally', async () => {
    const codes = async (input: Record<string, unknown>) =>
      (await env.balances(w.admin.token, input)).rows.map(
        (r) => `${r.depotCode ?? '*'}/${r.materialCode}${r.lotNo ? `/${r.lotNo}` : ''}`,
      );
    expect(await codes({ category: '被服', groupBy: 'material' })).toEqual(['*/M0002']);
    expect(await codes({ topClass: 2, groupBy: 'material' })).toEqual(['*/M0003']);
    expect(await codes({ level: 'city', materialId: w.tent.materialId })).toEqual(['QD-SJ/M0001']);
    expect(await codes({ text: '帐篷', depotId: w.city.depotId })).toEqual(['QD-SJ/M0001']);
    expect(await codes({ text: '2m*1.8m', depotId: w.city.depotId })).toEqual(['QD-SJ/M0002']);
    expect(await codes({ text: 'QD-LS-M0003-B', groupBy: 'batch' })).toEqual(['QD-LS/M0003/QD-LS-M0003-B']);
    expect(await codes({ text: '%', groupBy: 'material' })).toEqual([]);
    expect(await codes({ text: '_', groupBy: 'material' })).toEqual([]);
    // Latin letters match in any case, on both stores.
    expect(await codes({ text: '2M*1.8M', depotId: w.city.depotId })).toEqual(['QD-SJ/M0002']);
    expect(await codes({ text: 'qd-ls-m0003-b', groupBy: 'batch' })).toEqual(['QD-LS/M0003/QD-LS-M0003-B']);
    expect(await codes({ text: 'm0003', groupBy: 'material' })).toEqual(['*/M0003']);
  });

  test('empty rows appear only when asked for', async () => {
    const batch = (
      await env.balances(w.admin.token, {
        groupBy: 'batch',
        depotId: w.city.depotId,
        materialId: w.tent.materialId,
      })
    ).rows;
    await env.call(w.admin.token, 'stock.issue', {
      depotId: w.city.depotId,
      recipient: 'x',
      lines: [{ materialId: w.tent.materialId, quantity: 3 }],
    });
    expect(
      await env.balances(w.admin.token, {
        groupBy: 'batch',
        depotId: w.city.depotId,
        materialId: w.tent.materialId,
      }),
    ).toEqual({ rows: [], nextCursor: null });
    const withZero = await env.balances(w.admin.token, {
      groupBy: 'batch',
      depotId: w.city.depotId,
      materialId: w.tent.materialId,
      includeZero: true,
    });
    expect(withZero.rows.map((r) => [r.batchId, r.onHand])).toEqual(batch.map((r) => [r.batchId, 0]));
    expect(
      (await env.balances(w.admin.token, { depotId: w.city.depotId, materialId: w.tent.materialId })).rows,
    ).toEqual([]);
    expect(
      (
        await env.balances(w.admin.token, {
          depotId: w.city.depotId,
          materialId: w.tent.materialId,
          includeZero: true,
        })
      ).rows,
    ).toHaveLength(1);
  });

  test.each([
    ['batch', {}],
    ['depotMaterial', {}],
    ['depotMaterial', { depotId: 2 }],
    ['material', {}],
    ['batch', { level: 'district' }],
  ] as const)('keyset paging by %s %j walks every row exactly once', async (groupBy, filter) => {
    const input = { groupBy, ...filter, ...('depotId' in filter ? { depotId: w.shinan.depotId } : {}) };
    const whole = (await env.balances(w.admin.token, input)).rows;
    expect(whole.length).toBeGreaterThan(2);
    for (const limit of [1, 2, 4]) {
      const walked: typeof whole = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await env.balances(w.admin.token, { ...input, limit, ...(after ? { after } : {}) });
        expect(page.rows.length).toBeLessThanOrEqual(limit);
        walked.push(...page.rows);
        after = page.nextCursor ?? undefined;
        pages += 1;
      } while (after && pages < 100);
      expect(walked).toEqual(whole);
    }
  });

  test('a cursor that is not ours is BAD_INPUT on "after"', async () => {
    for (const [groupBy, after] of [
      ['batch', 'abc'],
      ['depotMaterial', '3'],
      ['material', '-1'],
      ['batch', '1:2'],
    ] as const) {
      const error = await failsCleanly(env, w.admin.token, 'stock.balances', { groupBy, after });
      expect(error).toEqual({
        code: 'BAD_INPUT',
        message: '翻页位置：格式不正确',
        fields: [{ path: 'after', label: '翻页位置', message: '格式不正确' }],
      });
    }
  });

  test('the matrix has every active depot and material and one cell per stocked pair', async () => {
    const m = await env.call(w.keeper.token, 'stock.matrix', {});
    expect(m.depots.map((d) => d.code)).toEqual(['QD-SJ', 'QD-SN', 'QD-LS']);
    expect(m.materials.map((x) => x.code)).toEqual(['M0001', 'M0002', 'M0003']);
    expect(m.cells.onHand.reduce((a, b) => a + b, 0)).toBe((18 * 19) / 2);
    expect(m.cells.materialId).toHaveLength(9);
    const districts = await env.call(w.keeper.token, 'stock.matrix', { level: 'district', topClass: 2 });
    expect(districts.depots.map((d) => d.code)).toEqual(['QD-SN', 'QD-LS']);
    expect(districts.cells).toEqual({
      materialId: [w.jacket.materialId, w.jacket.materialId],
      depotId: [w.shinan.depotId, w.laoshan.depotId],
      onHand: [23, 35],
      available: [23, 35],
    });
  });
});

describe('movement history', () => {
  beforeEach(async () => {
    env = await createTestEnv('2026-11-30T12:00:00.000Z');
    w = await createWorld(env);
  });

  async function post() {
    env.clock.set('2026-11-29T10:00:00.000Z'); // 29 Nov 18:00 in Qingdao
    const r = await env.call(w.admin.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [
        { materialId: w.quilt.materialId, quantity: 100, lotNo: 'Q' },
        { materialId: w.tent.materialId, quantity: 10, lotNo: 'T' },
      ],
    });
    env.clock.set('2026-11-30T15:59:00.000Z'); // 30 Nov 23:59
    const i1 = await env.call(w.admin.token, 'stock.issue', {
      depotId: w.city.depotId,
      recipient: '甲',
      lines: [{ materialId: w.quilt.materialId, quantity: 5 }],
    });
    env.clock.set('2026-11-30T17:00:00.000Z'); // 1 Dec 01:00
    const i2 = await env.call(w.admin.token, 'stock.issue', {
      depotId: w.city.depotId,
      recipient: '乙',
      lines: [{ materialId: w.quilt.materialId, quantity: 6 }],
    });
    const t = await env.call(w.admin.token, 'stock.transfer', {
      fromDepotId: w.city.depotId,
      toDepotId: w.shinan.depotId,
      lines: [{ materialId: w.tent.materialId, quantity: 2 }],
    });
    return { r, i1, i2, t };
  }

  const docs = (out: OutputOf<'stock.movements'>) =>
    out.rows.map((m) => `${m.docNo}:${m.type}:${m.quantity}`);

  test('newest first, with the names people read', async () => {
    const { r, i1, i2, t } = await post();
    const out = await env.call(w.keeper.token, 'stock.movements', {});
    expect(docs(out)).toEqual([
      `${t.docNo}:transfer_in:2`,
      `${t.docNo}:transfer_out:-2`,
      `${i2.docNo}:issue:-6`,
      `${i1.docNo}:issue:-5`,
      `${r.docNo}:receipt:10`,
      `${r.docNo}:receipt:100`,
    ]);
    expect([r.docNo, i1.docNo, i2.docNo, t.docNo]).toEqual([
      'RK-20261129-0001',
      'CK-20261130-0001',
      'CK-20261201-0001',
      'YK-20261201-0001',
    ]);
    expect(out.rows[2]).toMatchObject({
      depotName: '青岛市级救灾物资储备库',
      materialName: '棉被',
      unit: '床',
      userName: 'admin 1',
      recipient: '乙',
    });
  });

  test('filters: depot, material, batch, type, document number', async () => {
    const { r, i1, t } = await post();
    const q = async (input: Record<string, unknown>) =>
      docs(await env.call(w.keeper.token, 'stock.movements', input));
    expect(await q({ depotId: w.shinan.depotId })).toEqual([`${t.docNo}:transfer_in:2`]);
    expect(await q({ materialId: w.tent.materialId })).toEqual([
      `${t.docNo}:transfer_in:2`,
      `${t.docNo}:transfer_out:-2`,
      `${r.docNo}:receipt:10`,
    ]);
    expect(await q({ batchId: r.movements[0]!.batchId, type: 'issue' })).toEqual([
      'CK-20261201-0001:issue:-6',
      `${i1.docNo}:issue:-5`,
    ]);
    expect(await q({ type: 'receipt', depotId: w.city.depotId, materialId: w.quilt.materialId })).toEqual([
      `${r.docNo}:receipt:100`,
    ]);
    expect(await q({ docNo: ` ${i1.docNo} ` })).toEqual([`${i1.docNo}:issue:-5`]);
    expect(await q({ docNo: 'CK-2026' })).toEqual([]);
  });

  test("from and to are Qingdao's calendar days, both inclusive", async () => {
    await post();
    const q = async (input: Record<string, unknown>) =>
      (await env.call(w.keeper.token, 'stock.movements', input)).rows.map((m) => m.docNo);
    expect(await q({ from: '2026-12-01' })).toEqual([
      'YK-20261201-0001',
      'YK-20261201-0001',
      'CK-20261201-0001',
    ]);
    expect(await q({ to: '2026-11-30' })).toEqual([
      'CK-20261130-0001',
      'RK-20261129-0001',
      'RK-20261129-0001',
    ]);
    expect(await q({ from: '2026-11-30', to: '2026-11-30' })).toEqual(['CK-20261130-0001']);
    expect(await q({ from: '2026-12-02' })).toEqual([]);
  });

  test('keyset paging walks every movement exactly once, with filters', async () => {
    await post();
    for (const input of [{}, { depotId: w.city.depotId }, { materialId: w.quilt.materialId }]) {
      const whole = (await env.call(w.keeper.token, 'stock.movements', input)).rows;
      for (const limit of [1, 2, 5]) {
        const walked: typeof whole = [];
        let after: string | undefined;
        do {
          const page = await env.call(w.keeper.token, 'stock.movements', {
            ...input,
            limit,
            ...(after ? { after } : {}),
          });
          expect(page.rows.length).toBeLessThanOrEqual(limit);
          walked.push(...page.rows);
          after = page.nextCursor ?? undefined;
        } while (after);
        expect(walked.map((m) => m.movementId)).toEqual(whole.map((m) => m.movementId));
      }
    }
  });

  test('bad dates and cursors are refused, naming the field', async () => {
    const from = await failsCleanly(env, w.keeper.token, 'stock.movements', { from: '2026-11-31' });
    expect(from.fields).toEqual([{ path: 'from', label: '开始日期', message: '日期格式应为 2026-11-30' }]);
    for (const [field, date] of [
      ['from', '0000-01-01'],
      ['to', '1899-12-31'],
    ] as const) {
      const error = await failsCleanly(env, w.keeper.token, 'stock.movements', { [field]: date });
      expect(error.fields).toEqual([
        expect.objectContaining({ path: field, message: '日期应在 1900-01-01 至 9999-12-31 之间' }),
      ]);
    }
    await env.call(w.keeper.token, 'stock.movements', { from: '1900-01-01', to: '9999-12-31' });
    const after = await failsCleanly(env, w.keeper.token, 'stock.movements', { after: 'x' });
    expect(after.fields).toEqual([{ path: 'after', label: '翻页位置', message: '格式不正确' }]);
    const limit = await failsCleanly(env, w.keeper.token, 'stock.movements', { limit: 0 });
    expect(limit.fields).toEqual([{ path: 'limit', label: '每页条数', message: '不能小于 1' }]);
  });
});
