/**
 * Idempotency keys: the same key from the same session replays the first response instead of
 * writing again — across server processes too, since the key is claimed inside the write.
 */
import { createApp } from '../../src/main/app';
import { countRows, createTestEnv, createWorld, type TestEnv } from './harness';

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());

const count = (table: 'movements') => countRows(env, table);

test('the same idempotency key posts once, even when both requests arrive together', async () => {
  const w = await createWorld(env);
  const input = {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.tent.materialId, quantity: 5, lotNo: 'A' }],
  };
  const before = await count('movements');
  const [first, second] = await Promise.all([
    env.raw({ procedure: 'stock.receive', input, token: w.keeper.token, idempotencyKey: 'submit-1' }),
    env.raw({ procedure: 'stock.receive', input, token: w.keeper.token, idempotencyKey: 'submit-1' }),
  ]);
  expect(first).toEqual(second);
  expect(await count('movements')).toBe(before + 1);
  const third = await env.raw({
    procedure: 'stock.receive',
    input,
    token: w.keeper.token,
    idempotencyKey: 'submit-2',
  });
  expect(third.ok).toBe(true);
  expect(await count('movements')).toBe(before + 2);
});

test('a refused write is not replayed: the corrected retry with the same key runs', async () => {
  const w = await createWorld(env);
  const bad = {
    depotId: w.city.depotId,
    recipient: '市南区',
    lines: [{ materialId: w.tent.materialId, quantity: 5 }],
  };
  const refused = await env.raw({
    procedure: 'stock.issue',
    input: bad,
    token: w.keeper.token,
    idempotencyKey: 'k',
  });
  expect(refused.ok).toBe(false);
  await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.tent.materialId, quantity: 5, lotNo: 'A' }],
  });
  const retried = await env.raw({
    procedure: 'stock.issue',
    input: bad,
    token: w.keeper.token,
    idempotencyKey: 'k',
  });
  expect(retried.ok).toBe(true);
});

test('keys are per session: another user with the same key posts their own document', async () => {
  const w = await createWorld(env);
  const coordinator = await env.user('coordinator');
  const input = {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.tent.materialId, quantity: 5, lotNo: 'A' }],
  };
  const before = await count('movements');
  const mine = await env.raw({
    procedure: 'stock.receive',
    input,
    token: w.keeper.token,
    idempotencyKey: 'same',
  });
  const theirs = await env.raw({
    procedure: 'stock.receive',
    input,
    token: coordinator.token,
    idempotencyKey: 'same',
  });
  expect(mine.ok && theirs.ok).toBe(true);
  expect((mine as { result: { docNo: string } }).result.docNo).not.toBe(
    (theirs as { result: { docNo: string } }).result.docNo,
  );
  expect(await count('movements')).toBe(before + 2);
});

test('a key used again for another operation is refused, neither replayed nor run', async () => {
  const w = await createWorld(env);
  const receipt = {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.tent.materialId, quantity: 5, lotNo: 'A' }],
  };
  expect(
    (
      await env.raw({
        procedure: 'stock.receive',
        input: receipt,
        token: w.keeper.token,
        idempotencyKey: 'k1',
      })
    ).ok,
  ).toBe(true);
  const before = await count('movements');
  const issue = {
    depotId: w.city.depotId,
    recipient: '市南区',
    lines: [{ materialId: w.tent.materialId, quantity: 1 }],
  };
  const reused = await env.raw({
    procedure: 'stock.issue',
    input: issue,
    token: w.keeper.token,
    idempotencyKey: 'k1',
  });
  expect(reused).toEqual({
    ok: false,
    error: { code: 'CONFLICT', message: '请求标识已用于另一项操作（stock.receive），本次未执行' },
  });
  expect(await count('movements')).toBe(before);
});

test('another server process on the same store replays the first response instead of posting again', async () => {
  const w = await createWorld(env);
  const other = await createApp({
    store: env.store,
    clock: env.clock,
    security: { scryptN: 2 ** 10 },
    logError: () => undefined,
  });
  try {
    const input = {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [{ materialId: w.tent.materialId, quantity: 5, lotNo: 'A' }],
    };
    const before = await count('movements');
    const first = await env.raw({
      procedure: 'stock.receive',
      input,
      token: w.keeper.token,
      idempotencyKey: 'across',
    });
    const second = await other.dispatch({
      procedure: 'stock.receive',
      input,
      token: w.keeper.token,
      idempotencyKey: 'across',
    });
    expect(first.ok).toBe(true);
    expect(second).toEqual(first);
    expect(await count('movements')).toBe(before + 1);
  } finally {
    await other.close();
  }
});

test('a key whose first request never finished storing its answer is refused as already submitted, not posted again', async () => {
  const w = await createWorld(env);
  const input = {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.tent.materialId, quantity: 5, lotNo: 'A' }],
  };
  const first = await env.raw({
    procedure: 'stock.receive',
    input,
    token: w.keeper.token,
    idempotencyKey: 'lost',
  });
  expect(first.ok).toBe(true);
  // As if the first process died between its commit and storing the response.
  await env.app.db
    .updateTable('idempotencyKeys')
    .set({ responseJson: '' })
    .where('key', '=', 'lost')
    .execute();
  const before = await count('movements');
  const again = await env.raw({
    procedure: 'stock.receive',
    input,
    token: w.keeper.token,
    idempotencyKey: 'lost',
  });
  expect(again).toEqual({
    ok: false,
    error: { code: 'CONFLICT', message: '此操作已提交过（同一请求不会重复记账），请刷新查看结果' },
  });
  expect(await count('movements')).toBe(before);
});

test('a key is remembered for ten minutes: later the same key is a new request', async () => {
  const w = await createWorld(env);
  const input = {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.tent.materialId, quantity: 5, lotNo: 'A' }],
  };
  const before = await count('movements');
  await env.raw({ procedure: 'stock.receive', input, token: w.keeper.token, idempotencyKey: 'old' });
  env.clock.advanceMinutes(9);
  await env.raw({ procedure: 'stock.receive', input, token: w.keeper.token, idempotencyKey: 'old' });
  expect(await count('movements')).toBe(before + 1);
  env.clock.advanceMinutes(2);
  const later = await env.raw({
    procedure: 'stock.receive',
    input,
    token: w.keeper.token,
    idempotencyKey: 'old',
  });
  expect(later.ok).toBe(true);
  expect(await count('movements')).toBe(before + 2);
});
