/**
 * Stock writes: receipt, issue, transfer, scrap and reversal. Each call is one document and one
 * transaction: movements, balances and the audit record commit together or not at all.
 */
import { type z } from 'zod';
import { addDays } from '../../shared/dates';
import { AppError } from '../../shared/rpc';
import type { issueInput, receiveInput, reverseInput, scrapInput, transferInput } from '../../shared/schemas/stock';
import type { PostingResult } from '../../shared/schemas/stock';
import type { BatchRow, DepotRow, MaterialRow, Trx } from '../db/database';
import { appendAudit } from './audit.service';
import { type Actor, type ServiceContext } from './context';
import { nextDocNo } from './doc-number';
import { assertDepotScope, assertNotCounting, requireDepot, requireMaterial } from './guards';
import { assertCanDecrease, pickBatches, postMovement, requireBatchOf } from './ledger';
import { loadMovements } from './stock-query.service';

type ReceiveInput = z.output<typeof receiveInput>;
type IssueInput = z.output<typeof issueInput>;
type TransferInput = z.output<typeof transferInput>;
type ScrapInput = z.output<typeof scrapInput>;
type ReverseInput = z.output<typeof reverseInput>;

/**
 * Opens the depot for a write by this actor: exists, in scope, not being counted. Goods only go
 * into active depots; a deactivated one can still be emptied (issue, transfer out, scrap).
 */
async function writableDepot(
  trx: Trx,
  actor: Actor,
  depotId: number,
  direction: 'in' | 'out',
  path = 'depotId',
): Promise<DepotRow> {
  const depot = await requireDepot(trx, depotId, { active: direction === 'in', path });
  assertDepotScope(actor, depot);
  await assertNotCounting(trx, depot);
  return depot;
}

async function finish(
  ctx: ServiceContext,
  trx: Trx,
  actor: Actor,
  action: string,
  docNo: string,
  input: unknown,
  movementIds: number[],
): Promise<PostingResult> {
  await appendAudit(trx, actor, ctx.clock.now().toISOString(), {
    action,
    entityType: 'document',
    entityId: docNo,
    after: { input, movementIds },
  });
  return { docNo, movements: await loadMovements(trx, movementIds) };
}

/** Expiry from the production date and the material's shelf life when the keeper gave none. */
function lotExpiry(material: MaterialRow, producedOn: string | null | undefined, expiresOn: string | null | undefined) {
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

/** The batch a lot goes into at a depot: the existing one (same dates) or a new one. */
async function findOrCreateBatch(
  trx: Trx,
  at: string,
  lot: {
    depotId: number;
    material: MaterialRow;
    lotNo: string;
    producedOn: string | null;
    expiresOn: string | null;
    source: string;
    supplier: string | null;
    unitPriceFen: number | null;
  },
  path: string,
): Promise<BatchRow> {
  const existing = await trx
    .selectFrom('batches')
    .selectAll()
    .where('depotId', '=', lot.depotId)
    .where('materialId', '=', lot.material.materialId)
    .where('lotNo', '=', lot.lotNo)
    .executeTakeFirst();
  if (existing) {
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
  return trx
    .insertInto('batches')
    .values({
      depotId: lot.depotId,
      materialId: lot.material.materialId,
      lotNo: lot.lotNo,
      producedOn: lot.producedOn,
      expiresOn: lot.expiresOn,
      source: lot.source,
      supplier: lot.supplier,
      unitPriceFen: lot.unitPriceFen,
      createdAt: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function receiveStock(ctx: ServiceContext, actor: Actor, input: ReceiveInput): Promise<PostingResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const instant = ctx.clock.now();
    const at = instant.toISOString();
    const depot = await writableDepot(trx, actor, input.depotId, 'in');
    const docNo = await nextDocNo(trx, 'receipt', instant);
    const ids: number[] = [];
    for (const [i, line] of input.lines.entries()) {
      const path = `lines.${i}`;
      const material = await requireMaterial(trx, line.materialId, { active: true, path: `${path}.materialId` });
      const batch =
        line.batchId !== undefined
          ? await requireBatchOf(trx, line.batchId, depot, material, `${path}.batchId`)
          : await findOrCreateBatch(
              trx,
              at,
              {
                depotId: depot.depotId,
                material,
                lotNo: line.lotNo!,
                producedOn: line.producedOn ?? null,
                expiresOn: lotExpiry(material, line.producedOn, line.expiresOn),
                source: input.source,
                supplier: line.supplier ?? null,
                unitPriceFen: line.unitPriceFen ?? null,
              },
              `${path}.lotNo`,
            );
      ids.push(
        await postMovement(trx, {
          docNo,
          type: 'receipt',
          depotId: depot.depotId,
          materialId: material.materialId,
          batchId: batch.batchId,
          quantity: line.quantity,
          occurredAt: at,
          userId: actor.userId,
          reason: input.source,
          note: input.note ?? null,
        }),
      );
    }
    return finish(ctx, trx, actor, 'stock.receive', docNo, input, ids);
  });
}

export async function issueStock(ctx: ServiceContext, actor: Actor, input: IssueInput): Promise<PostingResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const instant = ctx.clock.now();
    const depot = await writableDepot(trx, actor, input.depotId, 'out');
    const docNo = await nextDocNo(trx, 'issue', instant);
    const ids: number[] = [];
    for (const [i, line] of input.lines.entries()) {
      const path = `lines.${i}`;
      const material = await requireMaterial(trx, line.materialId, { path: `${path}.materialId` });
      for (const pick of await pickBatches(trx, depot, material, line, path, instant)) {
        ids.push(
          await postMovement(trx, {
            docNo,
            type: 'issue',
            depotId: depot.depotId,
            materialId: material.materialId,
            batchId: pick.batch.batchId,
            quantity: -pick.quantity,
            occurredAt: instant.toISOString(),
            userId: actor.userId,
            expiredOverride: pick.expiredOverride,
            recipient: input.recipient,
            reason: input.reason ?? null,
            note: input.note ?? null,
          }),
        );
      }
    }
    return finish(ctx, trx, actor, 'stock.issue', docNo, input, ids);
  });
}

export async function transferStock(ctx: ServiceContext, actor: Actor, input: TransferInput): Promise<PostingResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const instant = ctx.clock.now();
    const at = instant.toISOString();
    const from = await writableDepot(trx, actor, input.fromDepotId, 'out', 'fromDepotId');
    const to = await requireDepot(trx, input.toDepotId, { active: true, path: 'toDepotId' });
    await assertNotCounting(trx, to);
    const docNo = await nextDocNo(trx, 'transfer', instant);
    const ids: number[] = [];
    for (const [i, line] of input.lines.entries()) {
      const path = `lines.${i}`;
      const material = await requireMaterial(trx, line.materialId, { path: `${path}.materialId` });
      for (const pick of await pickBatches(trx, from, material, line, path, instant)) {
        const common = { docNo, materialId: material.materialId, occurredAt: at, userId: actor.userId, note: input.note ?? null };
        const outId = await postMovement(trx, {
          ...common,
          type: 'transfer_out',
          depotId: from.depotId,
          batchId: pick.batch.batchId,
          quantity: -pick.quantity,
          counterpartDepotId: to.depotId,
          expiredOverride: pick.expiredOverride,
        });
        const target = await findOrCreateBatch(
          trx,
          at,
          {
            depotId: to.depotId,
            material,
            lotNo: pick.batch.lotNo,
            producedOn: pick.batch.producedOn,
            expiresOn: pick.batch.expiresOn,
            source: 'transfer',
            supplier: pick.batch.supplier,
            unitPriceFen: pick.batch.unitPriceFen,
          },
          `${path}.batchId`,
        );
        const inId = await postMovement(trx, {
          ...common,
          type: 'transfer_in',
          depotId: to.depotId,
          batchId: target.batchId,
          quantity: pick.quantity,
          counterpartDepotId: from.depotId,
          pairMovementId: outId,
        });
        ids.push(outId, inId);
      }
    }
    return finish(ctx, trx, actor, 'stock.transfer', docNo, input, ids);
  });
}

export async function scrapStock(ctx: ServiceContext, actor: Actor, input: ScrapInput): Promise<PostingResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const instant = ctx.clock.now();
    const depot = await writableDepot(trx, actor, input.depotId, 'out');
    const docNo = await nextDocNo(trx, 'scrap', instant);
    const ids: number[] = [];
    for (const [i, line] of input.lines.entries()) {
      const path = `lines.${i}`;
      const batch = await requireBatchOf(trx, line.batchId, depot, null, `${path}.batchId`);
      const material = await requireMaterial(trx, batch.materialId);
      await assertCanDecrease(trx, batch, line.quantity, { depot: depot.name, material: material.name }, `${path}.quantity`);
      ids.push(
        await postMovement(trx, {
          docNo,
          type: 'scrap',
          depotId: depot.depotId,
          materialId: batch.materialId,
          batchId: batch.batchId,
          quantity: -line.quantity,
          occurredAt: instant.toISOString(),
          userId: actor.userId,
          reason: input.reason,
          note: input.note ?? null,
        }),
      );
    }
    return finish(ctx, trx, actor, 'stock.scrap', docNo, input, ids);
  });
}

/**
 * Posts the exact opposite of a movement, once. A transfer is reversed on both sides together
 * (the goods go back where they came from); a reversal itself cannot be reversed.
 */
export async function reverseMovement(ctx: ServiceContext, actor: Actor, input: ReverseInput): Promise<PostingResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const instant = ctx.clock.now();
    const original = await trx.selectFrom('movements').selectAll().where('movementId', '=', input.movementId).executeTakeFirst();
    if (!original) {
      const params = { id: String(input.movementId) };
      throw new AppError('NOT_FOUND', 'stock.movementNotFound', params, [{ path: 'movementId', key: 'stock.movementNotFound', params }]);
    }
    // Scope first: a keeper learns nothing about other depots' movements. The keeper must hold
    // the depot the goods left (a transfer's source) or entered (a receipt).
    const scopeDepotId = original.type === 'transfer_in' ? original.counterpartDepotId! : original.depotId;
    assertDepotScope(actor, await requireDepot(trx, scopeDepotId));
    if (original.type === 'reversal') throw new AppError('CONFLICT', 'stock.cannotReverseReversal');

    let legs = [original];
    if (original.type === 'transfer_out' || original.type === 'transfer_in') {
      const other =
        original.type === 'transfer_in'
          ? await trx.selectFrom('movements').selectAll().where('movementId', '=', original.pairMovementId!).executeTakeFirstOrThrow()
          : await trx.selectFrom('movements').selectAll().where('pairMovementId', '=', original.movementId).executeTakeFirstOrThrow();
      legs = original.type === 'transfer_out' ? [original, other] : [other, original];
    }
    const reversed = await trx
      .selectFrom('movements')
      .select('reversesMovementId')
      .where('reversesMovementId', 'in', legs.map((l) => l.movementId))
      .executeTakeFirst();
    if (reversed) throw new AppError('CONFLICT', 'stock.alreadyReversed', { docNo: original.docNo });

    const docNo = await nextDocNo(trx, 'reversal', instant);
    const ids: number[] = [];
    // Take back the increases first so a transfer is checked against the destination's stock.
    const ordered = [...legs].sort((a, b) => b.quantity - a.quantity);
    for (const leg of ordered) {
      const depot = await requireDepot(trx, leg.depotId);
      await assertNotCounting(trx, depot);
      if (leg.quantity > 0) {
        const batch = await trx.selectFrom('batches').selectAll().where('batchId', '=', leg.batchId).executeTakeFirstOrThrow();
        const material = await requireMaterial(trx, leg.materialId);
        await assertCanDecrease(trx, batch, leg.quantity, { depot: depot.name, material: material.name }, 'movementId');
      }
      ids.push(
        await postMovement(trx, {
          docNo,
          type: 'reversal',
          depotId: leg.depotId,
          materialId: leg.materialId,
          batchId: leg.batchId,
          quantity: -leg.quantity,
          occurredAt: instant.toISOString(),
          userId: actor.userId,
          counterpartDepotId: leg.counterpartDepotId,
          reversesMovementId: leg.movementId,
          reason: input.reason,
        }),
      );
    }
    return finish(ctx, trx, actor, 'stock.reverse', docNo, input, ids);
  });
}

