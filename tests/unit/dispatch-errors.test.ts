/**
 * dispatch(): the single entry. Unknown procedures, missing sessions, wrong types, missing
 * fields, out-of-range numbers and unknown ids each give a typed error that names the field,
 * in the caller's language, and leave the database exactly as it was.
 */
import { sql } from 'kysely';
import { api, type ProcedureName } from '../../src/shared/api';
import { handlers } from '../../src/main/rpc/handlers';
import {
  createTestEnv,
  createWorld,
  dump,
  failsCleanly,
  snapshot,
  unchangedBy,
  type TestEnv,
} from './harness';

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());

const ALL = Object.keys(api) as ProcedureName[];
/** Every procedure an administrator may call: the type checks below cover each the day it joins the contract. */
const SIGNED_IN = ALL.filter((p) => api[p].access !== 'public');
const ADMIN_CALLABLE = SIGNED_IN.filter((p) => (api[p].access as readonly string[]).includes('admin'));

describe('unknown procedures', () => {
  test('are refused with NOT_FOUND naming them (also names on the object prototype)', async () => {
    const w = await createWorld(env);
    for (const name of [
      'stock.delete',
      'movement.update',
      'depot.delete',
      'toString',
      '__proto__',
      'constructor',
      'hasOwnProperty',
      '',
    ]) {
      const error = await failsCleanly(env, w.admin.token, name, {});
      expect([name, error]).toEqual([name, { code: 'NOT_FOUND', message: `未知的操作：${name}` }]);
    }
  });

  test('a procedure name that is not a string is refused', async () => {
    const w = await createWorld(env);
    const before = await snapshot(env);
    const response = await env.raw({ procedure: 42 as unknown as string, token: w.admin.token });
    expect(response).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: '未知的操作：42' } });
    expect(await snapshot(env)).toEqual(before);
  });

  test('in English when the caller asks for it', async () => {
    const error = await failsCleanly(env, undefined, 'stock.nuke', {}, 'en');
    expect(error).toEqual({ code: 'NOT_FOUND', message: 'Unknown operation: stock.nuke' });
  });
});

describe('sessions are required (default deny)', () => {
  test('only sign-in and the first-run set-up are public', () => {
    expect(ALL.filter((p) => api[p].access === 'public').sort()).toEqual([
      'auth.login',
      'setup.createAdmin',
      'setup.loadDemo',
      'setup.status',
    ]);
    expect(ADMIN_CALLABLE.length).toBeGreaterThan(30);
  });

  test('every signed-in procedure without a token is UNAUTHENTICATED', async () => {
    await createWorld(env);
    await unchangedBy(env, async () => {
      for (const procedure of SIGNED_IN) {
        const error = await env.fail(undefined, procedure, {});
        expect([procedure, error]).toEqual([
          procedure,
          { code: 'UNAUTHENTICATED', message: '登录已失效，请重新登录' },
        ]);
      }
    });
  });

  test('a forged token is UNAUTHENTICATED on every signed-in procedure', async () => {
    await createWorld(env);
    await unchangedBy(env, async () => {
      for (const procedure of SIGNED_IN) {
        const error = await env.fail('not-a-real-token', procedure, {});
        expect([procedure, error.code]).toEqual([procedure, 'UNAUTHENTICATED']);
      }
    });
  });

  test('an idle-expired session is UNAUTHENTICATED on every signed-in procedure', async () => {
    const w = await createWorld(env);
    env.clock.advanceMinutes(8 * 60 + 1);
    await unchangedBy(env, async () => {
      for (const procedure of SIGNED_IN) {
        const error = await env.fail(w.admin.token, procedure, {});
        expect([procedure, error]).toEqual([
          procedure,
          { code: 'UNAUTHENTICATED', message: '登录已失效，请重新登录' },
        ]);
      }
    });
  });

  test('the session is checked before the input: no hints about valid input without signing in', async () => {
    const error = await failsCleanly(env, undefined, 'stock.receive', { depotId: 'x' });
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.fields).toBeUndefined();
  });
});

describe('wrong types', () => {
  test('every procedure refuses an input that is not an object, naming the expected type', async () => {
    const w = await createWorld(env);
    await unchangedBy(env, async () => {
      for (const procedure of ADMIN_CALLABLE) {
        for (const input of ['oops', 42, [1, 2], true]) {
          const error = await env.fail(w.admin.token, procedure, input);
          expect([procedure, error]).toEqual([
            procedure,
            {
              code: 'BAD_INPUT',
              message: '类型不正确，应为对象',
              fields: [{ path: '', label: '', message: '类型不正确，应为对象' }],
            },
          ]);
        }
      }
    });
  });

  test('every procedure refuses unknown fields, naming them', async () => {
    const w = await createWorld(env);
    await unchangedBy(env, async () => {
      for (const procedure of ADMIN_CALLABLE) {
        const error = await env.fail(w.admin.token, procedure, { bogusField: 1 });
        expect([procedure, error.code]).toEqual([procedure, 'BAD_INPUT']);
        expect(error.fields!.map((f) => f.message)).toContain('未知字段：bogusField');
      }
    });
  });

  test('a text where a number belongs is a type error, not "required"', async () => {
    const w = await createWorld(env);
    const error = await failsCleanly(env, w.keeper.token, 'stock.receive', {
      depotId: String(w.city.depotId),
      source: 'procurement',
      lines: [{ materialId: w.quilt.materialId, quantity: 'ten', lotNo: 'A' }],
    });
    expect(error.code).toBe('BAD_INPUT');
    expect(error.fields).toEqual([
      { path: 'depotId', label: '储备库', message: '类型不正确，应为数字' },
      { path: 'lines.0.quantity', label: '第 1 行 · 数量', message: '类型不正确，应为数字' },
    ]);
    expect(error.message).toBe('储备库：类型不正确，应为数字（另有 1 处）');
  });

  test('null where a number belongs is a type error', async () => {
    const w = await createWorld(env);
    const error = await failsCleanly(env, w.keeper.token, 'stock.issue', {
      depotId: w.city.depotId,
      recipient: '市南区应急局',
      lines: [{ materialId: w.quilt.materialId, quantity: null }],
    });
    expect(error.fields).toEqual([
      { path: 'lines.0.quantity', label: '第 1 行 · 数量', message: '类型不正确，应为数字' },
    ]);
  });

  test('a fraction is refused: quantities are whole units', async () => {
    const w = await createWorld(env);
    const error = await failsCleanly(env, w.keeper.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [
        { materialId: w.quilt.materialId, quantity: 5, lotNo: 'A' },
        { materialId: w.quilt.materialId, quantity: 1.5, lotNo: 'A' },
      ],
    });
    expect(error).toEqual({
      code: 'BAD_INPUT',
      message: '第 2 行 · 数量：必须是整数',
      fields: [{ path: 'lines.1.quantity', label: '第 2 行 · 数量', message: '必须是整数' }],
    });
  });

  test('money is integer fen', async () => {
    const w = await createWorld(env);
    const error = await failsCleanly(env, w.admin.token, 'material.create', {
      code: 'M9',
      name: '雨衣',
      unit: '件',
      topClass: 1,
      referencePriceFen: 12.5,
    });
    expect(error.fields).toEqual([{ path: 'referencePriceFen', label: '参考单价', message: '必须是整数' }]);
  });

  test('a date that is not a calendar date is refused', async () => {
    const w = await createWorld(env);
    for (const bad of ['2026-02-30', '2026/11/30', '20261130', '2026-13-01']) {
      const error = await failsCleanly(env, w.keeper.token, 'stock.receive', {
        depotId: w.city.depotId,
        source: 'procurement',
        lines: [{ materialId: w.quilt.materialId, quantity: 5, lotNo: 'A', expiresOn: bad }],
      });
      expect(error.fields).toEqual([
        { path: 'lines.0.expiresOn', label: '第 1 行 · 有效期至', message: '日期格式应为 2026-11-30' },
      ]);
    }
  });

  test('an enumeration lists its options', async () => {
    const w = await createWorld(env);
    const error = await failsCleanly(env, w.keeper.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'theft',
      lines: [{ materialId: w.quilt.materialId, quantity: 5, lotNo: 'A' }],
    });
    expect(error.fields).toEqual([
      {
        path: 'source',
        label: '来源',
        message: '取值无效，可选：procurement / donation / callUp / return / opening',
      },
    ]);
  });
});

describe('missing fields', () => {
  /** Procedures with required fields, and exactly those fields. */
  const REQUIRED: Partial<Record<ProcedureName, string[]>> = {
    'auth.login': ['username', 'password'],
    'auth.changePassword': ['currentPassword', 'newPassword'],
    'user.create': ['username', 'displayName', 'role', 'password'],
    'user.update': ['userId'],
    'user.resetPassword': ['userId', 'newPassword'],
    'depot.create': ['code', 'name', 'level'],
    'depot.update': ['depotId'],
    'material.create': ['code', 'name', 'unit', 'topClass'],
    'material.update': ['materialId'],
    'quota.set': ['depotId', 'materialId', 'quantity'],
    'stock.receive': ['depotId', 'source', 'lines'],
    'stock.issue': ['depotId', 'recipient', 'lines'],
    'stock.transfer': ['fromDepotId', 'toDepotId', 'lines'],
    'stock.scrap': ['depotId', 'reason', 'lines'],
    'stock.reverse': ['movementId', 'reason'],
    'stocktake.open': ['depotId'],
    'stocktake.count': ['stocktakeId', 'counts'],
    'stocktake.approve': ['stocktakeId'],
    'stocktake.cancel': ['stocktakeId'],
    'stocktake.get': ['stocktakeId'],
    'stock.batch': ['batchId'],
    'incident.get': ['incidentId'],
    'allocation.get': ['requestId'],
    'incident.summary': ['incidentId'],
    'delivery.get': ['deliveryId'],
    'document.get': ['docNo'],
    'report.export': ['report'],
    'report.job': ['jobId'],
    'import.preview': ['uploadId', 'kind'],
    'import.commit': ['uploadId', 'kind'],
    'report.cancel': ['jobId'],
  };

  test('each procedure names every missing field as required, with its label', async () => {
    const w = await createWorld(env);
    const before = await dump(env);
    for (const [procedure, fields] of Object.entries(REQUIRED)) {
      const error = await env.fail(w.admin.token, procedure, {});
      expect([procedure, error.code, error.fields!.map((f) => f.path)]).toEqual([
        procedure,
        'BAD_INPUT',
        fields,
      ]);
      for (const f of error.fields!)
        expect([procedure, f.path, f.message, f.label !== '' && f.label !== f.path]).toEqual([
          procedure,
          f.path,
          '必填',
          true,
        ]);
      expect(error.message).toBe(
        `${error.fields![0]!.label}：必填${fields.length > 1 ? `（另有 ${fields.length - 1} 处）` : ''}`,
      );
    }
    expect(await dump(env)).toEqual(before);
  });

  test('the other procedures need no input at all', async () => {
    const w = await createWorld(env);
    const optional = ADMIN_CALLABLE.filter((p) => !(p in REQUIRED) && p !== 'auth.logout');
    for (const procedure of optional) {
      // An object whose fields are all optional still has to be an object.
      const input = procedure === 'stock.balances' || procedure === 'settings.update' ? {} : undefined;
      const response = await env.raw({ procedure, token: w.admin.token, input });
      expect([procedure, response.ok]).toEqual([procedure, true]);
    }
  });

  test('a receipt line needs a lot number or a batch', async () => {
    const w = await createWorld(env);
    const error = await failsCleanly(env, w.keeper.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [{ materialId: w.quilt.materialId, quantity: 5 }],
    });
    expect(error.fields).toEqual([{ path: 'lines.0.lotNo', label: '第 1 行 · 批号', message: '必填' }]);
  });

  test('an empty list of lines is refused', async () => {
    const w = await createWorld(env);
    const error = await failsCleanly(env, w.keeper.token, 'stock.issue', {
      depotId: w.city.depotId,
      recipient: 'x',
      lines: [],
    });
    expect(error.fields).toEqual([{ path: 'lines', label: '明细', message: '至少 1 项' }]);
  });

  test('blank text counts as missing', async () => {
    const w = await createWorld(env);
    const error = await failsCleanly(env, w.keeper.token, 'stock.issue', {
      depotId: w.city.depotId,
      recipient: '   ',
      lines: [{ materialId: w.quilt.materialId, quantity: 1 }],
    });
    expect(error.fields).toEqual([{ path: 'recipient', label: '领用单位', message: '不能为空' }]);
  });
});

describe('negative, zero and huge quantities', () => {
  test('every quantity field refuses zero and negatives, naming the line', async () => {
    const w = await createWorld(env);
    const d = w.city.depotId;
    const m = w.quilt.materialId;
    const cases: [ProcedureName, (q: number) => unknown, string, string][] = [
      [
        'stock.receive',
        (q) => ({ depotId: d, source: 'procurement', lines: [{ materialId: m, quantity: q, lotNo: 'A' }] }),
        'lines.0.quantity',
        '第 1 行 · 数量',
      ],
      [
        'stock.issue',
        (q) => ({ depotId: d, recipient: 'x', lines: [{ materialId: m, quantity: q }] }),
        'lines.0.quantity',
        '第 1 行 · 数量',
      ],
      [
        'stock.transfer',
        (q) => ({ fromDepotId: d, toDepotId: w.shinan.depotId, lines: [{ materialId: m, quantity: q }] }),
        'lines.0.quantity',
        '第 1 行 · 数量',
      ],
      [
        'stock.scrap',
        (q) => ({ depotId: d, reason: '霉变', lines: [{ batchId: 1, quantity: q }] }),
        'lines.0.quantity',
        '第 1 行 · 数量',
      ],
    ];
    for (const [procedure, input, path, label] of cases) {
      for (const q of [0, -1, -500]) {
        const error = await failsCleanly(env, w.keeper.token, procedure, input(q));
        expect([procedure, q, error]).toEqual([
          procedure,
          q,
          {
            code: 'BAD_INPUT',
            message: `${label}：必须大于 0`,
            fields: [{ path, label, message: '必须大于 0' }],
          },
        ]);
      }
      const huge = await failsCleanly(env, w.keeper.token, procedure, input(10 ** 13));
      expect(huge.fields).toEqual([{ path, label, message: '不能大于 999,999,999,999' }]);
    }
  });

  test('quota and counted quantities may be zero but not negative', async () => {
    const w = await createWorld(env);
    const quota = await failsCleanly(env, w.admin.token, 'quota.set', {
      depotId: w.city.depotId,
      materialId: w.quilt.materialId,
      quantity: -1,
    });
    expect(quota.fields).toEqual([{ path: 'quantity', label: '数量', message: '不能小于 0' }]);
    const count = await failsCleanly(env, w.keeper.token, 'stocktake.count', {
      stocktakeId: 1,
      counts: [{ lineId: 1, countedQuantity: -2 }],
    });
    expect(count.fields).toEqual([
      { path: 'counts.0.countedQuantity', label: '第 1 行 · 实盘数量', message: '不能小于 0' },
    ]);
  });

  test('ids must be positive whole numbers', async () => {
    const w = await createWorld(env);
    const error = await failsCleanly(env, w.keeper.token, 'stock.reverse', { movementId: 0, reason: '录错' });
    expect(error.fields).toEqual([{ path: 'movementId', label: '出入库记录', message: '必须大于 0' }]);
  });
});

describe('unknown ids', () => {
  test('each procedure names the unknown record and the field', async () => {
    const w = await createWorld(env);
    const { admin, keeper } = w;
    const d = w.city.depotId;
    const m = w.quilt.materialId;
    await env.call(keeper.token, 'stock.receive', {
      depotId: d,
      source: 'procurement',
      lines: [{ materialId: m, quantity: 10, lotNo: 'A' }],
    });
    const st = await env.call(admin.token, 'stocktake.open', { depotId: w.laoshan.depotId });
    const cases: [string, ProcedureName, unknown, string, string, string][] = [
      [
        keeper.token,
        'stock.receive',
        { depotId: 999, source: 'procurement', lines: [{ materialId: m, quantity: 1, lotNo: 'A' }] },
        'depotId',
        '储备库',
        '储备库不存在（编号 999）',
      ],
      [
        keeper.token,
        'stock.receive',
        { depotId: d, source: 'procurement', lines: [{ materialId: 999, quantity: 1, lotNo: 'A' }] },
        'lines.0.materialId',
        '第 1 行 · 物资',
        '物资不存在（编号 999）',
      ],
      [
        keeper.token,
        'stock.receive',
        { depotId: d, source: 'procurement', lines: [{ materialId: m, quantity: 1, batchId: 999 }] },
        'lines.0.batchId',
        '第 1 行 · 批次',
        '批次不存在（编号 999）',
      ],
      [
        keeper.token,
        'stock.issue',
        { depotId: 999, recipient: 'x', lines: [{ materialId: m, quantity: 1 }] },
        'depotId',
        '储备库',
        '储备库不存在（编号 999）',
      ],
      [
        keeper.token,
        'stock.issue',
        { depotId: d, recipient: 'x', lines: [{ materialId: 999, quantity: 1 }] },
        'lines.0.materialId',
        '第 1 行 · 物资',
        '物资不存在（编号 999）',
      ],
      [
        keeper.token,
        'stock.issue',
        { depotId: d, recipient: 'x', lines: [{ materialId: m, quantity: 1, batchId: 999 }] },
        'lines.0.batchId',
        '第 1 行 · 批次',
        '批次不存在（编号 999）',
      ],
      [
        keeper.token,
        'stock.transfer',
        { fromDepotId: 999, toDepotId: d, lines: [{ materialId: m, quantity: 1 }] },
        'fromDepotId',
        '调出库',
        '储备库不存在（编号 999）',
      ],
      [
        keeper.token,
        'stock.transfer',
        { fromDepotId: d, toDepotId: 999, lines: [{ materialId: m, quantity: 1 }] },
        'toDepotId',
        '调入库',
        '储备库不存在（编号 999）',
      ],
      [
        keeper.token,
        'stock.transfer',
        { fromDepotId: d, toDepotId: w.shinan.depotId, lines: [{ materialId: 999, quantity: 1 }] },
        'lines.0.materialId',
        '第 1 行 · 物资',
        '物资不存在（编号 999）',
      ],
      [
        keeper.token,
        'stock.scrap',
        { depotId: d, reason: '霉变', lines: [{ batchId: 999, quantity: 1 }] },
        'lines.0.batchId',
        '第 1 行 · 批次',
        '批次不存在（编号 999）',
      ],
      [
        keeper.token,
        'stock.reverse',
        { movementId: 999, reason: '录错' },
        'movementId',
        '出入库记录',
        '出入库记录不存在（编号 999）',
      ],
      [keeper.token, 'stocktake.open', { depotId: 999 }, 'depotId', '储备库', '储备库不存在（编号 999）'],
      [
        admin.token,
        'stocktake.count',
        { stocktakeId: 999, counts: [{ lineId: 1, countedQuantity: 1 }] },
        'stocktakeId',
        '盘点单',
        '盘点单不存在（编号 999）',
      ],
      [
        admin.token,
        'stocktake.count',
        { stocktakeId: st.stocktakeId, counts: [{ lineId: 999, countedQuantity: 1 }] },
        'counts.0.lineId',
        '第 1 行 · 盘点行',
        '盘点行不存在（编号 999）',
      ],
      [
        admin.token,
        'stocktake.approve',
        { stocktakeId: 999 },
        'stocktakeId',
        '盘点单',
        '盘点单不存在（编号 999）',
      ],
      [
        admin.token,
        'stocktake.cancel',
        { stocktakeId: 999 },
        'stocktakeId',
        '盘点单',
        '盘点单不存在（编号 999）',
      ],
      [
        admin.token,
        'stocktake.get',
        { stocktakeId: 999 },
        'stocktakeId',
        '盘点单',
        '盘点单不存在（编号 999）',
      ],
      [
        admin.token,
        'user.update',
        { userId: 999, displayName: 'x' },
        'userId',
        '用户',
        '用户不存在（编号 999）',
      ],
      [
        admin.token,
        'user.resetPassword',
        { userId: 999, newPassword: 'NewPassw0rd' },
        'userId',
        '用户',
        '用户不存在（编号 999）',
      ],
      [
        admin.token,
        'user.create',
        { username: 'k9', displayName: 'k', role: 'keeper', password: 'Passw0rd!', depotIds: [999] },
        'depotIds.0',
        '负责储备库',
        '储备库不存在（编号 999）',
      ],
      [
        admin.token,
        'depot.update',
        { depotId: 999, name: 'x' },
        'depotId',
        '储备库',
        '储备库不存在（编号 999）',
      ],
      [
        admin.token,
        'depot.create',
        { code: 'X', name: 'x', level: 'town', parentId: 999 },
        'parentId',
        '上级储备库',
        '储备库不存在（编号 999）',
      ],
      [
        admin.token,
        'material.update',
        { materialId: 999, name: 'x' },
        'materialId',
        '物资',
        '物资不存在（编号 999）',
      ],
      [
        admin.token,
        'quota.set',
        { depotId: 999, materialId: m, quantity: 5 },
        'depotId',
        '储备库',
        '储备库不存在（编号 999）',
      ],
      [
        admin.token,
        'quota.set',
        { depotId: d, materialId: 999, quantity: 5 },
        'materialId',
        '物资',
        '物资不存在（编号 999）',
      ],
    ];
    for (const [token, procedure, input, path, label, message] of cases) {
      const error = await failsCleanly(env, token, procedure, input);
      expect([procedure, path, error.code, error.fields]).toEqual([
        procedure,
        path,
        'NOT_FOUND',
        [{ path, label, message }],
      ]);
      expect(error.message).toContain(message);
    }
  });

  test('a batch of another depot or material is refused, naming it', async () => {
    const w = await createWorld(env);
    const r = await env.call(w.admin.token, 'stock.receive', {
      depotId: w.shinan.depotId,
      source: 'procurement',
      lines: [{ materialId: w.quilt.materialId, quantity: 10, lotNo: 'SN-1' }],
    });
    const batchId = r.movements[0]!.batchId;
    const error = await failsCleanly(env, w.keeper.token, 'stock.issue', {
      depotId: w.city.depotId,
      recipient: 'x',
      lines: [{ materialId: w.quilt.materialId, quantity: 1, batchId }],
    });
    expect(error.code).toBe('BAD_INPUT');
    expect(error.fields).toEqual([
      { path: 'lines.0.batchId', label: '第 1 行 · 批次', message: '批次「SN-1」不属于该储备库或该物资' },
    ]);
  });
});

describe('language', () => {
  test('field labels and messages in English when locale is en', async () => {
    const w = await createWorld(env);
    const error = await failsCleanly(
      env,
      w.keeper.token,
      'stock.issue',
      {
        depotId: w.city.depotId,
        recipient: 'x',
        lines: [
          { materialId: w.quilt.materialId, quantity: 5 },
          { materialId: w.quilt.materialId, quantity: 0 },
        ],
      },
      'en',
    );
    expect(error).toEqual({
      code: 'BAD_INPUT',
      message: 'line 2 · quantity: must be greater than 0',
      fields: [{ path: 'lines.1.quantity', label: 'line 2 · quantity', message: 'must be greater than 0' }],
    });
  });

  test('service errors in English, with parameters filled in', async () => {
    const w = await createWorld(env);
    const error = await failsCleanly(
      env,
      w.keeper.token,
      'stock.issue',
      {
        depotId: w.city.depotId,
        recipient: 'x',
        lines: [{ materialId: w.quilt.materialId, quantity: 1500 }],
      },
      'en-US',
    );
    expect(error.code).toBe('INSUFFICIENT_STOCK');
    expect(error.message).toBe(
      'Not enough "棉被" available in "青岛市级救灾物资储备库": need 1,500, available 0',
    );
    expect(error.fields![0]).toMatchObject({ path: 'lines.0.quantity', label: 'line 1 · quantity' });
  });

  test('type names are translated too', async () => {
    const w = await createWorld(env);
    const error = await failsCleanly(env, w.admin.token, 'depot.update', { depotId: 'one' }, 'en');
    expect(error.message).toBe('depot: wrong type, expected a number');
  });

  test('an unknown locale falls back to Chinese', async () => {
    const error = await failsCleanly(env, undefined, 'auth.me', undefined, 'fr-FR');
    expect(error.message).toBe('登录已失效，请重新登录');
    const en = await failsCleanly(env, undefined, 'auth.me', undefined, 'en');
    expect(en.message).toBe('Your session has ended: please sign in again');
  });
});

describe('unexpected failures', () => {
  test('an answer that breaks the contract is never sent: INTERNAL instead', async () => {
    const w = await createWorld(env);
    const original = handlers['auth.me'];
    handlers['auth.me'] = async () => ({ userId: 'not a number' }) as never;
    try {
      const error = await env.fail(w.admin.token, 'auth.me', {});
      expect(error).toEqual({ code: 'INTERNAL', message: '系统内部错误，请稍后重试或联系管理员' });
    } finally {
      handlers['auth.me'] = original;
    }
    expect((await env.raw({ procedure: 'auth.me', token: w.admin.token })).ok).toBe(true);
  });

  test('become INTERNAL with a generic message: no SQL, no stack', async () => {
    const w = await createWorld(env);
    await sql`drop table quotas`.execute(env.app.db);
    const error = await env.fail(w.admin.token, 'quota.list', {});
    expect(error).toEqual({ code: 'INTERNAL', message: '系统内部错误，请稍后重试或联系管理员' });
  });
});

describe('values a store cannot hold', () => {
  test('an id past 32 bits and a NUL in text are BAD_INPUT on both stores, never INTERNAL', async () => {
    const w = await createWorld(env);
    const huge = 3_000_000_000;
    for (const [procedure, input] of [
      ['stock.batch', { batchId: huge }],
      ['depot.update', { depotId: huge, name: 'x' }],
      ['audit.list', { after: huge }],
      ['stock.movements', { after: String(huge) }],
      ['material.list', { text: 'a\u0000b' }],
      ['depot.list', { text: 'a\u0000b' }],
      ['depot.create', { code: 'X1', name: 'a\u0000b', level: 'town', parentId: w.shinan.depotId }],
    ] as const) {
      const error = await failsCleanly(env, w.admin.token, procedure, input);
      expect([procedure, error.code]).toEqual([procedure, 'BAD_INPUT']);
    }
  });
});
