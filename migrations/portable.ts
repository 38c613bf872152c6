/**
 * The few column forms that differ between the two stores, for migrations (frozen with them:
 * never import src/). On SQLite every form is exactly what 0001 wrote before PostgreSQL existed,
 * so existing files and fresh ones have the same schema text. On PostgreSQL:
 * - ids are identity columns (SQLite: integer primary key autoincrement, never reusing an id);
 * - quantities and money are bigint (a line may reach 10^12; SQLite integers are 64-bit anyway);
 * - text compares and sorts by code point (collate "C"), as SQLite's BINARY does, so keyset
 *   cursors and orderings are the same on both;
 * - coordinates are double precision (SQLite's real is already a double).
 */
import {
  PostgresAdapter,
  sql,
  type ColumnDataType,
  type ColumnDefinitionBuilder,
  type Expression,
  type Kysely,
} from 'kysely';

/** What addColumn takes as a type (kysely does not export its own name for it). */
type DataTypeExpression = ColumnDataType | Expression<unknown>;

export type StoreKind = 'sqlite' | 'postgres';

export function storeKind(db: Kysely<any>): StoreKind {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export interface ColumnForms {
  kind: StoreKind;
  text: DataTypeExpression;
  /** Quantities and money (fen). */
  amount: DataTypeExpression;
  double: DataTypeExpression;
  /** A generated primary key. */
  id(c: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
}

export function columnForms(db: Kysely<any>): ColumnForms {
  const kind = storeKind(db);
  if (kind === 'postgres') {
    return {
      kind,
      text: sql`text collate "C"`,
      amount: 'bigint',
      double: 'double precision',
      id: (c) => c.primaryKey().generatedByDefaultAsIdentity(),
    };
  }
  return { kind, text: 'text', amount: 'integer', double: 'real', id: (c) => c.primaryKey().autoIncrement() };
}
