/**
 * The warnings a stock row carries, read from the row itself: the server tags each row with
 * its expiry warning (the lot's, or the earliest lot's) and, on city totals, how many depots
 * are under quota; a depot's own shortfall follows from its quota and available quantity.
 */
import type { BalanceRow, ExpiryStatus } from '../../../shared/schemas/stock';

export type RowWarning =
  { kind: ExpiryStatus; daysLeft: number } | { kind: 'belowQuota'; shortBy?: number; depots?: number };

/** The row's warnings, below quota first (it is what a coordinator acts on), then expiry. */
export function rowWarnings(row: BalanceRow): RowWarning[] {
  const out: RowWarning[] = [];
  if (row.quota !== null && row.available !== null && row.available < row.quota) {
    out.push({ kind: 'belowQuota', shortBy: row.quota - row.available });
  }
  if (row.depotsBelowQuota) out.push({ kind: 'belowQuota', depots: row.depotsBelowQuota });
  if (row.expiry) out.push({ kind: row.expiry.status, daysLeft: row.expiry.daysLeft });
  return out;
}

const SEVERITY = { expired: 4, belowQuota: 2, expiring: 1 } as const;

/** A number to sort rows by their warnings: higher is worse. */
export function severity(row: BalanceRow): number {
  return rowWarnings(row).reduce((s, x) => s + SEVERITY[x.kind], 0);
}
