/** Batches (lots) as stock enters a depot: find or create by lot number, expiry from shelf life. */
import { addDays, addYears } from '../../shared/dates';
import type { MessageKey } from '../../shared/i18n';
import { AppError } from '../../shared/rpc';
import type { BatchRow, DepotRow, MaterialRow, Trx } from '../db/database';
import { prepared } from '../db/prepared';

/** Expiry from the production date and the material's shelf life when the keeper gave none. */
function lotExpiry(
  material: MaterialRow,
  producedOn: string | null | undefined,
  expiresOn: string | null | undefined,
): string | null {
  if (expiresOn) return expiresOn;
  if (!producedOn || !material.shelfLifeMonths) return null;
  // The day before the same date N months on; when a shorter month has no such date, its last
  // day (Jan 31 + 1 month ends Feb 28, not Mar 2 as Date's month overflow would have it).
  const [year, month, day] = producedOn.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + material.shelfLifeMonths, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  if (day > lastDay) {
    target.setUTCDate(lastDay);
    return target.toISOString().slice(0, 10);
  }
  target.setUTCDate(day);
  return addDays(target.toISOString().slice(0, 10), -1);
}

/** How far ahead of today an expiry may lie (DOMAIN.md rule 6: dates within sane bounds). */
const EXPIRY_HORIZON_YEARS = 50;

/**
 * A new lot's dates as received on `today` (the city's date), refused when implausible: made
 * after today, or expiring more than 50 years on (the date given, or the one the shelf life gives).
 */
export function lotDates(
  material: MaterialRow,
  line: { producedOn?: string | null; expiresOn?: string | null },
  today: string,
  path: string,
): { producedOn: string | null; expiresOn: string | null } {
  const refuse = (field: string, key: MessageKey, params: Record<string, string | number>) =>
    new AppError('BAD_INPUT', key, params, [{ path: `${path}.${field}`, key, params }]);
  const producedOn = line.producedOn ?? null;
  if (producedOn !== null && producedOn > today)
    throw refuse('producedOn', 'validation.producedInFuture', { today });
  const expiresOn = lotExpiry(material, producedOn, line.expiresOn);
  const latest = addYears(today, EXPIRY_HORIZON_YEARS);
  if (expiresOn !== null && expiresOn > latest) {
    throw refuse(line.expiresOn ? 'expiresOn' : 'producedOn', 'validation.expiryTooFar', {
      max: latest,
      years: EXPIRY_HORIZON_YEARS,
    });
  }
  return { producedOn, expiresOn };
}

export interface NewLot {
  depotId: number;
  material: MaterialRow;
  lotNo: string;
  producedOn: string | null;
  expiresOn: string | null;
  source: string;
  supplier: string | null;
  unitPriceFen: number | null;
}

/**
 * The batch a lot goes into at a depot: the existing one (its dates must agree) or a new one.
 * Two writers receiving the same new lot at once both end up in one batch: the insert yields to
 * the unique key (depot, material, lot) instead of failing on it, and the lot is read again.
 */
export async function findOrCreateBatch(trx: Trx, at: string, lot: NewLot, path: string): Promise<BatchRow> {
  const existing = (await findLot(trx, lot)) ?? (await insertLot(trx, at, lot)) ?? (await findLot(trx, lot));
  if (!existing) throw new Error(`lot ${lot.lotNo} neither found nor created`);
  const differs =
    (lot.producedOn !== null && lot.producedOn !== existing.producedOn) ||
    (lot.expiresOn !== null && lot.expiresOn !== existing.expiresOn);
  if (differs) {
    throw new AppError('CONFLICT', 'stock.lotConflict', { lotNo: lot.lotNo }, [
      { path, key: 'stock.lotConflict', params: { lotNo: lot.lotNo } },
    ]);
  }
  return existing;
}

const lotQuery = prepared((db, p: { depotId: number; materialId: number; lotNo: string }) =>
  db
    .selectFrom('batches')
    .selectAll()
    .where('depotId', '=', p.depotId)
    .where('materialId', '=', p.materialId)
    .where('lotNo', '=', p.lotNo),
);

type LotRow = Omit<BatchRow, 'batchId'>;
/** The new batch, or nothing when another writer created the lot first. */
const lotInsert = prepared((db, p: LotRow) =>
  db
    .insertInto('batches')
    .values({
      depotId: p.depotId,
      materialId: p.materialId,
      lotNo: p.lotNo,
      producedOn: p.producedOn,
      expiresOn: p.expiresOn,
      source: p.source,
      supplier: p.supplier,
      unitPriceFen: p.unitPriceFen,
      createdAt: p.createdAt,
    })
    .onConflict((oc) => oc.columns(['depotId', 'materialId', 'lotNo']).doNothing())
    .returningAll(),
);

function findLot(trx: Trx, lot: NewLot): Promise<BatchRow | undefined> {
  return lotQuery.first(trx, { depotId: lot.depotId, materialId: lot.material.materialId, lotNo: lot.lotNo });
}

function insertLot(trx: Trx, at: string, lot: NewLot): Promise<BatchRow | undefined> {
  const { material, ...rest } = lot;
  return lotInsert.first(trx, { ...rest, materialId: material.materialId, createdAt: at });
}

const batchById = prepared((db, p: { batchId: number }) =>
  db.selectFrom('batches').selectAll().where('batchId', '=', p.batchId),
);

export async function requireBatchOf(
  trx: Trx,
  batchId: number,
  depot: DepotRow,
  material: MaterialRow | null,
  path: string,
): Promise<BatchRow> {
  const batch = await batchById.first(trx, { batchId });
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
