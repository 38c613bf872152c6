/**
 * 库存: balances with on hand / reserved / available and quota, by depot × material, by batch,
 * or as city totals. Every page of the server's keyset paging is loaded (up to 20,000 rows a
 * call, so most screens take one) into a virtualised table, so sorting and the "warnings only"
 * switch are instant on 10,000+ rows. Each row carries its own warnings (from the server). Filters stay for the session; a link (?category=…) replaces them. A batch row opens
 * its stock card; other rows open their batches.
 */
import { ExportButton } from '../../components/ExportButton';
import { InTransitBar } from './InTransitBar';
import { Alert, Button, Flex, Segmented, Typography } from 'antd';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { BalanceRow } from '../../../shared/schemas/stock';
import { rpc, RpcFailure } from '../../api';
import { fetchAllBalances } from '../../balances';
import { useFillHeight } from '../../components/useFillHeight';
import { useSessionState } from '../../components/useSessionState';
import { VirtualTable, type VirtualColumn } from '../../components/VirtualTable';
import { formatQuantity } from '../../format';
import { common } from '../../i18n/common';
import { useMessages, useTerms } from '../../i18n/messages';
import { navigate, useRoute } from '../../router';
import { useSession } from '../../session';
import { BatchesDrawer } from './BatchesDrawer';
import { StockFilterBar, type Filters, type GroupBy } from './StockFilterBar';
import { stockMessages } from './stockMessages';
import { rowWarnings, severity } from './stockWarnings';
import { BelowQuotaTag, ExpiryTag, LotsTag } from './stockTags';

const DEFAULTS: Filters = { groupBy: 'depotMaterial', text: '', warningsOnly: false };
const PAGE = 20_000;
const collator = new Intl.Collator('zh-CN');
/** Unique in every grouping: a lot, a depot's material, or a material city-wide. */
const rowKey = (r: BalanceRow) => `${r.batchId ?? ''}:${r.depotId ?? ''}:${r.materialId}`;
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
  // Stable callbacks: the filter bar and the table re-render only when what they show changes.
  const set = useCallback((patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch })), [setFilters]);
  const reset = useCallback(() => setFilters((f) => ({ ...DEFAULTS, groupBy: f.groupBy })), [setFilters]);
  useEffect(() => {
    if (fromLink) window.history.replaceState(null, '', '#/stock');
  }, [fromLink]);

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
  // A layout effect, so the request leaves before the browser lays out and paints the screen:
  // the server works on it meanwhile instead of after.
  useLayoutEffect(() => {
    const id = ++request.current;
    setRows([]);
    setLoading(true);
    setError(null);
    const current = () => id === request.current;
    const input = {
      groupBy,
      depotId,
      level,
      category,
      topClass,
      text: query || undefined,
      warnings: true,
      limit: PAGE,
    };
    fetchAllBalances(input, { wanted: current, onFirstPage: setRows }).then(
      (all) => {
        if (!all || !current()) return;
        setRows(all);
        setLoading(false);
      },
      (e: unknown) => {
        if (!current()) return;
        setError(e instanceof RpcFailure ? e.message : String(e));
        setLoading(false);
      },
    );
  }, [groupBy, depotId, level, category, topClass, query, reload]);

  const shown = useMemo(
    () => (filters.warningsOnly ? rows.filter((r) => rowWarnings(r).length > 0) : rows),
    [rows, filters.warningsOnly],
  );

  const [drill, setDrill] = useState<BalanceRow | null>(null);
  const [tableBox, tableHeight] = useFillHeight(16);

  const columns = useMemo(() => {
    const text = (
      key: string,
      title: string,
      width: number,
      value: (r: BalanceRow) => string | null,
      sortable = true,
    ): VirtualColumn<BalanceRow> => ({
      key,
      title,
      width,
      render: (r) => value(r) ?? '',
      sorter: sortable ? (a, b) => byText(value(a), value(b)) : undefined,
    });
    const col = {
      depot: (width = 168) => text('depot', t('depot'), width, (r) => r.depotName),
      code: () => text('code', t('code'), 90, (r) => r.materialCode),
      name: (width = 150) => text('name', t('name'), width, (r) => r.materialName),
      spec: (width = 150) => text('spec', t('spec'), width, (r) => r.spec, false),
      category: () => text('category', t('category'), 78, (r) => r.category),
      unit: () => text('unit', t('unit'), 58, (r) => r.unit, false),
      lotNo: () => text('lotNo', t('lotNo'), 120, (r) => r.lotNo),
      expiresOn: (): VirtualColumn<BalanceRow> => ({
        ...text('expiresOn', t('expiresOn'), 104, (r) => r.expiresOn),
        sorter: (a, b) => byText(a.expiresOn ?? '9999', b.expiresOn ?? '9999'),
      }),
    };
    const num = (
      key: 'onHand' | 'reserved' | 'available' | 'quota',
      width = 92,
    ): VirtualColumn<BalanceRow> => ({
      key,
      title: t(key),
      width,
      align: 'right',
      sorter: (a, b) => (a[key] ?? -1) - (b[key] ?? -1),
      render: (r) => formatQuantity(r[key]),
    });
    const warn = (width = 170): VirtualColumn<BalanceRow> => ({
      key: 'warnings',
      title: t('warnings'),
      width,
      sorter: (a, b) => severity(a) - severity(b),
      render: (r) =>
        rowWarnings(r).map((w) =>
          w.kind === 'belowQuota' ? (
            <BelowQuotaTag key={w.kind} shortBy={w.shortBy} depots={w.depots} />
          ) : r.batchId !== null ? (
            <ExpiryTag key={w.kind} status={w.kind} daysLeft={w.daysLeft} />
          ) : (
            <LotsTag key={w.kind} status={w.kind} daysLeft={w.daysLeft} />
          ),
        ),
    });
    if (groupBy === 'batch') {
      return [
        col.depot(),
        col.code(),
        col.name(),
        col.spec(),
        col.lotNo(),
        col.expiresOn(),
        col.unit(),
        num('onHand'),
        warn(),
      ];
    }
    if (groupBy === 'material') {
      return [
        col.code(),
        col.name(190),
        col.spec(220),
        col.category(),
        col.unit(),
        num('onHand', 100),
        num('reserved'),
        num('available', 100),
        warn(),
      ];
    }
    return [
      col.depot(),
      col.code(),
      col.name(142),
      col.spec(104),
      col.category(),
      col.unit(),
      num('onHand', 88),
      num('reserved', 76),
      num('available', 84),
      num('quota', 92),
      warn(150),
    ];
  }, [groupBy, t]);

  const active: string[] = [];
  if (depotId !== undefined)
    active.push(`${t('depot')}=${depots.find((d) => d.depotId === depotId)?.name ?? depotId}`);
  if (level) active.push(`${t('level')}=${terms(`level.${level}`)}`);
  if (category) active.push(`${t('category')}=${category}`);
  if (topClass) active.push(`${t('topClass')}=${terms(`topClass.${topClass}`)}`);
  if (query) active.push(t('filterText', { text: query }));
  if (filters.warningsOnly) active.push(t('warningsOnly'));

  const open = useCallback(
    (r: BalanceRow) => (r.batchId !== null ? navigate(`/stock/batch/${r.batchId}`) : setDrill(r)),
    [],
  );

  return (
    <Flex vertical gap={8}>
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        <Flex gap={8} align="center">
          <ExportButton report="inventory" filters={{ depotId, level, category, topClass }} />
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
      </Flex>
      <StockFilterBar filters={filters} onChange={set} onReset={reset} categories={categories} />
      <InTransitBar depotId={depotId} />
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
        <VirtualTable<BalanceRow>
          label={t('title')}
          rows={shown}
          columns={columns}
          rowKey={rowKey}
          height={tableHeight}
          onOpen={open}
          empty={loading && rows.length === 0 ? c('loading') : t('empty')}
        />
      </div>
      {drill && <BatchesDrawer row={drill} onClose={() => setDrill(null)} />}
    </Flex>
  );
}
