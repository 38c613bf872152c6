/**
 * 出库 Issue: goods leave one depot for a recipient (领用单位). Each line names a material and a
 * quantity; the batch is optional: without it the server takes the first to expire (FEFO), and
 * expired batches leave only when chosen. After posting: the batches taken, 打印 (出库单), 再录一张.
 */
import { Button, Col, Form, Input, Row, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { OutputOf } from '../../../shared/api';
import { rpc } from '../../api';
import { DepotSelect } from '../../components/DepotSelect';
import { EnterNavigation } from '../../components/EnterNavigation';
import { applyLineErrors, filledLines, LinesEditor, linesMessages } from '../../components/LinesEditor';
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
import { PrintView, type PrintableDoc } from '../../components/PrintDocument';
import { docDate, focusFirst, focusFirstLine, StockFormShell, useDefaultDepot } from '../../components/StockFormShell';
import { invalidateStock, today } from '../../components/StockCells';
import { drafts, lastDepot, usePosting } from '../../components/usePosting';
import { formatQuantity } from '../../format';
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
    note: '备注',
    submit: '提交出库',
    posted: '出库单已保存',
    summary: '{lines} 行 · 合计数量 {qty}',
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
    note: 'Notes',
    submit: 'Post issue',
    posted: 'Issue posted',
    summary: '{lines} lines · total quantity {qty}',
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

interface Posted {
  result: OutputOf<'stock.issue'>;
  values: Values;
  lines: OutgoingLine[];
}

export default function IssuePage() {
  const t = useMessages(m);
  const tl = useMessages(linesMessages);
  const terms = useTerms();
  const { depots } = useSession();
  const [form] = Form.useForm<Values>();
  const posting = usePosting();
  const defaultDepot = useDefaultDepot(lastDepot.get());
  const [restored] = useState(() => drafts.load<Values>(SCREEN));
  const [draftShown, setDraftShown] = useState(restored !== null);
  const [posted, setPosted] = useState<Posted | null>(null);
  const [printing, setPrinting] = useState(false);
  const lines = Form.useWatch('lines', form) as OutgoingLine[] | undefined;
  const depotId = Form.useWatch('depotId', form) as number | undefined;
  const columns = useOutgoingColumns(depotId, lines);
  const printLines = useOutgoingPrint();

  const initial = useMemo<Values>(() => restored ?? { depotId: defaultDepot, lines: [newOutgoingLine()] }, [restored, defaultDepot]);

  useEffect(() => {
    // With the depot set, start at the first field to type.
    focusFirst(form.getFieldValue('depotId') ? '#issue_recipient' : '#issue_depotId');
  }, [form]);

  const onValuesChange = (changed: Partial<Values>) => {
    posting.changed();
    syncOutgoing(form, changed, 'depotId');
    drafts.save(SCREEN, form);
  };

  const submit = async () => {
    const values = form.getFieldsValue(true) as Values;
    const filled = filledLines(values.lines, isOutgoingBlank);
    if (filled.length === 0) {
      posting.setAlert(tl('noLines'));
      focusFirstLine();
      return;
    }
    const result = await posting.post(
      (idempotencyKey) =>
        rpc(
          'stock.issue',
          {
            depotId: values.depotId!,
            recipient: (values.recipient ?? '').trim(),
            reason: values.reason ?? null,
            note: values.note ?? null,
            lines: filled.map(({ line }) => toOutgoingInput(line)),
          },
          { idempotencyKey },
        ),
      (error) => applyLineErrors(form, error, filled.map((f) => f.formIndex), { materialId: 'material', batchId: 'batch' }),
    );
    if (!result) return;
    invalidateStock();
    lastDepot.set(values.depotId);
    drafts.clear(SCREEN);
    setDraftShown(false);
    setPosted({ result, values, lines: filled.map((f) => f.line) });
  };

  const startNew = useCallback(() => {
    const depot = form.getFieldValue('depotId') as number | undefined;
    form.resetFields();
    form.setFieldsValue({ depotId: depot, recipient: undefined, reason: undefined, note: undefined, lines: [newOutgoingLine()] });
    drafts.clear(SCREEN);
    posting.changed();
    setDraftShown(false);
    setPosted(null);
    setPrinting(false);
    window.setTimeout(() => document.querySelector<HTMLInputElement>('#issue_recipient')?.focus(), 0);
  }, [form, posting]);

  const filled = filledLines(lines, isOutgoingBlank).map((f) => f.line);
  const totalQty = filled.reduce((s, l) => s + (l.quantity ?? 0), 0);

  const printDoc = (p: Posted): PrintableDoc => {
    const first = p.result.movements[0];
    const body = printLines(p.result.movements, (id) => p.lines.find((l) => l.material?.materialId === id)?.material?.spec);
    return {
      title: t('docTitle'),
      docNo: p.result.docNo,
      date: docDate(first?.occurredAt),
      unit: depots.find((d) => d.depotId === p.values.depotId)?.name ?? first?.depotName ?? '',
      info: [
        { label: t('recipient'), value: p.values.recipient ?? '' },
        { label: t('reason'), value: p.values.reason || '—' },
      ],
      columns: body.columns,
      rows: body.rows,
      totals: { qty: body.total },
      note: p.values.note,
      signatures: [t('signHandler'), t('signKeeper'), t('signApprover'), t('signReceiver')],
      preparedBy: first ? { name: first.userName, at: first.occurredAt } : undefined,
    };
  };

  return (
    <StockFormShell title={t('title')} alert={posting.alert} onCloseAlert={() => posting.setAlert(null)} draftRestored={draftShown} onDiscard={startNew}>
      <Form<Values> name="issue" form={form} layout="vertical" initialValues={initial} onValuesChange={onValuesChange} onFinish={() => void submit()} scrollToFirstError={{ block: 'center' }}>
        <EnterNavigation onSubmit={() => form.submit()}>
          <Row gutter={12}>
            <Col flex="280px">
              <Form.Item name="depotId" label={t('depot')} rules={[{ required: true, message: terms('validation.required') }]}>
                <DepotSelect mine />
              </Form.Item>
            </Col>
            <Col flex="300px">
              <Form.Item name="recipient" label={t('recipient')} rules={[{ required: true, whitespace: true, message: terms('validation.required') }]}>
                <Input maxLength={100} placeholder={t('recipientPlaceholder')} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col flex="260px">
              <Form.Item name="reason" label={t('reason')}>
                <Input maxLength={200} placeholder={t('reasonPlaceholder')} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col flex="120px">
              <Form.Item label={t('date')}>
                <Typography.Text style={{ lineHeight: '32px' }}>{today()}</Typography.Text>
              </Form.Item>
            </Col>
          </Row>
          <FefoNote />
          <LinesEditor<OutgoingLine> form={form} columns={columns} isBlank={isOutgoingBlank} newLine={newOutgoingLine} lines={lines} />
          <Row gutter={12} style={{ marginTop: 12 }} align="bottom">
            <Col flex="auto">
              <Form.Item name="note" label={t('note')}>
                <Input maxLength={500} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col flex="none">
              <Form.Item label=" " colon={false}>
                <Typography.Text type="secondary" className="num" style={{ marginRight: 16 }}>
                  {t('summary', { lines: filled.length, qty: formatQuantity(totalQty) })}
                </Typography.Text>
                <Button type="primary" htmlType="submit" loading={posting.posting} disabled={posting.posting}>
                  {t('submit')}
                </Button>
              </Form.Item>
            </Col>
          </Row>
        </EnterNavigation>
      </Form>
      {posted && (
        <PostedModal open title={t('posted')} docNos={[posted.result.docNo]} onPrint={() => setPrinting(true)} onNew={startNew}>
          <PickedBatches movements={posted.result.movements} />
        </PostedModal>
      )}
      {posted && printing && <PrintView docs={[printDoc(posted)]} onClose={() => setPrinting(false)} />}
    </StockFormShell>
  );
}
