import { createTestEnv, createWorld, type TestEnv } from './harness';

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());

const count = (table: string) => (env.app.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

test('the same idempotency key posts once, even when both requests arrive together', async () => {
  const w = await createWorld(env);
  const input = { depotId: w.city.depotId, source: 'procurement', lines: [{ materialId: w.tent.materialId, quantity: 5, lotNo: 'A' }] };
  const before = count('movements');
  const [first, second] = await Promise.all([
    env.raw({ procedure: 'stock.receive', input, token: w.keeper.token, idempotencyKey: 'submit-1' }),
    env.raw({ procedure: 'stock.receive', input, token: w.keeper.token, idempotencyKey: 'submit-1' }),
  ]);
  expect(first).toEqual(second);
  expect(count('movements')).toBe(before + 1);
  const third = await env.raw({ procedure: 'stock.receive', input, token: w.keeper.token, idempotencyKey: 'submit-2' });
  expect(third.ok).toBe(true);
  expect(count('movements')).toBe(before + 2);
});

test('a refused write is not replayed: the corrected retry with the same key runs', async () => {
  const w = await createWorld(env);
  const bad = { depotId: w.city.depotId, recipient: '市南区', lines: [{ materialId: w.tent.materialId, quantity: 5 }] };
  const refused = await env.raw({ procedure: 'stock.issue', input: bad, token: w.keeper.token, idempotencyKey: 'k' });
  expect(refused.ok).toBe(false);
  await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.tent.materialId, quantity: 5, lotNo: 'A' }],
  });
  const retried = await env.raw({ procedure: 'stock.issue', input: bad, token: w.keeper.token, idempotencyKey: 'k' });
  expect(retried.ok).toBe(true);
});

test('keys are per session: another user with the same key is not given the first response', async () => {
  const w = await createWorld(env);
  const me = await env.raw({ procedure: 'auth.me', token: w.keeper.token, idempotencyKey: 'same' });
  const other = await env.raw({ procedure: 'auth.me', token: w.admin.token, idempotencyKey: 'same' });
  expect(me.ok && other.ok && (me.result as { role: string }).role).toBe('keeper');
  expect(other.ok && (other.result as { role: string }).role).toBe('admin');
});
