/**
 * 库存: balances with on hand / reserved / available and quota, by depot × material, by batch,
 * or as city totals. Every page of the server's keyset paging is loaded (5,000 rows a call)
 * into a virtualised table, so sorting and the "warnings only" switch are instant on 10,000+
 * rows. Filters stay for the session; a link (?category=…) replaces them. A batch row opens
 * its stock card; other rows open their batches.
 */
import {
  Alert,
  Button,
  Checkbox,
  Flex,
  Input,
  Segmented,
  Select,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { InputOf } from '../../../shared/api';
import type { DepotLevel } from '../../../shared/schemas/depot';
import type { BalanceRow } from '../../../shared/schemas/stock';
import { rpc, RpcFailure } from '../../api';
import { DepotSelect } from '../../components/DepotSelect';
import { useFillHeight } from '../../components/useFillHeight';
import { useSessionState } from '../../components/useSessionState';
import { formatQuantity } from '../../format';
import { common } from '../../i18n/common';
import { useMessages, useTerms } from '../../i18n/messages';
import { navigate, useRoute } from '../../router';
import { useSession } from '../../session';
import { BatchesDrawer } from './BatchesDrawer';
import { stockMessages } from './stockMessages';
import { rowWarnings, severity, useStockWarnings } from './stockWarnings';
import { BelowQuotaTag, ExpiryTag, LotsTag } from './stockTags';

type GroupBy = 'depotMaterial' | 'batch' | 'material';
type TopClass = 1 | 2 | 3;

interface Filters {
  groupBy: GroupBy;
  depotId?: number;
  level?: DepotLevel;
  category?: string;
  topClass?: TopClass;
  text: string;
  warningsOnly: boolean;
}

const DEFAULTS: Filters = { groupBy: 'depotMaterial', text: '', warningsOnly: false };
const PAGE = 10_000;
const collator = new Intl.Collator('zh-CN');
const byText = (a: string | null, b: string | null) => collator.compare(a ?? '', b ?? '');

/** A link like #/stock?category=帐篷 sets the filters it names (the rest back to defaults). */
function filtersFromQuery(query: URLSearchParams): Partial<Filters> | null {
  const keys = ['depotId', 'level', 'category', 'topClass', 'text', 'groupBy'];
  if (!keys.some((k) => query.has(k))) return null;
  const level = query.get('level');
  const topClass = Number(query.get('topClass'));
  const groupBy = query.get('groupBy');
  const out: Partial<Filters> = { text: query.get('text') ?? '' };
  if (query.get('depotId')) out.depotId = Number(query.get('depotId'));
  if (level === 'city' || level === 'district' || level === 'town') out.level = level;
  if (query.get('category')) out.category = query.get('category')!;
  if (topClass === 1 || topClass === 2 || topClass === 3) out.topClass = topClass;
  if (groupBy === 'batch' || groupBy === 'material' || groupBy === 'depotMaterial') out.groupBy = groupBy;
  return out;
}

export default function StockPage() {
  const t = useMessages(stockMessages);
  const c = useMessages(common);
  const terms = useTerms();
  const { depots } = useSession();
  const route = useRoute();
  // A link's filters (#/stock?category=帐篷) replace the remembered ones; the address then drops them.
  const [fromLink] = useState(() => filtersFromQuery(route.query));
  const [filters, setFilters] = useSessionState<Filters>(
    'stock',
    DEFAULTS,
    fromLink ? (stored) => ({ ...DEFAULTS, groupBy: stored.groupBy, ...fromLink }) : null,
  );
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  useEffect(() => {
    if (fromLink) window.history.replaceState(null, '', '#/stock');
  }, [fromLink]);

  const [text, setText] = useState(filters.text);
  useEffect(() => setText(filters.text), [filters.text]);

  const [categories, setCategories] = useState<string[]>([]);
  useEffect(() => {
    rpc('material.categories').then(setCategories, () => undefined);
  }, []);

  const [rows, setRows] = useState<BalanceRow[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const request = useRef(0);
  const { groupBy, depotId, level, category, topClass } = filters;
  const query = filters.text.trim();
  useEffect(() => {
    const id = ++request.current;
    setRows([]);
    setLoading(true);
    setError(null);
    const input: InputOf<'stock.balances'> = {
      groupBy,
      depotId,
      level,
      category,
      topClass,
      text: query || undefined,
      limit: PAGE,
    };
    void (async () => {
      let all: BalanceRow[] = [];
      let after: string | undefined;
      try {
        do {
          const page = await rpc('stock.balances', { ...input, after });
          if (id !== request.current) return;
          const first = all.length === 0;
          all = all.concat(page.rows);
          after = page.nextCursor ?? undefined;
          // The first page shows at once; the rest render together (one table render, not one per page).
          if (first || !after) setRows(all);
        } while (after);
      } catch (e) {
        if (id === request.current) setError(e instanceof RpcFailure ? e.message : String(e));
      } finally {
        if (id === request.current) setLoading(false);
      }
    })();
  }, [groupBy, depotId, level, category, topClass, query, reload]);

  const warnings = useStockWarnings();
  const shown = useMemo(
    () => (filters.warningsOnly ? rows.filter((r) => rowWarnings(r, warnings).length > 0) : rows),
    [rows, filters.warningsOnly, warnings],
  );

  const [drill, setDrill] = useState<BalanceRow | null>(null);
  const [tableBox, tableHeight] = useFillHeight(72);

  const columns = useMemo(() => {
    const col = {
      depot: {
        title: t('depot'),
        dataIndex: 'depotName',
        key: 'depot',
        width: 168,
        ellipsis: true,
        sorter: (a: BalanceRow, b: BalanceRow) => byText(a.depotName, b.depotName),
      },
      code: {
        title: t('code'),
        dataIndex: 'materialCode',
        key: 'code',
        width: 90,
        sorter: (a: BalanceRow, b: BalanceRow) => byText(a.materialCode, b.materialCode),
      },
      name: {
        title: t('name'),
        dataIndex: 'materialName',
        key: 'name',
        width: 150,
        ellipsis: true,
        sorter: (a: BalanceRow, b: BalanceRow) => byText(a.materialName, b.materialName),
      },
      spec: { title: t('spec'), dataIndex: 'spec', key: 'spec', width: 150, ellipsis: true },
      category: {
        title: t('category'),
        dataIndex: 'category',
        key: 'category',
        width: 78,
        ellipsis: true,
        sorter: (a: BalanceRow, b: BalanceRow) => byText(a.category, b.category),
      },
      unit: { title: t('unit'), dataIndex: 'unit', key: 'unit', width: 58, ellipsis: true },
      lotNo: {
        title: t('lotNo'),
        dataIndex: 'lotNo',
        key: 'lotNo',
        width: 120,
        sorter: (a: BalanceRow, b: BalanceRow) => byText(a.lotNo, b.lotNo),
      },
      expiresOn: {
        title: t('expiresOn'),
        dataIndex: 'expiresOn',
        key: 'expiresOn',
        width: 104,
        sorter: (a: BalanceRow, b: BalanceRow) => byText(a.expiresOn ?? '9999', b.expiresOn ?? '9999'),
      },
    };
    const num = (key: 'onHand' | 'reserved' | 'available' | 'quota', width = 92) => ({
      title: t(key),
      dataIndex: key,
      key,
      width,
      align: 'right' as const,
      className: 'num',
      sorter: (a: BalanceRow, b: BalanceRow) => (a[key] ?? -1) - (b[key] ?? -1),
      render: (v: number | null) => formatQuantity(v),
    });
    const warn = {
      title: t('warnings'),
      key: 'warnings',
      width: 170,
      sorter: (a: BalanceRow, b: BalanceRow) => severity(a, warnings) - severity(b, warnings),
      render: (_: unknown, r: BalanceRow) =>
        rowWarnings(r, warnings).map((w) =>
          w.kind === 'belowQuota' ? (
            <BelowQuotaTag key={w.kind} shortBy={w.shortBy} />
          ) : r.batchId !== null ? (
            <ExpiryTag key={w.kind} status={w.kind} daysLeft={w.daysLeft} />
          ) : (
            <LotsTag key={w.kind} status={w.kind} />
          ),
        ),
    };
    const list: TableColumnsType<BalanceRow> =
      groupBy === 'batch'
        ? [col.depot, col.code, col.name, col.spec, col.lotNo, col.expiresOn, col.unit, num('onHand'), warn]
        : groupBy === 'material'
          ? [
              col.code,
              { ...col.name, width: 190 },
              { ...col.spec, width: 220 },
              col.category,
              col.unit,
              num('onHand', 100),
              num('reserved'),
              num('available', 100),
              warn,
            ]
          : [
              col.depot,
              col.code,
              { ...col.name, width: 142 },
              { ...col.spec, width: 104 },
              col.category,
              col.unit,
              num('onHand', 88),
              num('reserved', 76),
              num('available', 84),
              num('quota', 92),
              { ...warn, width: 150 },
            ];
    return list;
  }, [groupBy, t, warnings]);
  const scrollX = columns.reduce((s, col) => s + (typeof col.width === 'number' ? col.width : 100), 0);

  const active: string[] = [];
  if (depotId !== undefined)
    active.push(`${t('depot')}=${depots.find((d) => d.depotId === depotId)?.name ?? depotId}`);
  if (level) active.push(`${t('level')}=${terms(`level.${level}`)}`);
  if (category) active.push(`${t('category')}=${category}`);
  if (topClass) active.push(`${t('topClass')}=${terms(`topClass.${topClass}`)}`);
  if (query) active.push(t('filterText', { text: query }));
  if (filters.warningsOnly) active.push(t('warningsOnly'));

  const rowKey = (r: BalanceRow) =>
    groupBy === 'batch'
      ? `b${r.batchId}`
      : groupBy === 'material'
        ? `m${r.materialId}`
        : `${r.depotId}:${r.materialId}`;

  // The table only re-renders when its rows or columns change: typing in a filter must not
  // re-render ten thousand rows before the new query is even sent.
  const tableLoading = loading && rows.length === 0;
  const emptyText = tableLoading ? c('loading') : t('empty');
  const table = useMemo(
    () => (
      <Table<BalanceRow>
        size="small"
        virtual
        sticky
        rowKey={rowKey}
        pagination={false}
        loading={tableLoading}
        columns={columns}
        dataSource={shown}
        scroll={{ x: scrollX, y: tableHeight }}
        locale={{ emptyText }}
        onRow={(r) => ({
          onClick: () => (r.batchId !== null ? navigate(`/stock/batch/${r.batchId}`) : setDrill(r)),
          style: { cursor: 'pointer' },
        })}
      />
    ),
    [columns, shown, tableLoading, scrollX, tableHeight, emptyText],
  );

  return (
    <Flex vertical gap={8}>
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        <Segmented<GroupBy>
          aria-label={t('grouping')}
          value={groupBy}
          onChange={(v) => set({ groupBy: v })}
          options={[
            { label: t('groupDepotMaterial'), value: 'depotMaterial' },
            { label: t('groupBatch'), value: 'batch' },
            { label: t('groupMaterial'), value: 'material' },
          ]}
        />
      </Flex>
      <Flex gap={8} wrap align="center">
        <DepotSelect
          allowClear
          aria-label={t('depot')}
          placeholder={t('allDepots')}
          includeInactive
          value={depotId}
          onChange={(v) => set({ depotId: v })}
          style={{ width: 190 }}
        />
        <Select<DepotLevel>
          allowClear
          aria-label={t('level')}
          placeholder={t('allLevels')}
          value={level}
          onChange={(v) => set({ level: v })}
          style={{ width: 120 }}
          options={(['city', 'district', 'town'] as const).map((l) => ({
            value: l,
            label: terms(`level.${l}`),
          }))}
        />
        <Select<string>
          allowClear
          showSearch
          aria-label={t('category')}
          placeholder={t('allCategories')}
          value={category}
          onChange={(v) => set({ category: v })}
          style={{ width: 130 }}
          options={[...new Set([...categories, ...(category ? [category] : [])])].map((x) => ({
            value: x,
            label: x,
          }))}
        />
        <Select<TopClass>
          allowClear
          aria-label={t('topClass')}
          placeholder={t('allTopClasses')}
          value={topClass}
          onChange={(v) => set({ topClass: v })}
          style={{ width: 170 }}
          popupMatchSelectWidth={false}
          options={([1, 2, 3] as const).map((n) => ({ value: n, label: `${n} ${terms(`topClass.${n}`)}` }))}
        />
        <Input.Search
          allowClear
          aria-label={t('text')}
          placeholder={t('text')}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value === '') set({ text: '' });
          }}
          onSearch={(v) => set({ text: v.trim() })}
          style={{ width: 230 }}
        />
        <Checkbox checked={filters.warningsOnly} onChange={(e) => set({ warningsOnly: e.target.checked })}>
          {t('warningsOnly')}
        </Checkbox>
        <Button onClick={() => setFilters({ ...DEFAULTS, groupBy })}>{c('reset')}</Button>
      </Flex>
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          action={<Button onClick={() => setReload((n) => n + 1)}>{c('retry')}</Button>}
        />
      )}
      <Flex justify="space-between" gap={16}>
        <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
          {active.length > 0 ? c('filters', { filters: active.join('、') }) : c('noFilters')} ·{' '}
          {groupBy === 'batch' ? t('clickBatch') : t('clickRow')}
        </Typography.Text>
        <Typography.Text style={{ whiteSpace: 'nowrap' }} data-testid="row-count">
          {loading
            ? rows.length > 0
              ? t('loadingMore', { n: formatQuantity(rows.length) })
              : c('loading')
            : c('rows', { n: formatQuantity(shown.length) })}
        </Typography.Text>
      </Flex>
      <div ref={tableBox} data-testid="stock-table">
        {table}
      </div>
      {drill && <BatchesDrawer row={drill} warnings={warnings} onClose={() => setDrill(null)} />}
    </Flex>
  );
}
