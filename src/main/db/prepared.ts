/**
 * Hot statements, built and compiled once per store kind. Kysely builds a query, passes it
 * through the camelCase plugin and compiles it on every run: for a short statement that costs
 * two to three times what SQLite takes to execute it, and every receipt runs a dozen of them.
 * A prepared statement is written with the query builder as usual; its parameters are named
 * slots (`p.depotId`) that each run fills in. Results still pass the plugins (camelCase rows).
 */
import { PostgresAdapter, type CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './database';
import { dialectFor, type Dialect } from './dialect';

class Slot {
  constructor(readonly name: string) {}
}

/**
 * The parameters as seen while building: each property read is a named slot. Name every
 * property (`values({ a: p.a })`): spreading `...p` finds none.
 */
const slots = new Proxy({} as Record<string, Slot>, { get: (_target, name) => new Slot(String(name)) });

type Db = Kysely<Database>;

/**
 * The SQL text of every prepared statement, with a name. PostgreSQL connections run these as
 * named server-side statements (postgres.ts), so the server plans each once per connection:
 * planning the movement read's seven joins costs more than running it.
 */
const names = new Map<string, string>();
export function statementName(sqlText: string): string | undefined {
  return names.get(sqlText);
}

export interface Prepared<P, R> {
  run(db: Db, params: P): Promise<QueryResult<R>>;
  /** The first row, or undefined. */
  first(db: Db, params: P): Promise<R | undefined>;
  all(db: Db, params: P): Promise<R[]>;
}

export function prepared<P extends Record<string, unknown>, R>(
  build: (db: Db, p: P, dialect: Dialect) => Compilable<R>,
): Prepared<P, R> {
  // Per dialect (its adapter class): placeholders differ ('?' against '$1').
  const compiled = new Map<unknown, { query: CompiledQuery<R>; slotNames: (string | null)[] }>();
  const compile = (db: Db) => {
    const adapter = db.getExecutor().adapter;
    let entry = compiled.get(adapter.constructor);
    if (!entry) {
      const dialect = dialectFor(adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite');
      const query = build(db, slots as unknown as P, dialect).compile();
      if (!names.has(query.sql)) names.set(query.sql, `relief_${names.size + 1}`);
      entry = { query, slotNames: query.parameters.map((v) => (v instanceof Slot ? v.name : null)) };
      compiled.set(adapter.constructor, entry);
    }
    return entry;
  };
  const run = (db: Db, params: P) => {
    const { query, slotNames } = compile(db);
    const parameters = slotNames.map((name, i) => {
      if (name === null) return query.parameters[i];
      // A missing value would bind as nothing on one store and fail on the other: say which.
      if (params[name] === undefined) throw new Error(`prepared statement: no value for ${name}`);
      return params[name];
    });
    return db.executeQuery<R>({ ...query, parameters });
  };
  return {
    run,
    first: async (db, params) => (await run(db, params)).rows[0],
    all: async (db, params) => (await run(db, params)).rows,
  };
}
