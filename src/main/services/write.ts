/**
 * The one write path. `write(ctx, actor, action, body)` opens the transaction (SQLite: BEGIN
 * IMMEDIATE, so a write never fails to upgrade a read lock), reads the clock once, runs the body,
 * seals the movements it posted into its audit record (ledger-seal.ts), appends that record as its last statement (the chain head locked first, so the chain
 * follows commit order), commits, retries a bounded number of times when another writer held
 * the lock or won a serialization race, and turns constraint failures into typed errors.
 * Services never open transactions or write audit records by hand.
 */
import { sql } from 'kysely';
import { AppError, type FieldIssue } from '../../shared/rpc';
import type { Trx } from '../db/database';
import type { DatabaseFailure } from '../db/dialect';
import { appendAudit, type AuditEntry } from './audit.service';
import type { Actor, ServiceContext } from './context';
import { postedMovements, trackPostedMovements } from '../ledger/posted';
import { claimIdempotencyKey } from './idempotency';
import { sealPosted } from './ledger-seal';

/** The moment a write happens: read once, used for every row and the audit record. */
export interface WriteTime {
  instant: Date;
  iso: string;
}

/** What a write body returns: its result, and what the audit record says about it. */
export interface WriteOutcome<T> {
  result: T;
  audit: Omit<AuditEntry, 'action'>;
}

export interface WriteOptions {
  /**
   * What a clash on a unique column (camelCase) means, in the service's words. The service's
   * own check usually answers first; under concurrency the unique key decides, and the loser
   * should still read "用户名「x」已被使用", not a generic sentence.
   */
  unique?: Record<string, () => AppError>;
}

/** Attempts in all when the store reports a lock or serialization conflict. */
const MAX_ATTEMPTS = 6;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One transaction on one connection, retried on lock and serialization conflicts. The body may
 * run more than once: it must do nothing outside the transaction. `write` is this plus the
 * audit record; internal bookkeeping that is not a user's action (login throttling, idempotency
 * replies) uses it directly.
 */
export async function transact<T>(
  ctx: ServiceContext,
  body: (trx: Trx, at: WriteTime) => Promise<T>,
  options: WriteOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await ctx.db.connection().execute(async (conn) => {
        await sql.raw(ctx.dialect.beginWrite).execute(conn);
        try {
          const instant = ctx.clock.now();
          const result = await body(conn, { instant, iso: instant.toISOString() });
          await sql`commit`.execute(conn);
          return result;
        } catch (error) {
          // The store may have ended the transaction already (it does on some errors).
          await sql`rollback`.execute(conn).catch(() => undefined);
          throw error;
        }
      });
    } catch (error) {
      if (error instanceof AppError) throw error;
      const failure = ctx.dialect.classifyError(error);
      if (failure?.kind === 'retry') {
        if (attempt < MAX_ATTEMPTS) {
          // Jittered back-off: writers that collided do not collide again in step.
          await pause(Math.random() * 10 * 2 ** attempt);
          continue;
        }
        throw new AppError('CONFLICT', 'error.busy');
      }
      if (failure?.kind === 'unique') {
        const own = options.unique?.[failure.columns.at(-1) ?? ''];
        if (own) throw own();
      }
      throw failure ? (constraintError(failure) ?? error) : error;
    }
  }
}

export async function write<T>(
  ctx: ServiceContext,
  actor: Actor | null,
  action: string,
  body: (trx: Trx, at: WriteTime) => Promise<WriteOutcome<T>>,
  options: WriteOptions = {},
): Promise<T> {
  const result = await transact(
    ctx,
    async (trx, at) => {
      await claimIdempotencyKey(ctx, trx, at);
      trackPostedMovements(trx);
      const outcome = await body(trx, at);
      const reply = ctx.request?.reply;
      if (reply?.procedure === action)
        reply.checked = { value: outcome.result, parsed: reply.schema.parse(outcome.result) };
      const posted = postedMovements(trx);
      const movements = posted.length > 0 ? await sealPosted(trx, posted) : outcome.audit.movements;
      await ctx.dialect.lockAuditHead(trx);
      await appendAudit(trx, actor, at.iso, { action, ...outcome.audit, movements });
      return outcome.result;
    },
    options,
  );
  // Only a committed claim counts: an attempt that was retried or rolled back claimed nothing.
  if (ctx.request?.idempotency) ctx.request.idempotency.claimed = true;
  return result;
}

/** Stock rules in the schema: on hand never negative, reserved never above on hand. */
function isStockRule(constraint: string): boolean {
  return /on_hand|reserved/.test(constraint) && !/plausible/.test(constraint);
}

/**
 * A constraint the services' own checks did not catch first (a race, or a rule only the schema
 * states) as the typed error the caller should see; null for anything else.
 */
function constraintError(failure: Exclude<DatabaseFailure, { kind: 'retry' }>): AppError | null {
  switch (failure.kind) {
    case 'unique': {
      const field = failure.columns.at(-1);
      const fields: FieldIssue[] = field ? [{ path: field, key: 'error.duplicateValue' }] : [];
      return new AppError('CONFLICT', 'error.duplicate', {}, fields);
    }
    case 'check':
      if (isStockRule(failure.constraint))
        return new AppError('INSUFFICIENT_STOCK', 'error.INSUFFICIENT_STOCK');
      if (/plausible/.test(failure.constraint))
        return new AppError('BAD_INPUT', 'error.implausible', { max: '10^12' });
      return new AppError('BAD_INPUT', 'error.BAD_INPUT');
    case 'foreignKey':
      return new AppError('NOT_FOUND', 'error.NOT_FOUND');
    case 'badValue':
      return new AppError('BAD_INPUT', 'error.BAD_INPUT');
  }
}
