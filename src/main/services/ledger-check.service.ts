/**
 * `ledger check`: recomputes every maintained balance from the ledger (on hand per batch and per
 * depot and material) and from active reservations (reserved), and reports each difference.
 * One pass over the movements, grouped by batch; the depot totals are summed from those.
 * Every sum and balance is read as text and compared as BigInt: a value edited past 2^53 would
 * read back rounded as a number, and a +1 on it would go unseen.
 */
import { sql, type Expression } from 'kysely';
import type { LedgerCheckResult } from '../../shared/schemas/system';
import type { ServiceContext } from './context';

type Difference = LedgerCheckResult['differences'][number];

export async function checkLedger(ctx: Pick<ServiceContext, 'db' | 'dialect'>): Promise<LedgerCheckResult> {
  const started = performance.now();
  // One snapshot (PostgreSQL: repeatable read): the five reads see the same moment, even when
  // writes come in between them (other calls and other processes go on while this one awaits).
  const { ledger, batches, balances, levels, reservations, orphaned, sources } =
    await ctx.dialect.readSnapshot(ctx.db, async (trx) => ({
      // The sum per batch reads only the covering index (batch_id, movement_id, quantity); the depot
      // and material of a batch come from the batch itself (every movement's batch exists: foreign key).
      ledger: await trx
        .selectFrom('movements')
        .select((eb) => [
          'batchId',
          exact(eb.fn.sum('quantity')).as('total'),
          eb.fn.countAll<number>().as('n'),
        ])
        .groupBy('batchId')
        .execute(),
      batches: await trx.selectFrom('batches').select(['batchId', 'depotId', 'materialId']).execute(),
      balances: await trx
        .selectFrom('batchBalances')
        .select(['batchId', 'depotId', 'materialId', exact(sql.ref('on_hand')).as('onHand')])
        .execute(),
      levels: await trx
        .selectFrom('stockLevels')
        .select([
          'depotId',
          'materialId',
          exact(sql.ref('on_hand')).as('onHand'),
          exact(sql.ref('reserved')).as('reserved'),
        ])
        .execute(),
      reservations: await trx
        .selectFrom('reservations')
        .select((eb) => ['depotId', 'materialId', exact(eb.fn.sum('quantity')).as('total')])
        .where('status', '=', 'active')
        .groupBy(['depotId', 'materialId'])
        .execute(),
      // Active reservations no approved source holds: a promise nobody can dispatch or release.
      orphaned: await trx
        .selectFrom('reservations as res')
        .leftJoin('allocationSources as s', 's.reservationId', 'res.reservationId')
        .select((eb) => exact(eb.fn.countAll()).as('n'))
        .where('res.status', '=', 'active')
        .where('s.sourceId', 'is', null)
        .executeTakeFirstOrThrow(),
      // Each approved source and the reservation it holds.
      sources: await trx
        .selectFrom('allocationSources as s')
        .innerJoin('allocationLines as l', 'l.lineId', 's.lineId')
        .innerJoin('allocationRequests as r', 'r.requestId', 'l.requestId')
        .leftJoin('reservations as res', 'res.reservationId', 's.reservationId')
        .leftJoin('deliveryLines as dl', 'dl.sourceId', 's.sourceId')
        .leftJoin('deliveryOrders as o', 'o.deliveryId', 'dl.deliveryId')
        .select([
          'o.status as orderStatus',
          's.depotId',
          'l.materialId',
          's.quantity',
          'r.status as requestStatus',
          'res.status as reservationStatus',
          'res.depotId as reservedDepotId',
          'res.materialId as reservedMaterialId',
          'res.quantity as reservedQuantity',
        ])
        .execute(),
    }));

  const differences: Difference[] = [];
  let movements = 0;
  let negatives = 0;
  // A depot × material pair as one number (ids stay far below 2^21): cheap Map keys at 150,000 pairs.
  const PAIR = 2 ** 32;
  const key = (depotId: number, materialId: number) => depotId * PAIR + materialId;
  const add = (map: Map<number, bigint>, k: number, value: bigint) => map.set(k, (map.get(k) ?? 0n) + value);

  const ownerOf = new Map<number, { depotId: number; materialId: number }>();
  for (const b of batches) ownerOf.set(b.batchId, b);
  const batchTotals = new Map<number, bigint>();
  const levelOnHand = new Map<number, bigint>();
  const levelReserved = new Map<number, bigint>();
  // Rows the sums cannot stand on: a movement or balance whose batch is gone, a balance filed
  // under another depot or material than its batch, a stored value that is not a whole number.
  let inconsistent = 0;
  const whole = (text: string): bigint => {
    if (/^-?\d+$/.test(text)) return BigInt(text);
    inconsistent += 1;
    return 0n;
  };
  for (const row of ledger) {
    const total = whole(row.total);
    const owner = ownerOf.get(row.batchId);
    movements += Number(row.n);
    if (!owner) {
      inconsistent += 1;
      continue;
    }
    batchTotals.set(row.batchId, total);
    add(levelOnHand, key(owner.depotId, owner.materialId), total);
  }
  for (const r of reservations) add(levelReserved, key(r.depotId, r.materialId), whole(r.total));

  const seenBatches = new Set<number>();
  for (const b of balances) {
    seenBatches.add(b.batchId);
    const recomputed = batchTotals.get(b.batchId) ?? 0n;
    const owner = ownerOf.get(b.batchId);
    if (owner?.depotId !== b.depotId || owner.materialId !== b.materialId) inconsistent += 1;
    const onHand = whole(b.onHand);
    if (onHand < 0n) negatives += 1;
    if (recomputed !== onHand) {
      differences.push({
        kind: 'batch',
        depotId: b.depotId,
        materialId: b.materialId,
        batchId: b.batchId,
        field: 'onHand',
        maintained: String(onHand),
        recomputed: String(recomputed),
      });
    }
  }
  for (const [batchId, total] of batchTotals) {
    if (!seenBatches.has(batchId) && total !== 0n) {
      const { depotId, materialId } = ownerOf.get(batchId)!;
      differences.push({
        kind: 'batch',
        depotId,
        materialId,
        batchId,
        field: 'onHand',
        maintained: '0',
        recomputed: String(total),
      });
    }
  }

  const seenLevels = new Set<number>();
  for (const l of levels) {
    const k = key(l.depotId, l.materialId);
    seenLevels.add(k);
    const recomputed = { onHand: levelOnHand.get(k) ?? 0n, reserved: levelReserved.get(k) ?? 0n };
    const maintained = { onHand: whole(l.onHand), reserved: whole(l.reserved) };
    if (maintained.onHand < 0n || maintained.reserved < 0n) negatives += 1;
    for (const field of ['onHand', 'reserved'] as const) {
      if (recomputed[field] !== maintained[field]) {
        differences.push({
          kind: 'depotMaterial',
          depotId: l.depotId,
          materialId: l.materialId,
          batchId: null,
          field,
          maintained: String(maintained[field]),
          recomputed: String(recomputed[field]),
        });
      }
    }
  }
  // Pairs the ledger or the reservations know but stock_levels has no row for.
  for (const k of new Set([...levelOnHand.keys(), ...levelReserved.keys()])) {
    if (seenLevels.has(k)) continue;
    const depotId = Math.floor(k / PAIR);
    const materialId = k % PAIR;
    const recomputed = { onHand: levelOnHand.get(k) ?? 0n, reserved: levelReserved.get(k) ?? 0n };
    for (const field of ['onHand', 'reserved'] as const) {
      if (recomputed[field] !== 0n) {
        differences.push({
          kind: 'depotMaterial',
          depotId,
          materialId,
          batchId: null,
          field,
          maintained: '0',
          recomputed: String(recomputed[field]),
        });
      }
    }
  }

  // What approvals promised and not yet dispatched is what is reserved, and nothing more: a
  // source still waiting (on no order, or a planned one) of an open request holds its reservation;
  // one dispatched has consumed it; one whose order or request was called off has released it.
  const OPEN = ['approved', 'partly_approved', 'dispatching'];
  const GONE = ['dispatched', 'delivered', 'closed'];
  let unreserved = 0;
  for (const source of sources) {
    const matches =
      source.reservedDepotId === source.depotId &&
      source.reservedMaterialId === source.materialId &&
      Number(source.reservedQuantity) === Number(source.quantity);
    const expected =
      source.orderStatus !== null && GONE.includes(source.orderStatus)
        ? 'consumed'
        : source.orderStatus === 'cancelled' || !OPEN.includes(source.requestStatus)
          ? 'released'
          : 'active';
    if (!matches || source.reservationStatus !== expected) unreserved += 1;
  }

  return {
    ok:
      differences.length === 0 &&
      negatives === 0 &&
      inconsistent === 0 &&
      unreserved === 0 &&
      Number(orphaned.n) === 0,
    movements,
    batches: balances.length,
    differences: differences.slice(0, 1000),
    negatives,
    inconsistent,
    unreserved,
    orphaned: Number(orphaned.n),
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** An integer expression as its exact decimal text (a sum of nothing is '0'). */
function exact(value: Expression<unknown>) {
  return sql<string>`cast(coalesce(${value}, 0) as text)`;
}
