/** What each store offers besides queries: checks, backups and fast loading of generated data. */

export interface IntegrityReport {
  ok: boolean;
  report: string;
}

/** Buffered multi-row inserts into one table (values in column order). */
export interface BulkTable {
  push(...values: unknown[]): void;
  flush(): void;
}

export interface BulkLoader {
  table(name: string, columns: string[]): BulkTable;
  /** The largest id in a table (0 when empty), for generated ids that follow existing rows. */
  maxId(table: string, column: string): number;
}

/**
 * Loads generated rows into `tables` in one transaction, with their secondary indexes rebuilt
 * once at the end and without per-row foreign key checks (the generator guarantees them).
 */
export type BulkLoad = (tables: string[], load: (loader: BulkLoader) => void) => void;

export interface Maintenance {
  /** The store's own check of its pages and keys; `report` says what was checked or what is wrong. */
  integrityCheck(): Promise<IntegrityReport>;
  /** An online, consistent copy of the live database into `destination`, then checked. */
  backup(destination: string): Promise<{ bytes: number; integrity: IntegrityReport }>;
  /** Only the embedded store loads in bulk; a PostgreSQL server gets its data with transfer-data. */
  bulkLoad: BulkLoad | null;
  /** After rows were inserted with explicit ids: the next generated id follows the largest (PostgreSQL identities). */
  resetIdentities(): Promise<void>;
}
