/**
 * Urgent delivery orders (紧急配送单), DOMAIN.md "Allocation, delivery":
 * - an order carries approved sources (each an allocation source and its reservation) on one
 *   vehicle to the request's destination: planned → dispatched → delivered → closed, or cancelled
 *   before dispatch;
 * - dispatch posts `dispatch` movements out of the source depots, one item per lot taken; a signed
 *   receipt records per item what arrived (the shortfall with its kind and reason) and, into a
 *   depot, posts `delivery_in` movements into a lot of the same number;
 * - goods delivered to an outside unit are later returned (回收, a receipt with source
 *   "recovered") or written off as consumed (核销), each a row of `recoveries`, never more than
 *   arrived (a CHECK on the item's running totals);
 * - movements name the incident they served.
 * Delivery states are a lookup table (as request states are). Nullable columns and new tables
 * only: nothing is rebuilt. Frozen in time: never import src/.
 */
import { sql, type Kysely } from 'kysely';
import { columnForms } from './portable';

const DELIVERY_STATES = ['planned', 'dispatched', 'delivered', 'closed', 'cancelled'];
const MOVEMENT_TYPES = ['dispatch', 'delivery_in'];
/** Strictly below this (DOMAIN.md rule 6), as 0004. */
const LIMIT = sql.lit(1_000_000_000_000);

export async function up(db: Kysely<any>): Promise<void> {
  const { text, amount, id } = columnForms(db);

  await db
    .insertInto('movement_types')
    .values(MOVEMENT_TYPES.map((type) => ({ type })))
    .execute();
  await db.schema
    .alterTable('movements')
    .addColumn('incident_id', 'integer', (c) => c.references('incidents.incident_id'))
    .execute();
  await db.schema
    .createIndex('movements_incident')
    .on('movements')
    .columns(['incident_id', 'movement_id'])
    .execute();

  await db.schema
    .createTable('delivery_states')
    .addColumn('status', text, (c) => c.primaryKey())
    .execute();
  await db
    .insertInto('delivery_states')
    .values(DELIVERY_STATES.map((status) => ({ status })))
    .execute();

  await db.schema
    .createTable('delivery_orders')
    .addColumn('delivery_id', 'integer', id)
    .addColumn('doc_no', text, (c) => c.notNull().unique())
    .addColumn('request_id', 'integer', (c) => c.notNull().references('allocation_requests.request_id'))
    .addColumn('incident_id', 'integer', (c) => c.references('incidents.incident_id'))
    .addColumn('deliver_to_depot_id', 'integer', (c) => c.references('depots.depot_id'))
    .addColumn('deliver_address', text)
    .addColumn('deliver_contact', text)
    .addColumn('deliver_phone', text)
    .addColumn('vehicle_plate', text, (c) => c.notNull())
    .addColumn('driver_name', text, (c) => c.notNull())
    .addColumn('driver_phone', text, (c) => c.notNull())
    .addColumn('escort_name', text)
    .addColumn('planned_departure', text, (c) => c.notNull())
    .addColumn('planned_arrival', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull().references('delivery_states.status'))
    .addColumn('note', text)
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.user_id'))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('dispatched_by', 'integer', (c) => c.references('users.user_id'))
    .addColumn('dispatched_at', text)
    // Who signed, and when (the receiver's own time); who recorded it is the event's user.
    .addColumn('receiver_name', text)
    .addColumn('received_at', text)
    .addColumn('updated_at', text, (c) => c.notNull())
    .addCheckConstraint('delivery_orders_times', sql`planned_arrival >= planned_departure`)
    .addCheckConstraint(
      'delivery_orders_destination',
      sql`deliver_to_depot_id is not null or deliver_address is not null`,
    )
    .execute();
  await db.schema
    .createIndex('delivery_orders_status')
    .on('delivery_orders')
    .columns(['status', 'delivery_id'])
    .execute();
  await db.schema
    .createIndex('delivery_orders_request')
    .on('delivery_orders')
    .columns(['request_id', 'delivery_id'])
    .execute();
  await db.schema
    .createIndex('delivery_orders_incident')
    .on('delivery_orders')
    .columns(['incident_id', 'delivery_id'])
    .execute();

  await db.schema
    .createTable('delivery_lines')
    .addColumn('line_id', 'integer', id)
    .addColumn('delivery_id', 'integer', (c) => c.notNull().references('delivery_orders.delivery_id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    // A source travels on one order only: cancelling an order releases its reservation for good.
    .addColumn('source_id', 'integer', (c) => c.notNull().unique().references('allocation_sources.source_id'))
    .addColumn('depot_id', 'integer', (c) => c.notNull().references('depots.depot_id'))
    .addColumn('material_id', 'integer', (c) => c.notNull().references('materials.material_id'))
    .addColumn('quantity', amount, (c) => c.notNull().check(sql`quantity > 0 and quantity < ${LIMIT}`))
    .addUniqueConstraint('delivery_lines_delivery_line', ['delivery_id', 'line_no'])
    .execute();

  await db.schema
    .createTable('delivery_items')
    .addColumn('item_id', 'integer', id)
    .addColumn('line_id', 'integer', (c) => c.notNull().references('delivery_lines.line_id'))
    .addColumn('batch_id', 'integer', (c) => c.notNull().references('batches.batch_id'))
    .addColumn('quantity', amount, (c) => c.notNull().check(sql`quantity > 0 and quantity < ${LIMIT}`))
    .addColumn('dispatch_movement_id', 'integer', (c) =>
      c.notNull().unique().references('movements.movement_id'),
    )
    // Null until signed for; what did not arrive is quantity − received, with its kind and reason.
    .addColumn('received', amount, (c) => c.check(sql`received >= 0 and received <= quantity`))
    .addColumn('shortfall_kind', text, (c) => c.check(sql`shortfall_kind in ('missing', 'damaged')`))
    .addColumn('shortfall_reason', text)
    .addColumn('receipt_movement_id', 'integer', (c) => c.unique().references('movements.movement_id'))
    // Delivered outside: what came back (回收) and what was written off as consumed (核销).
    .addColumn('returned', amount, (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`returned >= 0`),
    )
    .addColumn('written_off', amount, (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`written_off >= 0`),
    )
    .addCheckConstraint('delivery_items_settled', sql`returned + written_off <= coalesce(received, 0)`)
    .addCheckConstraint(
      'delivery_items_shortfall',
      sql`received is null or received = quantity or shortfall_reason is not null`,
    )
    .execute();
  await db.schema
    .createIndex('delivery_items_line')
    .on('delivery_items')
    .columns(['line_id', 'item_id'])
    .execute();

  await db.schema
    .createTable('recoveries')
    .addColumn('recovery_id', 'integer', id)
    .addColumn('item_id', 'integer', (c) => c.notNull().references('delivery_items.item_id'))
    .addColumn('kind', text, (c) => c.notNull().check(sql`kind in ('returned', 'written_off')`))
    .addColumn('quantity', amount, (c) => c.notNull().check(sql`quantity > 0 and quantity < ${LIMIT}`))
    // A return's receipt movement (into its depot); null for a write-off.
    .addColumn('movement_id', 'integer', (c) => c.unique().references('movements.movement_id'))
    .addColumn('reason', text)
    .addColumn('at', text, (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.user_id'))
    .addCheckConstraint(
      'recoveries_form',
      sql`(kind = 'returned' and movement_id is not null) or (kind = 'written_off' and reason is not null)`,
    )
    .execute();
  await db.schema
    .createIndex('recoveries_item')
    .on('recoveries')
    .columns(['item_id', 'recovery_id'])
    .execute();

  await db.schema
    .createTable('delivery_events')
    .addColumn('event_id', 'integer', id)
    .addColumn('delivery_id', 'integer', (c) => c.notNull().references('delivery_orders.delivery_id'))
    .addColumn('at', text, (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.user_id'))
    .addColumn('from_status', text)
    .addColumn('to_status', text, (c) => c.notNull())
    .addColumn('comment', text)
    .execute();
  await db.schema
    .createIndex('delivery_events_delivery')
    .on('delivery_events')
    .columns(['delivery_id', 'event_id'])
    .execute();
}

/** Forward only, like 0008: orders hold dispatched movements that a step back would orphan. */
export async function down(): Promise<void> {
  throw new Error('0009_delivery_orders cannot be undone: restore a backup taken before it instead');
}
