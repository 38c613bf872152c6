/**
 * 盘点差异表 (stocktake differences): every counted lot whose count differs from the book, in
 * the stocktakes of a depot or a period (cancelled ones left out), with the difference in units
 * and in yuan and the reason given. The yuan are totalled; units of different materials are not.
 */
import type { Db } from '../../db/database';
import type { AnySheet, Column } from '../workbook';
import {
  depotColumns,
  inPeriod,
  keysetPages,
  MATERIAL_SELECT,
  materialColumns,
  type Lang,
  type MaterialNames,
  type Period,
} from './common';

const PAGE = 5_000;

export interface StocktakeFilter extends Period {
  depotId?: number;
}

const HEADERS = {
  'zh-CN': {
    sheet: '盘点差异表',
    docNo: '盘点单号',
    status: '状态',
    openedAt: '盘点开始',
    closedAt: '审批时间',
    lotNo: '批号',
    expiresOn: '有效期至',
    book: '账面数量',
    counted: '实盘数量',
    difference: '差异（盘盈为正）',
    value: '差异金额（元）',
    reason: '原因',
  },
  en: {
    sheet: 'Stocktake differences',
    docNo: 'Stocktake',
    status: 'Status',
    openedAt: 'Opened at',
    closedAt: 'Approved at',
    lotNo: 'Lot',
    expiresOn: 'Expires on',
    book: 'Book',
    counted: 'Counted',
    difference: 'Difference (gain positive)',
    value: 'Difference (yuan)',
    reason: 'Reason',
  },
};

interface DifferenceRow extends MaterialNames {
  lineId: number;
  docNo: string;
  status: string;
  openedAt: string;
  closedAt: string | null;
  depotName: string;
  lotNo: string;
  expiresOn: string | null;
  bookQuantity: number;
  countedQuantity: number | null;
  unitPriceFen: number | null;
  reason: string | null;
}

function differenceRows(db: Db, filter: StocktakeFilter): AsyncGenerator<DifferenceRow> {
  return keysetPages(
    PAGE,
    (after: number | null) => {
      let query = db
        .selectFrom('stocktakeLines as sl')
        .innerJoin('stocktakes as st', 'st.stocktakeId', 'sl.stocktakeId')
        .innerJoin('batches as b', 'b.batchId', 'sl.batchId')
        .innerJoin('materials as m', 'm.materialId', 'b.materialId')
        .innerJoin('depots as d', 'd.depotId', 'st.depotId')
        .select([
          'sl.lineId',
          'st.docNo',
          'st.status',
          'st.openedAt',
          'st.closedAt',
          'd.name as depotName',
          ...MATERIAL_SELECT,
          'b.lotNo',
          'b.expiresOn',
          'sl.bookQuantity',
          'sl.countedQuantity',
          'b.unitPriceFen',
          'sl.reason',
        ])
        .where('st.status', '!=', 'cancelled')
        .where('sl.countedQuantity', 'is not', null)
        .whereRef('sl.countedQuantity', '!=', 'sl.bookQuantity')
        .where('sl.lineId', '>', after ?? 0)
        .where(inPeriod('st.openedAt', filter))
        .orderBy('sl.lineId')
        .limit(PAGE);
      if (filter.depotId !== undefined) query = query.where('st.depotId', '=', filter.depotId);
      return query.execute();
    },
    (r) => r.lineId,
  );
}

export function stocktakeSheets(
  db: Db,
  lang: Lang,
  filter: StocktakeFilter,
  term: (prefix: string) => (value: string) => string,
): AnySheet[] {
  const h = HEADERS[lang];
  const status = term('stocktake.status');
  const difference = (r: DifferenceRow) => r.countedQuantity! - r.bookQuantity;
  const columns: Column<DifferenceRow>[] = [
    { header: h.docNo, kind: 'text', value: (r) => r.docNo },
    ...depotColumns<DifferenceRow>(lang),
    { header: h.status, kind: 'text', value: (r) => status(r.status) },
    { header: h.openedAt, kind: 'time', value: (r) => r.openedAt },
    { header: h.closedAt, kind: 'time', value: (r) => (r.status === 'approved' ? r.closedAt : null) },
    ...materialColumns<DifferenceRow>(lang),
    { header: h.lotNo, kind: 'text', value: (r) => r.lotNo },
    { header: h.expiresOn, kind: 'date', value: (r) => r.expiresOn },
    { header: h.book, kind: 'quantity', value: (r) => r.bookQuantity },
    { header: h.counted, kind: 'quantity', value: (r) => r.countedQuantity },
    { header: h.difference, kind: 'quantity', value: difference },
    {
      header: h.value,
      kind: 'money',
      value: (r) => (r.unitPriceFen === null ? null : difference(r) * r.unitPriceFen),
      total: true,
    },
    { header: h.reason, kind: 'text', value: (r) => r.reason },
  ];
  return [{ name: h.sheet, title: h.sheet, columns, rows: differenceRows(db, filter) }];
}
