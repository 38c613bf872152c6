/**
 * A file is imported once (the commit's audit record names it by its SHA-256): a partial unique
 * index makes that a constraint, the backstop behind import.commit's own check. Before this,
 * two server processes could both post one file; the audit log is append-only, so such a pair
 * stays, and the index covers only the records after the last of them. Frozen in time: never
 * import src/.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const twice = await sql<{ last: number | string | null }>`
    select max(audit_id) as last from audit_log
     where action = 'import.commit'
       and entity_id in (select entity_id from audit_log where action = 'import.commit'
                          group by entity_id having count(*) > 1)`.execute(db);
  const last = twice.rows[0]?.last ?? null;
  let index = db.schema
    .createIndex('audit_log_import_once')
    .unique()
    .on('audit_log')
    .column('entity_id')
    .where(sql.ref('action'), '=', 'import.commit');
  if (last !== null) index = index.where(sql.ref('audit_id'), '>', Number(last));
  await index.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_log_import_once').execute();
}
