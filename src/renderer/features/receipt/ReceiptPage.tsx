/**
 * 入库 Receipt: goods come into one depot, one document, many lines (material, lot number,
 * production date, expiry, quantity, unit price). Keyboard-first: Enter moves on, a scanned
 * material code picks the material, a new line appears as the last one is used. After posting:
 * the document number, 打印 (入库单) and 再录一张.
 */
import { Col, DatePicker, Form, Input, InputNumber, Row, Select, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { OutputOf } from '../../../shared/api';
import type { MaterialDto } from '../../../shared/schemas/material';
import { rpc } from '../../api';
import { DepotSelect } from '../../components/DepotSelect';
import {
  lineRequired,
  LinesEditor,
  QuantityInput,
  Required,
  type LineColumn,
} from '../../components/LinesEditor';
import { PostedModal } from '../../components/PostedModal';
import type { PrintableDoc } from '../../components/PrintDocument';
import { MaterialCell } from '../../components/StockCells';
import { docDate, StockFormFooter, StockFormShell, TodayField } from '../../components/StockFormShell';
import { useStockForm, type PostedDocument } from '../../components/useStockForm';
import { fenToYuan, formatFen, formatQuantity, yuanToFen } from '../../format';
import { defineMessages, useMessages, useTerms } from '../../i18n/messages';
import { useSession } from '../../session';

const m = defineMessages(
  {
    title: '入库',
    docTitle: '入库单',
    depot: '入库储备库',
    source: '来源',
    supplier: '供应单位',
    supplierPlaceholder: '供货或捐赠单位',
    date: '入库日期',
    notePlaceholder: '合同号、发票号、验收情况等',
    material: '物资',
    lotNo: '批号',
    producedOn: '生产日期',
    expiresOn: '有效期至',
    expiresAuto: '自动 {date}',
    quantity: '数量',
    unitPrice: '单价（元）',
    priceInvalid: '单价为元，最多两位小数',
    amount: '金额',
    submit: '提交入库',
    posted: '入库单已保存',
    code: '物资编码',
    nameSpec: '物资名称及规格',
    price: '单价',
    signHandler: '经办人',
    signKeeper: '验收保管员',
    signDeliverer: '交货人',
    signApprover: '审批人',
    datePlaceholder: '年-月-日',
  },
  {
    title: 'Receipt',
    docTitle: 'Goods Received Note',
    depot: 'Receiving depot',
    source: 'Source',
    supplier: 'Supplier',
    supplierPlaceholder: 'Supplier or donor',
    date: 'Date',
    notePlaceholder: 'Contract, invoice, inspection …',
    material: 'Material',
    lotNo: 'Lot no.',
    producedOn: 'Produced',
    expiresOn: 'Expires',
    expiresAuto: 'auto {date}',
    quantity: 'Quantity',
    unitPrice: 'Unit price (¥)',
    priceInvalid: 'A price in yuan, at most two decimals',
    amount: 'Amount',
    submit: 'Post receipt',
    posted: 'Receipt posted',
    code: 'Code',
    nameSpec: 'Material and specification',
    price: 'Unit price',
    signHandler: 'Handled by',
    signKeeper: 'Keeper (inspected)',
    signDeliverer: 'Delivered by',
    signApprover: 'Approved by',
    datePlaceholder: 'date',
  },
);

const SOURCES = ['procurement', 'donation', 'callUp', 'return', 'opening'] as const;
type Source = (typeof SOURCES)[number];
const DATE_FORMATS = ['YYYY-MM-DD', 'YYYYMMDD', 'YYYY/MM/DD', 'YYYY.MM.DD'];
const SCREEN = 'receipt';

interface Line {
  material?: MaterialDto;
  lotNo?: string;
  producedOn?: Dayjs | null;
  expiresOn?: Dayjs | null;
  quantity?: number | null;
  unitPrice?: string | null;
}
interface Values {
  depotId?: number;
  source?: Source;
  supplier?: string;
  note?: string;
  lines: Line[];
}

const isBlank = (l: Line | undefined) =>
  !l ||
  (!l.material &&
    !l.lotNo?.trim() &&
    !l.producedOn &&
    !l.expiresOn &&
    !l.quantity &&
    (l.unitPrice ?? '') === '');
const newLine = (): Line => ({
  material: undefined,
  lotNo: undefined,
  producedOn: null,
  expiresOn: null,
  quantity: null,
  unitPrice: null,
});

/** As the server does: N months after production, the day before (clamped to short months). */
function autoExpiry(material: MaterialDto | undefined, producedOn: Dayjs | null | undefined): string | null {
  if (!material?.shelfLifeMonths || !producedOn) return null;
  const end = producedOn.add(material.shelfLifeMonths, 'month');
  return end.subtract(1, 'day').format('YYYY-MM-DD');
}

/** The line's amount in fen; none while the price is empty or not yet a valid amount. */
function lineAmountFen(l: Line): number | null {
  const price = yuanToFen(l.unitPrice);
  return price !== null && Number.isFinite(price) && l.quantity ? price * l.quantity : null;
}

type Posted = PostedDocument<Values, Line, OutputOf<'stock.receive'>>;

const fresh = (depotId: number | undefined): Values => ({
  depotId,
  source: 'procurement',
  lines: [newLine()],
});
const KEEP: (keyof Values)[] = ['source'];

export default function ReceiptPage() {
  const t = useMessages(m);
  const terms = useTerms();
  const { depots } = useSession();
  // Depot, source and today are filled in: typing starts at the supplier (Enter on it goes to the first line).
  const doc = useStockForm<Values, Line, OutputOf<'stock.receive'>>({
    screen: SCREEN,
    isBlank,
    fresh,
    depotField: 'depotId',
    keep: KEEP,
    firstField: 'supplier',
  });
  const { form, posting, lines } = doc;

  const onValuesChange = (changed: Partial<Values>) => {
    // A chosen material brings its reference price when none is typed.
    changed.lines?.forEach((c, i) => {
      if (!c?.material) return;
      const line = form.getFieldValue(['lines', i]) as Line | undefined;
      if ((line?.unitPrice ?? '') === '' && c.material.referencePriceFen !== null) {
        form.setFieldValue(['lines', i, 'unitPrice'], fenToYuan(c.material.referencePriceFen));
      }
    });
    doc.changed();
  };

  const submit = () =>
    doc.submit(
      (values, filled, idempotencyKey) =>
        rpc(
          'stock.receive',
          {
            depotId: values.depotId!,
            source: values.source!,
            note: values.note ?? null,
            lines: filled.map((line) => ({
              materialId: line.material!.materialId,
              quantity: line.quantity!,
              lotNo: (line.lotNo ?? '').trim(),
              producedOn: line.producedOn ? line.producedOn.format('YYYY-MM-DD') : null,
              expiresOn: line.expiresOn ? line.expiresOn.format('YYYY-MM-DD') : null,
              supplier: values.supplier ?? null,
              unitPriceFen: yuanToFen(line.unitPrice),
            })),
          },
          { idempotencyKey },
        ),
      { materialId: 'material', unitPriceFen: 'unitPrice' },
    );

  const columns: LineColumn[] = [
    {
      key: 'material',
      title: <Required>{t('material')}</Required>,
      width: 250,
      render: ({ name, trailingBlank, leave }) => (
        <Form.Item
          name={[name, 'material']}
          rules={[lineRequired(name, isBlank, terms('validation.required'))]}
        >
          <MaterialCell onEmptyEnter={trailingBlank ? leave : undefined} />
        </Form.Item>
      ),
    },
    {
      key: 'lotNo',
      title: <Required>{t('lotNo')}</Required>,
      width: 118,
      render: ({ name }) => (
        <Form.Item name={[name, 'lotNo']} rules={[lineRequired(name, isBlank, terms('validation.required'))]}>
          <Input maxLength={50} autoComplete="off" />
        </Form.Item>
      ),
    },
    {
      key: 'producedOn',
      title: t('producedOn'),
      width: 132,
      render: ({ name }) => (
        <Form.Item name={[name, 'producedOn']}>
          <DatePicker
            format={DATE_FORMATS}
            placeholder={t('datePlaceholder')}
            style={{ width: '100%' }}
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
          />
        </Form.Item>
      ),
    },
    {
      key: 'expiresOn',
      title: t('expiresOn'),
      width: 132,
      render: ({ name }) => {
        const line = lines?.[name];
        const auto = autoExpiry(line?.material, line?.producedOn);
        return (
          <Form.Item name={[name, 'expiresOn']}>
            <DatePicker
              format={DATE_FORMATS}
              placeholder={auto ? t('expiresAuto', { date: auto }) : t('datePlaceholder')}
              style={{ width: '100%' }}
            />
          </Form.Item>
        );
      },
    },
    {
      key: 'quantity',
      title: <Required>{t('quantity')}</Required>,
      width: 132,
      align: 'right',
      render: ({ name }) => (
        <Form.Item
          name={[name, 'quantity']}
          rules={[lineRequired(name, isBlank, terms('validation.required'))]}
        >
          <QuantityInput unit={lines?.[name]?.material?.unit} />
        </Form.Item>
      ),
    },
    {
      key: 'unitPrice',
      title: t('unitPrice'),
      width: 104,
      align: 'right',
      render: ({ name }) => (
        <Form.Item
          name={[name, 'unitPrice']}
          rules={[
            {
              validator: async (_, v: string | null | undefined) => {
                if (Number.isNaN(yuanToFen(v))) throw new Error(t('priceInvalid'));
              },
            },
          ]}
        >
          <InputNumber<string>
            stringMode
            min="0"
            precision={2}
            controls={false}
            changeOnWheel={false}
            style={{ width: '100%' }}
            className="num-input"
          />
        </Form.Item>
      ),
    },
    {
      key: 'amount',
      title: t('amount'),
      width: 110,
      align: 'right',
      render: ({ name }) => {
        const amount = lines?.[name] ? lineAmountFen(lines[name]!) : null;
        return (
          <div className="num" style={{ lineHeight: '32px' }}>
            {amount === null ? '' : formatFen(amount)}
          </div>
        );
      },
    },
  ];

  const totalFen = doc.filled.reduce((s, l) => s + (lineAmountFen(l) ?? 0), 0);

  const printDoc = (p: Posted): PrintableDoc => {
    const depotName =
      depots.find((d) => d.depotId === p.values.depotId)?.name ?? p.result.movements[0]?.depotName ?? '';
    const rows = p.result.movements.map((mv, i) => {
      const line = p.lines[i];
      const amount = line ? lineAmountFen(line) : null;
      return {
        no: i + 1,
        code: mv.materialCode,
        name: `${mv.materialName}${line?.material?.spec ? `（${line.material.spec}）` : ''}`,
        lot: mv.lotNo,
        produced: line?.producedOn ? line.producedOn.format('YYYY-MM-DD') : '',
        expires: mv.expiresOn ?? '',
        qty: `${formatQuantity(mv.quantity)} ${mv.unit}`,
        price: line && yuanToFen(line.unitPrice) !== null ? formatFen(yuanToFen(line.unitPrice)) : '',
        amount: amount === null ? '' : formatFen(amount),
      };
    });
    const qty = p.result.movements.reduce((s, mv) => s + mv.quantity, 0);
    const amount = p.lines.reduce((s, l) => s + (lineAmountFen(l) ?? 0), 0);
    const first = p.result.movements[0];
    return {
      title: t('docTitle'),
      docNo: p.result.docNo,
      date: docDate(first?.occurredAt),
      unit: depotName,
      info: [
        { label: t('source'), value: p.values.source ? terms(`batchSource.${p.values.source}`) : '' },
        { label: t('supplier'), value: p.values.supplier || '—' },
      ],
      columns: [
        { key: 'no', title: '#', align: 'center', width: '4%' },
        { key: 'code', title: t('code'), width: '9%' },
        { key: 'name', title: t('nameSpec'), width: '17%' },
        { key: 'lot', title: t('lotNo'), width: '10%' },
        { key: 'produced', title: t('producedOn'), align: 'center', width: '12%' },
        { key: 'expires', title: t('expiresOn'), align: 'center', width: '12%' },
        { key: 'qty', title: t('quantity'), align: 'right', width: '11%' },
        { key: 'price', title: t('price'), align: 'right', width: '10%' },
        { key: 'amount', title: t('amount'), align: 'right', width: '15%' },
      ],
      rows,
      totals: { qty: formatQuantity(qty), amount: amount > 0 ? formatFen(amount) : '' },
      amountFen: amount > 0 ? amount : undefined,
      note: p.values.note,
      signatures: [t('signDeliverer'), t('signKeeper'), t('signHandler'), t('signApprover')],
      preparedBy: first ? { name: first.userName, at: first.occurredAt } : undefined,
    };
  };

  return (
    <StockFormShell
      title={t('title')}
      doc={doc}
      onValuesChange={onValuesChange}
      onSubmit={() => void submit()}
      posted={
        doc.posted && (
          <PostedModal
            title={t('posted')}
            docNos={[doc.posted.result.docNo]}
            print={() => [printDoc(doc.posted!)]}
            onNew={doc.startNew}
          >
            <Table
              size="small"
              pagination={false}
              rowKey="movementId"
              dataSource={doc.posted.result.movements}
              columns={[
                { title: t('code'), dataIndex: 'materialCode', width: 90 },
                { title: t('material'), dataIndex: 'materialName', ellipsis: true },
                { title: t('lotNo'), dataIndex: 'lotNo', width: 110 },
                { title: t('expiresOn'), dataIndex: 'expiresOn', width: 100 },
                {
                  title: t('quantity'),
                  key: 'q',
                  align: 'right',
                  className: 'num',
                  width: 120,
                  render: (_, r) => `${formatQuantity(r.quantity)} ${r.unit}`,
                },
              ]}
            />
          </PostedModal>
        )
      }
    >
      <Row gutter={12}>
        <Col flex="280px">
          <Form.Item
            name="depotId"
            label={t('depot')}
            rules={[{ required: true, message: terms('validation.required') }]}
          >
            <DepotSelect mine />
          </Form.Item>
        </Col>
        <Col flex="150px">
          <Form.Item
            name="source"
            label={t('source')}
            rules={[{ required: true, message: terms('validation.required') }]}
          >
            <Select options={SOURCES.map((s) => ({ value: s, label: terms(`batchSource.${s}`) }))} />
          </Form.Item>
        </Col>
        <Col flex="280px">
          <Form.Item name="supplier" label={t('supplier')}>
            <Input maxLength={100} placeholder={t('supplierPlaceholder')} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col flex="120px">
          <TodayField label={t('date')} />
        </Col>
      </Row>
      <LinesEditor<Line> form={form} columns={columns} isBlank={isBlank} newLine={newLine} lines={lines} />
      <StockFormFooter
        notePlaceholder={t('notePlaceholder')}
        lines={doc.filled}
        amount={formatFen(totalFen)}
        submitLabel={t('submit')}
        posting={posting.posting}
      />
    </StockFormShell>
  );
}
