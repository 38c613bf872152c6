/**
 * 出库 Issue: goods leave one depot for a recipient (领用单位). Each line names a material and a
 * quantity; the batch is optional: without it the server takes the first to expire (FEFO), and
 * expired batches leave only when chosen. After posting: the batches taken, 打印 (出库单), 再录一张.
 */
import { Col, Form, Input, Row } from 'antd';
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
    title: '出库',
    docTitle: '出库单',
    depot: '出库储备库',
    recipient: '领用单位',
    recipientPlaceholder: '如：崂山区沙子口街道办事处',
    reason: '出库原因',
    reasonPlaceholder: '如：防汛应急抢险',
    date: '出库日期',
    submit: '提交出库',
    posted: '出库单已保存',
    signHandler: '经办人',
    signKeeper: '保管员',
    signApprover: '审批人',
    signReceiver: '收货人',
  },
  {
    title: 'Issue',
    docTitle: 'Goods Issue Note',
    depot: 'Issuing depot',
    recipient: 'Recipient',
    recipientPlaceholder: 'e.g. a street office',
    reason: 'Reason',
    reasonPlaceholder: 'e.g. flood emergency',
    date: 'Date',
    submit: 'Post issue',
    posted: 'Issue posted',
    signHandler: 'Handled by',
    signKeeper: 'Keeper (issued)',
    signApprover: 'Approved by',
    signReceiver: 'Received by',
  },
);

const SCREEN = 'issue';

interface Values {
  depotId?: number;
  recipient?: string;
  reason?: string;
  note?: string;
  lines: OutgoingLine[];
}

type Posted = PostedDocument<Values, OutgoingLine, OutputOf<'stock.issue'>>;

const fresh = (depotId: number | undefined): Values => ({ depotId, lines: [newOutgoingLine()] });

export default function IssuePage() {
  const t = useMessages(m);
  const terms = useTerms();
  const { depots } = useSession();
  const doc = useStockForm<Values, OutgoingLine, OutputOf<'stock.issue'>>({
    screen: SCREEN,
    isBlank: isOutgoingBlank,
    fresh,
    depotField: 'depotId',
    firstField: 'recipient',
  });
  const { form, posting, lines } = doc;
  const depotId = Form.useWatch('depotId', form) as number | undefined;
  const columns = useOutgoingColumns(depotId, lines);
  const outgoingDoc = useOutgoingPrint();

  const onValuesChange = (changed: Partial<Values>) => {
    syncOutgoing(form, changed, 'depotId');
    doc.changed();
  };

  const submit = () =>
    doc.submit(
      (values, filled, idempotencyKey) =>
        rpc(
          'stock.issue',
          {
            depotId: values.depotId!,
            recipient: (values.recipient ?? '').trim(),
            reason: values.reason ?? null,
            note: values.note ?? null,
            lines: filled.map(toOutgoingInput),
          },
          { idempotencyKey },
        ),
      { materialId: 'material', batchId: 'batch' },
    );

  const printDoc = (p: Posted) =>
    outgoingDoc({
      title: t('docTitle'),
      docNo: p.result.docNo,
      movements: p.result.movements,
      unit:
        depots.find((d) => d.depotId === p.values.depotId)?.name ?? p.result.movements[0]?.depotName ?? '',
      info: [
        { label: t('recipient'), value: p.values.recipient ?? '' },
        { label: t('reason'), value: p.values.reason || '—' },
      ],
      note: p.values.note,
      signatures: [t('signHandler'), t('signKeeper'), t('signApprover'), t('signReceiver')],
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
            <PickedBatches movements={doc.posted.result.movements} />
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
        <Col flex="300px">
          <Form.Item
            name="recipient"
            label={t('recipient')}
            rules={[{ required: true, whitespace: true, message: terms('validation.required') }]}
          >
            <Input maxLength={100} placeholder={t('recipientPlaceholder')} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col flex="260px">
          <Form.Item name="reason" label={t('reason')}>
            <Input maxLength={200} placeholder={t('reasonPlaceholder')} autoComplete="off" />
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
      <StockFormFooter lines={doc.filled} submitLabel={t('submit')} posting={posting.posting} />
    </StockFormShell>
  );
}
