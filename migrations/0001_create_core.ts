/**
 * The core schema: depots, catalogue, quotas, batches, the movement ledger and its maintained
 * balances, reservations, document sequences, users, sessions, settings and the audit log.
 * Frozen in time: never import src/. The column forms that differ per store come from
 * ./portable (on SQLite they are what this migration always wrote).
 */
import { sql, type Kysely } from 'kysely';
import { columnForms } from './portable';

export async function up(db: Kysely<any>): Promise<void> {
  const { text, amount, double, id } = columnForms(db);
  await db.schema
    .createTable('depots')
    .addColumn('depot_id', 'integer', id)
    .addColumn('code', text, (c) => c.notNull().unique())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('level', text, (c) => c.notNull().check(sql`level in ('city', 'district', 'town')`))
    .addColumn('parent_id', 'integer', (c) => c.references('depots.depot_id'))
    .addColumn('address', text)
    .addColumn('keeper_name', text)
    .addColumn('phone', text)
    .addColumn('capacity_note', text)
    .addColumn('latitude', double)
    .addColumn('longitude', double)
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('materials')
    .addColumn('material_id', 'integer', id)
    .addColumn('code', text, (c) => c.notNull().unique())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('spec', text)
    .addColumn('unit', text, (c) => c.notNull())
    .addColumn('top_class', 'integer', (c) => c.notNull().check(sql`top_class in (1, 2, 3)`))
    .addColumn('gb_code', text)
    .addColumn('category', text)
    .addColumn('shelf_life_months', 'integer')
    .addColumn('warning_days', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(90)
        .check(sql`warning_days >= 0`),
    )
    .addColumn('reference_price_fen', amount, (c) => c.check(sql`reference_price_fen >= 0`))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('materials_name').on('materials').column('name').execute();
  await db.schema.createIndex('materials_category').on('materials').column('category').execute();

  await db.schema
    .createTable('quotas')
    .addColumn('depot_id', 'integer', (c) => c.notNull().references('depots.depot_id'))
    .addColumn('material_id', 'integer', (c) => c.notNull().references('materials.material_id'))
    .addColumn('quantity', amount, (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('quotas_pk', ['depot_id', 'material_id'])
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('user_id', 'integer', id)
    .addColumn('username', text, (c) => c.notNull().unique())
    .addColumn('display_name', text, (c) => c.notNull())
    .addColumn('role', text, (c) =>
      c.notNull().check(sql`role in ('admin', 'coordinator', 'keeper', 'staff')`),
    )
    .addColumn('password_hash', text, (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('user_depots')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.user_id'))
    .addColumn('depot_id', 'integer', (c) => c.notNull().references('depots.depot_id'))
    .addPrimaryKeyConstraint('user_depots_pk', ['user_id', 'depot_id'])
    .execute();
  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', text, (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.user_id'))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('last_seen_at', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('batches')
    .addColumn('batch_id', 'integer', id)
    .addColumn('depot_id', 'integer', (c) => c.notNull().references('depots.depot_id'))
    .addColumn('material_id', 'integer', (c) => c.notNull().references('materials.material_id'))
    .addColumn('lot_no', text, (c) => c.notNull())
    .addColumn('produced_on', text)
    .addColumn('expires_on', text)
    .addColumn('source', text, (c) => c.notNull())
    .addColumn('supplier', text)
    .addColumn('unit_price_fen', amount, (c) => c.check(sql`unit_price_fen >= 0`))
    .addColumn('created_at', text, (c) => c.notNull())
    .addUniqueConstraint('batches_lot', ['depot_id', 'material_id', 'lot_no'])
    .execute();
  await db.schema.createIndex('batches_expiry').on('batches').columns(['expires_on']).execute();

  await db.schema
    .createTable('stocktakes')
    .addColumn('stocktake_id', 'integer', id)
    .addColumn('doc_no', text, (c) => c.notNull().unique())
    .addColumn('depot_id', 'integer', (c) => c.notNull().references('depots.depot_id'))
    .addColumn('status', text, (c) => c.notNull().check(sql`status in ('open', 'approved', 'cancelled')`))
    .addColumn('note', text)
    .addColumn('opened_at', text, (c) => c.notNull())
    .addColumn('opened_by', 'integer', (c) => c.notNull().references('users.user_id'))
    .addColumn('closed_at', text)
    .addColumn('closed_by', 'integer', (c) => c.references('users.user_id'))
    .execute();
  await db.schema
    .createIndex('stocktakes_depot_status')
    .on('stocktakes')
    .columns(['depot_id', 'status'])
    .execute();
  await db.schema
    .createTable('stocktake_lines')
    .addColumn('line_id', 'integer', id)
    .addColumn('stocktake_id', 'integer', (c) => c.notNull().references('stocktakes.stocktake_id'))
    .addColumn('batch_id', 'integer', (c) => c.notNull().references('batches.batch_id'))
    .addColumn('book_quantity', amount, (c) => c.notNull().check(sql`book_quantity >= 0`))
    .addColumn('counted_quantity', amount, (c) => c.check(sql`counted_quantity >= 0`))
    .addColumn('reason', text)
    .addUniqueConstraint('stocktake_lines_batch', ['stocktake_id', 'batch_id'])
    .execute();

  await db.schema
    .createTable('movements')
    .addColumn('movement_id', 'integer', id)
    .addColumn('doc_no', text, (c) => c.notNull())
    .addColumn('type', text, (c) =>
      c
        .notNull()
        .check(
          sql`type in ('receipt', 'issue', 'transfer_out', 'transfer_in', 'stocktake_gain', 'stocktake_loss', 'scrap', 'reversal')`,
        ),
    )
    .addColumn('depot_id', 'integer', (c) => c.notNull().references('depots.depot_id'))
    .addColumn('material_id', 'integer', (c) => c.notNull().references('materials.material_id'))
    .addColumn('batch_id', 'integer', (c) => c.notNull().references('batches.batch_id'))
    .addColumn('quantity', amount, (c) => c.notNull().check(sql`quantity <> 0`))
    .addColumn('occurred_at', text, (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.user_id'))
    .addColumn('counterpart_depot_id', 'integer', (c) => c.references('depots.depot_id'))
    .addColumn('reverses_movement_id', 'integer', (c) => c.references('movements.movement_id').unique())
    // A transfer's in-leg points to its out-leg; a reversal of either reverses both.
    .addColumn('pair_movement_id', 'integer', (c) => c.references('movements.movement_id'))
    .addColumn('stocktake_id', 'integer', (c) => c.references('stocktakes.stocktake_id'))
    .addColumn('expired_override', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recipient', text)
    .addColumn('reason', text)
    .addColumn('note', text)
    .execute();
  for (const column of ['depot_id', 'material_id', 'batch_id']) {
    await db.schema
      .createIndex(`movements_${column}`)
      .on('movements')
      .columns([column, 'movement_id'])
      .execute();
  }
  await db.schema.createIndex('movements_doc_no').on('movements').column('doc_no').execute();
  await db.schema.createIndex('movements_occurred_at').on('movements').column('occurred_at').execute();

  // Maintained balances: written in the same transaction as each movement; `ledger check`
  // recomputes them from the ledger.
  await db.schema
    .createTable('batch_balances')
    .addColumn('batch_id', 'integer', (c) => c.primaryKey().references('batches.batch_id'))
    .addColumn('depot_id', 'integer', (c) => c.notNull().references('depots.depot_id'))
    .addColumn('material_id', 'integer', (c) => c.notNull().references('materials.material_id'))
    .addColumn('on_hand', amount, (c) => c.notNull().check(sql`on_hand >= 0`))
    .execute();
  await db.schema
    .createIndex('batch_balances_depot_material')
    .on('batch_balances')
    .columns(['depot_id', 'material_id'])
    .execute();
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
    .execute();
  await db.schema
    .createIndex('stock_levels_material')
    .on('stock_levels')
    .columns(['material_id', 'depot_id'])
    .execute();

  // Quantities promised by approved allocations, per depot and material (allocations add the
  // reference columns they need in their own migration).
  await db.schema
    .createTable('reservations')
    .addColumn('reservation_id', 'integer', id)
    .addColumn('depot_id', 'integer', (c) => c.notNull().references('depots.depot_id'))
    .addColumn('material_id', 'integer', (c) => c.notNull().references('materials.material_id'))
    .addColumn('quantity', amount, (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('status', text, (c) => c.notNull().check(sql`status in ('active', 'released', 'consumed')`))
    .addColumn('reference', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.user_id'))
    .addColumn('closed_at', text)
    .execute();
  await db.schema
    .createIndex('reservations_active')
    .on('reservations')
    .columns(['depot_id', 'material_id', 'status'])
    .execute();

  await db.schema
    .createTable('doc_sequences')
    .addColumn('prefix', text, (c) => c.notNull())
    .addColumn('day', text, (c) => c.notNull())
    .addColumn('last_value', amount, (c) => c.notNull())
    .addPrimaryKeyConstraint('doc_sequences_pk', ['prefix', 'day'])
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', text, (c) => c.primaryKey())
    .addColumn('value', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();

  // Append-only; each record's hash covers the previous record's hash (a chain).
  await db.schema
    .createTable('audit_log')
    .addColumn('audit_id', 'integer', (c) => c.primaryKey())
    .addColumn('at', text, (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.user_id'))
    .addColumn('action', text, (c) => c.notNull())
    .addColumn('entity_type', text, (c) => c.notNull())
    .addColumn('entity_id', text)
    .addColumn('before_json', text)
    .addColumn('after_json', text)
    .addColumn('prev_hash', text, (c) => c.notNull())
    .addColumn('hash', text, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_log',
    'settings',
    'doc_sequences',
    'reservations',
    'stock_levels',
    'batch_balances',
    'movements',
    'stocktake_lines',
    'stocktakes',
    'batches',
    'sessions',
    'user_depots',
    'users',
    'quotas',
    'materials',
    'depots',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
