/** Brings a database to the latest schema using the static migration index (same migrations on both stores). */
import type { Kysely } from 'kysely';
import { Migrator, type MigrationResultSet } from 'kysely/migration';
import { migrations } from '../../../migrations';

/** `db` is a plain Kysely (no camelCase plugin): migrations are written in snake_case. */
export function migratorFor(db: Kysely<unknown>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationResultSet> {
  const result = await migratorFor(db).migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

export function latestMigrationName(): string {
  return Object.keys(migrations).at(-1)!;
}
