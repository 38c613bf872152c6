/**
 * A document by its number, whatever kind it is: an allocation request (DB), a delivery order
 * and its movements (PS), a stocktake (PD), or the movements of a stock note. A keeper sees
 * requests and orders of their own depots only (as their own lists show them).
 */
import type { z } from 'zod';
import { AppError } from '../../shared/rpc';
import type { documentOutput } from '../../shared/schemas/document';
import { getAllocationFor } from './allocation.service';
import type { Actor, ServiceContext } from './context';
import { getDeliveryFor } from './delivery.service';
import { loadDocument } from './stock-query.service';

export async function getDocument(
  ctx: ServiceContext,
  actor: Actor,
  docNo: string,
): Promise<z.output<typeof documentOutput>> {
  const db = ctx.db;
  const request = await db
    .selectFrom('allocationRequests')
    .select('requestId')
    .where('docNo', '=', docNo)
    .executeTakeFirst();
  if (request)
    return { kind: 'allocation', allocation: await getAllocationFor(ctx, actor, request.requestId) };
  const order = await db
    .selectFrom('deliveryOrders')
    .select('deliveryId')
    .where('docNo', '=', docNo)
    .executeTakeFirst();
  if (order)
    return {
      kind: 'delivery',
      delivery: await getDeliveryFor(ctx, actor, order.deliveryId),
      movements: await loadDocument(db, docNo),
    };
  const stocktake = await db
    .selectFrom('stocktakes')
    .select('stocktakeId')
    .where('docNo', '=', docNo)
    .executeTakeFirst();
  if (stocktake) return { kind: 'stocktake', stocktakeId: stocktake.stocktakeId };
  const movements = await loadDocument(db, docNo);
  if (movements.length > 0) return { kind: 'movements', movements };
  const params = { docNo };
  throw new AppError('NOT_FOUND', 'document.notFound', params, [
    { path: 'docNo', key: 'document.notFound', params },
  ]);
}
