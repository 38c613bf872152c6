/**
 * Stock writes: receipt, issue, transfer, scrap and reversal. Each call is one document and one
 * write: movements, balances and the audit record commit together or not at all.
 */
import { type z } from 'zod';
import { localDate } from '../../shared/dates';
import { AppError } from '../../shared/rpc';
import type {
  issueInput,
  receiveInput,
  reverseInput,
  scrapInput,
  transferInput,
} from '../../shared/schemas/stock';
import type { PostingResult } from '../../shared/schemas/stock';
import type { Trx } from '../db/database';
import {
  findOrCreateBatch,
  lockLevelsInOrder,
  lotDates,
  nextDocNo,
  pickBatches,
  postMovement,
  requireBatchOf,
  writableDepot,
} from '../ledger';
import { type Actor, type ServiceContext } from './context';
import { assertDepotScope, assertNotCounting, requireDepot, requireMaterial } from './guards';
import { loadDocument } from './stock-query.service';
import { write, type WriteOutcome, type WriteTime } from './write';

type ReceiveInput = z.output<typeof receiveInput>;
type IssueInput = z.output<typeof issueInput>;
type TransferInput = z.output<typeof transferInput>;
type ScrapInput = z.output<typeof scrapInput>;
type ReverseInput = z.output<typeof reverseInput>;

/** The posted document: its movements as the screens show them, and the audit record. */
async function posted(
  trx: Trx,
  docNo: string,
  input: unknown,
  movementIds: number[],
): Promise<WriteOutcome<PostingResult>> {
  return {
    result: { docNo, movements: await loadDocument(trx, docNo) },
    audit: { entityType: 'document', entityId: docNo, after: { input, movementIds } },
  };
}

export async function receiveStock(
  ctx: ServiceContext,
  actor: Actor,
  input: ReceiveInput,
): Promise<PostingResult> {
  return write(ctx, actor, 'stock.receive', async (trx, at) => {
    const { docNo, movementIds } = await postReceipt(trx, actor, input, at);
    return posted(trx, docNo, input, movementIds);
  });
}

/**
 * A receipt's statements inside a caller's write: its document number, its lots (found or
 * created) and its movements. `stock.receive` posts one; an import posts one per depot.
 */
export async function postReceipt(
  trx: Trx,
  actor: Actor,
  input: ReceiveInput,
  { instant, iso }: WriteTime,
): Promise<{ docNo: string; movementIds: number[] }> {
  const depot = await writableDepot(trx, actor, input.depotId, 'in');
  const docNo = await nextDocNo(trx, 'receipt', instant);
  const ids: number[] = [];
  for (const [i, line] of input.lines.entries()) {
    const path = `lines.${i}`;
    const material = await requireMaterial(trx, line.materialId, {
      active: true,
      path: `${path}.materialId`,
    });
    // The receipt's own terms go on its movement; a new lot also takes them as its first.
    const terms = {
      source: input.source,
      supplier: line.supplier ?? null,
      unitPriceFen: line.unitPriceFen ?? null,
    };
    const batch =
      line.batchId !== undefined
        ? await requireBatchOf(trx, line.batchId, depot, material, `${path}.batchId`)
        : await findOrCreateBatch(
            trx,
            iso,
            {
              depotId: depot.depotId,
              material,
              lotNo: line.lotNo!,
              ...lotDates(material, line, localDate(instant), path),
              ...terms,
            },
            `${path}.lotNo`,
          );
    const movement = {
      docNo,
      type: 'receipt' as const,
      depotId: depot.depotId,
      materialId: material.materialId,
      batchId: batch.batchId,
      quantity: line.quantity,
      occurredAt: iso,
      userId: actor.userId,
      note: input.note ?? null,
      ...terms,
    };
    ids.push(await postMovement(trx, movement, `${path}.quantity`));
  }
  return { docNo, movementIds: ids };
}

export async function issueStock(
  ctx: ServiceContext,
  actor: Actor,
  input: IssueInput,
): Promise<PostingResult> {
  return write(ctx, actor, 'stock.issue', async (trx, { instant, iso }) => {
    const depot = await writableDepot(trx, actor, input.depotId, 'out');
    const docNo = await nextDocNo(trx, 'issue', instant);
    const ids: number[] = [];
    for (const [i, line] of input.lines.entries()) {
      const path = `lines.${i}`;
      const material = await requireMaterial(trx, line.materialId, { path: `${path}.materialId` });
      for (const pick of await pickBatches(trx, ctx.dialect, depot, material, line, path, instant)) {
        const movement = {
          docNo,
          type: 'issue' as const,
          depotId: depot.depotId,
          materialId: material.materialId,
          batchId: pick.batch.batchId,
          quantity: -pick.quantity,
          occurredAt: iso,
          userId: actor.userId,
          expiredOverride: pick.expiredOverride,
          recipient: input.recipient,
          reason: input.reason ?? null,
          note: input.note ?? null,
        };
        ids.push(await postMovement(trx, movement, `${path}.quantity`));
      }
    }
    return posted(trx, docNo, input, ids);
  });
}

export async function transferStock(
  ctx: ServiceContext,
  actor: Actor,
  input: TransferInput,
): Promise<PostingResult> {
  return write(ctx, actor, 'stock.transfer', async (trx, { instant, iso }) => {
    const from = await writableDepot(trx, actor, input.fromDepotId, 'out', 'fromDepotId');
    const to = await requireDepot(trx, input.toDepotId, { active: true, path: 'toDepotId', lock: 'share' });
    await assertNotCounting(trx, to);
    const docNo = await nextDocNo(trx, 'transfer', instant);
    const ids: number[] = [];
    for (const [i, line] of input.lines.entries()) {
      const path = `lines.${i}`;
      const material = await requireMaterial(trx, line.materialId, { path: `${path}.materialId` });
      await lockLevelsInOrder(trx, ctx.dialect, material.materialId, [from.depotId, to.depotId]);
      for (const pick of await pickBatches(trx, ctx.dialect, from, material, line, path, instant)) {
        const common = {
          docNo,
          materialId: material.materialId,
          occurredAt: iso,
          userId: actor.userId,
          note: input.note ?? null,
        };
        const outId = await postMovement(
          trx,
          {
            ...common,
            type: 'transfer_out',
            depotId: from.depotId,
            batchId: pick.batch.batchId,
            quantity: -pick.quantity,
            counterpartDepotId: to.depotId,
            expiredOverride: pick.expiredOverride,
          },
          `${path}.quantity`,
        );
        const target = await findOrCreateBatch(
          trx,
          iso,
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
        const inId = await postMovement(
          trx,
          {
            ...common,
            type: 'transfer_in',
            depotId: to.depotId,
            batchId: target.batchId,
            quantity: pick.quantity,
            counterpartDepotId: from.depotId,
            pairMovementId: outId,
          },
          `${path}.quantity`,
        );
        ids.push(outId, inId);
      }
    }
    return posted(trx, docNo, input, ids);
  });
}

export async function scrapStock(
  ctx: ServiceContext,
  actor: Actor,
  input: ScrapInput,
): Promise<PostingResult> {
  return write(ctx, actor, 'stock.scrap', async (trx, { instant, iso }) => {
    const depot = await writableDepot(trx, actor, input.depotId, 'out');
    const docNo = await nextDocNo(trx, 'scrap', instant);
    const ids: number[] = [];
    for (const [i, line] of input.lines.entries()) {
      const path = `lines.${i}`;
      const batch = await requireBatchOf(trx, line.batchId, depot, null, `${path}.batchId`);
      const movement = {
        docNo,
        type: 'scrap' as const,
        depotId: depot.depotId,
        materialId: batch.materialId,
        batchId: batch.batchId,
        quantity: -line.quantity,
        occurredAt: iso,
        userId: actor.userId,
        reason: input.reason,
        note: input.note ?? null,
      };
      ids.push(await postMovement(trx, movement, `${path}.quantity`));
    }
    return posted(trx, docNo, input, ids);
  });
}

/**
 * Posts the exact opposite of a movement, once. A transfer is reversed on both sides together
 * (the goods go back where they came from); a reversal itself cannot be reversed.
 */
export async function reverseMovement(
  ctx: ServiceContext,
  actor: Actor,
  input: ReverseInput,
): Promise<PostingResult> {
  // Set once the original is read: a racing reversal that only the unique key stops gets the same message.
  let reversedDocNo = '';
  const alreadyReversed = () => new AppError('CONFLICT', 'stock.alreadyReversed', { docNo: reversedDocNo });
  return write(
    ctx,
    actor,
    'stock.reverse',
    async (trx, { instant, iso }) => {
      const original = await trx
        .selectFrom('movements')
        .selectAll()
        .where('movementId', '=', input.movementId)
        .executeTakeFirst();
      if (!original) {
        const params = { id: String(input.movementId) };
        throw new AppError('NOT_FOUND', 'stock.movementNotFound', params, [
          { path: 'movementId', key: 'stock.movementNotFound', params },
        ]);
      }
      // Scope first: a keeper learns nothing about other depots' movements. The keeper must hold
      // the depot the goods left (a transfer's source) or entered (a receipt).
      reversedDocNo = original.docNo;
      const scopeDepotId = original.type === 'transfer_in' ? original.counterpartDepotId! : original.depotId;
      assertDepotScope(actor, await requireDepot(trx, scopeDepotId));
      if (original.type === 'reversal') throw new AppError('CONFLICT', 'stock.cannotReverseReversal');
      // A delivery's movements (and a recovery's receipt) belong to its order: corrected there, not here.
      if (original.type === 'dispatch' || original.type === 'delivery_in' || original.source === 'recovered')
        throw new AppError('CONFLICT', 'stock.reverseOnDelivery', {
          docNo: original.type === 'receipt' ? (original.reason ?? original.docNo) : original.docNo,
        });

      let legs = [original];
      if (original.type === 'transfer_out' || original.type === 'transfer_in') {
        const other =
          original.type === 'transfer_in'
            ? await trx
                .selectFrom('movements')
                .selectAll()
                .where('movementId', '=', original.pairMovementId!)
                .executeTakeFirstOrThrow()
            : await trx
                .selectFrom('movements')
                .selectAll()
                .where('pairMovementId', '=', original.movementId)
                .executeTakeFirstOrThrow();
        legs = original.type === 'transfer_out' ? [original, other] : [other, original];
      }
      // Checked here for the message; the unique reverses_movement_id makes it hold under races too.
      const reversed = await trx
        .selectFrom('movements')
        .select('reversesMovementId')
        .where(
          'reversesMovementId',
          'in',
          legs.map((l) => l.movementId),
        )
        .executeTakeFirst();
      if (reversed) throw alreadyReversed();

      const docNo = await nextDocNo(trx, 'reversal', instant);
      const ids: number[] = [];
      // Take back the increases first so a transfer is checked against the destination's stock.
      const ordered = [...legs].sort((a, b) => b.quantity - a.quantity);
      for (const leg of ordered) {
        const depot = await requireDepot(trx, leg.depotId, { lock: 'share' });
        await assertNotCounting(trx, depot);
        const movement = {
          docNo,
          type: 'reversal' as const,
          depotId: leg.depotId,
          materialId: leg.materialId,
          batchId: leg.batchId,
          quantity: -leg.quantity,
          occurredAt: iso,
          userId: actor.userId,
          counterpartDepotId: leg.counterpartDepotId,
          reversesMovementId: leg.movementId,
          reason: input.reason,
        };
        ids.push(await postMovement(trx, movement, 'movementId'));
      }
      return posted(trx, docNo, input, ids);
    },
    { unique: { reversesMovementId: alreadyReversed } },
  );
}
