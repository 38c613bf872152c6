/**
 * The paper forms of stored documents, built from what the server keeps: stock notes from their
 * movements (printed first at posting, so printed again from the document view they say 补打),
 * the 调拨单 of an approved request and the 配送单 of a delivery order (printed from their view).
 */
import type { AllocationDto } from '../../../shared/schemas/allocation';
import type { DeliveryDto } from '../../../shared/schemas/delivery';
import type { MovementDto, MovementType } from '../../../shared/schemas/stock';
import type { PrintableDoc } from '../../components/PrintDocument';
import { docDate } from '../../components/StockFormShell';
import { formatFen, formatQuantity, formatTime } from '../../format';
import { defineMessages, useMessages, useTerms } from '../../i18n/messages';

export const printNoteMessages = defineMessages(
  {
    receipt: '入库单',
    issue: '出库单',
    transfer: '移库单',
    scrap: '报废单',
    reversal: '红冲单',
    stocktake: '盘点差异单',
    allocation: '调拨单',
    delivery: '配送单',
    code: '编码',
    nameSpec: '品名规格',
    lotNo: '批号',
    expiresOn: '有效期至',
    quantity: '数量',
    price: '单价',
    amount: '金额',
    remark: '备注',
    source: '来源',
    supplier: '供货单位',
    recipient: '领用单位',
    reason: '原因',
    toDepot: '调入储备库',
    fromDepot: '调出储备库',
    requester: '申请单位',
    incident: '突发事件',
    urgency: '紧急程度',
    deliverTo: '送达地点',
    neededBy: '需求时间',
    requested: '申请数量',
    approved: '批准数量',
    sources: '调出来源',
    approvedBy: '审批：{name}　{time}',
    vehicle: '车辆',
    driver: '司机',
    escort: '押运人',
    departure: '计划发车',
    arrival: '计划到达',
    request: '调拨申请',
    received: '实收',
    signHandler: '经办人',
    signKeeper: '保管员',
    signApprover: '审批人',
    signReceiver: '收货人',
    signDeliverer: '交货人',
    signSender: '发货人',
    signCarrier: '承运人',
    expiredOverride: '指定过期批次',
  },
  {
    receipt: 'Receipt note',
    issue: 'Issue note',
    transfer: 'Transfer note',
    scrap: 'Scrap note',
    reversal: 'Reversal note',
    stocktake: 'Stocktake differences',
    allocation: 'Allocation order',
    delivery: 'Delivery note',
    code: 'Code',
    nameSpec: 'Material',
    lotNo: 'Lot',
    expiresOn: 'Expires',
    quantity: 'Quantity',
    price: 'Unit price',
    amount: 'Amount',
    remark: 'Remarks',
    source: 'Source',
    supplier: 'Supplier',
    recipient: 'Recipient',
    reason: 'Reason',
    toDepot: 'To depot',
    fromDepot: 'From depot',
    requester: 'Requested by',
    incident: 'Incident',
    urgency: 'Urgency',
    deliverTo: 'Deliver to',
    neededBy: 'Needed by',
    requested: 'Requested',
    approved: 'Approved',
    sources: 'Sources',
    approvedBy: 'Approved by {name} {time}',
    vehicle: 'Vehicle',
    driver: 'Driver',
    escort: 'Escort',
    departure: 'Departs',
    arrival: 'Arrives',
    request: 'Allocation request',
    received: 'Received',
    signHandler: 'Handled by',
    signKeeper: 'Keeper',
    signApprover: 'Approved by',
    signReceiver: 'Received by',
    signDeliverer: 'Delivered by',
    signSender: 'Sent by',
    signCarrier: 'Carrier',
    expiredOverride: 'Expired lot chosen',
  },
);

type NoteKind = 'receipt' | 'issue' | 'transfer' | 'scrap' | 'reversal' | 'stocktake';
const KIND: Partial<Record<MovementType, NoteKind>> = {
  receipt: 'receipt',
  issue: 'issue',
  transfer_out: 'transfer',
  transfer_in: 'transfer',
  scrap: 'scrap',
  reversal: 'reversal',
  stocktake_gain: 'stocktake',
  stocktake_loss: 'stocktake',
};

const nameSpec = (name: string, spec: string | null | undefined) => (spec ? `${name}（${spec}）` : name);

/** A stock note (入库单, 出库单, 移库单, 报废单, 红冲单) from its movements, as printed again. */
export function useStockNotePrint(): (movements: MovementDto[]) => PrintableDoc {
  const t = useMessages(printNoteMessages);
  const terms = useTerms();
  return (movements) => {
    const first = movements[0]!;
    const kind = KIND[first.type] ?? 'issue';
    // A transfer prints its outgoing side; the destination is the counterpart.
    const lines = kind === 'transfer' ? movements.filter((m) => m.type === 'transfer_out') : movements;
    const priced = kind === 'receipt' && lines.some((m) => m.unitPriceFen !== null);
    const amountOf = (m: MovementDto) =>
      m.unitPriceFen === null ? null : m.unitPriceFen * Math.abs(m.quantity);
    const totalFen = lines.reduce((s, m) => s + (amountOf(m) ?? 0), 0);
    const info: PrintableDoc['info'] = [];
    if (kind === 'receipt') {
      info.push({ label: t('source'), value: first.source ? terms(`batchSource.${first.source}`) : '' });
      info.push({ label: t('supplier'), value: first.supplier ?? '—' });
    } else if (kind === 'issue') {
      info.push({ label: t('recipient'), value: first.recipient ?? '' });
      info.push({ label: t('reason'), value: first.reason ?? '' });
    } else if (kind === 'transfer') {
      const to = movements.find((m) => m.type === 'transfer_in');
      info.push({ label: t('toDepot'), value: to?.depotName ?? '' });
    } else {
      info.push({ label: t('reason'), value: first.reason ?? '' });
    }
    return {
      title: t(kind),
      docNo: first.docNo,
      date: docDate(first.occurredAt),
      unit: first.depotName,
      info,
      columns: [
        { key: 'no', title: '#', align: 'center', width: '5%' },
        { key: 'code', title: t('code'), width: '11%' },
        { key: 'name', title: t('nameSpec'), width: priced ? '24%' : '30%' },
        { key: 'lot', title: t('lotNo'), width: '13%' },
        { key: 'expires', title: t('expiresOn'), align: 'center', width: '12%' },
        { key: 'qty', title: t('quantity'), align: 'right', width: '13%' },
        ...(priced
          ? [
              { key: 'price', title: t('price'), align: 'right' as const, width: '10%' },
              { key: 'amount', title: t('amount'), align: 'right' as const, width: '12%' },
            ]
          : [{ key: 'remark', title: t('remark'), width: '16%' }]),
      ],
      rows: lines.map((m, i) => ({
        no: i + 1,
        code: m.materialCode,
        name: m.materialName,
        lot: m.lotNo,
        expires: m.expiresOn ?? '',
        qty: `${formatQuantity(kind === 'reversal' ? m.quantity : Math.abs(m.quantity))} ${m.unit}`,
        price: formatFen(m.unitPriceFen),
        amount: formatFen(amountOf(m)),
        remark: m.expiredOverride ? t('expiredOverride') : (m.note ?? ''),
      })),
      totals: {
        qty: formatQuantity(lines.reduce((s, m) => s + Math.abs(m.quantity), 0)),
        ...(priced ? { amount: formatFen(totalFen) } : {}),
      },
      amountFen: priced && totalFen > 0 ? totalFen : undefined,
      note: first.note,
      signatures:
        kind === 'receipt'
          ? [t('signDeliverer'), t('signKeeper'), t('signHandler'), t('signApprover')]
          : kind === 'issue'
            ? [t('signHandler'), t('signKeeper'), t('signApprover'), t('signReceiver')]
            : [t('signHandler'), t('signKeeper'), t('signApprover')],
      preparedBy: { name: first.userName, at: first.occurredAt },
      reprint: true,
    };
  };
}

/** 调拨单: an approved request, its lines, the sources chosen and who approved. */
export function useAllocationPrint(): (a: AllocationDto) => PrintableDoc {
  const t = useMessages(printNoteMessages);
  const terms = useTerms();
  return (a) => {
    const decision = a.events.find((e) => e.toStatus === 'approved' || e.toStatus === 'partly_approved');
    return {
      title: t('allocation'),
      docNo: a.docNo,
      date: docDate(decision?.at ?? a.createdAt),
      unit: a.requesterName,
      info: [
        { label: t('incident'), value: a.incidentName ?? '—' },
        { label: t('urgency'), value: terms(`urgency.${a.urgency}`) },
        { label: t('deliverTo'), value: a.deliverToName },
        { label: t('neededBy'), value: formatTime(a.neededBy) },
        ...(decision
          ? [
              {
                label: t('signApprover'),
                value: t('approvedBy', { name: decision.userName, time: formatTime(decision.at) }),
              },
            ]
          : []),
      ],
      columns: [
        { key: 'no', title: '#', align: 'center', width: '5%' },
        { key: 'code', title: t('code'), width: '11%' },
        { key: 'name', title: t('nameSpec'), width: '26%' },
        { key: 'requested', title: t('requested'), align: 'right', width: '13%' },
        { key: 'approved', title: t('approved'), align: 'right', width: '13%' },
        { key: 'sources', title: t('sources'), width: '32%' },
      ],
      rows: a.lines.map((l) => ({
        no: l.lineNo,
        code: l.materialCode,
        name: nameSpec(l.materialName, l.spec),
        requested: `${formatQuantity(l.requested)} ${l.unit}`,
        approved: l.approved === null ? '' : `${formatQuantity(l.approved)} ${l.unit}`,
        sources: l.sources.map((s) => `${s.depotName} ${formatQuantity(s.quantity)}`).join('；'),
      })),
      note: a.note,
      signatures: [t('signHandler'), t('signApprover'), t('signReceiver')],
      preparedBy: { name: a.createdByName, at: a.createdAt },
    };
  };
}

/** 配送单: the lots on the vehicle, who drives it, and the three signatures with dates. */
export function useDeliveryPrint(): (d: DeliveryDto) => PrintableDoc {
  const t = useMessages(printNoteMessages);
  return (d) => {
    const rows = d.lines.flatMap((l) =>
      (l.items.length > 0 ? l.items : [null]).map((item) => ({
        code: l.materialCode,
        name: nameSpec(l.materialName, l.spec),
        from: l.depotName,
        lot: item?.lotNo ?? '',
        expires: item?.expiresOn ?? '',
        qty: `${formatQuantity(item?.quantity ?? l.quantity)} ${l.unit}`,
        received: item?.received === null || item === null ? '' : `${formatQuantity(item.received)}`,
      })),
    );
    return {
      title: t('delivery'),
      docNo: d.docNo,
      date: docDate(d.dispatchedAt ?? d.createdAt),
      unit: d.sourceDepotNames.join('、'),
      info: [
        { label: t('request'), value: d.requestDocNo },
        { label: t('incident'), value: d.incidentName ?? '—' },
        {
          label: t('deliverTo'),
          value: [d.deliverToName, d.deliverContact, d.deliverPhone].filter(Boolean).join(' '),
        },
        { label: t('vehicle'), value: d.vehiclePlate },
        { label: t('driver'), value: `${d.driverName} ${d.driverPhone}` },
        { label: t('escort'), value: d.escortName ?? '—' },
        { label: t('departure'), value: formatTime(d.plannedDeparture) },
        { label: t('arrival'), value: formatTime(d.plannedArrival) },
      ],
      columns: [
        { key: 'no', title: '#', align: 'center', width: '5%' },
        { key: 'code', title: t('code'), width: '10%' },
        { key: 'name', title: t('nameSpec'), width: '22%' },
        { key: 'from', title: t('fromDepot'), width: '17%' },
        { key: 'lot', title: t('lotNo'), width: '12%' },
        { key: 'expires', title: t('expiresOn'), align: 'center', width: '12%' },
        { key: 'qty', title: t('quantity'), align: 'right', width: '12%' },
        { key: 'received', title: t('received'), align: 'right', width: '10%' },
      ],
      rows: rows.map((r, i) => ({ no: i + 1, ...r })),
      note: d.note,
      signatures: [t('signSender'), t('signCarrier'), t('signReceiver')],
      preparedBy: { name: d.createdByName, at: d.createdAt },
    };
  };
}
