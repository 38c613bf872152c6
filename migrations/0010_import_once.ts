/**
 * A file is imported once (the commit's audit record names it by its SHA-256): a partial unique
 * index makes that a constraint, the backstop behind import.commit's own check. Frozen in time:
 * never import src/.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('audit_log_import_once')
    .unique()
    .on('audit_log')
    .column('entity_id')
    .where(sql.ref('action'), '=', 'import.commit')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_log_import_once').execute();
}
