/**
 * Stock warnings: lots expiring within their material's warning window or already expired,
 * and depots under their reserve quota. As lists (the rotation and shortfall lists, the
 * dashboard) and as per-row tags for stock.balances.
 */
import type { z } from 'zod';
import { addDays, daysBetween, localDate } from '../../shared/dates';
import type { DepotLevel } from '../../shared/schemas/depot';
import type {
  belowQuotaInput,
  belowQuotaOutput,
  expiringInput,
  expiringOutput,
  ExpiryStatus,
} from '../../shared/schemas/stock';
import type { DbOrTrx } from '../db/database';
import type { ServiceContext } from './context';

/** Where a lot stands against its expiry: expired, expiring within `warningDays` days, or neither (null). */
export function expiryOf(
  today: string,
  expiresOn: string | null,
  warningDays: number,
): { status: ExpiryStatus; daysLeft: number } | null {
  if (!expiresOn) return null;
  const daysLeft = daysBetween(today, expiresOn);
  if (daysLeft < 0) return { status: 'expired', daysLeft };
  return daysLeft <= warningDays ? { status: 'expiring', daysLeft } : null;
}

/** The date past which no material warns yet: today plus the widest warning window. */
async function warningHorizon(db: DbOrTrx, today: string): Promise<string> {
  const widest = await db
    .selectFrom('materials')
    .select((eb) => eb.fn.max<number>('warningDays').as('w'))
    .executeTakeFirst();
  return addDays(today, Number(widest?.w ?? 0));
}

export interface Scope {
  depotId?: number;
  level?: DepotLevel;
  materialId?: number;
}

/**
 * The earliest expiry among lots with stock, per depot × material (`depotId:materialId`) or
 * per material over the depots in scope, counting only lots inside the widest warning window:
 * the earliest lot decides a row's warning, and a later one can only warn if it does. Read
 * through the expiry index, so the cost follows the lots near expiry, not the size of the page.
 */
export async function earliestNearExpiry(
  db: DbOrTrx,
  today: string,
  scope: Scope,
  per: 'depotMaterial' | 'material',
): Promise<Map<string, string>> {
  let q = db
    .selectFrom('batches as b')
    .innerJoin('batchBalances as bb', 'bb.batchId', 'b.batchId')
    .where('bb.onHand', '>', 0)
    .where('b.expiresOn', 'is not', null)
    .where('b.expiresOn', '<=', await warningHorizon(db, today));
  if (scope.depotId !== undefined) q = q.where('b.depotId', '=', scope.depotId);
  if (scope.materialId !== undefined) q = q.where('b.materialId', '=', scope.materialId);
  if (scope.level !== undefined) {
    // A join, not `depot_id in (select …)`: given the in-list, SQLite walks every lot of the
    // level's depots through the depot index instead of the expiry range (a few thousand lots).
    const level = scope.level;
    q = q.innerJoin('depots as d', (j) => j.onRef('d.depotId', '=', 'b.depotId').on('d.level', '=', level));
  }
  if (per === 'material') {
    const rows = await q
      .select((eb) => ['b.materialId', eb.fn.min<string>('b.expiresOn').as('earliest')])
      .groupBy('b.materialId')
      .execute();
    return new Map(rows.map((r) => [String(r.materialId), r.earliest]));
  }
  const rows = await q
    .select((eb) => ['b.depotId', 'b.materialId', eb.fn.min<string>('b.expiresOn').as('earliest')])
    .groupBy(['b.depotId', 'b.materialId'])
    .execute();
  return new Map(rows.map((r) => [`${r.depotId}:${r.materialId}`, r.earliest]));
}

/** Quotas of active depots and materials that the available quantity does not reach. */
function quotasNotMet(db: DbOrTrx) {
  return db
    .selectFrom('quotas as q')
    .innerJoin('depots as d', 'd.depotId', 'q.depotId')
    .innerJoin('materials as m', 'm.materialId', 'q.materialId')
    .leftJoin('stockLevels as sl', (j) =>
      j.onRef('sl.depotId', '=', 'q.depotId').onRef('sl.materialId', '=', 'q.materialId'),
    )
    .where('d.active', '=', 1)
    .where('m.active', '=', 1)
    .where((eb) =>
      eb(
        eb(eb.fn.coalesce('sl.onHand', eb.lit(0)), '-', eb.fn.coalesce('sl.reserved', eb.lit(0))),
        '<',
        eb.ref('q.quantity'),
      ),
    );
}

/** Per material, how many depots in scope are under their quota. */
export async function depotsBelowQuota(db: DbOrTrx, scope: Scope): Promise<Map<number, number>> {
  let q = quotasNotMet(db)
    .select((eb) => ['q.materialId', eb.fn.countAll<number>().as('depots')])
    .groupBy('q.materialId');
  if (scope.depotId !== undefined) q = q.where('q.depotId', '=', scope.depotId);
  if (scope.materialId !== undefined) q = q.where('q.materialId', '=', scope.materialId);
  if (scope.level !== undefined) q = q.where('d.level', '=', scope.level);
  return new Map((await q.execute()).map((r) => [r.materialId, Number(r.depots)]));
}

export async function listExpiring(
  ctx: ServiceContext,
  input: z.output<typeof expiringInput>,
): Promise<z.output<typeof expiringOutput>> {
  const today = localDate(ctx.clock.now());
  // The widest window any material uses bounds the query; each material's own window filters.
  const horizon =
    input.withinDays !== undefined ? addDays(today, input.withinDays) : await warningHorizon(ctx.db, today);
  let q = ctx.db
    .selectFrom('batches as b')
    .innerJoin('batchBalances as bb', 'bb.batchId', 'b.batchId')
    .innerJoin('materials as m', 'm.materialId', 'b.materialId')
    .innerJoin('depots as d', 'd.depotId', 'b.depotId')
    .select([
      'b.batchId',
      'b.depotId',
      'd.name as depotName',
      'b.materialId',
      'm.code as materialCode',
      'm.name as materialName',
      'm.unit',
      'm.warningDays',
      'b.lotNo',
      'b.expiresOn',
      'bb.onHand',
    ])
    .where('bb.onHand', '>', 0)
    .where('b.expiresOn', 'is not', null)
    .where('b.expiresOn', '<=', horizon);
  if (input.depotId !== undefined) q = q.where('b.depotId', '=', input.depotId);
  if (!input.includeExpired) q = q.where('b.expiresOn', '>=', today);
  const rows = await q.orderBy('b.expiresOn').orderBy('b.batchId').execute();
  const out = [];
  for (const { warningDays, expiresOn, ...r } of rows) {
    const expiry = expiryOf(today, expiresOn, input.withinDays ?? warningDays);
    if (expiry) out.push({ ...r, expiresOn: expiresOn!, ...expiry });
  }
  return { today, rows: out };
}

export async function listBelowQuota(
  db: DbOrTrx,
  input: z.output<typeof belowQuotaInput>,
): Promise<z.output<typeof belowQuotaOutput>> {
  let q = quotasNotMet(db).select((eb) => [
    'q.depotId',
    'd.name as depotName',
    'q.materialId',
    'm.code as materialCode',
    'm.name as materialName',
    'm.unit',
    'q.quantity as quota',
    eb.fn.coalesce('sl.onHand', eb.lit(0)).as('onHand'),
    eb.fn.coalesce('sl.reserved', eb.lit(0)).as('reserved'),
  ]);
  if (input.depotId !== undefined) q = q.where('q.depotId', '=', input.depotId);
  const rows = await q.orderBy('q.depotId').orderBy('q.materialId').execute();
  return {
    rows: rows.map(({ reserved, ...r }) => {
      const available = r.onHand - reserved;
      return { ...r, available, shortBy: r.quota - available };
    }),
  };
}
