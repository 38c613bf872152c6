/** Opens the SQLite store with the pragmas every connection must have (ARCHITECTURE.md). */
import BetterSqlite3 from 'better-sqlite3';
import { CamelCasePlugin, Kysely, SqliteDialect } from 'kysely';
import type { Database } from './database';

export const PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON', 'busy_timeout = 5000'] as const;

export function openSqlite(file: string, options: { readonly?: boolean } = {}): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  for (const pragma of PRAGMAS) {
    if (options.readonly && pragma.startsWith('journal_mode')) continue;
    sqlite.pragma(pragma);
  }
  return sqlite;
}

/**
 * Kysely prepares every statement it runs, and preparing one costs about as much as running a
 * short query. The dialect gets the connection behind a small LRU cache of prepared statements
 * (keyed by SQL text; kysely runs one statement at a time, so a cached one is never busy).
 */
export function withStatementCache(sqlite: BetterSqlite3.Database, size = 500) {
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

export function createKysely(sqlite: BetterSqlite3.Database): Kysely<Database> {
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), plugins: [new CamelCasePlugin()] });
}
