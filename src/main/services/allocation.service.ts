/**
 * Allocation requests (调拨申请) and their tiered approval (分级审批), DOMAIN.md "Allocation":
 * - a town depot's request is decided by its district's coordinators; a district depot's or an
 *   outside unit's by the city's;
 * - states move draft → submitted → approved / partly_approved / rejected (→ dispatching →
 *   completed, with deliveries), or cancelled; each change is an event with who, when, comment;
 * - approval names, per line, the source depots and quantities, all inside the approver's
 *   jurisdiction, and reserves them in the same write (in depot × material order, so two
 *   approvals never wait for each other crosswise); cancelling releases what was reserved;
 * - a district coordinator may forward what their depots cannot cover to the city, as a new
 *   request linked to this one.
 */
import { sql, type Selectable } from 'kysely';
import type { z } from 'zod';
import { AppError } from '../../shared/rpc';
import type {
  AllocationDto,
  AllocationSummaryDto,
  RequestStatus,
  allocationApproveInput,
  allocationCreateInput,
  allocationLineInput,
  allocationListInput,
  allocationRejectInput,
  allocationStepInput,
  allocationUpdateInput,
  suggestSourcesOutput,
} from '../../shared/schemas/allocation';
import type { AllocationRequestsTable, DbOrTrx, DepotRow, Trx } from '../db/database';
import { closeReservation, lockedStockLevels, nextDocNo, pairKey, reserveMany } from '../ledger';
import { valuesTable } from '../db/values';
import type { Actor, ServiceContext } from './context';
import { assertDepotScope, checkDepot, requireDepot, requireMaterial } from './guards';
import { cancelPlannedOrders } from './delivery.service';
import { requireActiveIncident } from './incident.service';
import { allDepots, assertDecides, districtOf, inJurisdiction, jurisdictionOf } from './jurisdiction';
import { assertCanMove, lockedRequest, moveTo, recordEvent, requestNotFound } from './request-states';
import { write } from './write';

type AllocationRequestRow = Selectable<AllocationRequestsTable>;

/** Who files a request: a keeper for their own depots; coordinators and staff for any, or for an outside unit. */
function assertMayFile(actor: Actor, depot: DepotRow | null): void {
  if (actor.role === 'keeper') {
    if (!depot) throw new AppError('FORBIDDEN', 'allocation.keeperOwnDepot');
    assertDepotScope(actor, depot);
    return;
  }
  if (actor.role !== 'coordinator' && actor.role !== 'staff')
    throw new AppError('FORBIDDEN', 'auth.roleNotAllowed', { role: `role.${actor.role}` });
}

/**
 * Who may move a request on as its filer (submit, withdraw): whoever created it, or a keeper of
 * the requesting depot.
 */
async function assertFiler(
  trx: Trx,
  actor: Actor,
  request: { requesterDepotId: number | null; createdBy: number },
): Promise<void> {
  if (request.createdBy === actor.userId) return;
  if (actor.role === 'keeper' && request.requesterDepotId !== null) {
    assertDepotScope(actor, await requireDepot(trx, request.requesterDepotId));
    return;
  }
  throw new AppError('FORBIDDEN', 'allocation.notFiler');
}

export function createAllocation(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof allocationCreateInput>,
): Promise<AllocationDto> {
  return write(ctx, actor, 'allocation.create', async (trx, { instant, iso }) => {
    const depots = await allDepots(trx);
    const requester =
      input.requesterDepotId === undefined
        ? null
        : await requireDepot(trx, input.requesterDepotId, { active: true, path: 'requesterDepotId' });
    assertMayFile(actor, requester);
    if (input.deliverToDepotId !== undefined)
      await requireDepot(trx, input.deliverToDepotId, { active: true, path: 'deliverToDepotId' });
    if (input.incidentId !== undefined)
      await requireActiveIncident(trx, input.incidentId, { dialect: ctx.dialect, mode: 'share' });
    // A town's request goes to its district; a district's or an outside unit's to the city.
    const approverDepotId = requester?.level === 'town' ? districtOf(depots, requester.depotId) : null;
    const docNo = await nextDocNo(trx, 'allocation', instant);
    const { requestId } = await trx
      .insertInto('allocationRequests')
      .values({
        docNo,
        incidentId: input.incidentId ?? null,
        requesterDepotId: requester?.depotId ?? null,
        requesterUnit: input.requesterUnit?.name ?? null,
        requesterContact: input.requesterUnit?.contact ?? null,
        requesterPhone: input.requesterUnit?.phone ?? null,
        urgency: input.urgency,
        deliverToDepotId: input.deliverToDepotId ?? null,
        deliverAddress: input.deliverTo?.address ?? null,
        deliverContact: input.deliverTo?.contact ?? null,
        deliverPhone: input.deliverTo?.phone ?? null,
        neededBy: input.neededBy,
        status: 'draft',
        approverDepotId,
        forwardedFromId: null,
        note: input.note ?? null,
        createdBy: actor.userId,
        createdAt: iso,
        updatedAt: iso,
      })
      .returning('requestId')
      .executeTakeFirstOrThrow();
    await writeLines(trx, requestId, input.lines);
    await recordEvent(trx, requestId, null, 'draft', actor, iso, null);
    if (input.submit) await moveTo(trx, { requestId, docNo, status: 'draft' }, 'submitted', actor, iso, null);
    const after = await getAllocation(trx, requestId);
    return {
      result: after,
      audit: { entityType: 'allocation', entityId: docNo, after: { ...input, approverDepotId } },
    };
  });
}

/** The reserve quotas of these depots × materials, keyed `depotId:materialId` (one read). */
async function quotasOf(
  db: DbOrTrx,
  depotIds: number[],
  materialIds: number[],
): Promise<Map<string, number>> {
  if (depotIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('quotas')
    .select(['depotId', 'materialId', 'quantity'])
    .where('depotId', 'in', [...new Set(depotIds)])
    .where('materialId', 'in', [...new Set(materialIds)])
    .execute();
  return new Map(rows.map((r) => [`${r.depotId}:${r.materialId}`, Number(r.quantity)]));
}

export function approveAllocation(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof allocationApproveInput>,
): Promise<AllocationDto> {
  return write(ctx, actor, 'allocation.approve', async (trx, { instant, iso }) => {
    const request = await lockedRequest(ctx, trx, input.requestId);
    const jurisdiction = await assertDecides(trx, actor, request);
    // Nothing is promised for an incident that has ended.
    if (request.incidentId !== null)
      await requireActiveIncident(trx, request.incidentId, { dialect: ctx.dialect, mode: 'share' });
    const forwardsWhole = input.forwardRemainder && input.lines.every((l) => l.sources.length === 0);
    if (forwardsWhole && request.status !== 'submitted')
      throw new AppError('CONFLICT', 'allocation.notSubmittedToForward', {
        docNo: request.docNo,
        from: `allocation.status.${request.status}`,
      });
    assertCanMove(request, 'approved');
    const depots = await allDepots(trx);
    const lines = await trx
      .selectFrom('allocationLines')
      .selectAll()
      .where('requestId', '=', request.requestId)
      .orderBy('lineNo')
      .execute();
    const approvedOf = new Map<number, number>();
    const reservations: {
      line: (typeof lines)[number];
      depotId: number;
      quantity: number;
      overrideReason: string | null;
      path: string;
    }[] = [];
    for (const [i, given] of input.lines.entries()) {
      const line = lines.find((l) => l.lineId === given.lineId);
      if (!line || approvedOf.has(line.lineId)) {
        const params = { id: String(given.lineId) };
        throw new AppError('BAD_INPUT', 'allocation.lineNotInRequest', params, [
          { path: `lines.${i}.lineId`, key: 'allocation.lineNotInRequest', params },
        ]);
      }
      let total = 0;
      const seen = new Set<number>();
      for (const [j, source] of given.sources.entries()) {
        const path = `lines.${i}.sources.${j}`;
        const depot = checkDepot(depots.get(source.depotId), source.depotId, {
          active: true,
          path: `${path}.depotId`,
        });
        if (!inJurisdiction(depots, jurisdiction, depot.depotId)) {
          const params = { depot: depot.name };
          throw new AppError('FORBIDDEN', 'allocation.sourceOutsideJurisdiction', params, [
            { path: `${path}.depotId`, key: 'allocation.sourceOutsideJurisdiction', params },
          ]);
        }
        if (depot.depotId === request.deliverToDepotId || seen.has(depot.depotId)) {
          const key = seen.has(depot.depotId) ? 'allocation.sourceTwice' : 'allocation.sourceIsDestination';
          throw new AppError('BAD_INPUT', key, { depot: depot.name }, [
            { path: `${path}.depotId`, key, params: { depot: depot.name } },
          ]);
        }
        seen.add(depot.depotId);
        total += source.quantity;
        reservations.push({
          line,
          depotId: depot.depotId,
          quantity: source.quantity,
          overrideReason: source.overrideReason ?? null,
          path,
        });
      }
      if (total > line.requested) {
        const params = { requested: line.requested, approved: total };
        throw new AppError('BAD_INPUT', 'allocation.moreThanRequested', params, [
          { path: `lines.${i}.sources`, key: 'allocation.moreThanRequested', params },
        ]);
      }
      approvedOf.set(line.lineId, total);
    }
    // Depot × material order: two approvals reserving the same stock queue, never deadlock.
    reservations.sort((a, b) => a.depotId - b.depotId || a.line.materialId - b.line.materialId);
    const quotas = await quotasOf(
      trx,
      reservations.map((r) => r.depotId),
      reservations.map((r) => r.line.materialId),
    );
    // Locked (PostgreSQL) until the write ends: the quota judged is the one reserved against.
    const levels = await lockedStockLevels(
      trx,
      ctx.dialect,
      reservations.map((r) => ({ depotId: r.depotId, materialId: r.line.materialId })),
    );
    const left = new Map<string, number>();
    const breaks = reservations.map((r) => {
      const k = pairKey(r.depotId, r.line.materialId);
      const available = left.get(k) ?? levels.get(k)?.available ?? 0;
      left.set(k, available - r.quantity);
      const quota = quotas.get(k) ?? 0;
      // Short of stock altogether: reserveMany below says INSUFFICIENT_STOCK and what is left.
      const breaksQuota = available >= r.quantity && available - r.quantity < quota;
      if (breaksQuota && !r.overrideReason) {
        const params = { depot: depots.get(r.depotId)!.name, quota, left: available - r.quantity };
        throw new AppError('BAD_INPUT', 'allocation.belowQuota', params, [
          { path: `${r.path}.overrideReason`, key: 'allocation.belowQuota', params },
        ]);
      }
      return breaksQuota;
    });
    const reservationIds = await reserveMany(
      trx,
      actor,
      iso,
      levels,
      reservations.map((r) => ({
        depotId: r.depotId,
        materialId: r.line.materialId,
        quantity: r.quantity,
        reference: `${request.docNo}#${r.line.lineNo}`,
        path: `${r.path}.quantity`,
      })),
    );
    if (reservations.length > 0)
      await trx
        .insertInto('allocationSources')
        .values(
          reservations.map((r, i) => ({
            lineId: r.line.lineId,
            depotId: r.depotId,
            quantity: r.quantity,
            reservationId: reservationIds[i]!,
            overrideReason: breaks[i] ? r.overrideReason : null,
          })),
        )
        .execute();
    const full = lines.every((line) => (approvedOf.get(line.lineId) ?? 0) >= line.requested);
    await sql`
      update allocation_lines set approved = v.column2
        from ${valuesTable(lines.map((line) => [line.lineId, approvedOf.get(line.lineId) ?? 0]))} as v
       where allocation_lines.line_id = v.column1`.execute(trx);
    const anything = [...approvedOf.values()].some((q) => q > 0);
    if (!anything && !input.forwardRemainder)
      throw new AppError('BAD_INPUT', 'allocation.nothingApproved', {}, [
        { path: 'lines', key: 'allocation.nothingApproved' },
      ]);
    const remainder = lines
      .map((line) => ({ line, rest: line.requested - (approvedOf.get(line.lineId) ?? 0) }))
      .filter((r) => r.rest > 0);
    let forwardedDocNo: string | null = null;
    if (input.forwardRemainder) {
      if (request.approverDepotId === null)
        throw new AppError('BAD_INPUT', 'allocation.cityCannotForward', {}, [
          { path: 'forwardRemainder', key: 'allocation.cityCannotForward' },
        ]);
      if (remainder.length === 0)
        throw new AppError('BAD_INPUT', 'allocation.nothingToForward', {}, [
          { path: 'forwardRemainder', key: 'allocation.nothingToForward' },
        ]);

      forwardedDocNo = await nextDocNo(trx, 'allocation', instant);
      const { requestId: forwardedId } = await trx
        .insertInto('allocationRequests')
        .values({
          docNo: forwardedDocNo,
          incidentId: request.incidentId,
          requesterDepotId: request.requesterDepotId,
          requesterUnit: request.requesterUnit,
          requesterContact: request.requesterContact,
          requesterPhone: request.requesterPhone,
          urgency: request.urgency,
          deliverToDepotId: request.deliverToDepotId,
          deliverAddress: request.deliverAddress,
          deliverContact: request.deliverContact,
          deliverPhone: request.deliverPhone,
          neededBy: request.neededBy,
          status: 'submitted',
          approverDepotId: null,
          forwardedFromId: request.requestId,
          note: request.note,
          // Still the requester's request: its filer may withdraw it; only the city decides it.
          createdBy: request.createdBy,
          createdAt: iso,
          updatedAt: iso,
        })
        .returning('requestId')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('allocationLines')
        .values(
          remainder.map((r, k) => ({
            requestId: forwardedId,
            lineNo: k + 1,
            materialId: r.line.materialId,
            requested: r.rest,
            approved: null,
            purpose: r.line.purpose,
          })),
        )
        .execute();
      await recordEvent(trx, forwardedId, null, 'submitted', actor, iso, input.comment);
    }
    const outcome: RequestStatus = !anything ? 'forwarded' : full ? 'approved' : 'partly_approved';
    await moveTo(trx, request, outcome, actor, iso, input.comment);
    return {
      result: await getAllocation(trx, request.requestId),
      audit: {
        entityType: 'allocation',
        entityId: request.docNo,
        after: { status: outcome, lines: input.lines, forwardedDocNo },
      },
    };
  });
}

export function forwardAllocation(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof allocationStepInput>,
): Promise<AllocationDto> {
  return approveAllocation(ctx, actor, {
    requestId: input.requestId,
    lines: [],
    comment: input.comment,
    forwardRemainder: true,
  });
}

/**
 * One step of a request's life that changes nothing but its state (and, on cancelling, its
 * reservations): locked, allowed for this caller (`authorize`), recorded with the comment.
 */
function changeState(
  ctx: ServiceContext,
  actor: Actor,
  action: string,
  input: { requestId: number; comment?: string | null | undefined },
  to: RequestStatus,
  authorize: (trx: Trx, request: AllocationRequestRow) => Promise<unknown>,
  alsoDo?: (trx: Trx, request: AllocationRequestRow, at: string) => Promise<Record<string, unknown>>,
): Promise<AllocationDto> {
  return write(ctx, actor, action, async (trx, { iso }) => {
    const request = await lockedRequest(ctx, trx, input.requestId);
    await authorize(trx, request);
    await moveTo(trx, request, to, actor, iso, input.comment);
    const more = alsoDo ? await alsoDo(trx, request, iso) : {};
    return {
      result: await getAllocation(trx, request.requestId),
      audit: { entityType: 'allocation', entityId: request.docNo, after: { status: to, ...more } },
    };
  });
}

/** A request's lines as asked (each material checked), numbered from 1. */
async function writeLines(
  trx: Trx,
  requestId: number,
  lines: readonly z.output<typeof allocationLineInput>[],
): Promise<void> {
  for (const [i, line] of lines.entries())
    await requireMaterial(trx, line.materialId, { active: true, path: `lines.${i}.materialId` });
  await trx
    .insertInto('allocationLines')
    .values(
      lines.map((line, i) => ({
        requestId,
        lineNo: i + 1,
        materialId: line.materialId,
        requested: line.quantity,
        approved: null,
        purpose: line.purpose ?? null,
      })),
    )
    .execute();
}

/** The filer changes a draft: its incident, urgency, destination, time, lines or note. */
export function updateAllocation(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof allocationUpdateInput>,
): Promise<AllocationDto> {
  return write(ctx, actor, 'allocation.update', async (trx, { iso }) => {
    const request = await lockedRequest(ctx, trx, input.requestId);
    await assertFiler(trx, actor, request);
    if (request.status !== 'draft')
      throw new AppError('CONFLICT', 'allocation.notDraft', {
        docNo: request.docNo,
        from: `allocation.status.${request.status}`,
      });
    if (input.incidentId)
      await requireActiveIncident(trx, input.incidentId, { dialect: ctx.dialect, mode: 'share' });
    if (input.deliverToDepotId !== undefined)
      await requireDepot(trx, input.deliverToDepotId, { active: true, path: 'deliverToDepotId' });
    const before = await getAllocation(trx, request.requestId);
    const destination =
      input.deliverToDepotId !== undefined
        ? {
            deliverToDepotId: input.deliverToDepotId,
            deliverAddress: null,
            deliverContact: null,
            deliverPhone: null,
          }
        : input.deliverTo
          ? {
              deliverToDepotId: null,
              deliverAddress: input.deliverTo.address,
              deliverContact: input.deliverTo.contact,
              deliverPhone: input.deliverTo.phone,
            }
          : {};
    await trx
      .updateTable('allocationRequests')
      .set({
        ...(input.incidentId === undefined ? {} : { incidentId: input.incidentId }),
        ...(input.urgency ? { urgency: input.urgency } : {}),
        ...(input.neededBy ? { neededBy: input.neededBy } : {}),
        ...(input.note === undefined ? {} : { note: input.note }),
        ...destination,
        updatedAt: iso,
      })
      .where('requestId', '=', request.requestId)
      .execute();
    if (input.lines) {
      await trx.deleteFrom('allocationLines').where('requestId', '=', request.requestId).execute();
      await writeLines(trx, request.requestId, input.lines);
    }
    const after = await getAllocation(trx, request.requestId);
    return { result: after, audit: { entityType: 'allocation', entityId: request.docNo, before, after } };
  });
}

/** The filer (or a keeper of the requesting depot) moves a draft on. */
export function submitAllocation(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof allocationStepInput>,
): Promise<AllocationDto> {
  return changeState(ctx, actor, 'allocation.submit', input, 'submitted', async (trx, request) => {
    await assertFiler(trx, actor, request);
    if (request.incidentId !== null)
      await requireActiveIncident(trx, request.incidentId, { dialect: ctx.dialect, mode: 'share' });
  });
}

export function rejectAllocation(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof allocationRejectInput>,
): Promise<AllocationDto> {
  return changeState(ctx, actor, 'allocation.reject', input, 'rejected', (trx, request) =>
    assertDecides(trx, actor, request),
  );
}

/** Before dispatch: the filer or a deciding coordinator cancels, and every reservation is released. */
export function cancelAllocation(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof allocationStepInput>,
): Promise<AllocationDto> {
  return changeState(
    ctx,
    actor,
    'allocation.cancel',
    input,
    'cancelled',
    async (trx, request) => {
      if (actor.role === 'coordinator' && request.createdBy !== actor.userId)
        await assertDecides(trx, actor, request);
      else await assertFiler(trx, actor, request);
      const child = await trx
        .selectFrom('allocationRequests')
        .select('docNo')
        .where('forwardedFromId', '=', request.requestId)
        .where('status', 'not in', ['cancelled', 'rejected', 'completed'])
        .executeTakeFirst();
      if (child)
        throw new AppError('CONFLICT', 'allocation.childOpen', { docNo: request.docNo, child: child.docNo });
    },
    async (trx, request, at) => {
      // Nothing has left yet (a dispatching request cannot be cancelled): every order is still planned.
      const cancelledOrders = await cancelPlannedOrders(trx, request.requestId, actor, at);
      const held = await trx
        .selectFrom('allocationSources as s')
        .innerJoin('allocationLines as l', 'l.lineId', 's.lineId')
        .innerJoin('reservations as res', 'res.reservationId', 's.reservationId')
        .select('s.reservationId')
        .where('l.requestId', '=', request.requestId)
        .where('res.status', '=', 'active')
        .orderBy('s.reservationId')
        .execute();
      for (const { reservationId } of held) await closeReservation(trx, reservationId, 'released', at);
      return { released: held.length, cancelledOrders };
    },
  );
}

/**
 * Proposed sources per line: depots in the approver's jurisdiction with stock above their
 * reserve quota, the requester's own district first, then the city depot, then other
 * districts; each line takes what it still needs from them in that order.
 */
export async function suggestSources(
  ctx: ServiceContext,
  actor: Actor,
  requestId: number,
): Promise<z.output<typeof suggestSourcesOutput>> {
  const request = await ctx.db
    .selectFrom('allocationRequests')
    .selectAll()
    .where('requestId', '=', requestId)
    .executeTakeFirst();
  if (!request) throw requestNotFound(requestId);
  const jurisdiction = await assertDecides(ctx.db, actor, request);
  // Only a request awaiting its decision has sources to propose.
  assertCanMove(request, 'approved');
  const depots = await allDepots(ctx.db);
  const home = request.requesterDepotId === null ? null : districtOf(depots, request.requesterDepotId);
  const rank = (depot: DepotRow) => {
    const district = districtOf(depots, depot.depotId);
    if (home !== null && district === home) return 0;
    if (depot.level === 'city') return 1;
    return 2;
  };
  const lines = await ctx.db
    .selectFrom('allocationLines')
    .selectAll()
    .where('requestId', '=', requestId)
    .orderBy('lineNo')
    .execute();
  // Every line's stock in one read (a 50-line request is one query, not fifty).
  const levels =
    lines.length === 0
      ? []
      : await ctx.db
          .selectFrom('stockLevels as sl')
          .leftJoin('quotas as q', (join) =>
            join.onRef('q.depotId', '=', 'sl.depotId').onRef('q.materialId', '=', 'sl.materialId'),
          )
          .select(['sl.materialId', 'sl.depotId', 'sl.onHand', 'sl.reserved', 'q.quantity as quota'])
          .where('sl.materialId', 'in', [...new Set(lines.map((l) => l.materialId))])
          .where('sl.onHand', '>', 0)
          .execute();
  const out: z.output<typeof suggestSourcesOutput> = [];
  for (const line of lines) {
    const rows = levels.filter((r) => r.materialId === line.materialId);
    const candidates = rows
      .map((r) => ({ ...r, depot: depots.get(r.depotId)! }))
      .filter(
        (r) =>
          r.depot.active === 1 &&
          r.depotId !== request.deliverToDepotId &&
          inJurisdiction(depots, jurisdiction, r.depotId),
      )
      .sort(
        (a, b) =>
          rank(a.depot) - rank(b.depot) ||
          b.onHand - b.reserved - (a.onHand - a.reserved) ||
          a.depotId - b.depotId,
      );
    let remaining = line.requested - (line.approved ?? 0);
    const proposals = candidates.map((c) => {
      const available = c.onHand - c.reserved;
      const quota = c.quota ?? 0;
      const proposed = Math.max(0, Math.min(remaining, available - quota));
      remaining -= proposed;
      return {
        depotId: c.depotId,
        depotName: c.depot.name,
        level: c.depot.level,
        available,
        quota,
        proposed,
      };
    });
    out.push({ lineId: line.lineId, remaining, depots: proposals });
  }
  return out;
}

function requesterName(r: { requesterUnit: string | null; requesterDepotName: string | null }): string {
  return r.requesterDepotName ?? r.requesterUnit ?? '';
}

const summaryQuery = (db: DbOrTrx) =>
  db
    .selectFrom('allocationRequests as r')
    .leftJoin('incidents as i', 'i.incidentId', 'r.incidentId')
    .leftJoin('depots as rd', 'rd.depotId', 'r.requesterDepotId')
    .leftJoin('depots as dd', 'dd.depotId', 'r.deliverToDepotId')
    .select((eb) => [
      'r.requestId',
      'r.docNo',
      'r.incidentId',
      'i.name as incidentName',
      'r.requesterDepotId',
      'rd.name as requesterDepotName',
      'r.requesterUnit',
      'r.urgency',
      'dd.name as deliverToDepotName',
      'r.deliverAddress',
      'r.neededBy',
      'r.status',
      'r.approverDepotId',
      'r.createdAt',
      eb
        .selectFrom('allocationLines as l')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('l.requestId', '=', 'r.requestId')
        .as('lineCount'),
    ]);
type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['execute']>>[number];

function toSummary(r: SummaryRow): AllocationSummaryDto {
  return {
    requestId: r.requestId,
    docNo: r.docNo,
    incidentId: r.incidentId,
    incidentName: r.incidentName,
    requesterDepotId: r.requesterDepotId,
    requesterName: requesterName(r),
    urgency: r.urgency,
    deliverToName: r.deliverToDepotName ?? r.deliverAddress ?? '',
    neededBy: r.neededBy,
    status: r.status,
    approverDepotId: r.approverDepotId,
    createdAt: r.createdAt,
    lineCount: Number(r.lineCount ?? 0),
  };
}

/** The ids of requests from or for one of these depots (what their keepers see). */
export function requestsOf(db: DbOrTrx, depotIds: readonly number[]) {
  const ids = depotIds.length > 0 ? depotIds : [0];
  return db
    .selectFrom('allocationRequests as t')
    .select('t.requestId')
    .where((eb) => eb.or([eb('t.requesterDepotId', 'in', ids), eb('t.deliverToDepotId', 'in', ids)]));
}

/** Requests, newest first; `awaitingMe`: the caller's queue, most urgent and oldest first. */
export async function listAllocations(
  ctx: ServiceContext,
  actor: Actor,
  input: z.output<typeof allocationListInput>,
): Promise<AllocationSummaryDto[]> {
  let query = summaryQuery(ctx.db).limit(input.limit);
  if (input.status) query = query.where('r.status', '=', input.status);
  if (input.incidentId !== undefined) query = query.where('r.incidentId', '=', input.incidentId);
  if (input.urgency) query = query.where('r.urgency', '=', input.urgency);
  if (input.requesterDepotId !== undefined)
    query = query.where('r.requesterDepotId', '=', input.requesterDepotId);
  if (actor.role === 'keeper') query = query.where('r.requestId', 'in', requestsOf(ctx.db, actor.depotIds));
  const newestFirst = () => query.orderBy('r.requestId', 'desc').execute();
  if (!input.awaitingMe && !input.myJurisdiction) return (await newestFirst()).map(toSummary);
  const jurisdiction = actor.role === 'coordinator' ? await jurisdictionOf(ctx.db, actor) : undefined;
  if (jurisdiction === undefined) return [];
  query = query.where((eb) =>
    jurisdiction === null ? eb('r.approverDepotId', 'is', null) : eb('r.approverDepotId', '=', jurisdiction),
  );
  if (!input.awaitingMe) return (await newestFirst()).map(toSummary);
  // Most urgent first, then oldest: sorted before the limit, so the oldest is never cut off.
  const rows = await query
    .where('r.status', '=', 'submitted')
    .orderBy(sql`case r.urgency when 'extra_urgent' then 0 when 'urgent' then 1 else 2 end`)
    .orderBy('r.createdAt')
    .orderBy('r.requestId')
    .execute();
  return rows.map(toSummary);
}

/** One request as a caller may see it: a keeper only those of (or for) their depots. */
export async function getAllocationFor(
  ctx: ServiceContext,
  actor: Actor,
  requestId: number,
): Promise<AllocationDto> {
  const request = await getAllocation(ctx.db, requestId);
  const theirs = [request.requesterDepotId, request.deliverToDepotId].some(
    (d) => d !== null && actor.depotIds.includes(d),
  );
  if (actor.role === 'keeper' && !theirs) {
    throw requestNotFound(requestId);
  }
  return request;
}

export async function getAllocation(db: DbOrTrx, requestId: number): Promise<AllocationDto> {
  const summary = await summaryQuery(db).where('r.requestId', '=', requestId).executeTakeFirst();
  if (!summary) {
    throw requestNotFound(requestId);
  }
  const request = await db
    .selectFrom('allocationRequests as r')
    .innerJoin('users as u', 'u.userId', 'r.createdBy')
    .select([
      'r.requesterContact',
      'r.requesterPhone',
      'r.deliverToDepotId',
      'r.deliverAddress',
      'r.deliverContact',
      'r.deliverPhone',
      'r.forwardedFromId',
      'r.note',
      'r.createdBy',
      'u.displayName as createdByName',
    ])
    .where('r.requestId', '=', requestId)
    .executeTakeFirstOrThrow();
  const forwardedTo = await db
    .selectFrom('allocationRequests')
    .select(['requestId', 'docNo'])
    .where('forwardedFromId', '=', requestId)
    .executeTakeFirst();
  const forwardedFrom =
    request.forwardedFromId === null
      ? undefined
      : await db
          .selectFrom('allocationRequests')
          .select('docNo')
          .where('requestId', '=', request.forwardedFromId)
          .executeTakeFirst();
  const lines = await db
    .selectFrom('allocationLines as l')
    .innerJoin('materials as m', 'm.materialId', 'l.materialId')
    .select([
      'l.lineId',
      'l.lineNo',
      'l.materialId',
      'm.code as materialCode',
      'm.name as materialName',
      'm.spec',
      'm.unit',
      'l.requested',
      'l.approved',
      'l.purpose',
    ])
    .where('l.requestId', '=', requestId)
    .orderBy('l.lineNo')
    .execute();
  const sources = await db
    .selectFrom('allocationSources as s')
    .innerJoin('allocationLines as l', 'l.lineId', 's.lineId')
    .innerJoin('depots as d', 'd.depotId', 's.depotId')
    .innerJoin('reservations as res', 'res.reservationId', 's.reservationId')
    .leftJoin('deliveryLines as dl', 'dl.sourceId', 's.sourceId')
    .leftJoin('deliveryOrders as o', 'o.deliveryId', 'dl.deliveryId')
    .select([
      's.sourceId',
      's.lineId',
      's.depotId',
      'd.name as depotName',
      's.quantity',
      's.overrideReason',
      'res.status as reservation',
      'o.deliveryId',
      'o.docNo as deliveryDocNo',
    ])
    .where('l.requestId', '=', requestId)
    .orderBy('s.sourceId')
    .execute();
  const events = await db
    .selectFrom('allocationEvents as e')
    .innerJoin('users as u', 'u.userId', 'e.userId')
    .select(['e.at', 'u.displayName as userName', 'e.fromStatus', 'e.toStatus', 'e.comment'])
    .where('e.requestId', '=', requestId)
    .orderBy('e.eventId')
    .execute();
  return {
    ...toSummary(summary),
    ...request,
    forwardedToId: forwardedTo?.requestId ?? null,
    forwardedToDocNo: forwardedTo?.docNo ?? null,
    forwardedFromDocNo: forwardedFrom?.docNo ?? null,
    lines: lines.map((line) => ({
      ...line,
      sources: sources.filter((s) => s.lineId === line.lineId).map(({ lineId: _line, ...s }) => s),
    })),
    events,
  };
}
