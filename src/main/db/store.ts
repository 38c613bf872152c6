/**
 * The database seam: `openStore` opens and migrates the embedded SQLite file or a PostgreSQL
 * server and returns the Kysely instance, the dialect's few differences and its maintenance.
 * Only src/main/db/** imports a driver (lint rule).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Db } from './database';
import { dialectFor, type Dialect, type StoreKind } from './dialect';
import type { Migrator } from 'kysely/migration';
import type { Maintenance } from './maintenance';
import { migrateToLatest, migratorFor } from './migrate';
import {
  describePostgres,
  openPostgresPool,
  postgresKysely,
  postgresMaintenance,
  postgresMigrationKysely,
} from './postgres';
import { openSqliteFile, sqliteKysely, sqliteMaintenance, sqliteMigrationKysely } from './sqlite';

export const DATABASE_FILE = 'relief-depot.sqlite';

export type StoreConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface Store {
  readonly kind: StoreKind;
  /** The file, or the server URL without its password: for messages. */
  readonly location: string;
  readonly db: Db;
  readonly dialect: Dialect;
  readonly maintenance: Maintenance;
  /**
   * Long reads (an export, page by page) on one consistent snapshot that hold up nobody: on
   * SQLite a read-only connection of their own (WAL lets writers go on meanwhile), on PostgreSQL
   * a pooled connection in repeatable read, read only.
   */
  snapshot<T>(reads: (db: Db) => Promise<T>): Promise<T>;
  /** The schema's migrations on this store (openStore already ran them unless told not to). */
  migrator(): Migrator;
  close(): Promise<void>;
}

/**
 * `--database URL` (or RELIEF_DEPOT_DATABASE_URL) selects a PostgreSQL server; otherwise the
 * SQLite file in the data folder.
 */
export function storeConfig(
  dataDir: string,
  databaseUrl: string | undefined = process.env.RELIEF_DEPOT_DATABASE_URL,
): StoreConfig {
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) return { kind: 'postgres', url: databaseUrl };
  if (databaseUrl)
    throw new Error(
      `Not a PostgreSQL URL: ${describePostgres(databaseUrl)} (postgres://user:password@host:port/database)`,
    );
  return { kind: 'sqlite', file: path.join(dataDir, DATABASE_FILE) };
}

/** The file, or the server URL without its password. */
export function describeStore(config: StoreConfig): string {
  return config.kind === 'sqlite' ? config.file : describePostgres(config.url);
}

export async function openStore(config: StoreConfig, options: { migrate?: boolean } = {}): Promise<Store> {
  const migrate = options.migrate ?? true;
  if (config.kind === 'sqlite') {
    mkdirSync(path.dirname(config.file), { recursive: true });
    const sqlite = openSqliteFile(config.file);
    const schema = sqliteMigrationKysely(sqlite);
    try {
      if (migrate) await migrateToLatest(schema);
    } catch (error) {
      sqlite.close();
      throw error;
    }
    const db = sqliteKysely(sqlite);
    return {
      kind: 'sqlite',
      location: describeStore(config),
      db,
      dialect: dialectFor('sqlite'),
      maintenance: sqliteMaintenance(sqlite, config.file),
      snapshot: async (reads) => {
        const file = openSqliteFile(config.file, { readonly: true });
        // A reader holds up writers outside WAL (a file system where WAL could not be set):
        // there the reads go without one snapshot rather than stall every write.
        const wal = file.pragma('journal_mode', { simple: true }) === 'wal';
        const reader = sqliteKysely(file);
        try {
          return wal ? await dialectFor('sqlite').readSnapshot(reader, reads) : await reads(reader);
        } finally {
          await reader.destroy();
        }
      },
      migrator: () => migratorFor(schema),
      close: () => db.destroy(),
    };
  }
  const pool = openPostgresPool(config.url);
  const schema = postgresMigrationKysely(pool);
  try {
    if (migrate) await migrateToLatest(schema);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const db = postgresKysely(pool);
  return {
    kind: 'postgres',
    location: describeStore(config),
    db,
    dialect: dialectFor('postgres'),
    maintenance: postgresMaintenance(db, config.url),
    snapshot: (reads) => dialectFor('postgres').readSnapshot(db, reads),
    migrator: () => migratorFor(schema),
    close: () => db.destroy(),
  };
}
