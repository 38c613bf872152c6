/**
 * Which batches an outgoing line takes from: the named batch, or first-expiry-first-out over
 * batches that have not expired (expired stock leaves only when named; lots without an expiry
 * go last, oldest first by production date, then receipt). The depot's level is locked first,
 * so no other writer changes the candidates between the choice and the posting.
 */
import { localDate } from '../../shared/dates';
import { AppError } from '../../shared/rpc';
import type { BatchRow, DepotRow, MaterialRow, Trx } from '../db/database';
import type { Dialect } from '../db/dialect';
import { lockedStockLevel } from './balances';
import { requireBatchOf } from './batches';

/**
 * Lots an outgoing line may take on its own, most urgent first: on hand, not expired (expired
 * stock leaves only when named), first to expire first, undated last, then by production date
 * (undated last) and receipt. Callers add their depot and material conditions.
 */
export function usableLotsInFefoOrder(
  trx: Trx,
  today: string,
  leading: ('b.depotId' | 'b.materialId')[] = [],
) {
  let query = trx
    .selectFrom('batches as b')
    .innerJoin('batchBalances as bb', 'bb.batchId', 'b.batchId')
    .where('bb.onHand', '>', 0)
    .where((eb) => eb.or([eb('b.expiresOn', 'is', null), eb('b.expiresOn', '>=', today)]));
  for (const column of leading) query = query.orderBy(column);
  return (
    query
      .orderBy((eb) => eb.case().when('b.expiresOn', 'is', null).then(1).else(0).end())
      .orderBy('b.expiresOn')
      // NULL places pinned (SQLite sorts them first, PostgreSQL last).
      .orderBy((eb) => eb.case().when('b.producedOn', 'is', null).then(1).else(0).end())
      .orderBy('b.producedOn')
      .orderBy('b.batchId')
  );
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

export async function pickBatches(
  trx: Trx,
  dialect: Dialect,
  depot: DepotRow,
  material: MaterialRow,
  line: OutgoingLine,
  linePath: string,
  instant: Date,
): Promise<BatchPick[]> {
  const today = localDate(instant);
  if (line.batchId !== undefined) {
    // Posting checks the batch and the depot's available stock (conditional updates).
    const batch = await requireBatchOf(trx, line.batchId, depot, material, `${linePath}.batchId`);
    return [{ batch, quantity: line.quantity, expiredOverride: isExpired(batch, today) }];
  }

  const level = await lockedStockLevel(trx, dialect, depot.depotId, material.materialId);
  const candidates = await usableLotsInFefoOrder(trx, today)
    .selectAll('b')
    .select('bb.onHand')
    .where('b.depotId', '=', depot.depotId)
    .where('b.materialId', '=', material.materialId)
    .execute();
  const usable = candidates.reduce((sum, c) => sum + c.onHand, 0);
  const available = Math.max(Math.min(usable, level.available), 0);
  if (line.quantity > available) {
    const params = { material: material.name, depot: depot.name, requested: line.quantity, available };
    throw new AppError('INSUFFICIENT_STOCK', 'stock.insufficient', params, [
      { path: `${linePath}.quantity`, key: 'stock.insufficient', params },
    ]);
  }

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
