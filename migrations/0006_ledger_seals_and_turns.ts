/**
 * Sign-in throttling by turns instead of locks: one row per user name, per source address and
 * per (name, source) pair, each with its recent failures and the earliest time its next guess
 * may be checked. Replaces login_throttle, whose rows are only minutes of bookkeeping (dropping
 * them forgets at most a quarter of an hour of failed sign-ins). Frozen in time: never import src/.
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
}

/** Forward only, like 0004 which it follows. */
export async function down(): Promise<void> {
  throw new Error('0006_login_turns cannot be undone: restore a backup taken before it instead');
}
