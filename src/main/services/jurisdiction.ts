/**
 * Coordinators' jurisdictions (DOMAIN.md "Allocation"): a coordinator decides for the whole city
 * or for one district (its district depot and the town depots under it), and takes stock only
 * from depots inside it. A town's request goes to its district; a district's or an outside
 * unit's to the city.
 */
import { AppError } from '../../shared/rpc';
import type { DbOrTrx, DepotRow, Trx } from '../db/database';
import type { Actor } from './context';
import { requireDepot } from './guards';

export type Depots = Map<number, DepotRow>;

export async function allDepots(db: DbOrTrx): Promise<Depots> {
  const rows = await db.selectFrom('depots').selectAll().execute();
  return new Map(rows.map((d) => [d.depotId, d]));
}

/** The district a depot belongs to (a district depot is its own); null for the city depot. */
export function districtOf(depots: Depots, depotId: number): number | null {
  const depot = depots.get(depotId);
  if (!depot || depot.level === 'city') return null;
  if (depot.level === 'district') return depot.depotId;
  return depot.parentId !== null && depots.get(depot.parentId)?.level === 'district' ? depot.parentId : null;
}

/** A coordinator's jurisdiction: a district depot, or null for the whole city. */
export async function jurisdictionOf(db: DbOrTrx, actor: Actor): Promise<number | null> {
  const row = await db
    .selectFrom('users')
    .select('jurisdictionDepotId')
    .where('userId', '=', actor.userId)
    .executeTakeFirstOrThrow();
  return row.jurisdictionDepotId;
}

/** May a coordinator with this jurisdiction take stock from this depot? */
export function inJurisdiction(depots: Depots, jurisdiction: number | null, depotId: number): boolean {
  return jurisdiction === null || districtOf(depots, depotId) === jurisdiction;
}

/** The coordinator whose jurisdiction decides this request, or FORBIDDEN naming whose it is. */
export async function assertDecides(
  trx: Trx,
  actor: Actor,
  request: { approverDepotId: number | null; docNo: string },
) {
  if (actor.role !== 'coordinator')
    throw new AppError('FORBIDDEN', 'auth.roleNotAllowed', { role: `role.${actor.role}` });
  const jurisdiction = await jurisdictionOf(trx, actor);
  if (jurisdiction !== request.approverDepotId) {
    const level =
      request.approverDepotId === null
        ? 'allocation.cityLevel'
        : (await requireDepot(trx, request.approverDepotId)).name;
    throw new AppError('FORBIDDEN', 'allocation.notYourJurisdiction', { docNo: request.docNo, level });
  }
  return jurisdiction;
}
