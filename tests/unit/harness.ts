/**
 * Test harness: each test gets its own SQLite file in a temp folder, a movable clock, cheap
 * password hashing, and helpers to sign in and call procedures through dispatch().
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InputOf, OutputOf, ProcedureName } from '../../src/shared/api';
import { balanceRows } from '../../src/shared/balance-rows';
import type { RpcError, RpcResponse } from '../../src/shared/rpc';
import type { BalanceRow } from '../../src/shared/schemas/stock';
import type { Role } from '../../src/shared/schemas/user';
import { createApp, DATABASE_FILE, type App } from '../../src/main/app';
import { openSqlite } from '../../src/main/db/connect';
import { migrateToLatest } from '../../src/main/db/migrate';
import { createUser } from '../../src/main/services/user.service';
import type { Actor, SecurityConfig } from '../../src/main/services/context';
import { closeReservation, reserveStock } from '../../src/main/services/reservation.service';

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
  /** stock.balances with the page's columns turned into row objects (shared/balance-rows). */
  balances(token: string | undefined, input?: InputOf<'stock.balances'>): Promise<{ rows: BalanceRow[]; nextCursor: string | null }>;
  /** Calls a procedure expecting an error and returns it. */
  fail(token: string | undefined, procedure: string, input?: unknown, locale?: string): Promise<RpcError>;
  raw(request: { procedure: string; input?: unknown; token?: string; locale?: string; idempotencyKey?: string }): Promise<RpcResponse>;
  /** Creates a user directly and signs in; returns the session token. */
  user(role: Role, depotIds?: number[], username?: string): Promise<{ token: string; userId: number }>;
  close(): Promise<void>;
}

/** A memory-backed folder where there is one: synchronous=FULL makes every commit an fsync. */
const TEMP_BASE = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

/**
 * An empty database migrated to the latest, made once per test file and copied for each test
 * (createApp then finds nothing to migrate). migrations.test.ts migrates from empty itself.
 */
let migrated: Promise<string> | undefined;
let templateDir: string | undefined;
function migratedTemplate(): Promise<string> {
  migrated ??= (async () => {
    templateDir = mkdtempSync(path.join(TEMP_BASE, 'relief-depot-template-'));
    const file = path.join(templateDir, DATABASE_FILE);
    const sqlite = openSqlite(file);
    await migrateToLatest(sqlite);
    sqlite.close(); // checkpoints the WAL into the file
    return file;
  })();
  return migrated;
}
if (typeof afterAll === 'function') {
  afterAll(() => {
    if (templateDir) rmSync(templateDir, { recursive: true, force: true });
  });
}

/** Users created so far per environment (user names are role + number: admin1, keeper2 …). */
const userSeq = new WeakMap<TestEnv, number>();

export async function createTestEnv(now = '2026-11-30T02:00:00.000Z', options: { security?: Partial<SecurityConfig> } = {}): Promise<TestEnv> {
  const dir = mkdtempSync(path.join(TEMP_BASE, 'relief-depot-test-'));
  copyFileSync(await migratedTemplate(), path.join(dir, DATABASE_FILE));
  const clock = new TestClock(new Date(now));
  const errors: unknown[] = [];
  const app = await createApp({
    dataDir: dir,
    clock,
    security: { scryptN: 2 ** 10, ...options.security },
    logError: (_message, error) => errors.push(error),
  });
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
    async balances(token, input) {
      const page = await env.call(token, 'stock.balances', input);
      return { rows: balanceRows(page), nextCursor: page.nextCursor };
    },
    async fail(token, procedure, input, locale) {
      const response = await app.dispatch({ procedure, input, token, locale });
      if (response.ok) throw new Error(`${procedure} unexpectedly succeeded: ${JSON.stringify(response.result)}`);
      return response.error;
    },
    async user(role, depotIds = [], username) {
      const seq = (userSeq.get(env) ?? 0) + 1;
      userSeq.set(env, seq);
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

/**
 * The world's rows, captured the first time it is built in a test file (per clock and security
 * setting) and inserted as they were into later environments: the same rows the procedures
 * would write (same clock, same inputs), without signing in and hashing every time.
 */
const builtWorlds = new Map<string, { rows: [string, Record<string, unknown>[]][]; users: number; world: World }>();

type World = Awaited<ReturnType<typeof buildWorld>>;

/** A small world: a city depot, two district depots, three materials, an admin and a keeper. */
export async function createWorld(env: TestEnv): Promise<World> {
  const key = JSON.stringify([env.clock.now().toISOString(), env.app.svc.security]);
  const pristine = !userSeq.has(env) && (env.app.sqlite.prepare('select count(*) as n from users').get() as { n: number }).n === 0;
  const built = pristine ? builtWorlds.get(key) : undefined;
  if (built) {
    const sqlite = env.app.sqlite;
    sqlite.transaction(() => {
      sqlite.pragma('defer_foreign_keys = ON');
      for (const [table, rows] of built.rows) {
        for (const row of rows) {
          const columns = Object.keys(row);
          sqlite.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`).run(...Object.values(row));
        }
      }
    })();
    userSeq.set(env, built.users);
    return structuredClone(built.world);
  }
  const world = await buildWorld(env);
  if (pristine) {
    const tables = env.app.sqlite
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by rowid")
      .all() as { name: string }[];
    const rows = tables.map(({ name }) => [name, env.app.sqlite.prepare(`select * from ${name} order by rowid`).all()] as [string, Record<string, unknown>[]]);
    builtWorlds.set(key, { rows: rows.filter(([, r]) => r.length > 0), users: userSeq.get(env) ?? 0, world: structuredClone(world) });
  }
  return world;
}

async function buildWorld(env: TestEnv) {
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

/**
 * Every table's full contents (rows in rowid order), to assert that a refused write changed
 * nothing at all, not only the row counts. A session's last-seen time and idle expiry are left
 * out: reading a session moves them, and that is not a write the caller asked for.
 */
export function dump(app: App): Record<string, string> {
  const tables = app.sqlite
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name")
    .all() as { name: string }[];
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const rows = app.sqlite.prepare(`select * from ${name} order by rowid`).all() as Record<string, unknown>[];
    if (name === 'sessions') {
      for (const r of rows) {
        delete r.last_seen_at;
        delete r.expires_at;
      }
    }
    out[name] = JSON.stringify(rows);
  }
  return out;
}

/**
 * Calls a procedure that must fail, asserts that neither the row counts nor any row changed,
 * and returns the error for the caller to check its code, message and fields.
 */
export async function failsCleanly(
  env: TestEnv,
  token: string | undefined,
  procedure: string,
  input?: unknown,
  locale?: string,
): Promise<RpcError> {
  const countsBefore = snapshot(env.app);
  const rowsBefore = dump(env.app);
  const error = await env.fail(token, procedure, input, locale);
  expect(snapshot(env.app)).toEqual(countsBefore);
  expect(dump(env.app)).toEqual(rowsBefore);
  return error;
}

/** Runs a batch of calls that must all fail and asserts that, together, they changed nothing. */
export async function unchangedBy<T>(env: TestEnv, calls: () => Promise<T>): Promise<T> {
  const countsBefore = snapshot(env.app);
  const rowsBefore = dump(env.app);
  const result = await calls();
  expect(snapshot(env.app)).toEqual(countsBefore);
  expect(dump(env.app)).toEqual(rowsBefore);
  return result;
}

/** The maintained depot × material level (zeros when there is no row). */
export function levelOf(env: TestEnv, depotId: number, materialId: number): { onHand: number; reserved: number } {
  const row = env.app.sqlite
    .prepare('select on_hand as onHand, reserved from stock_levels where depot_id = ? and material_id = ?')
    .get(depotId, materialId) as { onHand: number; reserved: number } | undefined;
  return row ?? { onHand: 0, reserved: 0 };
}

/** The maintained on-hand quantity of one batch. */
export function batchOnHand(env: TestEnv, batchId: number): number {
  const row = env.app.sqlite.prepare('select on_hand as n from batch_balances where batch_id = ?').get(batchId) as { n: number } | undefined;
  return row?.n ?? 0;
}

/** The sum of a batch's movements: what the ledger says it holds. */
export function ledgerOnHand(env: TestEnv, batchId: number): number {
  return (env.app.sqlite.prepare('select coalesce(sum(quantity), 0) as n from movements where batch_id = ?').get(batchId) as { n: number }).n;
}

async function actorOf(env: TestEnv, userId: number): Promise<Actor> {
  const u = await env.app.db.selectFrom('users').selectAll().where('userId', '=', userId).executeTakeFirstOrThrow();
  return { userId: u.userId, username: u.username, displayName: u.displayName, role: u.role, depotIds: [] };
}

/** Reserves stock the way an approved allocation does (its own transaction); returns the id. */
export async function reserve(env: TestEnv, userId: number, depotId: number, materialId: number, quantity: number): Promise<number> {
  const actor = await actorOf(env, userId);
  const at = env.clock.now().toISOString();
  return env.app.db.transaction().execute((trx) => reserveStock(trx, actor, at, { depotId, materialId, quantity, reference: `TEST#${depotId}:${materialId}` }));
}

/** Ends a reservation: released (cancelled) or consumed (dispatched). */
export async function closeReserved(env: TestEnv, reservationId: number, status: 'released' | 'consumed' = 'released'): Promise<void> {
  const at = env.clock.now().toISOString();
  await env.app.db.transaction().execute((trx) => closeReservation(trx, reservationId, status, at));
}
