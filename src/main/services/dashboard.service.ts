/** The dashboard's figures: stock by category and by depot level, and warning counts. */
import type { ExpressionBuilder } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/database';
import { DEPOT_LEVELS } from '../../shared/schemas/depot';
import type { DashboardSummary, dashboardInput } from '../../shared/schemas/dashboard';
import { allocationListInput } from '../../shared/schemas/allocation';
import { listAllocations } from './allocation.service';
import { OPEN_ORDER_STATUSES, ordersTouching } from './delivery.service';
import type { Actor, ServiceContext } from './context';
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

/** Shown on the dashboard; the full lists are a click away. */
const SHORTAGES = 50;
const KEY_MATERIALS = 8;
const NEXT_EXPIRING = 5;

export async function dashboardSummary(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof dashboardInput>,
): Promise<DashboardSummary> {
  const { db } = ctx;
  const scope = input.depotId !== undefined ? [input.depotId] : (input.depotIds ?? null);
  const inScope = (depotId: number) => scope === null || scope.includes(depotId);
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
  if (scope) categories = categories.where('sl.depotId', 'in', scope);

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
  if (scope) levels = levels.where('sl.depotId', 'in', scope);

  let quotas = db
    .selectFrom('quotas as q')
    .innerJoin('materials as m', 'm.materialId', 'q.materialId')
    .leftJoin('stockLevels as sl', (j) =>
      j.onRef('sl.depotId', '=', 'q.depotId').onRef('sl.materialId', '=', 'q.materialId'),
    )
    .select((eb) => [
      'q.materialId',
      'm.code',
      'm.name',
      'm.unit',
      eb.fn.sum<number | string>('q.quantity').as('quota'),
      eb.fn
        .sum<number | string>(
          eb(eb.fn.coalesce('sl.onHand', eb.lit(0)), '-', eb.fn.coalesce('sl.reserved', eb.lit(0))),
        )
        .as('available'),
    ])
    .where('m.active', '=', 1)
    .where('q.quantity', '>', 0)
    .groupBy(['q.materialId', 'm.code', 'm.name', 'm.unit']);
  if (scope) quotas = quotas.where('q.depotId', 'in', scope);

  const [categoryRows, levelRows, expiringAll, belowAll, quotaRows, flow] = await Promise.all([
    categories.execute(),
    levels.execute(),
    listExpiring(ctx, { depotId: input.depotId, includeExpired: true }),
    listBelowQuota(db, { depotId: input.depotId }),
    quotas.execute(),
    deliveryFlow(ctx, actor, scope),
  ]);
  const expiring = { ...expiringAll, rows: expiringAll.rows.filter((r) => inScope(r.depotId)) };
  const below = { rows: belowAll.rows.filter((r) => inScope(r.depotId)) };
  const missing = (r: { quota: number; shortBy: number }) => r.shortBy / r.quota;
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
    shortages: [...below.rows]
      .sort((a, b) => missing(b) - missing(a) || b.shortBy - a.shortBy || a.depotId - b.depotId)
      .slice(0, SHORTAGES),
    keyMaterials: quotaRows
      .map((r) => ({
        materialId: r.materialId,
        code: r.code,
        name: r.name,
        unit: r.unit,
        available: Number(r.available ?? 0),
        quota: Number(r.quota ?? 0),
      }))
      .sort((a, b) => a.available / a.quota - b.available / b.quota || a.code.localeCompare(b.code))
      .slice(0, KEY_MATERIALS),
    nextExpiring: expiring.rows
      .filter((r) => r.status === 'expiring')
      .sort((a, b) => a.expiresOn.localeCompare(b.expiresOn) || a.batchId - b.batchId)
      .slice(0, NEXT_EXPIRING),
    flow,
  };
}

/** Orders waiting, on the road and late (touching the depots in view), and the caller's approval queue. */
async function deliveryFlow(ctx: ServiceContext, actor: Actor, scope: number[] | null) {
  const now = ctx.clock.now().toISOString();
  let orders = ctx.db
    .selectFrom('deliveryOrders as o')
    .select((eb) => [
      eb.fn
        .sum<number | string>(eb.case().when('o.status', '=', 'planned').then(1).else(0).end())
        .as('planned'),
      eb.fn
        .sum<number | string>(eb.case().when('o.status', '=', 'dispatched').then(1).else(0).end())
        .as('inTransit'),
      eb.fn
        .sum<number | string>(eb.case().when('o.plannedArrival', '<', now).then(1).else(0).end())
        .as('overdue'),
    ])
    .where('o.status', 'in', OPEN_ORDER_STATUSES);
  if (scope) orders = orders.where('o.deliveryId', 'in', ordersTouching(ctx.db, scope));
  const counts = await orders.executeTakeFirst();
  const awaitingMe =
    actor.role === 'coordinator'
      ? (await listAllocations(ctx, actor, allocationListInput.parse({ awaitingMe: true, limit: 1000 })))
          .length
      : 0;
  return {
    awaitingMe,
    planned: Number(counts?.planned ?? 0),
    inTransit: Number(counts?.inTransit ?? 0),
    overdue: Number(counts?.overdue ?? 0),
  };
}
