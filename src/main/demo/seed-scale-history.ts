/**
 * The --scale data set's allocation history: incidents over the last months, each with
 * requests from outside units approved from the city depot, carried on delivery orders,
 * dispatched, signed for and settled when the incident closes (what was not returned written
 * off). Every step goes through the services, as the screens do, so the ledger, reservations and
 * audit chain hold; the benchmarks then measure approvals, dispatches and boards against a
 * database that already has such a history.
 */
import { sql } from 'kysely';
import {
  allocationApproveInput,
  allocationCreateInput,
  incidentCloseInput,
  incidentCreateInput,
} from '../../shared/schemas/allocation';
import { deliveryCreateInput, deliveryDeliverInput } from '../../shared/schemas/delivery';
import { addDays, localDate } from '../../shared/dates';
import { approveAllocation, createAllocation } from '../services/allocation.service';
import { FixedClock, type Actor, type ServiceContext } from '../services/context';
import { createDelivery, deliverDelivery, dispatchDelivery } from '../services/delivery.service';
import { closeIncident, createIncident } from '../services/incident.service';
import { Random } from './random';

export interface HistorySize {
  incidents: number;
  requestsPerIncident: number;
  linesPerRequest: number;
}

export interface ScaleHistory {
  incidents: number;
  requests: number;
  orders: number;
}

const TYPES = ['typhoon', 'flood', 'rainstorm', 'geological', 'fire', 'other'] as const;
const NAMES: Record<(typeof TYPES)[number], string> = {
  typhoon: '台风',
  flood: '洪涝',
  rainstorm: '暴雨',
  geological: '地质灾害',
  fire: '火灾',
  other: '突发事件',
};

export async function seedScaleHistory(
  svc: ServiceContext,
  coordinator: Actor,
  options: { now: Date } & HistorySize,
): Promise<ScaleHistory> {
  const clock = new FixedClock(options.now);
  const ctx: ServiceContext = { ...svc, clock };
  const rnd = new Random(2026);
  const today = localDate(options.now);
  const at = (date: string, time: string) => {
    clock.current = new Date(`${date}T${time}:00+08:00`);
    return clock.current.toISOString();
  };
  const { depotId: city } = await svc.db
    .selectFrom('depots')
    .select('depotId')
    .where('level', '=', 'city')
    .orderBy('depotId')
    .executeTakeFirstOrThrow();
  // Goods that never expire, well stocked at the city depot: every history dispatch can be met.
  const stocked = await svc.db
    .selectFrom('stockLevels as sl')
    .select('sl.materialId')
    .where('sl.depotId', '=', city)
    // Enough for a line of every request at most.
    .where((eb) =>
      eb(
        eb('sl.onHand', '-', eb.ref('sl.reserved')),
        '>',
        5 * options.incidents * options.requestsPerIncident,
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('batches as b')
            .select(sql`1`.as('one'))
            .whereRef('b.materialId', '=', 'sl.materialId')
            .where('b.depotId', '=', city)
            .where('b.expiresOn', 'is not', null),
        ),
      ),
    )
    .orderBy('sl.materialId')
    .limit(200)
    .execute();
  const materials = stocked.map((r) => r.materialId);
  const history: ScaleHistory = { incidents: 0, requests: 0, orders: 0 };
  if (materials.length < options.linesPerRequest) return history;

  for (let k = 0; k < options.incidents; k += 1) {
    // Spread over the last months, oldest first, each lasting two days.
    const day = addDays(today, -7 * (options.incidents - k) - 3);
    const type = TYPES[k % TYPES.length]!;
    at(day, '06:30');
    const incident = await createIncident(
      ctx,
      coordinator,
      incidentCreateInput.parse({
        type,
        name: `${NAMES[type]}演练 ${k + 1}`,
        responseLevel: 1 + (k % 4),
        startedAt: clock.current.toISOString(),
        areaDepotIds: [city],
      }),
    );
    history.incidents += 1;
    for (let r = 0; r < options.requestsPerIncident; r += 1) {
      const unit = { name: `安置点 ${k + 1}-${r + 1}`, contact: '值班员', phone: '13900001111' };
      at(day, `${String(8 + (r % 8)).padStart(2, '0')}:10`);
      const picked = new Set<number>();
      while (picked.size < options.linesPerRequest) picked.add(materials[rnd.int(0, materials.length - 1)]!);
      const request = await createAllocation(
        ctx,
        coordinator,
        allocationCreateInput.parse({
          incidentId: incident.incidentId,
          requesterUnit: unit,
          urgency: r % 3 === 0 ? 'extra_urgent' : 'urgent',
          deliverTo: { address: `${unit.name}（演练）`, contact: unit.contact, phone: unit.phone },
          neededBy: at(day, '20:00'),
          lines: [...picked].map((materialId) => ({ materialId, quantity: rnd.int(1, 5) })),
          submit: true,
        }),
      );
      at(day, `${String(8 + (r % 8)).padStart(2, '0')}:40`);
      const approved = await approveAllocation(
        ctx,
        coordinator,
        allocationApproveInput.parse({
          requestId: request.requestId,
          lines: request.lines.map((l) => ({
            lineId: l.lineId,
            sources: [{ depotId: city, quantity: l.requested, overrideReason: '演练' }],
          })),
        }),
      );
      const departure = at(day, `${String(9 + (r % 8)).padStart(2, '0')}:00`);
      const order = await createDelivery(
        ctx,
        coordinator,
        deliveryCreateInput.parse({
          requestId: request.requestId,
          sourceIds: approved.lines.flatMap((l) => l.sources.map((s) => s.sourceId)),
          vehiclePlate: '鲁B12345',
          driverName: '演练司机',
          driverPhone: '13812345678',
          plannedDeparture: departure,
          plannedArrival: new Date(clock.current.getTime() + 3 * 3_600_000).toISOString(),
        }),
      );
      await dispatchDelivery(ctx, coordinator, { deliveryId: order.deliveryId });
      const received = at(day, `${String(11 + (r % 8)).padStart(2, '0')}:30`);
      await deliverDelivery(
        ctx,
        coordinator,
        deliveryDeliverInput.parse({
          deliveryId: order.deliveryId,
          receiverName: unit.contact,
          receivedAt: received,
          items: [],
        }),
      );
      history.requests += 1;
      history.orders += 1;
    }
    at(addDays(day, 2), '18:00');
    await closeIncident(
      ctx,
      coordinator,
      incidentCloseInput.parse({
        incidentId: incident.incidentId,
        note: '响应结束',
        writeOffReason: '安置点已使用',
      }),
    );
  }
  return history;
}
