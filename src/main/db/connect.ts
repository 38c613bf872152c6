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

export function createKysely(sqlite: BetterSqlite3.Database): Kysely<Database> {
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), plugins: [new CamelCasePlugin()] });
}
