/**
 * Taking reserved stock out, many lines at once (a delivery order's dispatch): each line's
 * reservation is consumed and its quantity leaves the depot first-expiry-first-out, with the
 * movements posted. It runs a fixed number of statements however many lines there are (on
 * PostgreSQL every statement is a round trip), with postMovement's guarantees: the levels are
 * locked first, in depot and material order, and every decrease is conditional and checked by
 * the rows it changed, so nothing that raced with it can take the stock twice.
 */
import { sql } from 'kysely';
import { localDate } from '../../shared/dates';
import { AppError } from '../../shared/rpc';
import type { Trx } from '../db/database';
import type { Dialect } from '../db/dialect';
import { valuesTable, inPairs } from '../db/values';
import { levelShort, lockedStockLevels, pairKey } from './balances';
import type { NewMovement } from './movements';
import { usableLotsInFefoOrder } from './pick';
import { notePosted } from './posted';

export interface ReservedLine {
  /** The input field the line's quantity came from, for a refusal (`lines.3.quantity`). */
  path: string;
  depotId: number;
  materialId: number;
  quantity: number;
  reservationId: number;
}

/** One lot a line took, and the movement that took it. */
export interface ReservedPick {
  batchId: number;
  quantity: number;
  movementId: number;
}

/** What every movement of the document shares. */
export type ReservedDocument = Omit<NewMovement, 'depotId' | 'materialId' | 'batchId' | 'quantity'>;

const INSERT_CHUNK = 200;

/** Returns, per line in the order given, the lots it took. */
export async function takeReserved(
  trx: Trx,
  dialect: Dialect,
  lines: readonly ReservedLine[],
  doc: ReservedDocument,
  instant: Date,
): Promise<ReservedPick[][]> {
  if (lines.length === 0) return [];

  // Consumed, all of them or none: one ended already means the order changed under us.
  const reservationIds = lines.map((l) => l.reservationId);
  const consumed = await trx
    .updateTable('reservations')
    .set({ status: 'consumed', closedAt: doc.occurredAt })
    .where('reservationId', 'in', reservationIds)
    .where('status', '=', 'active')
    .returning(['reservationId', 'depotId', 'materialId', 'quantity'])
    .execute();
  if (consumed.length !== new Set(reservationIds).size) {
    const done = new Set(consumed.map((r) => r.reservationId));
    const id = reservationIds.find((r) => !done.has(r))!;
    throw new AppError('CONFLICT', 'reservation.notActive', { id: String(id) });
  }
  const released = new Map<string, number>();
  for (const r of consumed) {
    const k = pairKey(r.depotId, r.materialId);
    released.set(k, (released.get(k) ?? 0) + r.quantity);
  }

  const pairs = [...new Map(lines.map((l) => [pairKey(l.depotId, l.materialId), l])).values()]
    .map((l) => ({ depotId: l.depotId, materialId: l.materialId }))
    .sort((a, b) => a.depotId - b.depotId || a.materialId - b.materialId);
  const levels = await lockedStockLevels(trx, dialect, pairs);
  // What each pair may still give: on hand less what others have reserved (ours is consumed now).
  const available = new Map(
    pairs.map(({ depotId, materialId }) => {
      const k = pairKey(depotId, materialId);
      return [k, (levels.get(k)?.available ?? 0) + (released.get(k) ?? 0)];
    }),
  );

  const today = localDate(instant);
  const candidates = await usableLotsInFefoOrder(trx, today, ['b.depotId', 'b.materialId'])
    .select(['b.batchId', 'b.depotId', 'b.materialId', 'bb.onHand'])
    .where(inPairs('b.depotId', 'b.materialId', pairs))
    .execute();
  const lots = new Map<string, { batchId: number; left: number }[]>();
  for (const c of candidates) {
    const k = pairKey(c.depotId, c.materialId);
    lots.set(k, [...(lots.get(k) ?? []), { batchId: c.batchId, left: c.onHand }]);
  }

  const taken: { batchId: number; quantity: number }[][] = [];
  for (const line of lines) {
    const k = pairKey(line.depotId, line.materialId);
    const pool = lots.get(k) ?? [];
    const usable = pool.reduce((sum, lot) => sum + lot.left, 0);
    const left = Math.max(Math.min(usable, available.get(k) ?? 0), 0);
    if (line.quantity > left) {
      const short = await levelShort(trx, line.depotId, line.materialId, line.quantity, line.path);
      throw new AppError('INSUFFICIENT_STOCK', 'stock.insufficient', { ...short.params, available: left }, [
        { path: line.path, key: 'stock.insufficient', params: { ...short.params, available: left } },
      ]);
    }
    available.set(k, available.get(k)! - line.quantity);
    const picks: { batchId: number; quantity: number }[] = [];
    let remaining = line.quantity;
    for (const lot of pool) {
      if (remaining === 0) break;
      const take = Math.min(lot.left, remaining);
      if (take === 0) continue;
      picks.push({ batchId: lot.batchId, quantity: take });
      lot.left -= take;
      remaining -= take;
    }
    taken.push(picks);
  }

  // The balances: levels (already locked) and then lots, each one conditional statement.
  const perPair = new Map<string, { depotId: number; materialId: number; take: number }>();
  const perBatch = new Map<number, number>();
  lines.forEach((line, i) => {
    const k = pairKey(line.depotId, line.materialId);
    const pair = perPair.get(k) ?? { depotId: line.depotId, materialId: line.materialId, take: 0 };
    pair.take += line.quantity;
    perPair.set(k, pair);
    for (const p of taken[i]!) perBatch.set(p.batchId, (perBatch.get(p.batchId) ?? 0) + p.quantity);
  });
  const levelRows = [...perPair.entries()].map(([k, p]) => [
    p.depotId,
    p.materialId,
    p.take,
    released.get(k) ?? 0,
  ]);
  const levelsChanged = await sql<{ depotId: number }>`
    update stock_levels
       set on_hand = stock_levels.on_hand - v.column3, reserved = stock_levels.reserved - v.column4
      from ${valuesTable(levelRows)} as v
     where stock_levels.depot_id = v.column1 and stock_levels.material_id = v.column2
       and stock_levels.on_hand - stock_levels.reserved + v.column4 >= v.column3
    returning stock_levels.depot_id`.execute(trx);
  const batchRows = [...perBatch.entries()].map(([batchId, take]) => [batchId, take]);
  const batchesChanged = await sql<{ batchId: number }>`
    update batch_balances set on_hand = batch_balances.on_hand - v.column2
      from ${valuesTable(batchRows)} as v
     where batch_balances.batch_id = v.column1 and batch_balances.on_hand >= v.column2
    returning batch_balances.batch_id`.execute(trx);
  // Both were read under the levels' locks just now: a miss means the store broke its own rules.
  if (levelsChanged.rows.length !== levelRows.length || batchesChanged.rows.length !== batchRows.length)
    throw new AppError('CONFLICT', 'error.CONFLICT');

  // The movements, matched back to their picks by lot and quantity (rows alike are interchangeable).
  const rows = lines.flatMap((line, i) =>
    taken[i]!.map((p) => ({
      docNo: doc.docNo,
      type: doc.type,
      depotId: line.depotId,
      materialId: line.materialId,
      batchId: p.batchId,
      quantity: -p.quantity,
      occurredAt: doc.occurredAt,
      userId: doc.userId,
      counterpartDepotId: doc.counterpartDepotId ?? null,
      reversesMovementId: null,
      pairMovementId: null,
      stocktakeId: null,
      expiredOverride: 0,
      recipient: doc.recipient ?? null,
      reason: doc.reason ?? null,
      note: doc.note ?? null,
      source: null,
      supplier: null,
      unitPriceFen: null,
      incidentId: doc.incidentId ?? null,
    })),
  );
  const ids = new Map<string, number[]>();
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const inserted = await trx
      .insertInto('movements')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .returning(['movementId', 'batchId', 'quantity'])
      .execute();
    for (const m of inserted) {
      const k = `${m.batchId}:${-m.quantity}`;
      ids.set(k, [...(ids.get(k) ?? []), m.movementId]);
    }
  }
  return taken.map((picks) =>
    picks.map((p) => {
      const movementId = ids.get(`${p.batchId}:${p.quantity}`)!.shift()!;
      notePosted(trx, movementId);
      return { ...p, movementId };
    }),
  );
}
