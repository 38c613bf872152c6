/** Depots (储备库), the material catalogue (物资目录) and reserve quotas (储备定额). */
import { createTestEnv, createWorld, failsCleanly, type TestEnv } from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;

beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
});
afterEach(() => env.close());

describe('depots', () => {
  test('are created with their details and listed by code', async () => {
    const town = await env.call(w.admin.token, 'depot.create', {
      code: 'QD-SN-01',
      name: '八大关街道储备点',
      level: 'town',
      parentId: w.shinan.depotId,
      address: '青岛市市南区',
      keeperName: '张三',
      phone: '0532-8888',
      latitude: 36.05,
      longitude: 120.35,
    });
    expect(town).toMatchObject({
      code: 'QD-SN-01',
      level: 'town',
      parentId: w.shinan.depotId,
      keeperName: '张三',
      active: true,
      latitude: 36.05,
    });
    const list = await env.call(w.keeper.token, 'depot.list', {});
    expect(list.map((d) => d.code)).toEqual(['QD-LS', 'QD-SJ', 'QD-SN', 'QD-SN-01']);
    expect((await env.call(w.keeper.token, 'depot.list', { level: 'district' })).map((d) => d.code)).toEqual([
      'QD-LS',
      'QD-SN',
    ]);
    expect((await env.call(w.keeper.token, 'depot.list', { text: '崂山' })).map((d) => d.code)).toEqual([
      'QD-LS',
    ]);
    // The same on both stores: Latin letters in any case, `%` and `_` taken literally.
    expect((await env.call(w.keeper.token, 'depot.list', { text: 'qd-sn' })).map((d) => d.code)).toEqual([
      'QD-SN',
      'QD-SN-01',
    ]);
    expect((await env.call(w.keeper.token, 'depot.list', { text: '%' })).map((d) => d.code)).toEqual([]);
    expect((await env.call(w.keeper.token, 'depot.list', { text: 'QD_S' })).map((d) => d.code)).toEqual([]);
  });

  test('codes are unique, on create and on update', async () => {
    const create = await failsCleanly(env, w.admin.token, 'depot.create', {
      code: 'QD-SN',
      name: '重复',
      level: 'district',
      parentId: w.city.depotId,
    });
    expect(create).toEqual({
      code: 'CONFLICT',
      message: '储备库编码「QD-SN」已被使用',
      fields: [{ path: 'code', label: '编码', message: '储备库编码「QD-SN」已被使用' }],
    });
    const update = await failsCleanly(env, w.admin.token, 'depot.update', {
      depotId: w.laoshan.depotId,
      code: 'QD-SN',
    });
    expect(update.code).toBe('CONFLICT');
    // Keeping one's own code is no conflict.
    await env.call(w.admin.token, 'depot.update', {
      depotId: w.laoshan.depotId,
      code: 'QD-LS',
      name: '崂山区救灾物资储备库',
    });
  });

  test('the parent must be of a higher level', async () => {
    const expected = {
      code: 'BAD_INPUT',
      message: '上级储备库的级别必须高于本库',
      fields: [{ path: 'parentId', label: '上级储备库', message: '上级储备库的级别必须高于本库' }],
    };
    expect(
      await failsCleanly(env, w.admin.token, 'depot.create', {
        code: 'X1',
        name: 'x',
        level: 'district',
        parentId: w.shinan.depotId,
      }),
    ).toEqual(expected);
    expect(
      await failsCleanly(env, w.admin.token, 'depot.create', {
        code: 'X2',
        name: 'x',
        level: 'city',
        parentId: w.city.depotId,
      }),
    ).toEqual(expected);
    expect(
      await failsCleanly(env, w.admin.token, 'depot.update', {
        depotId: w.city.depotId,
        parentId: w.shinan.depotId,
      }),
    ).toEqual(expected);
    expect(
      await failsCleanly(env, w.admin.token, 'depot.update', { depotId: w.shinan.depotId, level: 'city' }),
    ).toEqual(expected);
    // A town may hang directly under the city.
    await env.call(w.admin.token, 'depot.create', {
      code: 'X3',
      name: 'x',
      level: 'town',
      parentId: w.city.depotId,
    });
  });

  test("a depot's level cannot drop to or below its children's", async () => {
    const error = await failsCleanly(env, w.admin.token, 'depot.update', {
      depotId: w.city.depotId,
      level: 'district',
    });
    expect(error).toEqual({
      code: 'BAD_INPUT',
      message: '上级储备库的级别必须高于本库',
      fields: [{ path: 'level', label: '级别', message: '上级储备库的级别必须高于本库' }],
    });
    const town = await env.call(w.admin.token, 'depot.create', {
      code: 'T1',
      name: 't',
      level: 'town',
      parentId: w.shinan.depotId,
    });
    expect(
      (await failsCleanly(env, w.admin.token, 'depot.update', { depotId: w.shinan.depotId, level: 'town' }))
        .code,
    ).toBe('BAD_INPUT');
    // Moving a childless depot down is fine.
    await env.call(w.admin.token, 'depot.update', { depotId: w.laoshan.depotId, level: 'town' });
    expect(town.level).toBe('town');
  });

  test('are never deleted, only deactivated: hidden from lists unless asked, and no stock goes in', async () => {
    expect(
      (await failsCleanly(env, w.admin.token, 'depot.delete', { depotId: w.laoshan.depotId })).code,
    ).toBe('NOT_FOUND');
    const r = await env.call(w.admin.token, 'stock.receive', {
      depotId: w.laoshan.depotId,
      source: 'opening',
      lines: [{ materialId: w.tent.materialId, quantity: 3, lotNo: 'L' }],
    });
    const off = await env.call(w.admin.token, 'depot.update', { depotId: w.laoshan.depotId, active: false });
    expect(off.active).toBe(false);
    expect((await env.call(w.keeper.token, 'depot.list', {})).map((d) => d.code)).not.toContain('QD-LS');
    expect(
      (await env.call(w.keeper.token, 'depot.list', { includeInactive: true })).map((d) => d.code),
    ).toContain('QD-LS');
    const error = await failsCleanly(env, w.admin.token, 'stock.receive', {
      depotId: w.laoshan.depotId,
      source: 'procurement',
      lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'L' }],
    });
    expect(error).toEqual({
      code: 'CONFLICT',
      message: '储备库「崂山区储备库」已停用',
      fields: [{ path: 'depotId', label: '储备库', message: '储备库「崂山区储备库」已停用' }],
    });
    // Its history stays readable, and the database itself refuses to delete a depot the ledger references.
    expect(
      (await env.call(w.admin.token, 'stock.movements', { depotId: w.laoshan.depotId })).rows.map(
        (m) => m.docNo,
      ),
    ).toEqual([r.docNo]);
    const refused = await env.app.db
      .deleteFrom('depots')
      .where('depotId', '=', w.laoshan.depotId)
      .execute()
      .catch((error: unknown) => error);
    expect(env.app.store.dialect.classifyError(refused)).toEqual({ kind: 'foreignKey' });
    expect(
      await env.app.db
        .selectFrom('depots')
        .select('code')
        .where('depotId', '=', w.laoshan.depotId)
        .executeTakeFirst(),
    ).toEqual({ code: 'QD-LS' });
    // Reactivated, it takes stock again.
    await env.call(w.admin.token, 'depot.update', { depotId: w.laoshan.depotId, active: true });
    await env.call(w.admin.token, 'stock.receive', {
      depotId: w.laoshan.depotId,
      source: 'procurement',
      lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'L' }],
    });
  });

  test('coordinates are range-checked', async () => {
    const error = await failsCleanly(env, w.admin.token, 'depot.update', {
      depotId: w.city.depotId,
      latitude: 91,
    });
    expect(error.fields).toEqual([{ path: 'latitude', label: '纬度', message: '不能大于 90' }]);
  });
});

describe('materials', () => {
  test('GB/T 38565 codes: 7 digits, first 1-3, matching the top class', async () => {
    const ok = await env.call(w.admin.token, 'material.create', {
      code: 'M0010',
      name: '折叠床',
      unit: '张',
      topClass: 1,
      gbCode: '1020301',
      category: '床具',
    });
    expect(ok).toMatchObject({ gbCode: '1020301', topClass: 1, warningDays: 90, active: true });
    for (const gbCode of ['102030', '10203011', '4020301', '0020301', '1O20301', '']) {
      const error = await failsCleanly(env, w.admin.token, 'material.create', {
        code: 'M0011',
        name: 'x',
        unit: '个',
        topClass: 1,
        gbCode,
      });
      expect([gbCode, error.code, error.fields![0]]).toEqual([
        gbCode,
        'BAD_INPUT',
        { path: 'gbCode', label: '国标编码', message: '国标编码应为 7 位数字，首位为 1、2 或 3' },
      ]);
      expect(error.fields!.every((f) => f.path === 'gbCode')).toBe(true);
    }
    const mismatch = await failsCleanly(env, w.admin.token, 'material.create', {
      code: 'M0011',
      name: 'x',
      unit: '个',
      topClass: 1,
      gbCode: '2010101',
    });
    expect(mismatch).toEqual({
      code: 'BAD_INPUT',
      message: '国标编码：国标编码首位 2 与大类 1 不一致',
      fields: [{ path: 'gbCode', label: '国标编码', message: '国标编码首位 2 与大类 1 不一致' }],
    });
  });

  test('changing the top class must keep the stored GB code consistent', async () => {
    const m = await env.call(w.admin.token, 'material.create', {
      code: 'M0010',
      name: '折叠床',
      unit: '张',
      topClass: 1,
      gbCode: '1020301',
    });
    const error = await failsCleanly(env, w.admin.token, 'material.update', {
      materialId: m.materialId,
      topClass: 2,
    });
    expect(error.code).toBe('BAD_INPUT');
    expect(error.fields).toEqual([
      { path: 'gbCode', label: '国标编码', message: '国标编码首位 1 与大类 2 不一致' },
    ]);
    const both = await env.call(w.admin.token, 'material.update', {
      materialId: m.materialId,
      topClass: 2,
      gbCode: '2010101',
    });
    expect(both).toMatchObject({ topClass: 2, gbCode: '2010101' });
    const cleared = await env.call(w.admin.token, 'material.update', {
      materialId: m.materialId,
      gbCode: null,
      topClass: 3,
    });
    expect(cleared).toMatchObject({ topClass: 3, gbCode: null });
  });

  test('the top class is 1, 2 or 3', async () => {
    const error = await failsCleanly(env, w.admin.token, 'material.create', {
      code: 'M0011',
      name: 'x',
      unit: '个',
      topClass: 4,
    });
    expect(error.fields).toEqual([
      { path: 'topClass', label: '国标大类', message: '取值无效，可选：1 / 2 / 3' },
    ]);
  });

  test('codes are unique', async () => {
    const error = await failsCleanly(env, w.admin.token, 'material.create', {
      code: 'M0001',
      name: 'x',
      unit: '个',
      topClass: 1,
    });
    expect(error).toEqual({
      code: 'CONFLICT',
      message: '物资编码「M0001」已被使用',
      fields: [{ path: 'code', label: '编码', message: '物资编码「M0001」已被使用' }],
    });
    expect(
      (
        await failsCleanly(env, w.admin.token, 'material.update', {
          materialId: w.quilt.materialId,
          code: 'M0001',
        })
      ).code,
    ).toBe('CONFLICT');
  });

  test('search by code, name or spec, filter by category and class, keyset-paged by code', async () => {
    const list = async (input: Record<string, unknown>) =>
      (await env.call(w.keeper.token, 'material.list', input)).rows.map((m) => m.code);
    expect(await list({})).toEqual(['M0001', 'M0002', 'M0003']);
    expect(await list({ text: '帐篷' })).toEqual(['M0001']);
    expect(await list({ text: '2m*1.8' })).toEqual(['M0002']);
    expect(await list({ text: 'M0003' })).toEqual(['M0003']);
    // The same on both stores: Latin letters in any case, `%` and `_` taken literally.
    expect(await list({ text: 'm000' })).toEqual(['M0001', 'M0002', 'M0003']);
    expect(await list({ text: '2M*1.8' })).toEqual(['M0002']);
    expect(await list({ text: '%' })).toEqual([]);
    expect(await list({ text: 'M_00' })).toEqual([]);
    expect(await list({ category: '被服' })).toEqual(['M0002']);
    expect(await list({ topClass: 1 })).toEqual(['M0001', 'M0002']);
    const first = await env.call(w.keeper.token, 'material.list', { limit: 2 });
    expect(first.rows.map((m) => m.code)).toEqual(['M0001', 'M0002']);
    expect(first.nextCursor).toBe('M0002');
    const second = await env.call(w.keeper.token, 'material.list', { limit: 2, after: first.nextCursor! });
    expect(second).toMatchObject({ rows: [expect.objectContaining({ code: 'M0003' })], nextCursor: null });
  });

  test('are never deleted, only deactivated: hidden from lists unless asked', async () => {
    await env.call(w.admin.token, 'material.update', { materialId: w.jacket.materialId, active: false });
    expect((await env.call(w.keeper.token, 'material.list', {})).rows.map((m) => m.code)).toEqual([
      'M0001',
      'M0002',
    ]);
    expect(
      (await env.call(w.keeper.token, 'material.list', { includeInactive: true })).rows.map((m) => m.code),
    ).toContain('M0003');
    expect(
      (await failsCleanly(env, w.admin.token, 'material.delete', { materialId: w.jacket.materialId })).code,
    ).toBe('NOT_FOUND');
  });

  test('shelf life and warning days are range-checked', async () => {
    const error = await failsCleanly(env, w.admin.token, 'material.create', {
      code: 'M9',
      name: 'x',
      unit: '个',
      topClass: 1,
      shelfLifeMonths: 0,
      warningDays: -1,
    });
    expect(error.fields).toEqual([
      { path: 'shelfLifeMonths', label: '保质期（月）', message: '不能小于 1' },
      { path: 'warningDays', label: '预警天数', message: '不能小于 0' },
    ]);
  });
});

describe('quotas', () => {
  test('are set, replaced, listed and removed with 0', async () => {
    await env.call(w.admin.token, 'quota.set', {
      depotId: w.city.depotId,
      materialId: w.tent.materialId,
      quantity: 100,
    });
    await env.call(w.admin.token, 'quota.set', {
      depotId: w.city.depotId,
      materialId: w.tent.materialId,
      quantity: 120,
    });
    await env.call(w.admin.token, 'quota.set', {
      depotId: w.shinan.depotId,
      materialId: w.tent.materialId,
      quantity: 30,
    });
    const list = async (input: Record<string, unknown>) =>
      (await env.call(w.keeper.token, 'quota.list', input)).map((q) => [q.depotId, q.materialId, q.quantity]);
    expect(await list({})).toEqual([
      [w.city.depotId, w.tent.materialId, 120],
      [w.shinan.depotId, w.tent.materialId, 30],
    ]);
    expect(await list({ depotId: w.shinan.depotId })).toEqual([[w.shinan.depotId, w.tent.materialId, 30]]);
    await env.call(w.admin.token, 'quota.set', {
      depotId: w.city.depotId,
      materialId: w.tent.materialId,
      quantity: 0,
    });
    expect(await list({ materialId: w.tent.materialId })).toEqual([
      [w.shinan.depotId, w.tent.materialId, 30],
    ]);
  });
});
