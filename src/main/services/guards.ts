/** Lookups that every stock write starts with; each throws a typed, translatable error. */
import { AppError } from '../../shared/rpc';
import type { DbOrTrx, DepotRow, MaterialRow } from '../db/database';
import type { Actor } from './context';

type DepotQuery = ReturnType<typeof depotQuery>;
const depotQuery = (db: DbOrTrx, depotId: number) => db.selectFrom('depots').selectAll().where('depotId', '=', depotId);

export async function requireDepot(
  db: DbOrTrx,
  depotId: number,
  options: { active?: boolean; path?: string; lock?: (query: DepotQuery) => DepotQuery } = {},
): Promise<DepotRow> {
  const query = depotQuery(db, depotId);
  const depot = await (options.lock ? options.lock(query) : query).executeTakeFirst();
  const path = options.path ?? 'depotId';
  if (!depot) {
    const params = { id: String(depotId) };
    throw new AppError('NOT_FOUND', 'depot.notFound', params, [{ path, key: 'depot.notFound', params }]);
  }
  if (options.active && !depot.active) {
    const params = { depot: depot.name };
    throw new AppError('CONFLICT', 'depot.inactive', params, [{ path, key: 'depot.inactive', params }]);
  }
  return depot;
}

export async function requireMaterial(
  db: DbOrTrx,
  materialId: number,
  options: { active?: boolean; path?: string } = {},
): Promise<MaterialRow> {
  const material = await db.selectFrom('materials').selectAll().where('materialId', '=', materialId).executeTakeFirst();
  const path = options.path ?? 'materialId';
  if (!material) {
    throw new AppError('NOT_FOUND', 'material.notFound', { id: String(materialId) }, [
      { path, key: 'material.notFound', params: { id: String(materialId) } },
    ]);
  }
  if (options.active && !material.active) {
    throw new AppError('CONFLICT', 'material.inactive', { material: material.name }, [
      { path, key: 'material.inactive', params: { material: material.name } },
    ]);
  }
  return material;
}

/** Keepers move stock only in their own depots; other writers are city-wide. */
export function assertDepotScope(actor: Actor, depot: DepotRow): void {
  if (actor.role === 'keeper' && !actor.depotIds.includes(depot.depotId)) {
    throw new AppError('FORBIDDEN', 'auth.keeperNotScoped', { depot: depot.name });
  }
}

/** While a depot is being counted its book quantities are frozen: no movements. */
export async function assertNotCounting(db: DbOrTrx, depot: DepotRow): Promise<void> {
  const open = await db
    .selectFrom('stocktakes')
    .select('docNo')
    .where('depotId', '=', depot.depotId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (open) throw new AppError('CONFLICT', 'stock.stocktakeOpen', { depot: depot.name, docNo: open.docNo });
}
