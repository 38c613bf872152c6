/** Lookups that every stock write starts with; each throws a typed, translatable error. */
import { AppError } from '../../shared/rpc';
import type { DbOrTrx, DepotRow, MaterialRow } from '../db/database';
import { prepared } from '../db/prepared';
import type { Actor } from './context';

const depotById = {
  none: prepared((db, p: { depotId: number }) =>
    db.selectFrom('depots').selectAll().where('depotId', '=', p.depotId),
  ),
  share: prepared((db, p: { depotId: number }, dialect) =>
    dialect.forShare(db.selectFrom('depots').selectAll().where('depotId', '=', p.depotId)),
  ),
  update: prepared((db, p: { depotId: number }, dialect) =>
    dialect.forUpdate(db.selectFrom('depots').selectAll().where('depotId', '=', p.depotId)),
  ),
};
const materialById = {
  none: prepared((db, p: { materialId: number }) =>
    db.selectFrom('materials').selectAll().where('materialId', '=', p.materialId),
  ),
  update: prepared((db, p: { materialId: number }, dialect) =>
    dialect.forUpdate(db.selectFrom('materials').selectAll().where('materialId', '=', p.materialId)),
  ),
};
const openStocktake = prepared((db, p: { depotId: number }) =>
  db.selectFrom('stocktakes').select('docNo').where('depotId', '=', p.depotId).where('status', '=', 'open'),
);

/**
 * The depot, or NOT_FOUND naming the field. `lock` (PostgreSQL): share — no stocktake may open
 * on it until this write ends; update — no stock write may start on it (a stocktake opening).
 */
export async function requireDepot(
  db: DbOrTrx,
  depotId: number,
  options: { active?: boolean; path?: string; lock?: 'share' | 'update' } = {},
): Promise<DepotRow> {
  return checkDepot(await depotById[options.lock ?? 'none'].first(db, { depotId }), depotId, options);
}

/** requireDepot for a depot already read (from a list of all depots, say). */
export function checkDepot(
  depot: DepotRow | undefined,
  depotId: number,
  options: { active?: boolean; path?: string } = {},
): DepotRow {
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
  options: { active?: boolean; path?: string; lock?: 'update' } = {},
): Promise<MaterialRow> {
  const material = await materialById[options.lock ?? 'none'].first(db, { materialId });
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
  const open = await openStocktake.first(db, { depotId: depot.depotId });
  if (open) throw new AppError('CONFLICT', 'stock.stocktakeOpen', { depot: depot.name, docNo: open.docNo });
}

/**
 * The depot a caller names by id (the screens) or by code (the CLI); null when neither is given,
 * NOT_FOUND (on the field `depot`) when it does not exist.
 */
export async function namedDepot(
  db: DbOrTrx,
  by: { depotId?: number | undefined; depotCode?: string | undefined },
): Promise<{ depotId: number; code: string; name: string } | null> {
  if (by.depotId === undefined && by.depotCode === undefined) return null;
  const query = db.selectFrom('depots').select(['depotId', 'code', 'name']);
  const depot = await (
    by.depotId !== undefined
      ? query.where('depotId', '=', by.depotId)
      : query.where('code', '=', by.depotCode!)
  ).executeTakeFirst();
  if (!depot) {
    const [key, params] =
      by.depotId !== undefined
        ? (['depot.notFound', { id: String(by.depotId) }] as const)
        : (['depot.codeNotFound', { code: by.depotCode! }] as const);
    throw new AppError('NOT_FOUND', key, params, [{ path: 'depot', key, params }]);
  }
  return depot;
}
