import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import * as XLSX from 'xlsx';
import { main } from '../../src/main/cli-commands';
import { openStore, type StoreConfig } from '../../src/main/db/store';
import { createTestEnv, createWorld, PASSWORD, pgServer, type TestEnv } from './harness';

/** Runs a CLI command in-process and captures what it prints. */
async function cli(args: string[], password = '') {
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const err = jest
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  try {
    const code = await main([...args, '--lang', 'en'], { readPassword: async () => password });
    return { code, output: out.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

/** How the CLI finds a test's store: its data folder, or `--database URL` (the scratch folder holding its anchors). */
function storeArgs(config: StoreConfig): string[] {
  return config.kind === 'sqlite'
    ? ['--data', path.dirname(config.file)]
    : ['--database', config.url, '--data', scratch];
}

let scratch: string;
let env: TestEnv;
beforeEach(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'relief-depot-cli-'));
  // A store with a little stock in it; the CLI opens it beside the test's own connection.
  env = await createTestEnv();
  const w = await createWorld(env);
  await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.tent.materialId, quantity: 40, lotNo: 'T-1' }],
  });
});
afterEach(async () => {
  await env.close();
  rmSync(scratch, { recursive: true, force: true });
});

test('check passes on a consistent store and fails, naming the difference, when a balance is tampered with', async () => {
  const good = await cli(['check', ...storeArgs(env.store)]);
  expect(good.output).toContain('Ledger check passed: 1 movements');
  expect(good.output).toContain('Audit chain intact');
  expect(good.output).toContain('Store integrity check passed');
  expect(good.output).toContain(
    env.store.kind === 'sqlite' ? 'SQLite integrity_check' : 'PostgreSQL: every constraint validated',
  );
  expect(good.code).toBe(0);

  await sql`update batch_balances set on_hand = on_hand + 1`.execute(env.app.db);
  const bad = await cli(['check', ...storeArgs(env.store)]);
  expect(bad.code).toBe(1);
  expect(bad.output).toContain('Ledger check found');
  expect(bad.output).toContain('"maintained":"41","recomputed":"40"');
});

test('check reports a broken audit chain', async () => {
  await sql`update audit_log set action = 'forged' where audit_id = 2`.execute(env.app.db);
  const result = await cli(['check', ...storeArgs(env.store)]);
  expect(result.code).toBe(1);
  expect(result.output).toContain('Audit chain broken at record 2');
});

/** The movements in a backup: the SQLite copy opened as it is, or a pg_dump archive restored into a new database. */
async function movementsInBackup(file: string): Promise<number> {
  if (env.store.kind === 'sqlite') {
    const copy = await openStore({ kind: 'sqlite', file }, { migrate: false });
    try {
      return Number(
        (await sql<{ n: number }>`select count(*) as n from movements`.execute(copy.db)).rows[0]!.n,
      );
    } finally {
      await copy.close();
    }
  }
  expect(readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP'); // pg_dump's custom format
  const server = pgServer();
  const name = `restored_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: `${server.url}/postgres` });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
    const restore = spawnSync(
      path.join(server.bin, 'pg_restore'),
      ['--no-owner', `--dbname=${server.url}/${name}`, file],
      { encoding: 'utf8' },
    );
    expect(restore.stderr).toBe('');
    const restored = new pg.Client({ connectionString: `${server.url}/${name}` });
    await restored.connect();
    try {
      return Number((await restored.query<{ n: string }>('select count(*) as n from movements')).rows[0]!.n);
    } finally {
      await restored.end();
    }
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

test('backup copies the live store, checks the copy, and never overwrites', async () => {
  const target = path.join(scratch, env.store.kind === 'sqlite' ? 'copy.sqlite' : 'copy.dump');
  const first = await cli(['backup', target, ...storeArgs(env.store)]);
  expect(first.output).toContain('the copy passed the integrity check');
  expect(first.code).toBe(0);
  expect(await movementsInBackup(target)).toBe(1);
  const again = await cli(['backup', target, ...storeArgs(env.store)]);
  expect(again.code).toBe(1);
  expect(again.output).toContain('already exists');
});

test('check and backup refuse a folder without a database; unknown commands print the usage', async () => {
  expect((await cli(['check', '--data', scratch])).code).toBe(1);
  expect((await cli(['backup', path.join(scratch, 'x.sqlite'), '--data', scratch])).output).toContain(
    'No database',
  );
  expect(existsSync(path.join(scratch, 'x.sqlite'))).toBe(false);
  const unknown = await cli(['frobnicate']);
  expect(unknown.code).toBe(2);
  expect(unknown.output).toContain('Usage: relief-depot');
  expect(unknown.output).toContain('transfer-data --to postgres://');
});

test('export writes the inventory workbook (English headers with --lang en); a bad report, a missing --out or an unknown depot code writes nothing', async () => {
  const out = path.join(scratch, 'inventory.xlsx');
  const done = await cli(['export', 'inventory', '--out', out, ...storeArgs(env.store)]);
  expect(done.code).toBe(0);
  expect(done.output).toContain(`Exported ${out} (1 + 1 rows)`);
  const wb = XLSX.readFile(out);
  expect(wb.SheetNames).toEqual(['Inventory', 'Lots', 'About']);
  const about = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets['About']!, { header: 1 });
  expect(about[2]).toEqual(['Exported by', expect.stringMatching(/ \(command line\)$/)]);

  const warnings = await cli([
    'export',
    'warnings',
    '--out',
    path.join(scratch, 'w.xlsx'),
    ...storeArgs(env.store),
  ]);
  expect(warnings.code).toBe(0);
  expect(XLSX.readFile(path.join(scratch, 'w.xlsx')).SheetNames).toEqual([
    'Stock warnings',
    'Late deliveries',
    'About',
  ]);
  const noIncident = await cli([
    'export',
    'deliveries',
    '--incident',
    '999',
    '--out',
    path.join(scratch, 'b.xlsx'),
    ...storeArgs(env.store),
  ]);
  expect(noIncident.code).toBe(1);
  expect(noIncident.output).toContain('999');

  for (const args of [
    ['export', 'nonsense', '--out', path.join(scratch, 'a.xlsx')],
    ['export', 'inventory'],
    ['export', 'allocations', '--incident', 'typhoon', '--out', path.join(scratch, 'a.xlsx')],
  ]) {
    const refused = await cli([...args, ...storeArgs(env.store)]);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain(
      'Usage: relief-depot export inventory|movements|allocations|deliveries|warnings|stocktake --out FILE.xlsx',
    );
  }
  const unknown = await cli([
    'export',
    'inventory',
    '--out',
    path.join(scratch, 'b.xlsx'),
    '--depot',
    'QD-XX',
    ...storeArgs(env.store),
  ]);
  expect(unknown.code).toBe(1);
  expect(unknown.output).toContain('No depot has the code QD-XX');
  expect(existsSync(path.join(scratch, 'a.xlsx')) || existsSync(path.join(scratch, 'b.xlsx'))).toBe(false);
  // A folder that is not there: a clear refusal, not a crash.
  const nowhere = await cli([
    'export',
    'inventory',
    '--out',
    path.join(scratch, 'no', 'such', 'x.xlsx'),
    ...storeArgs(env.store),
  ]);
  expect(nowhere.code).toBe(1);
  expect(nowhere.output).toContain('Cannot write');
  expect(nowhere.output).toContain('(ENOENT)');
});

test('import previews as a table or JSON, commits all or nothing, and exits 1 when anything is refused', async () => {
  const file = path.join(scratch, '期初.xlsx');
  const sheet = (rows: unknown[][]) => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '库存');
    XLSX.writeFile(wb, file);
  };
  sheet([
    ['品名', '单位', '数量'],
    ['棉被', '床', '1,500'],
    ['救生衣', '件', 'x'],
  ]);
  const args = ['import', 'opening-stock', file, '--depot', 'QD-SN', ...storeArgs(env.store)];
  const table = await cli(args);
  expect(table.code).toBe(1);
  expect(table.output).toContain('2\tready\tM0002 棉被 床\t1,500');
  expect(table.output).toContain('3\twrong\t');
  expect(table.output).toContain('Quantity "x" is not a whole number above zero');
  expect(table.output).toContain('nothing was written');

  const json = await cli([...args, '--json']);
  const preview = JSON.parse(json.output) as {
    mapping: unknown;
    rows: { row: number; status: string }[];
    errors: unknown[];
  };
  expect(preview.mapping).toEqual({
    name: { column: 'A', header: '品名' },
    unit: { column: 'B', header: '单位' },
    quantity: { column: 'C', header: '数量' },
  });
  expect(preview.rows.map((r) => [r.row, r.status])).toEqual([
    [2, 'ok'],
    [3, 'error'],
  ]);
  expect(preview.errors).toEqual([
    { row: 3, field: 'quantity', reason: 'Quantity "x" is not a whole number above zero' },
  ]);

  const refused = await cli([...args, '--commit']);
  expect(refused.code).toBe(1);
  expect(refused.output).toContain('Row 3: Quantity "x"');
  sheet([
    ['品名', '单位', '数量'],
    ['棉被', '床', '1,500'],
  ]);
  const committed = await cli([...args, '--commit']);
  expect(committed.code).toBe(0);
  expect(committed.output).toMatch(/^Imported: receipts RK-\d{8}-\d+/);
  const store = await openStore(env.store);
  try {
    const level = await store.db
      .selectFrom('stockLevels as sl')
      .innerJoin('depots as d', 'd.depotId', 'sl.depotId')
      .select('sl.onHand')
      .where('d.code', '=', 'QD-SN')
      .executeTakeFirstOrThrow();
    expect(level.onHand).toBe(1500);
  } finally {
    await store.close();
  }
  expect((await cli(['import', 'nonsense', file, ...storeArgs(env.store)])).code).toBe(2);
});

describe('user commands at the machine', () => {
  test('add-admin creates an administrator who can sign in; the write is audited without a signed-in user', async () => {
    const added = await cli(
      ['user', 'add-admin', 'rescue', '--display-name', '应急管理员', ...storeArgs(env.store)],
      'Rescue-2026',
    );
    expect(added).toEqual({ code: 0, output: 'Administrator rescue added' });
    const login = await env.call(undefined, 'auth.login', { username: 'rescue', password: 'Rescue-2026' });
    expect(login.user).toMatchObject({ username: 'rescue', displayName: '应急管理员', role: 'admin' });
    const record = await env.app.db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'user.create')
      .orderBy('auditId', 'desc')
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({ userId: null, entityId: String(login.user.userId) });
  });

  test('add-admin refuses a weak password or a taken name, naming the field, and adds nobody', async () => {
    const users = await env.app.db.selectFrom('users').select('userId').execute();
    const weak = await cli(['user', 'add-admin', 'rescue', ...storeArgs(env.store)], 'short');
    expect(weak.code).toBe(1);
    expect(weak.output).toMatch(/^password: /);
    const taken = await cli(['user', 'add-admin', 'admin1', ...storeArgs(env.store)], 'Rescue-2026');
    expect(taken).toEqual({ code: 1, output: 'User name "admin1" is already used' });
    expect(await env.app.db.selectFrom('users').select('userId').execute()).toEqual(users);
  });

  test('reset-password lets a throttled user in at once with the new password and ends their sessions', async () => {
    const before = await env.call(undefined, 'auth.login', { username: 'keeper2', password: PASSWORD });
    // Six guesses take the turns of the next 14 seconds: a seventh would wait past 10 s.
    for (let i = 0; i < 6; i++)
      await env.raw({ procedure: 'auth.login', input: { username: 'keeper2', password: 'Wrong-passw0rd' } });
    expect((await env.fail(undefined, 'auth.login', { username: 'keeper2', password: PASSWORD })).code).toBe(
      'RATE_LIMITED',
    );
    const reset = await cli(['user', 'reset-password', 'keeper2', ...storeArgs(env.store)], 'Fresh-2026');
    expect(reset.code).toBe(0);
    expect((await env.fail(before.token, 'auth.me')).code).toBe('UNAUTHENTICATED');
    expect(
      (await env.call(undefined, 'auth.login', { username: 'keeper2', password: 'Fresh-2026' })).user
        .username,
    ).toBe('keeper2');
    expect(await cli(['user', 'reset-password', 'nobody', ...storeArgs(env.store)], 'Fresh-2026')).toEqual({
      code: 1,
      output: 'No user nobody',
    });
    expect((await cli(['user', 'remove', 'keeper2', ...storeArgs(env.store)])).code).toBe(2);
  });
});
