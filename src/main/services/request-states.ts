/**
 * The life of an allocation request: which state may follow which, and every change recorded as
 * an event (who, when, from, to, comment) that the request's timeline shows.
 */
import { AppError } from '../../shared/rpc';
import type { RequestStatus } from '../../shared/schemas/allocation';
import type { DbOrTrx, Trx } from '../db/database';
import type { Actor, ServiceContext } from './context';

export const TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  draft: ['submitted', 'cancelled'],
  submitted: ['approved', 'partly_approved', 'forwarded', 'rejected', 'cancelled'],
  forwarded: ['cancelled'],
  approved: ['dispatching', 'cancelled'],
  partly_approved: ['dispatching', 'cancelled'],
  rejected: [],
  dispatching: ['completed'],
  completed: [],
  cancelled: [],
};

export function requestNotFound(requestId: number): AppError {
  const params = { id: String(requestId) };
  return new AppError('NOT_FOUND', 'allocation.notFound', params, [
    { path: 'requestId', key: 'allocation.notFound', params },
  ]);
}

export async function lockedRequest(ctx: ServiceContext, trx: Trx, requestId: number) {
  const row = await ctx.dialect
    .forUpdate(trx.selectFrom('allocationRequests').selectAll().where('requestId', '=', requestId))
    .executeTakeFirst();
  if (!row) {
    throw requestNotFound(requestId);
  }
  return row;
}

/** CONFLICT naming both states when the request's state does not allow the step. */
export function assertCanMove(request: { docNo: string; status: RequestStatus }, to: RequestStatus): void {
  if (!TRANSITIONS[request.status].includes(to))
    throw new AppError('CONFLICT', 'allocation.badTransition', {
      docNo: request.docNo,
      from: `allocation.status.${request.status}`,
      to: `allocation.status.${to}`,
    });
}

/** Moves a request to `to` (CONFLICT when its state does not allow it) and records the event. */
export async function moveTo(
  trx: Trx,
  request: { requestId: number; docNo: string; status: RequestStatus },
  to: RequestStatus,
  actor: Actor,
  at: string,
  comment: string | null | undefined,
): Promise<void> {
  assertCanMove(request, to);
  await trx
    .updateTable('allocationRequests')
    .set({ status: to, updatedAt: at })
    .where('requestId', '=', request.requestId)
    .execute();
  await recordEvent(trx, request.requestId, request.status, to, actor, at, comment);
}

/** One line of a request's timeline: who moved it from which state to which, when, and why. */
export async function recordEvent(
  trx: Trx,
  requestId: number,
  from: RequestStatus | null,
  to: RequestStatus,
  actor: Actor,
  at: string,
  comment: string | null | undefined,
): Promise<void> {
  await trx
    .insertInto('allocationEvents')
    .values({ requestId, at, userId: actor.userId, fromStatus: from, toStatus: to, comment: comment ?? null })
    .execute();
}

export interface DecisionTimes {
  /** The request's first submission. */
  submittedAt: string | null;
  /** Its first decision that gave anything (approved or partly approved). */
  approvedAt: string | null;
}

/** Ids per IN-list, well inside both stores' parameter limits. */
const IN_LIST = 500;

/** When each request was first submitted and first approved: the ends of its "request → approval" timer. */
export async function decisionTimes(
  db: DbOrTrx,
  requestIds: readonly number[],
): Promise<Map<number, DecisionTimes>> {
  const times = new Map<number, DecisionTimes>();
  const ids = [...new Set(requestIds)];
  for (let i = 0; i < ids.length; i += IN_LIST) {
    const events = await db
      .selectFrom('allocationEvents')
      .select((eb) => ['requestId', 'toStatus', eb.fn.min('at').as('at')])
      .where('requestId', 'in', ids.slice(i, i + IN_LIST))
      .where('toStatus', 'in', ['submitted', 'approved', 'partly_approved'])
      .groupBy(['requestId', 'toStatus'])
      .execute();
    for (const e of events) {
      const entry = times.get(e.requestId) ?? { submittedAt: null, approvedAt: null };
      if (e.toStatus === 'submitted') entry.submittedAt = e.at;
      else if (entry.approvedAt === null || e.at < entry.approvedAt) entry.approvedAt = e.at;
      times.set(e.requestId, entry);
    }
  }
  return times;
}
