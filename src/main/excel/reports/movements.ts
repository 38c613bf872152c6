/**
 * 出入库明细 (movement detail): every movement of a period, oldest first, with its document,
 * kind, depot, material (GB/T 38565 code beside the name), lot, the quantity in or out, the
 * other side (depot, recipient or supplier), who posted it, and a reversal either way. Read
 * page by page (keyset on the movement id), so reading two million rows never holds them all.
 */
import type { Db } from '../../db/database';
import type { Column, SheetSpec } from '../workbook';
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

export interface MovementFilter extends Period {
  depotId?: number;
  materialId?: number;
  type?: string;
  docNo?: string;
}

const HEADERS = {
  'zh-CN': {
    sheet: '出入库明细',
    at: '发生时间',
    docNo: '单据号',
    type: '类型',
    lotNo: '批号',
    quantityIn: '入库数量',
    quantityOut: '出库数量',
    counterpart: '对方',
    user: '经办人',
    reason: '原因 / 备注',
    reversal: '冲销',
    reverses: (doc: string) => `冲销 ${doc}`,
    reversedBy: (doc: string) => `已被 ${doc} 冲销`,
  },
  en: {
    sheet: 'Movements',
    at: 'Time',
    docNo: 'Document',
    type: 'Type',
    lotNo: 'Lot',
    quantityIn: 'In',
    quantityOut: 'Out',
    counterpart: 'Other side',
    user: 'Posted by',
    reason: 'Reason / note',
    reversal: 'Reversal',
    reverses: (doc: string) => `reverses ${doc}`,
    reversedBy: (doc: string) => `reversed by ${doc}`,
  },
};

interface MovementRow extends MaterialNames {
  movementId: number;
  occurredAt: string;
  docNo: string;
  type: string;
  depotName: string;
  lotNo: string;
  quantity: number;
  counterpartName: string | null;
  recipient: string | null;
  supplier: string | null;
  userName: string;
  reason: string | null;
  note: string | null;
  reversesDocNo: string | null;
  reversedByDocNo: string | null;
}

function movementRows(db: Db, filter: MovementFilter): AsyncGenerator<MovementRow> {
  return keysetPages(
    PAGE,
    (after: number | null) => {
      let query = db
        .selectFrom('movements as mv')
        .innerJoin('depots as d', 'd.depotId', 'mv.depotId')
        .innerJoin('materials as m', 'm.materialId', 'mv.materialId')
        .innerJoin('batches as b', 'b.batchId', 'mv.batchId')
        .innerJoin('users as u', 'u.userId', 'mv.userId')
        .leftJoin('depots as cd', 'cd.depotId', 'mv.counterpartDepotId')
        .leftJoin('movements as o', 'o.movementId', 'mv.reversesMovementId')
        .leftJoin('movements as r', 'r.reversesMovementId', 'mv.movementId')
        .select([
          'mv.movementId',
          'mv.occurredAt',
          'mv.docNo',
          'mv.type',
          'd.name as depotName',
          ...MATERIAL_SELECT,
          'b.lotNo',
          'mv.quantity',
          'cd.name as counterpartName',
          'mv.recipient',
          'mv.supplier',
          'u.displayName as userName',
          'mv.reason',
          'mv.note',
          'o.docNo as reversesDocNo',
          'r.docNo as reversedByDocNo',
        ])
        .where('mv.movementId', '>', after ?? 0)
        .orderBy('mv.movementId')
        .limit(PAGE);
      if (filter.depotId !== undefined) query = query.where('mv.depotId', '=', filter.depotId);
      if (filter.materialId !== undefined) query = query.where('mv.materialId', '=', filter.materialId);
      if (filter.type !== undefined) query = query.where('mv.type', '=', filter.type);
      if (filter.docNo !== undefined) query = query.where('mv.docNo', '=', filter.docNo);
      return query.where(inPeriod('mv.occurredAt', filter)).execute();
    },
    (r) => r.movementId,
  );
}

export function movementSheets(
  db: Db,
  lang: Lang,
  filter: MovementFilter,
  typeName: (type: string) => string,
): SheetSpec<MovementRow>[] {
  const h = HEADERS[lang];
  const columns: Column<MovementRow>[] = [
    { header: h.at, kind: 'time', value: (r) => r.occurredAt },
    { header: h.docNo, kind: 'text', value: (r) => r.docNo },
    { header: h.type, kind: 'text', value: (r) => typeName(r.type) },
    ...depotColumns<MovementRow>(lang),
    ...materialColumns<MovementRow>(lang),
    { header: h.lotNo, kind: 'text', value: (r) => r.lotNo },
    { header: h.quantityIn, kind: 'quantity', value: (r) => (r.quantity > 0 ? r.quantity : null) },
    { header: h.quantityOut, kind: 'quantity', value: (r) => (r.quantity < 0 ? -r.quantity : null) },
    { header: h.counterpart, kind: 'text', value: (r) => r.counterpartName ?? r.recipient ?? r.supplier },
    { header: h.user, kind: 'text', value: (r) => r.userName },
    { header: h.reason, kind: 'text', value: (r) => [r.reason, r.note].filter(Boolean).join('；') || null },
    {
      header: h.reversal,
      kind: 'text',
      value: (r) =>
        r.reversesDocNo
          ? h.reverses(r.reversesDocNo)
          : r.reversedByDocNo
            ? h.reversedBy(r.reversedByDocNo)
            : null,
    },
  ];
  return [{ name: h.sheet, title: h.sheet, columns, rows: movementRows(db, filter) }];
}
