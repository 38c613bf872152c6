/**
 * 报废 Scrap: named batches of one depot are written off, with the reason (required). Each line is
 * a batch (searched by material code, name or lot; a scanned material code lists its batches,
 * earliest expiry first) and a quantity. After posting: 打印 (报废单), 再录一张.
 */
import { Button, Col, Form, Input, Row, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { OutputOf } from '../../../shared/api';
import type { BalanceRow } from '../../../shared/schemas/stock';
import { rpc } from '../../api';
import { DepotSelect } from '../../components/DepotSelect';
import { EnterNavigation } from '../../components/EnterNavigation';
import { applyLineErrors, filledLines, lineRequired, LinesEditor, linesMessages, QuantityInput, Required, type LineColumn } from '../../components/LinesEditor';
import { PickedBatches, useOutgoingPrint } from '../../components/OutgoingLines';
import { PostedModal } from '../../components/PostedModal';
import { PrintView, type PrintableDoc } from '../../components/PrintDocument';
import { docDate, focusFirst, focusFirstLine, StockFormShell, useDefaultDepot } from '../../components/StockFormShell';
import { BatchCell, invalidateStock, today } from '../../components/StockCells';
import { drafts, lastDepot, usePosting } from '../../components/usePosting';
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
    note: '备注',
    batch: '批次',
    onHand: '结存',
    quantity: '报废数量',
    submit: '提交报废',
    scrapped: '报废批次',
    posted: '报废单已保存',
    summary: '{lines} 行 · 合计数量 {qty}',
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
    note: 'Notes',
    batch: 'Batch',
    onHand: 'On hand',
    quantity: 'Quantity scrapped',
    submit: 'Post scrap',
    scrapped: 'Batches scrapped',
    posted: 'Scrap posted',
    summary: '{lines} lines · total quantity {qty}',
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
interface Posted {
  result: OutputOf<'stock.scrap'>;
  values: Values;
  lines: Line[];
}

const isBlank = (l: Line | undefined) => !l || (!l.batch && !l.quantity);
const newLine = (): Line => ({ batch: undefined, quantity: null });

export default function ScrapPage() {
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
  const lines = Form.useWatch('lines', form) as Line[] | undefined;
  const depotId = Form.useWatch('depotId', form) as number | undefined;
  const printLines = useOutgoingPrint();

  const initial = useMemo<Values>(() => restored ?? { depotId: defaultDepot, lines: [newLine()] }, [restored, defaultDepot]);

  useEffect(() => {
    // With the depot set, start at the first field to type.
    focusFirst(form.getFieldValue('depotId') ? '#scrap_reason' : '#scrap_depotId');
  }, [form]);

  const onValuesChange = (changed: Partial<Values>) => {
    posting.changed();
    if ('depotId' in changed) {
      (form.getFieldValue('lines') as Line[]).forEach((l, i) => l.batch && form.setFieldValue(['lines', i, 'batch'], undefined));
    }
    drafts.save(SCREEN, form);
  };

  const submit = async () => {
    const values = form.getFieldsValue(true) as Values;
    const filled = filledLines(values.lines, isBlank);
    if (filled.length === 0) {
      posting.setAlert(tl('noLines'));
      focusFirstLine();
      return;
    }
    const result = await posting.post(
      (idempotencyKey) =>
        rpc(
          'stock.scrap',
          {
            depotId: values.depotId!,
            reason: (values.reason ?? '').trim(),
            note: values.note ?? null,
            lines: filled.map(({ line }) => ({ batchId: line.batch!.batchId!, quantity: line.quantity! })),
          },
          { idempotencyKey },
        ),
      (error) => applyLineErrors(form, error, filled.map((f) => f.formIndex), { batchId: 'batch' }),
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
    form.setFieldsValue({ depotId: depot, reason: undefined, note: undefined, lines: [newLine()] });
    drafts.clear(SCREEN);
    posting.changed();
    setDraftShown(false);
    setPosted(null);
    setPrinting(false);
    window.setTimeout(() => document.querySelector<HTMLInputElement>('#scrap_reason')?.focus(), 0);
  }, [form, posting]);

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
        return <div className="num" style={{ lineHeight: '32px' }}>{b ? `${formatQuantity(b.onHand)} ${b.unit}` : ''}</div>;
      },
    },
    {
      key: 'quantity',
      title: <Required>{t('quantity')}</Required>,
      width: 150,
      align: 'right',
      render: ({ name }) => (
        <Form.Item name={[name, 'quantity']} rules={[lineRequired(name, isBlank, terms('validation.required'))]}>
          <QuantityInput unit={lines?.[name]?.batch?.unit} max={lines?.[name]?.batch?.onHand} />
        </Form.Item>
      ),
    },
  ];

  const filled = filledLines(lines, isBlank).map((f) => f.line);
  const totalQty = filled.reduce((s, l) => s + (l.quantity ?? 0), 0);

  const printDoc = (p: Posted): PrintableDoc => {
    const first = p.result.movements[0];
    const body = printLines(p.result.movements, (id) => p.lines.find((l) => l.batch?.materialId === id)?.batch?.spec);
    return {
      title: t('docTitle'),
      docNo: p.result.docNo,
      date: docDate(first?.occurredAt),
      unit: depots.find((d) => d.depotId === p.values.depotId)?.name ?? first?.depotName ?? '',
      info: [{ label: t('reason'), value: p.values.reason ?? '' }],
      columns: body.columns,
      rows: body.rows,
      totals: { qty: body.total },
      note: p.values.note,
      signatures: [t('signHandler'), t('signKeeper'), t('signAssessor'), t('signApprover')],
      preparedBy: first ? { name: first.userName, at: first.occurredAt } : undefined,
    };
  };

  return (
    <StockFormShell title={t('title')} alert={posting.alert} onCloseAlert={() => posting.setAlert(null)} draftRestored={draftShown} onDiscard={startNew}>
      <Form<Values> name="scrap" form={form} layout="vertical" initialValues={initial} onValuesChange={onValuesChange} onFinish={() => void submit()} scrollToFirstError={{ block: 'center' }}>
        <EnterNavigation onSubmit={() => form.submit()}>
          <Row gutter={12}>
            <Col flex="280px">
              <Form.Item name="depotId" label={t('depot')} rules={[{ required: true, message: terms('validation.required') }]}>
                <DepotSelect mine />
              </Form.Item>
            </Col>
            <Col flex="420px">
              <Form.Item name="reason" label={t('reason')} rules={[{ required: true, whitespace: true, message: terms('validation.required') }]}>
                <Input maxLength={200} placeholder={t('reasonPlaceholder')} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col flex="120px">
              <Form.Item label={t('date')}>
                <Typography.Text style={{ lineHeight: '32px' }}>{today()}</Typography.Text>
              </Form.Item>
            </Col>
          </Row>
          <LinesEditor<Line> form={form} columns={columns} isBlank={isBlank} newLine={newLine} lines={lines} />
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
                <Button type="primary" danger htmlType="submit" loading={posting.posting} disabled={posting.posting}>
                  {t('submit')}
                </Button>
              </Form.Item>
            </Col>
          </Row>
        </EnterNavigation>
      </Form>
      {posted && (
        <PostedModal open title={t('posted')} docNos={[posted.result.docNo]} onPrint={() => setPrinting(true)} onNew={startNew}>
          <PickedBatches movements={posted.result.movements} title={t('scrapped')} />
        </PostedModal>
      )}
      {posted && printing && <PrintView docs={[printDoc(posted)]} onClose={() => setPrinting(false)} />}
    </StockFormShell>
  );
}
