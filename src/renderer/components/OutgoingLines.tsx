/**
 * The lines of an outgoing document (出库 issue, 移库 transfer): material, an optional batch,
 * what can be taken, and the quantity. Without a batch the server picks first-expiry-first-out;
 * expired batches leave only when chosen here (and the movement says so).
 */
import { Alert, Form, Table, Tag, Typography, type FormInstance } from 'antd';
import type { MaterialDto } from '../../shared/schemas/material';
import type { BalanceRow, MovementDto } from '../../shared/schemas/stock';
import { formatQuantity } from '../format';
import { defineMessages, useMessages, useTerms } from '../i18n/messages';
import { lineRequired, QuantityInput, Required, type LineColumn } from './LinesEditor';
import type { PrintableDoc } from './PrintDocument';
import { docDate } from './StockFormShell';
import { BatchCell, MaterialCell, StockHint, today } from './StockCells';

export const outgoingMessages = defineMessages(
  {
    material: '物资',
    batch: '批次（可选）',
    stock: '可出',
    quantity: '数量',
    fefo: '不指定批次时，系统按“先到期先出”（FEFO）自动选批；已过期的批次不会被自动选中，只有在“批次”列明确选择时才会出库，出入库记录会注明“指定过期批次”。',
    expiredChosen: '已指定过期批次出库',
    code: '物资编码',
    nameSpec: '物资名称及规格',
    lotNo: '批号',
    expiresOn: '有效期至',
    remark: '说明',
    picked: '出库批次',
    expiredOverride: '指定过期批次',
  },
  {
    material: 'Material',
    batch: 'Batch (optional)',
    stock: 'Can take',
    quantity: 'Quantity',
    fefo: 'Without a batch the system takes the first to expire (FEFO). Expired batches are never picked automatically: they leave only when chosen in the Batch column, and the movement records that.',
    expiredChosen: 'Expired batch chosen explicitly',
    code: 'Code',
    nameSpec: 'Material and specification',
    lotNo: 'Lot no.',
    expiresOn: 'Expires',
    remark: 'Remark',
    picked: 'Batches taken',
    expiredOverride: 'expired batch chosen',
  },
);

export interface OutgoingLine {
  material?: MaterialDto;
  batch?: BalanceRow;
  quantity?: number | null;
}

export const isOutgoingBlank = (l: OutgoingLine | undefined) =>
  !l || (!l.material && !l.batch && !l.quantity);
export const newOutgoingLine = (): OutgoingLine => ({
  material: undefined,
  batch: undefined,
  quantity: null,
});

/** Keeps batches consistent: a line's batch goes when its material changes, all go when the depot does. */
export function syncOutgoing(form: FormInstance, changed: Record<string, unknown>, depotField: string): void {
  if (depotField in changed) {
    const lines = (form.getFieldValue('lines') as OutgoingLine[] | undefined) ?? [];
    lines.forEach((l, i) => l.batch && form.setFieldValue(['lines', i, 'batch'], undefined));
  }
  (changed.lines as (OutgoingLine | undefined)[] | undefined)?.forEach((c, i) => {
    if (!c || !('material' in c)) return;
    const line = form.getFieldValue(['lines', i]) as OutgoingLine | undefined;
    if (line?.batch && line.batch.materialId !== line.material?.materialId)
      form.setFieldValue(['lines', i, 'batch'], undefined);
  });
}

export function useOutgoingColumns(
  depotId: number | undefined,
  lines: OutgoingLine[] | undefined,
): LineColumn[] {
  const t = useMessages(outgoingMessages);
  const terms = useTerms();
  const day = today();
  return [
    {
      key: 'material',
      title: <Required>{t('material')}</Required>,
      width: 300,
      render: ({ name, trailingBlank, leave }) => (
        <Form.Item
          name={[name, 'material']}
          rules={[lineRequired(name, isOutgoingBlank, terms('validation.required'))]}
        >
          <MaterialCell onEmptyEnter={trailingBlank ? leave : undefined} />
        </Form.Item>
      ),
    },
    {
      key: 'batch',
      title: t('batch'),
      width: 300,
      render: ({ name }) => {
        const line = lines?.[name];
        const expired = line?.batch?.expiresOn ? line.batch.expiresOn < day : false;
        return (
          <>
            <Form.Item name={[name, 'batch']}>
              <BatchCell mode="line" depotId={depotId} material={line?.material} />
            </Form.Item>
            {expired && (
              <Typography.Text type="danger" style={{ fontSize: 12 }}>
                {t('expiredChosen')}
              </Typography.Text>
            )}
          </>
        );
      },
    },
    {
      key: 'stock',
      title: t('stock'),
      width: 150,
      align: 'right',
      render: ({ name }) => (
        <div style={{ lineHeight: '32px' }}>
          <StockHint depotId={depotId} material={lines?.[name]?.material} batch={lines?.[name]?.batch} />
        </div>
      ),
    },
    {
      key: 'quantity',
      title: <Required>{t('quantity')}</Required>,
      width: 150,
      align: 'right',
      render: ({ name }) => (
        <Form.Item
          name={[name, 'quantity']}
          rules={[lineRequired(name, isOutgoingBlank, terms('validation.required'))]}
        >
          <QuantityInput unit={lines?.[name]?.material?.unit} />
        </Form.Item>
      ),
    },
  ];
}

export function FefoNote() {
  const t = useMessages(outgoingMessages);
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 8, padding: '4px 12px' }}
      title={<span style={{ fontSize: 12 }}>{t('fefo')}</span>}
    />
  );
}

export function toOutgoingInput(line: OutgoingLine): {
  materialId: number;
  quantity: number;
  batchId?: number;
} {
  return {
    materialId: line.material!.materialId,
    quantity: line.quantity!,
    ...(line.batch?.batchId ? { batchId: line.batch.batchId } : {}),
  };
}

/** The batches a posted outgoing document took (the confirmation's table). */
export function PickedBatches({ movements, title }: { movements: MovementDto[]; title?: string }) {
  const t = useMessages(outgoingMessages);
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="movementId"
      dataSource={movements}
      data-testid="picked-batches"
      title={() => title ?? t('picked')}
      columns={[
        { title: t('code'), dataIndex: 'materialCode', width: 90 },
        { title: t('material'), dataIndex: 'materialName', ellipsis: true },
        { title: t('lotNo'), dataIndex: 'lotNo', width: 120 },
        {
          title: t('expiresOn'),
          key: 'e',
          width: 150,
          render: (_, r) => (
            <>
              {r.expiresOn ?? ''} {r.expiredOverride && <Tag color="red">{t('expiredOverride')}</Tag>}
            </>
          ),
        },
        {
          title: t('quantity'),
          key: 'q',
          align: 'right',
          className: 'num',
          width: 120,
          render: (_, r) => `${formatQuantity(Math.abs(r.quantity))} ${r.unit}`,
        },
      ]}
    />
  );
}

/** What an outgoing document (出库单, 调拨单, 报废单) prints beyond its lines. */
interface OutgoingDoc {
  title: string;
  docNo: string;
  /** The movements posted (the batches actually taken), one printed line each. */
  movements: MovementDto[];
  unit: string;
  info: PrintableDoc['info'];
  note?: string | null;
  signatures: string[];
  /** The spec of a material as the line showed it (movements do not carry specs). */
  specOf: (materialId: number) => string | null | undefined;
}

/** The printable issue, transfer or scrap note, from what was posted. */
export function useOutgoingPrint(): (doc: OutgoingDoc) => PrintableDoc {
  const t = useMessages(outgoingMessages);
  return ({ movements, specOf, ...doc }) => {
    const rows = movements.map((mv, i) => {
      const spec = specOf(mv.materialId);
      return {
        no: i + 1,
        code: mv.materialCode,
        name: `${mv.materialName}${spec ? `（${spec}）` : ''}`,
        lot: mv.lotNo,
        expires: mv.expiresOn ?? '',
        qty: `${formatQuantity(Math.abs(mv.quantity))} ${mv.unit}`,
        remark: mv.expiredOverride ? t('expiredOverride') : '',
      };
    });
    const first = movements[0];
    return {
      ...doc,
      date: docDate(first?.occurredAt),
      columns: [
        { key: 'no', title: '#', align: 'center', width: '5%' },
        { key: 'code', title: t('code'), width: '11%' },
        { key: 'name', title: t('nameSpec'), width: '30%' },
        { key: 'lot', title: t('lotNo'), width: '13%' },
        { key: 'expires', title: t('expiresOn'), align: 'center', width: '12%' },
        { key: 'qty', title: t('quantity'), align: 'right', width: '14%' },
        { key: 'remark', title: t('remark'), width: '15%' },
      ],
      rows,
      totals: { qty: formatQuantity(movements.reduce((s, mv) => s + Math.abs(mv.quantity), 0)) },
      preparedBy: first ? { name: first.userName, at: first.occurredAt } : undefined,
    };
  };
}
