/**
 * The maintained balances (per batch, and per depot and material), changed only together with a
 * movement or a reservation, and never by read-then-write: increases are one upsert, decreases
 * one conditional update checked by the rows it changed. So two writers cannot both take the
 * last tent, on either store, and the schema's CHECKs stay a backstop nobody reaches.
 */
import { AppError } from '../../shared/rpc';
import { QUANTITY_LIMIT } from '../../shared/schemas/common';
import type { Trx } from '../db/database';
import type { Dialect } from '../db/dialect';
import { prepared } from '../db/prepared';
import { inPairs } from '../db/values';

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

/**
 * The level of a depot and material, locked until the transaction ends (PostgreSQL), so that a
 * choice made from it (which batches to pick) still holds when the movements are posted.
 */
export async function lockedStockLevel(
  trx: Trx,
  dialect: Dialect,
  depotId: number,
  materialId: number,
): Promise<StockLevel> {
  const row = await dialect
    .forUpdate(
      trx
        .selectFrom('stockLevels')
        .select(['onHand', 'reserved'])
        .where('depotId', '=', depotId)
        .where('materialId', '=', materialId),
    )
    .executeTakeFirst();
  const onHand = row?.onHand ?? 0;
  const reserved = row?.reserved ?? 0;
  return { onHand, reserved, available: onHand - reserved };
}

/** Depot × material pairs as one key (`3:17`). */
export const pairKey = (depotId: number, materialId: number) => `${depotId}:${materialId}`;

/**
 * The levels of several depot × material pairs, locked in depot and material order until the
 * transaction ends (PostgreSQL), in one statement; a pair with no row has nothing.
 */
export async function lockedStockLevels(
  trx: Trx,
  dialect: Dialect,
  pairs: readonly { depotId: number; materialId: number }[],
): Promise<Map<string, StockLevel>> {
  const levels = new Map<string, StockLevel>();
  if (pairs.length === 0) return levels;
  const rows = await dialect
    .forUpdate(
      trx
        .selectFrom('stockLevels')
        .select(['depotId', 'materialId', 'onHand', 'reserved'])
        .where(inPairs('depotId', 'materialId', pairs))
        .orderBy('depotId')
        .orderBy('materialId'),
    )
    .execute();
  for (const r of rows)
    levels.set(pairKey(r.depotId, r.materialId), {
      onHand: r.onHand,
      reserved: r.reserved,
      available: r.onHand - r.reserved,
    });
  return levels;
}

const ensureLevel = prepared((db, p: { depotId: number; materialId: number }) =>
  db
    .insertInto('stockLevels')
    .values({ depotId: p.depotId, materialId: p.materialId, onHand: 0, reserved: 0 })
    .onConflict((oc) => oc.columns(['depotId', 'materialId']).doNothing()),
);

/**
 * Locks the levels of one material in several depots, in depot order (PostgreSQL), creating
 * empty ones where there are none yet: two transfers in opposite directions then queue
 * instead of deadlocking.
 */
export async function lockLevelsInOrder(
  trx: Trx,
  dialect: Dialect,
  materialId: number,
  depotIds: number[],
): Promise<void> {
  for (const depotId of [...new Set(depotIds)].sort((a, b) => a - b)) {
    await ensureLevel.run(trx, { depotId, materialId });
    await lockedStockLevel(trx, dialect, depotId, materialId);
  }
}

export async function batchOnHand(trx: Trx, batchId: number): Promise<number> {
  const row = await trx
    .selectFrom('batchBalances')
    .select('onHand')
    .where('batchId', '=', batchId)
    .executeTakeFirst();
  return row?.onHand ?? 0;
}

interface Change {
  batchId: number;
  depotId: number;
  materialId: number;
  /** Signed. */
  quantity: number;
  /** The input field the quantity came from, for the error. */
  path: string;
}

type Cell = { batchId: number; depotId: number; materialId: number; quantity: number };
// Increases stop short of the plausibility bound (no row changed), like decreases stop at zero.
const addToBatch = prepared((db, p: Cell) =>
  db
    .insertInto('batchBalances')
    .values({ batchId: p.batchId, depotId: p.depotId, materialId: p.materialId, onHand: p.quantity })
    .onConflict((oc) =>
      oc
        .column('batchId')
        .doUpdateSet((eb) => ({ onHand: eb('batchBalances.onHand', '+', eb.ref('excluded.onHand')) }))
        .where((eb) => eb(eb('batchBalances.onHand', '+', eb.ref('excluded.onHand')), '<', QUANTITY_LIMIT)),
    ),
);
const addToLevel = prepared((db, p: Cell) =>
  db
    .insertInto('stockLevels')
    .values({ depotId: p.depotId, materialId: p.materialId, onHand: p.quantity, reserved: 0 })
    .onConflict((oc) =>
      oc
        .columns(['depotId', 'materialId'])
        .doUpdateSet((eb) => ({ onHand: eb('stockLevels.onHand', '+', eb.ref('excluded.onHand')) }))
        .where((eb) => eb(eb('stockLevels.onHand', '+', eb.ref('excluded.onHand')), '<', QUANTITY_LIMIT)),
    ),
);
const takeFromBatch = prepared((db, p: { batchId: number; take: number }) =>
  db
    .updateTable('batchBalances')
    .set((eb) => ({ onHand: eb('onHand', '-', p.take) }))
    .where('batchId', '=', p.batchId)
    .where('onHand', '>=', p.take),
);
// What is reserved stays: an outgoing movement may only take what is available.
const takeFromLevel = prepared((db, p: { depotId: number; materialId: number; take: number }) =>
  db
    .updateTable('stockLevels')
    .set((eb) => ({ onHand: eb('onHand', '-', p.take) }))
    .where('depotId', '=', p.depotId)
    .where('materialId', '=', p.materialId)
    .where((eb) => eb(eb('onHand', '-', eb.ref('reserved')), '>=', p.take)),
);

/**
 * The level row first, then the batch row: the order FEFO picking locks them in, so a receipt
 * and an issue of the same depot and material never wait for each other crosswise (deadlock).
 */
export async function applyToBalances(trx: Trx, c: Change): Promise<void> {
  if (c.quantity > 0) {
    const toLevel = await addToLevel.run(trx, c);
    const toBatch = await addToBatch.run(trx, c);
    if (toLevel.numAffectedRows === 0n || toBatch.numAffectedRows === 0n) {
      const params = { max: QUANTITY_LIMIT.toLocaleString('en-US') };
      throw new AppError('BAD_INPUT', 'stock.balanceImplausible', params, [
        { path: c.path, key: 'stock.balanceImplausible', params },
      ]);
    }
    return;
  }
  const take = -c.quantity;
  const fromLevel = await takeFromLevel.run(trx, { depotId: c.depotId, materialId: c.materialId, take });
  const fromBatch = await takeFromBatch.run(trx, { batchId: c.batchId, take });
  // The lot's own shortage is the more precise message when both fall short.
  if (fromBatch.numAffectedRows === 0n) throw await batchShort(trx, c.batchId, take, c.path);
  if (fromLevel.numAffectedRows === 0n) throw await levelShort(trx, c.depotId, c.materialId, take, c.path);
}

async function batchShort(trx: Trx, batchId: number, requested: number, path: string): Promise<AppError> {
  const batch = await trx
    .selectFrom('batches')
    .select('lotNo')
    .where('batchId', '=', batchId)
    .executeTakeFirstOrThrow();
  const params = { lotNo: batch.lotNo, requested, onHand: await batchOnHand(trx, batchId) };
  return new AppError('INSUFFICIENT_STOCK', 'stock.batchInsufficient', params, [
    { path, key: 'stock.batchInsufficient', params },
  ]);
}

/** INSUFFICIENT_STOCK naming the depot, the material and what is left available. */
export async function levelShort(
  trx: Trx,
  depotId: number,
  materialId: number,
  requested: number,
  path: string,
): Promise<AppError> {
  const names = await trx
    .selectFrom('depots as d')
    .innerJoin('materials as m', (join) => join.on('m.materialId', '=', materialId))
    .select(['d.name as depot', 'm.name as material'])
    .where('d.depotId', '=', depotId)
    .executeTakeFirstOrThrow();
  const { available } = await stockLevel(trx, depotId, materialId);
  const params = {
    material: names.material,
    depot: names.depot,
    requested,
    available: Math.max(available, 0),
  };
  return new AppError('INSUFFICIENT_STOCK', 'stock.insufficient', params, [
    { path, key: 'stock.insufficient', params },
  ]);
}
