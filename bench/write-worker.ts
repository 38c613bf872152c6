/**
 * One writer process of the write benchmark (bench.ts forks it; bundled to out/bench/write-worker.cjs
 * by scripts/build-main.mjs). Over the IPC channel it gets a task, opens the store, signs in and
 * warms up, says `ready`, waits for `go` (so that all writers start together), runs its calls
 * one after another and reports `done` with its own start and end (process.hrtime, the same
 * monotonic clock in every process), its CPU time over the measured calls, the latency of each
 * call, and the error codes it saw; it closes its connection when told to (`close`). Modes:
 * - dispatch: `stock.receive` (one line, into this writer's own lot) through `app.dispatch()`;
 * - raw-insert: the driver alone, one row inserted and committed per call into a scratch table;
 * - raw-receipt: the driver alone running a receipt's own statements in one transaction (the
 *   movement INSERT and the UPDATEs of its batch and depot balances; no checks, no audit).
 */
import { createApp } from '../src/main/app';
import { openPostgresPool } from '../src/main/db/postgres';
import { openSqliteFile } from '../src/main/db/sqlite';
import { SCRATCH_TABLE, type FromWorker, type ToWorker, type WriterTask } from './write-protocol';

const send = (message: FromWorker) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
/** Resolves when bench.ts sends a message of this type. */
const signal = (type: 'go' | 'close') =>
  new Promise<void>((resolve) => process.on('message', (m: ToWorker) => m.type === type && resolve()));
const go = signal('go');
// The connection stays open until bench.ts has read the server's CPU time (an ended backend's
// time shows up in the postmaster's only once it has been reaped).
const closing = signal('close');

/** One call of the benchmark, and what to close at the end. */
interface Writer {
  call(seq: number): Promise<string | null>;
  close(): Promise<void>;
}

const lotOf = (task: WriterTask) => `BENCH-W${task.index}`;

async function dispatchWriter(task: WriterTask): Promise<Writer> {
  const app = await createApp({
    store: task.store,
    security: { scryptN: task.scryptN },
    logError: (m, e) => console.error(m, e),
  });
  const login = await app.dispatch({
    procedure: 'auth.login',
    input: { username: task.username, password: task.password },
  });
  if (!login.ok) throw new Error(`sign-in failed: ${login.error.message}`);
  const token = (login.result as { token: string }).token;
  const input = {
    depotId: task.depotId,
    source: 'procurement',
    lines: [
      {
        materialId: task.materialId,
        quantity: 10,
        lotNo: lotOf(task),
        producedOn: '2026-01-15',
        unitPriceFen: 132000,
      },
    ],
  };
  return {
    async call() {
      const response = await app.dispatch({ procedure: 'stock.receive', input, token });
      return response.ok ? null : response.error.code;
    },
    close: () => app.close(),
  };
}

/** The ids a raw receipt writes: the signed-in user, and the batch of this writer's lot (made by its dispatch run). */
const RECEIPT_IDS = `select (select user_id from users where username = ?) as user_id,
  (select batch_id from batches where depot_id = ? and material_id = ? and lot_no = ?) as batch_id`;
const INSERT_MOVEMENT = `insert into movements (doc_no, type, depot_id, material_id, batch_id, quantity, occurred_at, user_id, reason)
  values (?, 'receipt', ?, ?, ?, 10, ?, ?, 'procurement')`;
const UPDATE_BATCH = 'update batch_balances set on_hand = on_hand + 10 where batch_id = ?';
const UPDATE_LEVEL = 'update stock_levels set on_hand = on_hand + 10 where depot_id = ? and material_id = ?';
const INSERT_SCRATCH = `insert into ${SCRATCH_TABLE} (writer, seq, at) values (?, ?, ?)`;

/** `?` placeholders → `$1, $2 …` */
const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

async function rawWriter(task: WriterTask): Promise<Writer> {
  const receiptIds = [task.username, task.depotId, task.materialId, lotOf(task)];
  const docNo = (seq: number) => `RAW-${task.index}-${seq}`;
  if (task.store.kind === 'sqlite') {
    const sqlite = openSqliteFile(task.store.file);
    const close = async () => void sqlite.close();
    if (task.mode === 'raw-insert') {
      const insert = sqlite.prepare(INSERT_SCRATCH);
      return {
        async call(seq) {
          insert.run(task.index, seq, new Date().toISOString());
          return null;
        },
        close,
      };
    }
    const ids = sqlite.prepare(RECEIPT_IDS).get(...receiptIds) as {
      user_id: number | null;
      batch_id: number | null;
    };
    if (!ids.user_id || !ids.batch_id)
      throw new Error(`no user or batch for ${lotOf(task)}: run the dispatch writers first`);
    const insert = sqlite.prepare(INSERT_MOVEMENT);
    const batch = sqlite.prepare(UPDATE_BATCH);
    const level = sqlite.prepare(UPDATE_LEVEL);
    const receipt = sqlite.transaction((seq: number) => {
      insert.run(
        docNo(seq),
        task.depotId,
        task.materialId,
        ids.batch_id,
        new Date().toISOString(),
        ids.user_id,
      );
      batch.run(ids.batch_id);
      level.run(task.depotId, task.materialId);
    });
    return {
      async call(seq) {
        receipt.immediate(seq);
        return null;
      },
      close,
    };
  }
  const pool = openPostgresPool(task.store.url, 1);
  const client = await pool.connect();
  const close = async () => {
    client.release();
    await pool.end();
  };
  if (task.mode === 'raw-insert') {
    const text = numbered(INSERT_SCRATCH);
    return {
      async call(seq) {
        await client.query(text, [task.index, seq, new Date().toISOString()]);
        return null;
      },
      close,
    };
  }
  const ids = (
    await client.query<{ user_id: number | null; batch_id: number | null }>(numbered(RECEIPT_IDS), receiptIds)
  ).rows[0]!;
  if (!ids.user_id || !ids.batch_id)
    throw new Error(`no user or batch for ${lotOf(task)}: run the dispatch writers first`);
  const [insert, batch, level] = [INSERT_MOVEMENT, UPDATE_BATCH, UPDATE_LEVEL].map(numbered);
  return {
    async call(seq) {
      await client.query('begin');
      await client.query(insert!, [
        docNo(seq),
        task.depotId,
        task.materialId,
        ids.batch_id,
        new Date().toISOString(),
        ids.user_id,
      ]);
      await client.query(batch!, [ids.batch_id]);
      await client.query(level!, [task.depotId, task.materialId]);
      await client.query('commit');
      return null;
    },
    close,
  };
}

async function run(task: WriterTask): Promise<void> {
  const writer = task.mode === 'dispatch' ? await dispatchWriter(task) : await rawWriter(task);
  const errors: Record<string, number> = {};
  const count = (code: string | null) => {
    if (code) errors[code] = (errors[code] ?? 0) + 1;
  };
  try {
    for (let i = 0; i < task.warmup; i += 1) count(await writer.call(-1 - i));
    await send({ type: 'ready' });
    await go;
    const latenciesMs: number[] = [];
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < task.calls; i += 1) {
      const t = process.hrtime.bigint();
      count(await writer.call(i));
      latenciesMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const end = process.hrtime.bigint();
    const cpu = process.cpuUsage(cpuStart);
    await send({
      type: 'done',
      report: {
        startNs: String(start),
        endNs: String(end),
        cpuMs: (cpu.user + cpu.system) / 1000,
        latenciesMs,
        errors,
        maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      },
    });
    await closing;
  } finally {
    await writer.close();
  }
}

process.once('message', (message: ToWorker) => {
  if (message.type !== 'task') return;
  run(message.task).then(
    () => process.exit(0),
    (error: unknown) =>
      send({
        type: 'failed',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }).then(() => process.exit(1)),
  );
});
