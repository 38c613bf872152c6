/** Migrations: the static index matches the folder, and a fresh database migrates to the latest. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator, NO_MIGRATIONS } from 'kysely/migration';
import { migrations } from '../../migrations';
import { createApp } from '../../src/main/app';
import { openSqlite } from '../../src/main/db/connect';
import { latestMigrationName, migrateToLatest } from '../../src/main/db/migrate';
import { createTestEnv, createWorld } from './harness';

const FOLDER = path.join(__dirname, '../../migrations');
const CORE_TABLES = [
  'audit_log', 'batch_balances', 'batches', 'depots', 'doc_sequences', 'materials', 'movements', 'quotas', 'reservations',
  'sessions', 'settings', 'stock_levels', 'stocktake_lines', 'stocktakes', 'user_depots', 'users',
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'relief-depot-migrations-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function tables(sqlite: ReturnType<typeof openSqlite>): string[] {
  const rows = sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name").all() as { name: string }[];
  return rows.map((r) => r.name);
}

test('migrations/index.ts lists exactly the files in migrations/, in order', async () => {
  const files = readdirSync(FOLDER).filter((f) => f !== 'index.ts');
  expect(files.length).toBeGreaterThan(0);
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

test('a fresh database migrates to the latest, with its pragmas; running again changes nothing', async () => {
  const sqlite = openSqlite(path.join(dir, 'fresh.sqlite'));
  try {
    const first = await migrateToLatest(sqlite);
    expect(first.results?.map((r) => [r.migrationName, r.status])).toEqual(Object.keys(migrations).map((n) => [n, 'Success']));
    expect(tables(sqlite)).toEqual(expect.arrayContaining(CORE_TABLES));
    const applied = sqlite.prepare('select name from kysely_migration order by name').all() as { name: string }[];
    expect(applied.map((r) => r.name)).toEqual(Object.keys(migrations));
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    const again = await migrateToLatest(sqlite);
    expect(again.results).toEqual([]);
  } finally {
    sqlite.close();
  }
});

test('every migration can be undone, down to an empty database', async () => {
  const sqlite = openSqlite(path.join(dir, 'down.sqlite'));
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(sqlite);
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const down = await migrator.migrateTo(NO_MIGRATIONS);
    expect(down.error).toBeUndefined();
    expect(tables(sqlite)).toEqual([]);
  } finally {
    await db.destroy();
  }
});

test('reopening a data folder keeps its data', async () => {
  const env = await createTestEnv();
  const w = await createWorld(env);
  await env.call(w.admin.token, 'stock.receive', { depotId: w.city.depotId, source: 'opening', lines: [{ materialId: w.tent.materialId, quantity: 7, lotNo: 'A' }] });
  await env.app.close();
  const reopened = await createApp({ dataDir: env.dir, clock: env.clock, security: { scryptN: 2 ** 10 }, logError: () => undefined });
  try {
    const login = await reopened.dispatch({ procedure: 'auth.login', input: { username: 'admin1', password: 'Passw0rd!' } });
    expect(login.ok).toBe(true);
    const token = (login as { result: { token: string } }).result.token;
    const balances = await reopened.dispatch({ procedure: 'stock.balances', input: {}, token });
    expect(balances).toMatchObject({ ok: true, result: { rows: { onHand: [7] } } });
  } finally {
    await reopened.close();
    rmSync(env.dir, { recursive: true, force: true });
  }
});
