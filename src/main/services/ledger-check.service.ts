/**
 * `ledger check`: recomputes every maintained balance from the ledger (on hand per batch and per
 * depot and material) and from active reservations (reserved), and reports each difference.
 * One pass over the movements, grouped by batch; the depot totals are summed from those.
 */
import type { LedgerCheckResult } from '../../shared/schemas/system';
import type { DbOrTrx } from '../db/database';

type Difference = LedgerCheckResult['differences'][number];

export async function checkLedger(db: DbOrTrx): Promise<LedgerCheckResult> {
  const started = performance.now();
  const ledger = await db
    .selectFrom('movements')
    .select((eb) => ['batchId', eb.fn.min<number>('depotId').as('depotId'), eb.fn.min<number>('materialId').as('materialId'), eb.fn.sum<number>('quantity').as('total'), eb.fn.countAll<number>().as('n')])
    .groupBy('batchId')
    .execute();
  const balances = await db.selectFrom('batchBalances').select(['batchId', 'depotId', 'materialId', 'onHand']).execute();
  const levels = await db.selectFrom('stockLevels').select(['depotId', 'materialId', 'onHand', 'reserved']).execute();
  const reservations = await db
    .selectFrom('reservations')
    .select((eb) => ['depotId', 'materialId', eb.fn.sum<number>('quantity').as('total')])
    .where('status', '=', 'active')
    .groupBy(['depotId', 'materialId'])
    .execute();

  const differences: Difference[] = [];
  let movements = 0;
  let negatives = 0;
  const key = (depotId: number, materialId: number) => `${depotId}:${materialId}`;

  const batchTotals = new Map<number, { depotId: number; materialId: number; total: number }>();
  const levelTotals = new Map<string, { depotId: number; materialId: number; onHand: number; reserved: number }>();
  const levelOf = (depotId: number, materialId: number) => {
    const k = key(depotId, materialId);
    let entry = levelTotals.get(k);
    if (!entry) levelTotals.set(k, (entry = { depotId, materialId, onHand: 0, reserved: 0 }));
    return entry;
  };
  for (const row of ledger) {
    const total = Number(row.total);
    movements += Number(row.n);
    batchTotals.set(row.batchId, { depotId: row.depotId, materialId: row.materialId, total });
    levelOf(row.depotId, row.materialId).onHand += total;
  }
  for (const r of reservations) levelOf(r.depotId, r.materialId).reserved += Number(r.total);

  const seenBatches = new Set<number>();
  for (const b of balances) {
    seenBatches.add(b.batchId);
    const recomputed = batchTotals.get(b.batchId)?.total ?? 0;
    if (b.onHand < 0) negatives += 1;
    if (recomputed !== b.onHand) {
      differences.push({ kind: 'batch', depotId: b.depotId, materialId: b.materialId, batchId: b.batchId, field: 'onHand', maintained: b.onHand, recomputed });
    }
  }
  for (const [batchId, t] of batchTotals) {
    if (!seenBatches.has(batchId) && t.total !== 0) {
      differences.push({ kind: 'batch', depotId: t.depotId, materialId: t.materialId, batchId, field: 'onHand', maintained: 0, recomputed: t.total });
    }
  }

  const seenLevels = new Set<string>();
  for (const l of levels) {
    const k = key(l.depotId, l.materialId);
    seenLevels.add(k);
    const recomputed = levelTotals.get(k) ?? { onHand: 0, reserved: 0 };
    if (l.onHand < 0 || l.reserved < 0) negatives += 1;
    for (const field of ['onHand', 'reserved'] as const) {
      if (recomputed[field] !== l[field]) {
        differences.push({ kind: 'depotMaterial', depotId: l.depotId, materialId: l.materialId, batchId: null, field, maintained: l[field], recomputed: recomputed[field] });
      }
    }
  }
  for (const [k, t] of levelTotals) {
    if (seenLevels.has(k)) continue;
    for (const field of ['onHand', 'reserved'] as const) {
      if (t[field] !== 0) {
        differences.push({ kind: 'depotMaterial', depotId: t.depotId, materialId: t.materialId, batchId: null, field, maintained: 0, recomputed: t[field] });
      }
    }
  }

  return {
    ok: differences.length === 0 && negatives === 0,
    movements,
    batches: balances.length,
    differences: differences.slice(0, 1000),
    negatives,
    elapsedMs: Math.round(performance.now() - started),
  };
}
