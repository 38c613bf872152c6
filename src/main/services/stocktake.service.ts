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
import { appendAudit } from './audit.service';
import type { Actor, ServiceContext } from './context';
import { nextDocNo } from './doc-number';
import { assertDepotScope, requireDepot } from './guards';
import { postMovement } from './ledger';
import { loadMovements } from './stock-query.service';

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
      eb.selectFrom('stocktakeLines as l').whereRef('l.stocktakeId', '=', 's.stocktakeId').select(eb.fn.countAll<number>().as('n')).as('lineCount'),
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
  return { ...row, lineCount: Number(row.lineCount ?? 0), countedCount: Number(row.countedCount ?? 0), differenceCount: Number(row.differenceCount ?? 0) };
}

export async function getStocktake(db: DbOrTrx, stocktakeId: number): Promise<StocktakeDto> {
  const head = await summaryQuery(db).where('s.stocktakeId', '=', stocktakeId).executeTakeFirst();
  if (!head) {
    const params = { id: String(stocktakeId) };
    throw new AppError('NOT_FOUND', 'stocktake.notFound', params, [{ path: 'stocktakeId', key: 'stocktake.notFound', params }]);
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
    lines: lines.map((l) => ({ ...l, difference: l.countedQuantity === null ? null : l.countedQuantity - l.bookQuantity })),
  };
}

export async function listStocktakes(db: DbOrTrx, input: z.output<typeof stocktakeListInput>): Promise<Summary[]> {
  let q = summaryQuery(db);
  if (input.depotId !== undefined) q = q.where('s.depotId', '=', input.depotId);
  if (input.status !== undefined) q = q.where('s.status', '=', input.status);
  return (await q.orderBy('s.stocktakeId', 'desc').limit(500).execute()).map(toSummary);
}

async function requireOpen(trx: Trx, actor: Actor, stocktakeId: number) {
  const st = await trx.selectFrom('stocktakes').selectAll().where('stocktakeId', '=', stocktakeId).executeTakeFirst();
  if (!st) {
    const params = { id: String(stocktakeId) };
    throw new AppError('NOT_FOUND', 'stocktake.notFound', params, [{ path: 'stocktakeId', key: 'stocktake.notFound', params }]);
  }
  assertDepotScope(actor, await requireDepot(trx, st.depotId));
  if (st.status !== 'open') throw new AppError('CONFLICT', 'stocktake.notOpen', { docNo: st.docNo });
  return st;
}

export async function openStocktake(ctx: ServiceContext, actor: Actor, input: z.output<typeof stocktakeOpenInput>): Promise<StocktakeDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const instant = ctx.clock.now();
    const depot = await requireDepot(trx, input.depotId, { active: true });
    assertDepotScope(actor, depot);
    const open = await trx
      .selectFrom('stocktakes')
      .select('docNo')
      .where('depotId', '=', depot.depotId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (open) throw new AppError('CONFLICT', 'stocktake.alreadyOpen', { depot: depot.name, docNo: open.docNo });
    const docNo = await nextDocNo(trx, 'stocktake', instant);
    const { stocktakeId } = await trx
      .insertInto('stocktakes')
      .values({ docNo, depotId: depot.depotId, status: 'open', note: input.note ?? null, openedAt: instant.toISOString(), openedBy: actor.userId })
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
        .values(batches.slice(i, i + 500).map((b) => ({ stocktakeId, batchId: b.batchId, bookQuantity: b.onHand })))
        .execute();
    }
    await appendAudit(trx, actor, instant.toISOString(), {
      action: 'stocktake.open',
      entityType: 'stocktake',
      entityId: docNo,
      after: { depotId: depot.depotId, lines: batches.length },
    });
    return getStocktake(trx, stocktakeId);
  });
}

export async function countStocktake(ctx: ServiceContext, actor: Actor, input: z.output<typeof stocktakeCountInput>): Promise<StocktakeDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const st = await requireOpen(trx, actor, input.stocktakeId);
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
        throw new AppError('NOT_FOUND', 'stocktake.lineNotFound', params, [{ path: `counts.${i}.lineId`, key: 'stocktake.lineNotFound', params }]);
      }
      before.push({ lineId: line.lineId, countedQuantity: line.countedQuantity, reason: line.reason });
      await trx
        .updateTable('stocktakeLines')
        .set({ countedQuantity: c.countedQuantity, reason: c.reason ?? null })
        .where('lineId', '=', c.lineId)
        .execute();
    }
    await appendAudit(trx, actor, ctx.clock.now().toISOString(), {
      action: 'stocktake.count',
      entityType: 'stocktake',
      entityId: st.docNo,
      before,
      after: input.counts,
    });
    return getStocktake(trx, st.stocktakeId);
  });
}

export async function approveStocktake(
  ctx: ServiceContext,
  actor: Actor,
  stocktakeId: number,
): Promise<{ stocktake: StocktakeDto; movements: MovementDto[] }> {
  return ctx.db.transaction().execute(async (trx) => {
    const instant = ctx.clock.now();
    const st = await requireOpen(trx, actor, stocktakeId);
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
        missingReason.map(({ i }) => ({ path: `lines.${i}.reason`, key: 'validation.reasonRequired' as const })),
      );
    }
    const ids: number[] = [];
    for (const l of lines) {
      const difference = l.countedQuantity! - l.bookQuantity;
      if (difference === 0) continue;
      ids.push(
        await postMovement(trx, {
          docNo: st.docNo,
          type: difference > 0 ? 'stocktake_gain' : 'stocktake_loss',
          depotId: st.depotId,
          materialId: l.materialId,
          batchId: l.batchId,
          quantity: difference,
          occurredAt: instant.toISOString(),
          userId: actor.userId,
          stocktakeId,
          reason: l.reason,
        }),
      );
    }
    await trx
      .updateTable('stocktakes')
      .set({ status: 'approved', closedAt: instant.toISOString(), closedBy: actor.userId })
      .where('stocktakeId', '=', stocktakeId)
      .execute();
    await appendAudit(trx, actor, instant.toISOString(), {
      action: 'stocktake.approve',
      entityType: 'stocktake',
      entityId: st.docNo,
      before: { status: 'open' },
      after: { status: 'approved', movementIds: ids },
    });
    return { stocktake: await getStocktake(trx, stocktakeId), movements: await loadMovements(trx, ids) };
  });
}

export async function cancelStocktake(ctx: ServiceContext, actor: Actor, stocktakeId: number): Promise<StocktakeDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const instant = ctx.clock.now();
    const st = await requireOpen(trx, actor, stocktakeId);
    await trx
      .updateTable('stocktakes')
      .set({ status: 'cancelled', closedAt: instant.toISOString(), closedBy: actor.userId })
      .where('stocktakeId', '=', stocktakeId)
      .execute();
    await appendAudit(trx, actor, instant.toISOString(), {
      action: 'stocktake.cancel',
      entityType: 'stocktake',
      entityId: st.docNo,
      before: { status: 'open' },
      after: { status: 'cancelled' },
    });
    return getStocktake(trx, stocktakeId);
  });
}

