/**
 * A `(values (…), (…))` table of whole numbers, for set-based statements that work on both
 * stores: `update … from (values …) as v`, `(a, b) in (values …)`. Its columns are named
 * column1, column2, … on both; each value is cast to bigint so PostgreSQL knows its type.
 */
import { sql, type RawBuilder } from 'kysely';

export function valuesTable(rows: readonly (readonly number[])[]): RawBuilder<unknown> {
  return sql`(values ${sql.join(rows.map((r) => sql`(${sql.join(r.map((v) => sql`cast(${v} as bigint)`))})`))})`;
}

/** `(depot, material) in (values …)`: rows of these pairs only. */
export function inPairs(
  left: string,
  right: string,
  pairs: readonly { depotId: number; materialId: number }[],
): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(left)}, ${sql.ref(right)}) in ${valuesTable(pairs.map((p) => [p.depotId, p.materialId]))}`;
}
