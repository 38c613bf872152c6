/**
 * Roles (default deny) and the keeper's depot scope: staff only read, admin-only procedures
 * are refused for everyone else, and a keeper moves stock only in their own depots.
 */
import { api, type ProcedureName } from '../../src/shared/api';
import type { Role } from '../../src/shared/schemas/user';
import { createTestEnv, createWorld, failsCleanly, unchangedBy, type TestEnv } from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;

beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
});
afterEach(() => env.close());

/** From the contract, so a procedure is covered the day it is added. */
const SIGNED_IN = (Object.keys(api) as ProcedureName[]).filter((p) => api[p].access !== 'public');
const grants = (procedure: ProcedureName, role: Role) =>
  (api[procedure].access as readonly string[]).includes(role);
const ROLE_NAMES: Record<Role, string> = {
  admin: '管理员',
  coordinator: '调度员',
  keeper: '保管员',
  staff: '统计员',
};

test('every procedure refuses every role the contract does not grant it, whatever the input, and nothing is written', async () => {
  const tokens: Record<Role, string> = {
    admin: w.admin.token,
    keeper: w.keeper.token,
    coordinator: (await env.user('coordinator')).token,
    staff: (await env.user('staff')).token,
  };
  let refusals = 0;
  await unchangedBy(env, async () => {
    for (const role of Object.keys(tokens) as Role[]) {
      for (const procedure of SIGNED_IN.filter((p) => !grants(p, role))) {
        for (const input of [{}, { depotId: w.city.depotId }]) {
          const error = await env.fail(tokens[role], procedure, input);
          expect([role, procedure, error]).toEqual([
            role,
            procedure,
            { code: 'FORBIDDEN', message: `角色「${ROLE_NAMES[role]}」不能执行此操作` },
          ]);
          refusals += 1;
        }
      }
    }
  });
  // The contract does restrict: staff write nothing, and administration is the admin's.
  expect(refusals).toBeGreaterThan(40);
  expect(grants('stock.receive', 'staff')).toBe(false);
  expect(grants('user.create', 'coordinator')).toBe(false);
});

test('every procedure lets in the roles the contract grants it: any refusal is about the input or the data, not the role', async () => {
  const users: Record<Role, () => Promise<string>> = {
    admin: async () => (await env.user('admin')).token,
    coordinator: async () => (await env.user('coordinator')).token,
    keeper: async () => (await env.user('keeper', [w.city.depotId])).token,
    staff: async () => (await env.user('staff')).token,
  };
  for (const role of Object.keys(users) as Role[]) {
    const token = await users[role]();
    // Signing out last: it ends the session the other calls use.
    const granted = SIGNED_IN.filter((p) => grants(p, role)).sort(
      (a, b) => Number(a === 'auth.logout') - Number(b === 'auth.logout'),
    );
    for (const procedure of granted) {
      const response = await env.raw({ procedure, token, input: {} });
      const refusedForRole = !response.ok && response.error.message.startsWith('角色「');
      expect([role, procedure, refusedForRole]).toEqual([role, procedure, false]);
    }
  }
});

test('the English refusal names the role', async () => {
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
      depotId: w.shinan.depotId,
      source: 'procurement',
      lines: [{ materialId: w.quilt.materialId, quantity: 50, lotNo: 'SN-1' }],
    });
    const receipt = r.movements[0]!;
    const st = await env.call(w.admin.token, 'stocktake.open', { depotId: w.laoshan.depotId });
    const shinan = '您不是「市南区储备库」的保管员，不能操作该库的库存';
    const laoshan = '您不是「崂山区储备库」的保管员，不能操作该库的库存';
    const sn = w.shinan.depotId;
    const attempts: [ProcedureName, unknown, string][] = [
      [
        'stock.receive',
        {
          depotId: sn,
          source: 'procurement',
          lines: [{ materialId: w.quilt.materialId, quantity: 1, lotNo: 'X' }],
        },
        shinan,
      ],
      [
        'stock.issue',
        { depotId: sn, recipient: 'x', lines: [{ materialId: w.quilt.materialId, quantity: 1 }] },
        shinan,
      ],
      [
        'stock.transfer',
        {
          fromDepotId: sn,
          toDepotId: w.city.depotId,
          lines: [{ materialId: w.quilt.materialId, quantity: 1 }],
        },
        shinan,
      ],
      [
        'stock.scrap',
        { depotId: sn, reason: '破损', lines: [{ batchId: receipt.batchId, quantity: 1 }] },
        shinan,
      ],
      ['stock.reverse', { movementId: receipt.movementId, reason: '录错' }, shinan],
      ['stocktake.open', { depotId: sn }, shinan],
      [
        'stocktake.count',
        { stocktakeId: st.stocktakeId, counts: [{ lineId: 1, countedQuantity: 0 }] },
        laoshan,
      ],
      ['stocktake.cancel', { stocktakeId: st.stocktakeId }, laoshan],
    ];
    for (const [procedure, input, message] of attempts) {
      const error = await failsCleanly(env, w.keeper.token, procedure, input);
      expect([procedure, error]).toEqual([procedure, { code: 'FORBIDDEN', message }]);
    }
    const en = await failsCleanly(env, w.keeper.token, 'stock.issue', attempts[1]![1], 'en');
    expect(en).toEqual({
      code: 'FORBIDDEN',
      message: 'You are not a keeper of "市南区储备库" and cannot move its stock',
    });
  });

  test('a keeper of several depots may act in each; scope follows the assignment at once', async () => {
    const both = await env.user('keeper', [w.shinan.depotId, w.laoshan.depotId]);
    for (const depot of [w.shinan, w.laoshan]) {
      await env.call(both.token, 'stock.receive', {
        depotId: depot.depotId,
        source: 'opening',
        lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'A' }],
      });
    }
    expect(
      (
        await failsCleanly(env, both.token, 'stock.receive', {
          depotId: w.city.depotId,
          source: 'opening',
          lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'A' }],
        })
      ).code,
    ).toBe('FORBIDDEN');
  });

  test('coordinators and administrators act city-wide', async () => {
    const coordinator = await env.user('coordinator');
    for (const token of [coordinator.token, w.admin.token]) {
      await env.call(token, 'stock.receive', {
        depotId: w.laoshan.depotId,
        source: 'opening',
        lines: [{ materialId: w.tent.materialId, quantity: 2, lotNo: 'A' }],
      });
      await env.call(token, 'stock.issue', {
        depotId: w.laoshan.depotId,
        recipient: 'x',
        lines: [{ materialId: w.tent.materialId, quantity: 1 }],
      });
    }
  });

  test('keepers may read every depot', async () => {
    await env.call(w.admin.token, 'stock.receive', {
      depotId: w.laoshan.depotId,
      source: 'opening',
      lines: [{ materialId: w.tent.materialId, quantity: 2, lotNo: 'A' }],
    });
    const rows = (await env.balances(w.keeper.token, { depotId: w.laoshan.depotId })).rows;
    expect(rows.map((r) => r.onHand)).toEqual([2]);
  });
});
