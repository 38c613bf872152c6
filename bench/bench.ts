/**
 * npm run bench: the figures the closing notes quote. One table; every figure sits next to the
 * raw better-sqlite3 baseline for the same result, measured in the same run, with the peak
 * memory of the scenario.
 *
 * - Write: `stock.receive` (one line) through dispatch() by a signed-in keeper — session, role,
 *   validation, transaction, document number, balances, audit record, output check — against a
 *   raw INSERT of the movement plus the UPDATEs of its two balance rows in one transaction, on a
 *   separate temp file opened with the same pragmas (WAL, synchronous=FULL, foreign keys).
 * - Reads at --scale size (60 depots, 5,000 materials, 200,000 batches, 2,000,000 movements):
 *   generated once into a temp folder, or reused from BENCH_DATA_DIR (generated there when it is
 *   empty and kept). Each through dispatch() with a signed-in coordinator, each against the same
 *   SQL run directly with better-sqlite3 `.all()` on the same connection.
 *
 * Timing: process.hrtime.bigint(), warm-up runs first, p50 over 30 runs (5 for ledger check),
 * global.gc() between scenarios (node --expose-gc). Beside each wall-clock figure, the mean CPU
 * time per run (process.cpuUsage): on a shared machine the wall clock also counts other
 * processes' turns, the CPU time does not. The targets are judged on the wall clock. Peak
 * memory: process RSS and V8 heap used, sampled after every run while its result is referenced.
 *
 * Passwords are hashed with scrypt N=2^14 here instead of 2^17 (createApp security option):
 * sign-ins are set-up, not measured, and the lower cost only shortens it. A database generated
 * elsewhere (e.g. `relief-depot demo --scale`) keeps its own cost, which still verifies.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, DATABASE_FILE, type App } from '../src/main/app';
import { openSqlite } from '../src/main/db/connect';
import { seedDemo, seedScale } from '../src/main/demo';
import type { InputOf, OutputOf, ProcedureName } from '../src/shared/api';
import { benchBrowser, type BrowserFigure } from './browser-bench';

const SECURITY = { scryptN: 2 ** 14 };
const WRITE_CALLS = 2_000;
const WRITE_WARMUP = 100;
const READ_RUNS = 30;
const READ_WARMUP = 3;
const LEDGER_RUNS = 5;

// ---- Measuring ------------------------------------------------------------------------------

class Memory {
  rss = 0;
  heap = 0;
  sample() {
    const m = process.memoryUsage();
    if (m.rss > this.rss) this.rss = m.rss;
    if (m.heapUsed > this.heap) this.heap = m.heapUsed;
  }
}

function collect() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

const msSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

function p50(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** CPU time (user + system) of this process in ms: the machine may be shared, wall time is not all ours. */
const cpuMs = (since?: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

/**
 * Runs `fn` `warmup` times, then `runs` times timed; memory sampled after each (result alive).
 * Returns the wall times and the mean CPU time per run.
 */
async function timeRuns(runs: number, warmup: number, memory: Memory, fn: () => unknown): Promise<{ samples: number[]; cpu: number }> {
  for (let i = 0; i < warmup; i += 1) await fn();
  const samples: number[] = [];
  let cpu = 0;
  for (let i = 0; i < runs; i += 1) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    const result = await fn();
    samples.push(msSince(start));
    cpu += cpuMs(cpuStart);
    memory.sample();
    if (result === undefined) throw new Error('no result');
  }
  return { samples, cpu: cpu / runs };
}

async function call<P extends ProcedureName>(app: App, token: string | undefined, procedure: P, input?: InputOf<P>): Promise<OutputOf<P>> {
  const response = await app.dispatch({ procedure, input, token });
  if (!response.ok) throw new Error(`${procedure}: ${JSON.stringify(response.error)}`);
  return response.result as OutputOf<P>;
}

const login = async (app: App, username: string) => (await call(app, undefined, 'auth.login', { username, password: 'Demo1234' })).token;

// ---- The table ------------------------------------------------------------------------------

interface Row {
  scenario: string;
  dispatch: string;
  raw: string;
  /** dispatch speed as a fraction of the raw library's (raw time / dispatch time). */
  vsRaw: number;
  target: string;
  pass: boolean;
  memory: Memory;
}

const rows: Row[] = [];
const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)) + ' ms';
const fmtMb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const fmtInt = (n: number) => n.toLocaleString('en');

function printTable() {
  const header = ['Scenario', 'dispatch()', 'raw better-sqlite3', 'vs raw', 'Target', 'Result', 'Peak RSS', 'Peak heap'];
  const body = rows.map((r) => [r.scenario, r.dispatch, r.raw, `${r.vsRaw.toFixed(2)}×`, r.target, r.pass ? 'PASS' : 'MISS', fmtMb(r.memory.rss), fmtMb(r.memory.heap)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const numeric = new Set([3, 6, 7]);
  const line = (cells: string[]) => `| ${cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (numeric.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  for (const b of body) console.log(line(b));
}

function printBrowserTable(figures: BrowserFigure[]) {
  const header = ['Browser mode (Chromium, --scale data)', 'p50', 'runs', 'Target', 'Result', 'JS heap'];
  const body = figures.map((f) => [f.scenario, fmtMs(f.p50Ms), String(f.runs), f.target, f.p50Ms <= f.limitMs ? 'PASS' : 'MISS', f.heapMb === null ? '—' : `${f.heapMb} MB`]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
}

// ---- Scenario 1: recording a movement -------------------------------------------------------

async function writeScenario(base: string) {
  collect();
  const memory = new Memory();
  memory.sample();

  // Through dispatch(): a demo database (a city network with six months of history).
  const dir = mkdtempSync(path.join(base, 'relief-depot-bench-write-'));
  const app = await createApp({ dataDir: dir, security: SECURITY, logError: (m, e) => console.error(m, e) });
  await seedDemo(app);
  const keeper = await login(app, 'keeper');
  const city = (await call(app, keeper, 'depot.list', { level: 'city' }))[0]!;
  const material = (await call(app, keeper, 'material.list', { text: '救灾专用单帐篷' })).rows[0]!;
  const receive = () =>
    call(app, keeper, 'stock.receive', {
      depotId: city.depotId,
      source: 'procurement',
      lines: [{ materialId: material.materialId, quantity: 10, lotNo: 'BENCH-0001', producedOn: '2026-01-15', unitPriceFen: 132000 }],
    });
  for (let i = 0; i < WRITE_WARMUP; i += 1) await receive();
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < WRITE_CALLS; i += 1) {
    const t = process.hrtime.bigint();
    await receive();
    latencies.push(msSince(t));
    if (i % 50 === 0) memory.sample();
  }
  const dispatchMs = msSince(started);
  const dispatchCpu = cpuMs(cpuStart) / WRITE_CALLS;
  const check = await call(app, await login(app, 'coordinator'), 'ledger.check');
  if (!check.ok) throw new Error('ledger check failed after the write benchmark');
  await app.close();
  rmSync(dir, { recursive: true, force: true });

  // Raw: the same schema (migrated), the same pragmas, a separate file.
  const rawDir = mkdtempSync(path.join(base, 'relief-depot-bench-raw-'));
  await (await createApp({ dataDir: rawDir, security: SECURITY })).close();
  const sqlite = openSqlite(path.join(rawDir, DATABASE_FILE));
  const at = new Date().toISOString();
  sqlite.exec(`
    insert into users (user_id, username, display_name, role, password_hash, active, created_at, updated_at) values (1, 'keeper', 'keeper', 'keeper', 'x', 1, '${at}', '${at}');
    insert into depots (depot_id, code, name, level, active, created_at, updated_at) values (1, 'QD-SJ', 'city', 'city', 1, '${at}', '${at}');
    insert into materials (material_id, code, name, unit, top_class, warning_days, active, created_at, updated_at) values (1, 'WZ0001', 'tent', '顶', 1, 90, 1, '${at}', '${at}');
    insert into batches (batch_id, depot_id, material_id, lot_no, source, created_at) values (1, 1, 1, 'BENCH-0001', 'procurement', '${at}');
    insert into batch_balances (batch_id, depot_id, material_id, on_hand) values (1, 1, 1, 0);
    insert into stock_levels (depot_id, material_id, on_hand, reserved) values (1, 1, 0, 0);
  `);
  const insertMovement = sqlite.prepare(
    `insert into movements (doc_no, type, depot_id, material_id, batch_id, quantity, occurred_at, user_id, reason)
      values (?, 'receipt', 1, 1, 1, 10, ?, 1, 'procurement')`,
  );
  const updateBatch = sqlite.prepare('update batch_balances set on_hand = on_hand + 10 where batch_id = 1');
  const updateLevel = sqlite.prepare('update stock_levels set on_hand = on_hand + 10 where depot_id = 1 and material_id = 1');
  let seq = 0;
  const record = sqlite.transaction(() => {
    seq += 1;
    insertMovement.run(`RK-20261130-${String(seq).padStart(4, '0')}`, new Date().toISOString());
    updateBatch.run();
    updateLevel.run();
  });
  for (let i = 0; i < WRITE_WARMUP; i += 1) record();
  const rawStarted = process.hrtime.bigint();
  const rawCpuStart = process.cpuUsage();
  for (let i = 0; i < WRITE_CALLS; i += 1) {
    record();
    if (i % 50 === 0) memory.sample();
  }
  const rawMs = msSince(rawStarted);
  const rawCpu = cpuMs(rawCpuStart) / WRITE_CALLS;
  sqlite.close();
  rmSync(rawDir, { recursive: true, force: true });

  const rate = (WRITE_CALLS / dispatchMs) * 1000;
  const rawRate = (WRITE_CALLS / rawMs) * 1000;
  rows.push({
    scenario: `stock.receive, 1 line, keeper (${fmtInt(WRITE_CALLS)} calls)`,
    dispatch: `${fmtInt(Math.round(rate))} mv/s · p50 ${fmtMs(p50(latencies))} · cpu ${fmtMs(dispatchCpu)}`,
    raw: `${fmtInt(Math.round(rawRate))} mv/s · cpu ${fmtMs(rawCpu)} (INSERT + 2 UPDATE, 1 txn)`,
    vsRaw: rate / rawRate,
    target: '≥ 0.5× raw',
    pass: rate / rawRate >= 0.5,
    memory,
  });
}

// ---- Scenario 2: reads at --scale size ------------------------------------------------------

async function scaleDatabase(base: string): Promise<{ dir: string; keep: boolean; generatedMs: number | null }> {
  const given = process.env.BENCH_DATA_DIR;
  const dir = given ? path.resolve(given) : mkdtempSync(path.join(base, 'relief-depot-bench-scale-'));
  if (given && existsSync(path.join(dir, DATABASE_FILE))) {
    const sqlite = openSqlite(path.join(dir, DATABASE_FILE), { readonly: true });
    const n = (sqlite.prepare('select count(*) as n from movements').get() as { n: number }).n;
    sqlite.close();
    if (n < 1_000_000) throw new Error(`BENCH_DATA_DIR ${dir} holds a database with ${fmtInt(n)} movements, not a --scale one`);
    console.log(`Reusing the --scale database in ${dir} (${fmtInt(n)} movements).`);
    return { dir, keep: true, generatedMs: null };
  }
  if (given) {
    mkdirSync(dir, { recursive: true });
    if (readdirSync(dir).length > 0) throw new Error(`BENCH_DATA_DIR ${dir} is neither empty nor a relief-depot data folder`);
  }
  console.log(`Generating the --scale database in ${dir}${given ? ' (kept for the next run)' : ' (set BENCH_DATA_DIR to keep and reuse it)'} …`);
  collect();
  const memory = new Memory();
  const app = await createApp({ dataDir: dir, security: SECURITY });
  const started = process.hrtime.bigint();
  const summary = await seedScale(app, {
    onProgress: (m) => {
      memory.sample();
      console.log(`  ${m}`);
    },
  });
  const generatedMs = msSince(started);
  await app.close();
  console.log(
    `Generated in ${(generatedMs / 1000).toFixed(1)} s: ${fmtInt(summary.movements)} movements, ${fmtInt(summary.batches)} batches, ` +
      `${fmtInt(summary.stockCells)} stock cells; peak RSS ${fmtMb(memory.rss)}, heap ${fmtMb(memory.heap)}.`,
  );
  return { dir, keep: Boolean(given), generatedMs };
}

interface ReadScenario {
  name: string;
  target: string;
  limitMs: number;
  runs: number;
  warmup: number;
  dispatch: () => Promise<unknown>;
  raw: () => unknown;
  /** What one dispatch result holds, for the table (checked against the raw result). */
  size: (result: unknown) => number;
  rawSize: (result: unknown) => number;
}

async function readScenarios(dir: string) {
  const app = await createApp({ dataDir: dir, security: SECURITY, logError: (m, e) => console.error(m, e) });
  const token = await login(app, 'coordinator');
  const sqlite = app.sqlite;
  const depot = (sqlite.prepare("select depot_id as id from depots where level = 'district' order by depot_id limit 1").get() as { id: number }).id;

  const cityTotalsSql = sqlite.prepare(`
    select sl.material_id, m.code as material_code, m.name as material_name, m.spec, m.unit, m.category,
      sum(sl.on_hand) as on_hand, sum(sl.reserved) as reserved
    from stock_levels as sl inner join materials as m on m.material_id = sl.material_id
    group by sl.material_id having (sum(sl.on_hand) > 0 or sum(sl.reserved) > 0)
    order by sl.material_id limit ?`);
  const matrixSql = [
    sqlite.prepare('select depot_id, code, name, level from depots where active = 1 order by depot_id'),
    sqlite.prepare('select material_id, code, name, unit from materials where active = 1 order by material_id'),
    sqlite.prepare('select material_id, depot_id, on_hand, reserved from stock_levels where (on_hand > 0 or reserved > 0)'),
  ];
  const depotPageSql = sqlite.prepare(`
    select sl.depot_id, d.code as depot_code, d.name as depot_name, sl.material_id, m.code as material_code, m.name as material_name,
      m.spec, m.unit, m.category, sl.on_hand, sl.reserved, q.quantity as quota
    from stock_levels as sl
      inner join materials as m on m.material_id = sl.material_id
      inner join depots as d on d.depot_id = sl.depot_id
      left join quotas as q on q.depot_id = sl.depot_id and q.material_id = sl.material_id
    where sl.depot_id = ? and (sl.on_hand > 0 or sl.reserved > 0)
    order by sl.material_id, sl.depot_id limit ?`);
  const movementColumns = `
    select mv.movement_id, mv.doc_no, mv.type, mv.depot_id, d.name as depot_name, mv.material_id, m.code as material_code,
      m.name as material_name, m.unit, mv.batch_id, b.lot_no, b.expires_on, mv.quantity, mv.occurred_at, mv.user_id,
      u.display_name as user_name, mv.counterpart_depot_id, mv.reverses_movement_id, o.doc_no as reverses_doc_no,
      r.movement_id as reversed_by, r.doc_no as reversed_by_doc_no, mv.expired_override, mv.recipient, mv.reason, mv.note
    from movements as mv
      inner join depots as d on d.depot_id = mv.depot_id
      inner join materials as m on m.material_id = mv.material_id
      inner join batches as b on b.batch_id = mv.batch_id
      inner join users as u on u.user_id = mv.user_id
      left join movements as r on r.reverses_movement_id = mv.movement_id
      left join movements as o on o.movement_id = mv.reverses_movement_id`;
  const movementsSql = sqlite.prepare(`${movementColumns} order by mv.movement_id desc limit ?`);
  const movementsDepotSql = sqlite.prepare(`${movementColumns} where mv.depot_id = ? order by mv.movement_id desc limit ?`);
  const ledgerSql = [
    sqlite.prepare('select batch_id, sum(quantity) as total, count(*) as n from movements group by batch_id'),
    sqlite.prepare('select batch_id, depot_id, material_id from batches'),
    sqlite.prepare('select batch_id, depot_id, material_id, on_hand from batch_balances'),
    sqlite.prepare('select depot_id, material_id, on_hand, reserved from stock_levels'),
    sqlite.prepare("select depot_id, material_id, sum(quantity) as total from reservations where status = 'active' group by depot_id, material_id"),
  ];

  const pageRows = (r: unknown) => (r as { rows: unknown[] }).rows.length;
  const balanceRowCount = (r: unknown) => (r as OutputOf<'stock.balances'>).rows.materialId.length;
  const arrayRows = (r: unknown) => (r as unknown[]).length;
  const scenarios: ReadScenario[] = [
    {
      name: 'city totals per material (stock.balances groupBy material)',
      target: 'p50 ≤ 50 ms',
      limitMs: 50,
      runs: READ_RUNS,
      warmup: READ_WARMUP,
      dispatch: () => call(app, token, 'stock.balances', { groupBy: 'material', limit: 10_000 }),
      raw: () => cityTotalsSql.all(10_001),
      size: balanceRowCount,
      rawSize: arrayRows,
    },
    {
      name: 'material × depot matrix (stock.matrix)',
      target: 'p50 ≤ 300 ms',
      limitMs: 300,
      runs: READ_RUNS,
      warmup: READ_WARMUP,
      dispatch: () => call(app, token, 'stock.matrix', {}),
      raw: () => matrixSql.map((s) => s.all()),
      size: (r) => (r as OutputOf<'stock.matrix'>).cells.depotId.length,
      rawSize: (r) => (r as unknown[][])[2]!.length,
    },
    {
      name: "one depot's balances, first page (limit 200)",
      target: 'p50 ≤ 5 ms',
      limitMs: 5,
      runs: READ_RUNS,
      warmup: READ_WARMUP,
      dispatch: () => call(app, token, 'stock.balances', { depotId: depot, limit: 200 }),
      raw: () => depotPageSql.all(depot, 201),
      size: balanceRowCount,
      rawSize: (r) => Math.min(200, arrayRows(r)),
    },
    {
      name: 'movement history, first page (limit 200)',
      target: 'p50 ≤ 5 ms',
      limitMs: 5,
      runs: READ_RUNS,
      warmup: READ_WARMUP,
      dispatch: () => call(app, token, 'stock.movements', { limit: 200 }),
      raw: () => movementsSql.all(201),
      size: pageRows,
      rawSize: (r) => Math.min(200, arrayRows(r)),
    },
    {
      name: 'movement history of one depot (limit 200)',
      target: 'p50 ≤ 5 ms',
      limitMs: 5,
      runs: READ_RUNS,
      warmup: READ_WARMUP,
      dispatch: () => call(app, token, 'stock.movements', { depotId: depot, limit: 200 }),
      raw: () => movementsDepotSql.all(depot, 201),
      size: pageRows,
      rawSize: (r) => Math.min(200, arrayRows(r)),
    },
    {
      name: 'ledger check (ledger.check)',
      target: '≤ 10 s',
      limitMs: 10_000,
      runs: LEDGER_RUNS,
      warmup: 1,
      dispatch: async () => {
        const result = await call(app, token, 'ledger.check');
        if (!result.ok) throw new Error('ledger check reports differences');
        return result;
      },
      raw: () => ledgerSql.map((s) => s.all()),
      size: (r) => (r as OutputOf<'ledger.check'>).movements,
      rawSize: (r) => ((r as { n: number }[][])[0]!).reduce((sum, row) => sum + row.n, 0),
    },
  ];

  for (const s of scenarios) {
    collect();
    const memory = new Memory();
    memory.sample();
    let size = 0;
    const dispatchRuns = await timeRuns(s.runs, s.warmup, memory, async () => {
      const result = await s.dispatch();
      size = s.size(result);
      return result;
    });
    let rawSize = 0;
    const rawRuns = await timeRuns(s.runs, s.warmup, memory, () => {
      const result = s.raw();
      rawSize = s.rawSize(result);
      return result;
    });
    if (size !== rawSize) throw new Error(`${s.name}: dispatch returned ${size} rows, the raw query ${rawSize}`);
    const d = p50(dispatchRuns.samples);
    const r = p50(rawRuns.samples);
    const unit = s.name.startsWith('ledger') ? 'movements' : s.name.includes('matrix') ? 'cells' : 'rows';
    rows.push({
      scenario: `${s.name}: ${fmtInt(size)} ${unit}`,
      dispatch: `p50 ${fmtMs(d)} · cpu ${fmtMs(dispatchRuns.cpu)}`,
      raw: `p50 ${fmtMs(r)} · cpu ${fmtMs(rawRuns.cpu)}`,
      vsRaw: r / d,
      target: s.target,
      pass: d <= s.limitMs,
      memory,
    });
  }
  await app.close();
}

// ---- Main -----------------------------------------------------------------------------------

async function main() {
  const base = os.tmpdir();
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`Relief Depot benchmark — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, temp files in ${base}`);
  console.log(`Load average at start: ${load()}${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for gc between scenarios)'}`);

  await writeScenario(base);
  const scale = await scaleDatabase(base);
  const size = statSync(path.join(scale.dir, DATABASE_FILE)).size;
  await readScenarios(scale.dir);
  const browser = await benchBrowser(scale.dir, { username: 'admin', password: 'Demo1234' });
  if (!scale.keep) rmSync(scale.dir, { recursive: true, force: true });

  console.log('');
  if (scale.generatedMs !== null) console.log(`--scale generation: ${(scale.generatedMs / 1000).toFixed(1)} s (database ${fmtMb(size)})`);
  else console.log(`--scale database reused (${fmtMb(size)})`);
  console.log(`Load average at end: ${load()}`);
  console.log('');
  printTable();
  console.log('');
  printBrowserTable(browser);
  const missed = rows.filter((r) => !r.pass).length + browser.filter((f) => f.p50Ms > f.limitMs).length;
  console.log('');
  console.log(missed === 0 ? 'All targets met.' : `${missed} target(s) missed.`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
