/**
 * Test harness: each test gets its own database — a SQLite file in a temp folder, or (in the
 * PostgreSQL project of `npm test`) a database cloned from a migrated template on the test
 * server — a movable clock, cheap password hashing, and helpers to sign in and call procedures
 * through dispatch(). Everything here goes through kysely, so every test runs on both stores.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import type { InputOf, OutputOf, ProcedureName } from '../../src/shared/api';
import { balanceRows } from '../../src/shared/balance-rows';
import type { RpcError, RpcRequest, RpcResponse } from '../../src/shared/rpc';
import type { BalanceRow } from '../../src/shared/schemas/stock';
import type { Role } from '../../src/shared/schemas/user';
import { createApp, type App } from '../../src/main/app';
import type { Database } from '../../src/main/db/database';
import type { StoreKind } from '../../src/main/db/dialect';
import { DATABASE_FILE, openStore, type StoreConfig } from '../../src/main/db/store';
import { COPIED_TABLES, NOT_COPIED } from '../../src/main/db/transfer';
import { createUser } from '../../src/main/services/user.service';
import { FixedClock, type SecurityConfig } from '../../src/main/services/context';
import { transact } from '../../src/main/services/write';
import type { PgServer } from '../pg/server';
import { TEMPLATE_DATABASE } from '../pg/server';

/** Which store this jest project runs on (jest.config.cjs sets it per project). */
export const STORE: StoreKind = process.env.RELIEF_DEPOT_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

export class TestClock extends FixedClock {
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
  /** A temp folder of the test's own (the SQLite file lives here; tests may put files here). */
  dir: string;
  /** Where the database is: open it again (a second app, a CLI run) with this. */
  store: StoreConfig;
  /** Calls a procedure and returns the result, failing the test on an error response. */
  call<P extends ProcedureName>(
    token: string | undefined,
    procedure: P,
    input?: InputOf<P>,
  ): Promise<OutputOf<P>>;
  /** stock.balances with the page's columns turned into row objects (shared/balance-rows). */
  balances(
    token: string | undefined,
    input?: InputOf<'stock.balances'>,
  ): Promise<{ rows: BalanceRow[]; nextCursor: string | null }>;
  /** Calls a procedure expecting an error and returns it. */
  fail(token: string | undefined, procedure: string, input?: unknown, locale?: string): Promise<RpcError>;
  /** `source`: where the request comes from, as a transport would say (default 'local'). */
  raw(request: RpcRequest, source?: string): Promise<RpcResponse>;
  /** Creates a user directly and signs in; returns the session token. */
  user(role: Role, depotIds?: number[], username?: string): Promise<{ token: string; userId: number }>;
  close(): Promise<void>;
}

/** A memory-backed folder where there is one: synchronous=FULL makes every commit an fsync. */
const TEMP_BASE = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

/** The test PostgreSQL server (tests/pg/global-setup.ts), or why there is none. */
export function pgServer(): PgServer {
  const missing = process.env.RELIEF_DEPOT_TEST_PG_MISSING;
  if (missing)
    throw new Error(`PostgreSQL is not available for the PostgreSQL half of the tests: ${missing}`);
  const json = process.env.RELIEF_DEPOT_TEST_PG;
  if (!json)
    throw new Error(
      'The PostgreSQL test server was not started (run jest with jest.config.cjs: its postgres project starts it)',
    );
  return JSON.parse(json) as PgServer;
}

let adminPool: pg.Pool | undefined;
/** Creates and drops the per-test databases on the test server. */
function pgAdmin(): pg.Pool {
  adminPool ??= new pg.Pool({ connectionString: `${pgServer().url}/postgres`, max: 2 });
  return adminPool;
}

let databaseSeq = 0;
/** A fresh database cloned from the migrated template (createApp then finds nothing to migrate). */
async function newPgDatabase(): Promise<string> {
  databaseSeq += 1;
  const name = `t_${process.pid}_${databaseSeq}`;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await pgAdmin().query(`create database ${name} template ${TEMPLATE_DATABASE} strategy file_copy`);
      return name;
    } catch (error) {
      // Another jest worker is cloning the template at this moment (55006 object_in_use).
      if ((error as { code?: string }).code !== '55006' || attempt === 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
    }
  }
}

/**
 * A new empty database on this project's store: a copy of a migrated SQLite file (made once per
 * test file), or a clone of the PostgreSQL template. migrations.test.ts migrates from empty itself.
 */
export async function newStore(dir: string): Promise<{ config: StoreConfig; drop(): Promise<void> }> {
  if (STORE === 'postgres') {
    const name = await newPgDatabase();
    return {
      config: { kind: 'postgres', url: `${pgServer().url}/${name}` },
      drop: async () => void (await pgAdmin().query(`drop database if exists ${name} with (force)`)),
    };
  }
  const file = path.join(dir, DATABASE_FILE);
  copyFileSync(await migratedSqliteTemplate(), file);
  return { config: { kind: 'sqlite', file }, drop: async () => undefined };
}

/** A new database with nothing in it, not even the schema (for migration tests). */
export async function emptyStore(
  dir: string,
  name = 'empty',
): Promise<{ config: StoreConfig; drop(): Promise<void> }> {
  if (STORE === 'postgres') {
    databaseSeq += 1;
    const database = `e_${process.pid}_${databaseSeq}`;
    await pgAdmin().query(`create database ${database}`);
    return {
      config: { kind: 'postgres', url: `${pgServer().url}/${database}` },
      drop: async () => void (await pgAdmin().query(`drop database if exists ${database} with (force)`)),
    };
  }
  return { config: { kind: 'sqlite', file: path.join(dir, `${name}.sqlite`) }, drop: async () => undefined };
}

let migrated: Promise<string> | undefined;
let templateDir: string | undefined;
function migratedSqliteTemplate(): Promise<string> {
  migrated ??= (async () => {
    templateDir = mkdtempSync(path.join(TEMP_BASE, 'relief-depot-template-'));
    const file = path.join(templateDir, DATABASE_FILE);
    const store = await openStore({ kind: 'sqlite', file });
    await store.close(); // checkpoints the WAL into the file
    return file;
  })();
  return migrated;
}
if (typeof afterAll === 'function') {
  afterAll(async () => {
    if (templateDir) rmSync(templateDir, { recursive: true, force: true });
    await adminPool?.end();
    adminPool = undefined;
  });
}

/** Users created so far per environment (user names are role + number: admin1, keeper2 …). */
const userSeq = new WeakMap<TestEnv, number>();

export async function createTestEnv(
  now = '2026-11-30T02:00:00.000Z',
  options: { security?: Partial<SecurityConfig> } = {},
): Promise<TestEnv> {
  const dir = mkdtempSync(path.join(TEMP_BASE, 'relief-depot-test-'));
  const store = await newStore(dir);
  const clock = new TestClock(new Date(now));
  const errors: unknown[] = [];
  const app = await createApp({
    store: store.config,
    clock,
    security: { scryptN: 2 ** 10, ...options.security },
    logError: (_message, error) => errors.push(error),
  });
  const env: TestEnv = {
    app,
    clock,
    dir,
    store: store.config,
    raw: (request, source) => app.dispatch(request, source),
    async call(token, procedure, input) {
      const response = await app.dispatch({ procedure, input, token });
      if (!response.ok) {
        throw new Error(
          `${procedure} failed: ${JSON.stringify(response.error)} ${errors.map(String).join('\n')}`,
        );
      }
      return response.result as never;
    },
    async balances(token, input) {
      const page = await env.call(token, 'stock.balances', input);
      return { rows: balanceRows(page), nextCursor: page.nextCursor };
    },
    async fail(token, procedure, input, locale) {
      const response = await app.dispatch({ procedure, input, token, locale });
      if (response.ok)
        throw new Error(`${procedure} unexpectedly succeeded: ${JSON.stringify(response.result)}`);
      return response.error;
    },
    async user(role, depotIds = [], username) {
      const seq = (userSeq.get(env) ?? 0) + 1;
      userSeq.set(env, seq);
      const name = username ?? `${role}${seq}`;
      const user = await createUser(app.svc, null, {
        username: name,
        displayName: `${role} ${seq}`,
        role,
        password: PASSWORD,
        depotIds,
      });
      const login = await env.call(undefined, 'auth.login', { username: name, password: PASSWORD });
      return { token: login.token, userId: user.userId };
    },
    async close() {
      await app.close();
      await store.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return env;
}

/**
 * Every table of the schema, parents before children (foreign keys): those a store copy carries
 * and the short-lived ones it leaves. A new table must be listed in transfer.ts: rows() and the
 * world cache refuse a table they do not know.
 */
export const TABLES: readonly string[] = [
  ...COPIED_TABLES.map((t) => t.table),
  'idempotency_keys',
  'login_turns',
];
/** The lookup tables the migrations fill (and a store copy leaves alone). */
const SEEDED_BY_MIGRATIONS = NOT_COPIED.filter((t) => !TABLES.includes(t));
/** Written on purpose by refused calls: a failed sign-in is counted (login throttling). */
const BOOKKEEPING = ['login_turns'];
const WATCHED = TABLES.filter((t) => !BOOKKEEPING.includes(t));

async function assertTablesKnown(env: TestEnv): Promise<void> {
  const tables = (await env.app.db.introspection.getTables())
    .map((t) => t.name)
    .filter((n) => !n.startsWith('kysely_'));
  const unknown = tables.filter((n) => !TABLES.includes(n) && !SEEDED_BY_MIGRATIONS.includes(n));
  if (unknown.length > 0)
    throw new Error(`harness.TABLES does not list ${unknown.join(', ')}: add them (parents first)`);
}

/** All rows of a table (keys camelCase, as every query returns them), in a stable order. */
export async function tableRows(env: TestEnv, table: string): Promise<Record<string, unknown>[]> {
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(env.app.db);
  return rows
    .map((r) => JSON.stringify(r))
    .sort()
    .map((r) => JSON.parse(r) as Record<string, unknown>);
}

/** One number from a query (count, sum …), as a JS number on both stores. */
export async function scalar(env: TestEnv, query: ReturnType<typeof sql>): Promise<number> {
  const { rows } = await query.execute(env.app.db);
  const value = Object.values((rows[0] ?? {}) as Record<string, unknown>)[0];
  return value === null || value === undefined ? 0 : Number(value);
}

/** Rows counted per table (but the failed sign-ins), and the summed on hand and reserved, to assert that a refused write changed nothing. */
export async function snapshot(env: TestEnv): Promise<Record<string, number>> {
  await assertTablesKnown(env);
  const counts: Record<string, number> = {};
  for (const name of WATCHED) counts[name] = await scalar(env, sql`select count(*) from ${sql.table(name)}`);
  counts['#onHand'] = await scalar(env, sql`select coalesce(sum(on_hand), 0) from stock_levels`);
  counts['#reserved'] = await scalar(env, sql`select coalesce(sum(reserved), 0) from stock_levels`);
  return counts;
}

/**
 * Every table's full contents, to assert that a refused write changed nothing at all, not only
 * the row counts. A session's last-seen time and idle expiry are left out: reading a session
 * moves them, and that is not a write the caller asked for. So is the count of failed sign-ins.
 */
export async function dump(env: TestEnv): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of WATCHED) {
    const rows = await tableRows(env, name);
    if (name === 'sessions') {
      for (const r of rows) {
        delete r.lastSeenAt;
        delete r.expiresAt;
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
  const countsBefore = await snapshot(env);
  const rowsBefore = await dump(env);
  const error = await env.fail(token, procedure, input, locale);
  expect(await snapshot(env)).toEqual(countsBefore);
  expect(await dump(env)).toEqual(rowsBefore);
  return error;
}

/** Runs a batch of calls that must all fail and asserts that, together, they changed nothing. */
export async function unchangedBy<T>(env: TestEnv, calls: () => Promise<T>): Promise<T> {
  const countsBefore = await snapshot(env);
  const rowsBefore = await dump(env);
  const result = await calls();
  expect(await snapshot(env)).toEqual(countsBefore);
  expect(await dump(env)).toEqual(rowsBefore);
  return result;
}

/** The maintained depot × material level (zeros when there is no row). */
export async function levelOf(
  env: TestEnv,
  depotId: number,
  materialId: number,
): Promise<{ onHand: number; reserved: number }> {
  const row = await env.app.db
    .selectFrom('stockLevels')
    .select(['onHand', 'reserved'])
    .where('depotId', '=', depotId)
    .where('materialId', '=', materialId)
    .executeTakeFirst();
  return row ?? { onHand: 0, reserved: 0 };
}

/** The maintained on-hand quantity of one batch. */
export async function batchOnHand(env: TestEnv, batchId: number): Promise<number> {
  const row = await env.app.db
    .selectFrom('batchBalances')
    .select('onHand')
    .where('batchId', '=', batchId)
    .executeTakeFirst();
  return row?.onHand ?? 0;
}

/** The sum of a batch's movements: what the ledger says it holds. */
export async function ledgerOnHand(env: TestEnv, batchId: number): Promise<number> {
  const row = await env.app.db
    .selectFrom('movements')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('quantity'), eb.lit(0)).as('n'))
    .where('batchId', '=', batchId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Rows counted in one table. */
export async function countRows(env: TestEnv, table: keyof Database): Promise<number> {
  const row = await env.app.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Stock reserved as an approval reserves it: the city's coordinator approves `quantity` from
 * `depotId` for an outside unit (below quota if need be); returns the source's reservation id.
 */
export async function reserve(
  env: TestEnv,
  depotId: number,
  materialId: number,
  quantity: number,
): Promise<number> {
  const { approved } = await approveAllocation(env, { from: depotId, materialId, quantity });
  const { reservationId } = await env.app.db
    .selectFrom('allocationSources')
    .select('reservationId')
    .where('sourceId', '=', approved.lines[0]!.sources[0]!.sourceId)
    .executeTakeFirstOrThrow();
  return reservationId!;
}

/** Releases a reservation as people do: the coordinator cancels the request that holds it. */
export async function release(env: TestEnv, reservationId: number): Promise<void> {
  const { requestId } = await env.app.db
    .selectFrom('allocationSources as s')
    .innerJoin('allocationLines as l', 'l.lineId', 's.lineId')
    .select('l.requestId')
    .where('s.reservationId', '=', reservationId)
    .executeTakeFirstOrThrow();
  const coordinator = await env.user('coordinator');
  await env.call(coordinator.token, 'allocation.cancel', { requestId, comment: '测试' });
}

/** A request to `to` (or an outside unit) that the city approves in full from `from`. */
async function approveAllocation(
  env: TestEnv,
  options: { from: number; to?: number; materialId: number; quantity: number; incidentId?: number },
) {
  const coordinator = await env.user('coordinator');
  const destination =
    options.to === undefined
      ? {
          requesterUnit: { name: '街道办事处', contact: '赵主任', phone: '13900001111' },
          deliverTo: { address: '安置点', contact: '赵主任', phone: '13900001111' },
        }
      : { requesterDepotId: options.to, deliverToDepotId: options.to };
  const request = await env.call(coordinator.token, 'allocation.create', {
    ...destination,
    ...(options.incidentId === undefined ? {} : { incidentId: options.incidentId }),
    urgency: 'urgent',
    neededBy: '2026-11-30T12:00:00+08:00',
    lines: [{ materialId: options.materialId, quantity: options.quantity }],
    submit: true,
  });
  const approved = await env.call(coordinator.token, 'allocation.approve', {
    requestId: request.requestId,
    lines: [
      {
        lineId: request.lines[0]!.lineId,
        sources: [{ depotId: options.from, quantity: options.quantity, overrideReason: '测试' }],
      },
    ],
  });
  return { request, approved, coordinator };
}

/**
 * An allocation the city approves from `from`, carried on one delivery order to the depot `to`
 * (or, when `to` is omitted, to an outside unit's address), dispatched and signed for with
 * `received` (default all, a shortfall marked damaged), unless `until` stops it earlier.
 */
export async function deliverAllocation(
  env: TestEnv,
  options: {
    from: number;
    to?: number;
    materialId: number;
    quantity: number;
    incidentId?: number;
    received?: number;
    until?: 'planned' | 'dispatched';
  },
) {
  const { request, approved, coordinator } = await approveAllocation(env, options);
  const loader = await env.user('keeper', [options.from]);
  const now = env.clock.now().getTime();
  const order = await env.call(coordinator.token, 'delivery.create', {
    requestId: request.requestId,
    sourceIds: approved.lines[0]!.sources.map((s) => s.sourceId),
    vehiclePlate: '鲁B12345',
    driverName: '王师傅',
    driverPhone: '13812345678',
    plannedDeparture: new Date(now).toISOString(),
    plannedArrival: new Date(now + 2 * 3_600_000).toISOString(),
  });
  if (options.until === 'planned') return { request, order, coordinator };
  const dispatched = await env.call(loader.token, 'delivery.dispatch', { deliveryId: order.deliveryId });
  if (options.until === 'dispatched') return { request, order: dispatched, coordinator };
  const signer = options.to === undefined ? coordinator : await env.user('keeper', [options.to]);
  const [first] = dispatched.lines[0]!.items;
  const short = first!.quantity - Math.min(options.received ?? first!.quantity, first!.quantity);
  const delivered = await env.call(signer.token, 'delivery.deliver', {
    deliveryId: order.deliveryId,
    receiverName: '签收人',
    receivedAt: env.clock.now().toISOString(),
    items:
      short > 0
        ? [
            {
              itemId: first!.itemId,
              received: first!.quantity - short,
              shortfallKind: 'damaged',
              reason: '破损',
            },
          ]
        : [],
  });
  return { request, order: delivered, coordinator };
}

/**
 * The world's rows, captured the first time it is built in a test file (per clock and security
 * setting) and inserted as they were into later environments: the same rows the procedures
 * would write (same clock, same inputs), without signing in and hashing every time.
 */
/** `(columns) values (…), (…)` for raw rows as `select *` returned them (camelCase keys: the plugin maps them). */
function valuesOf(rows: Record<string, unknown>[]) {
  const columns = Object.keys(rows[0]!);
  return sql`(${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(rows.map((r) => sql`(${sql.join(columns.map((c) => r[c]))})`))}`;
}

const builtWorlds = new Map<
  string,
  { rows: [string, Record<string, unknown>[]][]; users: number; world: World }
>();

type World = Awaited<ReturnType<typeof buildWorld>>;

/** A small world: a city depot, two district depots, three materials, an admin and a keeper. */
export async function createWorld(env: TestEnv): Promise<World> {
  const key = JSON.stringify([env.clock.now().toISOString(), env.app.svc.security]);
  const pristine = !userSeq.has(env) && (await countRows(env, 'users')) === 0;
  const built = pristine ? builtWorlds.get(key) : undefined;
  if (built) {
    // Parents first (TABLES order), ids as they were; PostgreSQL's identities then move past them.
    await transact(env.app.svc, async (trx) => {
      for (const [table, rows] of built.rows) {
        for (let i = 0; i < rows.length; i += 100)
          await sql`insert into ${sql.table(table)} ${valuesOf(rows.slice(i, i + 100))}`.execute(trx);
      }
    });
    await env.app.store.maintenance.resetIdentities();
    userSeq.set(env, built.users);
    return structuredClone(built.world);
  }
  const tableRows = async () => {
    const rows: [string, Record<string, unknown>[]][] = [];
    for (const name of TABLES)
      rows.push([
        name,
        (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(env.app.db)).rows,
      ]);
    return rows;
  };
  // What a new store starts with (the ledger's seal mark) is there already when the world is restored.
  const before = pristine
    ? new Set((await tableRows()).flatMap(([t, r]) => r.map((row) => t + JSON.stringify(row))))
    : null;
  const world = await buildWorld(env);
  if (before) {
    await assertTablesKnown(env);
    const rows = (await tableRows()).map(
      ([t, r]) =>
        [t, r.filter((row) => !before.has(t + JSON.stringify(row)))] as [string, Record<string, unknown>[]],
    );
    builtWorlds.set(key, {
      rows: rows.filter(([, r]) => r.length > 0),
      users: userSeq.get(env) ?? 0,
      world: structuredClone(world),
    });
  }
  return world;
}

async function buildWorld(env: TestEnv) {
  const admin = await env.user('admin');
  const city = await env.call(admin.token, 'depot.create', {
    code: 'QD-SJ',
    name: '青岛市级救灾物资储备库',
    level: 'city',
  });
  const shinan = await env.call(admin.token, 'depot.create', {
    code: 'QD-SN',
    name: '市南区储备库',
    level: 'district',
    parentId: city.depotId,
  });
  const laoshan = await env.call(admin.token, 'depot.create', {
    code: 'QD-LS',
    name: '崂山区储备库',
    level: 'district',
    parentId: city.depotId,
  });
  const tent = await env.call(admin.token, 'material.create', {
    code: 'M0001',
    name: '救灾专用单帐篷',
    spec: '12㎡',
    unit: '顶',
    topClass: 1,
    category: '帐篷',
    referencePriceFen: 132000,
  });
  const quilt = await env.call(admin.token, 'material.create', {
    code: 'M0002',
    name: '棉被',
    spec: '2m*1.8m',
    unit: '床',
    topClass: 1,
    category: '被服',
    shelfLifeMonths: 60,
    warningDays: 30,
  });
  const jacket = await env.call(admin.token, 'material.create', {
    code: 'M0003',
    name: '救生衣',
    unit: '件',
    topClass: 2,
    category: '救生',
  });
  const keeper = await env.user('keeper', [city.depotId]);
  return { admin, keeper, city, shinan, laoshan, tent, quilt, jacket };
}
