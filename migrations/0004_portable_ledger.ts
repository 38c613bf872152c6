/**
 * The ledger for many writers, on both stores:
 * - movement types become a lookup table that movements reference, so a new kind of movement
 *   (dispatch, delivery receipt, …) is one inserted row, not a rebuild for a longer CHECK list;
 * - reserved never exceeds on hand (stock_levels), and lines and balances stay below 10^12
 *   (DOMAIN.md rule 6; far inside 2^53, so every number reads back exactly);
 * - idempotency replays and login throttling move into the database, where every server
 *   process sees them.
 * Transfers are now numbered YK (移库) and allocation requests DB (调拨). Old transfer numbers
 * (DB-…) stay on their movements as they were; the (DB, day) rows of doc_sequences stay too, so
 * an allocation numbered on such a day continues after them and never repeats a transfer's number.
 *
 * SQLite cannot add a CHECK or a foreign key to an existing table: the three tables are rebuilt
 * (rename, create, copy in id order, drop), inside the migration's transaction with foreign keys
 * on. PostgreSQL alters them in place. Frozen in time: never import src/.
 */
import { sql, type Kysely } from 'kysely';
import { columnForms } from './portable';

const MOVEMENT_TYPES = [
  'receipt',
  'issue',
  'transfer_out',
  'transfer_in',
  'stocktake_gain',
  'stocktake_loss',
  'scrap',
  'reversal',
];
/** Strictly below this (DOMAIN.md rule 6). */
const LIMIT = sql.lit(1_000_000_000_000);

export async function up(db: Kysely<any>): Promise<void> {
  const { kind, text, amount, id } = columnForms(db);

  await db.schema
    .createTable('movement_types')
    .addColumn('type', text, (c) => c.primaryKey())
    .execute();
  await db
    .insertInto('movement_types')
    .values(MOVEMENT_TYPES.map((type) => ({ type })))
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', text, (c) => c.notNull())
    .addColumn('key', text, (c) => c.notNull())
    .addColumn('procedure', text, (c) => c.notNull())
    .addColumn('response_json', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_created')
    .on('idempotency_keys')
    .column('created_at')
    .execute();

  await db.schema
    .createTable('login_throttle')
    .addColumn('name', text, (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', text, (c) => c.notNull())
    .addColumn('locked_until', text)
    .addColumn('locks', 'integer', (c) => c.notNull())
    .execute();

  if (kind === 'postgres') {
    await sql`alter table movements drop constraint movements_type_check`.execute(db);
    await sql`alter table movements add constraint movements_type_fk foreign key (type) references movement_types (type)`.execute(
      db,
    );
    await sql`alter table movements add constraint movements_quantity_plausible check (quantity > -${LIMIT} and quantity < ${LIMIT})`.execute(
      db,
    );
    await sql`alter table batch_balances add constraint batch_balances_on_hand_plausible check (on_hand < ${LIMIT})`.execute(
      db,
    );
    await sql`alter table stock_levels add constraint stock_levels_on_hand_plausible check (on_hand < ${LIMIT})`.execute(
      db,
    );
    await sql`alter table stock_levels add constraint stock_levels_reserved_within_on_hand check (reserved <= on_hand)`.execute(
      db,
    );
    return;
  }

  await sql`alter table movements rename to movements_old`.execute(db);
  await db.schema
    .createTable('movements')
    .addColumn('movement_id', 'integer', id)
    .addColumn('doc_no', text, (c) => c.notNull())
    .addColumn('type', text, (c) => c.notNull().references('movement_types.type'))
    .addColumn('depot_id', 'integer', (c) => c.notNull().references('depots.depot_id'))
    .addColumn('material_id', 'integer', (c) => c.notNull().references('materials.material_id'))
    .addColumn('batch_id', 'integer', (c) => c.notNull().references('batches.batch_id'))
    .addColumn('quantity', amount, (c) => c.notNull().check(sql`quantity <> 0`))
    .addColumn('occurred_at', text, (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.user_id'))
    .addColumn('counterpart_depot_id', 'integer', (c) => c.references('depots.depot_id'))
    .addColumn('reverses_movement_id', 'integer', (c) => c.references('movements.movement_id').unique())
    .addColumn('pair_movement_id', 'integer', (c) => c.references('movements.movement_id'))
    .addColumn('stocktake_id', 'integer', (c) => c.references('stocktakes.stocktake_id'))
    .addColumn('expired_override', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recipient', text)
    .addColumn('reason', text)
    .addColumn('note', text)
    .addCheckConstraint('movements_quantity_plausible', sql`quantity > -${LIMIT} and quantity < ${LIMIT}`)
    .execute();
  const movementColumns = sql.raw(
    'movement_id, doc_no, type, depot_id, material_id, batch_id, quantity, occurred_at, user_id, counterpart_depot_id, ' +
      'reverses_movement_id, pair_movement_id, stocktake_id, expired_override, recipient, reason, note',
  );
  // In id order: a reversal or an in-leg refers to an earlier movement, which is then already there.
  await sql`insert into movements (${movementColumns}) select ${movementColumns} from movements_old order by movement_id`.execute(
    db,
  );
  // Dropping a table with foreign keys on deletes its rows one by one, and each delete looks for
  // movements pairing with it: without this index that is a full scan per row (hours on 2M rows).
  await db.schema.createIndex('movements_old_pair').on('movements_old').column('pair_movement_id').execute();
  await sql`drop table movements_old`.execute(db);
  for (const column of ['depot_id', 'material_id']) {
    await db.schema
      .createIndex(`movements_${column}`)
      .on('movements')
      .columns([column, 'movement_id'])
      .execute();
  }
  await db.schema
    .createIndex('movements_batch_quantity')
    .on('movements')
    .columns(['batch_id', 'movement_id', 'quantity'])
    .execute();
  await db.schema.createIndex('movements_doc_no').on('movements').column('doc_no').execute();
  await db.schema.createIndex('movements_occurred_at').on('movements').column('occurred_at').execute();

  await sql`alter table batch_balances rename to batch_balances_old`.execute(db);
  await db.schema
    .createTable('batch_balances')
    .addColumn('batch_id', 'integer', (c) => c.primaryKey().references('batches.batch_id'))
    .addColumn('depot_id', 'integer', (c) => c.notNull().references('depots.depot_id'))
    .addColumn('material_id', 'integer', (c) => c.notNull().references('materials.material_id'))
    .addColumn('on_hand', amount, (c) => c.notNull().check(sql`on_hand >= 0`))
    .addCheckConstraint('batch_balances_on_hand_plausible', sql`on_hand < ${LIMIT}`)
    .execute();
  await sql`insert into batch_balances (batch_id, depot_id, material_id, on_hand) select batch_id, depot_id, material_id, on_hand from batch_balances_old`.execute(
    db,
  );
  await sql`drop table batch_balances_old`.execute(db);
  await db.schema
    .createIndex('batch_balances_depot_material')
    .on('batch_balances')
    .columns(['depot_id', 'material_id'])
    .execute();

  await sql`alter table stock_levels rename to stock_levels_old`.execute(db);
  await db.schema
    .createTable('stock_levels')
    .addColumn('depot_id', 'integer', (c) => c.notNull().references('depots.depot_id'))
    .addColumn('material_id', 'integer', (c) => c.notNull().references('materials.material_id'))
    .addColumn('on_hand', amount, (c) => c.notNull().check(sql`on_hand >= 0`))
    .addColumn('reserved', amount, (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`reserved >= 0`),
    )
    .addPrimaryKeyConstraint('stock_levels_pk', ['depot_id', 'material_id'])
    .addCheckConstraint('stock_levels_on_hand_plausible', sql`on_hand < ${LIMIT}`)
    .addCheckConstraint('stock_levels_reserved_within_on_hand', sql`reserved <= on_hand`)
    .execute();
  await sql`insert into stock_levels (depot_id, material_id, on_hand, reserved) select depot_id, material_id, on_hand, reserved from stock_levels_old`.execute(
    db,
  );
  await sql`drop table stock_levels_old`.execute(db);
  await db.schema
    .createIndex('stock_levels_material_totals')
    .on('stock_levels')
    .columns(['material_id', 'depot_id', 'on_hand', 'reserved'])
    .execute();
}

/** Forward only: a step back would drop the rules the data now relies on. Restore a backup instead. */
export async function down(): Promise<void> {
  throw new Error('0004_portable_ledger cannot be undone: restore a backup taken before it instead');
}
