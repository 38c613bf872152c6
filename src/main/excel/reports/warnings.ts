/**
 * 预警清单 (warnings): as of the export, the lots expired or within their material's warning
 * window, the depots under a reserve quota, and the delivery orders past their planned arrival
 * (still waiting to leave, or still on the road). The same warnings the screens show.
 */
import { OPEN_ORDER_STATUSES, ordersTouching } from '../../services/delivery.service';
import { listBelowQuota, listExpiring } from '../../services/stock-warnings.service';
import type { ServiceContext } from '../../services/context';
import type { AnySheet, Column, SheetSpec } from '../workbook';
import {
  depotColumns,
  hoursBetween,
  MATERIAL_SELECT,
  materialColumns,
  type Lang,
  type MaterialNames,
} from './common';

export interface WarningFilter {
  depotId?: number;
  /** A keeper's copy: only the late orders loading at or bound for these depots. */
  keeperDepotIds?: readonly number[];
}

const HEADERS = {
  'zh-CN': {
    stock: '库存预警',
    late: '超时配送',
    kind: '预警类型',
    expired: '已过期',
    expiring: '临期',
    belowQuota: '低于储备定额',
    lotNo: '批号',
    expiresOn: '有效期至',
    daysLeft: '剩余天数',
    quantity: '数量（批次结存或可用）',
    quota: '储备定额',
    shortBy: '缺口',
    docNo: '配送单号',
    requestDocNo: '申请单号',
    incident: '事件',
    status: '状态',
    from: '调出库',
    to: '送达地',
    vehicle: '车牌号',
    driver: '驾驶员',
    driverPhone: '驾驶员电话',
    plannedArrival: '计划到达',
    lateHours: '超时（小时）',
  },
  en: {
    stock: 'Stock warnings',
    late: 'Late deliveries',
    kind: 'Warning',
    expired: 'Expired',
    expiring: 'Expiring',
    belowQuota: 'Below quota',
    lotNo: 'Lot',
    expiresOn: 'Expires on',
    daysLeft: 'Days left',
    quantity: 'Quantity (lot, or available)',
    quota: 'Quota',
    shortBy: 'Short by',
    docNo: 'Delivery order',
    requestDocNo: 'Request',
    incident: 'Incident',
    status: 'Status',
    from: 'From depots',
    to: 'Deliver to',
    vehicle: 'Vehicle',
    driver: 'Driver',
    driverPhone: 'Driver phone',
    plannedArrival: 'Planned arrival',
    lateHours: 'Late (hours)',
  },
};

interface StockWarningRow extends MaterialNames {
  kind: 'expired' | 'expiring' | 'belowQuota';
  depotName: string;
  lotNo: string | null;
  expiresOn: string | null;
  daysLeft: number | null;
  quantity: number;
  quota: number | null;
  shortBy: number | null;
}

async function stockWarningRows(ctx: ServiceContext, filter: WarningFilter): Promise<StockWarningRow[]> {
  const scope = filter.depotId === undefined ? {} : { depotId: filter.depotId };
  const [expiring, below] = await Promise.all([
    listExpiring(ctx, { ...scope, includeExpired: true }),
    listBelowQuota(ctx.db, scope),
  ]);
  const ids = [...new Set([...expiring.rows, ...below.rows].map((r) => r.materialId))];
  const names = new Map<number, MaterialNames>();
  for (let i = 0; i < ids.length; i += 1_000)
    for (const m of await ctx.db
      .selectFrom('materials as m')
      .select(['m.materialId', ...MATERIAL_SELECT])
      .where('m.materialId', 'in', ids.slice(i, i + 1_000))
      .execute())
      names.set(m.materialId, m);
  return [
    ...expiring.rows.map((r) => ({
      ...names.get(r.materialId)!,
      kind: r.status,
      depotName: r.depotName,
      lotNo: r.lotNo,
      expiresOn: r.expiresOn,
      daysLeft: r.daysLeft,
      quantity: r.onHand,
      quota: null,
      shortBy: null,
    })),
    ...below.rows.map((r) => ({
      ...names.get(r.materialId)!,
      kind: 'belowQuota' as const,
      depotName: r.depotName,
      lotNo: null,
      expiresOn: null,
      daysLeft: null,
      quantity: r.available,
      quota: r.quota,
      shortBy: r.shortBy,
    })),
  ];
}

async function lateOrders(ctx: ServiceContext, filter: WarningFilter, nowIso: string) {
  let query = ctx.db
    .selectFrom('deliveryOrders as o')
    .innerJoin('allocationRequests as r', 'r.requestId', 'o.requestId')
    .leftJoin('incidents as i', 'i.incidentId', 'o.incidentId')
    .leftJoin('depots as td', 'td.depotId', 'o.deliverToDepotId')
    .select((eb) => [
      'o.docNo',
      'r.docNo as requestDocNo',
      'i.name as incidentName',
      'o.status',
      'td.name as deliverToDepot',
      'o.deliverAddress',
      'o.vehiclePlate',
      'o.driverName',
      'o.driverPhone',
      'o.plannedArrival',
      eb
        .selectFrom('deliveryLines as dl')
        .innerJoin('depots as fd', 'fd.depotId', 'dl.depotId')
        .select((e) => e.fn.min('fd.name').as('n'))
        .whereRef('dl.deliveryId', '=', 'o.deliveryId')
        .as('fromDepot'),
      eb
        .selectFrom('deliveryLines as dl')
        .select((e) => e.fn.count<number | string>('dl.depotId').distinct().as('n'))
        .whereRef('dl.deliveryId', '=', 'o.deliveryId')
        .as('fromDepots'),
    ])
    .where('o.status', 'in', OPEN_ORDER_STATUSES)
    .where('o.plannedArrival', '<', nowIso)
    .orderBy('o.plannedArrival');
  if (filter.depotId !== undefined)
    query = query.where('o.deliveryId', 'in', ordersTouching(ctx.db, [filter.depotId]));
  if (filter.keeperDepotIds)
    query = query.where('o.deliveryId', 'in', ordersTouching(ctx.db, filter.keeperDepotIds));
  return query.execute();
}

export async function warningSheets(
  ctx: ServiceContext,
  lang: Lang,
  filter: WarningFilter,
  term: (prefix: string) => (value: string) => string,
): Promise<AnySheet[]> {
  const h = HEADERS[lang];
  const nowIso = ctx.clock.now().toISOString();
  const status = term('delivery.status');
  const stock: Column<StockWarningRow>[] = [
    { header: h.kind, kind: 'text', value: (r) => h[r.kind] },
    ...depotColumns<StockWarningRow>(lang),
    ...materialColumns<StockWarningRow>(lang),
    { header: h.lotNo, kind: 'text', value: (r) => r.lotNo },
    { header: h.expiresOn, kind: 'date', value: (r) => r.expiresOn },
    { header: h.daysLeft, kind: 'quantity', value: (r) => r.daysLeft },
    { header: h.quantity, kind: 'quantity', value: (r) => r.quantity },
    { header: h.quota, kind: 'quantity', value: (r) => r.quota },
    { header: h.shortBy, kind: 'quantity', value: (r) => r.shortBy },
  ];
  type LateRow = Awaited<ReturnType<typeof lateOrders>>[number];
  const late: Column<LateRow>[] = [
    { header: h.docNo, kind: 'text', value: (r) => r.docNo },
    { header: h.requestDocNo, kind: 'text', value: (r) => r.requestDocNo },
    { header: h.incident, kind: 'text', value: (r) => r.incidentName },
    { header: h.status, kind: 'text', value: (r) => status(r.status) },
    {
      header: h.from,
      kind: 'text',
      value: (r) => (Number(r.fromDepots) > 1 ? `${r.fromDepot} +${Number(r.fromDepots) - 1}` : r.fromDepot),
    },
    { header: h.to, kind: 'text', value: (r) => r.deliverToDepot ?? r.deliverAddress },
    { header: h.vehicle, kind: 'text', value: (r) => r.vehiclePlate },
    { header: h.driver, kind: 'text', value: (r) => r.driverName },
    { header: h.driverPhone, kind: 'text', value: (r) => r.driverPhone },
    { header: h.plannedArrival, kind: 'time', value: (r) => r.plannedArrival },
    {
      header: h.lateHours,
      kind: 'hours',
      value: (r) => hoursBetween(r.plannedArrival, nowIso),
    },
  ];
  const stockSheet: SheetSpec<StockWarningRow> = {
    name: h.stock,
    title: h.stock,
    columns: stock,
    rows: await stockWarningRows(ctx, filter),
  };
  const lateSheet: SheetSpec<LateRow> = {
    name: h.late,
    title: h.late,
    columns: late,
    rows: await lateOrders(ctx, filter, nowIso),
  };
  return [stockSheet, lateSheet];
}
