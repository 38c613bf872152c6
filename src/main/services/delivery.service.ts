/**
 * Urgent delivery orders (紧急配送单), DOMAIN.md "Allocation, delivery":
 * - a coordinator puts approved sources (each holding its reservation) on an order: one vehicle,
 *   its driver, escort and planned times, bound for the request's destination;
 * - dispatch consumes the reservations and posts `dispatch` movements out of the source depots,
 *   first-expiry-first-out, one item per lot; from then the goods are in transit (在途);
 * - the signed receipt records what arrived per lot, the shortfall with its kind and reason, and
 *   into a depot posts `delivery_in` movements into a lot of the same number (source
 *   "allocation"); an outside unit's receipt is recorded by the coordinator;
 * - cancelling before dispatch releases the reservations for good; once every source of a
 *   request has arrived or been released, the request is completed;
 * - goods delivered outside come back (回收) as receipts with source "recovered", or are written
 *   off as consumed (核销); an order closes when nothing is left to settle.
 * States move planned → dispatched → delivered → closed, or planned → cancelled; each change is
 * an event with who, when and a comment.
 */
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { localMinute } from '../../shared/dates';
import type { MessageKey } from '../../shared/i18n';
import { AppError } from '../../shared/rpc';
import type { RequestStatus } from '../../shared/schemas/allocation';
import type {
  DeliveryDto,
  DeliveryStatus,
  DeliverySummaryDto,
  deliveryCancelInput,
  deliveryCreateInput,
  deliveryDeliverInput,
  deliveryListInput,
  deliveryStepInput,
  deliveryUpdateInput,
  inTransitInput,
  inTransitOutput,
  recoveryReturnInput,
  recoveryWriteOffInput,
} from '../../shared/schemas/delivery';
import type { PostingResult } from '../../shared/schemas/stock';
import type { DbOrTrx, DeliveryOrdersTable, Trx } from '../db/database';
import {
  closeReservation,
  findOrCreateBatch,
  nextDocNo,
  type NewLot,
  postMovement,
  takeReserved,
  writableDepot,
} from '../ledger';
import type { Actor, ServiceContext } from './context';
import { requireDepot, requireMaterial } from './guards';
import { allDepots, assertDecides, inJurisdiction } from './jurisdiction';
import { requireActiveIncident } from './incident.service';
import { decisionTimes, lockedRequest, moveTo } from './request-states';
import { loadDocument } from './stock-query.service';
import { write } from './write';

type DeliveryRow = Selectable<DeliveryOrdersTable>;

const TRANSITIONS: Record<DeliveryStatus, readonly DeliveryStatus[]> = {
  planned: ['dispatched', 'cancelled'],
  dispatched: ['delivered'],
  delivered: ['closed'],
  closed: [],
  cancelled: [],
};
/** Approved and not yet over: sources may still go on orders. */
const DELIVERABLE: readonly RequestStatus[] = ['approved', 'partly_approved', 'dispatching'];
/** Orders that hold goods or promises: an incident cannot close while one is. */
export const OPEN_ORDER_STATUSES: readonly DeliveryStatus[] = ['planned', 'dispatched'];
/** How long a delivered order stays on the board. */
const BOARD_DAYS = 7;
/** Ids per IN-list, well inside both stores' parameter limits. */
const IN_LIST = 500;

function deliveryNotFound(deliveryId: number): AppError {
  const params = { id: String(deliveryId) };
  return new AppError('NOT_FOUND', 'delivery.notFound', params, [
    { path: 'deliveryId', key: 'delivery.notFound', params },
  ]);
}

function fieldError(
  code: 'BAD_INPUT' | 'CONFLICT',
  key: MessageKey,
  path: string,
  params: Record<string, string | number> = {},
): AppError {
  return new AppError(code, key, params, [{ path, key, params }]);
}

/**
 * The order and its request, both locked (PostgreSQL), the request first: every write that
 * touches both takes them in this order (a request's cancel included), so two writes never wait
 * for each other crosswise, and sibling orders of one request settle it one after the other.
 */
async function lockedOrder(ctx: ServiceContext, trx: Trx, deliveryId: number) {
  const head = await trx
    .selectFrom('deliveryOrders')
    .select('requestId')
    .where('deliveryId', '=', deliveryId)
    .executeTakeFirst();
  if (!head) throw deliveryNotFound(deliveryId);
  const request = await lockedRequest(ctx, trx, head.requestId);
  const order = await ctx.dialect
    .forUpdate(trx.selectFrom('deliveryOrders').selectAll().where('deliveryId', '=', deliveryId))
    .executeTakeFirstOrThrow();
  return { order, request };
}

function assertCanMove(order: { docNo: string; status: DeliveryStatus }, to: DeliveryStatus): void {
  if (!TRANSITIONS[order.status].includes(to))
    throw new AppError('CONFLICT', 'delivery.badTransition', {
      docNo: order.docNo,
      from: `delivery.status.${order.status}`,
      to: `delivery.status.${to}`,
    });
}

/** Moves an order to `to` with the step's own columns, and records the event. */
async function moveOrder(
  trx: Trx,
  order: DeliveryRow,
  to: DeliveryStatus,
  actor: Actor,
  at: string,
  comment: string | null | undefined,
  set: Partial<Pick<DeliveryRow, 'dispatchedBy' | 'dispatchedAt' | 'receiverName' | 'receivedAt'>> = {},
): Promise<void> {
  assertCanMove(order, to);
  await trx
    .updateTable('deliveryOrders')
    .set({ ...set, status: to, updatedAt: at })
    .where('deliveryId', '=', order.deliveryId)
    .execute();
  await trx
    .insertInto('deliveryEvents')
    .values({
      deliveryId: order.deliveryId,
      at,
      userId: actor.userId,
      fromStatus: order.status,
      toStatus: to,
      comment: comment ?? null,
    })
    .execute();
}

/** The order's lines with the reservation each carries, in depot × material order (the lock order). */
function orderLines(trx: Trx, deliveryId: number) {
  return trx
    .selectFrom('deliveryLines as dl')
    .innerJoin('allocationSources as s', 's.sourceId', 'dl.sourceId')
    .select(['dl.lineId', 'dl.lineNo', 'dl.depotId', 'dl.materialId', 'dl.quantity', 's.reservationId'])
    .where('dl.deliveryId', '=', deliveryId)
    .orderBy('dl.depotId')
    .orderBy('dl.materialId')
    .orderBy('dl.lineNo')
    .execute();
}

export function createDelivery(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof deliveryCreateInput>,
): Promise<DeliveryDto> {
  return write(
    ctx,
    actor,
    'delivery.create',
    async (trx, { instant, iso }) => {
      const request = await lockedRequest(ctx, trx, input.requestId);
      await assertDecides(trx, actor, request);
      if (!DELIVERABLE.includes(request.status))
        throw new AppError('CONFLICT', 'delivery.requestNotApproved', {
          docNo: request.docNo,
          from: `allocation.status.${request.status}`,
        });
      if (request.incidentId !== null)
        await requireActiveIncident(trx, request.incidentId, { dialect: ctx.dialect, mode: 'share' });
      const sources = await trx
        .selectFrom('allocationSources as s')
        .innerJoin('allocationLines as l', 'l.lineId', 's.lineId')
        .innerJoin('reservations as res', 'res.reservationId', 's.reservationId')
        .leftJoin('deliveryLines as dl', 'dl.sourceId', 's.sourceId')
        .leftJoin('deliveryOrders as o', 'o.deliveryId', 'dl.deliveryId')
        .select([
          's.sourceId',
          's.depotId',
          's.quantity',
          'l.requestId',
          'l.lineNo',
          'l.materialId',
          'res.status as reservationStatus',
          'o.docNo as orderDocNo',
        ])
        .where('s.sourceId', 'in', input.sourceIds)
        .execute();
      const chosen = input.sourceIds.map((sourceId, i) => {
        const source = sources.find((s) => s.sourceId === sourceId);
        const path = `sourceIds.${i}`;
        if (!source || source.requestId !== request.requestId)
          throw fieldError('BAD_INPUT', 'delivery.sourceNotInRequest', path, {
            id: String(sourceId),
            docNo: request.docNo,
          });
        if (source.orderDocNo !== null)
          throw fieldError('CONFLICT', 'delivery.sourcePlanned', path, { docNo: source.orderDocNo });
        if (source.reservationStatus !== 'active')
          throw fieldError('CONFLICT', 'delivery.sourceReleased', path, { id: String(sourceId) });
        return source;
      });
      chosen.sort((a, b) => a.depotId - b.depotId || a.lineNo - b.lineNo);
      const docNo = await nextDocNo(trx, 'delivery', instant);
      const { deliveryId } = await trx
        .insertInto('deliveryOrders')
        .values({
          docNo,
          requestId: request.requestId,
          incidentId: request.incidentId,
          deliverToDepotId: request.deliverToDepotId,
          deliverAddress: request.deliverAddress,
          deliverContact: request.deliverContact,
          deliverPhone: request.deliverPhone,
          vehiclePlate: input.vehiclePlate,
          driverName: input.driverName,
          driverPhone: input.driverPhone,
          escortName: input.escortName ?? null,
          plannedDeparture: input.plannedDeparture,
          plannedArrival: input.plannedArrival,
          status: 'planned',
          note: input.note ?? null,
          createdBy: actor.userId,
          createdAt: iso,
          dispatchedBy: null,
          dispatchedAt: null,
          receiverName: null,
          receivedAt: null,
          updatedAt: iso,
        })
        .returning('deliveryId')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('deliveryLines')
        .values(
          chosen.map((s, k) => ({
            deliveryId,
            lineNo: k + 1,
            sourceId: s.sourceId,
            depotId: s.depotId,
            materialId: s.materialId,
            quantity: s.quantity,
          })),
        )
        .execute();
      await trx
        .insertInto('deliveryEvents')
        .values({
          deliveryId,
          at: iso,
          userId: actor.userId,
          fromStatus: null,
          toStatus: 'planned',
          comment: null,
        })
        .execute();
      return {
        result: await getDelivery(trx, deliveryId, instant),
        audit: { entityType: 'delivery', entityId: docNo, after: { ...input, requestDocNo: request.docNo } },
      };
    },
    // Two coordinators planning the same source at once: the unique key decides.
    { unique: { sourceId: () => new AppError('CONFLICT', 'delivery.sourceTaken') } },
  );
}

/** Before dispatch: another vehicle, driver, escort or time. */
export function updateDelivery(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof deliveryUpdateInput>,
): Promise<DeliveryDto> {
  return write(ctx, actor, 'delivery.update', async (trx, { instant, iso }) => {
    const { order, request } = await lockedOrder(ctx, trx, input.deliveryId);
    await assertDecides(trx, actor, request);
    if (order.status !== 'planned')
      throw new AppError('CONFLICT', 'delivery.notPlanned', {
        docNo: order.docNo,
        from: `delivery.status.${order.status}`,
      });
    const departure = input.plannedDeparture ?? order.plannedDeparture;
    const arrival = input.plannedArrival ?? order.plannedArrival;
    if (arrival < departure)
      throw fieldError('BAD_INPUT', 'delivery.arrivalBeforeDeparture', 'plannedArrival');
    const before = await getDelivery(trx, order.deliveryId, instant);
    await trx
      .updateTable('deliveryOrders')
      .set({
        ...(input.vehiclePlate ? { vehiclePlate: input.vehiclePlate } : {}),
        ...(input.driverName ? { driverName: input.driverName } : {}),
        ...(input.driverPhone ? { driverPhone: input.driverPhone } : {}),
        ...(input.escortName === undefined ? {} : { escortName: input.escortName }),
        ...(input.note === undefined ? {} : { note: input.note }),
        plannedDeparture: departure,
        plannedArrival: arrival,
        updatedAt: iso,
      })
      .where('deliveryId', '=', order.deliveryId)
      .execute();
    const after = await getDelivery(trx, order.deliveryId, instant);
    return { result: after, audit: { entityType: 'delivery', entityId: order.docNo, before, after } };
  });
}

/**
 * Who may load and send an order, sign for it or take goods back: a coordinator deciding its
 * request, or a keeper (held to their own depots where the goods move: writableDepot).
 */
async function assertHandles(
  trx: Trx,
  actor: Actor,
  request: { approverDepotId: number | null; docNo: string },
) {
  if (actor.role === 'coordinator') return assertDecides(trx, actor, request);
  if (actor.role !== 'keeper')
    throw new AppError('FORBIDDEN', 'auth.roleNotAllowed', { role: `role.${actor.role}` });
  return undefined;
}

/**
 * Dispatch: each line's reservation is consumed and its quantity leaves the source depot from
 * the lots that expire first; the request is dispatching from its first order on.
 */
export function dispatchDelivery(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof deliveryStepInput>,
): Promise<DeliveryDto> {
  return write(ctx, actor, 'delivery.dispatch', async (trx, { instant, iso }) => {
    const { order, request } = await lockedOrder(ctx, trx, input.deliveryId);
    await assertHandles(trx, actor, request);
    assertCanMove(order, 'dispatched');
    const destination =
      order.deliverToDepotId === null ? null : await requireDepot(trx, order.deliverToDepotId);
    const lines = await orderLines(trx, order.deliveryId);
    // Each source depot opened once (scope, share lock, not being counted), however many lines it loads.
    for (const depotId of new Set(lines.map((l) => l.depotId)))
      await writableDepot(trx, actor, depotId, 'out', 'deliveryId');
    const taken = await takeReserved(
      trx,
      ctx.dialect,
      lines.map((line) => ({
        ...line,
        path: `lines.${line.lineNo - 1}.quantity`,
        reservationId: line.reservationId!,
      })),
      {
        docNo: order.docNo,
        type: 'dispatch',
        occurredAt: iso,
        userId: actor.userId,
        counterpartDepotId: destination?.depotId ?? null,
        recipient: destination?.name ?? order.deliverAddress,
        note: input.comment ?? null,
        incidentId: order.incidentId,
      },
      instant,
    );
    const items = lines.flatMap((line, i) =>
      taken[i]!.map((pick) => ({
        lineId: line.lineId,
        batchId: pick.batchId,
        quantity: pick.quantity,
        dispatchMovementId: pick.movementId,
        received: null,
        shortfallKind: null,
        shortfallReason: null,
        receiptMovementId: null,
      })),
    );
    await trx.insertInto('deliveryItems').values(items).execute();
    const movementIds = items.map((item) => item.dispatchMovementId);
    await moveOrder(trx, order, 'dispatched', actor, iso, input.comment, {
      dispatchedBy: actor.userId,
      dispatchedAt: iso,
    });
    if (request.status !== 'dispatching') await moveTo(trx, request, 'dispatching', actor, iso, order.docNo);
    return {
      result: await getDelivery(trx, order.deliveryId, instant),
      audit: { entityType: 'delivery', entityId: order.docNo, after: { status: 'dispatched', movementIds } },
    };
  });
}

/** A request is completed once every source has arrived or been released, and something arrived. */
async function settleRequest(trx: Trx, requestId: number, actor: Actor, at: string): Promise<void> {
  const request = await trx
    .selectFrom('allocationRequests')
    .select(['requestId', 'docNo', 'status'])
    .where('requestId', '=', requestId)
    .executeTakeFirstOrThrow();
  if (request.status !== 'dispatching') return;
  const sources = await trx
    .selectFrom('allocationSources as s')
    .innerJoin('allocationLines as l', 'l.lineId', 's.lineId')
    .innerJoin('reservations as res', 'res.reservationId', 's.reservationId')
    .leftJoin('deliveryLines as dl', 'dl.sourceId', 's.sourceId')
    .leftJoin('deliveryOrders as o', 'o.deliveryId', 'dl.deliveryId')
    .select(['res.status as reservationStatus', 'o.status as orderStatus'])
    .where('l.requestId', '=', requestId)
    .execute();
  const arrived = (s: (typeof sources)[number]) =>
    s.orderStatus === 'delivered' || s.orderStatus === 'closed';
  if (sources.every((s) => s.reservationStatus === 'released' || arrived(s)) && sources.some(arrived))
    await moveTo(trx, request, 'completed', actor, at, null);
}

/**
 * The signed receipt: what arrived per lot (a lot not listed arrived in full), the shortfall with
 * its kind and reason. Into a depot, its keeper signs and the received quantity enters its ledger.
 */
export function deliverDelivery(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof deliveryDeliverInput>,
): Promise<DeliveryDto> {
  return write(ctx, actor, 'delivery.deliver', async (trx, { instant, iso }) => {
    const { order, request } = await lockedOrder(ctx, trx, input.deliveryId);
    let destination = null;
    if (order.deliverToDepotId !== null) {
      const depot = await requireDepot(trx, order.deliverToDepotId);
      if (actor.role !== 'keeper')
        throw new AppError('FORBIDDEN', 'delivery.keeperSigns', { depot: depot.name });
      destination = await writableDepot(trx, actor, depot.depotId, 'in', 'deliveryId');
    } else {
      await assertDecides(trx, actor, request);
    }
    assertCanMove(order, 'delivered');
    // Forms give minutes: a receipt signed in the minute of dispatch is not before it.
    const dispatchedMinute = order.dispatchedAt!.slice(0, 16);
    if (input.receivedAt.slice(0, 16) < dispatchedMinute)
      throw fieldError('BAD_INPUT', 'delivery.receivedBeforeDispatch', 'receivedAt', {
        dispatchedAt: localMinute(new Date(order.dispatchedAt!)),
      });
    if (input.receivedAt > iso) throw fieldError('BAD_INPUT', 'delivery.receivedInFuture', 'receivedAt');

    const items = await trx
      .selectFrom('deliveryItems as it')
      .innerJoin('deliveryLines as dl', 'dl.lineId', 'it.lineId')
      .innerJoin('batches as b', 'b.batchId', 'it.batchId')
      .select([
        'it.itemId',
        'it.quantity',
        'it.dispatchMovementId',
        'dl.depotId',
        'dl.materialId',
        'dl.lineNo',
        'b.lotNo',
        'b.producedOn',
        'b.expiresOn',
        'b.supplier',
        'b.unitPriceFen',
      ])
      .where('dl.deliveryId', '=', order.deliveryId)
      // Material × lot order: two receipts into one depot lock its balance rows in the same order.
      .orderBy('dl.materialId')
      .orderBy('it.batchId')
      .orderBy('it.itemId')
      .execute();
    const given = new Map<number, (typeof input.items)[number]>();
    input.items.forEach((entry, i) => {
      const path = `items.${i}`;
      const item = items.find((it) => it.itemId === entry.itemId);
      if (!item || given.has(entry.itemId))
        throw fieldError('BAD_INPUT', 'delivery.itemNotInOrder', `${path}.itemId`, {
          id: String(entry.itemId),
          docNo: order.docNo,
        });
      if (entry.received > item.quantity)
        throw fieldError('BAD_INPUT', 'delivery.moreThanSent', `${path}.received`, {
          sent: item.quantity,
          received: entry.received,
        });
      if (entry.received < item.quantity && !entry.reason)
        throw fieldError('BAD_INPUT', 'delivery.shortfallReason', `${path}.reason`, {
          short: item.quantity - entry.received,
        });
      given.set(entry.itemId, entry);
    });

    const movementIds: number[] = [];
    for (const item of items) {
      const entry = given.get(item.itemId) ?? null;
      const received = entry?.received ?? item.quantity;
      const short = received < item.quantity;
      let receiptMovementId: number | null = null;
      if (destination && received > 0) {
        const material = await requireMaterial(trx, item.materialId);
        const batch = await arrivingLot(trx, iso, order.docNo, {
          depotId: destination.depotId,
          material,
          lotNo: item.lotNo,
          producedOn: item.producedOn,
          expiresOn: item.expiresOn,
          source: 'allocation',
          supplier: item.supplier,
          unitPriceFen: item.unitPriceFen,
        });
        receiptMovementId = await postMovement(trx, {
          docNo: order.docNo,
          type: 'delivery_in',
          depotId: destination.depotId,
          materialId: item.materialId,
          batchId: batch.batchId,
          quantity: received,
          occurredAt: iso,
          userId: actor.userId,
          counterpartDepotId: item.depotId,
          pairMovementId: item.dispatchMovementId,
          note: input.note ?? null,
          incidentId: order.incidentId,
        });
        movementIds.push(receiptMovementId);
      }
      await trx
        .updateTable('deliveryItems')
        .set({
          received,
          shortfallKind: short ? (entry?.shortfallKind ?? 'missing') : null,
          shortfallReason: short ? entry!.reason! : null,
          receiptMovementId,
        })
        .where('itemId', '=', item.itemId)
        .execute();
    }
    await moveOrder(trx, order, 'delivered', actor, iso, input.note, {
      receiverName: input.receiverName,
      receivedAt: input.receivedAt,
    });
    await settleRequest(trx, order.requestId, actor, iso);
    return {
      result: await getDelivery(trx, order.deliveryId, instant),
      audit: {
        entityType: 'delivery',
        entityId: order.docNo,
        after: { status: 'delivered', receiverName: input.receiverName, items: input.items, movementIds },
      },
    };
  });
}

/**
 * The lot goods of an order arrive in (at its destination, or back in a depot on their return):
 * the same lot number, or — when the depot already holds a lot of that number with other dates
 * (another maker's numbering) — that number marked with the order's (`T-1·PS-20261130-0001`),
 * so the receipt never fails on it.
 */
async function arrivingLot(trx: Trx, at: string, docNo: string, lot: NewLot) {
  try {
    return await findOrCreateBatch(trx, at, lot, 'deliveryId');
  } catch (e) {
    if (!(e instanceof AppError) || e.key !== 'stock.lotConflict') throw e;
    return findOrCreateBatch(trx, at, { ...lot, lotNo: `${lot.lotNo}·${docNo}`.slice(-50) }, 'deliveryId');
  }
}

/** Before dispatch only: the order's reservations are released, and its sources with them. */
export function cancelDelivery(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof deliveryCancelInput>,
): Promise<DeliveryDto> {
  return write(ctx, actor, 'delivery.cancel', async (trx, { instant, iso }) => {
    const { order, request } = await lockedOrder(ctx, trx, input.deliveryId);
    await assertDecides(trx, actor, request);
    assertCanMove(order, 'cancelled');
    await releaseLines(trx, order.deliveryId, iso);
    await moveOrder(trx, order, 'cancelled', actor, iso, input.comment);
    await settleRequest(trx, order.requestId, actor, iso);
    return {
      result: await getDelivery(trx, order.deliveryId, instant),
      audit: {
        entityType: 'delivery',
        entityId: order.docNo,
        after: { status: 'cancelled', comment: input.comment },
      },
    };
  });
}

async function releaseLines(trx: Trx, deliveryId: number, at: string): Promise<void> {
  const lines = await trx
    .selectFrom('deliveryLines as dl')
    .innerJoin('allocationSources as s', 's.sourceId', 'dl.sourceId')
    .select('s.reservationId')
    .where('dl.deliveryId', '=', deliveryId)
    .orderBy('s.reservationId')
    .execute();
  for (const { reservationId } of lines) await closeReservation(trx, reservationId, 'released', at);
}

/**
 * A request being cancelled takes its planned orders with it (their reservations are released
 * by the request's own cancelling). Called inside the request's cancel write.
 */
export async function cancelPlannedOrders(
  trx: Trx,
  requestId: number,
  actor: Actor,
  at: string,
): Promise<string[]> {
  const orders = await trx
    .selectFrom('deliveryOrders')
    .selectAll()
    .where('requestId', '=', requestId)
    .where('status', '=', 'planned')
    .orderBy('deliveryId')
    .execute();
  for (const order of orders) await moveOrder(trx, order, 'cancelled', actor, at, null);
  return orders.map((o) => o.docNo);
}

/** What came back from, or was written off at, an outside unit: nothing is left of what arrived. */
async function outstandingOf(db: DbOrTrx, deliveryId: number): Promise<number> {
  const row = await db
    .selectFrom('deliveryItems as it')
    .innerJoin('deliveryLines as dl', 'dl.lineId', 'it.lineId')
    .select((eb) =>
      eb.fn
        .sum<number | string>(
          eb(
            eb(eb.fn.coalesce('it.received', eb.lit(0)), '-', eb.ref('it.returned')),
            '-',
            eb.ref('it.writtenOff'),
          ),
        )
        .as('outstanding'),
    )
    .where('dl.deliveryId', '=', deliveryId)
    .executeTakeFirst();
  return Number(row?.outstanding ?? 0);
}

/** A delivered order closes once nothing is left out with an outside unit (returned or written off). */
export function closeDelivery(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof deliveryStepInput>,
): Promise<DeliveryDto> {
  return write(ctx, actor, 'delivery.close', async (trx, { instant, iso }) => {
    const { order, request } = await lockedOrder(ctx, trx, input.deliveryId);
    await assertDecides(trx, actor, request);
    assertCanMove(order, 'closed');
    if (order.deliverToDepotId === null) {
      const outstanding = await outstandingOf(trx, order.deliveryId);
      if (outstanding > 0)
        throw new AppError('CONFLICT', 'delivery.goodsOutstanding', { docNo: order.docNo, outstanding });
    }
    await moveOrder(trx, order, 'closed', actor, iso, input.comment);
    return {
      result: await getDelivery(trx, order.deliveryId, instant),
      audit: { entityType: 'delivery', entityId: order.docNo, after: { status: 'closed' } },
    };
  });
}

/** An outside unit's delivered order and its request, locked, for returning or writing off its goods. */
async function settlableOrder(ctx: ServiceContext, trx: Trx, deliveryId: number) {
  const { order, request } = await lockedOrder(ctx, trx, deliveryId);
  if (order.deliverToDepotId !== null)
    throw fieldError('BAD_INPUT', 'recovery.onlyOutside', 'deliveryId', { docNo: order.docNo });
  if (order.status !== 'delivered')
    throw new AppError('CONFLICT', 'recovery.notDelivered', {
      docNo: order.docNo,
      from: `delivery.status.${order.status}`,
    });
  return { order, request };
}

/**
 * Counts `quantity` of an item as returned or written off: one conditional update, so what is
 * settled never exceeds what arrived (the CHECK is the backstop). BAD_INPUT with what is left.
 */
async function settleItem(
  trx: Trx,
  order: DeliveryRow,
  line: { itemId: number; quantity: number },
  column: 'returned' | 'writtenOff',
  path: string,
) {
  const item = await trx
    .selectFrom('deliveryItems as it')
    .innerJoin('deliveryLines as dl', 'dl.lineId', 'it.lineId')
    .innerJoin('batches as b', 'b.batchId', 'it.batchId')
    .select([
      'it.itemId',
      'it.received',
      'it.returned',
      'it.writtenOff',
      'dl.materialId',
      'b.lotNo',
      'b.producedOn',
      'b.expiresOn',
      'b.supplier',
      'b.unitPriceFen',
    ])
    .where('it.itemId', '=', line.itemId)
    .where('dl.deliveryId', '=', order.deliveryId)
    .executeTakeFirst();
  if (!item)
    throw fieldError('BAD_INPUT', 'delivery.itemNotInOrder', `${path}.itemId`, {
      id: String(line.itemId),
      docNo: order.docNo,
    });
  const updated = await trx
    .updateTable('deliveryItems')
    .set((eb) => ({ [column]: eb(eb.ref(column), '+', line.quantity) }))
    .where('itemId', '=', item.itemId)
    .where((eb) =>
      eb(
        eb(eb(eb.ref('returned'), '+', eb.ref('writtenOff')), '+', line.quantity),
        '<=',
        eb.fn.coalesce('received', eb.lit(0)),
      ),
    )
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n)
    throw fieldError('BAD_INPUT', 'recovery.moreThanOutstanding', `${path}.quantity`, {
      outstanding: (item.received ?? 0) - item.returned - item.writtenOff,
    });
  return item;
}

/** 回收: goods an outside unit hands back go into a depot as a receipt (source "recovered") against the order. */
export function returnRecovered(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof recoveryReturnInput>,
): Promise<PostingResult> {
  return write(ctx, actor, 'recovery.return', async (trx, { instant, iso }) => {
    const { order, request } = await settlableOrder(ctx, trx, input.deliveryId);
    // Whoever issued the goods recovers them: a keeper of a depot they left, or a coordinator
    // of the request, into a depot of their own (jurisdiction).
    const jurisdiction = await assertHandles(trx, actor, request);
    const depot = await writableDepot(trx, actor, input.depotId, 'in');
    if (actor.role === 'keeper') {
      const issued = await trx
        .selectFrom('deliveryLines')
        .select('depotId')
        .where('deliveryId', '=', order.deliveryId)
        .where('depotId', 'in', actor.depotIds.length > 0 ? actor.depotIds : [0])
        .executeTakeFirst();
      if (!issued) throw new AppError('FORBIDDEN', 'recovery.notIssuer', { docNo: order.docNo });
    } else if (!inJurisdiction(await allDepots(trx), jurisdiction ?? null, depot.depotId)) {
      const params = { depot: depot.name };
      throw new AppError('FORBIDDEN', 'allocation.sourceOutsideJurisdiction', params, [
        { path: 'depotId', key: 'allocation.sourceOutsideJurisdiction', params },
      ]);
    }
    const docNo = await nextDocNo(trx, 'receipt', instant);
    const ids: number[] = [];
    for (const [i, line] of input.lines.entries()) {
      const path = `lines.${i}`;
      const item = await settleItem(trx, order, line, 'returned', path);
      const material = await requireMaterial(trx, item.materialId);
      const terms = { source: 'recovered', supplier: item.supplier, unitPriceFen: item.unitPriceFen };
      const batch = await arrivingLot(trx, iso, order.docNo, {
        depotId: depot.depotId,
        material,
        lotNo: item.lotNo,
        producedOn: item.producedOn,
        expiresOn: item.expiresOn,
        ...terms,
      });
      const movementId = await postMovement(
        trx,
        {
          docNo,
          type: 'receipt',
          depotId: depot.depotId,
          materialId: material.materialId,
          batchId: batch.batchId,
          quantity: line.quantity,
          occurredAt: iso,
          userId: actor.userId,
          reason: order.docNo,
          note: input.note ?? null,
          incidentId: order.incidentId,
          ...terms,
        },
        `${path}.quantity`,
      );
      ids.push(movementId);
      await trx
        .insertInto('recoveries')
        .values({
          itemId: item.itemId,
          kind: 'returned',
          quantity: line.quantity,
          movementId,
          reason: null,
          at: iso,
          userId: actor.userId,
        })
        .execute();
    }
    return {
      result: { docNo, movements: await loadDocument(trx, docNo) },
      audit: {
        entityType: 'document',
        entityId: docNo,
        after: { input, deliveryDocNo: order.docNo, movementIds: ids },
      },
    };
  });
}

/** 核销: what an outside unit used up is written off against the order, with the reason. */
export function writeOffConsumed(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof recoveryWriteOffInput>,
): Promise<DeliveryDto> {
  return write(ctx, actor, 'recovery.writeOff', async (trx, { instant, iso }) => {
    const { order, request } = await settlableOrder(ctx, trx, input.deliveryId);
    await assertDecides(trx, actor, request);
    for (const [i, line] of input.lines.entries()) {
      const item = await settleItem(trx, order, line, 'writtenOff', `lines.${i}`);
      await trx
        .insertInto('recoveries')
        .values({
          itemId: item.itemId,
          kind: 'written_off',
          quantity: line.quantity,
          movementId: null,
          reason: input.reason,
          at: iso,
          userId: actor.userId,
        })
        .execute();
    }
    return {
      result: await getDelivery(trx, order.deliveryId, instant),
      audit: {
        entityType: 'delivery',
        entityId: order.docNo,
        after: { writtenOff: input.lines, reason: input.reason },
      },
    };
  });
}

/**
 * Closing an incident settles its deliveries: none may still be planned or on the road; what is
 * still out with outside units is written off with `reason` (refused without one), and every
 * delivered order closes. Called inside the incident's close write.
 */
export async function settleIncidentDeliveries(
  ctx: ServiceContext,
  trx: Trx,
  incidentId: number,
  reason: string | null | undefined,
  actor: Actor,
  at: string,
): Promise<{ closed: number; writtenOff: number }> {
  // Every order of the incident not yet closed, locked in id order before anything is read: a
  // return or write-off running now finishes first (or waits), and no order moves meanwhile.
  const orders = await ctx.dialect
    .forUpdate(
      trx
        .selectFrom('deliveryOrders')
        .selectAll()
        .where('incidentId', '=', incidentId)
        .where('status', 'in', [...OPEN_ORDER_STATUSES, 'delivered'])
        .orderBy('deliveryId'),
    )
    .execute();
  const open = orders.find((o) => OPEN_ORDER_STATUSES.includes(o.status));
  if (open) throw new AppError('CONFLICT', 'incident.deliveryOpen', { docNo: open.docNo });
  const outstanding = await trx
    .selectFrom('deliveryItems as it')
    .innerJoin('deliveryLines as dl', 'dl.lineId', 'it.lineId')
    .innerJoin('deliveryOrders as o', 'o.deliveryId', 'dl.deliveryId')
    .select(['it.itemId', 'it.received', 'it.returned', 'it.writtenOff'])
    .where('o.incidentId', '=', incidentId)
    .where('o.status', '=', 'delivered')
    .where('o.deliverToDepotId', 'is', null)
    .orderBy('it.itemId')
    .execute();
  let writtenOff = 0;
  for (const item of outstanding) {
    const left = (item.received ?? 0) - item.returned - item.writtenOff;
    if (left <= 0) continue;
    if (!reason) throw fieldError('BAD_INPUT', 'incident.writeOffReason', 'writeOffReason', {});
    await trx
      .updateTable('deliveryItems')
      .set((eb) => ({ writtenOff: eb('writtenOff', '+', left) }))
      .where('itemId', '=', item.itemId)
      .execute();
    await trx
      .insertInto('recoveries')
      .values({
        itemId: item.itemId,
        kind: 'written_off',
        quantity: left,
        movementId: null,
        reason,
        at,
        userId: actor.userId,
      })
      .execute();
    writtenOff += left;
  }
  const delivered = orders.filter((o) => o.status === 'delivered');
  for (const order of delivered) await moveOrder(trx, order, 'closed', actor, at, reason);
  return { closed: delivered.length, writtenOff };
}

const summaryQuery = (db: DbOrTrx) =>
  db
    .selectFrom('deliveryOrders as o')
    .innerJoin('allocationRequests as r', 'r.requestId', 'o.requestId')
    .leftJoin('incidents as i', 'i.incidentId', 'o.incidentId')
    .leftJoin('depots as dd', 'dd.depotId', 'o.deliverToDepotId')
    .select([
      'o.deliveryId',
      'o.docNo',
      'o.requestId',
      'r.docNo as requestDocNo',
      'o.incidentId',
      'i.name as incidentName',
      'r.urgency',
      'o.deliverToDepotId',
      'dd.name as deliverToDepotName',
      'o.deliverAddress',
      'o.vehiclePlate',
      'o.driverName',
      'o.driverPhone',
      'o.plannedDeparture',
      'o.plannedArrival',
      'o.status',
      'o.dispatchedAt',
      'o.receivedAt',
    ]);
type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['execute']>>[number];

function chunks<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += IN_LIST) out.push(values.slice(i, i + IN_LIST));
  return out;
}

/** The summaries of these rows: their source depots and line counts, and their requests' timers. */
async function toSummaries(db: DbOrTrx, rows: SummaryRow[], now: Date): Promise<DeliverySummaryDto[]> {
  const depotsOf = new Map<number, { ids: number[]; names: string[]; lines: number }>();
  for (const ids of chunks(rows.map((r) => r.deliveryId))) {
    const lines = await db
      .selectFrom('deliveryLines as dl')
      .innerJoin('depots as d', 'd.depotId', 'dl.depotId')
      .select((eb) => ['dl.deliveryId', 'dl.depotId', 'd.name', eb.fn.countAll<number>().as('n')])
      .where('dl.deliveryId', 'in', ids)
      .groupBy(['dl.deliveryId', 'dl.depotId', 'd.name'])
      .orderBy('dl.deliveryId')
      .orderBy('dl.depotId')
      .execute();
    for (const line of lines) {
      const entry = depotsOf.get(line.deliveryId) ?? { ids: [], names: [], lines: 0 };
      entry.ids.push(line.depotId);
      entry.names.push(line.name);
      entry.lines += Number(line.n);
      depotsOf.set(line.deliveryId, entry);
    }
  }
  const timersOf = await decisionTimes(
    db,
    rows.map((r) => r.requestId),
  );
  const nowIso = now.toISOString();
  return rows.map((r) => {
    const depots = depotsOf.get(r.deliveryId) ?? { ids: [], names: [], lines: 0 };
    const timers = timersOf.get(r.requestId) ?? { submittedAt: null, approvedAt: null };
    return {
      deliveryId: r.deliveryId,
      docNo: r.docNo,
      requestId: r.requestId,
      requestDocNo: r.requestDocNo,
      incidentId: r.incidentId,
      incidentName: r.incidentName,
      urgency: r.urgency,
      sourceDepotIds: depots.ids,
      sourceDepotNames: depots.names,
      deliverToDepotId: r.deliverToDepotId,
      deliverToName: r.deliverToDepotName ?? r.deliverAddress ?? '',
      vehiclePlate: r.vehiclePlate,
      driverName: r.driverName,
      driverPhone: r.driverPhone,
      plannedDeparture: r.plannedDeparture,
      plannedArrival: r.plannedArrival,
      status: r.status,
      overdue: OPEN_ORDER_STATUSES.includes(r.status) && r.plannedArrival < nowIso,
      lineCount: depots.lines,
      requestSubmittedAt: timers.submittedAt,
      approvedAt: timers.approvedAt,
      dispatchedAt: r.dispatchedAt,
      receivedAt: r.receivedAt,
    };
  });
}

/** The ids of orders loading at or bound for one of these depots (what their keepers see). */
export function ordersTouching(db: DbOrTrx, depotIds: readonly number[]) {
  const ids = depotIds.length > 0 ? depotIds : [0];
  return db
    .selectFrom('deliveryOrders as t')
    .select('t.deliveryId')
    .where((eb) =>
      eb.or([
        eb('t.deliverToDepotId', 'in', ids),
        eb.exists(
          eb
            .selectFrom('deliveryLines as tl')
            .select('tl.lineId')
            .whereRef('tl.deliveryId', '=', 't.deliveryId')
            .where('tl.depotId', 'in', ids),
        ),
      ]),
    );
}

/** Orders, newest first; a keeper sees those loading at or bound for their depots. */
export async function listDeliveries(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof deliveryListInput>,
): Promise<DeliverySummaryDto[]> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  let query = summaryQuery(ctx.db).limit(input.limit);
  if (input.status === 'overdue')
    query = query.where('o.status', 'in', OPEN_ORDER_STATUSES).where('o.plannedArrival', '<', nowIso);
  else if (input.status) query = query.where('o.status', '=', input.status);
  if (input.board) {
    const since = new Date(now.getTime() - BOARD_DAYS * 86_400_000).toISOString();
    query = query.where((eb) =>
      eb.or([
        eb('o.status', 'in', OPEN_ORDER_STATUSES),
        eb.and([eb('o.status', 'in', ['delivered', 'closed']), eb('o.receivedAt', '>=', since)]),
      ]),
    );
  }
  if (input.incidentId !== undefined) query = query.where('o.incidentId', '=', input.incidentId);
  if (input.requestId !== undefined) query = query.where('o.requestId', '=', input.requestId);
  if (input.depotId !== undefined)
    query = query.where('o.deliveryId', 'in', ordersTouching(ctx.db, [input.depotId]));
  if (actor.role === 'keeper')
    query = query.where('o.deliveryId', 'in', ordersTouching(ctx.db, actor.depotIds));
  const rows = await query.orderBy('o.deliveryId', 'desc').execute();
  return toSummaries(ctx.db, rows, now);
}

/** One order as a caller may see it: a keeper only those loading at or bound for their depots. */
export async function getDeliveryFor(
  ctx: ServiceContext,
  actor: Actor,
  deliveryId: number,
): Promise<DeliveryDto> {
  const order = await getDelivery(ctx.db, deliveryId, ctx.clock.now());
  const theirs = [order.deliverToDepotId, ...order.sourceDepotIds].some(
    (d) => d !== null && actor.depotIds.includes(d),
  );
  if (actor.role === 'keeper' && !theirs) throw deliveryNotFound(deliveryId);
  return order;
}

export async function getDelivery(db: DbOrTrx, deliveryId: number, now: Date): Promise<DeliveryDto> {
  const row = await summaryQuery(db).where('o.deliveryId', '=', deliveryId).executeTakeFirst();
  if (!row) throw deliveryNotFound(deliveryId);
  const [summary] = await toSummaries(db, [row], now);
  const more = await db
    .selectFrom('deliveryOrders as o')
    .innerJoin('allocationRequests as r', 'r.requestId', 'o.requestId')
    .innerJoin('users as c', 'c.userId', 'o.createdBy')
    .leftJoin('users as s', 's.userId', 'o.dispatchedBy')
    .select([
      'r.status as requestStatus',
      'o.deliverAddress',
      'o.deliverContact',
      'o.deliverPhone',
      'o.escortName',
      'o.receiverName',
      'o.note',
      'o.createdAt',
      'c.displayName as createdByName',
      's.displayName as dispatchedByName',
    ])
    .where('o.deliveryId', '=', deliveryId)
    .executeTakeFirstOrThrow();
  const lines = await db
    .selectFrom('deliveryLines as dl')
    .innerJoin('depots as d', 'd.depotId', 'dl.depotId')
    .innerJoin('materials as m', 'm.materialId', 'dl.materialId')
    .select([
      'dl.lineId',
      'dl.lineNo',
      'dl.sourceId',
      'dl.depotId',
      'd.name as depotName',
      'dl.materialId',
      'm.code as materialCode',
      'm.name as materialName',
      'm.spec',
      'm.unit',
      'dl.quantity',
    ])
    .where('dl.deliveryId', '=', deliveryId)
    .orderBy('dl.lineNo')
    .execute();
  const items = await db
    .selectFrom('deliveryItems as it')
    .innerJoin('deliveryLines as dl', 'dl.lineId', 'it.lineId')
    .innerJoin('batches as b', 'b.batchId', 'it.batchId')
    .select([
      'it.lineId',
      'it.itemId',
      'it.batchId',
      'b.lotNo',
      'b.producedOn',
      'b.expiresOn',
      'it.quantity',
      'it.received',
      'it.shortfallKind',
      'it.shortfallReason',
      'it.returned',
      'it.writtenOff',
    ])
    .where('dl.deliveryId', '=', deliveryId)
    .orderBy('it.itemId')
    .execute();
  const events = await db
    .selectFrom('deliveryEvents as e')
    .innerJoin('users as u', 'u.userId', 'e.userId')
    .select(['e.at', 'u.displayName as userName', 'e.fromStatus', 'e.toStatus', 'e.comment'])
    .where('e.deliveryId', '=', deliveryId)
    .orderBy('e.eventId')
    .execute();
  return {
    ...summary!,
    ...more,
    lines: lines.map((line) => ({
      ...line,
      items: items.filter((it) => it.lineId === line.lineId).map(({ lineId: _line, ...it }) => it),
    })),
    events,
  };
}

/** Goods on the road per destination and material; `depotId`: bound for that depot. */
export async function inTransit(
  ctx: ServiceContext,
  input: z.output<typeof inTransitInput>,
): Promise<z.output<typeof inTransitOutput>> {
  let query = ctx.db
    .selectFrom('deliveryItems as it')
    .innerJoin('deliveryLines as dl', 'dl.lineId', 'it.lineId')
    .innerJoin('deliveryOrders as o', 'o.deliveryId', 'dl.deliveryId')
    .innerJoin('materials as m', 'm.materialId', 'dl.materialId')
    .leftJoin('depots as d', 'd.depotId', 'o.deliverToDepotId')
    .select((eb) => [
      'o.deliverToDepotId',
      'd.name as depotName',
      'o.deliverAddress',
      'dl.materialId',
      'm.code as materialCode',
      'm.name as materialName',
      'm.unit',
      eb.fn.sum<number | string>('it.quantity').as('quantity'),
      eb.fn.count<number | string>('o.deliveryId').distinct().as('orders'),
    ])
    .where('o.status', '=', 'dispatched')
    .groupBy([
      'o.deliverToDepotId',
      'd.name',
      'o.deliverAddress',
      'dl.materialId',
      'm.code',
      'm.name',
      'm.unit',
    ])
    // Depots first (SQLite sorts NULL first, PostgreSQL last: pinned), then outside addresses.
    .orderBy((eb) => eb.case().when('d.name', 'is', null).then(1).else(0).end())
    .orderBy('d.name')
    .orderBy('o.deliverAddress')
    .orderBy('m.code');
  if (input.depotId !== undefined) query = query.where('o.deliverToDepotId', '=', input.depotId);
  const rows = await query.execute();
  return rows.map((r) => ({
    deliverToDepotId: r.deliverToDepotId,
    deliverToName: r.depotName ?? r.deliverAddress ?? '',
    materialId: r.materialId,
    materialCode: r.materialCode,
    materialName: r.materialName,
    unit: r.unit,
    quantity: Number(r.quantity),
    orders: Number(r.orders),
  }));
}
