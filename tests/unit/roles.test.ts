/**
 * Roles (default deny) and the keeper's depot scope: staff only read, admin-only procedures
 * are refused for everyone else, and a keeper moves stock only in their own depots.
 */
import type { ProcedureName } from '../../src/shared/api';
import { createTestEnv, createWorld, failsCleanly, unchangedBy, type TestEnv } from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;

beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
});
afterEach(() => env.close());

const WRITES: ProcedureName[] = [
  'user.create', 'user.update', 'user.resetPassword', 'depot.create', 'depot.update', 'material.create', 'material.update', 'quota.set',
  'stock.receive', 'stock.issue', 'stock.transfer', 'stock.scrap', 'stock.reverse',
  'stocktake.open', 'stocktake.count', 'stocktake.approve', 'stocktake.cancel',
];
const ADMIN_ONLY: ProcedureName[] = [
  'user.list', 'user.create', 'user.update', 'user.resetPassword', 'depot.create', 'depot.update', 'material.create', 'material.update',
  'quota.set', 'audit.verify', 'audit.list',
];
const READS: ProcedureName[] = [
  'auth.me', 'depot.list', 'material.list', 'quota.list', 'stock.balances', 'stock.matrix', 'stock.movements', 'stock.expiring',
  'stock.belowQuota', 'stocktake.list',
];

test('staff cannot write anything, whatever the input', async () => {
  const staff = await env.user('staff');
  await unchangedBy(env, async () => {
    for (const procedure of [...WRITES, 'ledger.check', 'audit.verify'] as ProcedureName[]) {
      for (const input of [{}, { depotId: w.city.depotId }]) {
        const error = await env.fail(staff.token, procedure, input);
        expect([procedure, error]).toEqual([procedure, { code: 'FORBIDDEN', message: '角色「统计员」不能执行此操作' }]);
      }
    }
  });
});

test('staff can read', async () => {
  const staff = await env.user('staff');
  for (const procedure of READS) {
    const response = await env.raw({ procedure, token: staff.token, input: {} });
    expect([procedure, response.ok]).toEqual([procedure, true]);
  }
});

test('admin-only procedures are refused for coordinators, keepers and staff', async () => {
  const coordinator = await env.user('coordinator');
  const staff = await env.user('staff');
  for (const [who, token, role] of [['coordinator', coordinator.token, '调度员'], ['keeper', w.keeper.token, '保管员'], ['staff', staff.token, '统计员']] as const) {
    await unchangedBy(env, async () => {
      for (const procedure of ADMIN_ONLY) {
        const error = await env.fail(token, procedure, {});
        expect([who, procedure, error]).toEqual([who, procedure, { code: 'FORBIDDEN', message: `角色「${role}」不能执行此操作` }]);
      }
    });
  }
  const en = await failsCleanly(env, w.keeper.token, 'user.list', {}, 'en');
  expect(en).toEqual({ code: 'FORBIDDEN', message: 'The role "Keeper" may not do this' });
});

test('the ledger check is for administrators and coordinators', async () => {
  const coordinator = await env.user('coordinator');
  expect((await env.call(coordinator.token, 'ledger.check')).ok).toBe(true);
  expect((await failsCleanly(env, w.keeper.token, 'ledger.check', {})).code).toBe('FORBIDDEN');
});

describe('a keeper acting on another depot', () => {
  test('is refused for every stock write, naming the depot, and nothing is written', async () => {
    // Stock in 市南 for the city keeper to try to touch.
    const r = await env.call(w.admin.token, 'stock.receive', {
      depotId: w.shinan.depotId, source: 'procurement', lines: [{ materialId: w.quilt.materialId, quantity: 50, lotNo: 'SN-1' }],
    });
    const receipt = r.movements[0]!;
    const st = await env.call(w.admin.token, 'stocktake.open', { depotId: w.laoshan.depotId });
    const shinan = '您不是「市南区储备库」的保管员，不能操作该库的库存';
    const laoshan = '您不是「崂山区储备库」的保管员，不能操作该库的库存';
    const sn = w.shinan.depotId;
    const attempts: [ProcedureName, unknown, string][] = [
      ['stock.receive', { depotId: sn, source: 'procurement', lines: [{ materialId: w.quilt.materialId, quantity: 1, lotNo: 'X' }] }, shinan],
      ['stock.issue', { depotId: sn, recipient: 'x', lines: [{ materialId: w.quilt.materialId, quantity: 1 }] }, shinan],
      ['stock.transfer', { fromDepotId: sn, toDepotId: w.city.depotId, lines: [{ materialId: w.quilt.materialId, quantity: 1 }] }, shinan],
      ['stock.scrap', { depotId: sn, reason: '破损', lines: [{ batchId: receipt.batchId, quantity: 1 }] }, shinan],
      ['stock.reverse', { movementId: receipt.movementId, reason: '录错' }, shinan],
      ['stocktake.open', { depotId: sn }, shinan],
      ['stocktake.count', { stocktakeId: st.stocktakeId, counts: [{ lineId: 1, countedQuantity: 0 }] }, laoshan],
      ['stocktake.cancel', { stocktakeId: st.stocktakeId }, laoshan],
    ];
    for (const [procedure, input, message] of attempts) {
      const error = await failsCleanly(env, w.keeper.token, procedure, input);
      expect([procedure, error]).toEqual([procedure, { code: 'FORBIDDEN', message }]);
    }
    const en = await failsCleanly(env, w.keeper.token, 'stock.issue', attempts[1]![1], 'en');
    expect(en).toEqual({ code: 'FORBIDDEN', message: 'You are not a keeper of "市南区储备库" and cannot move its stock' });
  });

  test('a keeper of several depots may act in each; scope follows the assignment at once', async () => {
    const both = await env.user('keeper', [w.shinan.depotId, w.laoshan.depotId]);
    for (const depot of [w.shinan, w.laoshan]) {
      await env.call(both.token, 'stock.receive', { depotId: depot.depotId, source: 'opening', lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'A' }] });
    }
    expect((await failsCleanly(env, both.token, 'stock.receive', {
      depotId: w.city.depotId, source: 'opening', lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'A' }],
    })).code).toBe('FORBIDDEN');
  });

  test('coordinators and administrators act city-wide', async () => {
    const coordinator = await env.user('coordinator');
    for (const token of [coordinator.token, w.admin.token]) {
      await env.call(token, 'stock.receive', { depotId: w.laoshan.depotId, source: 'opening', lines: [{ materialId: w.tent.materialId, quantity: 2, lotNo: 'A' }] });
      await env.call(token, 'stock.issue', { depotId: w.laoshan.depotId, recipient: 'x', lines: [{ materialId: w.tent.materialId, quantity: 1 }] });
    }
  });

  test('keepers may read every depot', async () => {
    await env.call(w.admin.token, 'stock.receive', { depotId: w.laoshan.depotId, source: 'opening', lines: [{ materialId: w.tent.materialId, quantity: 2, lotNo: 'A' }] });
    const rows = (await env.balances(w.keeper.token, { depotId: w.laoshan.depotId })).rows;
    expect(rows.map((r) => r.onHand)).toEqual([2]);
  });
});
