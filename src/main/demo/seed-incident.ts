/**
 * The demo's typhoon: the last days of the history as coordinators lived them. An incident;
 * 崂山区 asks for tents and life jackets, approved from the proposed sources, carried, signed for
 * with two tents damaged; an outside unit's shelter gets quilts and beds, part of the beds
 * come back; 胶州市's request waits in the coordinator's queue; 黄岛区's goods are on the road
 * (one order late) or waiting to leave. Every step goes through the services, as the screens do.
 */
import {
  allocationApproveInput,
  allocationCreateInput,
  incidentCreateInput,
} from '../../shared/schemas/allocation';
import {
  deliveryCreateInput,
  deliveryDeliverInput,
  deliveryStepInput,
  deliveryUpdateInput,
  recoveryReturnInput,
} from '../../shared/schemas/delivery';
import type { AllocationDto } from '../../shared/schemas/allocation';
import { approveAllocation, createAllocation, suggestSources } from '../services/allocation.service';
import type { Actor, ServiceContext } from '../services/context';
import {
  createDelivery,
  deliverDelivery,
  dispatchDelivery,
  returnRecovered,
  updateDelivery,
} from '../services/delivery.service';
import { createIncident } from '../services/incident.service';

interface Scene {
  ctx: ServiceContext;
  /** Moves the clock to a local time on day `n` of the history. */
  at: (day: number, time: string) => void;
  /** The local date of day `n`. */
  dayDate: (day: number) => string;
  /** The day of the history that is today. */
  today: number;
  now: Date;
  coordinator: Actor;
  keeper: Actor;
  depots: { laoshan: number; jiaozhou: number; huangdao: number; shinan: number };
  materials: Record<'tent' | 'jacket' | 'quilt' | 'bed' | 'bag' | 'spade' | 'raincoat' | 'lamp', number>;
}

const VEHICLES = [
  { vehiclePlate: '鲁B·D12345', driverName: '王建国', driverPhone: '13805321234', escortName: '刘洋' },
  { vehiclePlate: '鲁B·3F7K2', driverName: '孙海涛', driverPhone: '13953286677', escortName: '周敏' },
  { vehiclePlate: '鲁B·5678应急', driverName: '陈立', driverPhone: '18661810023', escortName: null },
  { vehiclePlate: '鲁U·A8866', driverName: '马骏', driverPhone: '15965321188', escortName: '高峰' },
];

export async function seedIncident(s: Scene): Promise<void> {
  const { ctx, at, coordinator, keeper } = s;
  const day = s.today - 3;
  let vehicle = 0;
  const iso = (d: number, time: string) => new Date(`${s.dayDate(d)}T${time}:00+08:00`).toISOString();

  at(day, '07:40');
  const incident = await createIncident(
    ctx,
    coordinator,
    incidentCreateInput.parse({
      type: 'typhoon',
      name: '台风“海葵”',
      responseLevel: 2,
      startedAt: iso(day, '06:00'),
      areaDepotIds: [s.depots.laoshan, s.depots.shinan, s.depots.huangdao],
      note: '市防指启动防台风Ⅱ级应急响应',
    }),
  );

  /** Files and submits a request, and approves it from the proposed sources (overriding no quota). */
  const request = async (
    actor: Actor,
    input: Record<string, unknown>,
    approve: { day: number; time: string; comment: string } | null,
  ): Promise<AllocationDto> => {
    const filed = await createAllocation(
      ctx,
      actor,
      allocationCreateInput.parse({ incidentId: incident.incidentId, submit: true, ...input }),
    );
    if (!approve) return filed;
    at(approve.day, approve.time);
    const proposals = await suggestSources(ctx, coordinator, filed.requestId);
    return approveAllocation(
      ctx,
      coordinator,
      allocationApproveInput.parse({
        requestId: filed.requestId,
        comment: approve.comment,
        lines: proposals.map((p) => ({
          lineId: p.lineId,
          sources: p.depots
            .filter((d) => d.proposed > 0)
            .map((d) => ({ depotId: d.depotId, quantity: d.proposed })),
        })),
      }),
    );
  };
  /** One order per source depot, with the next vehicle; departure and arrival as given. */
  const plan = async (approved: AllocationDto, departure: string, arrival: string) => {
    const byDepot = new Map<number, number[]>();
    for (const line of approved.lines)
      for (const source of line.sources)
        byDepot.set(source.depotId, [...(byDepot.get(source.depotId) ?? []), source.sourceId]);
    const orders = [];
    for (const sourceIds of byDepot.values()) {
      const { escortName, ...car } = VEHICLES[vehicle++ % VEHICLES.length]!;
      orders.push(
        await createDelivery(
          ctx,
          coordinator,
          deliveryCreateInput.parse({
            requestId: approved.requestId,
            sourceIds,
            ...car,
            ...(escortName ? { escortName } : {}),
            plannedDeparture: departure,
            plannedArrival: arrival,
          }),
        ),
      );
    }
    return orders;
  };
  /** The keeper loads what leaves his depots; the coordinator dispatches the rest. */
  const dispatch = (deliveryId: number, depotIds: number[]) =>
    dispatchDelivery(
      ctx,
      depotIds.every((d) => keeper.depotIds.includes(d)) ? keeper : coordinator,
      deliveryStepInput.parse({ deliveryId }),
    );

  // 崂山区 asks for tents and life jackets for its coastal villages; carried the same day.
  at(day, '08:30');
  const laoshan = await request(
    keeper,
    {
      requesterDepotId: s.depots.laoshan,
      urgency: 'extra_urgent',
      deliverToDepotId: s.depots.laoshan,
      neededBy: iso(day, '16:00'),
      lines: [
        { materialId: s.materials.tent, quantity: 40, purpose: '沿海村居转移群众临时安置' },
        { materialId: s.materials.jacket, quantity: 200, purpose: '渔船回港人员防护' },
      ],
      note: '台风预计今夜登陆，请尽快调拨',
    },
    { day, time: '09:10', comment: '同意，按建议来源调拨' },
  );
  at(day, '09:30');
  for (const order of await plan(laoshan, iso(day, '10:00'), iso(day, '12:30'))) {
    at(day, '10:05');
    const sent = await dispatch(order.deliveryId, order.sourceDepotIds);
    at(day, '12:50');
    const tents = sent.lines.find((l) => l.materialId === s.materials.tent)?.items[0];
    await deliverDelivery(
      ctx,
      sent.deliverToDepotId !== null && keeper.depotIds.includes(sent.deliverToDepotId)
        ? keeper
        : coordinator,
      deliveryDeliverInput.parse({
        deliveryId: sent.deliveryId,
        receiverName: '李强',
        receivedAt: iso(day, '12:40'),
        items:
          tents && tents.quantity > 2
            ? [
                {
                  itemId: tents.itemId,
                  received: tents.quantity - 2,
                  shortfallKind: 'damaged',
                  reason: '途中雨淋，2 顶篷布撕裂',
                },
              ]
            : [],
      }),
    );
  }

  // A shelter the street office runs: quilts and folding beds, signed for on paper.
  at(day + 1, '08:00');
  const shelter = await request(
    coordinator,
    {
      requesterUnit: { name: '沙子口街道办事处', contact: '赵海燕', phone: '0532-88812345' },
      urgency: 'urgent',
      deliverTo: {
        address: '沙子口街道临时安置点（沙子口小学体育馆）',
        contact: '赵海燕',
        phone: '13705329876',
      },
      neededBy: iso(day + 1, '18:00'),
      lines: [
        { materialId: s.materials.quilt, quantity: 300, purpose: '安置群众过夜' },
        { materialId: s.materials.bed, quantity: 120, purpose: '安置群众过夜' },
      ],
    },
    { day: day + 1, time: '08:40', comment: '同意' },
  );
  at(day + 1, '09:00');
  for (const order of await plan(shelter, iso(day + 1, '09:30'), iso(day + 1, '12:00'))) {
    at(day + 1, '09:35');
    const sent = await dispatch(order.deliveryId, order.sourceDepotIds);
    at(day + 1, '12:20');
    const delivered = await deliverDelivery(
      ctx,
      coordinator,
      deliveryDeliverInput.parse({
        deliveryId: sent.deliveryId,
        receiverName: '赵海燕',
        receivedAt: iso(day + 1, '12:10'),
      }),
    );
    // The typhoon has passed: the school needs its gym back, most beds come home.
    const beds = delivered.lines.find((l) => l.materialId === s.materials.bed)?.items[0];
    if (beds && beds.quantity >= 10) {
      at(day + 2, '16:00');
      await returnRecovered(
        ctx,
        coordinator,
        recoveryReturnInput.parse({
          deliveryId: delivered.deliveryId,
          depotId: s.depots.laoshan,
          lines: [{ itemId: beds.itemId, quantity: beds.quantity - Math.floor(beds.quantity / 10) }],
          note: '安置点撤除，折叠床回收',
        }),
      );
    }
  }

  // 胶州市 asks for flood-fighting supplies: waiting in the coordinator's queue.
  at(day + 2, '09:00');
  await request(
    coordinator,
    {
      requesterDepotId: s.depots.jiaozhou,
      urgency: 'urgent',
      deliverToDepotId: s.depots.jiaozhou,
      neededBy: iso(day + 3, '12:00'),
      lines: [
        { materialId: s.materials.bag, quantity: 5_000, purpose: '大沽河堤防加固' },
        { materialId: s.materials.spade, quantity: 200, purpose: '大沽河堤防加固' },
      ],
      note: '河道水位持续上涨',
    },
    null,
  );

  // 黄岛区: raincoats and lamps, one order late on the road, the others leave later today.
  at(day + 2, '10:00');
  const huangdao = await request(
    coordinator,
    {
      requesterDepotId: s.depots.huangdao,
      urgency: 'extra_urgent',
      deliverToDepotId: s.depots.huangdao,
      neededBy: iso(day + 2, '18:00'),
      lines: [
        { materialId: s.materials.raincoat, quantity: 150, purpose: '抢险队伍' },
        { materialId: s.materials.lamp, quantity: 60, purpose: '夜间抢险照明' },
      ],
    },
    { day: day + 2, time: '10:30', comment: '同意，尽快发车' },
  );
  at(day + 2, '10:45');
  const later = new Date(s.now.getTime() + 2 * 3_600_000).toISOString();
  const [first, ...rest] = await plan(huangdao, iso(day + 2, '11:00'), iso(day + 2, '14:00'));
  if (first) {
    at(day + 2, '11:10');
    await dispatch(first.deliveryId, first.sourceDepotIds);
  }
  for (const order of rest) {
    at(day + 2, '11:20');
    // Re-planned: leaves in the hours ahead.
    await updateDelivery(
      ctx,
      coordinator,
      deliveryUpdateInput.parse({
        deliveryId: order.deliveryId,
        plannedDeparture: new Date(s.now.getTime() + 3_600_000).toISOString(),
        plannedArrival: later,
      }),
    );
  }
}
