/**
 * 出入库明细: the ledger, newest first, filtered by depot, material, type, document number and
 * date range; pages of 200 with 加载更多 (keyset). Quantities are signed (+/−), transfers name the
 * other depot, a receipt its own supplier, source and unit price, reversals are marked both ways.
 * A line opens its batch's stock card.
 */
import {
  Alert,
  Button,
  DatePicker,
  Flex,
  Input,
  Select,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { InputOf } from '../../../shared/api';
import { MOVEMENT_TYPES, type MovementDto, type MovementType } from '../../../shared/schemas/stock';
import { rpc, RpcFailure } from '../../api';
import { DepotSelect } from '../../components/DepotSelect';
import { ExportButton } from '../../components/ExportButton';
import { MaterialPicker, materialLabel } from '../../components/MaterialPicker';
import { useFillHeight } from '../../components/useFillHeight';
import { useSessionState } from '../../components/useSessionState';
import { formatQuantity, formatSigned, formatTime } from '../../format';
import { common } from '../../i18n/common';
import { defineMessages, useMessages, useTerms } from '../../i18n/messages';
import { navigate, useRoute } from '../../router';
import { useSession } from '../../session';
import { DocNoCell, MovementTypeTag, unitPriceColumn, useCounterpart, useReasonText } from './movementParts';

const messages = defineMessages(
  {
    title: '出入库明细',
    depot: '储备库',
    allDepots: '全部储备库',
    material: '物资',
    allMaterials: '输入物资编码或名称',
    type: '类型',
    allTypes: '全部类型',
    docNo: '单号',
    docNoHint: '输入完整单号',
    dates: '日期',
    from: '开始日期',
    to: '结束日期',
    today: '今天',
    last7: '最近 7 天',
    thisMonth: '本月',
    last30: '最近 30 天',
    time: '时间',
    quantity: '数量',
    unitPrice: '单价',
    counterpart: '对方 · 原因',
    user: '经办人',
    loadedMore: '已载入 {n} 条，还有更多',
    dateRange: '{from} 至 {to}',
    clickRow: '点击一行打开该批次的物资卡片',
    empty: '没有符合条件的出入库记录',
  },
  {
    title: 'Movements',
    depot: 'Depot',
    allDepots: 'All depots',
    material: 'Material',
    allMaterials: 'Type a material code or name',
    type: 'Type',
    allTypes: 'All types',
    docNo: 'Document',
    docNoHint: 'Full document number',
    dates: 'Dates',
    from: 'From',
    to: 'To',
    today: 'Today',
    last7: 'Last 7 days',
    thisMonth: 'This month',
    last30: 'Last 30 days',
    time: 'Time',
    quantity: 'Quantity',
    unitPrice: 'Unit price',
    counterpart: 'Counterpart · reason',
    user: 'By',
    loadedMore: '{n} rows loaded, more to come',
    dateRange: '{from} to {to}',
    clickRow: 'Click a line to open the stock card of its batch',
    empty: 'No movements match',
  },
);

interface Filters {
  depotId?: number;
  materialId?: number;
  /** How the chosen material reads, so the picker shows it even before its suggestions load. */
  materialLabel?: string;
  type?: MovementType;
  docNo: string;
  from?: string;
  to?: string;
}

const DEFAULTS: Filters = { docNo: '' };
const PAGE = 200;
const DATE = 'YYYY-MM-DD';

function filtersFromQuery(query: URLSearchParams): Partial<Filters> | null {
  if (!['depotId', 'type', 'docNo'].some((k) => query.has(k))) return null;
  const out: Partial<Filters> = { docNo: query.get('docNo') ?? '' };
  if (query.get('depotId')) out.depotId = Number(query.get('depotId'));
  const type = query.get('type');
  if (type && (MOVEMENT_TYPES as readonly string[]).includes(type)) out.type = type as MovementType;
  return out;
}

export default function MovementsPage() {
  const t = useMessages(messages);
  const c = useMessages(common);
  const terms = useTerms();
  const { depots } = useSession();
  const counterpart = useCounterpart(depots);
  const reasonText = useReasonText();
  const route = useRoute();

  const [fromLink] = useState(() => filtersFromQuery(route.query));
  const [filters, setFilters] = useSessionState<Filters>(
    'movements',
    DEFAULTS,
    fromLink ? () => ({ ...DEFAULTS, ...fromLink }) : null,
  );
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  useEffect(() => {
    if (fromLink) window.history.replaceState(null, '', '#/movements');
  }, [fromLink]);

  const [docNo, setDocNo] = useState(filters.docNo);
  useEffect(() => setDocNo(filters.docNo), [filters.docNo]);

  const [rows, setRows] = useState<MovementDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const request = useRef(0);

  const { depotId, materialId, type, from, to } = filters;
  const doc = filters.docNo.trim();
  const input = useMemo<InputOf<'stock.movements'>>(
    () => ({ depotId, materialId, type, docNo: doc || undefined, from, to, limit: PAGE }),
    [depotId, materialId, type, doc, from, to],
  );

  const load = useCallback(
    async (after: string | undefined) => {
      const id = ++request.current;
      setLoading(true);
      setError(null);
      if (!after) setRows([]);
      try {
        const page = await rpc('stock.movements', { ...input, after });
        if (id !== request.current) return;
        setRows((prev) => (after ? [...prev, ...page.rows] : page.rows));
        setCursor(page.nextCursor);
      } catch (e) {
        if (id === request.current) setError(e instanceof RpcFailure ? e.message : String(e));
      } finally {
        if (id === request.current) setLoading(false);
      }
    },
    [input],
  );
  useEffect(() => {
    void load(undefined);
  }, [load]);

  const [tableBox, tableHeight] = useFillHeight(72);

  // Sized to fit 1366×768 without sideways scrolling; the lot is on the stock card a click away.
  const columns: TableColumnsType<MovementDto> = [
    { title: t('time'), dataIndex: 'occurredAt', key: 'time', width: 128, render: formatTime },
    {
      title: t('docNo'),
      dataIndex: 'docNo',
      key: 'docNo',
      width: 184,
      render: (_, m) => <DocNoCell movement={m} />,
    },
    {
      title: t('type'),
      dataIndex: 'type',
      key: 'type',
      width: 76,
      render: (_, m) => <MovementTypeTag type={m.type} />,
    },
    { title: t('depot'), dataIndex: 'depotName', key: 'depot', width: 150, ellipsis: true },
    {
      title: t('material'),
      key: 'material',
      width: 160,
      ellipsis: true,
      render: (_, m) => `${m.materialCode} ${m.materialName}`,
    },
    {
      title: t('quantity'),
      dataIndex: 'quantity',
      key: 'quantity',
      width: 96,
      align: 'right',
      className: 'num',
      render: (_, m) => `${formatSigned(m.quantity)} ${m.unit}`,
    },
    unitPriceColumn(t('unitPrice')),
    {
      title: t('counterpart'),
      key: 'counterpart',
      width: 170,
      ellipsis: true,
      render: (_, m) => [counterpart(m), reasonText(m)].filter(Boolean).join(' · '),
    },
    { title: t('user'), dataIndex: 'userName', key: 'user', width: 100, ellipsis: true },
  ];
  const scrollX = columns.reduce((s, col) => s + (typeof col.width === 'number' ? col.width : 100), 0);

  const active: string[] = [];
  if (depotId !== undefined)
    active.push(`${t('depot')}=${depots.find((d) => d.depotId === depotId)?.name ?? depotId}`);
  if (materialId !== undefined) active.push(`${t('material')}=${filters.materialLabel ?? materialId}`);
  if (type) active.push(`${t('type')}=${terms(`movementType.${type}`)}`);
  if (doc) active.push(`${t('docNo')}=${doc}`);
  if (from || to) active.push(t('dateRange', { from: from ?? '…', to: to ?? '…' }));

  const today = dayjs();
  const range: [Dayjs, Dayjs] | null = from && to ? [dayjs(from), dayjs(to)] : null;

  return (
    <Flex vertical gap={8}>
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        <ExportButton
          report="movements"
          filters={{ depotId, materialId, type, docNo: doc || undefined, from, to }}
        />
      </Flex>
      <Flex gap={8} wrap align="center">
        <DepotSelect
          allowClear
          includeInactive
          aria-label={t('depot')}
          placeholder={t('allDepots')}
          value={depotId}
          onChange={(v) => set({ depotId: v })}
          style={{ width: 200 }}
        />
        <MaterialPicker
          aria-label={t('material')}
          placeholder={t('allMaterials')}
          value={materialId}
          onChange={(id, m) => set({ materialId: id, materialLabel: m ? materialLabel(m) : undefined })}
          labelRender={({ label, value }) =>
            label && label !== value
              ? label
              : value === materialId && filters.materialLabel
                ? filters.materialLabel
                : value
          }
          style={{ width: 250 }}
        />
        <Select<MovementType>
          allowClear
          aria-label={t('type')}
          placeholder={t('allTypes')}
          value={type}
          onChange={(v) => set({ type: v })}
          style={{ width: 120 }}
          options={MOVEMENT_TYPES.map((v) => ({ value: v, label: terms(`movementType.${v}`) }))}
        />
        <Input.Search
          allowClear
          aria-label={t('docNo')}
          placeholder={t('docNoHint')}
          value={docNo}
          onChange={(e) => {
            setDocNo(e.target.value);
            if (e.target.value === '') set({ docNo: '' });
          }}
          onSearch={(v) => set({ docNo: v.trim().toUpperCase() })}
          style={{ width: 230 }}
        />
        <DatePicker.RangePicker
          aria-label={t('dates')}
          placeholder={[t('from'), t('to')]}
          value={range}
          allowEmpty={[true, true]}
          onChange={(v) => set({ from: v?.[0]?.format(DATE), to: v?.[1]?.format(DATE) })}
          presets={[
            { label: t('today'), value: [today, today] },
            { label: t('last7'), value: [today.subtract(6, 'day'), today] },
            { label: t('thisMonth'), value: [today.startOf('month'), today] },
            { label: t('last30'), value: [today.subtract(29, 'day'), today] },
          ]}
          style={{ width: 250 }}
        />
        <Button onClick={() => setFilters(DEFAULTS)}>{c('reset')}</Button>
      </Flex>
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          action={<Button onClick={() => void load(undefined)}>{c('retry')}</Button>}
        />
      )}
      <Flex justify="space-between" gap={16}>
        <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
          {active.length > 0 ? c('filters', { filters: active.join('、') }) : c('noFilters')} ·{' '}
          {t('clickRow')}
        </Typography.Text>
        <Typography.Text style={{ whiteSpace: 'nowrap' }} data-testid="row-count">
          {cursor
            ? t('loadedMore', { n: formatQuantity(rows.length) })
            : c('rows', { n: formatQuantity(rows.length) })}
        </Typography.Text>
      </Flex>
      <div ref={tableBox} data-testid="movements-table">
        <Table<MovementDto>
          size="small"
          virtual
          sticky
          rowKey="movementId"
          pagination={false}
          loading={loading && rows.length === 0}
          columns={columns}
          dataSource={rows}
          scroll={{ x: scrollX, y: tableHeight }}
          locale={{ emptyText: loading ? c('loading') : t('empty') }}
          onRow={(m) => ({
            onClick: () => navigate(`/stock/batch/${m.batchId}`),
            style: { cursor: 'pointer' },
          })}
          footer={
            cursor
              ? () => (
                  <Button block loading={loading} onClick={() => void load(cursor)}>
                    {c('loadMore')}
                  </Button>
                )
              : undefined
          }
        />
      </div>
    </Flex>
  );
}
