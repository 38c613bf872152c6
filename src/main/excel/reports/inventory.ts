/**
 * 库存台账 (inventory ledger): per depot and material, on hand, reserved, available, in transit
 * towards it, its quota and its value in yuan; and a sheet of the lots behind it, with lot
 * number, production and expiry dates. Read page by page (keyset), so reading a city's 150,000
 * cells never holds them all.
 */
import { inPairs } from '../../db/values';
import { inTransit } from '../../services/delivery.service';
import type { ServiceContext } from '../../services/context';
import type { AnySheet, Column } from '../workbook';
import {
  depotColumns,
  inScope,
  keysetPages,
  MATERIAL_SELECT,
  materialColumns,
  type Lang,
  type MaterialNames,
  type ScopeFilter,
} from './common';

const PAGE = 5_000;

export type InventoryFilter = ScopeFilter;

const HEADERS = {
  'zh-CN': {
    ledger: '库存台账',
    lots: '批次明细',
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

interface LedgerRow extends MaterialNames {
  depotId: number;
  materialId: number;
  depotCode: string;
  depotName: string;
  onHand: number;
  reserved: number;
  quota: number | null;
  valueFen: number | null;
  inTransit: number;
}

async function* ledgerRows(ctx: ServiceContext, filter: InventoryFilter): AsyncGenerator<LedgerRow> {
  const onTheRoad = new Map<string, { depotId: number; materialId: number; quantity: number }>();
  for (const r of await inTransit(ctx, filter.depotId === undefined ? {} : { depotId: filter.depotId }))
    if (r.deliverToDepotId !== null)
      onTheRoad.set(`${r.deliverToDepotId}:${r.materialId}`, {
        depotId: r.deliverToDepotId,
        materialId: r.materialId,
        quantity: r.quantity,
      });
  const held = keysetPages(
    PAGE,
    (after: { depotId: number; materialId: number } | null) =>
      ctx.db
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
          ...MATERIAL_SELECT,
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
        .where(inScope(filter, 'sl.depotId'))
        .$if(after !== null, (q) =>
          q.where((eb) =>
            eb.or([
              eb('sl.depotId', '>', after!.depotId),
              eb.and([eb('sl.depotId', '=', after!.depotId), eb('sl.materialId', '>', after!.materialId)]),
            ]),
          ),
        )
        .orderBy('sl.depotId')
        .orderBy('sl.materialId')
        .limit(PAGE)
        .execute(),
    (r) => ({ depotId: r.depotId, materialId: r.materialId }),
  );
  for await (const r of held) {
    const k = `${r.depotId}:${r.materialId}`;
    const road = onTheRoad.get(k);
    onTheRoad.delete(k);
    yield {
      ...r,
      quota: r.quota === null ? null : Number(r.quota),
      valueFen: r.valueFen === null ? null : Number(r.valueFen),
      inTransit: road?.quantity ?? 0,
    };
  }
  // Goods on the road to a depot that holds none of that material yet: rows of their own.
  const pairs = [...onTheRoad.values()];
  if (pairs.length === 0) return;
  const names = await ctx.db
    .selectFrom('depots as d')
    .innerJoin('materials as m', (j) => j.on(inPairs('d.depotId', 'm.materialId', pairs)))
    .select(['d.depotId', 'm.materialId', 'd.code as depotCode', 'd.name as depotName', ...MATERIAL_SELECT])
    .where(inScope(filter))
    .orderBy('d.depotId')
    .orderBy('m.materialId')
    .execute();
  for (const n of names)
    yield {
      ...n,
      onHand: 0,
      reserved: 0,
      quota: null,
      valueFen: null,
      inTransit: onTheRoad.get(`${n.depotId}:${n.materialId}`)!.quantity,
    };
}

interface LotRow extends MaterialNames {
  batchId: number;
  depotName: string;
  lotNo: string;
  producedOn: string | null;
  expiresOn: string | null;
  onHand: number;
  unitPriceFen: number | null;
  source: string;
  supplier: string | null;
}

function lotRows(ctx: ServiceContext, filter: InventoryFilter): AsyncGenerator<LotRow> {
  return keysetPages(
    PAGE,
    (after: number | null) =>
      ctx.db
        .selectFrom('batches as b')
        .innerJoin('batchBalances as bb', 'bb.batchId', 'b.batchId')
        .innerJoin('depots as d', 'd.depotId', 'b.depotId')
        .innerJoin('materials as m', 'm.materialId', 'b.materialId')
        .select([
          'b.batchId',
          'd.name as depotName',
          ...MATERIAL_SELECT,
          'b.lotNo',
          'b.producedOn',
          'b.expiresOn',
          'bb.onHand',
          'b.unitPriceFen',
          'b.source',
          'b.supplier',
        ])
        .where('bb.onHand', '>', 0)
        .where('b.batchId', '>', after ?? 0)
        .where(inScope(filter, 'b.depotId'))
        .orderBy('b.batchId')
        .limit(PAGE)
        .execute(),
    (r) => r.batchId,
  );
}

export function inventorySheets(
  ctx: ServiceContext,
  lang: Lang,
  filter: InventoryFilter,
  sourceName: (source: string) => string,
): AnySheet[] {
  const h = HEADERS[lang];
  const ledger: Column<LedgerRow>[] = [
    ...depotColumns<LedgerRow>(lang, { withCode: true }),
    ...materialColumns<LedgerRow>(lang),
    { header: h.onHand, kind: 'quantity', value: (r) => r.onHand },
    { header: h.reserved, kind: 'quantity', value: (r) => r.reserved },
    { header: h.available, kind: 'quantity', value: (r) => r.onHand - r.reserved },
    { header: h.inTransit, kind: 'quantity', value: (r) => r.inTransit },
    { header: h.quota, kind: 'quantity', value: (r) => r.quota },
    // Quantities of different units are never summed; money is.
    { header: h.value, kind: 'money', value: (r) => r.valueFen, total: true },
  ];
  const lots: Column<LotRow>[] = [
    ...depotColumns<LotRow>(lang),
    ...materialColumns<LotRow>(lang),
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
    { name: h.lots, title: h.lots, columns: lots, rows: lotRows(ctx, filter) },
  ];
}
