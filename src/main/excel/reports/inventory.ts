/**
 * 库存台账 (inventory ledger): per depot and material, on hand, reserved, available, in transit
 * towards it, its quota and its value in yuan; and a sheet of the lots behind it, with lot
 * number, production and expiry dates. Read page by page (keyset), so reading a city's 150,000
 * cells never holds them all.
 */
import type { Db } from '../../db/database';
import { inTransit } from '../../services/delivery.service';
import type { ServiceContext } from '../../services/context';
import type { Column, SheetSpec } from '../workbook';

const PAGE = 5_000;

export interface InventoryFilter {
  depotId?: number;
  level?: 'city' | 'district' | 'town';
  category?: string;
  topClass?: 1 | 2 | 3;
}

const HEADERS = {
  'zh-CN': {
    ledger: '库存台账',
    lots: '批次明细',
    depotCode: '储备库编码',
    depot: '储备库',
    code: '物资编码',
    gbCode: '国标编码',
    name: '物资名称',
    spec: '规格型号',
    unit: '单位',
    onHand: '账面库存',
    reserved: '已分配',
    available: '可用',
    inTransit: '在途',
    quota: '储备定额',
    value: '金额（元）',
    lotNo: '批号',
    producedOn: '生产日期',
    expiresOn: '有效期至',
    price: '单价（元）',
    source: '来源',
    supplier: '供应商',
  },
  en: {
    ledger: 'Inventory',
    lots: 'Lots',
    depotCode: 'Depot code',
    depot: 'Depot',
    code: 'Material code',
    gbCode: 'GB/T 38565 code',
    name: 'Material',
    spec: 'Specification',
    unit: 'Unit',
    onHand: 'On hand',
    reserved: 'Reserved',
    available: 'Available',
    inTransit: 'In transit',
    quota: 'Quota',
    value: 'Value (yuan)',
    lotNo: 'Lot',
    producedOn: 'Produced on',
    expiresOn: 'Expires on',
    price: 'Unit price (yuan)',
    source: 'Source',
    supplier: 'Supplier',
  },
};

interface LedgerRow {
  depotId: number;
  materialId: number;
  depotCode: string;
  depotName: string;
  code: string;
  gbCode: string | null;
  name: string;
  spec: string | null;
  unit: string;
  onHand: number;
  reserved: number;
  quota: number | null;
  valueFen: number | null;
  inTransit: number;
}

async function* ledgerRows(ctx: ServiceContext, filter: InventoryFilter): AsyncGenerator<LedgerRow> {
  const db: Db = ctx.db;
  const onTheRoad = new Map<string, number>();
  for (const r of await inTransit(ctx, filter.depotId === undefined ? {} : { depotId: filter.depotId }))
    if (r.deliverToDepotId !== null) onTheRoad.set(`${r.deliverToDepotId}:${r.materialId}`, r.quantity);
  let after: { depotId: number; materialId: number } | null = null;
  for (;;) {
    let query = db
      .selectFrom('stockLevels as sl')
      .innerJoin('depots as d', 'd.depotId', 'sl.depotId')
      .innerJoin('materials as m', 'm.materialId', 'sl.materialId')
      .leftJoin('quotas as q', (j) =>
        j.onRef('q.depotId', '=', 'sl.depotId').onRef('q.materialId', '=', 'sl.materialId'),
      )
      .select((eb) => [
        'sl.depotId',
        'sl.materialId',
        'd.code as depotCode',
        'd.name as depotName',
        'm.code',
        'm.gbCode',
        'm.name',
        'm.spec',
        'm.unit',
        'sl.onHand',
        'sl.reserved',
        'q.quantity as quota',
        eb
          .selectFrom('batchBalances as bb')
          .innerJoin('batches as b', 'b.batchId', 'bb.batchId')
          .select((e) =>
            e.fn.sum<number | string | null>(e('bb.onHand', '*', e.ref('b.unitPriceFen'))).as('v'),
          )
          .whereRef('bb.depotId', '=', 'sl.depotId')
          .whereRef('bb.materialId', '=', 'sl.materialId')
          .as('valueFen'),
      ])
      .where((eb) => eb.or([eb('sl.onHand', '>', 0), eb('sl.reserved', '>', 0)]))
      .orderBy('sl.depotId')
      .orderBy('sl.materialId')
      .limit(PAGE);
    if (filter.depotId !== undefined) query = query.where('sl.depotId', '=', filter.depotId);
    if (filter.level !== undefined) query = query.where('d.level', '=', filter.level);
    if (filter.category !== undefined) query = query.where('m.category', '=', filter.category);
    if (filter.topClass !== undefined) query = query.where('m.topClass', '=', filter.topClass);
    if (after) {
      const { depotId, materialId } = after;
      query = query.where((eb) =>
        eb.or([
          eb('sl.depotId', '>', depotId),
          eb.and([eb('sl.depotId', '=', depotId), eb('sl.materialId', '>', materialId)]),
        ]),
      );
    }
    const page = await query.execute();
    for (const r of page) {
      const k = `${r.depotId}:${r.materialId}`;
      onTheRoad.delete(k);
      yield {
        ...r,
        quota: r.quota === null ? null : Number(r.quota),
        valueFen: r.valueFen === null ? null : Number(r.valueFen),
        inTransit: onTheRoad.get(k) ?? 0,
      };
    }
    if (page.length < PAGE) break;
    const last = page.at(-1)!;
    after = { depotId: last.depotId, materialId: last.materialId };
  }
  // Goods on the road to a depot that holds none of that material yet: a row of their own.
  for (const [k, quantity] of onTheRoad) {
    const [depotId, materialId] = k.split(':').map(Number) as [number, number];
    let query = db
      .selectFrom('depots as d')
      .innerJoin('materials as m', (j) => j.on('m.materialId', '=', materialId))
      .select([
        'd.code as depotCode',
        'd.name as depotName',
        'm.code',
        'm.gbCode',
        'm.name',
        'm.spec',
        'm.unit',
      ])
      .where('d.depotId', '=', depotId);
    if (filter.level !== undefined) query = query.where('d.level', '=', filter.level);
    if (filter.category !== undefined) query = query.where('m.category', '=', filter.category);
    if (filter.topClass !== undefined) query = query.where('m.topClass', '=', filter.topClass);
    const names = await query.executeTakeFirst();
    if (names)
      yield {
        depotId,
        materialId,
        ...names,
        onHand: 0,
        reserved: 0,
        quota: null,
        valueFen: null,
        inTransit: quantity,
      };
  }
}

interface LotRow {
  batchId: number;
  depotName: string;
  code: string;
  gbCode: string | null;
  name: string;
  spec: string | null;
  unit: string;
  lotNo: string;
  producedOn: string | null;
  expiresOn: string | null;
  onHand: number;
  unitPriceFen: number | null;
  source: string;
  supplier: string | null;
}

async function* lotRows(db: Db, filter: InventoryFilter): AsyncGenerator<LotRow> {
  let after = 0;
  for (;;) {
    let query = db
      .selectFrom('batches as b')
      .innerJoin('batchBalances as bb', 'bb.batchId', 'b.batchId')
      .innerJoin('depots as d', 'd.depotId', 'b.depotId')
      .innerJoin('materials as m', 'm.materialId', 'b.materialId')
      .select([
        'b.batchId',
        'd.name as depotName',
        'm.code',
        'm.gbCode',
        'm.name',
        'm.spec',
        'm.unit',
        'b.lotNo',
        'b.producedOn',
        'b.expiresOn',
        'bb.onHand',
        'b.unitPriceFen',
        'b.source',
        'b.supplier',
      ])
      .where('bb.onHand', '>', 0)
      .where('b.batchId', '>', after)
      .orderBy('b.batchId')
      .limit(PAGE);
    if (filter.depotId !== undefined) query = query.where('b.depotId', '=', filter.depotId);
    if (filter.level !== undefined) query = query.where('d.level', '=', filter.level);
    if (filter.category !== undefined) query = query.where('m.category', '=', filter.category);
    if (filter.topClass !== undefined) query = query.where('m.topClass', '=', filter.topClass);
    const page = await query.execute();
    yield* page;
    if (page.length < PAGE) return;
    after = page.at(-1)!.batchId;
  }
}

export function inventorySheets(
  ctx: ServiceContext,
  lang: 'zh-CN' | 'en',
  filter: InventoryFilter,
  sourceName: (source: string) => string,
): SheetSpec<LedgerRow | LotRow>[] {
  const h = HEADERS[lang];
  const ledger: Column<LedgerRow>[] = [
    { header: h.depotCode, kind: 'text', value: (r) => r.depotCode },
    { header: h.depot, kind: 'text', value: (r) => r.depotName },
    { header: h.code, kind: 'text', value: (r) => r.code },
    { header: h.gbCode, kind: 'text', value: (r) => r.gbCode },
    { header: h.name, kind: 'text', value: (r) => r.name },
    { header: h.spec, kind: 'text', value: (r) => r.spec },
    { header: h.unit, kind: 'text', value: (r) => r.unit },
    { header: h.onHand, kind: 'quantity', value: (r) => r.onHand },
    { header: h.reserved, kind: 'quantity', value: (r) => r.reserved },
    { header: h.available, kind: 'quantity', value: (r) => r.onHand - r.reserved },
    { header: h.inTransit, kind: 'quantity', value: (r) => r.inTransit },
    { header: h.quota, kind: 'quantity', value: (r) => r.quota },
    // Quantities of different units are never summed; money is.
    { header: h.value, kind: 'money', value: (r) => r.valueFen, total: true },
  ];
  const lots: Column<LotRow>[] = [
    { header: h.depot, kind: 'text', value: (r) => r.depotName },
    { header: h.code, kind: 'text', value: (r) => r.code },
    { header: h.gbCode, kind: 'text', value: (r) => r.gbCode },
    { header: h.name, kind: 'text', value: (r) => r.name },
    { header: h.spec, kind: 'text', value: (r) => r.spec },
    { header: h.unit, kind: 'text', value: (r) => r.unit },
    { header: h.lotNo, kind: 'text', value: (r) => r.lotNo },
    { header: h.producedOn, kind: 'date', value: (r) => r.producedOn },
    { header: h.expiresOn, kind: 'date', value: (r) => r.expiresOn },
    { header: h.onHand, kind: 'quantity', value: (r) => r.onHand },
    { header: h.price, kind: 'money', value: (r) => r.unitPriceFen },
    {
      header: h.value,
      kind: 'money',
      value: (r) => (r.unitPriceFen === null ? null : r.unitPriceFen * r.onHand),
      total: true,
    },
    { header: h.source, kind: 'text', value: (r) => sourceName(r.source) },
    { header: h.supplier, kind: 'text', value: (r) => r.supplier },
  ];
  return [
    { name: h.ledger, title: h.ledger, columns: ledger, rows: ledgerRows(ctx, filter) },
    { name: h.lots, title: h.lots, columns: lots, rows: lotRows(ctx.db, filter) },
  ] as SheetSpec<LedgerRow | LotRow>[];
}
