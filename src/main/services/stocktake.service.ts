/**
 * Stocktake (盘点): opening freezes the book quantity of every batch in the depot (and stops
 * movements there until it ends); counts are entered; approval posts each difference as a
 * gain or loss movement carrying its reason.
 */
import type { z } from 'zod';
import { AppError } from '../../shared/rpc';
import type {
  StocktakeDto,
  stocktakeCountInput,
  stocktakeListInput,
  stocktakeOpenInput,
  stocktakeSummaryDto,
} from '../../shared/schemas/stocktake';
import type { MovementDto } from '../../shared/schemas/stock';
import type { DbOrTrx, Trx } from '../db/database';
import type { Dialect } from '../db/dialect';
import { nextDocNo, postMovement } from '../ledger';
import type { Actor, ServiceContext } from './context';
import { assertDepotScope, requireDepot } from './guards';
import { loadMovements } from './stock-query.service';
import { write } from './write';

type Summary = z.output<typeof stocktakeSummaryDto>;

function summaryQuery(db: DbOrTrx) {
  return db
    .selectFrom('stocktakes as s')
    .innerJoin('depots as d', 'd.depotId', 's.depotId')
    .innerJoin('users as o', 'o.userId', 's.openedBy')
    .leftJoin('users as c', 'c.userId', 's.closedBy')
    .select((eb) => [
      's.stocktakeId',
      's.docNo',
      's.depotId',
      'd.name as depotName',
      's.status',
      's.note',
      's.openedAt',
      'o.displayName as openedBy',
      's.closedAt',
      'c.displayName as closedBy',
      eb
        .selectFrom('stocktakeLines as l')
        .whereRef('l.stocktakeId', '=', 's.stocktakeId')
        .select(eb.fn.countAll<number>().as('n'))
        .as('lineCount'),
      eb
        .selectFrom('stocktakeLines as l')
        .whereRef('l.stocktakeId', '=', 's.stocktakeId')
        .where('l.countedQuantity', 'is not', null)
        .select(eb.fn.countAll<number>().as('n'))
        .as('countedCount'),
      eb
        .selectFrom('stocktakeLines as l')
        .whereRef('l.stocktakeId', '=', 's.stocktakeId')
        .where('l.countedQuantity', 'is not', null)
        .whereRef('l.countedQuantity', '<>', 'l.bookQuantity')
        .select(eb.fn.countAll<number>().as('n'))
        .as('differenceCount'),
    ]);
}

function toSummary(row: Awaited<ReturnType<ReturnType<typeof summaryQuery>['execute']>>[number]): Summary {
  return {
    ...row,
    lineCount: Number(row.lineCount ?? 0),
    countedCount: Number(row.countedCount ?? 0),
    differenceCount: Number(row.differenceCount ?? 0),
  };
}

export async function getStocktake(db: DbOrTrx, stocktakeId: number): Promise<StocktakeDto> {
  const head = await summaryQuery(db).where('s.stocktakeId', '=', stocktakeId).executeTakeFirst();
  if (!head) {
    const params = { id: String(stocktakeId) };
    throw new AppError('NOT_FOUND', 'stocktake.notFound', params, [
      { path: 'stocktakeId', key: 'stocktake.notFound', params },
    ]);
  }
  const lines = await db
    .selectFrom('stocktakeLines as l')
    .innerJoin('batches as b', 'b.batchId', 'l.batchId')
    .innerJoin('materials as m', 'm.materialId', 'b.materialId')
    .select([
      'l.lineId',
      'l.batchId',
      'b.materialId',
      'm.code as materialCode',
      'm.name as materialName',
      'm.spec',
      'm.unit',
      'b.lotNo',
      'b.expiresOn',
      'l.bookQuantity',
      'l.countedQuantity',
      'l.reason',
    ])
    .where('l.stocktakeId', '=', stocktakeId)
    .orderBy('m.code')
    .orderBy('b.expiresOn')
    .orderBy('l.lineId')
    .execute();
  return {
    ...toSummary(head),
    lines: lines.map((l) => ({
      ...l,
      difference: l.countedQuantity === null ? null : l.countedQuantity - l.bookQuantity,
    })),
  };
}

export async function listStocktakes(
  db: DbOrTrx,
  input: z.output<typeof stocktakeListInput>,
): Promise<Summary[]> {
  let q = summaryQuery(db);
  if (input.depotId !== undefined) q = q.where('s.depotId', '=', input.depotId);
  if (input.status !== undefined) q = q.where('s.status', '=', input.status);
  return (await q.orderBy('s.stocktakeId', 'desc').limit(500).execute()).map(toSummary);
}

/** The open stocktake, locked until the write ends: two approvals of one count cannot both post. */
async function requireOpen(trx: Trx, dialect: Dialect, actor: Actor, stocktakeId: number) {
  const st = await dialect
    .forUpdate(trx.selectFrom('stocktakes').selectAll().where('stocktakeId', '=', stocktakeId))
    .executeTakeFirst();
  if (!st) {
    const params = { id: String(stocktakeId) };
    throw new AppError('NOT_FOUND', 'stocktake.notFound', params, [
      { path: 'stocktakeId', key: 'stocktake.notFound', params },
    ]);
  }
  assertDepotScope(actor, await requireDepot(trx, st.depotId));
  if (st.status !== 'open') throw new AppError('CONFLICT', 'stocktake.notOpen', { docNo: st.docNo });
  return st;
}

export async function openStocktake(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof stocktakeOpenInput>,
): Promise<StocktakeDto> {
  return write(ctx, actor, 'stocktake.open', async (trx, { instant, iso }) => {
    // Exclusive on the depot: stock writes share-lock it (writableDepot), so none is half-way
    // through while the book quantities are frozen.
    const depot = await requireDepot(trx, input.depotId, { active: true, lock: 'update' });
    assertDepotScope(actor, depot);
    const open = await trx
      .selectFrom('stocktakes')
      .select('docNo')
      .where('depotId', '=', depot.depotId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (open)
      throw new AppError('CONFLICT', 'stocktake.alreadyOpen', { depot: depot.name, docNo: open.docNo });
    const docNo = await nextDocNo(trx, 'stocktake', instant);
    const { stocktakeId } = await trx
      .insertInto('stocktakes')
      .values({
        docNo,
        depotId: depot.depotId,
        status: 'open',
        note: input.note ?? null,
        openedAt: iso,
        openedBy: actor.userId,
      })
      .returning('stocktakeId')
      .executeTakeFirstOrThrow();
    // Freeze: every batch with stock in the depot, with its book quantity now.
    const batches = await trx
      .selectFrom('batchBalances')
      .select(['batchId', 'onHand'])
      .where('depotId', '=', depot.depotId)
      .where('onHand', '>', 0)
      .execute();
    for (let i = 0; i < batches.length; i += 500) {
      await trx
        .insertInto('stocktakeLines')
        .values(
          batches.slice(i, i + 500).map((b) => ({ stocktakeId, batchId: b.batchId, bookQuantity: b.onHand })),
        )
        .execute();
    }
    return {
      result: await getStocktake(trx, stocktakeId),
      audit: {
        entityType: 'stocktake',
        entityId: docNo,
        after: { depotId: depot.depotId, lines: batches.length },
      },
    };
  });
}

export async function countStocktake(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof stocktakeCountInput>,
): Promise<StocktakeDto> {
  return write(ctx, actor, 'stocktake.count', async (trx) => {
    const st = await requireOpen(trx, ctx.dialect, actor, input.stocktakeId);
    const before: unknown[] = [];
    for (const [i, c] of input.counts.entries()) {
      const line = await trx
        .selectFrom('stocktakeLines')
        .selectAll()
        .where('lineId', '=', c.lineId)
        .where('stocktakeId', '=', st.stocktakeId)
        .executeTakeFirst();
      if (!line) {
        const params = { id: String(c.lineId) };
        throw new AppError('NOT_FOUND', 'stocktake.lineNotFound', params, [
          { path: `counts.${i}.lineId`, key: 'stocktake.lineNotFound', params },
        ]);
      }
      before.push({ lineId: line.lineId, countedQuantity: line.countedQuantity, reason: line.reason });
      await trx
        .updateTable('stocktakeLines')
        .set({ countedQuantity: c.countedQuantity, reason: c.reason ?? null })
        .where('lineId', '=', c.lineId)
        .execute();
    }
    return {
      result: await getStocktake(trx, st.stocktakeId),
      audit: { entityType: 'stocktake', entityId: st.docNo, before, after: input.counts },
    };
  });
}

export async function approveStocktake(
  ctx: ServiceContext,
  actor: Actor,
  stocktakeId: number,
): Promise<{ stocktake: StocktakeDto; movements: MovementDto[] }> {
  return write(ctx, actor, 'stocktake.approve', async (trx, { iso }) => {
    const st = await requireOpen(trx, ctx.dialect, actor, stocktakeId);
    const lines = await trx
      .selectFrom('stocktakeLines as l')
      .innerJoin('batches as b', 'b.batchId', 'l.batchId')
      .innerJoin('materials as m', 'm.materialId', 'b.materialId')
      .select(['l.lineId', 'l.batchId', 'b.materialId', 'l.bookQuantity', 'l.countedQuantity', 'l.reason'])
      .where('l.stocktakeId', '=', stocktakeId)
      // The order getStocktake shows, so `lines.N` in an error names the row the user sees.
      .orderBy('m.code')
      .orderBy('b.expiresOn')
      .orderBy('l.lineId')
      .execute();
    const uncounted = lines.filter((l) => l.countedQuantity === null).length;
    if (uncounted > 0) throw new AppError('BAD_INPUT', 'stocktake.uncounted', { count: uncounted });
    const missingReason = lines
      .map((l, i) => ({ l, i }))
      .filter(({ l }) => l.countedQuantity !== l.bookQuantity && !l.reason);
    if (missingReason.length > 0) {
      throw new AppError(
        'BAD_INPUT',
        'validation.reasonRequired',
        {},
        missingReason.map(({ i }) => ({
          path: `lines.${i}.reason`,
          key: 'validation.reasonRequired' as const,
        })),
      );
    }
    const ids: number[] = [];
    for (const [index, l] of lines.entries()) {
      const difference = l.countedQuantity! - l.bookQuantity;
      if (difference === 0) continue;
      const movement = {
        docNo: st.docNo,
        type: difference > 0 ? ('stocktake_gain' as const) : ('stocktake_loss' as const),
        depotId: st.depotId,
        materialId: l.materialId,
        batchId: l.batchId,
        quantity: difference,
        occurredAt: iso,
        userId: actor.userId,
        stocktakeId,
        reason: l.reason,
      };
      // A loss that would leave less than is reserved is refused: release the reservation first.
      ids.push(await postMovement(trx, movement, `lines.${index}.countedQuantity`));
    }
    await trx
      .updateTable('stocktakes')
      .set({ status: 'approved', closedAt: iso, closedBy: actor.userId })
      .where('stocktakeId', '=', stocktakeId)
      .execute();
    return {
      result: { stocktake: await getStocktake(trx, stocktakeId), movements: await loadMovements(trx, ids) },
      audit: {
        entityType: 'stocktake',
        entityId: st.docNo,
        before: { status: 'open' },
        after: { status: 'approved', movementIds: ids },
      },
    };
  });
}

export async function cancelStocktake(
  ctx: ServiceContext,
  actor: Actor,
  stocktakeId: number,
): Promise<StocktakeDto> {
  return write(ctx, actor, 'stocktake.cancel', async (trx, { iso }) => {
    const st = await requireOpen(trx, ctx.dialect, actor, stocktakeId);
    await trx
      .updateTable('stocktakes')
      .set({ status: 'cancelled', closedAt: iso, closedBy: actor.userId })
      .where('stocktakeId', '=', stocktakeId)
      .execute();
    return {
      result: await getStocktake(trx, stocktakeId),
      audit: {
        entityType: 'stocktake',
        entityId: st.docNo,
        before: { status: 'open' },
        after: { status: 'cancelled' },
      },
    };
  });
}
