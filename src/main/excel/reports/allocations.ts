/**
 * 调拨汇总 (allocation summary): every line of the requests of an incident or a period, with
 * who asked, how urgent, what was asked for and approved, from which depots, and how much of it
 * has been sent and signed for. Quantities of different materials are never summed.
 */
import type { Db } from '../../db/database';
import { requestsOf } from '../../services/allocation.service';
import type { Column, SheetSpec } from '../workbook';
import {
  inPeriod,
  keysetPages,
  MATERIAL_SELECT,
  materialColumns,
  type Lang,
  type MaterialNames,
  type Period,
} from './common';

/** Rows per read; also the size of the source depots' IN-list. */
const PAGE = 1_000;

export interface AllocationFilter extends Period {
  incidentId?: number;
  /** Requests from, to, or approved out of this depot. */
  depotId?: number;
  /** A keeper's copy: only the requests from or for these depots. */
  keeperDepotIds?: readonly number[];
}

const HEADERS = {
  'zh-CN': {
    sheet: '调拨汇总',
    docNo: '申请单号',
    incident: '事件',
    requester: '申请单位',
    urgency: '紧急程度',
    createdAt: '申请时间',
    neededBy: '需用时间',
    status: '状态',
    deliverTo: '送达地',
    requested: '申请数量',
    approved: '批准数量',
    sources: '调出库（数量）',
    dispatched: '已发运',
    received: '已签收',
    purpose: '用途',
  },
  en: {
    sheet: 'Allocations',
    docNo: 'Request',
    incident: 'Incident',
    requester: 'Requested by',
    urgency: 'Urgency',
    createdAt: 'Requested at',
    neededBy: 'Needed by',
    status: 'Status',
    deliverTo: 'Deliver to',
    requested: 'Requested',
    approved: 'Approved',
    sources: 'From depots (quantity)',
    dispatched: 'Dispatched',
    received: 'Received',
    purpose: 'Purpose',
  },
};

interface AllocationRow extends MaterialNames {
  lineId: number;
  docNo: string;
  incidentName: string | null;
  requesterDepot: string | null;
  requesterUnit: string | null;
  urgency: string;
  createdAt: string;
  neededBy: string;
  status: string;
  deliverToDepot: string | null;
  deliverAddress: string | null;
  requested: number;
  approved: number | null;
  purpose: string | null;
  dispatched: number;
  received: number;
  sources: string | null;
}

function page(db: Db, filter: AllocationFilter, after: number | null) {
  let query = db
    .selectFrom('allocationLines as al')
    .innerJoin('allocationRequests as r', 'r.requestId', 'al.requestId')
    .innerJoin('materials as m', 'm.materialId', 'al.materialId')
    .leftJoin('incidents as i', 'i.incidentId', 'r.incidentId')
    .leftJoin('depots as rd', 'rd.depotId', 'r.requesterDepotId')
    .leftJoin('depots as dd', 'dd.depotId', 'r.deliverToDepotId')
    .select((eb) => [
      'al.lineId',
      'r.docNo',
      'i.name as incidentName',
      'rd.name as requesterDepot',
      'r.requesterUnit',
      'r.urgency',
      'r.createdAt',
      'r.neededBy',
      'r.status',
      'dd.name as deliverToDepot',
      'r.deliverAddress',
      ...MATERIAL_SELECT,
      'al.requested',
      'al.approved',
      'al.purpose',
      eb
        .selectFrom('deliveryItems as it')
        .innerJoin('deliveryLines as dl', 'dl.lineId', 'it.lineId')
        .innerJoin('allocationSources as s', 's.sourceId', 'dl.sourceId')
        .select((e) => [e.fn.sum<number | string | null>('it.quantity').as('n')])
        .whereRef('s.lineId', '=', 'al.lineId')
        .as('dispatched'),
      eb
        .selectFrom('deliveryItems as it')
        .innerJoin('deliveryLines as dl', 'dl.lineId', 'it.lineId')
        .innerJoin('allocationSources as s', 's.sourceId', 'dl.sourceId')
        .select((e) => [e.fn.sum<number | string | null>('it.received').as('n')])
        .whereRef('s.lineId', '=', 'al.lineId')
        .as('received'),
    ])
    .where('al.lineId', '>', after ?? 0)
    .where(inPeriod('r.createdAt', filter))
    .orderBy('al.lineId')
    .limit(PAGE);
  if (filter.incidentId !== undefined) query = query.where('r.incidentId', '=', filter.incidentId);
  if (filter.keeperDepotIds) query = query.where('r.requestId', 'in', requestsOf(db, filter.keeperDepotIds));
  if (filter.depotId !== undefined) {
    const depotId = filter.depotId;
    query = query.where((eb) =>
      eb.or([
        eb('r.requesterDepotId', '=', depotId),
        eb('r.deliverToDepotId', '=', depotId),
        eb.exists(
          eb
            .selectFrom('allocationSources as s')
            .innerJoin('allocationLines as l', 'l.lineId', 's.lineId')
            .select('s.sourceId')
            .whereRef('l.requestId', '=', 'r.requestId')
            .where('s.depotId', '=', depotId),
        ),
      ]),
    );
  }
  return query.execute();
}

/** The page's rows with their source depots and quantities, as one text each. */
async function withSources(db: Db, rows: Awaited<ReturnType<typeof page>>): Promise<AllocationRow[]> {
  const sources = new Map<number, string[]>();
  if (rows.length > 0)
    for (const s of await db
      .selectFrom('allocationSources as s')
      .innerJoin('depots as d', 'd.depotId', 's.depotId')
      .select(['s.lineId', 'd.name', 's.quantity'])
      .where(
        's.lineId',
        'in',
        rows.map((r) => r.lineId),
      )
      .orderBy('s.sourceId')
      .execute())
      sources.set(s.lineId, [
        ...(sources.get(s.lineId) ?? []),
        `${s.name} ${s.quantity.toLocaleString('en-US')}`,
      ]);
  return rows.map((r) => ({
    ...r,
    dispatched: Number(r.dispatched ?? 0),
    received: Number(r.received ?? 0),
    sources: sources.get(r.lineId)?.join('；') ?? null,
  }));
}

function allocationRows(db: Db, filter: AllocationFilter): AsyncGenerator<AllocationRow> {
  return keysetPages(
    PAGE,
    async (after: number | null) => withSources(db, await page(db, filter, after)),
    (r) => r.lineId,
  );
}

export function allocationSheets(
  db: Db,
  lang: Lang,
  filter: AllocationFilter,
  term: (prefix: string) => (value: string) => string,
): SheetSpec<AllocationRow>[] {
  const h = HEADERS[lang];
  const urgency = term('urgency');
  const status = term('allocation.status');
  const columns: Column<AllocationRow>[] = [
    { header: h.docNo, kind: 'text', value: (r) => r.docNo },
    { header: h.incident, kind: 'text', value: (r) => r.incidentName },
    { header: h.requester, kind: 'text', value: (r) => r.requesterDepot ?? r.requesterUnit },
    { header: h.urgency, kind: 'text', value: (r) => urgency(r.urgency) },
    { header: h.createdAt, kind: 'time', value: (r) => r.createdAt },
    { header: h.neededBy, kind: 'time', value: (r) => r.neededBy },
    { header: h.status, kind: 'text', value: (r) => status(r.status) },
    { header: h.deliverTo, kind: 'text', value: (r) => r.deliverToDepot ?? r.deliverAddress },
    ...materialColumns<AllocationRow>(lang),
    { header: h.requested, kind: 'quantity', value: (r) => r.requested },
    { header: h.approved, kind: 'quantity', value: (r) => r.approved },
    { header: h.sources, kind: 'text', value: (r) => r.sources },
    { header: h.dispatched, kind: 'quantity', value: (r) => r.dispatched },
    { header: h.received, kind: 'quantity', value: (r) => r.received },
    { header: h.purpose, kind: 'text', value: (r) => r.purpose },
  ];
  return [{ name: h.sheet, title: h.sheet, columns, rows: allocationRows(db, filter) }];
}
