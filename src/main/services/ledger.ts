/**
 * The one place stock changes: a movement row plus the maintained balances (per batch, and per
 * depot and material), written together inside the caller's transaction. Services check the
 * rules first so the user gets a precise message; the schema's CHECK constraints are the backstop.
 */
import { localDate } from '../../shared/dates';
import { AppError } from '../../shared/rpc';
import type { MovementType } from '../../shared/schemas/stock';
import type { BatchRow, DepotRow, MaterialRow, Trx } from '../db/database';

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

export async function postMovement(trx: Trx, m: NewMovement): Promise<number> {
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
  // Update first, insert when there was no row: an upsert would check the CHECK constraint
  // (on_hand >= 0) against the inserted values before resolving the conflict.
  const batchUpdate = await trx
    .updateTable('batchBalances')
    .set((eb) => ({ onHand: eb('onHand', '+', m.quantity) }))
    .where('batchId', '=', m.batchId)
    .executeTakeFirst();
  if (batchUpdate.numUpdatedRows === 0n) {
    await trx.insertInto('batchBalances').values({ batchId: m.batchId, depotId: m.depotId, materialId: m.materialId, onHand: m.quantity }).execute();
  }
  const levelUpdate = await trx
    .updateTable('stockLevels')
    .set((eb) => ({ onHand: eb('onHand', '+', m.quantity) }))
    .where('depotId', '=', m.depotId)
    .where('materialId', '=', m.materialId)
    .executeTakeFirst();
  if (levelUpdate.numUpdatedRows === 0n) {
    await trx.insertInto('stockLevels').values({ depotId: m.depotId, materialId: m.materialId, onHand: m.quantity, reserved: 0 }).execute();
  }
  return movementId;
}

export interface StockLevel {
  onHand: number;
  reserved: number;
  available: number;
}

export async function stockLevel(trx: Trx, depotId: number, materialId: number): Promise<StockLevel> {
  const row = await trx
    .selectFrom('stockLevels')
    .select(['onHand', 'reserved'])
    .where('depotId', '=', depotId)
    .where('materialId', '=', materialId)
    .executeTakeFirst();
  const onHand = row?.onHand ?? 0;
  const reserved = row?.reserved ?? 0;
  return { onHand, reserved, available: onHand - reserved };
}

export async function batchOnHand(trx: Trx, batchId: number): Promise<number> {
  const row = await trx.selectFrom('batchBalances').select('onHand').where('batchId', '=', batchId).executeTakeFirst();
  return row?.onHand ?? 0;
}

export function isExpired(batch: Pick<BatchRow, 'expiresOn'>, today: string): boolean {
  return batch.expiresOn !== null && batch.expiresOn < today;
}

export interface BatchPick {
  batch: BatchRow;
  quantity: number;
  expiredOverride: boolean;
}

interface OutgoingLine {
  materialId: number;
  quantity: number;
  batchId?: number | undefined;
}

/**
 * Chooses the batches an outgoing line takes from: the named batch, or first-expiry-first-out
 * over batches that have not expired (expired stock leaves only when named). Refuses anything
 * beyond the available quantity (on hand − reserved).
 */
export async function pickBatches(
  trx: Trx,
  depot: DepotRow,
  material: MaterialRow,
  line: OutgoingLine,
  linePath: string,
  instant: Date,
): Promise<BatchPick[]> {
  const today = localDate(instant);
  const level = await stockLevel(trx, depot.depotId, material.materialId);
  const insufficient = (available: number) =>
    new AppError(
      'INSUFFICIENT_STOCK',
      'stock.insufficient',
      { material: material.name, depot: depot.name, requested: line.quantity, available: Math.max(available, 0) },
      [{ path: `${linePath}.quantity`, key: 'stock.insufficient', params: { material: material.name, depot: depot.name, requested: line.quantity, available: Math.max(available, 0) } }],
    );

  if (line.batchId !== undefined) {
    const batch = await requireBatchOf(trx, line.batchId, depot, material, `${linePath}.batchId`);
    const onHand = await batchOnHand(trx, batch.batchId);
    if (line.quantity > onHand) {
      const params = { lotNo: batch.lotNo, requested: line.quantity, onHand };
      throw new AppError('INSUFFICIENT_STOCK', 'stock.batchInsufficient', params, [
        { path: `${linePath}.quantity`, key: 'stock.batchInsufficient', params },
      ]);
    }
    if (line.quantity > level.available) throw insufficient(level.available);
    return [{ batch, quantity: line.quantity, expiredOverride: isExpired(batch, today) }];
  }

  const candidates = await trx
    .selectFrom('batches as b')
    .innerJoin('batchBalances as bb', 'bb.batchId', 'b.batchId')
    .selectAll('b')
    .select('bb.onHand')
    .where('b.depotId', '=', depot.depotId)
    .where('b.materialId', '=', material.materialId)
    .where('bb.onHand', '>', 0)
    .where((eb) => eb.or([eb('b.expiresOn', 'is', null), eb('b.expiresOn', '>=', today)]))
    .orderBy((eb) => eb.case().when('b.expiresOn', 'is', null).then(1).else(0).end())
    .orderBy('b.expiresOn')
    .orderBy('b.batchId')
    .execute();
  const usable = candidates.reduce((sum, c) => sum + c.onHand, 0);
  const available = Math.min(usable, level.available);
  if (line.quantity > available) throw insufficient(available);

  const picks: BatchPick[] = [];
  let remaining = line.quantity;
  for (const { onHand, ...batch } of candidates) {
    if (remaining === 0) break;
    const take = Math.min(onHand, remaining);
    picks.push({ batch, quantity: take, expiredOverride: false });
    remaining -= take;
  }
  return picks;
}

export async function requireBatchOf(
  trx: Trx,
  batchId: number,
  depot: DepotRow,
  material: MaterialRow | null,
  path: string,
): Promise<BatchRow> {
  const batch = await trx.selectFrom('batches').selectAll().where('batchId', '=', batchId).executeTakeFirst();
  if (!batch) {
    throw new AppError('NOT_FOUND', 'stock.batchNotFound', { id: String(batchId) }, [
      { path, key: 'stock.batchNotFound', params: { id: String(batchId) } },
    ]);
  }
  if (batch.depotId !== depot.depotId || (material && batch.materialId !== material.materialId)) {
    throw new AppError('BAD_INPUT', 'stock.batchMismatch', { lotNo: batch.lotNo }, [
      { path, key: 'stock.batchMismatch', params: { lotNo: batch.lotNo } },
    ]);
  }
  return batch;
}

/** Refuses a decrease that would take a batch below zero or the depot below what is reserved. */
export async function assertCanDecrease(
  trx: Trx,
  batch: BatchRow,
  quantity: number,
  names: { depot: string; material: string },
  path: string,
): Promise<void> {
  const onHand = await batchOnHand(trx, batch.batchId);
  if (quantity > onHand) {
    const params = { lotNo: batch.lotNo, requested: quantity, onHand };
    throw new AppError('INSUFFICIENT_STOCK', 'stock.batchInsufficient', params, [
      { path, key: 'stock.batchInsufficient', params },
    ]);
  }
  const level = await stockLevel(trx, batch.depotId, batch.materialId);
  if (quantity > level.available) {
    const params = { material: names.material, depot: names.depot, requested: quantity, available: Math.max(level.available, 0) };
    throw new AppError('INSUFFICIENT_STOCK', 'stock.insufficient', params, [{ path, key: 'stock.insufficient', params }]);
  }
}
