/**
 * 移库 Transfer: goods move from one depot to another in one transaction (out of one, into the
 * other, same lots and dates). A keeper sends from their own depots to any depot. Batches are
 * taken first-expiry-first-out unless chosen. After posting: 打印 (调拨单), 再录一张.
 */
import { Col, Form, Row, Typography } from 'antd';
import type { OutputOf } from '../../../shared/api';
import { rpc } from '../../api';
import { DepotSelect } from '../../components/DepotSelect';
import { LinesEditor } from '../../components/LinesEditor';
import {
  FefoNote,
  isOutgoingBlank,
  newOutgoingLine,
  PickedBatches,
  syncOutgoing,
  toOutgoingInput,
  useOutgoingColumns,
  useOutgoingPrint,
  type OutgoingLine,
} from '../../components/OutgoingLines';
import { PostedModal } from '../../components/PostedModal';
import { StockFormFooter, StockFormShell, TodayField } from '../../components/StockFormShell';
import { useStockForm, type PostedDocument } from '../../components/useStockForm';
import { defineMessages, useMessages, useTerms } from '../../i18n/messages';
import { useSession } from '../../session';

const m = defineMessages(
  {
    title: '移库',
    docTitle: '调拨单',
    from: '调出库',
    to: '调入库',
    sameDepot: '调出库与调入库不能相同',
    date: '调拨日期',
    notePlaceholder: '调拨事由、车辆等',
    submit: '提交调拨',
    posted: '调拨单已保存',
    postedHint: '已从「{from}」调出并调入「{to}」。',
    signHandler: '经办人',
    signFromKeeper: '调出库保管员',
    signToKeeper: '调入库保管员',
    signApprover: '审批人',
  },
  {
    title: 'Transfer',
    docTitle: 'Transfer Note',
    from: 'From depot',
    to: 'To depot',
    sameDepot: 'The two depots must differ',
    date: 'Date',
    notePlaceholder: 'Purpose, vehicle …',
    submit: 'Post transfer',
    posted: 'Transfer posted',
    postedHint: 'Moved out of “{from}” into “{to}”.',
    signHandler: 'Handled by',
    signFromKeeper: 'Sending keeper',
    signToKeeper: 'Receiving keeper',
    signApprover: 'Approved by',
  },
);

const SCREEN = 'transfer';

interface Values {
  fromDepotId?: number;
  toDepotId?: number;
  note?: string;
  lines: OutgoingLine[];
}

type Posted = PostedDocument<Values, OutgoingLine, OutputOf<'stock.transfer'>>;

const fresh = (fromDepotId: number | undefined): Values => ({ fromDepotId, lines: [newOutgoingLine()] });
const KEEP: (keyof Values)[] = ['toDepotId'];

export default function TransferPage() {
  const t = useMessages(m);
  const terms = useTerms();
  const { depots } = useSession();
  // Both depots stay for the next document, so it starts at its first line.
  const doc = useStockForm<Values, OutgoingLine, OutputOf<'stock.transfer'>>({
    screen: SCREEN,
    isBlank: isOutgoingBlank,
    fresh,
    depotField: 'fromDepotId',
    keep: KEEP,
    firstField: 'toDepotId',
    nextField: null,
  });
  const { form, posting, lines } = doc;
  const fromDepotId = Form.useWatch('fromDepotId', form) as number | undefined;
  const columns = useOutgoingColumns(fromDepotId, lines);
  const outgoingDoc = useOutgoingPrint();
  const depotName = (id: number | undefined) => depots.find((d) => d.depotId === id)?.name ?? '';

  const onValuesChange = (changed: Partial<Values>) => {
    syncOutgoing(form, changed, 'fromDepotId');
    if ('fromDepotId' in changed) void form.validateFields(['toDepotId']).catch(() => undefined);
    doc.changed();
  };

  const submit = () =>
    doc.submit(
      (values, filled, idempotencyKey) =>
        rpc(
          'stock.transfer',
          {
            fromDepotId: values.fromDepotId!,
            toDepotId: values.toDepotId!,
            note: values.note ?? null,
            lines: filled.map(toOutgoingInput),
          },
          { idempotencyKey },
        ),
      { materialId: 'material', batchId: 'batch' },
    );

  const outLegs = (p: Posted) => p.result.movements.filter((mv) => mv.type === 'transfer_out');

  const printDoc = (p: Posted) =>
    outgoingDoc({
      title: t('docTitle'),
      docNo: p.result.docNo,
      movements: outLegs(p),
      unit: depotName(p.values.fromDepotId),
      info: [
        { label: t('from'), value: depotName(p.values.fromDepotId) },
        { label: t('to'), value: depotName(p.values.toDepotId) },
      ],
      note: p.values.note,
      signatures: [t('signHandler'), t('signFromKeeper'), t('signToKeeper'), t('signApprover')],
      specOf: (id) => p.lines.find((l) => l.material?.materialId === id)?.material?.spec,
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
            <Typography.Paragraph>
              {t('postedHint', {
                from: depotName(doc.posted.values.fromDepotId),
                to: depotName(doc.posted.values.toDepotId),
              })}
            </Typography.Paragraph>
            <PickedBatches movements={outLegs(doc.posted)} />
          </PostedModal>
        )
      }
    >
      <Row gutter={12}>
        <Col flex="280px">
          <Form.Item
            name="fromDepotId"
            label={t('from')}
            rules={[{ required: true, message: terms('validation.required') }]}
          >
            <DepotSelect mine />
          </Form.Item>
        </Col>
        <Col flex="280px">
          <Form.Item
            name="toDepotId"
            label={t('to')}
            dependencies={['fromDepotId']}
            rules={[
              { required: true, message: terms('validation.required') },
              ({ getFieldValue }) => ({
                validator: async (_, v: number | undefined) => {
                  if (v !== undefined && v === getFieldValue('fromDepotId')) throw new Error(t('sameDepot'));
                },
              }),
            ]}
          >
            <DepotSelect />
          </Form.Item>
        </Col>
        <Col flex="120px">
          <TodayField label={t('date')} />
        </Col>
      </Row>
      <FefoNote />
      <LinesEditor<OutgoingLine>
        form={form}
        columns={columns}
        isBlank={isOutgoingBlank}
        newLine={newOutgoingLine}
        lines={lines}
      />
      <StockFormFooter
        notePlaceholder={t('notePlaceholder')}
        lines={doc.filled}
        submitLabel={t('submit')}
        posting={posting.posting}
      />
    </StockFormShell>
  );
}
