/**
 * Reservations (已分配未出库): quantities promised by approved allocations and not yet
 * dispatched. They lower the available quantity (on hand − reserved) that issues, transfers and
 * other approvals may use. Reserving is one conditional update (what is available must cover
 * it), so two approvals racing for the last tents cannot both win; the schema adds that
 * reserved never exceeds on hand.
 */
import { AppError } from '../../shared/rpc';
import type { Trx } from '../db/database';
import type { Actor } from '../services/context';
import { levelShort } from './balances';

export interface ReservationRequest {
  depotId: number;
  materialId: number;
  quantity: number;
  /** What the promise is for, e.g. an allocation line (`DB-20261130-0003#2`). */
  reference: string;
}

export async function reserveStock(
  trx: Trx,
  actor: Actor,
  at: string,
  request: ReservationRequest,
  path = 'quantity',
): Promise<number> {
  const raised = await trx
    .updateTable('stockLevels')
    .set((eb) => ({ reserved: eb('reserved', '+', request.quantity) }))
    .where('depotId', '=', request.depotId)
    .where('materialId', '=', request.materialId)
    .where((eb) => eb(eb('onHand', '-', eb.ref('reserved')), '>=', request.quantity))
    .executeTakeFirst();
  if (raised.numUpdatedRows === 0n)
    throw await levelShort(trx, request.depotId, request.materialId, request.quantity, path);
  const { reservationId } = await trx
    .insertInto('reservations')
    .values({ ...request, status: 'active', createdAt: at, createdBy: actor.userId, closedAt: null })
    .returning('reservationId')
    .executeTakeFirstOrThrow();
  return reservationId;
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
