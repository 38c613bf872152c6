/**
 * 红冲 Reversal: find a posted document by its number (or arrive from a link
 * #/reversal?movementId=N), see its movements, choose which to reverse, give the reason and
 * confirm. The original is never changed: a reversal document (HC-…) posts the exact opposite.
 * A transfer is reversed on both sides together (the goods go back); a reversal cannot itself be
 * reversed, and a movement is reversed only once.
 */
import {
  App,
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { OutputOf } from '../../../shared/api';
import type { MovementDto } from '../../../shared/schemas/stock';
import { rpc, RpcFailure } from '../../api';
import { applyServerErrors } from '../../components/serverErrors';
import { PostedModal } from '../../components/PostedModal';
import type { PrintableDoc } from '../../components/PrintDocument';
import { docDate } from '../../components/StockFormShell';
import { invalidateStock } from '../../components/StockCells';
import { usePosting } from '../../components/usePosting';
import { formatSigned, formatTime } from '../../format';
import { defineMessages, useMessages, useTerms } from '../../i18n/messages';
import { navigate, useRoute } from '../../router';
import { useSession } from '../../session';
import { DocLink } from '../../components/DocLink';
import { MovementTypeTag } from '../movements/movementParts';

const m = defineMessages(
  {
    title: '红冲',
    docTitle: '红冲单',
    docNo: '单号',
    docNoPlaceholder: '输入或扫描单号，如 CK-20261130-0001',
    find: '查找',
    notFound: '没有找到单号为 {docNo} 的出入库记录',
    explain:
      '红冲不修改也不删除原记录：系统生成一张红冲单，按原记录的相反方向、相同数量入账，原记录标记为“已红冲”。每条记录只能红冲一次，红冲记录不能再红冲。',
    transferBoth: '这是调拨单：红冲调出记录时，调出库和调入库两边一并冲回，货物回到调出库。',
    type: '类型',
    occurredAt: '时间',
    user: '经办人',
    recipient: '领用单位',
    reasonOrig: '原因',
    note: '备注',
    depot: '储备库',
    material: '物资',
    lotNo: '批号',
    quantity: '数量',
    status: '状态',
    reversible: '可红冲',
    reversedBy: '已红冲 {docNo}',
    isReversal: '红冲记录（冲销 {docNo}）',
    withOut: '随调出记录一并冲回',
    notMine: '非本人负责的储备库',
    reason: '红冲原因',
    reasonPlaceholder: '如：数量录错，红冲后重新录入',
    submit: '红冲所选记录',
    selected: '已选 {n} 条',
    confirmTitle: '确认红冲？',
    confirmBody: '将为所选 {n} 条记录各生成一张红冲单，原记录保留并标记为已红冲。此操作不能撤销。',
    confirmTransfer: '其中包含调拨：调出库和调入库两边一并冲回。',
    confirmOk: '确认红冲',
    posted: '红冲已完成',
    postedHint: '原单 {docNo} 的所选记录已冲回。',
    postedTransfer: '调拨已在调出库和调入库两边冲回。',
    nextOne: '继续红冲',
    origDocNo: '原单号',
    code: '物资编码',
    nameSpec: '物资名称',
    signHandler: '经办人',
    signKeeper: '保管员',
    signApprover: '审批人',
  },
  {
    title: 'Reversal',
    docTitle: 'Reversal Note',
    docNo: 'Document no.',
    docNoPlaceholder: 'Type or scan a number, e.g. CK-20261130-0001',
    find: 'Find',
    notFound: 'No movements with document number {docNo}',
    explain:
      'A reversal never edits or deletes the original: it posts a reversal document with the opposite sign and the same quantity, and marks the original as reversed. Each movement can be reversed once; a reversal cannot be reversed.',
    transferBoth:
      'This is a transfer: reversing the outgoing movement reverses both depots together; the goods return to the sending depot.',
    type: 'Type',
    occurredAt: 'Time',
    user: 'By',
    recipient: 'Recipient',
    reasonOrig: 'Reason',
    note: 'Notes',
    depot: 'Depot',
    material: 'Material',
    lotNo: 'Lot no.',
    quantity: 'Quantity',
    status: 'Status',
    reversible: 'Can reverse',
    reversedBy: 'Reversed by {docNo}',
    isReversal: 'Reversal (of {docNo})',
    withOut: 'Reversed with the outgoing movement',
    notMine: 'Not your depot',
    reason: 'Reason for reversal',
    reasonPlaceholder: 'e.g. wrong quantity, to be entered again',
    submit: 'Reverse selected',
    selected: '{n} selected',
    confirmTitle: 'Reverse?',
    confirmBody:
      'Each of the {n} selected movements gets a reversal document; the originals stay, marked as reversed. This cannot be undone.',
    confirmTransfer: 'Includes a transfer: both depots are reversed together.',
    confirmOk: 'Reverse',
    posted: 'Reversed',
    postedHint: 'The selected movements of {docNo} have been reversed.',
    postedTransfer: 'The transfer was reversed in both depots.',
    nextOne: 'Reverse another',
    origDocNo: 'Original no.',
    code: 'Code',
    nameSpec: 'Material',
    signHandler: 'Handled by',
    signKeeper: 'Keeper',
    signApprover: 'Approved by',
  },
);

interface Posted {
  original: string;
  results: OutputOf<'stock.reverse'>[];
  transfer: boolean;
}

export default function ReversalPage() {
  const t = useMessages(m);
  const terms = useTerms();
  const { modal } = App.useApp();
  const { user, depots } = useSession();
  const route = useRoute();
  const [form] = Form.useForm<{ reason?: string }>();
  const posting = usePosting();
  const [docNo, setDocNo] = useState('');
  const [rows, setRows] = useState<MovementDto[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<number[]>([]);
  const [posted, setPosted] = useState<Posted | null>(null);

  /** Why a movement cannot be chosen, or null when it can. */
  const blocker = useCallback(
    (r: MovementDto): string | null => {
      if (r.type === 'reversal') return t('isReversal', { docNo: r.reversesDocNo ?? '' });
      if (r.reversedBy !== null) return t('reversedBy', { docNo: r.reversedByDocNo ?? '' });
      if (r.type === 'transfer_in') return t('withOut');
      if (user?.role === 'keeper' && !user.depotIds.includes(r.depotId)) return t('notMine');
      return null;
    },
    [t, user],
  );

  const load = useCallback(
    async (number: string, preselect?: number, keepAlert = false) => {
      const text = number.trim().toUpperCase();
      if (!text) return;
      setLoading(true);
      if (!keepAlert) posting.setAlert(null);
      try {
        const page = await rpc('stock.movements', { docNo: text, limit: 1000 });
        const list = [...page.rows].sort((a, b) => a.movementId - b.movementId);
        setRows(list);
        setDocNo(text);
        if (list.length === 0) posting.setAlert(t('notFound', { docNo: text }));
        const eligible = list.filter((r) => blocker(r) === null).map((r) => r.movementId);
        if (preselect !== undefined) {
          // A transfer's incoming leg is reversed through its outgoing one.
          const target = list.find((r) => r.movementId === preselect);
          const id = target?.pairMovementId ?? preselect;
          setSelected(eligible.includes(id) ? [id] : []);
        } else setSelected(eligible);
        // Next: the reason (Enter there asks to confirm).
        if (eligible.length > 0)
          window.setTimeout(() => document.querySelector<HTMLInputElement>('#reversal_reason')?.focus(), 0);
      } catch (e) {
        posting.setAlert(e instanceof RpcFailure ? e.message : String(e));
      } finally {
        setLoading(false);
      }
    },
    [blocker, posting, t],
  );

  // Arriving from a link: #/reversal?movementId=N
  const linked = Number(route.query.get('movementId'));
  useEffect(() => {
    if (!Number.isSafeInteger(linked) || linked <= 0) return;
    rpc('stock.movements', { movementId: linked, limit: 1 }).then(
      (page) => {
        const mv = page.rows[0];
        if (mv) void load(mv.docNo, linked);
      },
      (e: unknown) => posting.setAlert(e instanceof RpcFailure ? e.message : String(e)),
    );
  }, [linked]);

  const head = rows?.[0];
  const isTransfer = !!rows?.some((r) => r.type === 'transfer_out' || r.type === 'transfer_in');
  const chosenRows = useMemo(
    () => (rows ?? []).filter((r) => selected.includes(r.movementId)),
    [rows, selected],
  );

  const reverse = async () => {
    const { reason } = await form.validateFields();
    const ids = chosenRows.map((r) => r.movementId);
    const includesTransfer = chosenRows.some((r) => r.type === 'transfer_out');
    modal.confirm({
      title: t('confirmTitle'),
      content: (
        <>
          <p>{t('confirmBody', { n: ids.length })}</p>
          {includesTransfer && <p>{t('confirmTransfer')}</p>}
        </>
      ),
      okText: t('confirmOk'),
      okButtonProps: { danger: true },
      onOk: async () => {
        const results = await posting.post(
          async (key) => {
            const out: OutputOf<'stock.reverse'>[] = [];
            for (const id of ids)
              out.push(
                await rpc(
                  'stock.reverse',
                  { movementId: id, reason: (reason ?? '').trim() },
                  { idempotencyKey: `${key}:${id}` },
                ),
              );
            return out;
          },
          (error) => applyServerErrors(form, error),
        );
        invalidateStock();
        if (results) {
          setPosted({ original: docNo, results, transfer: includesTransfer });
        }
        await load(docNo, undefined, !results);
      },
    });
  };

  const startNew = () => {
    setPosted(null);
    setRows(null);
    setSelected([]);
    setDocNo('');
    form.resetFields();
    posting.changed();
    if (route.query.get('movementId')) navigate('/reversal');
    window.setTimeout(() => document.querySelector<HTMLInputElement>('#reversal-docno')?.focus(), 0);
  };

  const depotName = (id: number | null) => depots.find((d) => d.depotId === id)?.name ?? '';

  const printDocs = (p: Posted): PrintableDoc[] =>
    p.results.map((r) => {
      const first = r.movements[0];
      return {
        title: t('docTitle'),
        docNo: r.docNo,
        date: docDate(first?.occurredAt),
        unit: first?.depotName ?? '',
        info: [
          { label: t('origDocNo'), value: p.original },
          { label: t('reason'), value: first?.reason ?? '' },
        ],
        columns: [
          { key: 'no', title: '#', align: 'center', width: '5%' },
          { key: 'depot', title: t('depot'), width: '25%' },
          { key: 'code', title: t('code'), width: '11%' },
          { key: 'name', title: t('nameSpec'), width: '24%' },
          { key: 'lot', title: t('lotNo'), width: '15%' },
          { key: 'qty', title: t('quantity'), align: 'right', width: '20%' },
        ],
        rows: r.movements.map((mv, i) => ({
          no: i + 1,
          depot: mv.depotName,
          code: mv.materialCode,
          name: mv.materialName,
          lot: mv.lotNo,
          qty: `${formatSigned(mv.quantity)} ${mv.unit}`,
        })),
        note: p.transfer ? t('postedTransfer') : null,
        signatures: [t('signHandler'), t('signKeeper'), t('signApprover')],
        preparedBy: first ? { name: first.userName, at: first.occurredAt } : undefined,
      };
    });

  return (
    <Card
      size="small"
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
      }
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Row gutter={12} align="middle">
          <Col flex="420px">
            <Input.Search
              id="reversal-docno"
              autoFocus
              allowClear
              value={docNo}
              onChange={(e) => setDocNo(e.target.value)}
              placeholder={t('docNoPlaceholder')}
              enterButton={t('find')}
              loading={loading}
              onSearch={(v) => void load(v)}
              aria-label={t('docNo')}
              style={{ fontFamily: 'Consolas, monospace' }}
            />
          </Col>
          <Col flex="auto">
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('explain')}
            </Typography.Text>
          </Col>
        </Row>
        {posting.alert && (
          <Alert
            type="error"
            showIcon
            title={posting.alert}
            closable={{ onClose: () => posting.setAlert(null) }}
            data-testid="form-alert"
          />
        )}
        {head && rows && rows.length > 0 && (
          <>
            <Descriptions size="small" bordered column={4}>
              <Descriptions.Item label={t('docNo')}>
                <Typography.Text strong className="doc-no" style={{ fontSize: 14 }}>
                  {head.docNo}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('type')}>
                <MovementTypeTag type={head.type} />
              </Descriptions.Item>
              <Descriptions.Item label={t('occurredAt')}>{formatTime(head.occurredAt)}</Descriptions.Item>
              <Descriptions.Item label={t('user')}>{head.userName}</Descriptions.Item>
              {head.recipient && (
                <Descriptions.Item label={t('recipient')}>{head.recipient}</Descriptions.Item>
              )}
              {(head.source ?? head.reason) && (
                <Descriptions.Item label={t('reasonOrig')}>
                  {head.source ? terms(`batchSource.${head.source}`) : head.reason}
                </Descriptions.Item>
              )}
              {head.note && <Descriptions.Item label={t('note')}>{head.note}</Descriptions.Item>}
            </Descriptions>
            {isTransfer && <Alert type="warning" showIcon title={t('transferBoth')} />}
            <Table<MovementDto>
              size="small"
              bordered
              pagination={false}
              rowKey="movementId"
              dataSource={rows}
              scroll={{ y: 320 }}
              sticky
              rowSelection={{
                selectedRowKeys: selected,
                onChange: (keys) => {
                  setSelected(keys as number[]);
                  posting.changed();
                },
                getCheckboxProps: (r) => ({ disabled: blocker(r) !== null }),
              }}
              columns={[
                {
                  title: t('type'),
                  key: 'type',
                  width: 90,
                  render: (_, r) => <MovementTypeTag type={r.type} />,
                },
                { title: t('depot'), dataIndex: 'depotName', ellipsis: true },
                {
                  title: t('material'),
                  key: 'material',
                  ellipsis: true,
                  render: (_, r) => `${r.materialCode} ${r.materialName}`,
                },
                { title: t('lotNo'), dataIndex: 'lotNo', width: 120 },
                {
                  title: t('quantity'),
                  key: 'q',
                  align: 'right',
                  className: 'num',
                  width: 130,
                  render: (_, r) => `${formatSigned(r.quantity)} ${r.unit}`,
                },
                {
                  title: t('status'),
                  key: 'status',
                  width: 230,
                  render: (_, r) => {
                    const why = blocker(r);
                    if (why === null) return <Tag color="blue">{t('reversible')}</Tag>;
                    return (
                      <Tag color={r.reversedBy !== null || r.type === 'reversal' ? 'red' : 'default'}>
                        {why}
                      </Tag>
                    );
                  },
                },
              ]}
            />
            <Form
              name="reversal"
              form={form}
              layout="inline"
              onValuesChange={() => posting.changed()}
              onFinish={() => void reverse()}
            >
              <Form.Item
                name="reason"
                label={t('reason')}
                rules={[{ required: true, whitespace: true, message: terms('validation.required') }]}
                style={{ flex: 1, maxWidth: 560 }}
              >
                <Input maxLength={200} placeholder={t('reasonPlaceholder')} autoComplete="off" />
              </Form.Item>
              <Form.Item>
                <Space>
                  <Typography.Text type="secondary">{t('selected', { n: selected.length })}</Typography.Text>
                  <Button
                    type="primary"
                    danger
                    htmlType="submit"
                    disabled={selected.length === 0 || posting.posting}
                    loading={posting.posting}
                  >
                    {t('submit')}
                  </Button>
                </Space>
              </Form.Item>
            </Form>
          </>
        )}
      </Space>
      {posted && (
        <PostedModal
          title={t('posted')}
          docNos={posted.results.map((r) => r.docNo)}
          print={() => printDocs(posted)}
          onNew={startNew}
          newLabel={t('nextOne')}
        >
          <Typography.Paragraph>
            {t('postedHint', { docNo: posted.original })} {posted.transfer && t('postedTransfer')}
          </Typography.Paragraph>
          <Table
            size="small"
            pagination={false}
            rowKey="movementId"
            dataSource={posted.results.flatMap((r) => r.movements)}
            columns={[
              {
                title: t('docNo'),
                dataIndex: 'docNo',
                width: 150,
                render: (v: string) => <DocLink docNo={v} />,
              },
              {
                title: t('depot'),
                key: 'd',
                ellipsis: true,
                render: (_, r) => r.depotName || depotName(r.depotId),
              },
              { title: t('material'), dataIndex: 'materialName', ellipsis: true },
              { title: t('lotNo'), dataIndex: 'lotNo', width: 110 },
              {
                title: t('quantity'),
                key: 'q',
                align: 'right',
                className: 'num',
                width: 120,
                render: (_, r) => `${formatSigned(r.quantity)} ${r.unit}`,
              },
            ]}
          />
        </PostedModal>
      )}
    </Card>
  );
}
