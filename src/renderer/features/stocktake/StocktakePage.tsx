/**
 * 盘点单: the count sheet of one stocktake. Book quantities were frozen when it was opened; the
 * keeper types counted quantities down the column (Enter moves down), sees each difference at
 * once (盘盈 +n / 盘亏 −n), gives a reason where there is one, and saves. A coordinator approves:
 * the differences are posted as gain/loss movements, shown here afterwards. Unsaved entries are
 * kept on screen and warned about before leaving; server errors land on the rows they name.
 */
import {
  Alert,
  App,
  Button,
  Descriptions,
  Empty,
  Input,
  InputNumber,
  Result,
  Segmented,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Typography,
  type TableColumnsType,
  type TableRef,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { MovementDto } from '../../../shared/schemas/stock';
import type { StocktakeDto } from '../../../shared/schemas/stocktake';
import { newIdempotencyKey, rpc, RpcFailure } from '../../api';
import { enterMovesDown } from '../../components/columnFocus';
import { useLeaveGuard } from '../../components/useLeaveGuard';
import { useSessionState } from '../../components/useSessionState';
import { useFillHeight } from '../../components/useFillHeight';
import { formatQuantity, formatSigned, formatTime } from '../../format';
import { common } from '../../i18n/common';
import { defineMessages, useMessages, useTerms } from '../../i18n/messages';
import { href } from '../../router';
import { useSession } from '../../session';
import { StatusTag } from '../../components/StatusTag';

const messages = defineMessages(
  {
    title: '盘点单 {docNo}',
    back: '返回盘点列表',
    depot: '储备库',
    opened: '开单',
    closed: '审批/作废',
    progress: '进度',
    progressText: '已盘 {counted} / {lines} 行，差异 {diffs} 行',
    note: '备注',
    by: '{who} · {when}',
    frozenHint: '账面数量已于开单时冻结。盘点期间该库暂停出入库，审批或作废后恢复。',
    search: '物资编码、名称、规格或批号',
    viewAll: '全部',
    viewUncounted: '未盘',
    viewDifference: '有差异',
    viewErrors: '有错误',
    fillBook: '未盘行按账面数填入',
    fillBookTitle: '未盘的 {n} 行按账面数填入？',
    fillBookContent: '只在这些批次确已逐一清点、与账面相符时使用。填入后仍需保存；与实物不符的行请逐行改正。',
    fillBookNone: '没有未盘的行',
    save: '保存',
    saveDirty: '保存（{n} 行未保存）',
    saved: '已保存 {n} 行',
    nothingToSave: '没有需要保存的修改',
    approve: '审批过账',
    approveTitle: '审批盘点单 {docNo}？',
    approveContent:
      '将按差异过账：盘盈 {gains} 行（{gainQty}），盘亏 {losses} 行（{lossQty}）。过账后不能修改，如有错误只能红冲。',
    approveNoDiff: '账实相符，无差异需要过账；审批后盘点结束，该库恢复出入库。',
    approved: '盘点单 {docNo} 已审批，过账 {n} 笔',
    uncounted: '还有 {n} 行未录入实盘数，已筛选出来',
    cancelStocktake: '作废盘点单',
    cancelTitle: '作废盘点单 {docNo}？',
    cancelContent: '作废后不过账任何差异，录入的实盘数保留备查，该库恢复出入库。',
    cancelled: '盘点单 {docNo} 已作废',
    keep: '返回',
    rowErrors: '{n} 行有问题，已在行内标出',
    index: '序号',
    material: '物资',
    spec: '规格型号',
    lotNo: '批号',
    expiresOn: '有效期至',
    unit: '单位',
    book: '账面数量',
    counted: '实盘数量',
    difference: '差异',
    reason: '差异原因',
    reasonNeeded: '有差异，请填写原因',
    notCounted: '未盘',
    match: '相符',
    gain: '盘盈 {n}',
    loss: '盘亏 {n}',
    unsavedMark: '未保存',
    countRequired: '请填写实盘数量',
    sheetTab: '盘点明细',
    movementsTab: '盘盈盘亏过账（{n}）',
    movementsNone: '账实相符，没有过账的盘盈盘亏',
    mvType: '类型',
    mvQuantity: '数量',
    mvTime: '过账时间',
    mvUser: '经办人',
    leaveTitle: '有未保存的实盘数',
    leaveContent: '{n} 行的实盘数或原因还没有保存，离开后将丢失。',
    leave: '放弃并离开',
    stay: '留在本页',
    filters: '{n} 行 · {filters}',
    filterText: '查询：{text}',
  },
  {
    title: 'Stocktake {docNo}',
    back: 'Back to stocktakes',
    depot: 'Depot',
    opened: 'Opened',
    closed: 'Approved/cancelled',
    progress: 'Progress',
    progressText: 'Counted {counted} / {lines} lines, {diffs} with a difference',
    note: 'Note',
    by: '{who} · {when}',
    frozenHint:
      'Book quantities were frozen when the stocktake was opened. No stock moves in this depot until it is approved or cancelled.',
    search: 'Material code, name, spec or lot',
    viewAll: 'All',
    viewUncounted: 'Not counted',
    viewDifference: 'Differences',
    viewErrors: 'Errors',
    fillBook: 'Fill uncounted with book quantity',
    fillBookTitle: 'Fill the {n} uncounted lines with their book quantity?',
    fillBookContent:
      'Use this only when these batches were actually counted and match the book. You still need to save; correct any line that differs.',
    fillBookNone: 'No uncounted lines',
    save: 'Save',
    saveDirty: 'Save ({n} unsaved)',
    saved: 'Saved {n} lines',
    nothingToSave: 'Nothing to save',
    approve: 'Approve and post',
    approveTitle: 'Approve stocktake {docNo}?',
    approveContent:
      'Differences will be posted: gains on {gains} lines ({gainQty}), losses on {losses} lines ({lossQty}). Posted movements cannot be edited, only reversed.',
    approveNoDiff:
      'Book matches count: nothing to post. Approval ends the stocktake and stock may move in the depot again.',
    approved: 'Stocktake {docNo} approved, {n} movements posted',
    uncounted: '{n} lines have no counted quantity yet: they are shown now',
    cancelStocktake: 'Cancel stocktake',
    cancelTitle: 'Cancel stocktake {docNo}?',
    cancelContent: 'Nothing is posted; the counts stay on record and stock may move in the depot again.',
    cancelled: 'Stocktake {docNo} cancelled',
    keep: 'Back',
    rowErrors: '{n} lines have problems, marked in the rows',
    index: 'No.',
    material: 'Material',
    spec: 'Specification',
    lotNo: 'Lot',
    expiresOn: 'Expires',
    unit: 'Unit',
    book: 'Book qty',
    counted: 'Counted qty',
    difference: 'Difference',
    reason: 'Reason for difference',
    reasonNeeded: 'Difference: a reason is required',
    notCounted: 'Not counted',
    match: 'Matches',
    gain: 'Gain {n}',
    loss: 'Loss {n}',
    unsavedMark: 'Unsaved',
    countRequired: 'Enter the counted quantity',
    sheetTab: 'Count sheet',
    movementsTab: 'Posted gains and losses ({n})',
    movementsNone: 'Book matched count: no gains or losses were posted',
    mvType: 'Type',
    mvQuantity: 'Quantity',
    mvTime: 'Posted at',
    mvUser: 'By',
    leaveTitle: 'Unsaved counts',
    leaveContent: 'Counts or reasons on {n} lines are not saved yet and will be lost if you leave.',
    leave: 'Discard and leave',
    stay: 'Stay',
    filters: '{n} rows · {filters}',
    filterText: 'Search: {text}',
  },
);

/** Who may approve (the server refuses everyone else). */
const APPROVERS = ['admin', 'coordinator'] as const;

type Line = StocktakeDto['lines'][number];
type View = 'all' | 'uncounted' | 'difference' | 'errors';

interface Draft {
  counted: number | null;
  reason: string;
}
interface RowErrors {
  counted?: string;
  reason?: string;
}
interface Row extends Line {
  /** Position in the stocktake as the server orders it (`lines.N` in its errors). */
  position: number;
  counted: number | null;
  reasonText: string;
  diff: number | null;
  dirty: boolean;
}

function mergeRow(line: Line, position: number, draft: Draft | undefined): Row {
  const counted = draft ? draft.counted : line.countedQuantity;
  const reasonText = draft ? draft.reason : (line.reason ?? '');
  const dirty =
    draft !== undefined && (counted !== line.countedQuantity || reasonText.trim() !== (line.reason ?? ''));
  return {
    ...line,
    position,
    counted,
    reasonText,
    diff: counted === null ? null : counted - line.bookQuantity,
    dirty,
  };
}

export default function StocktakePage({ params }: { params: Record<string, string> }) {
  const stocktakeId = Number(params.id);
  const t = useMessages(messages);
  const c = useMessages(common);
  const { can, user } = useSession();
  const { message, modal } = App.useApp();
  const [st, setSt] = useState<StocktakeDto | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [drafts, setDrafts] = useState<Record<number, Draft>>({});
  const [errors, setErrors] = useState<Record<number, RowErrors>>({});
  /** The rows that had problems when last checked: the 有错误 view keeps them while they are fixed. */
  const [errorRows, setErrorRows] = useState<number[]>([]);
  const [alert, setAlert] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'approve' | 'cancel' | null>(null);
  const [movements, setMovements] = useState<MovementDto[] | null>(null);
  const [tab, setTab] = useState<'sheet' | 'movements'>('sheet');
  const [view, setView] = useSessionState<{ view: View; text: string }>('stocktake.sheet', {
    view: 'all',
    text: '',
  });
  const tableRef = useRef<TableRef>(null);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const result = await rpc('stocktake.get', { stocktakeId });
      setSt(result);
    } catch (e) {
      setLoadError(e instanceof RpcFailure ? e.message : String(e));
    }
  }, [stocktakeId]);
  useEffect(() => {
    void load();
  }, [load]);

  // An approved stocktake shows the gain/loss movements it posted (its document number).
  useEffect(() => {
    if (st?.status !== 'approved' || movements !== null) return;
    rpc('stock.movements', { docNo: st.docNo, limit: 20_000 }).then(
      (page) =>
        setMovements(page.rows.filter((m) => m.type === 'stocktake_gain' || m.type === 'stocktake_loss')),
      () => setMovements([]),
    );
  }, [st, movements]);

  // A keeper counts only in their own depots (the server refuses the others anyway).
  const editable = st?.status === 'open' && (user?.role !== 'keeper' || user.depotIds.includes(st.depotId));
  const rows = useMemo(
    () => (st ? st.lines.map((l, i) => mergeRow(l, i, drafts[l.lineId])) : []),
    [st, drafts],
  );
  const dirtyRows = useMemo(() => rows.filter((r) => r.dirty), [rows]);

  // The views filter on what is saved (plus the rows being edited), so a row never vanishes
  // under the keeper's fingers while typing.
  // The 有错误 view means nothing once its rows are gone (another stocktake, a reload).
  const viewMode: View = view.view === 'errors' && errorRows.length === 0 ? 'all' : view.view;
  const visible = useMemo(() => {
    const text = view.text.trim().toLowerCase();
    return rows.filter((r) => {
      if (viewMode === 'uncounted' && r.countedQuantity !== null && !r.dirty) return false;
      if (viewMode === 'difference' && !r.difference && !r.diff) return false;
      if (viewMode === 'errors' && !errorRows.includes(r.lineId) && !r.dirty) return false;
      if (!text) return true;
      return [r.materialCode, r.materialName, r.spec ?? '', r.lotNo].some((f) =>
        f.toLowerCase().includes(text),
      );
    });
  }, [rows, view.text, viewMode, errorRows]);

  useLeaveGuard(editable === true && dirtyRows.length > 0, {
    title: t('leaveTitle'),
    content: t('leaveContent', { n: dirtyRows.length }),
    leave: t('leave'),
    stay: t('stay'),
  });

  const setDraft = (line: Row, patch: Partial<Draft>) => {
    setDrafts((d) => ({
      ...d,
      [line.lineId]: { counted: line.counted, reason: line.reasonText, ...d[line.lineId], ...patch },
    }));
    setErrors((e) => {
      const current = e[line.lineId];
      if (!current) return e;
      const next = { ...current };
      if ('counted' in patch) delete next.counted;
      if ('reason' in patch) delete next.reason;
      const copy = { ...e };
      if (next.counted || next.reason) copy[line.lineId] = next;
      else delete copy[line.lineId];
      return copy;
    });
  };

  /** Shows the rows that have problems and scrolls to the first. */
  const showErrors = (rowErrors: Record<number, RowErrors>) => {
    setErrors(rowErrors);
    const ids = Object.keys(rowErrors).map(Number);
    setErrorRows(ids);
    setAlert(t('rowErrors', { n: ids.length }));
    setView((v) => ({ ...v, view: 'errors' }));
    setTab('sheet');
    if (ids[0] !== undefined)
      setTimeout(() => tableRef.current?.scrollTo({ key: ids[0]!, align: 'start' }), 50);
  };

  /** Saves the changed rows; returns the saved stocktake, or null when it failed. */
  const save = async (): Promise<StocktakeDto | null> => {
    if (!st) return null;
    setAlert(null);
    if (dirtyRows.length === 0) return st;
    const missing = dirtyRows.filter((r) => r.counted === null);
    if (missing.length > 0) {
      showErrors(Object.fromEntries(missing.map((r) => [r.lineId, { counted: t('countRequired') }])));
      return null;
    }
    const counts = dirtyRows.map((r) => ({
      lineId: r.lineId,
      countedQuantity: r.counted!,
      reason: r.reasonText.trim() || null,
    }));
    setBusy('save');
    try {
      const result = await rpc(
        'stocktake.count',
        { stocktakeId: st.stocktakeId, counts },
        { idempotencyKey: newIdempotencyKey() },
      );
      setSt(result);
      setDrafts({});
      setErrors((e) =>
        Object.fromEntries(Object.entries(e).filter(([id]) => !counts.some((x) => x.lineId === Number(id)))),
      );
      void message.success(t('saved', { n: formatQuantity(counts.length) }));
      return result;
    } catch (e) {
      placeErrors(e, (i) => counts[i]?.lineId, /^counts\.(\d+)\.(\w+)$/);
      return null;
    } finally {
      setBusy(null);
    }
  };

  /** Server field errors (`counts.N.x` or `lines.N.x`) onto their rows; anything else above the sheet. */
  const placeErrors = (e: unknown, lineIdAt: (i: number) => number | undefined, pattern: RegExp) => {
    if (!(e instanceof RpcFailure)) {
      setAlert(String(e));
      return;
    }
    const rowErrors: Record<number, RowErrors> = {};
    let unplaced = false;
    for (const f of e.fields) {
      const m = pattern.exec(f.path);
      const lineId = m ? lineIdAt(Number(m[1])) : undefined;
      if (m && lineId !== undefined) {
        const field = m[2] === 'reason' ? 'reason' : 'counted';
        rowErrors[lineId] = { ...rowErrors[lineId], [field]: f.message };
      } else unplaced = true;
    }
    if (Object.keys(rowErrors).length > 0) {
      showErrors(rowErrors);
      if (unplaced) setAlert(e.message);
    } else setAlert(e.message);
  };

  const approve = async () => {
    const saved = await save();
    if (!saved) return;
    const uncounted = saved.lines.filter((l) => l.countedQuantity === null).length;
    if (uncounted > 0) {
      setAlert(t('uncounted', { n: formatQuantity(uncounted) }));
      setView((v) => ({ view: 'uncounted', text: v.text }));
      return;
    }
    const gains = saved.lines.filter((l) => (l.difference ?? 0) > 0);
    const losses = saved.lines.filter((l) => (l.difference ?? 0) < 0);
    const sum = (ls: Line[]) => ls.reduce((a, l) => a + (l.difference ?? 0), 0);
    modal.confirm({
      title: t('approveTitle', { docNo: saved.docNo }),
      content:
        gains.length + losses.length === 0
          ? t('approveNoDiff')
          : t('approveContent', {
              gains: gains.length,
              losses: losses.length,
              gainQty: gains.length ? formatSigned(sum(gains)) : '0',
              lossQty: losses.length ? formatSigned(sum(losses)) : '0',
            }),
      okText: t('approve'),
      cancelText: t('keep'),
      onOk: async () => {
        setBusy('approve');
        try {
          const result = await rpc(
            'stocktake.approve',
            { stocktakeId: saved.stocktakeId },
            { idempotencyKey: newIdempotencyKey() },
          );
          setSt(result.stocktake);
          setMovements(result.movements);
          setErrors({});
          setErrorRows([]);
          setAlert(null);
          setTab('movements');
          void message.success(t('approved', { docNo: result.stocktake.docNo, n: result.movements.length }));
        } catch (e) {
          placeErrors(e, (i) => saved.lines[i]?.lineId, /^lines\.(\d+)\.(\w+)$/);
        } finally {
          setBusy(null);
        }
      },
    });
  };

  const cancelStocktake = () => {
    if (!st) return;
    modal.confirm({
      title: t('cancelTitle', { docNo: st.docNo }),
      content: t('cancelContent'),
      okText: t('cancelStocktake'),
      okButtonProps: { danger: true },
      cancelText: t('keep'),
      onOk: async () => {
        setBusy('cancel');
        try {
          const result = await rpc(
            'stocktake.cancel',
            { stocktakeId: st.stocktakeId },
            { idempotencyKey: newIdempotencyKey() },
          );
          setSt(result);
          setDrafts({});
          setErrors({});
          setErrorRows([]);
          setAlert(null);
          void message.success(t('cancelled', { docNo: result.docNo }));
        } catch (e) {
          setAlert(e instanceof RpcFailure ? e.message : String(e));
        } finally {
          setBusy(null);
        }
      },
    });
  };

  const fillBook = () => {
    const uncounted = rows.filter((r) => r.counted === null);
    if (uncounted.length === 0) {
      void message.info(t('fillBookNone'));
      return;
    }
    modal.confirm({
      title: t('fillBookTitle', { n: formatQuantity(uncounted.length) }),
      content: t('fillBookContent'),
      okText: c('confirm'),
      cancelText: c('cancel'),
      onOk: () => {
        setDrafts((d) => {
          const next = { ...d };
          for (const r of uncounted) next[r.lineId] = { counted: r.bookQuantity, reason: r.reasonText };
          return next;
        });
      },
    });
  };

  const columns = useMemo<TableColumnsType<Row>>(() => {
    const cols: TableColumnsType<Row> = [
      {
        title: t('index'),
        key: 'index',
        width: 56,
        align: 'right',
        className: 'num',
        render: (_, r) => (
          <span title={r.dirty ? t('unsavedMark') : undefined}>
            {r.dirty && <span style={{ color: '#fa8c16', marginInlineEnd: 2 }}>*</span>}
            {r.position + 1}
          </span>
        ),
      },
      {
        title: t('material'),
        key: 'material',
        width: 190,
        ellipsis: true,
        render: (_, r) => (
          <span title={`${r.materialCode} ${r.materialName}`}>
            <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineEnd: 4 }}>
              {r.materialCode}
            </Typography.Text>
            {r.materialName}
          </span>
        ),
      },
      { title: t('spec'), dataIndex: 'spec', width: 130, ellipsis: true },
      { title: t('lotNo'), dataIndex: 'lotNo', width: 110, ellipsis: true },
      { title: t('expiresOn'), dataIndex: 'expiresOn', width: 96 },
      { title: t('unit'), dataIndex: 'unit', width: 52 },
      {
        title: t('book'),
        dataIndex: 'bookQuantity',
        width: 96,
        align: 'right',
        className: 'num',
        render: (v: number) => formatQuantity(v),
      },
      {
        title: t('counted'),
        key: 'counted',
        width: 116,
        align: 'right',
        render: (_, r, i) =>
          editable ? (
            <div>
              <InputNumber<number>
                value={r.counted}
                min={0}
                max={1_000_000_000_000}
                precision={0}
                controls={false}
                size="small"
                style={{ width: '100%' }}
                styles={{ input: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' } }}
                formatter={(v, info) =>
                  info.userTyping
                    ? info.input
                    : v === undefined || `${v}` === ''
                      ? ''
                      : formatQuantity(Number(v))
                }
                status={errors[r.lineId]?.counted ? 'error' : undefined}
                aria-label={`${t('counted')} ${r.position + 1}`}
                data-col="counted"
                data-row={i}
                onChange={(v) => setDraft(r, { counted: v ?? null })}
                onPressEnter={enterMovesDown(() => tableRef.current, 'counted', i, visible.length)}
              />
              {errors[r.lineId]?.counted && (
                <div className="row-error" style={{ color: '#ff4d4f', fontSize: 12, textAlign: 'left' }}>
                  {errors[r.lineId]!.counted}
                </div>
              )}
            </div>
          ) : (
            <span className="num">{formatQuantity(r.counted)}</span>
          ),
      },
      {
        title: t('difference'),
        key: 'difference',
        width: 112,
        align: 'right',
        render: (_, r) =>
          r.diff === null ? (
            <Typography.Text type="secondary">{t('notCounted')}</Typography.Text>
          ) : r.diff === 0 ? (
            <Typography.Text type="secondary">{t('match')}</Typography.Text>
          ) : (
            <Tag color={r.diff > 0 ? 'green' : 'red'} style={{ marginInlineEnd: 0 }} className="num">
              {t(r.diff > 0 ? 'gain' : 'loss', { n: formatSigned(r.diff) })}
            </Tag>
          ),
      },
      {
        title: t('reason'),
        key: 'reason',
        width: 200,
        render: (_, r, i) => {
          const needed = r.diff !== null && r.diff !== 0 && !r.reasonText.trim();
          const error = errors[r.lineId]?.reason;
          return editable ? (
            <div>
              <Input
                size="small"
                value={r.reasonText}
                maxLength={200}
                status={error ? 'error' : needed ? 'warning' : undefined}
                placeholder={needed ? t('reasonNeeded') : undefined}
                aria-label={`${t('reason')} ${r.position + 1}`}
                data-col="reason"
                data-row={i}
                onChange={(e) => setDraft(r, { reason: e.target.value })}
                onPressEnter={enterMovesDown(() => tableRef.current, 'reason', i, visible.length)}
              />
              {error && (
                <div className="row-error" style={{ color: '#ff4d4f', fontSize: 12 }}>
                  {error}
                </div>
              )}
            </div>
          ) : (
            <span>{r.reasonText}</span>
          );
        },
      },
    ];
    return cols;
    // setDraft closes over stable state setters only.
  }, [t, editable, errors, visible.length]);

  if (loadError)
    return (
      <Result
        status="warning"
        title={loadError}
        extra={<Button href={href('/stocktake')}>{t('back')}</Button>}
      />
    );
  if (!st) return <Spin style={{ display: 'block', marginTop: 80 }} />;

  const activeFilters = [
    viewMode !== 'all'
      ? t(
          ({ uncounted: 'viewUncounted', difference: 'viewDifference', errors: 'viewErrors' } as const)[
            viewMode
          ],
        )
      : null,
    view.text.trim() ? t('filterText', { text: view.text.trim() }) : null,
  ].filter((f): f is string => f !== null);

  const sheet = (
    <>
      <Space style={{ marginBottom: 8 }} wrap>
        <Input.Search
          allowClear
          placeholder={t('search')}
          aria-label={t('search')}
          style={{ width: 240 }}
          value={view.text}
          onChange={(e) => setView((v) => ({ ...v, text: e.target.value }))}
        />
        <Segmented<View>
          value={viewMode}
          onChange={(v) => setView((x) => ({ ...x, view: v }))}
          options={[
            { value: 'all', label: t('viewAll') },
            { value: 'uncounted', label: t('viewUncounted') },
            { value: 'difference', label: t('viewDifference') },
            ...(errorRows.length > 0 ? [{ value: 'errors' as const, label: t('viewErrors') }] : []),
          ]}
        />
        {editable && <Button onClick={fillBook}>{t('fillBook')}</Button>}
      </Space>
      <Fill reserve={90}>
        {(height) => (
          <Table<Row>
            ref={tableRef}
            size="small"
            rowKey="lineId"
            sticky
            virtual
            columns={columns}
            dataSource={visible}
            pagination={false}
            scroll={{ x: 1160, y: height }}
            onRow={(r) => ({
              style: { background: errors[r.lineId] ? '#fff1f0' : r.diff ? '#fffbe6' : undefined },
              'data-testid': `line-${r.lotNo}`,
            })}
            data-testid="count-sheet"
          />
        )}
      </Fill>
      <Typography.Text type="secondary" style={{ display: 'block', marginTop: 6 }}>
        {activeFilters.length > 0
          ? t('filters', { n: formatQuantity(visible.length), filters: activeFilters.join('，') })
          : c('rows', { n: formatQuantity(visible.length) })}
      </Typography.Text>
    </>
  );

  return (
    <div>
      <div
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'center',
          marginBottom: 8,
          gap: 8,
          flexWrap: 'wrap',
        }}
      >
        <Space>
          <a href={href('/stocktake')}>{t('back')}</a>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('title', { docNo: st.docNo })}
          </Typography.Title>
          <StatusTag kind="stocktake" status={st.status} />
        </Space>
        {editable && (
          <Space>
            <Button
              danger
              onClick={cancelStocktake}
              loading={busy === 'cancel'}
              disabled={busy !== null && busy !== 'cancel'}
            >
              {t('cancelStocktake')}
            </Button>
            <Button
              onClick={() => (dirtyRows.length === 0 ? void message.info(t('nothingToSave')) : void save())}
              loading={busy === 'save'}
              disabled={busy !== null && busy !== 'save'}
              type={can(APPROVERS) ? 'default' : 'primary'}
            >
              {dirtyRows.length > 0 ? t('saveDirty', { n: dirtyRows.length }) : t('save')}
            </Button>
            {can(APPROVERS) && (
              <Button
                type="primary"
                onClick={() => void approve()}
                loading={busy === 'approve'}
                disabled={busy !== null && busy !== 'approve'}
              >
                {t('approve')}
              </Button>
            )}
          </Space>
        )}
      </div>
      <Descriptions
        size="small"
        column={4}
        styles={{ label: { whiteSpace: 'nowrap' } }}
        style={{ marginBottom: 8 }}
        items={[
          { key: 'depot', label: t('depot'), children: st.depotName },
          {
            key: 'opened',
            label: t('opened'),
            children: t('by', { who: st.openedBy, when: formatTime(st.openedAt) }),
          },
          {
            key: 'closed',
            label: t('closed'),
            children: st.closedBy ? t('by', { who: st.closedBy, when: formatTime(st.closedAt) }) : '—',
          },
          {
            key: 'progress',
            label: t('progress'),
            children: t('progressText', {
              counted: formatQuantity(st.countedCount),
              lines: formatQuantity(st.lineCount),
              diffs: formatQuantity(st.differenceCount),
            }),
          },
          ...(st.note ? [{ key: 'note', label: t('note'), children: st.note, span: 4 }] : []),
        ]}
      />
      {editable && (
        <Alert
          type="info"
          showIcon
          title={t('frozenHint')}
          style={{ marginBottom: 8, padding: '4px 12px' }}
        />
      )}
      {alert && (
        <Alert
          type="error"
          showIcon
          title={alert}
          closable={{ onClose: () => setAlert(null) }}
          style={{ marginBottom: 8 }}
          data-testid="sheet-alert"
        />
      )}
      {st.status === 'approved' ? (
        <Tabs
          size="small"
          activeKey={tab}
          onChange={(k) => setTab(k as 'sheet' | 'movements')}
          items={[
            { key: 'sheet', label: t('sheetTab'), children: sheet },
            {
              key: 'movements',
              label: t('movementsTab', { n: movements?.length ?? '…' }),
              children: <PostedMovements movements={movements} />,
            },
          ]}
        />
      ) : (
        sheet
      )}
    </div>
  );
}

/** A table body that fills the window below where it starts (the page itself never scrolls). */
function Fill({ reserve, children }: { reserve: number; children: (height: number) => ReactNode }) {
  const [ref, height] = useFillHeight(reserve, 200);
  return <div ref={ref}>{children(height)}</div>;
}

function PostedMovements({ movements }: { movements: MovementDto[] | null }) {
  const t = useMessages(messages);
  const c = useMessages(common);
  const terms = useTerms();
  if (movements === null) return <Spin />;
  if (movements.length === 0) return <Empty description={t('movementsNone')} />;
  const columns: TableColumnsType<MovementDto> = [
    {
      title: t('mvType'),
      dataIndex: 'type',
      width: 80,
      render: (v: MovementDto['type']) => (
        <Tag color={v === 'stocktake_gain' ? 'green' : 'red'}>{terms(`movementType.${v}`)}</Tag>
      ),
    },
    {
      title: t('material'),
      key: 'material',
      width: 220,
      ellipsis: true,
      render: (_, m) => (
        <span>
          <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineEnd: 4 }}>
            {m.materialCode}
          </Typography.Text>
          {m.materialName}
        </span>
      ),
    },
    { title: t('lotNo'), dataIndex: 'lotNo', width: 120 },
    { title: t('expiresOn'), dataIndex: 'expiresOn', width: 100 },
    {
      title: t('mvQuantity'),
      dataIndex: 'quantity',
      width: 110,
      align: 'right',
      className: 'num',
      render: (v: number) => formatSigned(v),
    },
    { title: t('unit'), dataIndex: 'unit', width: 60 },
    { title: t('reason'), dataIndex: 'reason', ellipsis: true },
    { title: t('mvUser'), dataIndex: 'userName', width: 120, ellipsis: true },
    {
      title: t('mvTime'),
      dataIndex: 'occurredAt',
      width: 140,
      render: (v: string) => formatTime(v),
    },
  ];
  return (
    <>
      <Fill reserve={90}>
        {(height) => (
          <Table<MovementDto>
            size="small"
            rowKey="movementId"
            sticky
            columns={columns}
            dataSource={movements}
            pagination={false}
            scroll={{ x: 1060, y: height }}
            data-testid="posted-movements"
          />
        )}
      </Fill>
      <Typography.Text type="secondary" style={{ display: 'block', marginTop: 6 }}>
        {c('rows', { n: formatQuantity(movements.length) })}
      </Typography.Text>
    </>
  );
}
