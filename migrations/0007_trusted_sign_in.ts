/**
 * A source that has signed in to a name keeps a right of way for it (sign-in throttling): the
 * pair's row remembers until when. Frozen in time: never import src/.
 */
import type { Kysely } from 'kysely';
import { columnForms } from './portable';

export async function up(db: Kysely<any>): Promise<void> {
  const { text } = columnForms(db);
  await db.schema.alterTable('login_turns').addColumn('trusted_until', text).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('login_turns').dropColumn('trusted_until').execute();
}
