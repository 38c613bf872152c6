/** Signing in, sessions, passwords and user administration. */
import { createApp } from '../../src/main/app';
import * as password from '../../src/main/services/password';

// Counts the passwords actually checked (the expensive step throttling must hold back).
jest.mock('../../src/main/services/password', () => {
  const actual = jest.requireActual<typeof password>('../../src/main/services/password');
  return { ...actual, verifyPassword: jest.fn(actual.verifyPassword) };
});
const verifyPassword = jest.mocked(password.verifyPassword);
import { createTestEnv, createWorld, failsCleanly, PASSWORD, type TestEnv } from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;

beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
});
afterEach(() => env.close());

const login = (username: string, password: string, source?: string) =>
  env.raw({ procedure: 'auth.login', input: { username, password } }, source);
const LOGIN_FAILED = { code: 'UNAUTHENTICATED', message: '用户名或密码错误' };
/** Where guesses come from in these tests (the users signed in from 'local'). */
const ATTACKER = '203.0.113.5';

describe('sign-in', () => {
  test('returns a session token, its expiry and the user with role and depots', async () => {
    const r = await env.call(undefined, 'auth.login', { username: 'keeper2', password: PASSWORD });
    expect(r.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.expiresAt).toBe('2026-11-30T10:00:00.000Z'); // 480 minutes on
    expect(r.user).toMatchObject({
      username: 'keeper2',
      role: 'keeper',
      depotIds: [w.city.depotId],
      active: true,
    });
    expect(await env.call(r.token, 'auth.me')).toMatchObject({ userId: w.keeper.userId, role: 'keeper' });
    // Only a hash of the token is stored.
    const stored = await env.app.db.selectFrom('sessions').select('tokenHash').execute();
    expect(stored.map((s) => s.tokenHash)).not.toContain(r.token);
  });

  test('a wrong password and an unknown user name get the same generic answer, and nothing is written', async () => {
    const wrong = await failsCleanly(env, undefined, 'auth.login', {
      username: 'keeper2',
      password: 'Wrong-passw0rd',
    });
    const unknown = await failsCleanly(env, undefined, 'auth.login', {
      username: 'nobody',
      password: PASSWORD,
    });
    expect(wrong).toEqual(LOGIN_FAILED);
    expect(unknown).toEqual(LOGIN_FAILED);
    const en = await failsCleanly(
      env,
      undefined,
      'auth.login',
      { username: 'nobody', password: PASSWORD },
      'en',
    );
    expect(en).toEqual({ code: 'UNAUTHENTICATED', message: 'Wrong user name or password' });
  });

  test('guesses at one name wait their turn: three at once, then 1, 2, 4 and 7 s apart; never a lock', async () => {
    const verified = verifyPassword.mock.calls.length;
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await login('keeper2', `Wrong-${i}-passw0rd`, ATTACKER));
    // Turns at 0, 0, 0, +1, +3, +7 s were checked; the seventh (+14 s) is beyond the 10 s a turn may wait.
    expect(answers.slice(0, 6)).toEqual(Array(6).fill({ ok: false, error: LOGIN_FAILED }));
    expect(answers[6]).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', message: '登录失败次数过多，请 4 秒后再试' },
    });
    expect(verifyPassword.mock.calls.length - verified).toBe(6);
    // The owner at the desk they signed in from (createWorld did, from 'local') skips the queues…
    expect((await login('keeper2', PASSWORD)).ok).toBe(true);
    // …while a desk that never signed in to the name waits its turn like the guesses.
    expect((await login('keeper2', PASSWORD, 'desk-new')).ok).toBe(false);
    env.clock.advanceMinutes(1);
    expect((await login('keeper2', PASSWORD, 'desk-new')).ok).toBe(true);
  });

  test('200 parallel guesses at one name: at most 10 checked a minute, and the owner still signs in from another source', async () => {
    const verified = verifyPassword.mock.calls.length;
    const guess = (i: number) => login('keeper2', `Wrong-${i}-passw0rd`, '203.0.113.9');
    const burst = await Promise.all(Array.from({ length: 200 }, (_, i) => guess(i)));
    const codes = burst.map((r) => (r.ok ? 'ok' : r.error.code));
    expect(new Set(codes)).toEqual(new Set(['UNAUTHENTICATED', 'RATE_LIMITED']));
    const checkedInBurst = verifyPassword.mock.calls.length - verified;
    expect(checkedInBurst).toBe(codes.filter((c) => c === 'UNAUTHENTICATED').length);
    expect(checkedInBurst).toBeLessThanOrEqual(6);
    // The attacker keeps at it: 5 parallel guesses every second for 5 minutes.
    for (let second = 1; second <= 300; second += 1) {
      env.clock.set(new Date(Date.parse('2026-11-30T02:00:00.000Z') + second * 1000).toISOString());
      await Promise.all(Array.from({ length: 5 }, (_, i) => guess(second * 10 + i)));
    }
    // 3 at once, then 1, 2, 4 and 7 s apart: 49 in the 5 minutes and 10 s the queue reaches ahead.
    expect(verifyPassword.mock.calls.length - verified).toBeLessThanOrEqual(50);
    // The owner's own desk, even after two typos of theirs during the attack.
    for (let i = 0; i < 2; i++) expect((await login('keeper2', 'Typo-passw0rd')).ok).toBe(false);
    expect((await login('keeper2', PASSWORD)).ok).toBe(true);
  });

  test('one guess each from 60 addresses at once is held to the same queue as one address', async () => {
    const verified = verifyPassword.mock.calls.length;
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => login('keeper2', `Wrong-${i}-passw0rd`, `198.51.100.${i + 1}`)),
    );
    expect(verifyPassword.mock.calls.length - verified).toBeLessThanOrEqual(6);
    expect(answers.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(54);
  });

  test('the count is taken in the database before the password is checked: another server process shares the turns', async () => {
    const other = await createApp({
      store: env.store,
      clock: env.clock,
      security: { scryptN: 2 ** 10 },
      logError: () => undefined,
    });
    try {
      for (let i = 0; i < 3; i++) await login('keeper2', 'Wrong-passw0rd', ATTACKER);
      for (let i = 0; i < 3; i++)
        await other.dispatch(
          { procedure: 'auth.login', input: { username: 'KEEPER2', password: 'Wrong-passw0rd' } },
          ATTACKER,
        );
      const rows = await env.app.db
        .selectFrom('loginTurns')
        .select(['scope', 'name', 'source', 'failures', 'nextAt'])
        .where('failures', '>', 0)
        .orderBy('scope')
        .execute();
      expect(rows).toEqual([
        { scope: 'name', name: 'keeper2', source: '', failures: 6, nextAt: '2026-11-30T02:00:14.000Z' },
        { scope: 'pair', name: 'keeper2', source: ATTACKER, failures: 6, nextAt: '2026-11-30T02:00:00.000Z' },
        { scope: 'source', name: '', source: ATTACKER, failures: 6, nextAt: '2026-11-30T02:00:07.000Z' },
      ]);
      expect(
        await other.dispatch(
          { procedure: 'auth.login', input: { username: 'keeper2', password: PASSWORD } },
          ATTACKER,
        ),
      ).toEqual({
        ok: false,
        error: { code: 'RATE_LIMITED', message: '登录失败次数过多，请 4 秒后再试' },
      });
    } finally {
      await other.close();
    }
  });

  test('a success refunds its own count and clears its source for the name; failures are forgotten after 15 minutes', async () => {
    for (let i = 0; i < 4; i++) await login('keeper2', 'Wrong-passw0rd');
    expect((await login('keeper2', PASSWORD)).ok).toBe(true);
    const failuresOf = async (scope: 'name' | 'pair' | 'source') =>
      (
        await env.app.db
          .selectFrom('loginTurns')
          .select('failures')
          .where('scope', '=', scope)
          .where((eb) => eb.or([eb('name', '=', 'keeper2'), eb('scope', '=', 'source')]))
          .executeTakeFirst()
      )?.failures;
    expect([await failuresOf('name'), await failuresOf('pair'), await failuresOf('source')]).toEqual([
      4, 0, 4,
    ]);
    env.clock.advanceMinutes(16);
    await login('admin1', 'Wrong-passw0rd');
    expect(await failuresOf('name')).toBeUndefined();
  });

  test('unknown names are throttled too (no way to tell which names exist)', async () => {
    const known = [];
    const unknown = [];
    for (let i = 0; i < 7; i++) known.push(await login('keeper2', 'Wrong-passw0rd', 'a'));
    for (let i = 0; i < 7; i++) unknown.push(await login('ghost', 'Wrong-passw0rd', 'b'));
    expect(unknown).toEqual(known);
    expect(unknown[6]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });
});

describe('sessions', () => {
  test('no token or a bad token is UNAUTHENTICATED', async () => {
    expect(await failsCleanly(env, undefined, 'auth.me')).toEqual({
      code: 'UNAUTHENTICATED',
      message: '登录已失效，请重新登录',
    });
    expect((await failsCleanly(env, '', 'auth.me')).code).toBe('UNAUTHENTICATED');
    expect((await failsCleanly(env, `${w.keeper.token}x`, 'auth.me')).code).toBe('UNAUTHENTICATED');
  });

  test('a session ends after 480 minutes without a request; each request restarts the wait', async () => {
    env.clock.advanceMinutes(479);
    await env.call(w.keeper.token, 'auth.me');
    env.clock.advanceMinutes(479);
    await env.call(w.keeper.token, 'auth.me');
    env.clock.advanceMinutes(481);
    const error = await failsCleanly(env, w.keeper.token, 'stock.balances', {});
    expect(error).toEqual({ code: 'UNAUTHENTICATED', message: '登录已失效，请重新登录' });
    // Signing in again works.
    const again = await env.call(undefined, 'auth.login', { username: 'keeper2', password: PASSWORD });
    await env.call(again.token, 'auth.me');
  });

  test('the idle limit is a setting', async () => {
    const short = await createTestEnv(undefined, { security: { sessionIdleMinutes: 15 } });
    try {
      const u = await short.user('staff');
      short.clock.advanceMinutes(14);
      await short.call(u.token, 'auth.me');
      short.clock.advanceMinutes(16);
      expect((await short.fail(u.token, 'auth.me')).code).toBe('UNAUTHENTICATED');
    } finally {
      await short.close();
    }
  });

  test('a screen polling for changes does not keep an idle session alive, and sees every write', async () => {
    const first = await env.call(w.keeper.token, 'changes.version');
    await env.call(w.admin.token, 'depot.update', { depotId: w.city.depotId, address: '青岛市市北区' });
    const second = await env.call(w.keeper.token, 'changes.version');
    expect(second.version).toBeGreaterThan(first.version);
    for (let minutes = 0; minutes < 420; minutes += 60) {
      env.clock.advanceMinutes(60);
      await env.call(w.keeper.token, 'changes.version');
      // A screen reloading because something changed is not the user at work either.
      expect((await env.raw({ procedure: 'auth.me', token: w.keeper.token, background: true })).ok).toBe(
        true,
      );
    }
    env.clock.advanceMinutes(61);
    expect((await env.fail(w.keeper.token, 'changes.version')).code).toBe('UNAUTHENTICATED');
  });

  test('logout ends the session, and only that one', async () => {
    const other = await env.call(undefined, 'auth.login', { username: 'keeper2', password: PASSWORD });
    await env.call(w.keeper.token, 'auth.logout');
    expect((await failsCleanly(env, w.keeper.token, 'auth.me')).code).toBe('UNAUTHENTICATED');
    await env.call(other.token, 'auth.me');
  });
});

describe('passwords', () => {
  test('changing requires the current password', async () => {
    const error = await failsCleanly(env, w.keeper.token, 'auth.changePassword', {
      currentPassword: 'not-it-1',
      newPassword: 'NewPassw0rd',
    });
    expect(error).toEqual({
      code: 'BAD_INPUT',
      message: '当前密码不正确',
      fields: [{ path: 'currentPassword', label: '当前密码', message: '当前密码不正确' }],
    });
  });

  test('a new password needs 8 characters with letters and digits', async () => {
    for (const newPassword of ['short1', 'lettersonly', '1234567890']) {
      const error = await failsCleanly(env, w.keeper.token, 'auth.changePassword', {
        currentPassword: PASSWORD,
        newPassword,
      });
      expect(error.fields).toEqual([
        { path: 'newPassword', label: '新密码', message: '密码至少 8 位，且包含字母和数字' },
      ]);
    }
  });

  test('after a change the old password fails, the new one works, other sessions end and this one stays', async () => {
    const other = await env.call(undefined, 'auth.login', { username: 'keeper2', password: PASSWORD });
    await env.call(w.keeper.token, 'auth.changePassword', {
      currentPassword: PASSWORD,
      newPassword: 'NewPassw0rd',
    });
    await env.call(w.keeper.token, 'auth.me');
    expect((await failsCleanly(env, other.token, 'auth.me')).code).toBe('UNAUTHENTICATED');
    expect(await login('keeper2', PASSWORD)).toEqual({ ok: false, error: LOGIN_FAILED });
    expect((await login('keeper2', 'NewPassw0rd')).ok).toBe(true);
  });

  test('an administrator can reset a password; the user is signed out', async () => {
    await env.call(w.admin.token, 'user.resetPassword', {
      userId: w.keeper.userId,
      newPassword: 'Reset-passw0rd',
    });
    expect((await failsCleanly(env, w.keeper.token, 'auth.me')).code).toBe('UNAUTHENTICATED');
    expect((await login('keeper2', 'Reset-passw0rd')).ok).toBe(true);
  });

  test('passwords are stored as scrypt hashes only', async () => {
    const rows = await env.app.db.selectFrom('users').select('passwordHash').execute();
    expect(
      rows.every((r) => r.passwordHash.startsWith('scrypt$') && !r.passwordHash.includes(PASSWORD)),
    ).toBe(true);
  });
});

describe('user administration', () => {
  test('create and list users; keepers carry their depots, others none', async () => {
    const k = await env.call(w.admin.token, 'user.create', {
      username: 'wang.keeper',
      displayName: '王保管',
      role: 'keeper',
      password: 'Keeper-passw0rd',
      depotIds: [w.shinan.depotId, w.laoshan.depotId, w.shinan.depotId],
    });
    expect(k).toMatchObject({
      role: 'keeper',
      depotIds: [w.shinan.depotId, w.laoshan.depotId].sort((a, b) => a - b),
      active: true,
    });
    const c = await env.call(w.admin.token, 'user.create', {
      username: 'li',
      displayName: '李调度',
      role: 'coordinator',
      password: 'Coord-passw0rd',
      depotIds: [w.city.depotId],
    });
    expect(c.depotIds).toEqual([]);
    const all = await env.call(w.admin.token, 'user.list');
    expect(all.map((u) => u.username)).toEqual(['admin1', 'keeper2', 'li', 'wang.keeper']);
  });

  test('user names are unique and of a safe shape', async () => {
    const taken = await failsCleanly(env, w.admin.token, 'user.create', {
      username: 'keeper2',
      displayName: 'x',
      role: 'staff',
      password: 'Passw0rd!',
    });
    expect(taken).toEqual({
      code: 'CONFLICT',
      message: '用户名「keeper2」已被使用',
      fields: [{ path: 'username', label: '用户名', message: '用户名「keeper2」已被使用' }],
    });
    const shape = await failsCleanly(env, w.admin.token, 'user.create', {
      username: '张 三',
      displayName: 'x',
      role: 'staff',
      password: 'Passw0rd!',
    });
    expect(shape.fields).toEqual([{ path: 'username', label: '用户名', message: '格式不正确' }]);
  });

  test('a keeper needs at least one depot', async () => {
    const create = await failsCleanly(env, w.admin.token, 'user.create', {
      username: 'k0',
      displayName: 'x',
      role: 'keeper',
      password: 'Passw0rd!',
    });
    expect(create).toEqual({
      code: 'BAD_INPUT',
      message: '负责储备库：保管员至少要负责一个储备库',
      fields: [{ path: 'depotIds', label: '负责储备库', message: '保管员至少要负责一个储备库' }],
    });
    const emptied = await failsCleanly(env, w.admin.token, 'user.update', {
      userId: w.keeper.userId,
      depotIds: [],
    });
    expect(emptied.fields).toEqual([
      { path: 'depotIds', label: '负责储备库', message: '保管员至少要负责一个储备库' },
    ]);
    // Turning someone without depots into a keeper is refused by the service.
    const staff = await env.user('staff');
    const promoted = await failsCleanly(env, w.admin.token, 'user.update', {
      userId: staff.userId,
      role: 'keeper',
    });
    expect(promoted).toEqual({
      code: 'BAD_INPUT',
      message: '负责储备库：保管员至少要负责一个储备库',
      fields: [{ path: 'depotIds', label: '负责储备库', message: '保管员至少要负责一个储备库' }],
    });
  });

  test("deactivation ends the user's sessions and stops sign-in with the generic answer", async () => {
    const u = await env.call(w.admin.token, 'user.update', { userId: w.keeper.userId, active: false });
    expect(u.active).toBe(false);
    expect((await failsCleanly(env, w.keeper.token, 'auth.me')).code).toBe('UNAUTHENTICATED');
    expect(
      await env.app.db
        .selectFrom('sessions')
        .select('tokenHash')
        .where('userId', '=', w.keeper.userId)
        .execute(),
    ).toEqual([]);
    expect(await login('keeper2', PASSWORD)).toEqual({ ok: false, error: LOGIN_FAILED });
    await env.call(w.admin.token, 'user.update', { userId: w.keeper.userId, active: true });
    expect((await login('keeper2', PASSWORD)).ok).toBe(true);
  });

  test('a change of role or depots takes effect at once: the user signs in again', async () => {
    await env.call(w.admin.token, 'user.update', { userId: w.keeper.userId, depotIds: [w.shinan.depotId] });
    expect((await failsCleanly(env, w.keeper.token, 'auth.me')).code).toBe('UNAUTHENTICATED');
    const again = await env.call(undefined, 'auth.login', { username: 'keeper2', password: PASSWORD });
    expect(again.user.depotIds).toEqual([w.shinan.depotId]);
    // A display name change does not sign anyone out.
    await env.call(w.admin.token, 'user.update', { userId: w.keeper.userId, displayName: '新名字' });
    expect((await env.call(again.token, 'auth.me')).displayName).toBe('新名字');
  });

  test('administrators cannot deactivate themselves', async () => {
    const error = await failsCleanly(env, w.admin.token, 'user.update', {
      userId: w.admin.userId,
      active: false,
    });
    expect(error).toEqual({
      code: 'BAD_INPUT',
      message: '启用：不能停用自己的账号',
      fields: [{ path: 'active', label: '启用', message: '不能停用自己的账号' }],
    });
  });
});

describe('the last administrator', () => {
  test('cannot step down; with a second administrator either may, and then the other is the last', async () => {
    const demoted = await failsCleanly(env, w.admin.token, 'user.update', {
      userId: w.admin.userId,
      role: 'staff',
    });
    expect(demoted).toEqual({
      code: 'BAD_INPUT',
      message: '角色：这是最后一个有效的管理员账号：请先让另一人成为管理员',
      fields: [
        { path: 'role', label: '角色', message: '这是最后一个有效的管理员账号：请先让另一人成为管理员' },
      ],
    });
    const second = await env.user('admin');
    await env.call(w.admin.token, 'user.update', { userId: w.admin.userId, role: 'coordinator' });
    const last = await failsCleanly(env, second.token, 'user.update', {
      userId: second.userId,
      role: 'staff',
    });
    expect(last.fields?.map((f) => f.path)).toEqual(['role']);
    // A deactivated administrator does not count: the remaining active one is the last.
    const third = await env.user('admin');
    await env.call(second.token, 'user.update', { userId: third.userId, active: false });
    expect(
      (
        await failsCleanly(env, second.token, 'user.update', {
          userId: second.userId,
          role: 'keeper',
          depotIds: [w.city.depotId],
        })
      ).code,
    ).toBe('BAD_INPUT');
  });

  test('two administrators demoting each other at once: one of them stays an administrator', async () => {
    const second = await env.user('admin');
    const [a, b] = await Promise.all([
      env.raw({
        procedure: 'user.update',
        token: w.admin.token,
        input: { userId: second.userId, role: 'staff' },
      }),
      env.raw({
        procedure: 'user.update',
        token: second.token,
        input: { userId: w.admin.userId, role: 'staff' },
      }),
    ]);
    expect([a.ok, b.ok].filter(Boolean).length).toBeLessThanOrEqual(1);
    const admins = await env.app.db
      .selectFrom('users')
      .select('userId')
      .where('role', '=', 'admin')
      .where('active', '=', 1)
      .execute();
    expect(admins).toHaveLength(1);
  });
});
