import { createTestEnv, createWorld, type TestEnv } from './harness';

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());

test('receive, issue FEFO, balances', async () => {
  const w = await createWorld(env);
  const r = await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [
      { materialId: w.quilt.materialId, quantity: 100, lotNo: 'A', expiresOn: '2027-06-30' },
      { materialId: w.quilt.materialId, quantity: 50, lotNo: 'B', expiresOn: '2027-01-31' },
    ],
  });
  expect(r.docNo).toBe('RK-20261130-0001');
  const issue = await env.call(w.keeper.token, 'stock.issue', {
    depotId: w.city.depotId,
    recipient: '市南区应急局',
    lines: [{ materialId: w.quilt.materialId, quantity: 70 }],
  });
  expect(issue.movements.map((m) => [m.lotNo, m.quantity])).toEqual([
    ['B', -50],
    ['A', -20],
  ]);
  const balances = await env.balances(w.keeper.token, { depotId: w.city.depotId });
  expect(balances.rows[0]).toMatchObject({ onHand: 80, reserved: 0, available: 80 });
  const check = await env.call(w.admin.token, 'ledger.check');
  expect(check.ok).toBe(true);
  const audit = await env.call(w.admin.token, 'audit.verify');
  expect(audit.ok).toBe(true);
});
