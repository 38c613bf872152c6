/** The dashboard's figures: stock by category and by depot level, and warning counts. */
import type { ExpressionBuilder } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/database';
import { DEPOT_LEVELS } from '../../shared/schemas/depot';
import type { DashboardSummary, dashboardInput } from '../../shared/schemas/dashboard';
import type { ServiceContext } from './context';
import { listBelowQuota, listExpiring } from './stock-warnings.service';

type StockValueRow = { sl: Database['stockLevels']; m: Database['materials'] };

/** A fixed order for ties: UTF-16 order (code point order for Chinese and Latin text, as the stores sort it); null last. */
function byCategory(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/**
 * Σ on hand × reference price, in floating point: a large stock at a high price passes 2^53 fen
 * (and 2^63 on the way), where an integer sum would fail and the whole dashboard with it.
 */
function stockValueFen(eb: ExpressionBuilder<StockValueRow, 'sl' | 'm'>) {
  return eb.fn
    .sum<number>(
      eb(eb.cast('sl.onHand', 'double precision'), '*', eb.fn.coalesce('m.referencePriceFen', eb.lit(0))),
    )
    .as('valueFen');
}

export async function dashboardSummary(
  ctx: ServiceContext,
  input: z.output<typeof dashboardInput>,
): Promise<DashboardSummary> {
  const { db } = ctx;
  let categories = db
    .selectFrom('stockLevels as sl')
    .innerJoin('materials as m', 'm.materialId', 'sl.materialId')
    .select((eb) => [
      'm.category',
      eb.fn.count<number>('sl.materialId').distinct().as('materials'),
      eb.fn.sum<number>('sl.onHand').as('onHand'),
      stockValueFen(eb),
    ])
    .where('sl.onHand', '>', 0)
    .groupBy('m.category');
  if (input.depotId !== undefined) categories = categories.where('sl.depotId', '=', input.depotId);

  let levels = db
    .selectFrom('stockLevels as sl')
    .innerJoin('materials as m', 'm.materialId', 'sl.materialId')
    .innerJoin('depots as d', 'd.depotId', 'sl.depotId')
    .select((eb) => [
      'd.level',
      eb.fn.count<number>('sl.depotId').distinct().as('depots'),
      eb.fn.sum<number>('sl.onHand').as('onHand'),
      stockValueFen(eb),
    ])
    .where('sl.onHand', '>', 0)
    .groupBy('d.level');
  if (input.depotId !== undefined) levels = levels.where('sl.depotId', '=', input.depotId);

  const [categoryRows, levelRows, expiring, below] = await Promise.all([
    categories.execute(),
    levels.execute(),
    listExpiring(ctx, { depotId: input.depotId, includeExpired: true }),
    listBelowQuota(db, { depotId: input.depotId }),
  ]);
  const byLevel = DEPOT_LEVELS.map((level) => {
    const row = levelRows.find((r) => r.level === level);
    return {
      level,
      depots: Number(row?.depots ?? 0),
      onHand: Number(row?.onHand ?? 0),
      valueFen: Number(row?.valueFen ?? 0),
    };
  });
  return {
    today: expiring.today,
    byCategory: categoryRows
      .map((r) => ({
        category: r.category,
        materials: Number(r.materials),
        onHand: Number(r.onHand),
        valueFen: Number(r.valueFen),
      }))
      // Ties in category order (uncategorised last): the rows come in no defined order from GROUP BY.
      .sort((a, b) => b.valueFen - a.valueFen || b.onHand - a.onHand || byCategory(a.category, b.category)),
    byLevel,
    warnings: {
      expiring: expiring.rows.filter((r) => r.status === 'expiring').length,
      expired: expiring.rows.filter((r) => r.status === 'expired').length,
      belowQuota: below.rows.length,
    },
  };
}
