/**
 * Test harness: each test gets its own SQLite file in a temp folder, a movable clock, cheap
 * password hashing, and helpers to sign in and call procedures through dispatch().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InputOf, OutputOf, ProcedureName } from '../../src/shared/api';
import type { RpcError, RpcResponse } from '../../src/shared/rpc';
import type { Role } from '../../src/shared/schemas/user';
import { createApp, type App } from '../../src/main/app';
import { createUser } from '../../src/main/services/user.service';

export class TestClock {
  constructor(public current: Date) {}
  now = () => this.current;
  set(iso: string) {
    this.current = new Date(iso);
  }
  advanceMinutes(minutes: number) {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}

export const PASSWORD = 'Passw0rd!';

export interface TestEnv {
  app: App;
  clock: TestClock;
  dir: string;
  /** Calls a procedure and returns the result, failing the test on an error response. */
  call<P extends ProcedureName>(token: string | undefined, procedure: P, input?: InputOf<P>): Promise<OutputOf<P>>;
  /** Calls a procedure expecting an error and returns it. */
  fail(token: string | undefined, procedure: string, input?: unknown, locale?: string): Promise<RpcError>;
  raw(request: { procedure: string; input?: unknown; token?: string; locale?: string }): Promise<RpcResponse>;
  /** Creates a user directly and signs in; returns the session token. */
  user(role: Role, depotIds?: number[], username?: string): Promise<{ token: string; userId: number }>;
  close(): Promise<void>;
}

export async function createTestEnv(now = '2026-11-30T02:00:00.000Z'): Promise<TestEnv> {
  const dir = mkdtempSync(path.join(tmpdir(), 'relief-depot-test-'));
  const clock = new TestClock(new Date(now));
  const errors: unknown[] = [];
  const app = await createApp({
    dataDir: dir,
    clock,
    security: { scryptN: 2 ** 10 },
    logError: (_message, error) => errors.push(error),
  });
  let seq = 0;
  const env: TestEnv = {
    app,
    clock,
    dir,
    raw: (request) => app.dispatch(request),
    async call(token, procedure, input) {
      const response = await app.dispatch({ procedure, input, token });
      if (!response.ok) {
        throw new Error(`${procedure} failed: ${JSON.stringify(response.error)} ${errors.map(String).join('\n')}`);
      }
      return response.result as never;
    },
    async fail(token, procedure, input, locale) {
      const response = await app.dispatch({ procedure, input, token, locale });
      if (response.ok) throw new Error(`${procedure} unexpectedly succeeded: ${JSON.stringify(response.result)}`);
      return response.error;
    },
    async user(role, depotIds = [], username) {
      seq += 1;
      const name = username ?? `${role}${seq}`;
      const user = await createUser(app.svc, null, { username: name, displayName: `${role} ${seq}`, role, password: PASSWORD, depotIds });
      const login = await env.call(undefined, 'auth.login', { username: name, password: PASSWORD });
      return { token: login.token, userId: user.userId };
    },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return env;
}

/** A small world: a city depot, two district depots, three materials, an admin and a keeper. */
export async function createWorld(env: TestEnv) {
  const admin = await env.user('admin');
  const city = await env.call(admin.token, 'depot.create', { code: 'QD-SJ', name: '青岛市级救灾物资储备库', level: 'city' });
  const shinan = await env.call(admin.token, 'depot.create', { code: 'QD-SN', name: '市南区储备库', level: 'district', parentId: city.depotId });
  const laoshan = await env.call(admin.token, 'depot.create', { code: 'QD-LS', name: '崂山区储备库', level: 'district', parentId: city.depotId });
  const tent = await env.call(admin.token, 'material.create', {
    code: 'M0001', name: '救灾专用单帐篷', spec: '12㎡', unit: '顶', topClass: 1, category: '帐篷', referencePriceFen: 132000,
  });
  const quilt = await env.call(admin.token, 'material.create', {
    code: 'M0002', name: '棉被', spec: '2m*1.8m', unit: '床', topClass: 1, category: '被服', shelfLifeMonths: 60, warningDays: 30,
  });
  const jacket = await env.call(admin.token, 'material.create', {
    code: 'M0003', name: '救生衣', unit: '件', topClass: 2, category: '救生',
  });
  const keeper = await env.user('keeper', [city.depotId]);
  return { admin, keeper, city, shinan, laoshan, tent, quilt, jacket };
}

/** Every table's row count, to assert that a refused write changed nothing. */
export function snapshot(app: App): Record<string, number> {
  const tables = app.sqlite
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'")
    .all() as { name: string }[];
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    counts[name] = (app.sqlite.prepare(`select count(*) as n from ${name}`).get() as { n: number }).n;
  }
  const sums = app.sqlite.prepare('select coalesce(sum(on_hand), 0) as onHand, coalesce(sum(reserved), 0) as reserved from stock_levels').get() as {
    onHand: number;
    reserved: number;
  };
  counts['#onHand'] = sums.onHand;
  counts['#reserved'] = sums.reserved;
  return counts;
}
