/**
 * transfer-data: copyStore copies every table of a store into an empty one, ids and all, and
 * `relief-depot transfer-data` does it from the command line, then checks the copy. On the
 * sqlite project the copies go SQLite → SQLite; on the postgres project PostgreSQL → SQLite →
 * PostgreSQL, so both directions and both writers are exercised.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { main } from '../../src/main/cli-commands';
import { createApp } from '../../src/main/app';
import { DATABASE_FILE, openStore, type Store, type StoreConfig } from '../../src/main/db/store';
import { COPIED_TABLES, copyStore, TransferRefused } from '../../src/main/db/transfer';
import { verifyAudit } from '../../src/main/services/audit.service';
import { checkLedger } from '../../src/main/services/ledger-check.service';
import {
  countRows,
  createTestEnv,
  createWorld,
  deliverAllocation,
  newStore,
  PASSWORD,
  reserve,
  STORE,
  type TestEnv,
} from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;
const cleanups: (() => Promise<void> | void)[] = [];

/** A temp folder removed after the test. */
function scratchDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'relief-depot-transfer-data-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A new empty migrated store of this project's kind, dropped after the test. */
async function emptyStore(): Promise<StoreConfig> {
  const created = await newStore(scratchDir());
  cleanups.push(() => created.drop());
  return created.config;
}

/** Opens a store, closed after the test (before its database is dropped) unless closed before. */
async function opened(config: StoreConfig): Promise<Store> {
  const store = await openStore(config);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await store.close();
  };
  cleanups.unshift(close);
  return { ...store, close };
}

/** A SQLite data folder with an empty migrated database. */
async function sqliteFolder(): Promise<{ dir: string; config: StoreConfig }> {
  const dir = scratchDir();
  return { dir, config: { kind: 'sqlite', file: path.join(dir, DATABASE_FILE) } };
}

beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
  const { admin, keeper } = w;
  const d = w.city.depotId;
  // Something in every table the copy carries: lots with expiry, issues, a transfer (out-leg and
  // in-leg), a reversal, a scrap, an approved stocktake, quotas, a reservation, settings, sessions,
  // an incident and an approved allocation request.
  const receipt = await env.call(keeper.token, 'stock.receive', {
    depotId: d,
    source: 'procurement',
    lines: [
      { materialId: w.tent.materialId, quantity: 40, lotNo: 'T-1', unitPriceFen: 132000 },
      { materialId: w.quilt.materialId, quantity: 25, lotNo: 'Q-1', producedOn: '2026-01-15' },
      { materialId: w.jacket.materialId, quantity: 7, lotNo: 'J-1' },
    ],
  });
  const issue = await env.call(keeper.token, 'stock.issue', {
    depotId: d,
    recipient: '市南区应急管理局',
    lines: [{ materialId: w.tent.materialId, quantity: 3 }],
  });
  await env.call(admin.token, 'stock.transfer', {
    fromDepotId: d,
    toDepotId: w.shinan.depotId,
    lines: [{ materialId: w.quilt.materialId, quantity: 5 }],
  });
  await env.call(admin.token, 'stock.reverse', {
    movementId: issue.movements[0]!.movementId,
    reason: '录错',
  });
  await env.call(admin.token, 'stock.scrap', {
    depotId: d,
    reason: '破损',
    lines: [{ batchId: receipt.movements[2]!.batchId, quantity: 1 }],
  });
  const stocktake = await env.call(admin.token, 'stocktake.open', {
    depotId: w.shinan.depotId,
    note: '年终盘点',
  });
  await env.call(admin.token, 'stocktake.count', {
    stocktakeId: stocktake.stocktakeId,
    counts: [{ lineId: stocktake.lines[0]!.lineId, countedQuantity: 4, reason: '丢失 1 床' }],
  });
  await env.call(admin.token, 'stocktake.approve', { stocktakeId: stocktake.stocktakeId });
  await env.call(admin.token, 'quota.set', { depotId: d, materialId: w.tent.materialId, quantity: 50 });
  await env.call(admin.token, 'settings.update', { idleLockMinutes: 30 });
  await env.call(admin.token, 'depot.update', {
    depotId: w.city.depotId,
    latitude: 36.0671,
    longitude: 120.3826,
  });
  await reserve(env, d, w.tent.materialId, 6);
  // An incident and an approved allocation request (its line, source, reservation and events).
  const coordinator = await env.user('coordinator');
  const incident = await env.call(coordinator.token, 'incident.create', {
    type: 'typhoon',
    name: '台风“海葵”',
    responseLevel: 2,
    startedAt: '2026-11-29T20:00:00+08:00',
    areaDepotIds: [w.shinan.depotId],
  });
  const request = await env.call(coordinator.token, 'allocation.create', {
    incidentId: incident.incidentId,
    requesterDepotId: w.shinan.depotId,
    urgency: 'urgent',
    deliverToDepotId: w.shinan.depotId,
    neededBy: '2026-11-30T12:00:00+08:00',
    lines: [{ materialId: w.tent.materialId, quantity: 4 }],
    submit: true,
  });
  await env.call(coordinator.token, 'allocation.approve', {
    requestId: request.requestId,
    lines: [
      { lineId: request.lines[0]!.lineId, sources: [{ depotId: d, quantity: 4, overrideReason: '演练' }] },
    ],
  });
  // A delivery to an outside unit, signed for, and part of it returned (orders, lines, items, events, recoveries).
  const { order, coordinator: dispatcher } = await deliverAllocation(env, {
    from: d,
    materialId: w.tent.materialId,
    quantity: 2,
    incidentId: incident.incidentId,
  });
  await env.call(dispatcher.token, 'recovery.return', {
    deliveryId: order.deliveryId,
    depotId: w.shinan.depotId,
    lines: [{ itemId: order.lines[0]!.items[0]!.itemId, quantity: 1 }],
  });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await env.close();
});

/** Every copied table's rows, in a stable order. */
async function contents(store: Store): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const { table } of COPIED_TABLES) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(store.db);
    out[table] = JSON.stringify(
      rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))).sort(),
    );
  }
  return out;
}

async function rowCount(store: Store): Promise<number> {
  let n = 0;
  for (const { table } of COPIED_TABLES)
    n += Number(
      (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(store.db)).rows[0]!.n,
    );
  return n;
}

test('copies every row of every table with its ids; the copy passes the ledger check and audit verify, and new ids follow the copied ones', async () => {
  const source = env.app.store;
  const expected = await contents(source);
  for (const { table } of COPIED_TABLES) expect([table, expected[table]]).not.toEqual([table, '[]']);

  // This project's store → a SQLite file → this project's store again.
  const middle = await opened((await sqliteFolder()).config);
  const first = await copyStore(source, middle);
  expect(first.tables.map((t) => t.table)).toEqual(COPIED_TABLES.map((t) => t.table));
  expect(first.rows).toBe(await rowCount(source));
  const targetConfig = await emptyStore();
  const target = await opened(targetConfig);
  const progress: string[] = [];
  await copyStore(middle, target, (p) => void progress.push(p.step === 'rows' ? p.table : p.step));
  expect(await contents(middle)).toEqual(expected);
  expect(await contents(target)).toEqual(expected);
  expect(progress).toEqual(expect.arrayContaining(COPIED_TABLES.map((t) => t.table)));
  if (STORE === 'postgres') expect(progress.slice(-2)).toEqual(['indexes', 'analyze']);

  for (const store of [middle, target]) {
    expect(await checkLedger(store)).toMatchObject({ ok: true, differences: [] });
    expect(await verifyAudit(store.db)).toMatchObject({ ok: true, firstBrokenId: null });
  }

  // The copy is a working database: sign in, post a receipt and a new depot (generated ids after the copied ones).
  await target.close();
  const app = await createApp({ store: targetConfig, clock: env.clock, security: { scryptN: 2 ** 10 } });
  try {
    const call = async (token: string | undefined, procedure: string, input: unknown) => {
      const response = await app.dispatch({ procedure, input, token });
      if (!response.ok) throw new Error(`${procedure}: ${JSON.stringify(response.error)}`);
      return response.result as Record<string, unknown>;
    };
    const { token } = (await call(undefined, 'auth.login', { username: 'admin1', password: PASSWORD })) as {
      token: string;
    };
    const before = await app.db
      .selectFrom('movements')
      .select((eb) => eb.fn.max('movementId').as('id'))
      .executeTakeFirstOrThrow();
    const posted = (await call(token, 'stock.receive', {
      depotId: w.laoshan.depotId,
      source: 'donation',
      lines: [{ materialId: w.jacket.materialId, quantity: 2, lotNo: 'NEW' }],
    })) as { docNo: string; movements: { movementId: number }[] };
    expect(posted.movements[0]!.movementId).toBe(Number(before.id) + 1);
    expect(posted.docNo).toBe('RK-20261130-0003'); // the copied document sequence goes on
    const depot = (await call(token, 'depot.create', {
      code: 'QD-NEW',
      name: '新库',
      level: 'town',
      parentId: w.laoshan.depotId,
    })) as { depotId: number };
    expect(depot.depotId).toBe(w.laoshan.depotId + 1);
    expect(await verifyAudit(app.db)).toMatchObject({ ok: true });
    expect(await checkLedger(app.svc)).toMatchObject({ ok: true });
  } finally {
    await app.close();
  }
});

test('refuses a target that already has rows, and writes nothing to it', async () => {
  const target = await opened(await emptyStore());
  await copyStore(env.app.store, target);
  const before = await contents(target);
  const refused = await copyStore(env.app.store, target).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(TransferRefused);
  expect(refused).toMatchObject({
    code: 'targetNotEmpty',
    message: expect.stringContaining('depots, materials, users'),
  });
  expect(await contents(target)).toEqual(before);

  // Even a single settings row is enough to refuse.
  const other = await opened(await emptyStore());
  await other.db
    .insertInto('settings')
    .values({ key: 'x', value: '1', updatedAt: '2026-11-30T00:00:00.000Z' })
    .execute();
  await expect(copyStore(env.app.store, other)).rejects.toMatchObject({
    code: 'targetNotEmpty',
    detail: 'settings',
  });
});

test('a copy that fails midway leaves the target empty (one transaction), and it can then be copied into', async () => {
  const target = await opened(await emptyStore());
  const failing = copyStore(env.app.store, target, (p) => {
    if (p.step === 'rows' && p.table === 'movements') throw new Error('interrupted');
  });
  await expect(failing).rejects.toThrow('interrupted');
  expect(await rowCount(target)).toBe(0);
  await copyStore(env.app.store, target);
  expect(await contents(target)).toEqual(await contents(env.app.store));
});

// ---- The command ------------------------------------------------------------------------------

async function cli(args: string[]) {
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const err = jest
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  try {
    const code = await main([...args, '--lang', 'en']);
    return { code, output: out.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

/** The test's data as a workstation has it: a SQLite file in a data folder (closed). */
async function workstationFolder(): Promise<string> {
  const { dir, config } = await sqliteFolder();
  const store = await openStore(config);
  try {
    await copyStore(env.app.store, store);
  } finally {
    await store.close();
  }
  return dir;
}

/** `--to` for a new empty store of this project's kind: its URL, or its data folder. */
const toArg = (config: StoreConfig) => (config.kind === 'postgres' ? config.url : path.dirname(config.file));

test('transfer-data copies the data folder into an empty database, checks the ledger and audit chain there, and refuses to copy twice', async () => {
  const dir = await workstationFolder();
  const targetConfig = await emptyStore();
  const movements = await countRows(env, 'movements');
  expect(movements).toBe(11);
  const result = await cli(['transfer-data', '--data', dir, '--to', toArg(targetConfig)]);
  expect(result.output).toContain(`Copying ${path.join(dir, DATABASE_FILE)} → `);
  expect(result.output).toContain('movements: 11 / 11 rows');
  expect(result.output).toMatch(/Copied 27 tables, \d+ rows in/);
  expect(result.output).toContain('Ledger check passed: 11 movements');
  expect(result.output).toContain('Audit chain intact');
  expect(result.output).toContain('ready to use');
  expect(result.code).toBe(0);
  const target = await opened(targetConfig);
  expect(await contents(target)).toEqual(await contents(env.app.store));

  const again = await cli(['transfer-data', '--data', dir, '--to', toArg(targetConfig)]);
  expect(again.code).toBe(1);
  expect(again.output).toContain('The target database is not empty');
});

test('transfer-data exits 1 when the copy fails its checks, and explains a missing --to or source', async () => {
  const dir = await workstationFolder();
  const source = await openStore({ kind: 'sqlite', file: path.join(dir, DATABASE_FILE) });
  await sql`update batch_balances set on_hand = on_hand + 1 where batch_id = 1`.execute(source.db);
  await source.close();
  const result = await cli(['transfer-data', '--data', dir, '--to', toArg(await emptyStore())]);
  expect(result.code).toBe(1);
  expect(result.output).toContain('Copied 27 tables');
  expect(result.output).toContain('Ledger check found 1 differences');
  expect(result.output).toContain('"batchId":1,"field":"onHand"');
  expect(result.output).toContain('Audit chain intact');
  expect(result.output).not.toContain('ready to use');

  const noTarget = await cli(['transfer-data', '--data', dir]);
  expect(noTarget.code).toBe(2);
  expect(noTarget.output).toContain('Say where to copy to with --to');
  const empty = scratchDir();
  const noSource = await cli(['transfer-data', '--data', empty, '--to', toArg(await emptyStore())]);
  expect(noSource.code).toBe(1);
  expect(noSource.output).toContain('No database at');
  const same = await cli(['transfer-data', '--data', dir, '--to', dir]);
  expect(same.code).toBe(2);
  expect(same.output).toContain('the same database');
});
