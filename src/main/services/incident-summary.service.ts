/**
 * An incident's page (issue 9 §1, §4): per material, what was requested, approved, dispatched,
 * delivered (and short), is on the road, came back and was consumed; its requests and orders by
 * state; and the three timers (request → approval, approval → dispatch, dispatch → delivery)
 * as median and worst over its orders.
 */
import type { z } from 'zod';
import type { incidentSummaryOutput, RequestStatus, TimerSpan } from '../../shared/schemas/allocation';
import type { DbOrTrx } from '../db/database';
import type { ServiceContext } from './context';
import { getIncident } from './incident.service';
import { decisionTimes } from './request-states';

/** Requests whose approval still counts (a cancelled one gave nothing back to count). */
const DECIDED: RequestStatus[] = ['approved', 'partly_approved', 'dispatching', 'completed'];

function span(seconds: number[]): TimerSpan {
  if (seconds.length === 0) return { count: 0, medianSeconds: null, worstSeconds: null };
  const sorted = [...seconds].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { count: sorted.length, medianSeconds: Math.round(median), worstSeconds: sorted.at(-1)! };
}

const between = (from: string | null | undefined, to: string | null | undefined) =>
  from && to ? Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000) : null;

type Figures = Omit<
  z.output<typeof incidentSummaryOutput>['materials'][number],
  'materialId' | 'code' | 'name' | 'spec' | 'unit'
>;
const ZERO: Figures = {
  requested: 0,
  approved: 0,
  dispatched: 0,
  delivered: 0,
  shortfall: 0,
  inTransit: 0,
  returned: 0,
  consumed: 0,
};

async function materialFigures(db: DbOrTrx, incidentId: number): Promise<Map<number, Figures>> {
  const figures = new Map<number, Figures>();
  const add = (materialId: number, field: keyof Figures, value: unknown) => {
    const entry = figures.get(materialId) ?? { ...ZERO };
    entry[field] += Number(value ?? 0);
    figures.set(materialId, entry);
  };
  // What was asked for once: a forwarded remainder repeats part of its parent's line.
  const asked = await db
    .selectFrom('allocationLines as l')
    .innerJoin('allocationRequests as r', 'r.requestId', 'l.requestId')
    .select((eb) => ['l.materialId', eb.fn.sum<number | string>('l.requested').as('n')])
    .where('r.incidentId', '=', incidentId)
    .where('r.status', 'not in', ['draft', 'cancelled'])
    .where('r.forwardedFromId', 'is', null)
    .groupBy('l.materialId')
    .execute();
  for (const row of asked) add(row.materialId, 'requested', row.n);
  const approved = await db
    .selectFrom('allocationLines as l')
    .innerJoin('allocationRequests as r', 'r.requestId', 'l.requestId')
    .select((eb) => ['l.materialId', eb.fn.sum<number | string>('l.approved').as('n')])
    .where('r.incidentId', '=', incidentId)
    .where('r.status', 'in', DECIDED)
    .groupBy('l.materialId')
    .execute();
  for (const row of approved) add(row.materialId, 'approved', row.n);
  const carried = await db
    .selectFrom('deliveryItems as it')
    .innerJoin('deliveryLines as dl', 'dl.lineId', 'it.lineId')
    .innerJoin('deliveryOrders as o', 'o.deliveryId', 'dl.deliveryId')
    .select((eb) => [
      'dl.materialId',
      eb.fn.sum<number | string>('it.quantity').as('dispatched'),
      eb.fn.sum<number | string>('it.received').as('delivered'),
      eb.fn
        .sum<number | string>(
          eb
            .case()
            .when('it.received', 'is not', null)
            .then(eb('it.quantity', '-', eb.ref('it.received')))
            .else(0)
            .end(),
        )
        .as('shortfall'),
      eb.fn
        .sum<number | string>(
          eb.case().when('o.status', '=', 'dispatched').then(eb.ref('it.quantity')).else(0).end(),
        )
        .as('inTransit'),
      eb.fn.sum<number | string>('it.returned').as('returned'),
      eb.fn.sum<number | string>('it.writtenOff').as('consumed'),
    ])
    .where('o.incidentId', '=', incidentId)
    .groupBy('dl.materialId')
    .execute();
  for (const row of carried)
    for (const field of [
      'dispatched',
      'delivered',
      'shortfall',
      'inTransit',
      'returned',
      'consumed',
    ] as const)
      add(row.materialId, field, row[field]);
  return figures;
}

export async function incidentSummary(
  ctx: ServiceContext,
  incidentId: number,
): Promise<z.output<typeof incidentSummaryOutput>> {
  const db = ctx.db;
  const incident = await getIncident(db, incidentId);
  const figures = await materialFigures(db, incidentId);
  const materials =
    figures.size === 0
      ? []
      : await db
          .selectFrom('materials')
          .select(['materialId', 'code', 'name', 'spec', 'unit'])
          .where('materialId', 'in', [...figures.keys()])
          .orderBy('code')
          .execute();

  const requests = await db
    .selectFrom('allocationRequests')
    .select(['requestId', 'status'])
    .where('incidentId', '=', incidentId)
    .execute();
  const times = await decisionTimes(
    db,
    requests.map((r) => r.requestId),
  );
  const submittedAt = (id: number) => times.get(id)?.submittedAt;
  const approvedAt = (id: number) => times.get(id)?.approvedAt;
  const orders = await db
    .selectFrom('deliveryOrders')
    .select(['requestId', 'status', 'plannedArrival', 'dispatchedAt', 'receivedAt'])
    .where('incidentId', '=', incidentId)
    .execute();
  const now = ctx.clock.now().toISOString();

  const count = <T extends string>(states: T[]) => {
    const out: Partial<Record<T, number>> = {};
    for (const s of states) out[s] = (out[s] ?? 0) + 1;
    return out;
  };
  const seconds = (values: (number | null)[]) => values.filter((v): v is number => v !== null);
  return {
    incident,
    materials: materials.map((m) => ({ ...m, ...(figures.get(m.materialId) ?? ZERO) })),
    requestsByStatus: count(requests.map((r) => r.status)),
    deliveriesByStatus: count(orders.map((o) => o.status)),
    overdue: orders.filter(
      (o) => (o.status === 'planned' || o.status === 'dispatched') && o.plannedArrival < now,
    ).length,
    timers: {
      toApproval: span(
        seconds(requests.map((r) => between(submittedAt(r.requestId), approvedAt(r.requestId)))),
      ),
      toDispatch: span(seconds(orders.map((o) => between(approvedAt(o.requestId), o.dispatchedAt)))),
      toDelivery: span(seconds(orders.map((o) => between(o.dispatchedAt, o.receivedAt)))),
    },
  };
}
