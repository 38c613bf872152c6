/**
 * 报废 Scrap: named batches of one depot are written off, with the reason (required). Each line is
 * a batch (searched by material code, name or lot; a scanned material code lists its batches,
 * earliest expiry first) and a quantity. After posting: 打印 (报废单), 再录一张.
 */
import { Col, Form, Input, Row } from 'antd';
import type { OutputOf } from '../../../shared/api';
import type { BalanceRow } from '../../../shared/schemas/stock';
import { rpc } from '../../api';
import { DepotSelect } from '../../components/DepotSelect';
import {
  lineRequired,
  LinesEditor,
  QuantityInput,
  Required,
  type LineColumn,
} from '../../components/LinesEditor';
import { PickedBatches, useOutgoingPrint } from '../../components/OutgoingLines';
import { PostedModal } from '../../components/PostedModal';
import { BatchCell } from '../../components/StockCells';
import { StockFormFooter, StockFormShell, TodayField } from '../../components/StockFormShell';
import { useStockForm, type PostedDocument } from '../../components/useStockForm';
import { formatQuantity } from '../../format';
import { defineMessages, useMessages, useTerms } from '../../i18n/messages';
import { useSession } from '../../session';

const m = defineMessages(
  {
    title: '报废',
    docTitle: '报废单',
    depot: '储备库',
    reason: '报废原因',
    reasonPlaceholder: '如：受潮霉变，经鉴定无法使用',
    date: '报废日期',
    batch: '批次',
    onHand: '结存',
    quantity: '报废数量',
    submit: '提交报废',
    scrapped: '报废批次',
    posted: '报废单已保存',
    signHandler: '经办人',
    signKeeper: '保管员',
    signAssessor: '鉴定人',
    signApprover: '审批人',
  },
  {
    title: 'Scrap',
    docTitle: 'Scrap Note',
    depot: 'Depot',
    reason: 'Reason',
    reasonPlaceholder: 'e.g. damp and mouldy, assessed unusable',
    date: 'Date',
    batch: 'Batch',
    onHand: 'On hand',
    quantity: 'Quantity scrapped',
    submit: 'Post scrap',
    scrapped: 'Batches scrapped',
    posted: 'Scrap posted',
    signHandler: 'Handled by',
    signKeeper: 'Keeper',
    signAssessor: 'Assessed by',
    signApprover: 'Approved by',
  },
);

const SCREEN = 'scrap';

interface Line {
  batch?: BalanceRow;
  quantity?: number | null;
}
interface Values {
  depotId?: number;
  reason?: string;
  note?: string;
  lines: Line[];
}
type Posted = PostedDocument<Values, Line, OutputOf<'stock.scrap'>>;

const isBlank = (l: Line | undefined) => !l || (!l.batch && !l.quantity);
const newLine = (): Line => ({ batch: undefined, quantity: null });
const fresh = (depotId: number | undefined): Values => ({ depotId, lines: [newLine()] });

export default function ScrapPage() {
  const t = useMessages(m);
  const terms = useTerms();
  const { depots } = useSession();
  const doc = useStockForm<Values, Line, OutputOf<'stock.scrap'>>({
    screen: SCREEN,
    isBlank,
    fresh,
    depotField: 'depotId',
    firstField: 'reason',
  });
  const { form, posting, lines } = doc;
  const depotId = Form.useWatch('depotId', form) as number | undefined;
  const outgoingDoc = useOutgoingPrint();

  const onValuesChange = (changed: Partial<Values>) => {
    // The batches belong to the depot: another depot, choose them again.
    if ('depotId' in changed) {
      (form.getFieldValue('lines') as Line[]).forEach(
        (l, i) => l.batch && form.setFieldValue(['lines', i, 'batch'], undefined),
      );
    }
    doc.changed();
  };

  const submit = () =>
    doc.submit(
      (values, filled, idempotencyKey) =>
        rpc(
          'stock.scrap',
          {
            depotId: values.depotId!,
            reason: (values.reason ?? '').trim(),
            note: values.note ?? null,
            lines: filled.map((line) => ({ batchId: line.batch!.batchId!, quantity: line.quantity! })),
          },
          { idempotencyKey },
        ),
      { batchId: 'batch' },
    );

  const columns: LineColumn[] = [
    {
      key: 'batch',
      title: <Required>{t('batch')}</Required>,
      width: 560,
      render: ({ name, trailingBlank, leave }) => (
        <Form.Item name={[name, 'batch']} rules={[lineRequired(name, isBlank, terms('validation.required'))]}>
          <BatchCell mode="search" depotId={depotId} onEmptyEnter={trailingBlank ? leave : undefined} />
        </Form.Item>
      ),
    },
    {
      key: 'onHand',
      title: t('onHand'),
      width: 140,
      align: 'right',
      render: ({ name }) => {
        const b = lines?.[name]?.batch;
        return (
          <div className="num" style={{ lineHeight: '32px' }}>
            {b ? `${formatQuantity(b.onHand)} ${b.unit}` : ''}
          </div>
        );
      },
    },
    {
      key: 'quantity',
      title: <Required>{t('quantity')}</Required>,
      width: 150,
      align: 'right',
      render: ({ name }) => (
        <Form.Item
          name={[name, 'quantity']}
          rules={[lineRequired(name, isBlank, terms('validation.required'))]}
        >
          <QuantityInput unit={lines?.[name]?.batch?.unit} max={lines?.[name]?.batch?.onHand} />
        </Form.Item>
      ),
    },
  ];

  const printDoc = (p: Posted) =>
    outgoingDoc({
      title: t('docTitle'),
      docNo: p.result.docNo,
      movements: p.result.movements,
      unit:
        depots.find((d) => d.depotId === p.values.depotId)?.name ?? p.result.movements[0]?.depotName ?? '',
      info: [{ label: t('reason'), value: p.values.reason ?? '' }],
      note: p.values.note,
      signatures: [t('signHandler'), t('signKeeper'), t('signAssessor'), t('signApprover')],
      specOf: (id) => p.lines.find((l) => l.batch?.materialId === id)?.batch?.spec,
    });

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
            <PickedBatches movements={doc.posted.result.movements} title={t('scrapped')} />
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
        <Col flex="420px">
          <Form.Item
            name="reason"
            label={t('reason')}
            rules={[{ required: true, whitespace: true, message: terms('validation.required') }]}
          >
            <Input maxLength={200} placeholder={t('reasonPlaceholder')} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col flex="120px">
          <TodayField label={t('date')} />
        </Col>
      </Row>
      <LinesEditor<Line> form={form} columns={columns} isBlank={isBlank} newLine={newLine} lines={lines} />
      <StockFormFooter lines={doc.filled} submitLabel={t('submit')} danger posting={posting.posting} />
    </StockFormShell>
  );
}
