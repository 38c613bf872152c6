/**
 * What every report shares: the depot and material columns (the GB/T 38565 code beside the
 * material's name, as the other departments look items up by it), the select list behind them,
 * the stock screen's scope filters, and keyset paging.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import { addDays, startOfLocalDay } from '../../../shared/dates';
import type { Column } from '../workbook';

export type Lang = 'zh-CN' | 'en';

const WORDS = {
  'zh-CN': {
    depotCode: '储备库编码',
    depot: '储备库',
    code: '物资编码',
    gbCode: '国标编码',
    name: '物资名称',
    spec: '规格型号',
    unit: '单位',
  },
  en: {
    depotCode: 'Depot code',
    depot: 'Depot',
    code: 'Material code',
    gbCode: 'GB/T 38565 code',
    name: 'Material',
    spec: 'Specification',
    unit: 'Unit',
  },
};

export interface MaterialNames {
  code: string;
  gbCode: string | null;
  name: string;
  spec: string | null;
  unit: string;
}

/** The material's columns, read from a query joined to `materials as m`. */
export const MATERIAL_SELECT = ['m.code', 'm.gbCode', 'm.name', 'm.spec', 'm.unit'] as const;

export function materialColumns<R extends MaterialNames>(lang: Lang): Column<R>[] {
  const w = WORDS[lang];
  return [
    { header: w.code, kind: 'text', value: (r) => r.code },
    { header: w.gbCode, kind: 'text', value: (r) => r.gbCode },
    { header: w.name, kind: 'text', value: (r) => r.name },
    { header: w.spec, kind: 'text', value: (r) => r.spec },
    { header: w.unit, kind: 'text', value: (r) => r.unit },
  ];
}

export function depotColumns<R extends { depotCode?: string; depotName: string | null }>(
  lang: Lang,
  options: { withCode?: boolean; header?: string } = {},
): Column<R>[] {
  const w = WORDS[lang];
  const name: Column<R> = { header: options.header ?? w.depot, kind: 'text', value: (r) => r.depotName };
  return options.withCode
    ? [{ header: w.depotCode, kind: 'text', value: (r) => r.depotCode ?? null }, name]
    : [name];
}

/** The stock screen's scope: a depot, its level, the material's category and class. */
export interface ScopeFilter {
  depotId?: number;
  level?: 'city' | 'district' | 'town';
  category?: string;
  topClass?: 1 | 2 | 3;
}

/**
 * The scope as one condition, on a query joined to `depots as d` and `materials as m`
 * (`depotRef` names the depot column the depot filter applies to).
 */
export function inScope(filter: ScopeFilter, depotRef = 'd.depotId'): Expression<SqlBool> {
  const parts = [
    filter.depotId !== undefined && sql`${sql.ref(depotRef)} = ${filter.depotId}`,
    filter.level !== undefined && sql`${sql.ref('d.level')} = ${filter.level}`,
    filter.category !== undefined && sql`${sql.ref('m.category')} = ${filter.category}`,
    filter.topClass !== undefined && sql`${sql.ref('m.topClass')} = ${filter.topClass}`,
  ].filter((p) => p !== false);
  return parts.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

/** A period of local dates, both ends included. */
export interface Period {
  from?: string;
  to?: string;
}

/** `ref` (an ISO instant) inside the period, on the city's clock. */
export function inPeriod(ref: string, period: Period): Expression<SqlBool> {
  const parts = [
    period.from !== undefined && sql`${sql.ref(ref)} >= ${startOfLocalDay(period.from)}`,
    period.to !== undefined && sql`${sql.ref(ref)} < ${startOfLocalDay(addDays(period.to, 1))}`,
  ].filter((p) => p !== false);
  return parts.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

/** Hours from one ISO instant to another, to one decimal; null when either is missing. */
export function hoursBetween(from: string | null, to: string | null): number | null {
  return from === null || to === null ? null : Math.round((Date.parse(to) - Date.parse(from)) / 360_000) / 10;
}

/**
 * Reads a query page by page: `page(after)` returns up to `size` rows following the key
 * `after` (null: from the start), in key order. Reading two million rows never holds them all.
 */
export async function* keysetPages<R, K>(
  size: number,
  page: (after: K | null) => Promise<R[]>,
  keyOf: (row: R) => K,
): AsyncGenerator<R> {
  let after: K | null = null;
  for (;;) {
    const rows = await page(after);
    yield* rows;
    if (rows.length < size) return;
    after = keyOf(rows.at(-1)!);
  }
}
