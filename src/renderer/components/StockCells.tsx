/**
 * Cells of the stock entry lines: the material (scanner-friendly), the batch of a depot (in
 * first-expiry-first-out order, expired ones marked), and what a line may take (available, or
 * the chosen batch's balance). Balances are cached per depot and material until a write.
 */
import { Select, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { localDate } from '../../shared/dates';
import type { MaterialDto } from '../../shared/schemas/material';
import type { BalanceRow } from '../../shared/schemas/stock';
import { fetchBalancePage } from '../balances';
import { formatQuantity } from '../format';
import { defineMessages, useMessages } from '../i18n/messages';
import { handleEnter, useEnterNavigation } from './EnterNavigation';
import { MaterialPicker } from './MaterialPicker';

export const cellMessages = defineMessages(
  {
    materialPlaceholder: '扫码或输入编码、名称',
    batchAuto: '自动（先到期先出）',
    batchPlaceholder: '扫码或输入物资、批号',
    expired: '已过期',
    expiring: '临期',
    lotExpires: '{lot} · 有效期至 {date} · 结存 {qty} {unit}',
    lotNoExpiry: '{lot} · 无有效期 · 结存 {qty} {unit}',
    available: '可用 {qty} {unit}',
    batchOnHand: '批次结存 {qty} {unit}',
    expiredExtra: '另有过期 {qty}（须指定批次）',
    none: '无库存',
  },
  {
    materialPlaceholder: 'Scan or type a code or name',
    batchAuto: 'Automatic (first expiry first out)',
    batchPlaceholder: 'Scan or type a material or lot',
    expired: 'Expired',
    expiring: 'Expiring',
    lotExpires: '{lot} · expires {date} · on hand {qty} {unit}',
    lotNoExpiry: '{lot} · no expiry · on hand {qty} {unit}',
    available: 'Available {qty} {unit}',
    batchOnHand: 'Batch on hand {qty} {unit}',
    expiredExtra: 'plus {qty} expired (choose the batch)',
    none: 'No stock',
  },
);

export function today(): string {
  return localDate(new Date());
}

// ---- Balances of one material in one depot ---------------------------------------------------

export interface MaterialStock {
  /** Batches with stock, first expiry first (no expiry last), expired ones at the end. */
  batches: BalanceRow[];
  /** On hand − reserved, for the depot and material. */
  available: number;
  /** What an issue without a chosen batch can take: available, but never expired stock. */
  fefoAvailable: number;
  expiredOnHand: number;
}

const stockCache = new Map<string, Promise<MaterialStock>>();

/** Forget cached balances (after a write). */
export function invalidateStock(): void {
  stockCache.clear();
}

/** First expiry first, no expiry last; expired batches last (`expiredFirst`: first, as scrapping wants). */
function byExpiry(a: BalanceRow, b: BalanceRow, day: string, expiredFirst = false): number {
  const expiredA = a.expiresOn !== null && a.expiresOn < day;
  const expiredB = b.expiresOn !== null && b.expiresOn < day;
  if (expiredA !== expiredB) return expiredA !== expiredFirst ? 1 : -1;
  if (a.expiresOn !== b.expiresOn) {
    if (a.expiresOn === null) return 1;
    if (b.expiresOn === null) return -1;
    return a.expiresOn < b.expiresOn ? -1 : 1;
  }
  return (a.batchId ?? 0) - (b.batchId ?? 0);
}

async function fetchStock(depotId: number, materialId: number): Promise<MaterialStock> {
  const [batchPage, levelPage] = await Promise.all([
    fetchBalancePage({ groupBy: 'batch', depotId, materialId, limit: 1000 }),
    fetchBalancePage({ groupBy: 'depotMaterial', depotId, materialId, limit: 1 }),
  ]);
  const day = today();
  const batches = [...batchPage.rows].sort((a, b) => byExpiry(a, b, day));
  const level = levelPage.rows[0];
  const available = level?.available ?? 0;
  const expiredOnHand = batches
    .filter((b) => b.expiresOn !== null && b.expiresOn < day)
    .reduce((s, b) => s + b.onHand, 0);
  const usable = batches.reduce((s, b) => s + b.onHand, 0) - expiredOnHand;
  return { batches, available, fefoAvailable: Math.max(0, Math.min(available, usable)), expiredOnHand };
}

export function useMaterialStock(
  depotId: number | undefined,
  materialId: number | undefined,
): MaterialStock | null {
  const [state, setState] = useState<{ key: string; stock: MaterialStock } | null>(null);
  const key = depotId && materialId ? `${depotId}:${materialId}` : null;
  useEffect(() => {
    if (!key || !depotId || !materialId) return;
    let cached = stockCache.get(key);
    if (!cached) {
      cached = fetchStock(depotId, materialId);
      stockCache.set(key, cached);
      cached.catch(() => stockCache.delete(key));
    }
    let live = true;
    cached.then(
      (stock) => live && setState({ key, stock }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [key, depotId, materialId]);
  return state && state.key === key ? state.stock : null;
}

// ---- Cells -----------------------------------------------------------------------------------

export function MaterialCell({
  value,
  onChange,
  onEmptyEnter,
  id,
}: {
  value?: MaterialDto;
  onChange?: (m: MaterialDto | undefined) => void;
  onEmptyEnter?: () => void;
  id?: string;
}) {
  const t = useMessages(cellMessages);
  return (
    <MaterialPicker
      id={id}
      value={value?.materialId}
      selected={value}
      onChange={(_, m) => onChange?.(m)}
      onEmptyEnter={onEmptyEnter}
      placeholder={t('materialPlaceholder')}
    />
  );
}

function expiryTag(
  row: BalanceRow,
  day: string,
  warningDays: number | undefined,
  t: (k: 'expired' | 'expiring') => string,
) {
  if (row.expiresOn === null) return null;
  if (row.expiresOn < day) return <Tag color="red">{t('expired')}</Tag>;
  if (warningDays !== undefined) {
    const days = Math.round(
      (Date.parse(`${row.expiresOn}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000,
    );
    if (days <= warningDays) return <Tag color="orange">{t('expiring')}</Tag>;
  }
  return null;
}

interface BatchCellProps {
  depotId?: number;
  /**
   * line: the optional batch of an outgoing line, among `material`'s batches (none until it is chosen);
   * search: any batch of the depot, searched by material code, name or lot (a scrap line).
   */
  mode: 'line' | 'search';
  material?: MaterialDto;
  value?: BalanceRow;
  onChange?: (row: BalanceRow | undefined) => void;
  /** Enter on an empty cell: leave the lines (scrap's first cell) — an issue's batch is optional and moves on. */
  onEmptyEnter?: () => void;
  id?: string;
}

/** Choose a batch: an issue line's optional batch, or a scrap line's batch (searched by material or lot). */
export function BatchCell({ depotId, mode, material, value, onChange, onEmptyEnter, id }: BatchCellProps) {
  const t = useMessages(cellMessages);
  const nav = useEnterNavigation();
  const day = today();
  const stock = useMaterialStock(depotId, material?.materialId);
  const [found, setFound] = useState<BalanceRow[]>([]);
  const [search, setSearch] = useState('');
  const request = useRef(0);

  const searchBatches = (text: string) => {
    if (!depotId || mode !== 'search') return;
    const rid = ++request.current;
    fetchBalancePage({ groupBy: 'batch', depotId, text: text || undefined, limit: 100 }).then(
      (page) => rid === request.current && setFound([...page.rows].sort((a, b) => byExpiry(a, b, day, true))),
      () => undefined,
    );
  };
  useEffect(() => {
    setFound([]);
    if (!depotId || mode !== 'search') return;
    const rid = ++request.current;
    fetchBalancePage({ groupBy: 'batch', depotId, limit: 100 }).then(
      (page) =>
        rid === request.current &&
        setFound([...page.rows].sort((a, b) => byExpiry(a, b, localDate(new Date()), true))),
      () => undefined,
    );
  }, [depotId, mode]);

  const rows = useMemo(() => {
    const list = mode === 'line' ? (stock?.batches ?? []) : found;
    return value && !list.some((r) => r.batchId === value.batchId) ? [value, ...list] : list;
  }, [mode, stock, found, value]);

  const label = (r: BalanceRow) => (
    <span>
      {mode === 'search' && `${r.materialCode} ${r.materialName} · `}
      {r.expiresOn
        ? t('lotExpires', {
            lot: r.lotNo ?? '',
            date: r.expiresOn,
            qty: formatQuantity(r.onHand),
            unit: r.unit,
          })
        : t('lotNoExpiry', { lot: r.lotNo ?? '', qty: formatQuantity(r.onHand), unit: r.unit })}{' '}
      {expiryTag(r, day, material?.warningDays, t)}
    </span>
  );

  const onKeyDownCapture = (e: KeyboardEvent<HTMLSpanElement>) => {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing || e.ctrlKey || e.metaKey || !nav) return;
    const target = e.target as HTMLElement;
    handleEnter(e, target, nav, onEmptyEnter ?? (mode === 'line' ? () => nav.next(target) : undefined));
  };

  return (
    <span data-enter-self onKeyDownCapture={onKeyDownCapture} style={{ display: 'block' }}>
      <Select<number>
        id={id}
        value={value?.batchId ?? undefined}
        allowClear
        disabled={!depotId}
        placeholder={mode === 'line' ? t('batchAuto') : t('batchPlaceholder')}
        showSearch={
          mode === 'line'
            ? { optionFilterProp: 'search' }
            : {
                filterOption: false,
                searchValue: search,
                onSearch: (text) => {
                  setSearch(text);
                  searchBatches(text);
                },
              }
        }
        options={rows.map((r) => ({
          value: r.batchId!,
          label: label(r),
          search: `${r.lotNo ?? ''} ${r.materialCode} ${r.materialName}`,
        }))}
        onChange={(batchId) => {
          setSearch('');
          onChange?.(rows.find((r) => r.batchId === batchId));
        }}
        notFoundContent={t('none')}
        popupMatchSelectWidth={false}
        style={{ width: '100%' }}
      />
    </span>
  );
}

/** What the line can take: the chosen batch's balance, or the depot's available (FEFO) quantity. */
export function StockHint({
  depotId,
  material,
  batch,
}: {
  depotId?: number;
  material?: MaterialDto;
  batch?: BalanceRow;
}) {
  const t = useMessages(cellMessages);
  const stock = useMaterialStock(depotId, material?.materialId);
  if (!material || !depotId) return null;
  if (batch) {
    return (
      <Typography.Text type="secondary" className="num" data-testid="stock-hint">
        {t('batchOnHand', { qty: formatQuantity(batch.onHand), unit: batch.unit })}
      </Typography.Text>
    );
  }
  if (!stock) return null;
  return (
    <Typography.Text
      type={stock.fefoAvailable > 0 ? 'secondary' : 'danger'}
      className="num"
      data-testid="stock-hint"
    >
      {t('available', { qty: formatQuantity(stock.fefoAvailable), unit: material.unit })}
      {stock.expiredOnHand > 0 && (
        <>
          <br />
          <Typography.Text type="warning" style={{ fontSize: 12 }}>
            {t('expiredExtra', { qty: formatQuantity(stock.expiredOnHand) })}
          </Typography.Text>
        </>
      )}
    </Typography.Text>
  );
}
