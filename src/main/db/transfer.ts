/**
 * `copyStore`: copies every table of a migrated store into an empty migrated store — the
 * workstation's SQLite file onto a city's PostgreSQL server (`relief-depot transfer-data`), or
 * back. Rows keep their ids, so the audit chain, document numbers and every reference stay as
 * they were; afterwards the target's generated ids continue after the largest copied one.
 *
 * - Tables in foreign key order, parents first; movements in movement_id order (an in-leg or a
 *   reversal refers to an earlier movement), depots parents before children.
 * - The source is read in keyset pages on one snapshot (a live source may go on writing); the
 *   target is written in one transaction, so a failed copy leaves it empty.
 * - PostgreSQL targets get one `insert … select * from unnest($1::int4[], …)` per page (one
 *   parameter per column, whatever the page size); SQLite targets multi-row VALUES statements.
 * - The rows the migrations write themselves (movement_types) are not copied; nor are the
 *   short-lived idempotency replays and login throttling counters.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from './database';
import type { Store } from './store';

/** Every copied table, parents before children (foreign keys), with its unique ordering key. */
export const COPIED_TABLES: readonly { table: string; key: readonly string[] }[] = [
  { table: 'depots', key: ['depot_id'] },
  { table: 'materials', key: ['material_id'] },
  { table: 'users', key: ['user_id'] },
  { table: 'user_depots', key: ['user_id', 'depot_id'] },
  { table: 'sessions', key: ['token_hash'] },
  { table: 'quotas', key: ['depot_id', 'material_id'] },
  // Movements name the incident they served.
  { table: 'incidents', key: ['incident_id'] },
  { table: 'incident_depots', key: ['incident_id', 'depot_id'] },
  { table: 'batches', key: ['batch_id'] },
  { table: 'stocktakes', key: ['stocktake_id'] },
  { table: 'stocktake_lines', key: ['line_id'] },
  { table: 'movements', key: ['movement_id'] },
  { table: 'batch_balances', key: ['batch_id'] },
  { table: 'stock_levels', key: ['depot_id', 'material_id'] },
  { table: 'reservations', key: ['reservation_id'] },
  // A forwarded request refers to the earlier one it came from.
  { table: 'allocation_requests', key: ['request_id'] },
  { table: 'allocation_lines', key: ['line_id'] },
  { table: 'allocation_sources', key: ['source_id'] },
  { table: 'allocation_events', key: ['event_id'] },
  { table: 'delivery_orders', key: ['delivery_id'] },
  { table: 'delivery_lines', key: ['line_id'] },
  { table: 'delivery_items', key: ['item_id'] },
  { table: 'recoveries', key: ['recovery_id'] },
  { table: 'delivery_events', key: ['event_id'] },
  { table: 'doc_sequences', key: ['prefix', 'day'] },
  { table: 'settings', key: ['key'] },
  { table: 'audit_log', key: ['audit_id'] },
];

/**
 * Tables left alone: filled by the migrations themselves (the lookup tables of types and states), or short-lived state
 * that means nothing on another store (idempotency replays, login throttling). Any other table a
 * later migration adds must be listed above or here, or the copy refuses to start.
 */
export const NOT_COPIED: readonly string[] = [
  'movement_types',
  'incident_types',
  'request_states',
  'delivery_states',
  'idempotency_keys',
  'login_turns',
];

/** Rows read per keyset page. */
export const PAGE_SIZE = 5_000;
/** SQLite allows 32,766 parameters per statement; the page is inserted in statements of at most this many rows. */
const SQLITE_ROWS_PER_STATEMENT = 500;
const SQLITE_MAX_PARAMETERS = 32_000;

export type TransferProgress =
  | {
      step: 'rows';
      table: string;
      /** Rows of this table copied so far. */
      copied: number;
      /** Rows of this table in the source snapshot. */
      total: number;
      /** Since the copy began. */
      elapsedMs: number;
    }
  /** PostgreSQL, after the rows: indexes and foreign keys built again, then statistics gathered. */
  | { step: 'indexes' | 'analyze'; elapsedMs: number };

export interface TransferSummary {
  tables: { table: string; rows: number }[];
  rows: number;
  elapsedMs: number;
}

/** Why the copy did not start; `code` lets the CLI say it in the user's language. */
export class TransferRefused extends Error {
  constructor(
    readonly code: 'targetNotEmpty' | 'schemaMismatch' | 'unknownTable',
    readonly detail: string,
  ) {
    super(
      code === 'targetNotEmpty'
        ? `The target store is not empty (rows in ${detail}): transfer-data only copies into an empty database`
        : code === 'schemaMismatch'
          ? `Source and target are not at the same schema: ${detail}`
          : `transfer-data does not know the table(s) ${detail}: list them in src/main/db/transfer.ts`,
    );
    this.name = 'TransferRefused';
  }
}

interface Column {
  name: string;
  /** The target's type name (PostgreSQL: int4, int8, text, float8 …), for unnest's array casts. */
  type: string;
}

/** Tables and their columns, as the store's schema has them (no kysely_ tables). */
async function schemaOf(store: Store): Promise<Map<string, Column[]>> {
  const db = store.db.withoutPlugins();
  const tables = await db.introspection.getTables();
  let schema: string | undefined;
  if (store.kind === 'postgres') {
    schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema;
  }
  const out = new Map<string, Column[]>();
  for (const t of tables) {
    if (t.isView || t.name.startsWith('kysely_') || (schema !== undefined && t.schema !== schema)) continue;
    out.set(
      t.name,
      t.columns.map((c) => ({ name: c.name, type: c.dataType })),
    );
  }
  return out;
}

async function migrationsOf(store: Store): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
    store.db.withoutPlugins(),
  );
  return rows.map((r) => r.name);
}

/** Checks before anything is written: same migrations, only known tables, the same columns, an empty target. */
async function preflight(source: Store, target: Store): Promise<Map<string, Column[]>> {
  const [fromMigrations, toMigrations] = await Promise.all([migrationsOf(source), migrationsOf(target)]);
  if (fromMigrations.join() !== toMigrations.join()) {
    throw new TransferRefused(
      'schemaMismatch',
      `source at ${fromMigrations.at(-1) ?? 'none'}, target at ${toMigrations.at(-1) ?? 'none'}`,
    );
  }
  const [fromSchema, toSchema] = await Promise.all([schemaOf(source), schemaOf(target)]);
  const known = new Set([...COPIED_TABLES.map((t) => t.table), ...NOT_COPIED]);
  const unknown = [...new Set([...fromSchema.keys(), ...toSchema.keys()])].filter((name) => !known.has(name));
  if (unknown.length > 0) throw new TransferRefused('unknownTable', unknown.join(', '));
  for (const { table } of COPIED_TABLES) {
    const from = fromSchema
      .get(table)
      ?.map((c) => c.name)
      .sort();
    const to = toSchema
      .get(table)
      ?.map((c) => c.name)
      .sort();
    if (!from || !to || from.join() !== to.join()) {
      throw new TransferRefused(
        'schemaMismatch',
        `table ${table}: source (${from?.join(', ') ?? 'missing'}), target (${to?.join(', ') ?? 'missing'})`,
      );
    }
  }
  const filled: string[] = [];
  const db = target.db.withoutPlugins();
  for (const { table } of COPIED_TABLES) {
    const { rows } = await sql`select 1 as one from ${sql.table(table)} limit 1`.execute(db);
    if (rows.length > 0) filled.push(table);
  }
  if (filled.length > 0) throw new TransferRefused('targetNotEmpty', filled.join(', '));
  return toSchema;
}

type Row = Record<string, unknown>;

/** Depots refer to their parent depot: order them so that every parent comes before its children. */
function parentsFirst(rows: Row[]): Row[] {
  const byId = new Map(rows.map((r) => [r.depot_id as number, r]));
  const placed = new Set<number>();
  const out: Row[] = [];
  const place = (row: Row, path: Set<number>) => {
    const id = row.depot_id as number;
    if (placed.has(id)) return;
    const parent = row.parent_id as number | null;
    if (parent !== null && byId.has(parent) && !path.has(parent))
      place(byId.get(parent)!, new Set(path).add(id));
    placed.add(id);
    out.push(row);
  };
  for (const row of rows) place(row, new Set());
  return out;
}

/** The keyset condition `key > last` (row values for a composite key). */
function after(key: readonly string[], last: Row): RawBuilder<unknown> {
  if (key.length === 1) return sql`${sql.ref(key[0]!)} > ${last[key[0]!]}`;
  return sql`(${sql.join(key.map((k) => sql.ref(k)))}) > (${sql.join(key.map((k) => last[k]))})`;
}

/** The rows after `last` in key order: `limit` of them, or all with `limit` null. */
function readPage(
  db: Db,
  table: string,
  columns: Column[],
  key: readonly string[],
  last: Row | null,
  limit: number | null,
): Promise<Row[]> {
  const list = sql.join(columns.map((c) => sql.ref(c.name)));
  const where = last ? sql`where ${after(key, last)}` : sql``;
  const order = sql.join(key.map((k) => sql.ref(k)));
  return sql<Row>`select ${list} from ${sql.table(table)} ${where} order by ${order} ${limit === null ? sql`` : sql`limit ${limit}`}`
    .execute(db)
    .then((r) => r.rows);
}

/** PostgreSQL: one statement per page, one array parameter per column. */
async function insertPostgres(trx: Db, table: string, columns: Column[], rows: Row[]): Promise<void> {
  const arrays = columns.map((c) => {
    const values = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i += 1) values[i] = rows[i]![c.name] ?? null;
    return sql`${values}::${sql.raw(`${c.type}[]`)}`;
  });
  const list = sql.join(columns.map((c) => sql.ref(c.name)));
  await sql`insert into ${sql.table(table)} (${list}) select * from unnest(${sql.join(arrays)})`.execute(trx);
}

/** SQLite: multi-row VALUES statements, within the parameter limit. */
async function insertSqlite(trx: Db, table: string, columns: Column[], rows: Row[]): Promise<void> {
  const perStatement = Math.max(
    1,
    Math.min(SQLITE_ROWS_PER_STATEMENT, Math.floor(SQLITE_MAX_PARAMETERS / columns.length)),
  );
  const list = sql.join(columns.map((c) => sql.ref(c.name)));
  for (let i = 0; i < rows.length; i += perStatement) {
    const tuples = rows
      .slice(i, i + perStatement)
      .map((r) => sql`(${sql.join(columns.map((c) => r[c.name] ?? null))})`);
    await sql`insert into ${sql.table(table)} (${list}) values ${sql.join(tuples)}`.execute(trx);
  }
}

/**
 * PostgreSQL checks a foreign key per inserted row (a locking lookup in the parent) and updates
 * every index per row: at 2,000,000 movements that is most of the copy's time. As pg_restore
 * does, the load goes in without them: inside the copy's transaction the foreign keys and the
 * plain (non-constraint) indexes of the copied tables are dropped, and afterwards created again
 * from their own definitions, which checks every foreign key over the whole table at once.
 * Primary keys, unique and CHECK constraints stay on throughout. A failure anywhere rolls all
 * of it back. Returns the step that puts them back.
 */
async function deferPostgresChecks(trx: Db): Promise<() => Promise<void>> {
  const tables = COPIED_TABLES.map((t) => t.table);
  const foreignKeys = await sql<{ table: string; name: string; definition: string }>`
    select t.relname as "table", c.conname as name, pg_get_constraintdef(c.oid) as definition
    from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
    where c.contype = 'f' and n.nspname = current_schema() and t.relname = any(${tables})
    order by t.relname, c.conname`.execute(trx);
  const indexes = await sql<{ name: string; definition: string }>`
    select i.relname as name, pg_get_indexdef(x.indexrelid) as definition
    from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
      join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = current_schema() and t.relname = any(${tables})
      and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid and c.contype in ('p', 'u', 'x'))
    order by i.relname`.execute(trx);
  for (const fk of foreignKeys.rows)
    await sql`alter table ${sql.table(fk.table)} drop constraint ${sql.id(fk.name)}`.execute(trx);
  for (const index of indexes.rows) await sql`drop index ${sql.id(index.name)}`.execute(trx);
  return async () => {
    await sql`set local maintenance_work_mem = '256MB'`.execute(trx);
    for (const index of indexes.rows) await sql.raw(index.definition).execute(trx);
    for (const fk of foreignKeys.rows)
      await sql`alter table ${sql.table(fk.table)} add constraint ${sql.id(fk.name)} ${sql.raw(fk.definition)}`.execute(
        trx,
      );
  };
}

/**
 * Copies every table of `source` into `target` (both migrated to the same version; the target
 * empty). Resolves with the rows copied per table; throws `TransferRefused` before writing
 * anything when the target is not empty or the schemas differ, and rolls the target back on
 * any other failure.
 */
export async function copyStore(
  source: Store,
  target: Store,
  onProgress?: (progress: TransferProgress) => void,
): Promise<TransferSummary> {
  const started = performance.now();
  const schema = await preflight(source, target);
  const insert = target.kind === 'postgres' ? insertPostgres : insertSqlite;
  const tables: TransferSummary['tables'] = [];

  await source.dialect.readSnapshot(source.db.withoutPlugins(), async (from) => {
    await target.db
      .withoutPlugins()
      .transaction()
      .execute(async (to) => {
        const rebuild = target.kind === 'postgres' ? await deferPostgresChecks(to) : null;
        for (const { table, key } of COPIED_TABLES) {
          const columns = schema.get(table)!;
          const total = Number(
            (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(from)).rows[0]!
              .n,
          );
          let copied = 0;
          const report = () =>
            onProgress?.({ step: 'rows', table, copied, total, elapsedMs: performance.now() - started });
          if (table === 'depots') {
            // A few hundred rows at most, read whole: a parent may have a larger id than its child.
            const rows = parentsFirst(await readPage(from, table, columns, key, null, null));
            for (let i = 0; i < rows.length; i += PAGE_SIZE)
              await insert(to, table, columns, rows.slice(i, i + PAGE_SIZE));
            copied = rows.length;
            report();
          } else {
            // The next page is read while the target takes the previous one.
            let page = await readPage(from, table, columns, key, null, PAGE_SIZE);
            while (page.length > 0) {
              const next =
                page.length === PAGE_SIZE
                  ? readPage(from, table, columns, key, page.at(-1)!, PAGE_SIZE)
                  : Promise.resolve([]);
              // Both settled before going on: a failed insert never leaves a read running unawaited.
              const [written, read] = await Promise.allSettled([insert(to, table, columns, page), next]);
              if (written.status === 'rejected') throw written.reason;
              if (read.status === 'rejected') throw read.reason;
              copied += page.length;
              report();
              page = read.value;
            }
            if (copied === 0) report();
          }
          tables.push({ table, rows: copied });
        }
        if (rebuild) {
          onProgress?.({ step: 'indexes', elapsedMs: performance.now() - started });
          await rebuild();
        }
      });
  });

  await target.maintenance.resetIdentities();
  if (target.kind === 'postgres') {
    // Planner statistics and the visibility map (index-only scans) for the freshly loaded tables.
    onProgress?.({ step: 'analyze', elapsedMs: performance.now() - started });
    await sql`vacuum (analyze) ${sql.join(COPIED_TABLES.map((t) => sql.table(t.table)))}`.execute(target.db);
  }
  return {
    tables,
    rows: tables.reduce((sum, t) => sum + t.rows, 0),
    elapsedMs: Math.round(performance.now() - started),
  };
}
