/**
 * The few real differences between the two stores that services and the write wrapper need:
 * how a write transaction opens, row locks, the audit chain's head lock, text search, snapshot
 * reads and what a driver error means. Nothing else in services knows which store it runs on.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from './database';

export type StoreKind = 'sqlite' | 'postgres';

/** What a failed statement means, independent of the driver's codes. */
export type DatabaseFailure =
  /** Another writer held the lock or won a serialization race: run the write again. */
  | { kind: 'retry' }
  | { kind: 'unique'; table: string | null; columns: string[] }
  /** `constraint` is the CHECK's name or, when it has none, its expression (SQLite). */
  | { kind: 'check'; constraint: string }
  /** A value the store cannot hold in its column (out of range, an invalid character). */
  | { kind: 'badValue' }
  | { kind: 'foreignKey' };

interface RowLockable<Q> {
  forUpdate(): Q;
  forShare(): Q;
}

export interface Dialect {
  readonly kind: StoreKind;
  /** Opens a write transaction: SQLite takes the write lock at once, so a write never fails to upgrade a read lock. */
  readonly beginWrite: string;
  /**
   * Locks the rows a read returns until the transaction ends (PostgreSQL `for update`). On
   * SQLite a write transaction already holds the only write lock, so the read is plain.
   */
  forUpdate<Q extends RowLockable<Q>>(query: Q): Q;
  /** A shared lock (PostgreSQL `for share`): others may read-lock the row too, nobody may change it. */
  forShare<Q extends RowLockable<Q>>(query: Q): Q;
  /** Serialises audit appends so that the chain follows commit order (SQLite: already serial). */
  lockAuditHead(trx: Db): Promise<void>;
  /**
   * Serialises the writes about one thing (an imported file's digest) until the transaction
   * ends, so a check made after it sees what an earlier such write committed (SQLite: already
   * serial). Only for checks no row lock can cover: the thing has no row yet.
   */
  lockKey(trx: Db, key: string): Promise<void>;
  /** `value LIKE pattern ESCAPE '\'`, case-insensitive for Latin letters on both stores. */
  like(value: Expression<string | null>, pattern: string): Expression<SqlBool>;
  /** Runs reads on one consistent snapshot (PostgreSQL: repeatable read, read only). */
  readSnapshot<T>(db: Db, reads: (trx: Db) => Promise<T>): Promise<T>;
  classifyError(error: unknown): DatabaseFailure | null;
}

/** Escapes `%`, `_` and `\` so a user's text matches itself inside a LIKE pattern. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** snake_case column names from a driver message → the camelCase names the contract uses. */
function camel(column: string): string {
  return column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

const sqliteDialect: Dialect = {
  kind: 'sqlite',
  beginWrite: 'begin immediate',
  forUpdate: (query) => query,
  forShare: (query) => query,
  lockAuditHead: async () => undefined,
  lockKey: async () => undefined,
  // SQLite's LIKE already ignores the case of Latin letters (and only theirs).
  like: (value, pattern) => sql<SqlBool>`${value} like ${pattern} escape '\\'`,
  readSnapshot: (db, reads) => db.transaction().execute(reads),
  classifyError(error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return { kind: 'retry' };
    const message = String((error as Error).message);
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      // "UNIQUE constraint failed: users.username" (or "t.a, t.b")
      const names = message
        .replace(/^.*failed: /, '')
        .split(', ')
        .map((n) => n.split('.'));
      return {
        kind: 'unique',
        table: names[0]?.[0] ?? null,
        columns: names.map((n) => camel(n.at(-1) ?? '')),
      };
    }
    if (code === 'SQLITE_CONSTRAINT_CHECK')
      return { kind: 'check', constraint: message.replace(/^.*failed: /, '') };
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return { kind: 'foreignKey' };
    return null;
  },
};

/** Any constant key for pg_advisory_xact_lock: the audit chain's head. */
const AUDIT_HEAD_LOCK = 7_300_001;
/**
 * lockKey's class: the first of pg_advisory_xact_lock's two int4 keys (the second is the key's
 * hash). The two-key space does not overlap the one-key space of AUDIT_HEAD_LOCK.
 */
const KEYED_LOCKS = 7_300_002;

const postgresDialect: Dialect = {
  kind: 'postgres',
  beginWrite: 'begin',
  forUpdate: (query) => query.forUpdate(),
  forShare: (query) => query.forShare(),
  lockAuditHead: async (trx) => {
    await sql`select pg_advisory_xact_lock(${sql.lit(AUDIT_HEAD_LOCK)})`.execute(trx);
  },
  lockKey: async (trx, key) => {
    // Keys that share a hash wait for each other now and then: slower, never wrong.
    await sql`select pg_advisory_xact_lock(${sql.lit(KEYED_LOCKS)}, hashtext(${key}))`.execute(trx);
  },
  // ILIKE would also fold other scripts' letters, and lower() follows the server's locale;
  // folding A–Z alone (translate) matches SQLite exactly.
  like: (value, pattern) =>
    sql<SqlBool>`translate(${value}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') like ${pattern.replace(/[A-Z]/g, (c) => c.toLowerCase())} escape '\\'`,
  readSnapshot: (db, reads) =>
    db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(reads),
  classifyError(error) {
    const e = error as { code?: unknown; constraint?: unknown; detail?: unknown; table?: unknown } | null;
    const code = e?.code;
    if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
    // 0A000 "cached plan must not change result type": a named statement outlived a schema change
    // (another process migrated); postgres.ts stops naming it on that connection, and the write runs again.
    if (code === '40001' || code === '40P01' || code === '0A000') return { kind: 'retry' };
    // 22003 out of range, 22021 invalid character, 22P02 invalid text for a number.
    if (code === '22003' || code === '22021' || code === '22P02') return { kind: 'badValue' };
    if (code === '23505') {
      // detail: "Key (username)=(keeper1) already exists." or "Key (depot_id, material_id)=(…)"
      const match = /^Key \(([^)]*)\)/.exec(String(e?.detail ?? ''));
      const columns = match ? match[1]!.split(', ').map(camel) : [];
      return { kind: 'unique', table: typeof e?.table === 'string' ? e.table : null, columns };
    }
    if (code === '23514') return { kind: 'check', constraint: String(e?.constraint ?? '') };
    if (code === '23503') return { kind: 'foreignKey' };
    return null;
  },
};

export function dialectFor(kind: StoreKind): Dialect {
  return kind === 'postgres' ? postgresDialect : sqliteDialect;
}
