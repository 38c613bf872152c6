/**
 * Incidents and allocation requests (DOMAIN.md "Allocation, delivery, contracts"):
 * - incidents (突发事件): type, response level Ⅰ–Ⅳ, start, the depots of the affected area,
 *   active → closed;
 * - a coordinator's jurisdiction: a district depot (that district's depots and the town depots
 *   under it) or, when null, the whole city;
 * - allocation requests (调拨申请), their lines, the sources an approval chose for each line
 *   (each source holding one reservation), and every state change with who, when and a comment.
 * Incident types and request states are lookup tables the columns reference (as movement types
 * are), so a new kind is one inserted row, never a rebuild for a longer CHECK list.
 * Nullable columns and new tables only: nothing is rebuilt. Frozen in time: never import src/.
 */
import { sql, type Kysely } from 'kysely';
import { columnForms } from './portable';

const INCIDENT_TYPES = [
  'typhoon',
  'flood',
  'rainstorm',
  'earthquake',
  'forest_fire',
  'fire',
  'hazardous_chemicals',
  'geological',
  'other',
];
const REQUEST_STATES = [
  'draft',
  'submitted',
  'approved',
  'partly_approved',
  'forwarded',
  'rejected',
  'dispatching',
  'completed',
  'cancelled',
];
/** Strictly below this (DOMAIN.md rule 6), as 0004. */
const LIMIT = sql.lit(1_000_000_000_000);

export async function up(db: Kysely<any>): Promise<void> {
  const { text, amount, id } = columnForms(db);

  await db.schema
    .createTable('incident_types')
    .addColumn('type', text, (c) => c.primaryKey())
    .execute();
  await db
    .insertInto('incident_types')
    .values(INCIDENT_TYPES.map((type) => ({ type })))
    .execute();
  await db.schema
    .createTable('request_states')
    .addColumn('status', text, (c) => c.primaryKey())
    .execute();
  await db
    .insertInto('request_states')
    .values(REQUEST_STATES.map((status) => ({ status })))
    .execute();

  await db.schema
    .alterTable('users')
    .addColumn('jurisdiction_depot_id', 'integer', (c) => c.references('depots.depot_id'))
    .execute();

  await db.schema
    .createTable('incidents')
    .addColumn('incident_id', 'integer', id)
    .addColumn('type', text, (c) => c.notNull().references('incident_types.type'))
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('response_level', 'integer', (c) => c.notNull().check(sql`response_level between 1 and 4`))
    .addColumn('started_at', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull().check(sql`status in ('active', 'closed')`))
    .addColumn('closed_at', text)
    .addColumn('note', text)
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.user_id'))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('incident_depots')
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.incident_id'))
    .addColumn('depot_id', 'integer', (c) => c.notNull().references('depots.depot_id'))
    .addPrimaryKeyConstraint('incident_depots_pk', ['incident_id', 'depot_id'])
    .execute();

  await db.schema
    .createTable('allocation_requests')
    .addColumn('request_id', 'integer', id)
    .addColumn('doc_no', text, (c) => c.notNull().unique())
    .addColumn('incident_id', 'integer', (c) => c.references('incidents.incident_id'))
    .addColumn('requester_depot_id', 'integer', (c) => c.references('depots.depot_id'))
    .addColumn('requester_unit', text)
    .addColumn('requester_contact', text)
    .addColumn('requester_phone', text)
    .addColumn('urgency', text, (c) =>
      c.notNull().check(sql`urgency in ('extra_urgent', 'urgent', 'normal')`),
    )
    .addColumn('deliver_to_depot_id', 'integer', (c) => c.references('depots.depot_id'))
    .addColumn('deliver_address', text)
    .addColumn('deliver_contact', text)
    .addColumn('deliver_phone', text)
    .addColumn('needed_by', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull().references('request_states.status'))
    // The district whose coordinators decide it; null: the city's.
    .addColumn('approver_depot_id', 'integer', (c) => c.references('depots.depot_id'))
    .addColumn('forwarded_from_id', 'integer', (c) => c.references('allocation_requests.request_id'))
    .addColumn('note', text)
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.user_id'))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addCheckConstraint(
      'allocation_requests_requester',
      sql`requester_depot_id is not null or requester_unit is not null`,
    )
    .addCheckConstraint(
      'allocation_requests_destination',
      sql`deliver_to_depot_id is not null or deliver_address is not null`,
    )
    .execute();
  await db.schema
    .createIndex('allocation_requests_status')
    .on('allocation_requests')
    .columns(['status', 'request_id'])
    .execute();
  await db.schema
    .createIndex('allocation_requests_forwarded_from')
    .on('allocation_requests')
    .column('forwarded_from_id')
    .execute();
  await db.schema
    .createIndex('allocation_requests_incident')
    .on('allocation_requests')
    .columns(['incident_id', 'request_id'])
    .execute();

  await db.schema
    .createTable('allocation_lines')
    .addColumn('line_id', 'integer', id)
    .addColumn('request_id', 'integer', (c) => c.notNull().references('allocation_requests.request_id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('material_id', 'integer', (c) => c.notNull().references('materials.material_id'))
    .addColumn('requested', amount, (c) => c.notNull().check(sql`requested > 0 and requested < ${LIMIT}`))
    // Null until decided; never above what was asked.
    .addColumn('approved', amount, (c) => c.check(sql`approved >= 0 and approved <= requested`))
    .addColumn('purpose', text)
    .addUniqueConstraint('allocation_lines_request_line', ['request_id', 'line_no'])
    .execute();

  await db.schema
    .createTable('allocation_sources')
    .addColumn('source_id', 'integer', id)
    .addColumn('line_id', 'integer', (c) => c.notNull().references('allocation_lines.line_id'))
    .addColumn('depot_id', 'integer', (c) => c.notNull().references('depots.depot_id'))
    .addColumn('quantity', amount, (c) => c.notNull().check(sql`quantity > 0 and quantity < ${LIMIT}`))
    .addColumn('reservation_id', 'integer', (c) =>
      c.notNull().unique().references('reservations.reservation_id'),
    )
    // Set when the approver took the depot below its reserve quota.
    .addColumn('override_reason', text)
    .addUniqueConstraint('allocation_sources_line_depot', ['line_id', 'depot_id'])
    .execute();

  await db.schema
    .createTable('allocation_events')
    .addColumn('event_id', 'integer', id)
    .addColumn('request_id', 'integer', (c) => c.notNull().references('allocation_requests.request_id'))
    .addColumn('at', text, (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.user_id'))
    .addColumn('from_status', text)
    .addColumn('to_status', text, (c) => c.notNull())
    .addColumn('comment', text)
    .execute();
  await db.schema
    .createIndex('allocation_events_request')
    .on('allocation_events')
    .columns(['request_id', 'event_id'])
    .execute();
}

/** Forward only, like 0004: approvals hold reservations that a step back would orphan. */
export async function down(): Promise<void> {
  throw new Error('0008_allocation_requests cannot be undone: restore a backup taken before it instead');
}
