/**
 * The city server's store: PostgreSQL through `pg` and kysely's PostgresDialect, with its
 * maintenance (constraint check, online backup with pg_dump, identity reset after a load).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './database';
import type { IntegrityReport, Maintenance } from './maintenance';
import { statementName } from './prepared';

/**
 * bigint (int8) and numeric (sums, counts) arrive as text by default. Every quantity the schema
 * allows stays below 2^53 (DOMAIN.md: lines and balances below 10^12), so numbers are exact.
 */
const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

export function openPostgresPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, types: types as pg.CustomTypesConfig });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  pool.on('connect', runPreparedByName);
  return pool;
}

/**
 * kysely sends (text, values); a prepared statement's text goes as a named statement instead.
 * When the server refuses a named statement because its table changed under it (0A000, another
 * process migrated), this process stops naming that text on every connection: the write's
 * retry runs it afresh (unnamed, planned each time, for the rest of the process).
 */
const stale = new Set<string>();
function runPreparedByName(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as { query: unknown }).query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
    const name =
      typeof text === 'string' && Array.isArray(values) && !stale.has(text) ? statementName(text) : undefined;
    if (!name) return query(text, values, ...rest);
    return query({ name, text, values }, ...rest).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === '0A000') stale.add(text as string);
      throw error;
    });
  };
}

export function postgresKysely(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
}

export function postgresMigrationKysely(pool: pg.Pool): Kysely<unknown> {
  return new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
}

/** The URL without its password, for messages. */
export function describePostgres(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** pg_dump / pg_restore: on PATH, or in Debian's /usr/lib/postgresql/<version>/bin. */
function postgresTool(name: string): string {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    for (const version of readdirSync(base).sort().reverse()) {
      const candidate = path.join(base, version, 'bin', name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return name;
}

export function postgresMaintenance(db: Kysely<Database>, url: string): Maintenance {
  async function integrityCheck(): Promise<IntegrityReport> {
    // The server checks pages and keys itself; what can be wrong is a constraint someone
    // added NOT VALID or disabled triggers behind the foreign keys.
    const notValid = await sql<{ name: string }>`
      select conname as name from pg_constraint c join pg_namespace n on n.oid = c.connamespace
      where n.nspname = current_schema() and not c.convalidated`.execute(db);
    const disabled = await sql<{ name: string }>`
      select t.tgname as name from pg_trigger t join pg_class r on r.oid = t.tgrelid join pg_namespace n on n.oid = r.relnamespace
      where n.nspname = current_schema() and t.tgenabled = 'D'`.execute(db);
    const problems = [
      ...notValid.rows.map((r) => `constraint ${r.name} is not validated`),
      ...disabled.rows.map((r) => `trigger ${r.name} is disabled`),
    ];
    return problems.length === 0
      ? { ok: true, report: 'PostgreSQL: every constraint validated and enforced' }
      : { ok: false, report: problems.join('; ') };
  }
  return {
    integrityCheck,
    async backup(destination) {
      // pg_dump reads one snapshot of the live database (online, consistent).
      const dump = spawnSync(
        postgresTool('pg_dump'),
        ['--format=custom', `--file=${destination}`, `--dbname=${url}`],
        { encoding: 'utf8' },
      );
      if (dump.error || dump.status !== 0)
        throw new Error(`pg_dump failed: ${dump.error?.message ?? dump.stderr.trim()}`);
      const list = spawnSync(postgresTool('pg_restore'), ['--list', destination], { encoding: 'utf8' });
      const integrity =
        list.status === 0
          ? {
              ok: true,
              report: `pg_restore --list: ${list.stdout.split('\n').filter((l) => l && !l.startsWith(';')).length} entries`,
            }
          : { ok: false, report: `pg_restore --list failed: ${list.stderr.trim()}` };
      return { bytes: statSync(destination).size, integrity };
    },
    bulkLoad: null,
    async resetIdentities() {
      const columns = await sql<{ table: string; column: string }>`
        select table_name as "table", column_name as "column" from information_schema.columns
        where table_schema = current_schema() and is_identity = 'YES'`.execute(db);
      for (const { table, column } of columns.rows) {
        await sql`select setval(pg_get_serial_sequence(${table}, ${column}), coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(
          db,
        );
      }
    },
  };
}
