/** Opening a depot for a stock write: exists, in the actor's scope, not being counted. */
import type { DepotRow, Trx } from '../db/database';
import type { Actor } from '../services/context';
import { assertDepotScope, assertNotCounting, requireDepot } from '../services/guards';

/**
 * Goods only go into active depots; a deactivated one can still be emptied (issue, transfer
 * out, scrap). The depot row is share-locked (PostgreSQL) until the write ends, and a stocktake
 * opens under an exclusive lock on it: a movement and the freezing of book quantities never
 * interleave.
 */
export async function writableDepot(
  trx: Trx,
  actor: Actor,
  depotId: number,
  direction: 'in' | 'out',
  path = 'depotId',
): Promise<DepotRow> {
  const depot = await requireDepot(trx, depotId, {
    active: direction === 'in',
    path,
    lock: 'share',
  });
  assertDepotScope(actor, depot);
  await assertNotCounting(trx, depot);
  return depot;
}
