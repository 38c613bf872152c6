/**
 * Which stock rows carry warnings: one read of stock.expiring and stock.belowQuota (all depots)
 * indexed by batch, by depot × material and by material, so any balance row can be tagged.
 */
import { useEffect, useState } from 'react';
import type { OutputOf } from '../../../shared/api';
import type { BalanceRow } from '../../../shared/schemas/stock';
import { rpc } from '../../api';
import type { ExpiryStatus } from './stockTags';

export interface StockWarnings {
  batch: Map<number, { status: ExpiryStatus; daysLeft: number }>;
  depotMaterial: Map<string, ExpiryStatus>;
  material: Map<number, ExpiryStatus>;
  /** Depot × material keys under quota, and per material how many depots are. */
  belowDepotMaterial: Set<string>;
  belowMaterial: Map<number, number>;
}

export const dmKey = (depotId: number | null, materialId: number) => `${depotId ?? ''}:${materialId}`;

function worse(a: ExpiryStatus | undefined, b: ExpiryStatus): ExpiryStatus {
  return a === 'expired' || b === 'expired' ? 'expired' : 'expiring';
}

export function indexWarnings(expiring: OutputOf<'stock.expiring'>, below: OutputOf<'stock.belowQuota'>): StockWarnings {
  const w: StockWarnings = { batch: new Map(), depotMaterial: new Map(), material: new Map(), belowDepotMaterial: new Set(), belowMaterial: new Map() };
  for (const r of expiring.rows) {
    w.batch.set(r.batchId, { status: r.status, daysLeft: r.daysLeft });
    const key = dmKey(r.depotId, r.materialId);
    w.depotMaterial.set(key, worse(w.depotMaterial.get(key), r.status));
    w.material.set(r.materialId, worse(w.material.get(r.materialId), r.status));
  }
  for (const r of below.rows) {
    w.belowDepotMaterial.add(dmKey(r.depotId, r.materialId));
    w.belowMaterial.set(r.materialId, (w.belowMaterial.get(r.materialId) ?? 0) + 1);
  }
  return w;
}

export function useStockWarnings(): StockWarnings | null {
  const [warnings, setWarnings] = useState<StockWarnings | null>(null);
  useEffect(() => {
    let live = true;
    Promise.all([rpc('stock.expiring', {}), rpc('stock.belowQuota', {})]).then(
      ([e, b]) => live && setWarnings(indexWarnings(e, b)),
      () => undefined, // the tags are a help; the balances still show without them
    );
    return () => {
      live = false;
    };
  }, []);
  return warnings;
}

/** The row's warnings, most severe first; a number to sort by (higher = worse). */
export function rowWarnings(row: BalanceRow, w: StockWarnings | null) {
  const out: { kind: 'expired' | 'expiring' | 'belowQuota'; daysLeft?: number; shortBy?: number }[] = [];
  if (!w) return out;
  if (row.batchId !== null) {
    const b = w.batch.get(row.batchId);
    if (b) out.push({ kind: b.status, daysLeft: b.daysLeft });
    return out;
  }
  if (row.depotId !== null) {
    const lots = w.depotMaterial.get(dmKey(row.depotId, row.materialId));
    if (row.quota !== null && row.available !== null && row.available < row.quota) out.push({ kind: 'belowQuota', shortBy: row.quota - row.available });
    if (lots) out.push({ kind: lots });
  } else {
    if (w.belowMaterial.has(row.materialId)) out.push({ kind: 'belowQuota' });
    const lots = w.material.get(row.materialId);
    if (lots) out.push({ kind: lots });
  }
  return out;
}

const SEVERITY = { expired: 4, belowQuota: 2, expiring: 1 } as const;
export function severity(row: BalanceRow, w: StockWarnings | null): number {
  return rowWarnings(row, w).reduce((s, x) => s + SEVERITY[x.kind], 0);
}
