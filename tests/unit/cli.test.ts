import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/main/cli-commands';
import { createApp } from '../../src/main/app';
import { openSqlite } from '../../src/main/db/connect';
import { createTestEnv, createWorld } from './harness';

/** Runs a CLI command in-process and captures what it prints. */
async function cli(args: string[]) {
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const err = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  try {
    const code = await main([...args, '--lang', 'en']);
    return { code, output: out.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'relief-depot-cli-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

/** A store with a little stock in it, closed so the CLI can open it. */
async function storeWithStock(): Promise<string> {
  const env = await createTestEnv();
  const w = await createWorld(env);
  await env.call(w.keeper.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.tent.materialId, quantity: 40, lotNo: 'T-1' }],
  });
  await env.app.close();
  return env.dir;
}

test('check passes on a consistent store and fails, naming the difference, when a balance is tampered with', async () => {
  const dir = await storeWithStock();
  try {
    const good = await cli(['check', '--data', dir]);
    expect(good.code).toBe(0);
    expect(good.output).toContain('Ledger check passed: 1 movements');
    expect(good.output).toContain('Audit chain intact');
    expect(good.output).toContain('SQLite integrity check passed');

    const app = await createApp({ dataDir: dir });
    app.sqlite.prepare('update batch_balances set on_hand = on_hand + 1').run();
    await app.close();
    const bad = await cli(['check', '--data', dir]);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('Ledger check found');
    expect(bad.output).toContain('"maintained":41,"recomputed":40');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check reports a broken audit chain', async () => {
  const dir = await storeWithStock();
  try {
    const app = await createApp({ dataDir: dir });
    app.sqlite.prepare("update audit_log set action = 'forged' where audit_id = 2").run();
    await app.close();
    const result = await cli(['check', '--data', dir]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('Audit chain broken at record 2');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('backup copies the live store, checks the copy, and never overwrites', async () => {
  const dir = await storeWithStock();
  try {
    const target = path.join(scratch, 'copy.sqlite');
    const first = await cli(['backup', target, '--data', dir]);
    expect(first.code).toBe(0);
    expect(first.output).toContain('the copy passed the integrity check');
    const copy = openSqlite(target, { readonly: true });
    expect(copy.prepare('select count(*) as n from movements').get()).toEqual({ n: 1 });
    copy.close();
    const again = await cli(['backup', target, '--data', dir]);
    expect(again.code).toBe(1);
    expect(again.output).toContain('already exists');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check and backup refuse a folder without a database; unknown commands print the usage', async () => {
  expect((await cli(['check', '--data', scratch])).code).toBe(1);
  expect((await cli(['backup', path.join(scratch, 'x.sqlite'), '--data', scratch])).output).toContain('No database');
  expect(existsSync(path.join(scratch, 'x.sqlite'))).toBe(false);
  const unknown = await cli(['frobnicate']);
  expect(unknown.code).toBe(2);
  expect(unknown.output).toContain('Usage: relief-depot');
});
