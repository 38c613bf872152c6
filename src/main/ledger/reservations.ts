/**
 * Reservations (已分配未出库): quantities promised by approved allocations and not yet
 * dispatched. They lower the available quantity (on hand − reserved) that issues, transfers and
 * other approvals may use. Reserving is one conditional update (what is available must cover
 * it), so two approvals racing for the last tents cannot both win; the schema adds that
 * reserved never exceeds on hand.
 */
import { sql } from 'kysely';
import { AppError } from '../../shared/rpc';
import type { Trx } from '../db/database';
import type { Actor } from '../services/context';
import { valuesTable } from '../db/values';
import { levelShort, pairKey, type StockLevel } from './balances';

export interface ReservationRequest {
  depotId: number;
  materialId: number;
  quantity: number;
  /** What the promise is for, e.g. an allocation line (`DB-20261130-0003#2`). */
  reference: string;
}

/**
 * Ends an active reservation: released (cancelled or rejected) or consumed (dispatched: the
 * caller posts the outgoing movement after this, in the same write). Ending one twice is a CONFLICT.
 */
export async function closeReservation(
  trx: Trx,
  reservationId: number,
  status: 'released' | 'consumed',
  at: string,
): Promise<void> {
  const closed = await trx
    .updateTable('reservations')
    .set({ status, closedAt: at })
    .where('reservationId', '=', reservationId)
    .where('status', '=', 'active')
    .returning(['depotId', 'materialId', 'quantity'])
    .executeTakeFirst();
  if (!closed) throw new AppError('CONFLICT', 'reservation.notActive', { id: String(reservationId) });
  await trx
    .updateTable('stockLevels')
    .set((eb) => ({ reserved: eb('reserved', '-', closed.quantity) }))
    .where('depotId', '=', closed.depotId)
    .where('materialId', '=', closed.materialId)
    .execute();
}

/**
 * Reserves many lines at once (an approval), in one conditional update and one insert, against
 * levels the caller has locked (lockedStockLevels) and judged: what is available must cover
 * each pair's total, else INSUFFICIENT_STOCK names the first line it no longer covers and what
 * was left for it. Returns the reservation ids in the order given.
 */
export async function reserveMany(
  trx: Trx,
  actor: Actor,
  at: string,
  levels: ReadonlyMap<string, StockLevel>,
  requests: readonly (ReservationRequest & { path: string })[],
): Promise<number[]> {
  if (requests.length === 0) return [];
  const left = new Map<string, number>();
  const perPair = new Map<string, { depotId: number; materialId: number; quantity: number }>();
  for (const r of requests) {
    const k = pairKey(r.depotId, r.materialId);
    const available = left.get(k) ?? levels.get(k)?.available ?? 0;
    if (r.quantity > available) {
      const short = await levelShort(trx, r.depotId, r.materialId, r.quantity, r.path);
      const params = { ...short.params, available: Math.max(available, 0) };
      throw new AppError('INSUFFICIENT_STOCK', 'stock.insufficient', params, [
        { path: r.path, key: 'stock.insufficient', params },
      ]);
    }
    left.set(k, available - r.quantity);
    const pair = perPair.get(k) ?? { depotId: r.depotId, materialId: r.materialId, quantity: 0 };
    pair.quantity += r.quantity;
    perPair.set(k, pair);
  }
  const rows = [...perPair.values()].map((p) => [p.depotId, p.materialId, p.quantity]);
  const raised = await sql<{ depotId: number }>`
    update stock_levels set reserved = stock_levels.reserved + v.column3
      from ${valuesTable(rows)} as v
     where stock_levels.depot_id = v.column1 and stock_levels.material_id = v.column2
       and stock_levels.on_hand - stock_levels.reserved >= v.column3
    returning stock_levels.depot_id`.execute(trx);
  // The levels were locked and judged just now: a miss means they were not locked.
  if (raised.rows.length !== rows.length) throw new AppError('CONFLICT', 'error.CONFLICT');
  const inserted = await trx
    .insertInto('reservations')
    .values(
      requests.map((r) => ({
        depotId: r.depotId,
        materialId: r.materialId,
        quantity: r.quantity,
        reference: r.reference,
        status: 'active' as const,
        createdAt: at,
        createdBy: actor.userId,
        closedAt: null,
      })),
    )
    .returning(['reservationId', 'depotId', 'reference'])
    .execute();
  // Matched back by depot and reference (one source per depot and line).
  const ids = new Map(inserted.map((r) => [`${r.depotId}|${r.reference}`, r.reservationId]));
  return requests.map((r) => ids.get(`${r.depotId}|${r.reference}`)!);
}
