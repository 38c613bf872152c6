/** First run: the set-up screen creates the one first administrator, once, even when two screens submit together. */
import { countRows, createTestEnv, PASSWORD, type TestEnv } from './harness';

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());

const admin = (username: string) => ({ username, displayName: '管理员', password: PASSWORD });

test('an empty database asks for set-up; the first administrator is created and signed in', async () => {
  expect(await env.call(undefined, 'setup.status')).toMatchObject({ needsSetup: true, demo: false });
  const signedIn = await env.call(undefined, 'setup.createAdmin', admin('chief'));
  expect(signedIn.user).toMatchObject({ username: 'chief', role: 'admin' });
  expect(await env.call(signedIn.token, 'auth.me')).toMatchObject({ username: 'chief' });
  expect(await env.call(undefined, 'setup.status')).toMatchObject({ needsSetup: false });
});

test('after set-up, neither another first administrator nor the demo data can be added', async () => {
  await env.call(undefined, 'setup.createAdmin', admin('chief'));
  const again = await env.fail(undefined, 'setup.createAdmin', admin('intruder'));
  expect(again).toEqual({ code: 'CONFLICT', message: '系统已完成初始设置' });
  expect((await env.fail(undefined, 'setup.loadDemo', {})).code).toBe('CONFLICT');
  expect(await countRows(env, 'users')).toBe(1);
});

test('two set-up screens submitting at once create one administrator', async () => {
  const [a, b] = await Promise.all([
    env.raw({ procedure: 'setup.createAdmin', input: admin('first') }),
    env.raw({ procedure: 'setup.createAdmin', input: admin('second') }),
  ]);
  expect([a.ok, b.ok].sort()).toEqual([false, true]);
  const refused = (a.ok ? b : a) as { ok: false; error: { code: string } };
  expect(refused.error.code).toBe('CONFLICT');
  expect(await countRows(env, 'users')).toBe(1);
});

test('loading the demo data while someone creates the first administrator: one of them wins, never both', async () => {
  const [demo, admin1] = await Promise.all([
    env.raw({ procedure: 'setup.loadDemo', input: {} }),
    env.raw({ procedure: 'setup.createAdmin', input: admin('chief') }),
  ]);
  expect([demo.ok, admin1.ok].filter(Boolean)).toHaveLength(1);
  const admins = await env.app.db
    .selectFrom('users')
    .select('username')
    .where('role', '=', 'admin')
    .execute();
  expect(admins).toHaveLength(1);
  if (admin1.ok) expect([await countRows(env, 'depots'), await countRows(env, 'movements')]).toEqual([0, 0]);
}, 120_000);
