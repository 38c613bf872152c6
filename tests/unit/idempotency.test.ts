/**
 * Idempotency keys: the same key from the same session replays the first response instead of
 * writing again — across server processes too, since the key is claimed inside the write.
 */
import { createApp } from '../../src/main/app';
import { countRows, createTestEnv, createWorld, PASSWORD, type TestEnv } from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;
beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
});
afterEach(() => env.close());

const movements = () => countRows(env, 'movements');
const receipt = () => ({
  depotId: w.city.depotId,
  source: 'procurement' as const,
  lines: [{ materialId: w.tent.materialId, quantity: 5, lotNo: 'A' }],
});
const issue = (quantity: number) => ({
  depotId: w.city.depotId,
  recipient: '市南区',
  lines: [{ materialId: w.tent.materialId, quantity }],
});
/** A call with an idempotency key, by default the keeper's receipt. */
const keyed = (
  idempotencyKey: string,
  procedure = 'stock.receive',
  input: unknown = receipt(),
  token = w.keeper.token,
) => env.raw({ procedure, input, token, idempotencyKey });

test('the same idempotency key posts once, even when both requests arrive together', async () => {
  const before = await movements();
  const [first, second] = await Promise.all([keyed('submit-1'), keyed('submit-1')]);
  expect(first).toEqual(second);
  expect(await movements()).toBe(before + 1);
  expect((await keyed('submit-2')).ok).toBe(true);
  expect(await movements()).toBe(before + 2);
});

test('a refused write is not replayed: the corrected retry with the same key runs', async () => {
  expect((await keyed('k', 'stock.issue', issue(5))).ok).toBe(false);
  await env.call(w.keeper.token, 'stock.receive', receipt());
  expect((await keyed('k', 'stock.issue', issue(5))).ok).toBe(true);
});

test('keys are per session: another user with the same key posts their own document', async () => {
  const coordinator = await env.user('coordinator');
  const before = await movements();
  const mine = await keyed('same');
  const theirs = await keyed('same', 'stock.receive', receipt(), coordinator.token);
  expect(mine.ok && theirs.ok).toBe(true);
  const docNo = (r: typeof mine) => (r as { result: { docNo: string } }).result.docNo;
  expect(docNo(mine)).not.toBe(docNo(theirs));
  expect(await movements()).toBe(before + 2);
});

test('a key used again for another operation is refused, neither replayed nor run', async () => {
  expect((await keyed('k1')).ok).toBe(true);
  const before = await movements();
  expect(await keyed('k1', 'stock.issue', issue(1))).toEqual({
    ok: false,
    error: { code: 'CONFLICT', message: '请求标识已用于另一项操作（stock.receive），本次未执行' },
  });
  expect(await movements()).toBe(before);
});

test('another server process on the same store replays the first response instead of posting again', async () => {
  const other = await createApp({
    store: env.store,
    clock: env.clock,
    security: { scryptN: 2 ** 10 },
    logError: () => undefined,
  });
  try {
    const before = await movements();
    const first = await keyed('across');
    const second = await other.dispatch({
      procedure: 'stock.receive',
      input: receipt(),
      token: w.keeper.token,
      idempotencyKey: 'across',
    });
    expect(first.ok).toBe(true);
    expect(second).toEqual(first);
    expect(await movements()).toBe(before + 1);
  } finally {
    await other.close();
  }
});

test('a key whose first request never finished storing its answer is refused as already submitted, not posted again', async () => {
  expect((await keyed('lost')).ok).toBe(true);
  // As if the first process died between its commit and storing the response.
  await env.app.db
    .updateTable('idempotencyKeys')
    .set({ responseJson: '' })
    .where('key', '=', 'lost')
    .execute();
  const before = await movements();
  expect(await keyed('lost')).toEqual({
    ok: false,
    error: { code: 'CONFLICT', message: '此操作已提交过（同一请求不会重复记账），请刷新查看结果' },
  });
  expect(await movements()).toBe(before);
});

test('a key is remembered for ten minutes: later the same key is a new request', async () => {
  const before = await movements();
  await keyed('old');
  env.clock.advanceMinutes(9);
  await keyed('old');
  expect(await movements()).toBe(before + 1);
  env.clock.advanceMinutes(2);
  expect((await keyed('old')).ok).toBe(true);
  expect(await movements()).toBe(before + 2);
});

test('the same key with a different input is refused: the first document is not passed off as the second', async () => {
  const first = await keyed('k2');
  expect(first.ok).toBe(true);
  const before = await movements();
  const other = { ...receipt(), lines: [{ materialId: w.tent.materialId, quantity: 6, lotNo: 'A' }] };
  expect(await keyed('k2', 'stock.receive', other)).toEqual({
    ok: false,
    error: { code: 'CONFLICT', message: '请求标识已用于另一项操作（stock.receive），本次未执行' },
  });
  expect(await movements()).toBe(before);
  // The same input with its keys in another order is the same request.
  const reordered = { lines: receipt().lines, source: 'procurement', depotId: w.city.depotId };
  expect(await keyed('k2', 'stock.receive', reordered)).toEqual(first);
});

test('after a restart, two processes retrying with the key the first one used post nothing more', async () => {
  const before = await movements();
  const first = await keyed('restart');
  // New server processes know nothing the first one held in memory.
  const open = () =>
    createApp({
      store: env.store,
      clock: env.clock,
      security: { scryptN: 2 ** 10 },
      logError: () => undefined,
    });
  const [a, b] = [await open(), await open()];
  try {
    const retry = {
      procedure: 'stock.receive',
      input: receipt(),
      token: w.keeper.token,
      idempotencyKey: 'restart',
    };
    const [again, alsoAgain] = await Promise.all([a.dispatch(retry), b.dispatch(retry)]);
    expect(again).toEqual(first);
    expect(alsoAgain).toEqual(first);
    expect(await movements()).toBe(before + 1);
  } finally {
    await a.close();
    await b.close();
  }
});

test('only writes keep keys, and a reply too large to keep is answered "already submitted" on repeat', async () => {
  const keys = () => countRows(env, 'idempotencyKeys');
  const before = await keys();
  expect((await keyed('read', 'stock.balances', {})).ok).toBe(true);
  expect(await keys()).toBe(before);
  // 500 lines of long lot numbers: a reply of about 330 KB.
  const big = {
    ...receipt(),
    lines: Array.from({ length: 500 }, (_, i) => ({
      materialId: w.tent.materialId,
      quantity: 1,
      lotNo: `${'L'.repeat(45)}${String(i).padStart(5, '0')}`,
    })),
  };
  expect((await keyed('big', 'stock.receive', big)).ok).toBe(true);
  const row = await env.app.db
    .selectFrom('idempotencyKeys')
    .select('responseJson')
    .where('key', '=', 'big')
    .executeTakeFirstOrThrow();
  expect(row.responseJson).toBe('-');
  const count = await movements();
  expect(await keyed('big', 'stock.receive', big)).toEqual({
    ok: false,
    error: { code: 'CONFLICT', message: '此操作已提交过（同一请求不会重复记账），请刷新查看结果' },
  });
  expect(await movements()).toBe(count);
});

test('a key that is not 1–100 printable ASCII characters is refused, not silently ignored', async () => {
  const before = await movements();
  for (const bad of ['x'.repeat(101), '', 'key with spaces', '\ud800', '标识']) {
    const answer = await keyed(bad);
    expect(answer).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  }
  expect(await movements()).toBe(before);
});

test('a signed-out request (sign-in) keeps no key: no session token is ever stored', async () => {
  const login = {
    procedure: 'auth.login',
    input: { username: 'keeper2', password: PASSWORD },
    idempotencyKey: 'k',
  };
  const [first, second] = [await env.raw(login), await env.raw(login)];
  expect(first.ok && second.ok).toBe(true);
  expect(first).not.toEqual(second);
  expect(await countRows(env, 'idempotencyKeys')).toBe(0);
});
