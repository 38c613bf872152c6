/**
 * The audit log's hold on the ledger: each audit record may name the movements its write posted
 * and a digest of their content (movements_json, covered by the record's hash), so a movement
 * deleted, edited or slipped in behind the app's back is found by `check`.
 *
 * And two pieces of bookkeeping, each only minutes deep (so replacing what they held loses
 * nothing a user relies on):
 * - sign-in throttling by turns instead of locks: one row per user name, per source address and
 *   per (name, source) pair, each with its recent failures and the earliest time its next guess
 *   may be checked. Replaces login_throttle (dropping it forgets at most a quarter of an hour of
 *   failed sign-ins);
 * - an idempotency key remembers a hash of the request it was first used for, so the same key
 *   with a different input is refused instead of answered with the first request's document.
 *   Keys kept so far (ten minutes' worth) are dropped: they have no hash to compare.
 * Frozen in time: never import src/.
 */
import { sql, type Kysely } from 'kysely';
import { columnForms } from './portable';

export async function up(db: Kysely<any>): Promise<void> {
  const { text } = columnForms(db);
  await sql`drop table login_throttle`.execute(db);
  await db.schema
    .createTable('login_turns')
    .addColumn('scope', text, (c) => c.notNull().check(sql`scope in ('name', 'source', 'pair')`))
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('source', text, (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', text, (c) => c.notNull())
    .addColumn('next_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('login_turns_pk', ['scope', 'name', 'source'])
    .execute();
  await db.schema
    .createIndex('login_turns_last_failure')
    .on('login_turns')
    .column('last_failure_at')
    .execute();

  await db.schema.alterTable('audit_log').addColumn('movements_json', text).execute();

  await db.deleteFrom('idempotency_keys').execute();
  await db.schema
    .alterTable('idempotency_keys')
    .addColumn('request_hash', text, (c) => c.notNull().defaultTo(''))
    .execute();
}

/** Forward only, like 0004 which it follows. */
export async function down(): Promise<void> {
  throw new Error('0006_ledger_seals_and_turns cannot be undone: restore a backup taken before it instead');
}
