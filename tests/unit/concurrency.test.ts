/**
 * Real concurrency, on both stores: 4 separate OS processes (tests/unit/concurrency-worker.ts,
 * bundled with esbuild) open the same database, sign in, and make 200 conflicting writes each:
 * issues of one material from one depot whose stock cannot cover them all, transfers between
 * the same two depots in both directions, reservations (through the ledger inside write(): no
 * procedure reserves yet) and their releases, receipts into the same new lot, and creation of
 * users with the same names. Barriers make the sharpest races start together: the contested user
 * names, reservations of two depots' rows in opposite orders (a deadlock on PostgreSQL unless
 * write() retries), and a lot received at a depot while a transfer brings the same lot number in.
 *
 * Afterwards: no client saw an INTERNAL error and every refusal is the typed one its race allows;
 * no stock is negative or over-reserved; document numbers are unique and each document is one
 * kind, one writer, one moment; the new lot (and each raced lot) is one batch; each contested
 * user exists once; the balances equal the opening stock plus what the clients were told
 * succeeded, and `ledger.check` and `audit.verify` are clean. The plans are seeded (SEED).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import * as XLSX from 'xlsx';
import { checkLedger } from '../../src/main/services/ledger-check.service';
import { verifyAudit } from '../../src/main/services/audit.service';
import { countRows, createTestEnv, createWorld, PASSWORD, STORE, type TestEnv } from './harness';
import type { StoreConfig } from '../../src/main/db/store';
import type { Op, Outcome, WorkerConfig } from './concurrency-worker';

const WORKERS = 4;
const WRITES = 200;
/** Each worker's plan comes from this seed (and its number): a failure reproduces with the same writes. */
const SEED = 7;
const WORKER_TIMEOUT_MS = 150_000;

jest.setTimeout(240_000);

/** The bundled worker, in a temp folder of its own (with the workers' config files). */
let bundleDir: string;
let bundle: string;

beforeAll(async () => {
  bundleDir = mkdtempSync(path.join(tmpdir(), 'relief-depot-concurrency-'));
  bundle = path.join(bundleDir, 'concurrency-worker.cjs');
  await build({
    entryPoints: [path.join(__dirname, 'concurrency-worker.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    // Native and driver packages load from the project's node_modules (NODE_PATH below).
    external: ['better-sqlite3', 'pg'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  // The import's parser runs in a worker thread from a file beside the bundle (as in out/main).
  copyFileSync(
    path.join(__dirname, '..', '..', 'src', 'main', 'excel', 'import', 'parse-worker.cjs'),
    path.join(bundleDir, 'parse-worker.cjs'),
  );
});
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

/** A small seeded PRNG (mulberry32): the plans are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Ids {
  city: number;
  shinan: number;
  laoshan: number;
  tent: number;
  quilt: number;
  jacket: number;
  /** Tent lots at 市南 that some workers transfer to the city depot while others receive the same lot number there. */
  raceLots: { batchId: number; lotNo: string; expiresOn: string }[];
}

const NEW_LOT = { lotNo: 'Q-NEW-20261130', producedOn: '2026-11-01', expiresOn: '2031-10-31' };
/** User names every worker tries to create, all at once (a barrier before each). */
const CONTESTED = ['contested-a', 'contested-b', 'contested-c', 'contested-d', 'contested-e'];

/**
 * One worker's 200 writes and the places where all workers start a write together. Fixed
 * places: a receipt into the new lot first (right after the start barrier, so the lot's
 * creation races); the contested user names; two transfer duels (odd workers move life jackets
 * 市南 → 崂山 while even ones move them back); and ten reservation duels: one write reserving
 * jackets at both district depots, odd workers 市南 first and even ones 崂山 first, holding the
 * first row for a moment — the lock order that deadlocks on PostgreSQL, so write() must retry;
 * and four lot races: odd workers transfer a tent of a lot from 市南 to the city depot while even
 * ones receive that lot number at the city depot (two document kinds, so no shared number
 * sequence puts them in line: both may create the lot's batch at once).
 * In between, a shuffled mix: issues of tents from the city depot (far more than it holds),
 * transfers both ways between the district depots, reservations (tents at the city depot,
 * jackets at 市南) and releases, more receipts into the new lot, and two users of the worker's own.
 */
function plan(worker: number, ids: Ids): { ops: Op[]; barriers: number[] } {
  const random = prng(SEED * 1000 + worker);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const receipt = (): Op => ({
    kind: 'receipt',
    depotId: ids.city,
    materialId: ids.quilt,
    ...NEW_LOT,
    quantity: int(1, 5),
  });
  const transfer = (fromDepotId: number, toDepotId: number): Op => ({
    kind: 'transfer',
    fromDepotId,
    toDepotId,
    materialId: ids.jacket,
    quantity: int(1, 8),
  });
  const reserve = () => {
    const [depotId, materialId] = random() < 0.6 ? [ids.city, ids.tent] : [ids.shinan, ids.jacket];
    return { kind: 'reserve' as const, lines: [{ depotId, materialId, quantity: int(1, 5) }] };
  };
  const [first, second] = worker % 2 === 1 ? [ids.shinan, ids.laoshan] : [ids.laoshan, ids.shinan];
  const reserveBoth = (): Op => ({
    kind: 'reserve',
    lines: [first, second].map((depotId) => ({ depotId, materialId: ids.jacket, quantity: int(1, 2) })),
    pauseMs: 15,
  });

  const fixed = new Map<number, Op>([[0, receipt()]]);
  [1, 50, 100, 150, 199].forEach((at, k) =>
    fixed.set(at, { kind: 'createUser', username: CONTESTED[k]!, contested: true }),
  );
  for (const at of [25, 125]) fixed.set(at, transfer(first, second));
  for (const at of [12, 37, 62, 75, 87, 112, 137, 162, 175, 187]) fixed.set(at, reserveBoth());
  ids.raceLots.forEach((lot, k) =>
    fixed.set(
      [30, 80, 130, 180][k]!,
      worker % 2 === 1
        ? {
            kind: 'transfer',
            fromDepotId: ids.shinan,
            toDepotId: ids.city,
            materialId: ids.tent,
            quantity: 1,
            batchId: lot.batchId,
          }
        : {
            kind: 'receipt',
            depotId: ids.city,
            materialId: ids.tent,
            lotNo: lot.lotNo,
            producedOn: null,
            expiresOn: lot.expiresOn,
            quantity: int(1, 3),
          },
    ),
  );

  const mixed: Op[] = [];
  const add = (n: number, make: () => Op) => {
    for (let i = 0; i < n; i += 1) mixed.push(make());
  };
  add(23, receipt);
  add(55, () => ({ kind: 'issue', depotId: ids.city, materialId: ids.tent, quantity: int(1, 4) }));
  add(27, () => transfer(ids.shinan, ids.laoshan));
  add(27, () => transfer(ids.laoshan, ids.shinan));
  add(28, reserve);
  add(16, () => ({ kind: 'release', otherwise: reserve() }));
  add(2, () => ({ kind: 'createUser', username: `w${worker}-own-${mixed.length}`, contested: false }));
  for (let i = mixed.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [mixed[i], mixed[j]] = [mixed[j]!, mixed[i]!];
  }
  const ops = Array.from({ length: WRITES }, (_, i) => fixed.get(i) ?? mixed.pop());
  if (mixed.length > 0 || ops.some((op) => op === undefined))
    throw new Error(`the plan does not make ${WRITES} writes`);
  return { ops: ops as Op[], barriers: [...fixed.keys()].filter((at) => at > 0).sort((x, y) => x - y) };
}

interface WorkerRun {
  worker: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  outcomes: Outcome[];
  stderr: string;
  done: boolean;
}

/**
 * Starts the workers and collects what they report. A worker says where it waits (the start, and
 * the writes listed in its barriers); once every worker still running waits there, each gets its
 * line on stdin in one loop, so they go on together.
 */
async function runWorkers(configs: WorkerConfig[]): Promise<WorkerRun[]> {
  const waiting = new Map<number, Set<ChildProcessWithoutNullStreams>>();
  const exited = new Set<ChildProcessWithoutNullStreams>();
  const release = () => {
    for (const [at, children] of waiting) {
      if (children.size + [...exited].filter((c) => !children.has(c)).length < configs.length) continue;
      waiting.delete(at);
      for (const child of children) if (!exited.has(child)) child.stdin.write('go\n');
    }
  };
  const runs = configs.map((config) => {
    const file = path.join(bundleDir, `worker-${STORE}-${config.worker}.json`);
    writeFileSync(file, JSON.stringify(config));
    const child = spawn(process.execPath, ['--enable-source-maps', bundle, file], {
      env: { ...process.env, NODE_PATH: path.resolve(__dirname, '../../node_modules') },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const run: WorkerRun = {
      worker: config.worker,
      code: null,
      signal: null,
      outcomes: [],
      stderr: '',
      done: false,
    };
    child.stdin.on('error', () => undefined); // a worker that died cannot be written to: its exit says why
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (run.stderr += chunk));
    createInterface({ input: child.stdout }).on('line', (text) => {
      let line: { type: string; at?: number } & Partial<Outcome>;
      try {
        line = JSON.parse(text) as typeof line;
      } catch {
        run.stderr += `(stdout) ${text}\n`;
        return;
      }
      if (line.type === 'wait') {
        const at = line.at!;
        waiting.set(at, (waiting.get(at) ?? new Set()).add(child));
        release();
      } else if (line.type === 'result') run.outcomes.push(line as Outcome);
      else if (line.type === 'done') run.done = true;
    });
    return new Promise<WorkerRun>((resolve) => {
      const timer = setTimeout(() => {
        run.stderr += `\n(killed after ${WORKER_TIMEOUT_MS} ms: hung after ${run.outcomes.length} writes)`;
        child.kill('SIGKILL');
      }, WORKER_TIMEOUT_MS);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        Object.assign(run, { code, signal });
        exited.add(child);
        release(); // a worker that died must not hold the others at a barrier
        resolve(run);
      });
    });
  });
  return Promise.all(runs);
}

/** The kind of a write, user creations told apart by whether the name is contested. */
const kindOf = (o: Outcome) =>
  o.op.kind === 'createUser' ? (o.op.contested ? 'createUser (contested)' : 'createUser (own)') : o.op.kind;
const sum = (outcomes: Outcome[], pick: (o: Outcome) => number) => outcomes.reduce((n, o) => n + pick(o), 0);
const qty = (o: Outcome) => ('quantity' in o.op ? o.op.quantity : 0);

/**
 * The workers' store. On PostgreSQL their sessions detect deadlocks after 50 ms instead of the
 * server's default second: the reservation duels deadlock on purpose, and waiting a second for
 * each would only slow the test (write() retries the same way either way).
 */
function workerStore(store: StoreConfig): StoreConfig {
  if (store.kind === 'sqlite') return store;
  return { kind: 'postgres', url: `${store.url}?options=${encodeURIComponent('-c deadlock_timeout=50ms')}` };
}

/** One write per worker process, all started at once, each by its own new user; their outcomes. */
async function raceOnce(
  env: TestEnv,
  racers: { role: Parameters<TestEnv['user']>[0]; depotIds: number[]; username: string; op: Op }[],
): Promise<Outcome[]> {
  const configs: WorkerConfig[] = [];
  for (const [k, racer] of racers.entries()) {
    await env.user(racer.role, racer.depotIds, racer.username);
    configs.push({
      worker: k + 1,
      store: workerStore(env.store),
      security: env.app.svc.security,
      username: racer.username,
      password: PASSWORD,
      baseTime: env.clock.now().toISOString(),
      anchorMs: Date.now(),
      ops: [racer.op],
      barriers: [0],
    });
  }
  const runs = await runWorkers(configs);
  for (const run of runs) expect([run.worker, run.code, run.stderr]).toEqual([run.worker, 0, '']);
  return runs.flatMap((r) => r.outcomes);
}

let env: TestEnv;
afterEach(() => env?.close());

test(`${WORKERS} processes × ${WRITES} conflicting writes: no INTERNAL, no negative stock, unique numbers, clean ledger and audit`, async () => {
  env = await createTestEnv();
  const w = await createWorld(env);
  // Opening stock: 300 tents at the city depot in two lots (the workers ask for about 550
  // besides what they reserve), 80 life jackets at each district depot, four tent lots at 市南
  // for the lot races; no quilts (the new lot).
  const receive = (depotId: number, materialId: number, lotNo: string, expiresOn: string, quantity: number) =>
    env.call(w.admin.token, 'stock.receive', {
      depotId,
      source: 'procurement',
      lines: [{ materialId, quantity, lotNo, expiresOn }],
    });
  const opening = [
    await receive(w.city.depotId, w.tent.materialId, 'T-2028', '2028-06-30', 150),
    await receive(w.city.depotId, w.tent.materialId, 'T-2029', '2029-06-30', 150),
    await receive(w.shinan.depotId, w.jacket.materialId, 'J-SN', '2030-01-01', 80),
    await receive(w.laoshan.depotId, w.jacket.materialId, 'J-LS', '2031-01-01', 80),
  ];
  const raceLots: Ids['raceLots'] = [];
  for (const k of [1, 2, 3, 4]) {
    const lot = { lotNo: `RACE-${k}`, expiresOn: `2030-0${k}-15` };
    const posted = await receive(w.shinan.depotId, w.tent.materialId, lot.lotNo, lot.expiresOn, 10);
    opening.push(posted);
    raceLots.push({ ...lot, batchId: posted.movements[0]!.batchId });
  }
  const ids: Ids = {
    city: w.city.depotId,
    shinan: w.shinan.depotId,
    laoshan: w.laoshan.depotId,
    tent: w.tent.materialId,
    quilt: w.quilt.materialId,
    jacket: w.jacket.materialId,
    raceLots,
  };
  const configs: WorkerConfig[] = [];
  const anchorMs = Date.now();
  for (let worker = 1; worker <= WORKERS; worker += 1) {
    const username = `worker${worker}`;
    await env.user('admin', [], username);
    configs.push({
      worker,
      store: workerStore(env.store),
      security: env.app.svc.security, // the harness's cheap scrypt cost
      username,
      password: PASSWORD,
      baseTime: env.clock.now().toISOString(),
      anchorMs,
      ...plan(worker, ids),
    });
  }

  const usersBefore = await countRows(env, 'users');
  const auditBefore = await env.app.db
    .selectFrom('auditLog')
    .select((eb) => ['action', eb.fn.countAll<number>().as('n')])
    .groupBy('action')
    .execute();

  const started = Date.now();
  const runs = await runWorkers(configs);
  const elapsedMs = Date.now() - started;
  const stderr = runs.map((r) => (r.stderr ? `--- worker ${r.worker} stderr ---\n${r.stderr}` : '')).join('');

  // Every worker finished all its writes (no crash, no hang).
  expect({
    runs: runs.map((r) => ({
      worker: r.worker,
      code: r.code,
      signal: r.signal,
      done: r.done,
      writes: r.outcomes.length,
    })),
    stderr,
  }).toEqual({
    runs: runs.map((r) => ({ worker: r.worker, code: 0, signal: null, done: true, writes: WRITES })),
    stderr: expect.any(String),
  });
  const all = runs.flatMap((r) => r.outcomes);

  // The codes seen, per kind of write; the summary goes to the log for the record.
  const seen: Record<string, Record<string, number>> = {};
  for (const o of all) {
    const kind = kindOf(o);
    seen[kind] ??= {};
    seen[kind][o.code] = (seen[kind][o.code] ?? 0) + 1;
  }
  const slowest = Math.max(...all.map((o) => o.ms));
  // Refusals by wording (numbers left out), and how many of each.
  const refusals: Record<string, number> = {};
  for (const o of all.filter((x) => !x.ok)) {
    const text = `${o.code}: ${(o.message ?? '').replace(/\d+/g, 'N')}`;
    refusals[text] = (refusals[text] ?? 0) + 1;
  }
  console.log(
    `concurrency on ${STORE}: ${all.length} writes by ${WORKERS} processes in ${elapsedMs} ms (slowest ${slowest} ms); ` +
      `codes ${JSON.stringify(seen)}; messages ${JSON.stringify(refusals)}`,
  );

  // The processes really wrote at the same time: each started before any other had finished.
  const firstStart = Math.max(...runs.map((r) => r.outcomes[0]!.startedAt));
  const lastEnd = Math.min(...runs.map((r) => r.outcomes.at(-1)!.startedAt + r.outcomes.at(-1)!.ms));
  expect(firstStart).toBeLessThan(lastEnd);

  // No INTERNAL (or any other unexpected code) seen by any client; the underlying errors are in stderr.
  const unexpected = all.filter((o) => !['ok', 'INSUFFICIENT_STOCK', 'CONFLICT'].includes(o.code));
  expect({
    unexpected: unexpected.map((o) => [o.worker, o.index, o.op.kind, o.code, o.message]),
    stderr,
  }).toEqual({ unexpected: [], stderr: expect.any(String) });
  expect(stderr).toBe('');

  // Each kind of write failed only the way its race allows: a shortage for stock taken out, a
  // conflict only for a user name somebody else took; a receipt or a release never fails.
  const allowed: Record<string, string[]> = {
    receipt: ['ok'],
    issue: ['ok', 'INSUFFICIENT_STOCK'],
    transfer: ['ok', 'INSUFFICIENT_STOCK'],
    reserve: ['ok', 'INSUFFICIENT_STOCK'],
    release: ['ok'],
    'createUser (own)': ['ok'],
    'createUser (contested)': ['ok', 'CONFLICT'],
  };
  const misfits = all.filter((o) => !allowed[kindOf(o)]!.includes(o.code));
  expect(misfits.map((o) => [o.worker, o.index, o.op.kind, o.code, o.message, o.fields])).toEqual([]);
  // The stock was too small on purpose: some issues had to be refused.
  expect(all.some((o) => o.op.kind === 'issue' && o.code === 'INSUFFICIENT_STOCK')).toBe(true);

  // Checked last, so that every other finding is reported too.
  const unclear: unknown[] = [];
  // Exactly one creation of each contested name succeeded; the others say the name is taken.
  for (const username of CONTESTED) {
    const tries = all.filter((o) => o.op.kind === 'createUser' && o.op.username === username);
    expect(tries).toHaveLength(WORKERS);
    expect(tries.filter((o) => o.ok)).toHaveLength(1);
    for (const refused of tries.filter((o) => !o.ok)) {
      expect(refused.code).toBe('CONFLICT');
      // A clear message, whichever way the race was lost (the service's own check, or the unique
      // key when both checked before either committed): the sentence the user reads names the
      // user name or at least the field, and the field is marked.
      expect(refused.fields?.map((f) => f.path)).toEqual(['username']);
      const message = refused.message ?? '';
      const clear = message.includes(username) || message.includes(refused.fields![0]!.label);
      if (!clear) unclear.push({ username, code: refused.code, message, fields: refused.fields });
    }
    const rows = await env.app.db
      .selectFrom('users')
      .select('userId')
      .where('username', '=', username)
      .execute();
    expect(rows.map((r) => r.userId)).toEqual(tries.filter((o) => o.ok).map((o) => o.userId));
  }
  const usersAfter = await countRows(env, 'users');
  expect(usersAfter - usersBefore).toBe(all.filter((o) => o.op.kind === 'createUser' && o.ok).length);

  // No negative stock anywhere; reserved never above on hand.
  const levels = await env.app.db.selectFrom('stockLevels').selectAll().execute();
  const balances = await env.app.db.selectFrom('batchBalances').selectAll().execute();
  expect(levels.filter((l) => l.onHand < 0 || l.reserved < 0 || l.reserved > l.onHand)).toEqual([]);
  expect(balances.filter((b) => b.onHand < 0)).toEqual([]);

  // Document numbers: every success got its own; the movements of one document share one
  // writer, one moment and one kind of document, and its prefix says which.
  const okDocs = all.filter((o) => o.ok && o.docNo !== undefined).map((o) => o.docNo!);
  expect(new Set(okDocs).size).toBe(okDocs.length);
  const movements = await env.app.db
    .selectFrom('movements')
    .select(['docNo', 'type', 'occurredAt', 'userId', 'quantity', 'depotId', 'batchId'])
    .execute();
  const byDoc = new Map<string, typeof movements>();
  for (const m of movements) byDoc.set(m.docNo, [...(byDoc.get(m.docNo) ?? []), m]);
  const family: Record<string, { prefix: string; types: string[] }> = {
    receipt: { prefix: 'RK', types: ['receipt'] },
    issue: { prefix: 'CK', types: ['issue'] },
    transfer_out: { prefix: 'YK', types: ['transfer_out', 'transfer_in'] },
    transfer_in: { prefix: 'YK', types: ['transfer_out', 'transfer_in'] },
  };
  const mixedDocs = [...byDoc].filter(([docNo, ms]) => {
    const f = family[ms[0]!.type];
    return (
      !f ||
      !docNo.startsWith(`${f.prefix}-`) ||
      ms.some((m) => !f.types.includes(m.type)) ||
      new Set(ms.map((m) => m.occurredAt)).size !== 1 ||
      new Set(ms.map((m) => m.userId)).size !== 1
    );
  });
  expect(mixedDocs).toEqual([]);
  // The ledger holds exactly the documents the clients were told about (none from a refused write).
  expect([...byDoc.keys()].sort()).toEqual([...opening.map((d) => d.docNo), ...okDocs].sort());
  // Each document moved what was asked: a receipt or issue its quantity, a transfer out and in alike.
  const askedOf = new Map(all.filter((o) => o.ok && o.docNo).map((o) => [o.docNo!, o]));
  const wrongAmounts = [...askedOf].filter(([docNo, o]) => {
    const ms = byDoc.get(docNo)!;
    const net = (type: string) => ms.filter((m) => m.type === type).reduce((n, m) => n + m.quantity, 0);
    if (o.op.kind === 'receipt') return net('receipt') !== o.op.quantity;
    if (o.op.kind === 'issue') return net('issue') !== -o.op.quantity;
    return net('transfer_out') !== -qty(o) || net('transfer_in') !== qty(o);
  });
  expect(wrongAmounts).toEqual([]);

  // The shared new lot is one batch, and every receipt into it landed there.
  const newLot = await env.app.db
    .selectFrom('batches')
    .selectAll()
    .where('lotNo', '=', NEW_LOT.lotNo)
    .execute();
  expect(newLot).toHaveLength(1);
  const receipts = all.filter((o) => o.op.kind === 'receipt');
  expect(receipts.every((o) => o.ok)).toBe(true);
  const intoNewLot = receipts.filter((o) => o.op.kind === 'receipt' && o.op.lotNo === NEW_LOT.lotNo);
  expect(intoNewLot).toHaveLength(WORKERS * 24);
  const newLotMovements = movements.filter((m) => m.batchId === newLot[0]!.batchId);
  expect(newLotMovements.map((m) => m.docNo).sort()).toEqual(intoNewLot.map((o) => o.docNo).sort());
  expect(balances.find((b) => b.batchId === newLot[0]!.batchId)?.onHand).toBe(sum(intoNewLot, qty));
  // Each raced lot is one batch at the city depot, into which every receipt and transfer of it went.
  for (const lot of ids.raceLots) {
    const batches = await env.app.db
      .selectFrom('batches')
      .selectAll()
      .where('depotId', '=', ids.city)
      .where('lotNo', '=', lot.lotNo)
      .execute();
    expect(batches).toHaveLength(1);
    const came = all.filter(
      (o) =>
        o.ok &&
        ((o.op.kind === 'receipt' && o.op.lotNo === lot.lotNo) ||
          (o.op.kind === 'transfer' && o.op.batchId === lot.batchId)),
    );
    expect(came).toHaveLength(WORKERS);
    // (Issues may take from it later, once the older tents are gone: FEFO.)
    const inflows = movements.filter((m) => m.batchId === batches[0]!.batchId && m.quantity > 0);
    expect(inflows.map((m) => [m.docNo, m.quantity]).sort()).toEqual(
      came.map((o) => [o.docNo, qty(o)]).sort(),
    );
  }
  // No lot exists twice at a depot (the transfers carried lots across both ways).
  const lots = await env.app.db.selectFrom('batches').select(['depotId', 'materialId', 'lotNo']).execute();
  expect(new Set(lots.map((b) => `${b.depotId}/${b.materialId}/${b.lotNo}`)).size).toBe(lots.length);

  // The totals add up to what the clients were told succeeded: every depot's on hand is the
  // opening stock plus what was received and transferred in, less what was issued and
  // transferred out; reserved is what was reserved less what was released.
  const pair = (depotId: number, materialId: number) => `${depotId}/${materialId}`;
  const expectedLevels = new Map<string, { onHand: number; reserved: number }>();
  const change = (depotId: number, materialId: number, onHand: number, reserved: number) => {
    const level = expectedLevels.get(pair(depotId, materialId)) ?? { onHand: 0, reserved: 0 };
    expectedLevels.set(pair(depotId, materialId), {
      onHand: level.onHand + onHand,
      reserved: level.reserved + reserved,
    });
  };
  for (const doc of opening) for (const m of doc.movements) change(m.depotId, m.materialId, m.quantity, 0);
  for (const o of all.filter((x) => x.ok)) {
    const op = o.op;
    if (op.kind === 'receipt') change(op.depotId, op.materialId, op.quantity, 0);
    if (op.kind === 'issue') change(op.depotId, op.materialId, -op.quantity, 0);
    if (op.kind === 'transfer') {
      change(op.fromDepotId, op.materialId, -op.quantity, 0);
      change(op.toDepotId, op.materialId, op.quantity, 0);
    }
    if (op.kind === 'reserve')
      for (const line of op.lines) change(line.depotId, line.materialId, 0, line.quantity);
    if (op.kind === 'release') change(op.depotId, op.materialId, 0, -op.quantity);
  }
  const levelsNow = Object.fromEntries(
    levels.map((l) => [pair(l.depotId, l.materialId), { onHand: l.onHand, reserved: l.reserved }]),
  );
  expect(levelsNow).toEqual(Object.fromEntries(expectedLevels));
  const okOf = (kind: Op['kind']) => all.filter((o) => o.ok && o.op.kind === kind);
  // The reservations the clients hold are exactly the active ones.
  const active = await env.app.db
    .selectFrom('reservations')
    .select('reservationId')
    .where('status', '=', 'active')
    .execute();
  const released = new Set(okOf('release').flatMap((o) => o.reservationIds!));
  const held = okOf('reserve')
    .flatMap((o) => o.reservationIds!)
    .filter((id) => !released.has(id));
  expect(active.map((r) => r.reservationId).sort((a, b) => a - b)).toEqual(held.sort((a, b) => a - b));

  // One audit record per successful write (and none for a refused one), and the chain verifies.
  const auditAfter = await env.app.db
    .selectFrom('auditLog')
    .select((eb) => ['action', eb.fn.countAll<number>().as('n')])
    .groupBy('action')
    .execute();
  const counts = (rows: typeof auditAfter) => Object.fromEntries(rows.map((r) => [r.action, Number(r.n)]));
  const added = Object.fromEntries(
    Object.entries(counts(auditAfter))
      .map(([action, n]) => [action, n - (counts(auditBefore)[action] ?? 0)] as const)
      .filter(([, n]) => n !== 0),
  );
  const actionOf: Record<Op['kind'], string> = {
    receipt: 'stock.receive',
    issue: 'stock.issue',
    transfer: 'stock.transfer',
    reserve: 'test.reserve',
    release: 'test.release',
    createUser: 'user.create',
    approve: 'allocation.approve',
    delivery: 'delivery.*',
    import: 'import.commit',
  };
  const expected: Record<string, number> = {};
  for (const o of all.filter((x) => x.ok))
    expected[actionOf[o.op.kind]] = (expected[actionOf[o.op.kind]] ?? 0) + 1;
  // The workers' own sign-ins are audited too (auth.login), once each.
  expected['auth.login'] = WORKERS;
  expect(added).toEqual(expected);

  // The workers' raw reservations (the ledger module, no approval behind them) are the only thing
  // the check finds: every one still active, as orphaned, and nothing else.
  const { n: stillActive } = await env.app.db
    .selectFrom('reservations')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('status', '=', 'active')
    .where('reference', 'like', 'CONC#%')
    .executeTakeFirstOrThrow();
  expect(Number(stillActive)).toBeGreaterThan(0);
  const clean = {
    differences: [],
    negatives: 0,
    inconsistent: 0,
    unreserved: 0,
    orphaned: Number(stillActive),
  };
  expect(await checkLedger(env.app.svc)).toEqual(expect.objectContaining(clean));
  expect(await env.call(w.admin.token, 'ledger.check')).toEqual(expect.objectContaining(clean));
  const audit = await verifyAudit(env.app.db);
  expect(audit).toEqual(expect.objectContaining({ ok: true, firstBrokenId: null, problem: null }));
  expect(audit.records).toBe(await countRows(env, 'auditLog'));
  expect(await env.call(w.admin.token, 'audit.verify')).toEqual(expect.objectContaining({ ok: true }));

  // A refused user name said so clearly (see above).
  expect(unclear).toEqual([]);
});

test('two coordinators in two processes approve requests for the same last tents at the same moment: one wins, the other is told what is left', async () => {
  env = await createTestEnv();
  const w = await createWorld(env);
  await env.call(w.admin.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: w.tent.materialId, quantity: 100, lotNo: 'T-LAST' }],
  });
  const filer = await env.user('coordinator');
  const requests = [];
  for (const depot of [w.shinan, w.laoshan])
    requests.push(
      await env.call(filer.token, 'allocation.create', {
        requesterDepotId: depot.depotId,
        urgency: 'extra_urgent',
        deliverToDepotId: depot.depotId,
        neededBy: '2026-11-30T12:00:00.000Z',
        lines: [{ materialId: w.tent.materialId, quantity: 70 }],
        submit: true,
      }),
    );
  const outcomes = await raceOnce(
    env,
    requests.map((request, k) => ({
      role: 'coordinator',
      depotIds: [],
      username: `approver${k + 1}`,
      op: {
        kind: 'approve',
        requestId: request.requestId,
        lineId: request.lines[0]!.lineId,
        depotId: w.city.depotId,
        quantity: 70,
      },
    })),
  );
  expect(outcomes.map((o) => o.code).sort()).toEqual(['INSUFFICIENT_STOCK', 'ok']);
  expect(outcomes.find((o) => !o.ok)!.message).toContain('可用 30');
  const level = await env.app.db
    .selectFrom('stockLevels')
    .select(['onHand', 'reserved'])
    .where('depotId', '=', w.city.depotId)
    .where('materialId', '=', w.tent.materialId)
    .executeTakeFirstOrThrow();
  expect(level).toEqual({ onHand: 100, reserved: 70 });
  const statuses = await env.app.db
    .selectFrom('allocationRequests')
    .select('status')
    .orderBy('requestId')
    .execute();
  expect(statuses.map((s) => s.status).sort()).toEqual(['approved', 'submitted']);
  expect((await checkLedger(env.app.store)).ok).toBe(true);
});

test('two processes at once on the orders of one request: dispatching twice posts once; sibling orders signed together complete the request', async () => {
  env = await createTestEnv();
  const w = await createWorld(env);
  for (const depot of [w.city, w.laoshan])
    await env.call(w.admin.token, 'stock.receive', {
      depotId: depot.depotId,
      source: 'procurement',
      lines: [{ materialId: w.tent.materialId, quantity: 50, lotNo: `T-${depot.depotId}` }],
    });
  const coordinator = await env.user('coordinator');
  const request = await env.call(coordinator.token, 'allocation.create', {
    requesterDepotId: w.shinan.depotId,
    urgency: 'extra_urgent',
    deliverToDepotId: w.shinan.depotId,
    neededBy: '2026-11-30T12:00:00.000Z',
    lines: [{ materialId: w.tent.materialId, quantity: 40 }],
    submit: true,
  });
  const approved = await env.call(coordinator.token, 'allocation.approve', {
    requestId: request.requestId,
    lines: [
      {
        lineId: request.lines[0]!.lineId,
        sources: [w.city, w.laoshan].map((d) => ({
          depotId: d.depotId,
          quantity: 20,
          overrideReason: '演练',
        })),
      },
    ],
  });
  const now = env.clock.now().getTime();
  const orders = [];
  for (const source of approved.lines[0]!.sources)
    orders.push(
      await env.call(coordinator.token, 'delivery.create', {
        requestId: request.requestId,
        sourceIds: [source.sourceId],
        vehiclePlate: '鲁B12345',
        driverName: '王师傅',
        driverPhone: '13812345678',
        plannedDeparture: new Date(now).toISOString(),
        plannedArrival: new Date(now + 2 * 3_600_000).toISOString(),
      }),
    );
  const [fromCity, fromLaoshan] = orders as [(typeof orders)[number], (typeof orders)[number]];

  const race = (depotId: number, name: string, ops: Op[]) =>
    raceOnce(
      env,
      ops.map((op, k) => ({ role: 'keeper', depotIds: [depotId], username: `${name}${k + 1}`, op })),
    );

  // Two keepers of the city depot press 发车 on the same order at the same moment.
  const dispatch = {
    kind: 'delivery',
    procedure: 'delivery.dispatch',
    input: { deliveryId: fromCity.deliveryId },
  } as const;
  const dispatched = await race(w.city.depotId, 'loader', [dispatch, dispatch]);
  expect(dispatched.map((o) => o.code).sort()).toEqual(['CONFLICT', 'ok']);
  const movements = await env.app.db
    .selectFrom('movements')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.sum<number | string>('quantity').as('q'),
    ])
    .where('docNo', '=', fromCity.docNo)
    .executeTakeFirstOrThrow();
  expect([Number(movements.n), Number(movements.q)]).toEqual([1, -20]);
  const laoshanKeeper = await env.user('keeper', [w.laoshan.depotId]);
  await env.call(laoshanKeeper.token, 'delivery.dispatch', { deliveryId: fromLaoshan.deliveryId });

  // Two keepers of the receiving depot sign for the two orders of the request at the same moment.
  const signed = await race(
    w.shinan.depotId,
    'receiver',
    [fromCity, fromLaoshan].map((order) => ({
      kind: 'delivery',
      procedure: 'delivery.deliver',
      input: {
        deliveryId: order.deliveryId,
        receiverName: '签收人',
        receivedAt: env.clock.now().toISOString(),
        items: [],
      },
    })),
  );
  expect(signed.map((o) => o.code)).toEqual(['ok', 'ok']);
  const after = await env.call(coordinator.token, 'allocation.get', { requestId: request.requestId });
  expect(after.status).toBe('completed');
  expect(
    await env.app.db
      .selectFrom('stockLevels')
      .select(['onHand', 'reserved'])
      .where('depotId', '=', w.shinan.depotId)
      .where('materialId', '=', w.tent.materialId)
      .executeTakeFirstOrThrow(),
  ).toEqual({ onHand: 40, reserved: 0 });
  expect(await checkLedger(env.app.store)).toMatchObject({ ok: true, unreserved: 0, orphaned: 0 });
  expect((await verifyAudit(env.app.db)).ok).toBe(true);
});

test('two keepers in two processes commit the same opening-stock file at the same moment: it is posted once, the other is told when', async () => {
  env = await createTestEnv();
  const w = await createWorld(env);
  // Enough rows that the two commits' transactions overlap for most of their length.
  const rows: (string | number)[][] = [['品名', '单位', '数量', '批次号']];
  for (let k = 1; k <= 1500; k += 1) rows.push(['棉被', '床', k, `Q-${k}`]);
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), '期初');
  const file = path.join(bundleDir, '期初库存.xlsx');
  XLSX.writeFile(book, file);

  const outcomes = await raceOnce(
    env,
    [1, 2].map((k) => ({
      role: 'keeper' as const,
      depotIds: [w.shinan.depotId],
      username: `importer${k}`,
      op: { kind: 'import' as const, file, depotId: w.shinan.depotId },
    })),
  );

  expect(outcomes.map((o) => o.code).sort()).toEqual(['CONFLICT', 'ok']);
  const posted = outcomes.find((o) => o.ok)!;
  expect(outcomes.find((o) => !o.ok)!.message).toContain(posted.docNo);
  const level = await env.app.db
    .selectFrom('stockLevels')
    .select('onHand')
    .where('depotId', '=', w.shinan.depotId)
    .where('materialId', '=', w.quilt.materialId)
    .executeTakeFirstOrThrow();
  expect(Number(level.onHand)).toBe((1500 * 1501) / 2);
  const documents = await env.app.db
    .selectFrom('movements')
    .select('docNo')
    .distinct()
    .where('depotId', '=', w.shinan.depotId)
    .where('materialId', '=', w.quilt.materialId)
    .execute();
  expect(documents.map((d) => d.docNo)).toEqual([posted.docNo]);
  const imports = await env.app.db
    .selectFrom('auditLog')
    .select('auditId')
    .where('action', '=', 'import.commit')
    .execute();
  expect(imports).toHaveLength(1);
  expect((await checkLedger(env.app.store)).ok).toBe(true);
  expect((await verifyAudit(env.app.db)).ok).toBe(true);
});
