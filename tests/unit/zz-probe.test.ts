import { createTestEnv, createWorld, snapshot, type TestEnv } from './harness';
let env: TestEnv;
beforeEach(async () => { env = await createTestEnv(); });
afterEach(() => env.close());
test('probe', async () => {
  const w = await createWorld(env);
  const cases: unknown[] = [
    { depotId: w.city.depotId, source: 'procurement', lines: [{ materialId: w.quilt.materialId, quantity: 'abc', lotNo: 'A' }] },
    { depotId: w.city.depotId, source: 'procurement', lines: [{ materialId: w.quilt.materialId, quantity: 1.5, lotNo: 'A' }] },
    { depotId: w.city.depotId, source: 'procurement', lines: [{ materialId: w.quilt.materialId, quantity: 0, lotNo: 'A' }] },
    { depotId: w.city.depotId, source: 'procurement', lines: [{ materialId: w.quilt.materialId, quantity: -3, lotNo: 'A' }] },
    { depotId: w.city.depotId, source: 'procurement', lines: [{ materialId: w.quilt.materialId, lotNo: 'A' }] },
    { depotId: w.city.depotId, source: 'bogus', lines: [] },
    { depotId: '1', source: 'procurement', lines: [{ materialId: w.quilt.materialId, quantity: 1 }] },
    'oops',
  ];
  for (const c of cases) console.log(JSON.stringify(await env.fail(w.keeper.token, 'stock.receive', c)));
  console.log(JSON.stringify(await env.fail(w.keeper.token, 'stock.transfer', { fromDepotId: w.city.depotId, toDepotId: w.city.depotId, lines: [{ materialId: 1, quantity: 1 }] })));
  console.log(JSON.stringify(await env.fail(w.keeper.token, 'stock.transfer', { fromDepotId: w.city.depotId, toDepotId: w.city.depotId, lines: [{ materialId: 1, quantity: 0 }] })));
  console.log(JSON.stringify(await env.fail(w.keeper.token, 'stock.receive', cases[0], 'en')));
  console.log(JSON.stringify(await env.fail(w.keeper.token, 'auth.me', {x:1})));
  console.log(JSON.stringify(snapshot(env.app)));
});
