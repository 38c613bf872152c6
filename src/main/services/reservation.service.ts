/**
 * Reservations (已分配未出库): quantities promised by approved allocations and not yet
 * dispatched. They lower the available quantity (on hand − reserved) that issues, transfers and
 * other approvals may use. Called inside the allocation's own transaction.
 */
import { AppError } from '../../shared/rpc';
import type { Trx } from '../db/database';
import type { Actor } from './context';
import { requireDepot, requireMaterial } from './guards';
import { stockLevel } from './ledger';

export interface ReservationRequest {
  depotId: number;
  materialId: number;
  quantity: number;
  /** What the promise is for, e.g. an allocation line (`DB-20261130-0003#2`). */
  reference: string;
}

export async function reserveStock(trx: Trx, actor: Actor, at: string, request: ReservationRequest, path = 'quantity'): Promise<number> {
  const depot = await requireDepot(trx, request.depotId);
  const material = await requireMaterial(trx, request.materialId);
  const level = await stockLevel(trx, request.depotId, request.materialId);
  if (request.quantity > level.available) {
    const params = { material: material.name, depot: depot.name, requested: request.quantity, available: Math.max(level.available, 0) };
    throw new AppError('INSUFFICIENT_STOCK', 'stock.insufficient', params, [{ path, key: 'stock.insufficient', params }]);
  }
  const { reservationId } = await trx
    .insertInto('reservations')
    .values({ ...request, status: 'active', createdAt: at, createdBy: actor.userId, closedAt: null })
    .returning('reservationId')
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('stockLevels')
    .set((eb) => ({ reserved: eb('reserved', '+', request.quantity) }))
    .where('depotId', '=', request.depotId)
    .where('materialId', '=', request.materialId)
    .execute();
  return reservationId;
}

/** Ends an active reservation: released (cancelled or rejected) or consumed (dispatched). */
export async function closeReservation(trx: Trx, reservationId: number, status: 'released' | 'consumed', at: string): Promise<void> {
  const r = await trx
    .selectFrom('reservations')
    .selectAll()
    .where('reservationId', '=', reservationId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  await trx.updateTable('reservations').set({ status, closedAt: at }).where('reservationId', '=', reservationId).execute();
  await trx
    .updateTable('stockLevels')
    .set((eb) => ({ reserved: eb('reserved', '-', r.quantity) }))
    .where('depotId', '=', r.depotId)
    .where('materialId', '=', r.materialId)
    .execute();
}
