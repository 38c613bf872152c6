/**
 * npm run bench: the figures the closing notes quote, in one run on the same data, for both
 * stores: the embedded SQLite file and a PostgreSQL server. Every figure sits next to the raw
 * driver's baseline for the same work on the same store, measured in the same run.
 *
 * - The --scale data set (60 depots, 5,000 materials, 200,000 batches, 2,000,000 movements) is
 *   generated into SQLite once (or reused from BENCH_DATA_DIR, generated there when it is empty
 *   and kept), then copied with copyStore (what `relief-depot transfer-data` runs) into a
 *   throwaway PostgreSQL server the bench starts itself (tests/pg/server.ts: initdb + pg_ctl in
 *   a temp folder on the same disk as the SQLite files, with durable commits: fsync on,
 *   synchronous_commit on, full_page_writes on, like synchronous=FULL on the SQLite side).
 * - Reads at --scale size, each through dispatch() with a signed-in coordinator and as the same
 *   SQL run directly by the driver (better-sqlite3 `.all()`; `pg` client.query), on SQLite and on
 *   PostgreSQL side by side, with the ratio PostgreSQL / SQLite of the dispatch p50.
 * - Writes: `stock.receive` (one line, each writer its own lot) through dispatch() — session,
 *   role, validation, transaction, document number, balances, audit record, output check — by 1
 *   and by 4 writer OS processes at once (bench/write-worker.ts, forked; not Promise.all in one
 *   process), on a demo database (SQLite, and its PostgreSQL copy), against the raw driver's
 *   insert-and-commit of one row per transaction into a scratch table of the same database, by
 *   as many processes.
 * - CPU time per receipt, one writer: process.cpuUsage (user + system) of the writer process over
 *   its calls, divided by the calls — through dispatch(), for the raw insert-and-commit, and for a
 *   receipt's raw statements (the movement INSERT and its two balance UPDATEs in one
 *   transaction). On PostgreSQL also the server's CPU per receipt (its processes, from /proc).
 *
 * Timing: process.hrtime.bigint(), warm-up runs first, p50 over 30 runs (5 for ledger check),
 * global.gc() between scenarios (node --expose-gc). Beside each wall-clock figure, the mean CPU
 * time per run of this process (on a shared machine the wall clock also counts other processes'
 * turns; on PostgreSQL it also counts the server's work, the client CPU does not). The targets
 * are judged on the wall clock. Peak memory: this process's RSS and V8 heap used, sampled after
 * every read run while its result is referenced.
 *
 * Passwords are hashed with scrypt N=2^14 here instead of 2^17 (createApp security option):
 * sign-ins are set-up, not measured, and the lower cost only shortens it. A database generated
 * elsewhere (e.g. `relief-depot demo --scale`) keeps its own cost, which still verifies.
 */
import { execFileSync, fork } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type pg from 'pg';
import { createApp, type App } from '../src/main/app';
import { openPostgresPool } from '../src/main/db/postgres';
import { openSqliteFile } from '../src/main/db/sqlite';
import { DATABASE_FILE, openStore, type StoreConfig } from '../src/main/db/store';
import { copyStore, type TransferSummary } from '../src/main/db/transfer';
import { seedDemo, seedScale } from '../src/main/demo';
import { checkLedger } from '../src/main/services/ledger-check.service';
import { verifyCoverage } from '../src/main/services/ledger-seal';
import { verifyAudit } from '../src/main/services/audit.service';
import type { OutputOf } from '../src/shared/api';
import { startPgServer, stopPgServer, type PgServer } from '../tests/pg/server';
import { allocationScenarios, type AllocationFigure } from './allocation-bench';
import { benchBoard, benchBrowser, type BrowserFigure } from './browser-bench';
import {
  exportMisses,
  exportScenarios,
  HEAP_CAP_MB,
  IMPORT_LIMIT_MS,
  importMisses,
  importScenario,
  MEMORY_GROWTH_LIMIT,
  TIME_RATIO_LIMIT,
  type ExportFigure,
  type ImportFigure,
} from './excel-bench';
import { call, login } from './rpc';
import {
  SCRATCH_TABLE,
  type FromWorker,
  type ToWorker,
  type WriterMode,
  type WriterReport,
  type WriterTask,
} from './write-protocol';

const SECURITY = { scryptN: 2 ** 14 };
/** Receipts per write configuration, shared among its writer processes. */
const WRITE_CALLS = 2_000;
/** Unmeasured calls per writer process before the start signal. */
const WRITE_WARMUP = 50;
const WRITER_COUNTS = [1, 4] as const;
const READ_RUNS = 30;
const READ_WARMUP = 3;
const LEDGER_RUNS = 5;
/** The issue's target for the CPU time of one receipt through dispatch(). */
const CPU_TARGET_MS = 0.6;
/**
 * The bench server: durable commits (the test server's fsync=off etc. switched back on) and the
 * memory a small city server would give it.
 */
const PG_SETTINGS = [
  'fsync=on',
  'synchronous_commit=on',
  'full_page_writes=on',
  'shared_buffers=1GB',
  'effective_cache_size=4GB',
  'work_mem=32MB',
  'maintenance_work_mem=256MB',
  'max_wal_size=4GB',
];

type Kind = 'sqlite' | 'postgres';
const KINDS: readonly Kind[] = ['sqlite', 'postgres'];
const STORE_NAME: Record<Kind, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

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
async function timeRuns(
  runs: number,
  warmup: number,
  memory: Memory,
  fn: () => unknown,
): Promise<{ samples: number[]; cpu: number }> {
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

/** CPU time used so far by a PostgreSQL server: the postmaster, its live children and those it has reaped (ms). */
function pgServerCpuMs(server: PgServer): number {
  const tick = 1000 / clockTicks();
  const stat = (pid: number | string) => {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      // After the name: state ppid … utime(14) stime(15) cutime(16) cstime(17), 1-based fields of stat(5).
      return {
        ppid: Number(f[1]),
        own: Number(f[11]) + Number(f[12]),
        reaped: Number(f[13]) + Number(f[14]),
      };
    } catch {
      return null; // exited meanwhile
    }
  };
  const postmaster = Number(
    readFileSync(path.join(server.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  const root = stat(postmaster);
  if (!root) throw new Error('the PostgreSQL server is not running');
  let ticks = root.own + root.reaped;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = stat(entry);
    if (child && child.ppid === postmaster) ticks += child.own;
  }
  return ticks * tick;
}
let ticksPerSecond: number | undefined;
function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

// ---- Formatting -----------------------------------------------------------------------------

const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)) + ' ms';
const fmtCpu = (ms: number) => `${ms.toFixed(ms >= 10 ? 1 : 3)} ms`;
const fmtMb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const fmtInt = (n: number) => Math.round(n).toLocaleString('en');
const fmtS = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A markdown table; columns listed in `right` are right-aligned. */
function printTable(header: string[], body: string[][], right: number[] = []) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const align = new Set(right);
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (align.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  console.log(line(header));
  console.log(
    `|${widths.map((w, i) => (align.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`,
  );
  for (const b of body) console.log(line(b));
}

// ---- Stores ---------------------------------------------------------------------------------

async function createDatabase(server: PgServer, name: string): Promise<StoreConfig> {
  const pool = openPostgresPool(`${server.url}/postgres`, 1);
  try {
    await pool.query(`create database ${name}`);
  } finally {
    await pool.end();
  }
  return { kind: 'postgres', url: `${server.url}/${name}` };
}

/** copyStore from one store into another (opened, migrated, empty). */
async function copy(
  from: StoreConfig,
  to: StoreConfig,
  onProgress?: (line: string) => void,
): Promise<TransferSummary & { steps: Record<string, number> }> {
  const source = await openStore(from);
  const target = await openStore(to);
  const steps: Record<string, number> = {};
  let step = 'rows';
  let stepStart = 0;
  let lastLine = 0;
  try {
    const summary = await copyStore(source, target, (p) => {
      const name = p.step === 'rows' ? 'rows' : p.step;
      if (name !== step) {
        steps[step] = p.elapsedMs - stepStart;
        [step, stepStart] = [name, p.elapsedMs];
        onProgress?.(`${name} (${fmtS(p.elapsedMs)})`);
      }
      if (
        p.step === 'rows' &&
        (p.copied === p.total || p.elapsedMs - lastLine > 10_000) &&
        p.total > 100_000
      ) {
        lastLine = p.elapsedMs;
        onProgress?.(`${p.table} ${fmtInt(p.copied)} / ${fmtInt(p.total)} (${fmtS(p.elapsedMs)})`);
      }
    });
    steps[step] = summary.elapsedMs - stepStart;
    return { ...summary, steps };
  } finally {
    await source.close();
    await target.close();
  }
}

// ---- Writes ---------------------------------------------------------------------------------

interface WriteRun {
  kind: Kind;
  mode: WriterMode;
  writers: number;
  calls: number;
  perSecond: number;
  p50Ms: number;
  /** Client CPU per call, summed over the writer processes. */
  cpuPerCallMs: number;
  /** PostgreSQL: the server's CPU per call. */
  serverCpuPerCallMs: number | null;
  /** PostgreSQL: transactions rolled back meanwhile (write() retrying after a serialization failure or deadlock). */
  rollbacks: number | null;
  maxRssMb: number;
}

/**
 * PostgreSQL: transactions rolled back in the database so far (its statistics; a backend reports
 * its counts when it ends, so this is read after the writers have closed their connections).
 */
async function rollbackCount(store: StoreConfig, afterWriters = false): Promise<number | null> {
  if (store.kind !== 'postgres') return null;
  const pool = openPostgresPool(store.url, 1);
  try {
    // The writers' backends end just after their processes do: wait until they are gone.
    for (let i = 0; afterWriters && i < 100; i += 1) {
      const others = await pool.query<{ n: number }>(
        'select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      if (Number(others.rows[0]!.n) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await pool.query('select pg_stat_clear_snapshot()');
    const { rows } = await pool.query<{ n: number }>(
      'select xact_rollback as n from pg_stat_database where datname = current_database()',
    );
    return Number(rows[0]!.n);
  } finally {
    await pool.end();
  }
}

/** Forks `writers` writer processes, starts them together and waits for all of them. */
async function runWriters(
  server: PgServer,
  kind: Kind,
  store: StoreConfig,
  mode: WriterMode,
  writers: number,
  base: Omit<WriterTask, 'mode' | 'store' | 'index' | 'calls' | 'materialId'>,
  materials: number[],
): Promise<WriteRun> {
  const perWriter = Math.ceil(WRITE_CALLS / writers);
  const script = path.join(__dirname, 'write-worker.cjs');
  const children = Array.from({ length: writers }, () =>
    fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] }),
  );
  const next = (child: (typeof children)[number]) =>
    new Promise<FromWorker>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`writer process exited (${code}) without a word`));
      child.once('exit', onExit);
      child.once('message', (m: FromWorker) => {
        child.off('exit', onExit);
        if (m.type === 'failed') reject(new Error(`writer process failed: ${m.message}`));
        else resolve(m);
      });
    });
  try {
    const ready = children.map(next);
    children.forEach((child, i) => {
      const task: WriterTask = {
        ...base,
        mode,
        store,
        index: i + 1,
        calls: perWriter,
        materialId: materials[i % materials.length]!,
      };
      child.send({ type: 'task', task } satisfies ToWorker);
    });
    await Promise.all(ready);
    const done = children.map(next);
    const rollbacksBefore = await rollbackCount(store);
    const serverBefore = kind === 'postgres' ? pgServerCpuMs(server) : 0;
    for (const child of children) child.send({ type: 'go' } satisfies ToWorker);
    const reports = (await Promise.all(done)).map((m) => (m as { report: WriterReport }).report);
    const serverCpu = kind === 'postgres' ? pgServerCpuMs(server) - serverBefore : null;
    const exited = children.map((child) => new Promise((resolve) => child.once('exit', resolve)));
    for (const child of children) child.send({ type: 'close' } satisfies ToWorker);
    await Promise.all(exited);
    const rollbacksAfter = await rollbackCount(store, true);
    const errors: Record<string, number> = {};
    for (const r of reports)
      for (const [code, n] of Object.entries(r.errors)) errors[code] = (errors[code] ?? 0) + n;
    if (Object.keys(errors).length > 0)
      throw new Error(`${STORE_NAME[kind]} ${mode} × ${writers}: errors ${JSON.stringify(errors)}`);
    const start = reports.reduce(
      (min, r) => (BigInt(r.startNs) < min ? BigInt(r.startNs) : min),
      BigInt(reports[0]!.startNs),
    );
    const end = reports.reduce(
      (max, r) => (BigInt(r.endNs) > max ? BigInt(r.endNs) : max),
      BigInt(reports[0]!.endNs),
    );
    const calls = perWriter * writers;
    return {
      kind,
      mode,
      writers,
      calls,
      perSecond: calls / (Number(end - start) / 1e9),
      p50Ms: p50(reports.flatMap((r) => r.latenciesMs)),
      cpuPerCallMs: reports.reduce((sum, r) => sum + r.cpuMs, 0) / calls,
      serverCpuPerCallMs: serverCpu === null ? null : serverCpu / calls,
      rollbacks:
        rollbacksAfter === null || rollbacksBefore === null ? null : rollbacksAfter - rollbacksBefore,
      maxRssMb: Math.max(...reports.map((r) => r.maxRssMb)),
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}

async function writeScenarios(base: string, server: PgServer): Promise<WriteRun[]> {
  // A demo database (a city network with six months of history) on SQLite, and its copy on PostgreSQL.
  const dir = mkdtempSync(path.join(base, 'relief-depot-bench-write-'));
  const stores: Record<Kind, StoreConfig> = {
    sqlite: { kind: 'sqlite', file: path.join(dir, DATABASE_FILE) },
    postgres: await createDatabase(server, 'demo'),
  };
  const app = await createApp({
    store: stores.sqlite,
    security: SECURITY,
    logError: (m, e) => console.error(m, e),
  });
  let depotId: number;
  let materials: number[];
  try {
    await seedDemo(app);
    const keeper = await login(app, 'keeper');
    depotId = (await call(app, keeper, 'depot.list', { level: 'city' }))[0]!.depotId;
    materials = (await call(app, keeper, 'material.list', { limit: 4 })).rows.map((m) => m.materialId);
  } finally {
    await app.close();
  }
  const copied = await copy(stores.sqlite, stores.postgres);
  console.log(
    `Write benchmark: demo database in ${dir}, copied to PostgreSQL in ${fmtS(copied.elapsedMs)} (${fmtInt(copied.rows)} rows).`,
  );

  const runs: WriteRun[] = [];
  const task = {
    depotId,
    warmup: WRITE_WARMUP,
    username: 'keeper',
    password: 'Demo1234',
    scryptN: SECURITY.scryptN,
  };
  try {
    for (const kind of KINDS) {
      const store = await openStore(stores[kind]);
      const id =
        kind === 'sqlite' ? sql`integer primary key` : sql`bigint generated always as identity primary key`;
      await sql`create table ${sql.table(SCRATCH_TABLE)} (id ${id}, writer integer not null, seq integer not null, at text not null)`.execute(
        store.db,
      );
      try {
        for (const [mode, counts] of [
          ['dispatch', WRITER_COUNTS],
          ['raw-insert', WRITER_COUNTS],
          ['raw-receipt', [1]],
        ] as const) {
          for (const writers of counts) {
            collect();
            const run = await runWriters(server, kind, stores[kind], mode, writers, task, materials);
            console.log(
              `  ${STORE_NAME[kind]}, ${mode}, ${writers} writer(s): ${fmtInt(run.perSecond)}/s, client cpu ${fmtCpu(run.cpuPerCallMs)} per call`,
            );
            runs.push(run);
          }
          // Writers in several processes interleave their movement ids: each record still names
          // its own. (Checked before the raw baselines, whose movements no record names.)
          if (mode === 'dispatch' && !(await verifyCoverage(store)).ok)
            throw new Error(`${STORE_NAME[kind]}: audit coverage failed after the dispatch writers`);
        }
        const ledger = await checkLedger(store);
        const audit = await verifyAudit(store.db);
        if (!ledger.ok || !audit.ok)
          throw new Error(
            `${STORE_NAME[kind]}: ledger check or audit chain failed after the write benchmark`,
          );
      } finally {
        await sql`drop table ${sql.table(SCRATCH_TABLE)}`.execute(store.db);
        await store.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return runs;
}

// ---- Reads at --scale size ------------------------------------------------------------------

async function scaleDatabase(
  base: string,
): Promise<{ config: StoreConfig & { kind: 'sqlite' }; keep: boolean; generatedMs: number | null }> {
  const given = process.env.BENCH_DATA_DIR;
  const dir = given ? path.resolve(given) : mkdtempSync(path.join(base, 'relief-depot-bench-scale-'));
  const config = { kind: 'sqlite' as const, file: path.join(dir, DATABASE_FILE) };
  if (given && existsSync(config.file)) {
    const store = await openStore(config, { migrate: false });
    const n = Number(
      (await sql<{ n: number }>`select count(*) as n from movements`.execute(store.db)).rows[0]!.n,
    );
    await store.close();
    if (n < 1_000_000)
      throw new Error(
        `BENCH_DATA_DIR ${dir} holds a database with ${fmtInt(n)} movements, not a --scale one`,
      );
    console.log(`Reusing the --scale database in ${dir} (${fmtInt(n)} movements).`);
    return { config, keep: true, generatedMs: null };
  }
  if (given) {
    mkdirSync(dir, { recursive: true });
    if (readdirSync(dir).length > 0)
      throw new Error(`BENCH_DATA_DIR ${dir} is neither empty nor a relief-depot data folder`);
  }
  console.log(
    `Generating the --scale database in ${dir}${given ? ' (kept for the next run)' : ' (set BENCH_DATA_DIR to keep and reuse it)'} …`,
  );
  collect();
  const memory = new Memory();
  const app = await createApp({ store: config, security: SECURITY });
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
    `Generated in ${fmtS(generatedMs)}: ${fmtInt(summary.movements)} movements, ${fmtInt(summary.batches)} batches, ` +
      `${fmtInt(summary.stockCells)} stock cells; peak RSS ${fmtMb(memory.rss)}, heap ${fmtMb(memory.heap)}.`,
  );
  return { config, keep: Boolean(given), generatedMs };
}

/** The raw driver on a store: the same SQL the scenario's dispatch() answers from, run directly. */
interface RawDriver {
  all(text: string, params?: unknown[]): Promise<unknown[]> | unknown[];
  close(): Promise<void>;
}

function rawSqlite(file: string): RawDriver {
  const sqlite = openSqliteFile(file, { readonly: true });
  const statements = new Map<string, ReturnType<typeof sqlite.prepare<unknown[]>>>();
  return {
    all(text, params = []) {
      let statement = statements.get(text);
      if (!statement) statements.set(text, (statement = sqlite.prepare<unknown[]>(text)));
      return statement.all(...params);
    },
    close: async () => void sqlite.close(),
  };
}

async function rawPostgres(url: string): Promise<RawDriver> {
  const pool = openPostgresPool(url, 1);
  const client: pg.PoolClient = await pool.connect();
  const numbered = new Map<string, string>();
  return {
    async all(text, params = []) {
      let n = numbered.get(text);
      if (n === undefined) {
        let i = 0;
        numbered.set(text, (n = text.replace(/\?/g, () => `$${++i}`)));
      }
      return (await client.query(n, params)).rows;
    },
    async close() {
      client.release();
      await pool.end();
    },
  };
}

const MOVEMENT_COLUMNS = `
  select mv.movement_id, mv.doc_no, mv.type, mv.depot_id, d.name as depot_name, mv.material_id, m.code as material_code,
    m.name as material_name, m.unit, mv.batch_id, b.lot_no, b.expires_on, mv.quantity, mv.occurred_at, mv.user_id,
    u.display_name as user_name, mv.counterpart_depot_id, mv.reverses_movement_id, o.doc_no as reverses_doc_no,
    r.movement_id as reversed_by, r.doc_no as reversed_by_doc_no, mv.expired_override, mv.recipient, mv.reason, mv.note,
    mv.source, mv.supplier, mv.unit_price_fen
  from movements as mv
    inner join depots as d on d.depot_id = mv.depot_id
    inner join materials as m on m.material_id = mv.material_id
    inner join batches as b on b.batch_id = mv.batch_id
    inner join users as u on u.user_id = mv.user_id
    left join movements as r on r.reverses_movement_id = mv.movement_id
    left join movements as o on o.movement_id = mv.reverses_movement_id`;
const cityTotals = (kind: Kind) => `
  select sl.material_id, m.code as material_code, m.name as material_name, m.spec, m.unit, m.category,
    sum(sl.on_hand) as on_hand, sum(sl.reserved) as reserved
  from stock_levels as sl inner join materials as m on m.material_id = sl.material_id
  group by sl.material_id${kind === 'postgres' ? ', m.material_id' : ''} having (sum(sl.on_hand) > 0 or sum(sl.reserved) > 0)
  order by sl.material_id limit ?`;
const MATRIX = [
  'select depot_id, code, name, level from depots where active = 1 order by depot_id',
  'select material_id, code, name, unit from materials where active = 1 order by material_id',
  'select material_id, depot_id, on_hand, reserved from stock_levels where (on_hand > 0 or reserved > 0)',
];
const DEPOT_PAGE = `
  select sl.depot_id, d.code as depot_code, d.name as depot_name, sl.material_id, m.code as material_code, m.name as material_name,
    m.spec, m.unit, m.category, sl.on_hand, sl.reserved, q.quantity as quota
  from stock_levels as sl
    inner join materials as m on m.material_id = sl.material_id
    inner join depots as d on d.depot_id = sl.depot_id
    left join quotas as q on q.depot_id = sl.depot_id and q.material_id = sl.material_id
  where sl.depot_id = ? and (sl.on_hand > 0 or sl.reserved > 0)
  order by sl.material_id, sl.depot_id limit ?`;
const LEDGER = [
  'select batch_id, sum(quantity) as total, count(*) as n from movements group by batch_id',
  'select batch_id, depot_id, material_id from batches',
  'select batch_id, depot_id, material_id, on_hand from batch_balances',
  'select depot_id, material_id, on_hand, reserved from stock_levels',
  "select depot_id, material_id, sum(quantity) as total from reservations where status = 'active' group by depot_id, material_id",
];

interface Side {
  kind: Kind;
  app: App;
  token: string;
  raw: RawDriver;
}

interface ReadScenario {
  name: string;
  unit: string;
  target: string;
  limitMs: number;
  runs: number;
  warmup: number;
  dispatch: (side: Side) => Promise<unknown>;
  raw: (side: Side) => Promise<unknown>;
  /** What one dispatch result holds, for the table (checked against the raw result and the other store). */
  size: (result: unknown) => number;
  rawSize: (result: unknown) => number;
}

interface Timed {
  p50: number;
  cpu: number;
}
interface ReadFigure {
  scenario: ReadScenario;
  size: number;
  dispatch: Record<Kind, Timed>;
  raw: Record<Kind, Timed>;
  memory: Memory;
}

async function sequential(side: Side, statements: string[]): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for (const s of statements) out.push(await side.raw.all(s));
  return out;
}

async function readScenarios(stores: Record<Kind, StoreConfig>): Promise<ReadFigure[]> {
  const sides = {} as Record<Kind, Side>;
  for (const kind of KINDS) {
    const config = stores[kind];
    const app = await createApp({
      store: config,
      security: SECURITY,
      logError: (m, e) => console.error(m, e),
    });
    const raw = config.kind === 'sqlite' ? rawSqlite(config.file) : await rawPostgres(config.url);
    sides[kind] = { kind, app, token: await login(app, 'coordinator'), raw };
  }
  const depotRow = (await sides.sqlite.raw.all(
    "select depot_id as id from depots where level = 'district' order by depot_id limit 1",
  )) as { id: number }[];
  const depot = depotRow[0]!.id;

  const pageRows = (r: unknown) => (r as { rows: unknown[] }).rows.length;
  const balanceRowCount = (r: unknown) => (r as OutputOf<'stock.balances'>).rows.materialId.length;
  const arrayRows = (r: unknown) => (r as unknown[]).length;
  const scenarios: ReadScenario[] = [
    {
      name: 'city totals per material (stock.balances groupBy material)',
      unit: 'rows',
      target: 'p50 ≤ 50 ms',
      limitMs: 50,
      runs: READ_RUNS,
      warmup: READ_WARMUP,
      dispatch: (s) => call(s.app, s.token, 'stock.balances', { groupBy: 'material', limit: 10_000 }),
      raw: async (s) => s.raw.all(cityTotals(s.kind), [10_001]),
      size: balanceRowCount,
      rawSize: arrayRows,
    },
    {
      name: 'material × depot matrix (stock.matrix)',
      unit: 'cells',
      target: 'p50 ≤ 300 ms',
      limitMs: 300,
      runs: READ_RUNS,
      warmup: READ_WARMUP,
      dispatch: (s) => call(s.app, s.token, 'stock.matrix', {}),
      raw: (s) => sequential(s, MATRIX),
      size: (r) => (r as OutputOf<'stock.matrix'>).cells.depotId.length,
      rawSize: (r) => (r as unknown[][])[2]!.length,
    },
    {
      name: "one depot's balances, first page (limit 200)",
      unit: 'rows',
      target: 'p50 ≤ 5 ms',
      limitMs: 5,
      runs: READ_RUNS,
      warmup: READ_WARMUP,
      dispatch: (s) => call(s.app, s.token, 'stock.balances', { depotId: depot, limit: 200 }),
      raw: async (s) => s.raw.all(DEPOT_PAGE, [depot, 201]),
      size: balanceRowCount,
      rawSize: (r) => Math.min(200, arrayRows(r)),
    },
    {
      name: 'movement history, first page (limit 200)',
      unit: 'rows',
      target: 'p50 ≤ 5 ms',
      limitMs: 5,
      runs: READ_RUNS,
      warmup: READ_WARMUP,
      dispatch: (s) => call(s.app, s.token, 'stock.movements', { limit: 200 }),
      raw: async (s) => s.raw.all(`${MOVEMENT_COLUMNS} order by mv.movement_id desc limit ?`, [201]),
      size: pageRows,
      rawSize: (r) => Math.min(200, arrayRows(r)),
    },
    {
      name: 'movement history of one depot (limit 200)',
      unit: 'rows',
      target: 'p50 ≤ 5 ms',
      limitMs: 5,
      runs: READ_RUNS,
      warmup: READ_WARMUP,
      dispatch: (s) => call(s.app, s.token, 'stock.movements', { depotId: depot, limit: 200 }),
      raw: async (s) =>
        s.raw.all(`${MOVEMENT_COLUMNS} where mv.depot_id = ? order by mv.movement_id desc limit ?`, [
          depot,
          201,
        ]),
      size: pageRows,
      rawSize: (r) => Math.min(200, arrayRows(r)),
    },
    {
      name: 'ledger check (ledger.check)',
      unit: 'movements',
      target: '≤ 10 s',
      limitMs: 10_000,
      runs: LEDGER_RUNS,
      warmup: 1,
      dispatch: async (s) => {
        const result = await call(s.app, s.token, 'ledger.check');
        if (!result.ok) throw new Error('ledger check reports differences');
        return result;
      },
      raw: (s) => sequential(s, LEDGER),
      size: (r) => (r as OutputOf<'ledger.check'>).movements,
      rawSize: (r) => (r as { n: number }[][])[0]!.reduce((sum, row) => sum + Number(row.n), 0),
    },
  ];

  const figures: ReadFigure[] = [];
  try {
    for (const s of scenarios) {
      collect();
      const memory = new Memory();
      memory.sample();
      const figure = { scenario: s, size: -1, dispatch: {}, raw: {}, memory } as ReadFigure;
      for (const kind of KINDS) {
        const side = sides[kind];
        let size = 0;
        const dispatchRuns = await timeRuns(s.runs, s.warmup, memory, async () => {
          const result = await s.dispatch(side);
          size = s.size(result);
          return result;
        });
        let rawSize = 0;
        const rawRuns = await timeRuns(s.runs, s.warmup, memory, async () => {
          const result = await s.raw(side);
          rawSize = s.rawSize(result);
          return result;
        });
        if (size !== rawSize)
          throw new Error(
            `${s.name} on ${STORE_NAME[kind]}: dispatch returned ${size} rows, the raw query ${rawSize}`,
          );
        if (figure.size >= 0 && size !== figure.size)
          throw new Error(`${s.name}: ${figure.size} rows on SQLite, ${size} on PostgreSQL`);
        figure.size = size;
        figure.dispatch[kind] = { p50: p50(dispatchRuns.samples), cpu: dispatchRuns.cpu };
        figure.raw[kind] = { p50: p50(rawRuns.samples), cpu: rawRuns.cpu };
      }
      console.log(
        `  ${s.name}: SQLite ${fmtMs(figure.dispatch.sqlite.p50)}, PostgreSQL ${fmtMs(figure.dispatch.postgres.p50)}`,
      );
      figures.push(figure);
    }
    // check's record of every movement by the audit log: one pass over the ledger and the log.
    for (const kind of KINDS) {
      const started = process.hrtime.bigint();
      const coverage = await verifyCoverage(sides[kind].app.store);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (!coverage.ok)
        throw new Error(`${STORE_NAME[kind]}: coverage check found ${coverage.problemCount} problems`);
      console.log(
        `  audit coverage (check): ${STORE_NAME[kind]} ${seconds.toFixed(1)} s for ${fmtInt(coverage.movements)} movements`,
      );
    }
  } finally {
    for (const side of Object.values(sides)) {
      await side.raw.close();
      await side.app.close();
    }
  }
  return figures;
}

// ---- The summary ----------------------------------------------------------------------------

function printReads(figures: ReadFigure[]) {
  const cell = (t: Timed) => `p50 ${fmtMs(t.p50)} · cpu ${fmtMs(t.cpu)}`;
  const header = [
    'Read at --scale size',
    'SQLite dispatch()',
    'raw better-sqlite3',
    'PostgreSQL dispatch()',
    'raw pg',
    'PG/SQLite',
    'Target',
    'SQLite',
    'PostgreSQL',
    'Peak RSS',
  ];
  const body = figures.map((f) => [
    `${f.scenario.name}: ${fmtInt(f.size)} ${f.scenario.unit}`,
    cell(f.dispatch.sqlite),
    cell(f.raw.sqlite),
    cell(f.dispatch.postgres),
    cell(f.raw.postgres),
    `${(f.dispatch.postgres.p50 / f.dispatch.sqlite.p50).toFixed(2)}×`,
    f.scenario.target,
    f.dispatch.sqlite.p50 <= f.scenario.limitMs ? 'PASS' : 'MISS',
    f.dispatch.postgres.p50 <= f.scenario.limitMs ? 'PASS' : 'MISS',
    fmtMb(f.memory.rss),
  ]);
  printTable(header, body, [5, 9]);
}

function printWrites(runs: WriteRun[]) {
  const find = (kind: Kind, mode: WriterMode, writers: number) =>
    runs.find((r) => r.kind === kind && r.mode === mode && r.writers === writers)!;
  const header = ['stock.receive, 1 line', 'dispatch()', 'raw insert-and-commit, 1 row', 'dispatch / raw'];
  const body: string[][] = [];
  for (const kind of KINDS) {
    for (const writers of WRITER_COUNTS) {
      const d = find(kind, 'dispatch', writers);
      const r = find(kind, 'raw-insert', writers);
      const retried = d.rollbacks ? ` · ${fmtInt(d.rollbacks)} rolled back and retried` : '';
      body.push([
        `${STORE_NAME[kind]}, ${writers} writer process${writers > 1 ? 'es' : ''} (${fmtInt(d.calls)} calls)`,
        `${fmtInt(d.perSecond)} receipts/s · p50 ${fmtMs(d.p50Ms)}${retried}`,
        `${fmtInt(r.perSecond)} commits/s · p50 ${fmtMs(r.p50Ms)} (${kind === 'sqlite' ? 'better-sqlite3' : 'pg'})`,
        `${(d.perSecond / r.perSecond).toFixed(2)}×`,
      ]);
    }
  }
  printTable(header, body, [3]);
}

function printCpu(runs: WriteRun[]) {
  const find = (kind: Kind, mode: WriterMode) =>
    runs.find((r) => r.kind === kind && r.mode === mode && r.writers === 1)!;
  const server = (r: WriteRun) => (r.serverCpuPerCallMs === null ? '—' : fmtCpu(r.serverCpuPerCallMs));
  const header = [
    'CPU per receipt, 1 writer',
    'dispatch() client',
    'raw insert-and-commit',
    'raw receipt statements',
    'server: dispatch / raw receipt',
    'Target',
    'Result',
  ];
  const body = KINDS.map((kind) => {
    const d = find(kind, 'dispatch');
    const insert = find(kind, 'raw-insert');
    const receipt = find(kind, 'raw-receipt');
    return [
      STORE_NAME[kind] + (kind === 'sqlite' ? ' (in process)' : ' (client process)'),
      fmtCpu(d.cpuPerCallMs),
      fmtCpu(insert.cpuPerCallMs),
      `${fmtCpu(receipt.cpuPerCallMs)} (INSERT + 2 UPDATE, 1 txn)`,
      kind === 'postgres' ? `${server(d)} / ${server(receipt)}` : '—',
      `≤ ${CPU_TARGET_MS} ms`,
      d.cpuPerCallMs <= CPU_TARGET_MS ? 'PASS' : 'MISS',
    ];
  });
  printTable(header, body);
}

function printBrowser(figures: BrowserFigure[]) {
  const header = [
    'Browser mode (Chromium, --scale data on SQLite)',
    'p50',
    'runs',
    'Target',
    'Result',
    'JS heap',
  ];
  const body = figures.map((f) => [
    f.scenario,
    fmtMs(f.p50Ms),
    String(f.runs),
    f.target,
    f.p50Ms <= f.limitMs ? 'PASS' : 'MISS',
    f.heapMb === null ? '—' : `${f.heapMb} MB`,
  ]);
  printTable(header, body);
}

// ---- Main -----------------------------------------------------------------------------------

function printAllocation(figures: AllocationFigure[]) {
  console.log('Allocation and delivery at --scale size (p50 through dispatch()):');
  printTable(
    ['scenario', 'store', 'runs', 'p50', 'target'],
    figures.map((f) => [
      f.scenario,
      STORE_NAME[f.store],
      String(f.runs),
      fmtMs(f.p50Ms),
      `≤ ${f.limitMs} ms`,
    ]),
    [2, 3],
  );
}

function printExports(figures: ExportFigure[]) {
  console.log(
    `Excel export (出入库明细, own process each, ours with a ${HEAP_CAP_MB} MB heap cap; peak anonymous RSS, the mapped database file not counted):`,
  );
  printTable(
    ['rows', 'ours', 'raw exceljs', 'ratio', 'ours peak RSS', 'raw peak RSS', 'file', 'target'],
    figures.map((f) => [
      fmtInt(f.rows),
      fmtS(f.product.ms),
      fmtS(f.raw.ms),
      `${(f.product.ms / f.raw.ms).toFixed(2)}×`,
      fmtMb(f.product.peakRssBytes),
      fmtMb(f.raw.peakRssBytes),
      fmtMb(f.product.bytes),
      `≤ ${TIME_RATIO_LIMIT}× time; RSS within ${MEMORY_GROWTH_LIMIT}× across sizes`,
    ]),
    [0, 1, 2, 3, 4, 5, 6],
  );
}

function printImport(f: ImportFigure) {
  console.log(
    'Excel import (opening stock, preview = checks + worker parse + every row validated; p50 of 3):',
  );
  printTable(
    ['rows', 'preview', 'raw SheetJS read', 'commit (once)', 'target'],
    [
      [
        fmtInt(f.rows),
        fmtMs(f.previewMs),
        fmtMs(f.rawReadMs),
        fmtMs(f.commitMs),
        `preview ≤ ${IMPORT_LIMIT_MS} ms`,
      ],
    ],
    [0, 1, 2, 3],
  );
}

async function main() {
  const base = os.tmpdir();
  // `npm run bench -- --only allocation` (or `excel`): those figures alone.
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(
    `Relief Depot benchmark — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, temp files in ${base}`,
  );
  console.log(
    `Load average at start: ${load()}${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for gc between scenarios)'}`,
  );

  const scale = await scaleDatabase(base);
  if (only === 'excel') {
    console.log('Excel exports at --scale size …');
    const figures = exportScenarios(scale.config.file, base);
    const imported = await importScenario(scale.config.file, base);
    console.log('');
    printExports(figures);
    console.log('');
    printImport(imported);
    const missed = [...exportMisses(figures), ...importMisses(imported)];
    console.log('');
    console.log(
      missed.length === 0 ? 'All targets met.' : `${missed.length} target(s) missed: ${missed.join('; ')}.`,
    );
    if (!scale.keep) rmSync(path.dirname(scale.config.file), { recursive: true, force: true });
    return;
  }
  const server = await startPgServer({ base, settings: PG_SETTINGS });
  try {
    const version = await (async () => {
      const pool = openPostgresPool(`${server.url}/postgres`, 1);
      try {
        return (await pool.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
      } finally {
        await pool.end();
      }
    })();
    console.log(`PostgreSQL ${version} in ${server.dir} (${PG_SETTINGS.join(', ')})`);

    console.log('Copying the --scale database into PostgreSQL (copyStore, as relief-depot transfer-data) …');
    const scalePg = await createDatabase(server, 'scale');
    const transfer = await copy(scale.config, scalePg, (line) => console.log(`  ${line}`));

    console.log('Writes …');
    const writes = only === 'allocation' ? [] : await writeScenarios(base, server);
    console.log('Reads at --scale size …');
    const reads =
      only === 'allocation' ? [] : await readScenarios({ sqlite: scale.config, postgres: scalePg });
    console.log('Browser mode …');
    const browser =
      only === 'allocation'
        ? []
        : await benchBrowser(scale.config, { username: 'admin', password: 'Demo1234' });
    console.log(
      'Allocation and delivery at --scale size (on a copy of the SQLite file, and the PostgreSQL copy) …',
    );
    const workDir = mkdtempSync(path.join(base, 'relief-depot-bench-allocation-'));
    const work = { kind: 'sqlite' as const, file: path.join(workDir, DATABASE_FILE) };
    copyFileSync(scale.config.file, work.file);
    const allocation = [
      ...(await allocationScenarios('sqlite', work, { openOrders: true })).figures,
      ...(await allocationScenarios('postgres', scalePg, { openOrders: false })).figures,
    ];
    browser.push(await benchBoard(work, { username: 'coordinator', password: 'Demo1234' }));
    rmSync(workDir, { recursive: true, force: true });
    console.log('Excel exports at --scale size …');
    const exports = only === 'allocation' ? [] : exportScenarios(scale.config.file, base);
    const imported = only === 'allocation' ? null : await importScenario(scale.config.file, base);

    const size = statSync(scale.config.file).size;
    if (!scale.keep) rmSync(path.dirname(scale.config.file), { recursive: true, force: true });
    console.log('');
    if (scale.generatedMs !== null)
      console.log(
        `--scale generation (SQLite bulk load): ${fmtS(scale.generatedMs)} (database ${fmtMb(size)})`,
      );
    else console.log(`--scale database reused (${fmtMb(size)})`);
    const steps = Object.entries(transfer.steps)
      .map(([step, ms]) => `${step} ${fmtS(ms)}`)
      .join(', ');
    console.log(
      `--scale copy SQLite → PostgreSQL (copyStore): ${fmtS(transfer.elapsedMs)} for ${fmtInt(transfer.rows)} rows (${steps})`,
    );
    console.log(`Load average at end: ${load()}`);
    console.log('');
    if (only !== 'allocation') {
      printReads(reads);
      console.log('');
      printWrites(writes);
      console.log('');
      printCpu(writes);
      console.log('');
    }
    printBrowser(browser);
    console.log('');
    printAllocation(allocation);
    if (exports.length > 0) {
      console.log('');
      printExports(exports);
    }
    if (imported) {
      console.log('');
      printImport(imported);
    }
    const missed = [
      ...exportMisses(exports),
      ...importMisses(imported),
      ...reads
        .filter((f) => f.dispatch.sqlite.p50 > f.scenario.limitMs)
        .map((f) => `SQLite read "${f.scenario.name}"`),
      ...writes
        .filter((r) => r.mode === 'dispatch' && r.writers === 1 && r.cpuPerCallMs > CPU_TARGET_MS)
        .map((r) => `CPU per receipt on ${STORE_NAME[r.kind]}`),
      ...browser.filter((f) => f.p50Ms > f.limitMs).map((f) => f.scenario),
      ...allocation.filter((f) => f.p50Ms > f.limitMs).map((f) => `${f.scenario} on ${STORE_NAME[f.store]}`),
    ];
    const pgWithin = reads.filter((f) => f.dispatch.postgres.p50 <= f.scenario.limitMs).length;
    console.log('');
    console.log(
      missed.length === 0 ? 'All targets met.' : `${missed.length} target(s) missed: ${missed.join('; ')}.`,
    );
    if (reads.length > 0)
      console.log(`PostgreSQL reads within the same targets as SQLite: ${pgWithin} of ${reads.length}.`);
  } finally {
    stopPgServer(server);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
