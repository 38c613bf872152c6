/** Stock reads: movement history, one batch (the stock card's header), the depot × material matrix. */
import type { z } from 'zod';
import { addDays, daysBetween, localDate, startOfLocalDay } from '../../shared/dates';
import { AppError } from '../../shared/rpc';
import type {
  BatchDetail,
  MovementDto,
  matrixInput,
  matrixOutput,
  movementsInput,
} from '../../shared/schemas/stock';
import type { DbOrTrx } from '../db/database';
import { prepared } from '../db/prepared';
import type { ServiceContext } from './context';
import { parseCursor } from './cursor';
import { expiryOf } from './stock-warnings.service';

function movementQuery(db: DbOrTrx) {
  return db
    .selectFrom('movements as mv')
    .innerJoin('depots as d', 'd.depotId', 'mv.depotId')
    .innerJoin('materials as m', 'm.materialId', 'mv.materialId')
    .innerJoin('batches as b', 'b.batchId', 'mv.batchId')
    .innerJoin('users as u', 'u.userId', 'mv.userId')
    .leftJoin('movements as r', 'r.reversesMovementId', 'mv.movementId')
    .leftJoin('movements as o', 'o.movementId', 'mv.reversesMovementId')
    .select([
      'mv.movementId',
      'mv.docNo',
      'mv.type',
      'mv.depotId',
      'd.name as depotName',
      'mv.materialId',
      'm.code as materialCode',
      'm.name as materialName',
      'm.unit',
      'mv.batchId',
      'b.lotNo',
      'b.expiresOn',
      'mv.quantity',
      'mv.occurredAt',
      'mv.userId',
      'u.displayName as userName',
      'mv.counterpartDepotId',
      'mv.reversesMovementId',
      'mv.pairMovementId',
      'o.docNo as reversesDocNo',
      'r.movementId as reversedBy',
      'r.docNo as reversedByDocNo',
      'mv.expiredOverride',
      'mv.recipient',
      'mv.reason',
      'mv.note',
      'mv.source',
      'mv.supplier',
      'mv.unitPriceFen',
    ]);
}

type MovementQueryRow = Awaited<ReturnType<ReturnType<typeof movementQuery>['execute']>>[number];

function toMovementDto(row: MovementQueryRow): MovementDto {
  return {
    ...row,
    type: row.type as MovementDto['type'],
    expiredOverride: row.expiredOverride === 1,
    source: row.source as MovementDto['source'],
  };
}

const documentMovements = prepared((db, p: { docNo: string }) =>
  movementQuery(db).where('mv.docNo', '=', p.docNo).orderBy('mv.movementId'),
);

/** Every movement of one document, in posting order (what a posted document shows). */
export async function loadDocument(db: DbOrTrx, docNo: string): Promise<MovementDto[]> {
  return (await documentMovements.all(db, { docNo })).map(toMovementDto);
}

export async function loadMovements(db: DbOrTrx, movementIds: number[]): Promise<MovementDto[]> {
  if (movementIds.length === 0) return [];
  const rows = await movementQuery(db)
    .where('mv.movementId', 'in', movementIds)
    .orderBy('mv.movementId')
    .execute();
  return rows.map(toMovementDto);
}

export async function listMovements(db: DbOrTrx, input: z.output<typeof movementsInput>) {
  let q = movementQuery(db);
  if (input.depotId !== undefined) q = q.where('mv.depotId', '=', input.depotId);
  if (input.materialId !== undefined) q = q.where('mv.materialId', '=', input.materialId);
  if (input.batchId !== undefined) q = q.where('mv.batchId', '=', input.batchId);
  if (input.movementId !== undefined) q = q.where('mv.movementId', '=', input.movementId);
  if (input.type !== undefined) q = q.where('mv.type', '=', input.type);
  if (input.docNo !== undefined) q = q.where('mv.docNo', '=', input.docNo.trim());
  if (input.from !== undefined) q = q.where('mv.occurredAt', '>=', startOfLocalDay(input.from));
  if (input.to !== undefined) q = q.where('mv.occurredAt', '<', startOfLocalDay(addDays(input.to, 1)));
  const cursor = parseCursor(input.after, 1);
  if (cursor) q = q.where('mv.movementId', '<', cursor[0]!);
  const rows = await q
    .orderBy('mv.movementId', 'desc')
    .limit(input.limit + 1)
    .execute();
  const more = rows.length > input.limit;
  const page = (more ? rows.slice(0, input.limit) : rows).map(toMovementDto);
  return { rows: page, nextCursor: more ? String(page.at(-1)!.movementId) : null };
}

/** One batch with its material, depot and on hand, and where it stands against its expiry. */
export async function getBatch(ctx: ServiceContext, batchId: number): Promise<BatchDetail> {
  const row = await ctx.db
    .selectFrom('batches as b')
    .innerJoin('materials as m', 'm.materialId', 'b.materialId')
    .innerJoin('depots as d', 'd.depotId', 'b.depotId')
    .leftJoin('batchBalances as bb', 'bb.batchId', 'b.batchId')
    .select((eb) => [
      'b.batchId',
      'b.depotId',
      'd.code as depotCode',
      'd.name as depotName',
      'b.materialId',
      'm.code as materialCode',
      'm.name as materialName',
      'm.spec',
      'm.unit',
      'm.category',
      'm.warningDays',
      'b.lotNo',
      'b.producedOn',
      'b.expiresOn',
      'b.source',
      'b.supplier',
      'b.unitPriceFen',
      'b.createdAt',
      eb.fn.coalesce('bb.onHand', eb.lit(0)).as('onHand'),
    ])
    .where('b.batchId', '=', batchId)
    .executeTakeFirst();
  if (!row) {
    const params = { id: String(batchId) };
    throw new AppError('NOT_FOUND', 'stock.batchNotFound', params, [
      { path: 'batchId', key: 'stock.batchNotFound', params },
    ]);
  }
  const { warningDays, ...batch } = row;
  const receiptTerms = await ctx.db
    .selectFrom('movements as mv')
    .leftJoin('movements as r', 'r.reversesMovementId', 'mv.movementId')
    .select((eb) => [
      'mv.source',
      'mv.supplier',
      'mv.unitPriceFen',
      eb.fn.sum<number>('mv.quantity').as('quantity'),
      eb.fn.countAll<number>().as('receipts'),
    ])
    .where('mv.batchId', '=', batchId)
    .where('mv.type', '=', 'receipt')
    .where('r.movementId', 'is', null)
    .groupBy(['mv.source', 'mv.supplier', 'mv.unitPriceFen'])
    .orderBy((eb) => eb.fn.min('mv.movementId'))
    .execute();
  const today = localDate(ctx.clock.now());
  const daysLeft = batch.expiresOn ? daysBetween(today, batch.expiresOn) : null;
  const expiryStatus = expiryOf(today, batch.expiresOn, warningDays)?.status ?? null;
  return {
    ...batch,
    onHand: Number(batch.onHand),
    source: batch.source as BatchDetail['source'],
    today,
    daysLeft,
    expiryStatus,
    receiptTerms: receiptTerms.map((t) => ({ ...t, source: t.source as BatchDetail['source'] })),
  };
}

export async function stockMatrix(
  db: DbOrTrx,
  input: z.output<typeof matrixInput>,
): Promise<z.output<typeof matrixOutput>> {
  let depotsQ = db.selectFrom('depots').select(['depotId', 'code', 'name', 'level']).where('active', '=', 1);
  if (input.level !== undefined) depotsQ = depotsQ.where('level', '=', input.level);
  let materialsQ = db
    .selectFrom('materials')
    .select(['materialId', 'code', 'name', 'unit'])
    .where('active', '=', 1);
  if (input.topClass !== undefined) materialsQ = materialsQ.where('topClass', '=', input.topClass);
  const [depots, materials] = await Promise.all([
    depotsQ.orderBy('depotId').execute(),
    materialsQ.orderBy('materialId').execute(),
  ]);

  let cellsQ = db
    .selectFrom('stockLevels as sl')
    .select(['sl.materialId', 'sl.depotId', 'sl.onHand', 'sl.reserved']);
  if (input.level !== undefined) {
    const level = input.level;
    cellsQ = cellsQ.where('sl.depotId', 'in', (sub) =>
      sub.selectFrom('depots').select('depotId').where('level', '=', level),
    );
  }
  if (input.topClass !== undefined) {
    const topClass = input.topClass;
    cellsQ = cellsQ.where('sl.materialId', 'in', (sub) =>
      sub.selectFrom('materials').select('materialId').where('topClass', '=', topClass),
    );
  }
  // ~150,000 cells: compiled as usual (snake_case SQL) but run without the camelCase plugin, which
  // would copy every row into a new object only for the loop below to take it apart again.
  // Cells in material then depot order, on both stores (PostgreSQL returns rows in no particular
  // order without one; SQLite reads the covering material index in this order anyway).
  const compiled = cellsQ
    .where((eb) => eb.or([eb('sl.onHand', '>', 0), eb('sl.reserved', '>', 0)]))
    .orderBy('sl.materialId')
    .orderBy('sl.depotId')
    .compile();
  type CellRow = { material_id: number; depot_id: number; on_hand: number; reserved: number };
  const { rows: cells } = (await db.withoutPlugins().executeQuery(compiled)) as unknown as {
    rows: CellRow[];
  };
  const columns = {
    materialId: [] as number[],
    depotId: [] as number[],
    onHand: [] as number[],
    available: [] as number[],
  };
  for (const c of cells) {
    columns.materialId.push(c.material_id);
    columns.depotId.push(c.depot_id);
    columns.onHand.push(c.on_hand);
    columns.available.push(c.on_hand - c.reserved);
  }
  return { depots, materials, cells: columns };
}
