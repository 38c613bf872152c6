/** Migrations: the static index matches the folder; an empty database migrates to the latest on either store. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { NO_MIGRATIONS } from 'kysely/migration';
import { migrations } from '../../migrations';
import { createApp } from '../../src/main/app';
import { latestMigrationName } from '../../src/main/db/migrate';
import { openStore } from '../../src/main/db/store';
import { createTestEnv, createWorld, emptyStore } from './harness';
import { MOVEMENT_TYPES } from '../../src/shared/schemas/stock';

const FOLDER = path.join(__dirname, '../../migrations');
const CORE_TABLES = [
  'allocation_events',
  'allocation_lines',
  'allocation_requests',
  'allocation_sources',
  'audit_log',
  'batch_balances',
  'batches',
  'delivery_events',
  'delivery_items',
  'delivery_lines',
  'delivery_orders',
  'delivery_states',
  'depots',
  'doc_sequences',
  'idempotency_keys',
  'incident_depots',
  'incident_types',
  'incidents',
  'login_turns',
  'materials',
  'movement_types',
  'movements',
  'quotas',
  'recoveries',
  'request_states',
  'reservations',
  'sessions',
  'settings',
  'stock_levels',
  'stocktake_lines',
  'stocktakes',
  'user_depots',
  'users',
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'relief-depot-migrations-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('migrations/index.ts lists exactly the migration files in migrations/, in order', async () => {
  const files = readdirSync(FOLDER).filter((f) => /^\d{4}_/.test(f));
  expect(files.length).toBeGreaterThan(0);
  // Besides the migrations: only the index and the column forms they share.
  expect(
    readdirSync(FOLDER)
      .filter((f) => !files.includes(f))
      .sort(),
  ).toEqual(['index.ts', 'portable.ts']);
  for (const f of files) expect(f).toMatch(/^\d{4}_[a-z]+(_[a-z0-9]+)+\.ts$/);
  const names = files.map((f) => f.replace(/\.ts$/, '')).sort();
  expect(Object.keys(migrations)).toEqual(names);
  // Numbered 0001, 0002, … without gaps or repeats.
  expect(names.map((n) => Number(n.slice(0, 4)))).toEqual(names.map((_, i) => i + 1));
  // Each entry is that file's module.
  for (const name of names) {
    const mod = (await import(path.join(FOLDER, `${name}.ts`))) as { up: unknown; down?: unknown };
    expect(migrations[name]!.up).toBe(mod.up);
    expect(typeof mod.down).toBe('function');
  }
  expect(latestMigrationName()).toBe(names.at(-1));
});

test('an empty database migrates to the latest; running again changes nothing', async () => {
  const empty = await emptyStore(dir);
  try {
    const store = await openStore(empty.config, { migrate: false });
    try {
      const first = await store.migrator().migrateToLatest();
      expect(first.error).toBeUndefined();
      expect(first.results?.map((r) => [r.migrationName, r.status])).toEqual(
        Object.keys(migrations).map((n) => [n, 'Success']),
      );
      const tables = (await store.db.introspection.getTables())
        .map((t) => t.name)
        .filter((n) => !n.startsWith('kysely_'));
      expect(tables.sort()).toEqual(CORE_TABLES);
      const again = await store.migrator().migrateToLatest();
      expect(again.results).toEqual([]);
      const types = await store.db.selectFrom('movementTypes').select('type').orderBy('type').execute();
      expect(types.map((t) => t.type)).toEqual([...MOVEMENT_TYPES].sort());
    } finally {
      await store.close();
    }
  } finally {
    await empty.drop();
  }
});

test('the migrations before 0004 can be undone down to an empty database; 0004 refuses to be undone', async () => {
  const empty = await emptyStore(dir);
  try {
    const store = await openStore(empty.config, { migrate: false });
    try {
      const migrator = store.migrator();
      expect((await migrator.migrateTo('0003_cover_expiry_index')).error).toBeUndefined();
      const down = await migrator.migrateTo(NO_MIGRATIONS);
      expect(down.error).toBeUndefined();
      const tables = (await store.db.introspection.getTables())
        .map((t) => t.name)
        .filter((n) => !n.startsWith('kysely_'));
      expect(tables).toEqual([]);
      // Later migrations refuse too, each tested with its own data.
      expect((await migrator.migrateTo('0004_portable_ledger')).error).toBeUndefined();
      const back = await migrator.migrateDown();
      expect(String(back.error)).toMatch(/0004_portable_ledger cannot be undone: restore a backup/);
      // The refusal changed nothing: still at 0004.
      expect((await migrator.migrateTo('0004_portable_ledger')).results).toEqual([]);
    } finally {
      await store.close();
    }
  } finally {
    await empty.drop();
  }
});

test('another app opening the same store sees its data', async () => {
  const env = await createTestEnv();
  const w = await createWorld(env);
  await env.call(w.admin.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'opening',
    lines: [{ materialId: w.tent.materialId, quantity: 7, lotNo: 'A' }],
  });
  const reopened = await createApp({
    store: env.store,
    clock: env.clock,
    security: { scryptN: 2 ** 10 },
    logError: () => undefined,
  });
  try {
    const login = await reopened.dispatch({
      procedure: 'auth.login',
      input: { username: 'admin1', password: 'Passw0rd!' },
    });
    expect(login.ok).toBe(true);
    const token = (login as { result: { token: string } }).result.token;
    const balances = await reopened.dispatch({ procedure: 'stock.balances', input: {}, token });
    expect(balances).toMatchObject({ ok: true, result: { rows: { onHand: [7] } } });
  } finally {
    await reopened.close();
    await env.close();
  }
});

test('0005 puts each receipt’s source, supplier and price on its movement, typed as the batch’s, and refuses to be undone', async () => {
  const empty = await emptyStore(dir);
  try {
    const store = await openStore(empty.config, { migrate: false });
    try {
      const migrator = store.migrator();
      expect((await migrator.migrateTo('0004_portable_ledger')).error).toBeUndefined();
      // Rows as the code before 0005 wrote them: a receipt's source in its reason, its supplier
      // and price on the batch only (a second receipt into the lot lost its own).
      const at = '2026-11-30T02:00:00.000Z';
      for (const statement of [
        sql`insert into depots (depot_id, code, name, level, created_at, updated_at) values (1, 'QD-SJ', '市级库', 'city', ${at}, ${at})`,
        sql`insert into materials (material_id, code, name, unit, top_class, created_at, updated_at) values (1, 'M0001', '帐篷', '顶', 1, ${at}, ${at})`,
        sql`insert into users (user_id, username, display_name, role, password_hash, created_at, updated_at) values (1, 'keeper1', '保管员', 'keeper', 'x', ${at}, ${at})`,
        sql`insert into batches (batch_id, depot_id, material_id, lot_no, source, supplier, unit_price_fen, created_at) values (1, 1, 1, 'T-1', 'procurement', '某帐篷厂', 132000, ${at})`,
        sql`insert into movements (movement_id, doc_no, type, depot_id, material_id, batch_id, quantity, occurred_at, user_id, recipient, reason, note) values
          (1, 'RK-20261130-0001', 'receipt', 1, 1, 1, 20, ${at}, 1, null, 'procurement', null),
          (2, 'RK-20261130-0002', 'receipt', 1, 1, 1, 10, ${at}, 1, null, 'donation', '爱心企业捐赠'),
          (3, 'RK-20261130-0003', 'receipt', 1, 1, 1, 5, ${at}, 1, null, null, null),
          (4, 'CK-20261130-0001', 'issue', 1, 1, 1, -4, ${at}, 1, '崂山区', '防汛', null)`,
      ])
        await statement.execute(store.db);
      expect((await migrator.migrateTo('0005_receipt_terms')).error).toBeUndefined();

      const movements = await store.db
        .selectFrom('movements')
        .select(['movementId', 'source', 'supplier', 'unitPriceFen', 'reason', 'note'])
        .orderBy('movementId')
        .execute();
      expect(movements).toEqual([
        {
          movementId: 1,
          source: 'procurement',
          supplier: '某帐篷厂',
          unitPriceFen: 132000,
          reason: null,
          note: null,
        },
        // The source was in the reason; supplier and price only the batch knows.
        {
          movementId: 2,
          source: 'donation',
          supplier: '某帐篷厂',
          unitPriceFen: 132000,
          reason: null,
          note: '爱心企业捐赠',
        },
        // No source in the reason: the batch's.
        {
          movementId: 3,
          source: 'procurement',
          supplier: '某帐篷厂',
          unitPriceFen: 132000,
          reason: null,
          note: null,
        },
        { movementId: 4, source: null, supplier: null, unitPriceFen: null, reason: '防汛', note: null },
      ]);

      // The same column types as the batch's (text, and bigint money on PostgreSQL), and the same bound.
      const tables = await store.db.introspection.getTables();
      const typeOf = (table: string, column: string) =>
        tables.find((t) => t.name === table)!.columns.find((c) => c.name === column)!.dataType;
      for (const column of ['source', 'supplier', 'unit_price_fen'])
        expect([column, typeOf('movements', column)]).toEqual([column, typeOf('batches', column)]);
      await expect(
        sql`update movements set unit_price_fen = -1 where movement_id = 1`.execute(store.db),
      ).rejects.toThrow(/check/i);

      const back = await migrator.migrateDown();
      expect(String(back.error)).toMatch(/0005_receipt_terms cannot be undone: restore a backup/);
    } finally {
      await store.close();
    }
  } finally {
    await empty.drop();
  }
});

test('0010 makes one commit record per imported file a constraint, leaving a pair posted before it alone', async () => {
  const empty = await emptyStore(dir);
  try {
    const store = await openStore(empty.config, { migrate: false });
    try {
      const migrator = store.migrator();
      expect((await migrator.migrateTo('0009_delivery_orders')).error).toBeUndefined();
      const record = (auditId: number, entityId: string) =>
        sql`insert into audit_log (audit_id, at, action, entity_type, entity_id, prev_hash, hash)
            values (${auditId}, '2026-11-30T02:00:00.000Z', 'import.commit', 'import', ${entityId}, '', '')`.execute(
          store.db,
        );
      // The race an earlier version lost: one file posted twice.
      await record(1, 'aa');
      await record(2, 'aa');
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      await record(3, 'bb');
      await expect(record(4, 'bb')).rejects.toThrow(/unique|duplicate/i);
      // The old pair is outside the index (the commit's own check still finds it); anything after is in.
      await record(5, 'aa');
      await expect(record(6, 'aa')).rejects.toThrow(/unique|duplicate/i);
    } finally {
      await store.close();
    }
  } finally {
    await empty.drop();
  }
});
