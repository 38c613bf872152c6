/**
 * The embedded store: one SQLite file through better-sqlite3, with the pragmas every connection
 * must have (ARCHITECTURE.md), a prepared-statement cache, and its maintenance (integrity check,
 * online backup, bulk load for the --scale seeder).
 */
import { statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import {
  CamelCasePlugin,
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
} from 'kysely';
import type { Database } from './database';
import type { BulkLoad, IntegrityReport, Maintenance } from './maintenance';

export const PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = FULL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
] as const;

export function openSqliteFile(file: string, options: { readonly?: boolean } = {}): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  });
  try {
    for (const pragma of PRAGMAS) {
      if (options.readonly && pragma.startsWith('journal_mode')) continue;
      sqlite.pragma(pragma);
    }
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return sqlite;
}

/**
 * Kysely prepares every statement it runs, and preparing one costs about as much as running a
 * short query. The dialect gets the connection behind a small LRU cache of prepared statements
 * (keyed by SQL text; kysely runs one statement at a time, so a cached one is never busy).
 */
function withStatementCache(sqlite: BetterSqlite3.Database, size = 500) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => void sqlite.close(),
    prepare(sql: string): BetterSqlite3.Statement {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

export function sqliteKysely(sqlite: BetterSqlite3.Database): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    plugins: [new CamelCasePlugin()],
  });
}

/**
 * SQLite runs DDL inside transactions, though kysely's adapter says otherwise: saying so makes
 * the migrator run all pending migrations in one transaction, so a crash midway leaves the file
 * as it was. It begins immediate, so a second process starting at the same time waits its turn.
 */
class MigrationAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
class ImmediateDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
class MigrationDialect extends SqliteDialect {
  constructor(private readonly sqlite: BetterSqlite3.Database) {
    super({ database: sqlite });
  }
  override createAdapter() {
    return new MigrationAdapter();
  }
  override createDriver() {
    return new ImmediateDriver({ database: this.sqlite });
  }
}

/** Migrations are snake_case: a plain Kysely on the same connection (never destroyed: it would close the file). */
export function sqliteMigrationKysely(sqlite: BetterSqlite3.Database): Kysely<unknown> {
  return new Kysely<unknown>({ dialect: new MigrationDialect(sqlite) });
}

export function sqliteIntegrity(file: string): IntegrityReport {
  const sqlite = openSqliteFile(file, { readonly: true });
  try {
    const rows = sqlite.pragma('integrity_check') as { integrity_check: string }[];
    const fk = sqlite.pragma('foreign_key_check') as unknown[];
    const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    if (fk.length > 0) problems.push(`${fk.length} foreign key violations`);
    return problems.length === 0
      ? { ok: true, report: 'SQLite integrity_check, foreign_key_check: ok' }
      : { ok: false, report: problems.join('; ') };
  } finally {
    sqlite.close();
  }
}

/** Rows per multi-row INSERT statement in a bulk load. */
const ROWS_PER_STATEMENT = 100;

class BulkInsert {
  private readonly many: BetterSqlite3.Statement;
  private readonly one: BetterSqlite3.Statement;
  private readonly buffer: unknown[] = [];
  private readonly width: number;

  constructor(sqlite: BetterSqlite3.Database, table: string, columns: string[]) {
    this.width = columns.length;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const head = `insert into ${table} (${columns.join(', ')}) values `;
    this.many = sqlite.prepare(head + Array.from({ length: ROWS_PER_STATEMENT }, () => tuple).join(', '));
    this.one = sqlite.prepare(head + tuple);
  }

  push(...values: unknown[]): void {
    for (const v of values) this.buffer.push(v);
    if (this.buffer.length === this.width * ROWS_PER_STATEMENT) {
      this.many.run(this.buffer);
      this.buffer.length = 0;
    }
  }

  flush(): void {
    for (let i = 0; i < this.buffer.length; i += this.width)
      this.one.run(this.buffer.slice(i, i + this.width));
    this.buffer.length = 0;
  }
}

export function sqliteMaintenance(sqlite: BetterSqlite3.Database, file: string): Maintenance {
  const bulkLoad: BulkLoad = (tables, load) => {
    // No per-row foreign key checks, secondary indexes rebuilt once at the end, one transaction.
    const indexes = sqlite
      .prepare(
        `select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${tables.map(() => '?').join(', ')})`,
      )
      .all(...tables) as { name: string; sql: string }[];
    // A load writes hundreds of MB: in WAL mode every page would be written twice (to the log,
    // then checkpointed into the file). A rollback journal in memory writes each page once; the
    // journal mode returns to WAL when the load ends (a crash meanwhile leaves a half-built file:
    // generated data, in a folder that had to be empty).
    const previousCache = sqlite.pragma('cache_size', { simple: true }) as number;
    sqlite.pragma('cache_size = -262144');
    sqlite.pragma('foreign_keys = OFF');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.pragma('journal_mode = MEMORY');
    sqlite.exec('BEGIN');
    try {
      for (const index of indexes) sqlite.exec(`drop index ${index.name}`);
      load({
        table: (name, columns) => new BulkInsert(sqlite, name, columns),
        maxId: (table, column) =>
          (sqlite.prepare(`select coalesce(max(${column}), 0) as n from ${table}`).get() as { n: number }).n,
      });
      for (const index of indexes) sqlite.exec(index.sql);
      sqlite.exec('COMMIT');
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw error;
    } finally {
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma(`cache_size = ${previousCache}`);
    }
  };
  return {
    integrityCheck: async () => sqliteIntegrity(file),
    async backup(destination) {
      await sqlite.backup(destination);
      return { bytes: statSync(destination).size, integrity: sqliteIntegrity(destination) };
    },
    bulkLoad,
    resetIdentities: async () => undefined,
  };
}
