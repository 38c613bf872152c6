/**
 * Posting a movement: the ledger row and its balances, inside the caller's write. The balance
 * change is conditional (balances.ts), so a decrease that the stock no longer covers is refused
 * as INSUFFICIENT_STOCK naming the line's field, whatever raced with it.
 */
import type { MovementType } from '../../shared/schemas/stock';
import type { MovementRow, Trx } from '../db/database';
import { prepared } from '../db/prepared';
import { applyToBalances } from './balances';
import { notePosted } from './posted';

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
  /** A receipt's terms: its source, and the line's supplier and unit price. */
  source?: string | null;
  supplier?: string | null;
  unitPriceFen?: number | null;
  /** The incident the movement served. */
  incidentId?: number | null;
}

const insertMovement = prepared((db, p: Omit<MovementRow, 'movementId'>) =>
  db
    .insertInto('movements')
    .values({
      docNo: p.docNo,
      type: p.type,
      depotId: p.depotId,
      materialId: p.materialId,
      batchId: p.batchId,
      quantity: p.quantity,
      occurredAt: p.occurredAt,
      userId: p.userId,
      counterpartDepotId: p.counterpartDepotId,
      reversesMovementId: p.reversesMovementId,
      pairMovementId: p.pairMovementId,
      stocktakeId: p.stocktakeId,
      expiredOverride: p.expiredOverride,
      recipient: p.recipient,
      reason: p.reason,
      note: p.note,
      source: p.source,
      supplier: p.supplier,
      unitPriceFen: p.unitPriceFen,
      incidentId: p.incidentId,
    })
    .returning('movementId'),
);

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
  const row = await insertMovement.first(trx, {
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
    source: m.source ?? null,
    supplier: m.supplier ?? null,
    unitPriceFen: m.unitPriceFen ?? null,
    incidentId: m.incidentId ?? null,
  });
  const { movementId } = row!;
  notePosted(trx, movementId);
  return movementId;
}
