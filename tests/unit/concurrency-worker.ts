/**
 * One writer process of tests/unit/concurrency.test.ts (bundled with esbuild and started with
 * `node bundle.cjs config.json`). It opens the same store as the test and the other workers,
 * signs in with the credentials the test prepared, then runs its planned writes one after
 * another — procedures through `app.dispatch()`, reservations through the ledger inside `write()`
 * (there is no public procedure for them yet) — and reports each outcome as one JSON line.
 * Unexpected errors (INTERNAL) go to stderr with their stack.
 *
 * Barriers: before its first write, and before each write listed in `barriers`, the worker says
 * `{type:'wait', at}` and waits for a line on stdin; the test answers every worker at once when
 * all of them wait there, so those writes (the contested user names) really start together.
 *
 * The import's parse worker (parse-worker.cjs) is copied beside the bundle by the test.
 *
 * stdout, one JSON object a line: {type:'wait', at} · {type:'result', ...Outcome} · {type:'done'}.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { AppError, type RpcResponse } from '../../src/shared/rpc';
import { createApp, type App } from '../../src/main/app';
import type { StoreConfig } from '../../src/main/db/store';
import { closeReservation, lockedStockLevels, reserveMany } from '../../src/main/ledger';
import { toRpcError } from '../../src/main/rpc/errors';
import { resolveSession } from '../../src/main/services/auth.service';
import { systemClock, type Actor, type SecurityConfig } from '../../src/main/services/context';
import { write } from '../../src/main/services/write';

export type Op =
  | {
      kind: 'receipt';
      depotId: number;
      materialId: number;
      lotNo: string;
      producedOn: string | null;
      expiresOn: string;
      quantity: number;
    }
  | { kind: 'issue'; depotId: number; materialId: number; quantity: number }
  /** FEFO, or out of the named batch. */
  | {
      kind: 'transfer';
      fromDepotId: number;
      toDepotId: number;
      materialId: number;
      quantity: number;
      batchId?: number;
    }
  /**
   * Reserves each line, in order, in one write (as an approved allocation with lines at several
   * depots would); `pauseMs` waits between lines, holding the first line's row lock meanwhile.
   */
  | { kind: 'reserve'; lines: ReservationLine[]; pauseMs?: number }
  /** Releases this worker's oldest active reservation; with none, runs `otherwise` instead. */
  | { kind: 'release'; otherwise: Extract<Op, { kind: 'reserve' }> }
  | { kind: 'createUser'; username: string; contested: boolean }
  /** allocation.approve of one line from one depot (the worker signs in as a coordinator). */
  | { kind: 'approve'; requestId: number; lineId: number; depotId: number; quantity: number }
  /** A delivery order's step, as the screens send it (`delivery.dispatch`, `delivery.deliver`). */
  | {
      kind: 'delivery';
      procedure: 'delivery.dispatch' | 'delivery.deliver';
      input: { deliveryId: number } & Record<string, unknown>;
    }
  /** A workbook uploaded as the screens upload it, then `import.commit` of its opening stock. */
  | { kind: 'import'; file: string; depotId: number };

export interface ReservationLine {
  depotId: number;
  materialId: number;
  quantity: number;
}

/** What was actually run (a release says which reservation it ended). */
export type RanOp =
  Exclude<Op, { kind: 'release' }> | ({ kind: 'release'; reservationId: number } & ReservationLine);

export interface WorkerConfig {
  worker: number;
  store: StoreConfig;
  security: Partial<SecurityConfig>;
  username: string;
  password: string;
  /** The workers' clock: `baseTime` at wall-clock `anchorMs`, moving with real time from there. */
  baseTime: string;
  anchorMs: number;
  ops: Op[];
  /** Indexes of writes that every worker starts together (the start, -1, always is a barrier). */
  barriers: number[];
}

export interface Outcome {
  worker: number;
  index: number;
  op: RanOp;
  ok: boolean;
  /** 'ok' or the error code. */
  code: string;
  message?: string;
  fields?: { path: string; label: string; message: string }[];
  docNo?: string;
  /** A reserve's reservations (one per line), or the one a release ended. */
  reservationIds?: number[];
  userId?: number;
  /** Wall-clock start (ms since the epoch) and duration of the call. */
  startedAt: number;
  ms: number;
}

const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

/** Lines from the test on stdin, each releasing one barrier. */
const released: (() => void)[] = [];
let early = 0;
createInterface({ input: process.stdin }).on('line', () => {
  const next = released.shift();
  if (next) next();
  else early += 1;
});
/** Says where this worker waits and returns once the test lets everyone go on. */
function barrier(at: number): Promise<void> {
  say({ type: 'wait', at });
  if (early > 0) {
    early -= 1;
    return Promise.resolve();
  }
  return new Promise((resolve) => released.push(resolve));
}
const complain = (text: string) => process.stderr.write(`${text}\n`);

type Reported = Omit<Outcome, 'worker' | 'index' | 'op' | 'startedAt' | 'ms'>;

/** A dispatch response as an outcome; `pick` takes what to keep from a success's result. */
function fromResponse(response: RpcResponse, pick: (result: never) => Partial<Reported>): Reported {
  if (response.ok) return { ok: true, code: 'ok', ...pick(response.result as never) };
  const { code, message, fields } = response.error;
  return {
    ok: false,
    code,
    message,
    ...(fields ? { fields: fields.map((f) => ({ path: f.path, label: f.label, message: f.message })) } : {}),
  };
}
const docNo = (result: { docNo: string }) => ({ docNo: result.docNo });

/** A ledger call inside write(), answered the way dispatch answers (typed error, or INTERNAL logged). */
async function viaLedger<T>(what: string, run: () => Promise<T>): Promise<{ outcome: Reported; value?: T }> {
  try {
    return { outcome: { ok: true, code: 'ok' }, value: await run() };
  } catch (error) {
    if (error instanceof AppError) {
      const e = toRpcError('zh-CN', error);
      return { outcome: { ok: false, code: e.code, message: e.message } };
    }
    complain(
      `INTERNAL ${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)} ${JSON.stringify(error)}`,
    );
    return { outcome: { ok: false, code: 'INTERNAL', message: String(error) } };
  }
}

async function run(config: WorkerConfig, app: App, token: string, actor: Actor): Promise<void> {
  /** This worker's active reservations, oldest first. */
  const mine: { reservationId: number; depotId: number; materialId: number; quantity: number }[] = [];
  const call = (procedure: string, input: unknown, idempotent: boolean) =>
    app.dispatch({ procedure, input, token, ...(idempotent ? { idempotencyKey: randomUUID() } : {}) });

  for (const [index, planned] of config.ops.entries()) {
    if (config.barriers.includes(index)) await barrier(index);
    const startedAt = Date.now();
    const started = performance.now();
    const op: RanOp =
      planned.kind === 'release'
        ? mine.length > 0
          ? { kind: 'release', ...mine[0]! }
          : planned.otherwise
        : planned;
    let outcome: Reported;
    switch (op.kind) {
      case 'receipt': {
        const { depotId, materialId, lotNo, producedOn, expiresOn, quantity } = op;
        const lines = [{ materialId, quantity, lotNo, producedOn, expiresOn }];
        outcome = fromResponse(
          await call('stock.receive', { depotId, source: 'procurement', lines }, true),
          docNo,
        );
        break;
      }
      case 'issue': {
        const { depotId, materialId, quantity } = op;
        const input = { depotId, recipient: `worker ${config.worker}`, lines: [{ materialId, quantity }] };
        outcome = fromResponse(await call('stock.issue', input, true), docNo);
        break;
      }
      case 'transfer': {
        const { fromDepotId, toDepotId, materialId, quantity, batchId } = op;
        const input = {
          fromDepotId,
          toDepotId,
          lines: [{ materialId, quantity, ...(batchId ? { batchId } : {}) }],
        };
        outcome = fromResponse(await call('stock.transfer', input, true), docNo);
        break;
      }
      case 'createUser': {
        const input = {
          username: op.username,
          displayName: `并发 ${op.username}`,
          role: 'staff',
          password: config.password,
        };
        outcome = fromResponse(await call('user.create', input, false), (user: { userId: number }) => ({
          userId: user.userId,
        }));
        break;
      }
      case 'approve': {
        const { requestId, lineId, depotId, quantity } = op;
        const input = {
          requestId,
          lines: [{ lineId, sources: [{ depotId, quantity, overrideReason: '并发' }] }],
        };
        outcome = fromResponse(await call('allocation.approve', input, true), docNo);
        break;
      }
      case 'delivery': {
        outcome = fromResponse(await call(op.procedure, op.input, true), docNo);
        break;
      }
      case 'import': {
        const uploaded = await app.upload(token, path.basename(op.file), readFileSync(op.file), 'zh-CN');
        if (!uploaded.ok) {
          outcome = fromResponse(uploaded, () => ({}));
          break;
        }
        const { uploadId } = uploaded.result as { uploadId: string };
        const input = { uploadId, kind: 'opening-stock', depotId: op.depotId };
        outcome = fromResponse(await call('import.commit', input, true), (r: { documents: string[] }) => ({
          docNo: r.documents[0],
        }));
        break;
      }
      case 'reserve': {
        const { lines, pauseMs } = op;
        const r = await viaLedger('reserve', () =>
          write(app.svc, actor, 'test.reserve', async (trx, at) => {
            // Locked in depot order, then a pause with the locks held, so the other workers queue.
            const levels = await lockedStockLevels(trx, app.svc.dialect, lines);
            if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
            const ids = await reserveMany(
              trx,
              actor,
              at.iso,
              levels,
              lines.map((line, k) => ({
                ...line,
                reference: `CONC#w${config.worker}:${index}.${k}`,
                path: `lines.${k}.quantity`,
              })),
            );
            return {
              result: ids,
              audit: { entityType: 'reservation', entityId: ids.join(','), after: { lines } },
            };
          }),
        );
        if (r.value) mine.push(...r.value.map((reservationId, k) => ({ reservationId, ...lines[k]! })));
        outcome = { ...r.outcome, ...(r.value ? { reservationIds: r.value } : {}) };
        break;
      }
      case 'release': {
        const { reservationId } = op;
        const r = await viaLedger('release', () =>
          write(app.svc, actor, 'test.release', async (trx, at) => {
            await closeReservation(trx, reservationId, 'released', at.iso);
            return {
              result: null,
              audit: { entityType: 'reservation', entityId: reservationId, after: { status: 'released' } },
            };
          }),
        );
        if (r.outcome.ok) mine.shift();
        outcome = { ...r.outcome, reservationIds: [reservationId] };
        break;
      }
    }
    const line: Outcome = {
      worker: config.worker,
      index,
      op,
      ...outcome,
      startedAt,
      ms: Math.round(performance.now() - started),
    };
    say({ type: 'result', ...line });
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as WorkerConfig;
  const base = Date.parse(config.baseTime);
  const app = await createApp({
    store: config.store,
    security: config.security,
    clock: { ...systemClock, now: () => new Date(base + (Date.now() - config.anchorMs)) },
    logError: (message, error) =>
      complain(
        `INTERNAL ${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)} ${JSON.stringify(error)}`,
      ),
  });
  try {
    const login = await app.dispatch({
      procedure: 'auth.login',
      input: { username: config.username, password: config.password },
    });
    if (!login.ok)
      throw new Error(`worker ${config.worker} could not sign in: ${JSON.stringify(login.error)}`);
    const token = (login.result as { token: string }).token;
    const actor = await resolveSession(app.svc, token);
    // The start: every worker is connected and signed in before anyone writes.
    await barrier(-1);
    await run(config, app, token, actor);
    say({ type: 'done' });
  } finally {
    process.stdin.destroy();
    await app.close();
  }
}

main().catch((error: unknown) => {
  complain(`worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
