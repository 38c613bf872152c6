/** Stock reads: balances, the depot × material matrix, movement history, expiry and quota warnings. */
import { sql } from 'kysely';
import type { z } from 'zod';
import { addDays, daysBetween, localDate, startOfLocalDay } from '../../shared/dates';
import { AppError } from '../../shared/rpc';
import type { DepotLevel } from '../../shared/schemas/depot';
import type {
  BalanceRow,
  BatchDetail,
  ExpiryStatus,
  MovementDto,
  balancesInput,
  belowQuotaInput,
  belowQuotaOutput,
  expiringInput,
  expiringOutput,
  matrixInput,
  matrixOutput,
  movementsInput,
} from '../../shared/schemas/stock';
import type { DbOrTrx } from '../db/database';
import type { ServiceContext } from './context';

function movementQuery(db: DbOrTrx) {
  return db
    .selectFrom('movements as mv')
    .innerJoin('depots as d', 'd.depotId', 'mv.depotId')
    .innerJoin('materials as m', 'm.materialId', 'mv.materialId')
    .innerJoin('batches as b', 'b.batchId', 'mv.batchId')
    .innerJoin('users as u', 'u.userId', 'mv.userId')
    .leftJoin('movements as r', 'r.reversesMovementId', 'mv.movementId')
    .leftJoin('movements as o', 'o.movementId', 'mv.reversesMovementId')
    .select([
      'mv.movementId',
      'mv.docNo',
      'mv.type',
      'mv.depotId',
      'd.name as depotName',
      'mv.materialId',
      'm.code as materialCode',
      'm.name as materialName',
      'm.unit',
      'mv.batchId',
      'b.lotNo',
      'b.expiresOn',
      'mv.quantity',
      'mv.occurredAt',
      'mv.userId',
      'u.displayName as userName',
      'mv.counterpartDepotId',
      'mv.reversesMovementId',
      'mv.pairMovementId',
      'o.docNo as reversesDocNo',
      'r.movementId as reversedBy',
      'r.docNo as reversedByDocNo',
      'mv.expiredOverride',
      'mv.recipient',
      'mv.reason',
      'mv.note',
    ]);
}

type MovementQueryRow = Awaited<ReturnType<ReturnType<typeof movementQuery>['execute']>>[number];

function toMovementDto(row: MovementQueryRow): MovementDto {
  return { ...row, type: row.type as MovementDto['type'], expiredOverride: row.expiredOverride === 1 };
}

export async function loadMovements(db: DbOrTrx, movementIds: number[]): Promise<MovementDto[]> {
  if (movementIds.length === 0) return [];
  const rows = await movementQuery(db).where('mv.movementId', 'in', movementIds).orderBy('mv.movementId').execute();
  return rows.map(toMovementDto);
}

function parseCursor(after: string | undefined, parts: number): number[] | null {
  if (after === undefined) return null;
  const values = after.split(':').map(Number);
  if (values.length !== parts || values.some((v) => !Number.isSafeInteger(v) || v < 0)) {
    throw new AppError('BAD_INPUT', 'validation.format', {}, [{ path: 'after', key: 'validation.format' }]);
  }
  return values;
}

export async function listMovements(db: DbOrTrx, input: z.output<typeof movementsInput>) {
  let q = movementQuery(db);
  if (input.depotId !== undefined) q = q.where('mv.depotId', '=', input.depotId);
  if (input.materialId !== undefined) q = q.where('mv.materialId', '=', input.materialId);
  if (input.batchId !== undefined) q = q.where('mv.batchId', '=', input.batchId);
  if (input.movementId !== undefined) q = q.where('mv.movementId', '=', input.movementId);
  if (input.type !== undefined) q = q.where('mv.type', '=', input.type);
  if (input.docNo !== undefined) q = q.where('mv.docNo', '=', input.docNo.trim());
  if (input.from !== undefined) q = q.where('mv.occurredAt', '>=', startOfLocalDay(input.from));
  if (input.to !== undefined) q = q.where('mv.occurredAt', '<', startOfLocalDay(addDays(input.to, 1)));
  const cursor = parseCursor(input.after, 1);
  if (cursor) q = q.where('mv.movementId', '<', cursor[0]!);
  const rows = await q.orderBy('mv.movementId', 'desc').limit(input.limit + 1).execute();
  const more = rows.length > input.limit;
  const page = (more ? rows.slice(0, input.limit) : rows).map(toMovementDto);
  return { rows: page, nextCursor: more ? String(page.at(-1)!.movementId) : null };
}

/** One batch with its material, depot and on hand, and where it stands against its expiry. */
export async function getBatch(ctx: ServiceContext, batchId: number): Promise<BatchDetail> {
  const row = await ctx.db
    .selectFrom('batches as b')
    .innerJoin('materials as m', 'm.materialId', 'b.materialId')
    .innerJoin('depots as d', 'd.depotId', 'b.depotId')
    .leftJoin('batchBalances as bb', 'bb.batchId', 'b.batchId')
    .select((eb) => [
      'b.batchId',
      'b.depotId',
      'd.code as depotCode',
      'd.name as depotName',
      'b.materialId',
      'm.code as materialCode',
      'm.name as materialName',
      'm.spec',
      'm.unit',
      'm.category',
      'm.warningDays',
      'b.lotNo',
      'b.producedOn',
      'b.expiresOn',
      'b.source',
      'b.supplier',
      'b.unitPriceFen',
      'b.createdAt',
      eb.fn.coalesce('bb.onHand', eb.lit(0)).as('onHand'),
    ])
    .where('b.batchId', '=', batchId)
    .executeTakeFirst();
  if (!row) {
    const params = { id: String(batchId) };
    throw new AppError('NOT_FOUND', 'stock.batchNotFound', params, [{ path: 'batchId', key: 'stock.batchNotFound', params }]);
  }
  const { warningDays, ...batch } = row;
  const today = localDate(ctx.clock.now());
  const daysLeft = batch.expiresOn ? daysBetween(today, batch.expiresOn) : null;
  const expiryStatus = expiryOf(today, batch.expiresOn, warningDays)?.status ?? null;
  return { ...batch, onHand: Number(batch.onHand), source: batch.source as BatchDetail['source'], today, daysLeft, expiryStatus };
}

type BalancesInput = z.output<typeof balancesInput>;

/** Where a lot stands against its expiry: expired, expiring within `warningDays` days, or neither (null). */
export function expiryOf(today: string, expiresOn: string | null, warningDays: number): { status: ExpiryStatus; daysLeft: number } | null {
  if (!expiresOn) return null;
  const daysLeft = daysBetween(today, expiresOn);
  if (daysLeft < 0) return { status: 'expired', daysLeft };
  return daysLeft <= warningDays ? { status: 'expiring', daysLeft } : null;
}

/** The date past which no material warns yet: today plus the widest warning window. */
async function warningHorizon(db: DbOrTrx, today: string): Promise<string> {
  const widest = await db.selectFrom('materials').select((eb) => eb.fn.max<number>('warningDays').as('w')).executeTakeFirst();
  return addDays(today, Number(widest?.w ?? 0));
}

interface Scope {
  depotId?: number;
  level?: DepotLevel;
  materialId?: number;
}

/**
 * The earliest expiry among lots with stock, per depot × material (`depotId:materialId`) or
 * per material over the depots in scope, counting only lots inside the widest warning window:
 * the earliest lot decides a row's warning, and a later one can only warn if it does. Read
 * through the expiry index, so the cost follows the lots near expiry, not the size of the page.
 */
async function earliestNearExpiry(db: DbOrTrx, today: string, scope: Scope, per: 'depotMaterial' | 'material'): Promise<Map<string, string>> {
  let q = db
    .selectFrom('batches as b')
    .innerJoin('batchBalances as bb', 'bb.batchId', 'b.batchId')
    .select((eb) => ['b.depotId', 'b.materialId', eb.fn.min<string>('b.expiresOn').as('earliest')])
    .where('bb.onHand', '>', 0)
    .where('b.expiresOn', 'is not', null)
    .where('b.expiresOn', '<=', await warningHorizon(db, today));
  if (scope.depotId !== undefined) q = q.where('b.depotId', '=', scope.depotId);
  if (scope.materialId !== undefined) q = q.where('b.materialId', '=', scope.materialId);
  if (scope.level !== undefined) {
    const level = scope.level;
    q = q.where('b.depotId', 'in', (sub) => sub.selectFrom('depots').select('depotId').where('level', '=', level));
  }
  const rows = await (per === 'material' ? q.groupBy('b.materialId') : q.groupBy(['b.depotId', 'b.materialId'])).execute();
  return new Map(rows.map((r) => [per === 'material' ? String(r.materialId) : `${r.depotId}:${r.materialId}`, r.earliest]));
}

/** Quotas of active depots and materials that the available quantity does not reach. */
function quotasNotMet(db: DbOrTrx) {
  return db
    .selectFrom('quotas as q')
    .innerJoin('depots as d', 'd.depotId', 'q.depotId')
    .innerJoin('materials as m', 'm.materialId', 'q.materialId')
    .leftJoin('stockLevels as sl', (j) => j.onRef('sl.depotId', '=', 'q.depotId').onRef('sl.materialId', '=', 'q.materialId'))
    .where('d.active', '=', 1)
    .where('m.active', '=', 1)
    .where((eb) => eb(eb(eb.fn.coalesce('sl.onHand', eb.lit(0)), '-', eb.fn.coalesce('sl.reserved', eb.lit(0))), '<', eb.ref('q.quantity')));
}

/** Per material, how many depots in scope are under their quota. */
async function depotsBelowQuota(db: DbOrTrx, scope: Scope): Promise<Map<number, number>> {
  let q = quotasNotMet(db).select((eb) => ['q.materialId', eb.fn.countAll<number>().as('depots')]).groupBy('q.materialId');
  if (scope.depotId !== undefined) q = q.where('q.depotId', '=', scope.depotId);
  if (scope.materialId !== undefined) q = q.where('q.materialId', '=', scope.materialId);
  if (scope.level !== undefined) q = q.where('d.level', '=', scope.level);
  return new Map((await q.execute()).map((r) => [r.materialId, Number(r.depots)]));
}

/**
 * Materials whose code, name or spec contains the text. Used as `material_id in (...)`, so the
 * database searches the small catalogue once and then reads only those materials' stock, instead
 * of testing the text against every depot x material row.
 */
function matchingMaterials(db: DbOrTrx, pattern: string) {
  return db
    .selectFrom('materials as mm')
    .select('mm.materialId')
    .where((eb) =>
      eb.or([
        sql<boolean>`${eb.ref('mm.code')} like ${pattern} escape '\\'`,
        sql<boolean>`${eb.ref('mm.name')} like ${pattern} escape '\\'`,
        sql<boolean>`${eb.ref('mm.spec')} like ${pattern} escape '\\'`,
      ]),
    );
}

function textPattern(text: string | undefined): string | null {
  const trimmed = text?.trim();
  return trimmed ? `%${trimmed.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
}

export async function listBalances(ctx: ServiceContext, input: BalancesInput): Promise<{ rows: BalanceRow[]; nextCursor: string | null }> {
  const { db } = ctx;
  const today = localDate(ctx.clock.now());
  const pattern = textPattern(input.text);
  const limit = input.limit;

  if (input.groupBy === 'batch') {
    let q = db
      .selectFrom('batchBalances as bb')
      .innerJoin('batches as b', 'b.batchId', 'bb.batchId')
      .innerJoin('materials as m', 'm.materialId', 'bb.materialId')
      .innerJoin('depots as d', 'd.depotId', 'bb.depotId')
      .select([
        'bb.depotId',
        'd.code as depotCode',
        'd.name as depotName',
        'bb.materialId',
        'm.code as materialCode',
        'm.name as materialName',
        'm.spec',
        'm.unit',
        'm.category',
        'bb.batchId',
        'b.lotNo',
        'b.expiresOn',
        'm.warningDays',
        'bb.onHand',
      ]);
    if (input.depotId !== undefined) q = q.where('bb.depotId', '=', input.depotId);
    if (input.materialId !== undefined) q = q.where('bb.materialId', '=', input.materialId);
    if (input.category !== undefined) q = q.where('m.category', '=', input.category);
    if (input.topClass !== undefined) q = q.where('m.topClass', '=', input.topClass);
    if (input.level !== undefined) q = q.where('d.level', '=', input.level);
    if (pattern) q = q.where((eb) => eb.or([sql<boolean>`${eb.ref('m.code')} like ${pattern} escape '\\'`, sql<boolean>`${eb.ref('m.name')} like ${pattern} escape '\\'`, sql<boolean>`${eb.ref('m.spec')} like ${pattern} escape '\\'`, sql<boolean>`${eb.ref('b.lotNo')} like ${pattern} escape '\\'`]));
    if (!input.includeZero) q = q.where('bb.onHand', '>', 0);
    const cursor = parseCursor(input.after, 1);
    if (cursor) q = q.where('bb.batchId', '>', cursor[0]!);
    const rows = await q.orderBy('bb.batchId').limit(limit + 1).execute();
    const more = rows.length > limit;
    const page = (more ? rows.slice(0, limit) : rows).map(({ warningDays, ...r }) => ({
      ...r,
      reserved: null,
      available: null,
      quota: null,
      expiry: expiryOf(today, r.expiresOn, warningDays),
      depotsBelowQuota: null,
    }));
    return { rows: page, nextCursor: more ? String(page.at(-1)!.batchId) : null };
  }

  if (input.groupBy === 'depotMaterial') {
    let q = db
      .selectFrom('stockLevels as sl')
      .innerJoin('materials as m', 'm.materialId', 'sl.materialId')
      .innerJoin('depots as d', 'd.depotId', 'sl.depotId')
      .leftJoin('quotas as q', (j) => j.onRef('q.depotId', '=', 'sl.depotId').onRef('q.materialId', '=', 'sl.materialId'))
      .select([
        'sl.depotId',
        'd.code as depotCode',
        'd.name as depotName',
        'sl.materialId',
        'm.code as materialCode',
        'm.name as materialName',
        'm.spec',
        'm.unit',
        'm.category',
        'm.warningDays',
        'sl.onHand',
        'sl.reserved',
        'q.quantity as quota',
      ]);
    if (input.depotId !== undefined) q = q.where('sl.depotId', '=', input.depotId);
    if (input.materialId !== undefined) q = q.where('sl.materialId', '=', input.materialId);
    if (input.category !== undefined) q = q.where('m.category', '=', input.category);
    if (input.topClass !== undefined) q = q.where('m.topClass', '=', input.topClass);
    if (input.level !== undefined) q = q.where('d.level', '=', input.level);
    if (pattern) q = q.where('sl.materialId', 'in', matchingMaterials(db, pattern));
    if (!input.includeZero) q = q.where((eb) => eb.or([eb('sl.onHand', '>', 0), eb('sl.reserved', '>', 0)]));
    // One depot pages by material; across depots, material then depot (both follow an index).
    const byDepot = input.depotId !== undefined;
    const cursor = parseCursor(input.after, 2);
    if (cursor) {
      const [first, second] = cursor as [number, number];
      q = byDepot
        ? q.where('sl.materialId', '>', first)
        : q.where((eb) => eb.or([eb('sl.materialId', '>', first), eb.and([eb('sl.materialId', '=', first), eb('sl.depotId', '>', second)])]));
    }
    const [rows, earliest] = await Promise.all([
      q.orderBy('sl.materialId').orderBy('sl.depotId').limit(limit + 1).execute(),
      earliestNearExpiry(db, today, input, 'depotMaterial'),
    ]);
    const more = rows.length > limit;
    const page = (more ? rows.slice(0, limit) : rows).map(({ warningDays, ...r }) => ({
      ...r,
      batchId: null,
      lotNo: null,
      expiresOn: null,
      available: r.onHand - r.reserved,
      expiry: expiryOf(today, earliest.get(`${r.depotId}:${r.materialId}`) ?? null, warningDays),
      depotsBelowQuota: null,
    }));
    const last = page.at(-1);
    return { rows: page, nextCursor: more && last ? `${last.materialId}:${last.depotId}` : null };
  }

  // City totals per material.
  let q = db
    .selectFrom('stockLevels as sl')
    .innerJoin('materials as m', 'm.materialId', 'sl.materialId')
    .select((eb) => [
      'sl.materialId',
      'm.code as materialCode',
      'm.name as materialName',
      'm.spec',
      'm.unit',
      'm.category',
      'm.warningDays',
      eb.fn.sum<number>('sl.onHand').as('onHand'),
      eb.fn.sum<number>('sl.reserved').as('reserved'),
    ])
    .groupBy('sl.materialId');
  if (input.depotId !== undefined) q = q.where('sl.depotId', '=', input.depotId);
  if (input.level !== undefined) {
    const level = input.level;
    q = q.where('sl.depotId', 'in', (sub) => sub.selectFrom('depots').select('depotId').where('level', '=', level));
  }
  if (input.materialId !== undefined) q = q.where('sl.materialId', '=', input.materialId);
  if (input.category !== undefined) q = q.where('m.category', '=', input.category);
  if (input.topClass !== undefined) q = q.where('m.topClass', '=', input.topClass);
  if (pattern) q = q.where('sl.materialId', 'in', matchingMaterials(db, pattern));
  const cursor = parseCursor(input.after, 1);
  if (cursor) q = q.where('sl.materialId', '>', cursor[0]!);
  if (!input.includeZero) q = q.having((eb) => eb.or([eb(eb.fn.sum('sl.onHand'), '>', 0), eb(eb.fn.sum('sl.reserved'), '>', 0)]));
  const [rows, earliest, belowQuota] = await Promise.all([
    q.orderBy('sl.materialId').limit(limit + 1).execute(),
    earliestNearExpiry(db, today, input, 'material'),
    depotsBelowQuota(db, input),
  ]);
  const more = rows.length > limit;
  const page = (more ? rows.slice(0, limit) : rows).map(({ warningDays, ...r }) => {
    const onHand = Number(r.onHand);
    const reserved = Number(r.reserved);
    return {
      ...r,
      depotId: null,
      depotCode: null,
      depotName: null,
      batchId: null,
      lotNo: null,
      expiresOn: null,
      onHand,
      reserved,
      available: onHand - reserved,
      quota: null,
      expiry: expiryOf(today, earliest.get(String(r.materialId)) ?? null, warningDays),
      depotsBelowQuota: belowQuota.get(r.materialId) ?? 0,
    };
  });
  return { rows: page, nextCursor: more ? String(page.at(-1)!.materialId) : null };
}

export async function stockMatrix(db: DbOrTrx, input: z.output<typeof matrixInput>): Promise<z.output<typeof matrixOutput>> {
  let depotsQ = db.selectFrom('depots').select(['depotId', 'code', 'name', 'level']).where('active', '=', 1);
  if (input.level !== undefined) depotsQ = depotsQ.where('level', '=', input.level);
  let materialsQ = db.selectFrom('materials').select(['materialId', 'code', 'name', 'unit']).where('active', '=', 1);
  if (input.topClass !== undefined) materialsQ = materialsQ.where('topClass', '=', input.topClass);
  const [depots, materials] = await Promise.all([depotsQ.orderBy('depotId').execute(), materialsQ.orderBy('materialId').execute()]);

  let cellsQ = db.selectFrom('stockLevels as sl').select(['sl.materialId', 'sl.depotId', 'sl.onHand', 'sl.reserved']);
  if (input.level !== undefined) {
    const level = input.level;
    cellsQ = cellsQ.where('sl.depotId', 'in', (sub) => sub.selectFrom('depots').select('depotId').where('level', '=', level));
  }
  if (input.topClass !== undefined) {
    const topClass = input.topClass;
    cellsQ = cellsQ.where('sl.materialId', 'in', (sub) => sub.selectFrom('materials').select('materialId').where('topClass', '=', topClass));
  }
  // ~150,000 cells: compiled as usual (snake_case SQL) but run without the camelCase plugin, which
  // would copy every row into a new object only for the loop below to take it apart again.
  const compiled = cellsQ.where((eb) => eb.or([eb('sl.onHand', '>', 0), eb('sl.reserved', '>', 0)])).compile();
  type CellRow = { material_id: number; depot_id: number; on_hand: number; reserved: number };
  const { rows: cells } = (await db.withoutPlugins().executeQuery(compiled)) as unknown as { rows: CellRow[] };
  const columns = { materialId: [] as number[], depotId: [] as number[], onHand: [] as number[], available: [] as number[] };
  for (const c of cells) {
    columns.materialId.push(c.material_id);
    columns.depotId.push(c.depot_id);
    columns.onHand.push(c.on_hand);
    columns.available.push(c.on_hand - c.reserved);
  }
  return { depots, materials, cells: columns };
}

export async function listExpiring(
  ctx: ServiceContext,
  input: z.output<typeof expiringInput>,
): Promise<z.output<typeof expiringOutput>> {
  const today = localDate(ctx.clock.now());
  // The widest window any material uses bounds the query; each material's own window filters.
  const horizon = input.withinDays !== undefined ? addDays(today, input.withinDays) : await warningHorizon(ctx.db, today);
  let q = ctx.db
    .selectFrom('batches as b')
    .innerJoin('batchBalances as bb', 'bb.batchId', 'b.batchId')
    .innerJoin('materials as m', 'm.materialId', 'b.materialId')
    .innerJoin('depots as d', 'd.depotId', 'b.depotId')
    .select([
      'b.batchId',
      'b.depotId',
      'd.name as depotName',
      'b.materialId',
      'm.code as materialCode',
      'm.name as materialName',
      'm.unit',
      'm.warningDays',
      'b.lotNo',
      'b.expiresOn',
      'bb.onHand',
    ])
    .where('bb.onHand', '>', 0)
    .where('b.expiresOn', 'is not', null)
    .where('b.expiresOn', '<=', horizon);
  if (input.depotId !== undefined) q = q.where('b.depotId', '=', input.depotId);
  if (!input.includeExpired) q = q.where('b.expiresOn', '>=', today);
  const rows = await q.orderBy('b.expiresOn').orderBy('b.batchId').execute();
  const out = [];
  for (const { warningDays, expiresOn, ...r } of rows) {
    const expiry = expiryOf(today, expiresOn, input.withinDays ?? warningDays);
    if (expiry) out.push({ ...r, expiresOn: expiresOn!, ...expiry });
  }
  return { today, rows: out };
}

export async function listBelowQuota(
  db: DbOrTrx,
  input: z.output<typeof belowQuotaInput>,
): Promise<z.output<typeof belowQuotaOutput>> {
  let q = quotasNotMet(db).select((eb) => [
      'q.depotId',
      'd.name as depotName',
      'q.materialId',
      'm.code as materialCode',
      'm.name as materialName',
      'm.unit',
      'q.quantity as quota',
      eb.fn.coalesce('sl.onHand', eb.lit(0)).as('onHand'),
      eb.fn.coalesce('sl.reserved', eb.lit(0)).as('reserved'),
    ]);
  if (input.depotId !== undefined) q = q.where('q.depotId', '=', input.depotId);
  const rows = await q.orderBy('q.depotId').orderBy('q.materialId').execute();
  return {
    rows: rows.map(({ reserved, ...r }) => {
      const available = r.onHand - reserved;
      return { ...r, available, shortBy: r.quota - available };
    }),
  };
}
