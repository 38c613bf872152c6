/**
 * Covering indexes for the two city-wide reads that sum whole tables:
 * - `ledger check` sums every movement per batch: (batch_id, movement_id, quantity) replaces
 *   (batch_id, movement_id), so the sum is read from the index alone (it still serves a batch's
 *   history newest first);
 * - city totals per material sum the stock levels: (material_id, depot_id, on_hand, reserved)
 *   replaces (material_id, depot_id) for the same reason.
 * Without them each summed row costs a random visit to the table (seconds at 2,000,000
 * movements). Frozen in time: never import src/. Portable (index-only scans in PostgreSQL too).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('movements_batch_id').execute();
  await db.schema
    .createIndex('movements_batch_quantity')
    .on('movements')
    .columns(['batch_id', 'movement_id', 'quantity'])
    .execute();
  await db.schema.dropIndex('stock_levels_material').execute();
  await db.schema
    .createIndex('stock_levels_material_totals')
    .on('stock_levels')
    .columns(['material_id', 'depot_id', 'on_hand', 'reserved'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('stock_levels_material_totals').execute();
  await db.schema
    .createIndex('stock_levels_material')
    .on('stock_levels')
    .columns(['material_id', 'depot_id'])
    .execute();
  await db.schema.dropIndex('movements_batch_quantity').execute();
  await db.schema
    .createIndex('movements_batch_id')
    .on('movements')
    .columns(['batch_id', 'movement_id'])
    .execute();
}
