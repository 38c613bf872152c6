/** Brings a database to the latest schema using the static migration index. */
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator, type MigrationResultSet } from 'kysely/migration';
import type BetterSqlite3 from 'better-sqlite3';
import { migrations } from '../../../migrations';

/** Migrations are written in snake_case, so they run on a plain Kysely without the camelCase plugin. */
export async function migrateToLatest(sqlite: BetterSqlite3.Database): Promise<MigrationResultSet> {
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

export function latestMigrationName(): string {
  return Object.keys(migrations).at(-1)!;
}
