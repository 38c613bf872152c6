/**
 * Each receipt keeps its own terms: the source, supplier and unit price move onto the receipt's
 * movement. Until now only the batch held them, as its first receipt gave them, so a second
 * receipt into the lot (a donation after a procurement) lost its supplier and price.
 *
 * Existing receipts are backfilled in one statement (UPDATE … FROM, a primary key lookup per
 * row; 2M movements in about 10 s on SQLite): the source from the movement's reason, where
 * stock.receive has put it since 0001 (the reason is then cleared: a receipt has none of its
 * own); supplier and price from the batch, the best knowledge there is. Nullable columns need no
 * table rebuild on either store. Frozen in time: never import src/.
 */
import { sql, type Kysely } from 'kysely';
import { columnForms } from './portable';

/** What stock.receive wrote as a receipt's reason up to now: its source. */
const RECEIPT_SOURCES = sql.join(
  ['procurement', 'donation', 'callUp', 'return', 'opening'].map((s) => sql.lit(s)),
);

export async function up(db: Kysely<any>): Promise<void> {
  const { text, amount } = columnForms(db);
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  await db.schema.alterTable('movements').addColumn('source', text).execute();
  await db.schema.alterTable('movements').addColumn('supplier', text).execute();
  await db.schema
    .alterTable('movements')
    .addColumn('unit_price_fen', amount, (c) => c.check(sql`unit_price_fen >= 0`))
    .execute();
  await sql`
    update movements set
      source = case when movements.reason in (${RECEIPT_SOURCES}) then movements.reason else batches.source end,
      supplier = batches.supplier,
      unit_price_fen = batches.unit_price_fen,
      reason = case when movements.reason in (${RECEIPT_SOURCES}) then null else movements.reason end
    from batches
    where batches.batch_id = movements.batch_id and movements.type = 'receipt'`.execute(db);
}

/** Forward only: a receipt's terms that differ from its batch's exist nowhere else. Restore a backup instead. */
export async function down(): Promise<void> {
  throw new Error('0005_receipt_terms cannot be undone: restore a backup taken before it instead');
}
