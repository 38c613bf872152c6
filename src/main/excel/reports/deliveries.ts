/**
 * 配送跟踪 (delivery tracking): every line of the delivery orders of an incident or a period,
 * with the order's road (from, to, vehicle, driver), its state, and its timers: the request's
 * submission and approval, the planned and real departure and arrival, the hours the decision
 * took, the hours on the road (so far, for an order still on it) and the hours past the planned
 * arrival. Then what was planned, sent and signed for, and any shortfall.
 */
import type { Db } from '../../db/database';
import { OPEN_ORDER_STATUSES, ordersTouching } from '../../services/delivery.service';
import { decisionTimes } from '../../services/request-states';
import type { DeliveryStatus } from '../../../shared/schemas/delivery';
import type { Column, SheetSpec } from '../workbook';
import {
  hoursBetween,
  inPeriod,
  keysetPages,
  MATERIAL_SELECT,
  materialColumns,
  type Lang,
  type MaterialNames,
  type Period,
} from './common';

const PAGE = 1_000;

export interface DeliveryFilter extends Period {
  incidentId?: number;
  /** Orders loading at or bound for this depot. */
  depotId?: number;
  /** A keeper's copy: only the orders loading at or bound for these depots. */
  keeperDepotIds?: readonly number[];
}

const HEADERS = {
  'zh-CN': {
    sheet: '配送跟踪',
    docNo: '配送单号',
    requestDocNo: '申请单号',
    incident: '事件',
    urgency: '紧急程度',
    status: '状态',
    from: '调出库',
    to: '送达地',
    vehicle: '车牌号',
    driver: '驾驶员',
    driverPhone: '驾驶员电话',
    submittedAt: '申请提交',
    approvedAt: '批准时间',
    plannedDeparture: '计划发车',
    dispatchedAt: '实际发车',
    plannedArrival: '计划到达',
    receivedAt: '签收时间',
    decisionHours: '审批用时（小时）',
    roadHours: '在途用时（小时）',
    lateHours: '超时（小时）',
    planned: '计划数量',
    sent: '实发数量',
    received: '实收数量',
    shortfall: '短少 / 破损',
  },
  en: {
    sheet: 'Deliveries',
    docNo: 'Delivery order',
    requestDocNo: 'Request',
    incident: 'Incident',
    urgency: 'Urgency',
    status: 'Status',
    from: 'From depot',
    to: 'Deliver to',
    vehicle: 'Vehicle',
    driver: 'Driver',
    driverPhone: 'Driver phone',
    submittedAt: 'Submitted',
    approvedAt: 'Approved',
    plannedDeparture: 'Planned departure',
    dispatchedAt: 'Departed',
    plannedArrival: 'Planned arrival',
    receivedAt: 'Signed for',
    decisionHours: 'Decision (hours)',
    roadHours: 'On the road (hours)',
    lateHours: 'Late (hours)',
    planned: 'Planned',
    sent: 'Sent',
    received: 'Received',
    shortfall: 'Missing / damaged',
  },
};

interface DeliveryRow extends MaterialNames {
  lineId: number;
  docNo: string;
  requestId: number;
  requestDocNo: string;
  incidentName: string | null;
  urgency: string;
  status: DeliveryStatus;
  fromDepot: string;
  deliverToDepot: string | null;
  deliverAddress: string | null;
  vehiclePlate: string;
  driverName: string;
  driverPhone: string;
  plannedDeparture: string;
  dispatchedAt: string | null;
  plannedArrival: string;
  receivedAt: string | null;
  planned: number;
  sent: number | null;
  received: number | null;
  missing: number;
  damaged: number;
  submittedAt: string | null;
  approvedAt: string | null;
}

function page(db: Db, filter: DeliveryFilter, after: number | null) {
  let query = db
    .selectFrom('deliveryLines as dl')
    .innerJoin('deliveryOrders as o', 'o.deliveryId', 'dl.deliveryId')
    .innerJoin('allocationRequests as r', 'r.requestId', 'o.requestId')
    .innerJoin('materials as m', 'm.materialId', 'dl.materialId')
    .innerJoin('depots as fd', 'fd.depotId', 'dl.depotId')
    .leftJoin('depots as td', 'td.depotId', 'o.deliverToDepotId')
    .leftJoin('incidents as i', 'i.incidentId', 'o.incidentId')
    .select((eb) => {
      const short = (kind: 'missing' | 'damaged') =>
        eb
          .selectFrom('deliveryItems as si')
          .select((e) => [
            e.fn.sum<number | string | null>(e('si.quantity', '-', e.ref('si.received'))).as('n'),
          ])
          .whereRef('si.lineId', '=', 'dl.lineId')
          .where('si.shortfallKind', '=', kind);
      return [
        'dl.lineId',
        'o.docNo',
        'o.requestId',
        'r.docNo as requestDocNo',
        'i.name as incidentName',
        'r.urgency',
        'o.status',
        'fd.name as fromDepot',
        'td.name as deliverToDepot',
        'o.deliverAddress',
        'o.vehiclePlate',
        'o.driverName',
        'o.driverPhone',
        'o.plannedDeparture',
        'o.dispatchedAt',
        'o.plannedArrival',
        'o.receivedAt',
        ...MATERIAL_SELECT,
        'dl.quantity as planned',
        eb
          .selectFrom('deliveryItems as it')
          .select((e) => [e.fn.sum<number | string | null>('it.quantity').as('n')])
          .whereRef('it.lineId', '=', 'dl.lineId')
          .as('sent'),
        eb
          .selectFrom('deliveryItems as it')
          .select((e) => [e.fn.sum<number | string | null>('it.received').as('n')])
          .whereRef('it.lineId', '=', 'dl.lineId')
          .as('received'),
        short('missing').as('missing'),
        short('damaged').as('damaged'),
      ];
    })
    .where('dl.lineId', '>', after ?? 0)
    .where(inPeriod('o.createdAt', filter))
    .orderBy('dl.lineId')
    .limit(PAGE);
  if (filter.incidentId !== undefined) query = query.where('o.incidentId', '=', filter.incidentId);
  if (filter.keeperDepotIds)
    query = query.where('o.deliveryId', 'in', ordersTouching(db, filter.keeperDepotIds));
  if (filter.depotId !== undefined) {
    const depotId = filter.depotId;
    query = query.where((eb) =>
      eb.or([eb('dl.depotId', '=', depotId), eb('o.deliverToDepotId', '=', depotId)]),
    );
  }
  return query.execute();
}

async function withTimers(db: Db, rows: Awaited<ReturnType<typeof page>>): Promise<DeliveryRow[]> {
  const times = await decisionTimes(
    db,
    rows.map((r) => r.requestId),
  );
  const count = (v: number | string | null) => (v === null ? null : Number(v));
  return rows.map((r) => ({
    ...r,
    sent: count(r.sent),
    received: count(r.received),
    missing: Number(r.missing ?? 0),
    damaged: Number(r.damaged ?? 0),
    submittedAt: times.get(r.requestId)?.submittedAt ?? null,
    approvedAt: times.get(r.requestId)?.approvedAt ?? null,
  }));
}

export function deliverySheets(
  db: Db,
  lang: Lang,
  filter: DeliveryFilter,
  term: (prefix: string) => (value: string) => string,
  now: Date,
): SheetSpec<DeliveryRow>[] {
  const h = HEADERS[lang];
  const urgency = term('urgency');
  const status = term('delivery.status');
  const shortfall = term('delivery.shortfall');
  const nowIso = now.toISOString();
  const open = (r: DeliveryRow) => OPEN_ORDER_STATUSES.includes(r.status);
  const columns: Column<DeliveryRow>[] = [
    { header: h.docNo, kind: 'text', value: (r) => r.docNo },
    { header: h.requestDocNo, kind: 'text', value: (r) => r.requestDocNo },
    { header: h.incident, kind: 'text', value: (r) => r.incidentName },
    { header: h.urgency, kind: 'text', value: (r) => urgency(r.urgency) },
    { header: h.status, kind: 'text', value: (r) => status(r.status) },
    { header: h.from, kind: 'text', value: (r) => r.fromDepot },
    { header: h.to, kind: 'text', value: (r) => r.deliverToDepot ?? r.deliverAddress },
    { header: h.vehicle, kind: 'text', value: (r) => r.vehiclePlate },
    { header: h.driver, kind: 'text', value: (r) => r.driverName },
    { header: h.driverPhone, kind: 'text', value: (r) => r.driverPhone },
    { header: h.submittedAt, kind: 'time', value: (r) => r.submittedAt },
    { header: h.approvedAt, kind: 'time', value: (r) => r.approvedAt },
    { header: h.plannedDeparture, kind: 'time', value: (r) => r.plannedDeparture },
    { header: h.dispatchedAt, kind: 'time', value: (r) => r.dispatchedAt },
    { header: h.plannedArrival, kind: 'time', value: (r) => r.plannedArrival },
    { header: h.receivedAt, kind: 'time', value: (r) => r.receivedAt },
    { header: h.decisionHours, kind: 'hours', value: (r) => hoursBetween(r.submittedAt, r.approvedAt) },
    {
      header: h.roadHours,
      kind: 'hours',
      value: (r) => hoursBetween(r.dispatchedAt, r.receivedAt ?? (r.status === 'dispatched' ? nowIso : null)),
    },
    {
      header: h.lateHours,
      kind: 'hours',
      value: (r) => {
        const late = hoursBetween(r.plannedArrival, r.receivedAt ?? (open(r) ? nowIso : null));
        return late !== null && late > 0 ? late : null;
      },
    },
    ...materialColumns<DeliveryRow>(lang),
    { header: h.planned, kind: 'quantity', value: (r) => r.planned },
    { header: h.sent, kind: 'quantity', value: (r) => r.sent },
    { header: h.received, kind: 'quantity', value: (r) => r.received },
    {
      header: h.shortfall,
      kind: 'text',
      value: (r) =>
        [
          r.missing > 0 && `${shortfall('missing')} ${r.missing}`,
          r.damaged > 0 && `${shortfall('damaged')} ${r.damaged}`,
        ]
          .filter(Boolean)
          .join('；') || null,
    },
  ];
  return [
    {
      name: h.sheet,
      title: h.sheet,
      columns,
      rows: keysetPages(
        PAGE,
        async (after: number | null) => withTimers(db, await page(db, filter, after)),
        (r) => r.lineId,
      ),
    },
  ];
}
