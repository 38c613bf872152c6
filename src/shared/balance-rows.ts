/**
 * A stock.balances page travels in columns (see balancesPage); this turns it back into row
 * objects with the depot and material names joined in, for screens and tests alike.
 */
import type { BalanceRow, BalancesPage } from './schemas/stock';

/** The i-th entry of a column (the caller keeps i in range). */
const at = <T>(column: readonly T[], i: number): T => column[i] as T;

export function balanceRows(page: BalancesPage): BalanceRow[] {
  const depots = new Map(page.depots.map((d) => [d.depotId, d]));
  const materials = new Map(page.materials.map((m) => [m.materialId, m]));
  const c = page.rows;
  const rows: BalanceRow[] = new Array(c.materialId.length);
  for (let i = 0; i < rows.length; i += 1) {
    const depotId = at(c.depotId, i);
    const depot = depotId === null ? undefined : depots.get(depotId);
    const material = materials.get(at(c.materialId, i));
    if (!material || (depotId !== null && !depot))
      throw new Error(`stock.balances: row ${i + 1} refers to a depot or material the page does not carry`);
    const status = at(c.expiryStatus, i);
    const daysLeft = at(c.daysLeft, i);
    if (status !== null && daysLeft === null)
      throw new Error(`stock.balances: row ${i + 1} has an expiry warning without its days`);
    rows[i] = {
      depotId,
      depotCode: depot?.code ?? null,
      depotName: depot?.name ?? null,
      materialId: material.materialId,
      materialCode: material.code,
      materialName: material.name,
      spec: material.spec,
      unit: material.unit,
      category: material.category,
      batchId: at(c.batchId, i),
      lotNo: at(c.lotNo, i),
      expiresOn: at(c.expiresOn, i),
      onHand: at(c.onHand, i),
      reserved: at(c.reserved, i),
      available: at(c.available, i),
      quota: at(c.quota, i),
      expiry: status === null || daysLeft === null ? null : { status, daysLeft },
      depotsBelowQuota: at(c.depotsBelowQuota, i),
    };
  }
  return rows;
}
