/**
 * Balances as row objects, however many pages they take: stock.balances pages travel in
 * columns (shared/balance-rows joins the names back in).
 */
import type { InputOf } from '../shared/api';
import { balanceRows } from '../shared/balance-rows';
import type { BalanceRow } from '../shared/schemas/stock';
import { rpc, unreadableReply } from './api';

/** One page, as rows. */
export async function fetchBalancePage(
  input: InputOf<'stock.balances'>,
): Promise<{ rows: BalanceRow[]; nextCursor: string | null }> {
  const page = await rpc('stock.balances', input);
  try {
    return { rows: balanceRows(page), nextCursor: page.nextCursor };
  } catch (e) {
    throw unreadableReply(e);
  }
}

interface FetchAllOptions {
  /** Asked before each further page: false stops the walk (the filter changed) and the result is null. */
  wanted?: () => boolean;
  /** Called with the first page's rows when more pages follow, so a screen can show them at once. */
  onFirstPage?: (rows: BalanceRow[]) => void;
}

/** Every row the filter selects, page after page. */
export async function fetchAllBalances(
  input: Omit<InputOf<'stock.balances'>, 'after'>,
  options: FetchAllOptions = {},
): Promise<BalanceRow[] | null> {
  const wanted = options.wanted ?? (() => true);
  let rows: BalanceRow[] = [];
  let after: string | undefined;
  do {
    const page = await fetchBalancePage({ ...input, after });
    if (!wanted()) return null;
    const first = rows.length === 0;
    rows = rows.concat(page.rows);
    after = page.nextCursor ?? undefined;
    if (first && after) options.onFirstPage?.(rows);
  } while (after);
  return rows;
}
