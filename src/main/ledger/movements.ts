/**
 * Posting a movement: the ledger row and its balances, inside the caller's write. The balance
 * change is conditional (balances.ts), so a decrease that the stock no longer covers is refused
 * as INSUFFICIENT_STOCK naming the line's field, whatever raced with it.
 */
import type { MovementType } from '../../shared/schemas/stock';
import type { Trx } from '../db/database';
import { applyToBalances } from './balances';

export interface NewMovement {
  docNo: string;
  type: MovementType;
  depotId: number;
  materialId: number;
  batchId: number;
  quantity: number;
  occurredAt: string;
  userId: number;
  counterpartDepotId?: number | null;
  reversesMovementId?: number | null;
  pairMovementId?: number | null;
  stocktakeId?: number | null;
  expiredOverride?: boolean;
  recipient?: string | null;
  reason?: string | null;
  note?: string | null;
}

/** Posts one movement; `path` names the input field its quantity came from (for a refusal). */
export async function postMovement(trx: Trx, m: NewMovement, path = 'quantity'): Promise<number> {
  // Balances first: a refused decrease then never reaches the ledger insert.
  await applyToBalances(trx, {
    batchId: m.batchId,
    depotId: m.depotId,
    materialId: m.materialId,
    quantity: m.quantity,
    path,
  });
  const { movementId } = await trx
    .insertInto('movements')
    .values({
      docNo: m.docNo,
      type: m.type,
      depotId: m.depotId,
      materialId: m.materialId,
      batchId: m.batchId,
      quantity: m.quantity,
      occurredAt: m.occurredAt,
      userId: m.userId,
      counterpartDepotId: m.counterpartDepotId ?? null,
      reversesMovementId: m.reversesMovementId ?? null,
      pairMovementId: m.pairMovementId ?? null,
      stocktakeId: m.stocktakeId ?? null,
      expiredOverride: m.expiredOverride ? 1 : 0,
      recipient: m.recipient ?? null,
      reason: m.reason ?? null,
      note: m.note ?? null,
    })
    .returning('movementId')
    .executeTakeFirstOrThrow();
  return movementId;
}
