/**
 * 移库 Transfer: goods move from one depot to another in one transaction (out of one, into the
 * other, same lots and dates). A keeper sends from their own depots to any depot. Batches are
 * taken first-expiry-first-out unless chosen. After posting: 打印 (调拨单), 再录一张.
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
    title: '移库',
    docTitle: '调拨单',
    from: '调出库',
    to: '调入库',
    sameDepot: '调出库与调入库不能相同',
    date: '调拨日期',
    note: '备注',
    notePlaceholder: '调拨事由、车辆等',
    submit: '提交调拨',
    posted: '调拨单已保存',
    postedHint: '已从「{from}」调出并调入「{to}」。',
    summary: '{lines} 行 · 合计数量 {qty}',
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
    note: 'Notes',
    notePlaceholder: 'Purpose, vehicle …',
    submit: 'Post transfer',
    posted: 'Transfer posted',
    postedHint: 'Moved out of “{from}” into “{to}”.',
    summary: '{lines} lines · total quantity {qty}',
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

interface Posted {
  result: OutputOf<'stock.transfer'>;
  values: Values;
  lines: OutgoingLine[];
}

export default function TransferPage() {
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
  const fromDepotId = Form.useWatch('fromDepotId', form) as number | undefined;
  const columns = useOutgoingColumns(fromDepotId, lines);
  const printLines = useOutgoingPrint();
  const depotName = (id: number | undefined) => depots.find((d) => d.depotId === id)?.name ?? '';

  const initial = useMemo<Values>(() => restored ?? { fromDepotId: defaultDepot, lines: [newOutgoingLine()] }, [restored, defaultDepot]);

  useEffect(() => {
    focusFirst(form.getFieldValue('fromDepotId') ? '#transfer_toDepotId' : '#transfer_fromDepotId');
  }, [form]);

  const onValuesChange = (changed: Partial<Values>) => {
    posting.changed();
    syncOutgoing(form, changed, 'fromDepotId');
    if ('fromDepotId' in changed) void form.validateFields(['toDepotId']).catch(() => undefined);
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
          'stock.transfer',
          {
            fromDepotId: values.fromDepotId!,
            toDepotId: values.toDepotId!,
            note: values.note ?? null,
            lines: filled.map(({ line }) => toOutgoingInput(line)),
          },
          { idempotencyKey },
        ),
      (error) => applyLineErrors(form, error, filled.map((f) => f.formIndex), { materialId: 'material', batchId: 'batch' }),
    );
    if (!result) return;
    invalidateStock();
    lastDepot.set(values.fromDepotId);
    drafts.clear(SCREEN);
    setDraftShown(false);
    setPosted({ result, values, lines: filled.map((f) => f.line) });
  };

  const startNew = useCallback(() => {
    const keep = form.getFieldsValue(['fromDepotId', 'toDepotId']) as Pick<Values, 'fromDepotId' | 'toDepotId'>;
    form.resetFields();
    form.setFieldsValue({ ...keep, note: undefined, lines: [newOutgoingLine()] });
    drafts.clear(SCREEN);
    posting.changed();
    setDraftShown(false);
    setPosted(null);
    setPrinting(false);
    focusFirstLine();
  }, [form, posting]);

  const filled = filledLines(lines, isOutgoingBlank).map((f) => f.line);
  const totalQty = filled.reduce((s, l) => s + (l.quantity ?? 0), 0);
  const outLegs = (p: Posted) => p.result.movements.filter((mv) => mv.type === 'transfer_out');

  const printDoc = (p: Posted): PrintableDoc => {
    const legs = outLegs(p);
    const first = legs[0];
    const body = printLines(legs, (id) => p.lines.find((l) => l.material?.materialId === id)?.material?.spec);
    return {
      title: t('docTitle'),
      docNo: p.result.docNo,
      date: docDate(first?.occurredAt),
      unit: depotName(p.values.fromDepotId),
      info: [
        { label: t('from'), value: depotName(p.values.fromDepotId) },
        { label: t('to'), value: depotName(p.values.toDepotId) },
      ],
      columns: body.columns,
      rows: body.rows,
      totals: { qty: body.total },
      note: p.values.note,
      signatures: [t('signHandler'), t('signFromKeeper'), t('signToKeeper'), t('signApprover')],
      preparedBy: first ? { name: first.userName, at: first.occurredAt } : undefined,
    };
  };

  return (
    <StockFormShell title={t('title')} alert={posting.alert} onCloseAlert={() => posting.setAlert(null)} draftRestored={draftShown} onDiscard={startNew}>
      <Form<Values> name="transfer" form={form} layout="vertical" initialValues={initial} onValuesChange={onValuesChange} onFinish={() => void submit()} scrollToFirstError={{ block: 'center' }}>
        <EnterNavigation onSubmit={() => form.submit()}>
          <Row gutter={12}>
            <Col flex="280px">
              <Form.Item name="fromDepotId" label={t('from')} rules={[{ required: true, message: terms('validation.required') }]}>
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
                <Input maxLength={500} placeholder={t('notePlaceholder')} autoComplete="off" />
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
          <Typography.Paragraph>{t('postedHint', { from: depotName(posted.values.fromDepotId), to: depotName(posted.values.toDepotId) })}</Typography.Paragraph>
          <PickedBatches movements={outLegs(posted)} />
        </PostedModal>
      )}
      {posted && printing && <PrintView docs={[printDoc(posted)]} onClose={() => setPrinting(false)} />}
    </StockFormShell>
  );
}
