/**
 * stock.balances: balances by batch, by depot × material, or as city totals, keyset-paged and
 * shipped in columns (see balancesPage), each row tagged with its expiry and quota warnings.
 */
import type { z } from 'zod';
import { localDate } from '../../shared/dates';
import type { BalancesPage, balancesInput } from '../../shared/schemas/stock';
import type { DbOrTrx } from '../db/database';
import { likeContains, type Dialect } from '../db/dialect';
import type { ServiceContext } from './context';
import { parseCursor } from './cursor';
import { depotsBelowQuota, earliestNearExpiry, expiryOf } from './stock-warnings.service';

type BalancesInput = z.output<typeof balancesInput>;

/** No near-expiry lots looked up (warnings not asked for). */
const NONE = new Map<string, string>();

/**
 * Materials whose code, name or spec contains the text. Used as `material_id in (...)`, so the
 * database searches the small catalogue once and then reads only those materials' stock, instead
 * of testing the text against every depot x material row.
 */
function matchingMaterials(db: DbOrTrx, dialect: Dialect, pattern: string) {
  return db
    .selectFrom('materials as mm')
    .select('mm.materialId')
    .where((eb) =>
      eb.or([
        dialect.like(eb.ref('mm.code'), pattern),
        dialect.like(eb.ref('mm.name'), pattern),
        dialect.like(eb.ref('mm.spec'), pattern),
      ]),
    );
}

/** The LIKE pattern for a search text (`%` and `_` match themselves), or null without one. */
function textPattern(text: string | undefined): string | null {
  const trimmed = text?.trim();
  return trimmed ? likeContains(trimmed) : null;
}

/** A balance row before the page is built: ids and quantities, the names come once per page. */
interface BalanceEntry {
  depotId: number | null;
  materialId: number;
  batchId: number | null;
  lotNo: string | null;
  /** The lot's expiry, on batch rows. */
  expiresOn: string | null;
  /** The expiry the row's warning is judged by: the lot's, or the earliest near-expiry lot's. */
  warnFrom: string | null;
  onHand: number;
  reserved: number | null;
  quota: number | null;
  depotsBelowQuota: number | null;
}

/** Ids per `in (...)` list: well under the parameter limits of SQLite (32,766) and PostgreSQL. */
const IN_CHUNK = 10_000;

/** The rows whose id is in `ids`, a chunk of ids per query (portable SQL, no JSON functions). */
async function byIds<R>(ids: number[], load: (chunk: number[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) out.push(...(await load(ids.slice(i, i + IN_CHUNK))));
  return out;
}

/** A material as a page carries it, with the warning window its rows are judged by. */
interface PageMaterial {
  materialId: number;
  code: string;
  name: string;
  spec: string | null;
  unit: string;
  category: string | null;
  warningDays: number;
}

const MATERIAL_COLUMNS = ['materialId', 'code', 'name', 'spec', 'unit', 'category', 'warningDays'] as const;

/**
 * The page: each depot and material once (in id order), the rows in columns, each row's expiry
 * warning judged.
 */
async function balancesPageOf(
  db: DbOrTrx,
  today: string,
  entries: BalanceEntry[],
  nextCursor: string | null,
  warnings: boolean,
): Promise<BalancesPage> {
  const byId = (a: number, b: number) => a - b;
  const materialIds = [...new Set(entries.map((e) => e.materialId))].sort(byId);
  const depotIds = [...new Set(entries.flatMap((e) => (e.depotId === null ? [] : [e.depotId])))].sort(byId);
  const materials: PageMaterial[] = await byIds(materialIds, (chunk) =>
    db
      .selectFrom('materials')
      .select(MATERIAL_COLUMNS)
      .where('materialId', 'in', chunk)
      .orderBy('materialId')
      .execute(),
  );
  const depots = await byIds(depotIds, (chunk) =>
    db
      .selectFrom('depots')
      .select(['depotId', 'code', 'name'])
      .where('depotId', 'in', chunk)
      .orderBy('depotId')
      .execute(),
  );
  const warningDays = new Map(materials.map((m) => [m.materialId, m.warningDays]));
  const rows: BalancesPage['rows'] = {
    depotId: [],
    materialId: [],
    batchId: [],
    lotNo: [],
    expiresOn: [],
    onHand: [],
    reserved: [],
    available: [],
    quota: [],
    expiryStatus: [],
    daysLeft: [],
    depotsBelowQuota: [],
  };
  for (const e of entries) {
    const expiry = warnings ? expiryOf(today, e.warnFrom, warningDays.get(e.materialId) ?? 0) : null;
    rows.depotId.push(e.depotId);
    rows.materialId.push(e.materialId);
    rows.batchId.push(e.batchId);
    rows.lotNo.push(e.lotNo);
    rows.expiresOn.push(e.expiresOn);
    rows.onHand.push(e.onHand);
    rows.reserved.push(e.reserved);
    rows.available.push(e.reserved === null ? null : e.onHand - e.reserved);
    rows.quota.push(e.quota);
    rows.expiryStatus.push(expiry?.status ?? null);
    rows.daysLeft.push(expiry?.daysLeft ?? null);
    rows.depotsBelowQuota.push(e.depotsBelowQuota);
  }
  return {
    depots,
    materials: materials.map(({ warningDays: _, ...m }) => m),
    rows,
    nextCursor,
  };
}

export async function listBalances(ctx: ServiceContext, input: BalancesInput): Promise<BalancesPage> {
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
      .select(['bb.depotId', 'bb.materialId', 'bb.batchId', 'b.lotNo', 'b.expiresOn', 'bb.onHand']);
    if (input.depotId !== undefined) q = q.where('bb.depotId', '=', input.depotId);
    if (input.materialId !== undefined) q = q.where('bb.materialId', '=', input.materialId);
    if (input.category !== undefined) q = q.where('m.category', '=', input.category);
    if (input.topClass !== undefined) q = q.where('m.topClass', '=', input.topClass);
    if (input.level !== undefined) q = q.where('d.level', '=', input.level);
    if (pattern)
      q = q.where((eb) =>
        eb.or([
          ctx.dialect.like(eb.ref('m.code'), pattern),
          ctx.dialect.like(eb.ref('m.name'), pattern),
          ctx.dialect.like(eb.ref('m.spec'), pattern),
          ctx.dialect.like(eb.ref('b.lotNo'), pattern),
        ]),
      );
    if (!input.includeZero) q = q.where('bb.onHand', '>', 0);
    const cursor = parseCursor(input.after, 1);
    if (cursor) q = q.where('bb.batchId', '>', cursor[0]!);
    const rows = await q
      .orderBy('bb.batchId')
      .limit(limit + 1)
      .execute();
    const more = rows.length > limit;
    const entries = (more ? rows.slice(0, limit) : rows).map((r) => ({
      ...r,
      // An emptied lot (includeZero) warns of nothing.
      warnFrom: r.onHand > 0 ? r.expiresOn : null,
      reserved: null,
      quota: null,
      depotsBelowQuota: null,
    }));
    return balancesPageOf(db, today, entries, more ? String(entries.at(-1)!.batchId) : null, input.warnings);
  }

  if (input.groupBy === 'depotMaterial') {
    let q = db
      .selectFrom('stockLevels as sl')
      .innerJoin('materials as m', 'm.materialId', 'sl.materialId')
      .innerJoin('depots as d', 'd.depotId', 'sl.depotId')
      .leftJoin('quotas as q', (j) =>
        j.onRef('q.depotId', '=', 'sl.depotId').onRef('q.materialId', '=', 'sl.materialId'),
      )
      .select(['sl.depotId', 'sl.materialId', 'sl.onHand', 'sl.reserved', 'q.quantity as quota']);
    if (input.depotId !== undefined) q = q.where('sl.depotId', '=', input.depotId);
    if (input.materialId !== undefined) q = q.where('sl.materialId', '=', input.materialId);
    if (input.category !== undefined) q = q.where('m.category', '=', input.category);
    if (input.topClass !== undefined) q = q.where('m.topClass', '=', input.topClass);
    if (input.level !== undefined) q = q.where('d.level', '=', input.level);
    if (pattern) q = q.where('sl.materialId', 'in', matchingMaterials(db, ctx.dialect, pattern));
    if (!input.includeZero) q = q.where((eb) => eb.or([eb('sl.onHand', '>', 0), eb('sl.reserved', '>', 0)]));
    // One depot pages by material; across depots, material then depot (both follow an index).
    const byDepot = input.depotId !== undefined;
    const cursor = parseCursor(input.after, 2);
    if (cursor) {
      const [first, second] = cursor as [number, number];
      q = byDepot
        ? q.where('sl.materialId', '>', first)
        : q.where((eb) =>
            eb.or([
              eb('sl.materialId', '>', first),
              eb.and([eb('sl.materialId', '=', first), eb('sl.depotId', '>', second)]),
            ]),
          );
    }
    const rows = await q
      .orderBy('sl.materialId')
      .orderBy('sl.depotId')
      .limit(limit + 1)
      .execute();
    const earliest = input.warnings ? await earliestNearExpiry(db, today, input, 'depotMaterial') : NONE;
    const more = rows.length > limit;
    const entries = (more ? rows.slice(0, limit) : rows).map((r) => ({
      ...r,
      batchId: null,
      lotNo: null,
      expiresOn: null,
      warnFrom: earliest.get(`${r.depotId}:${r.materialId}`) ?? null,
      depotsBelowQuota: null,
    }));
    const last = entries.at(-1);
    const next = more && last ? `${last.materialId}:${last.depotId}` : null;
    return balancesPageOf(db, today, entries, next, input.warnings);
  }

  // City totals per material. Only the sums are grouped (by the stock levels' material index, so
  // a page stops after `limit` materials); the page looks the materials up by id afterwards, as
  // every column it selects must be grouped or aggregated on PostgreSQL.
  let q = db
    .selectFrom('stockLevels as sl')
    .innerJoin('materials as m', 'm.materialId', 'sl.materialId')
    .select((eb) => [
      'sl.materialId',
      eb.fn.sum<number>('sl.onHand').as('onHand'),
      eb.fn.sum<number>('sl.reserved').as('reserved'),
    ])
    .groupBy('sl.materialId');
  if (input.depotId !== undefined) q = q.where('sl.depotId', '=', input.depotId);
  if (input.level !== undefined) {
    const level = input.level;
    q = q.where('sl.depotId', 'in', (sub) =>
      sub.selectFrom('depots').select('depotId').where('level', '=', level),
    );
  }
  if (input.materialId !== undefined) q = q.where('sl.materialId', '=', input.materialId);
  if (input.category !== undefined) q = q.where('m.category', '=', input.category);
  if (input.topClass !== undefined) q = q.where('m.topClass', '=', input.topClass);
  if (pattern) q = q.where('sl.materialId', 'in', matchingMaterials(db, ctx.dialect, pattern));
  const cursor = parseCursor(input.after, 1);
  if (cursor) q = q.where('sl.materialId', '>', cursor[0]!);
  if (!input.includeZero)
    q = q.having((eb) => eb.or([eb(eb.fn.sum('sl.onHand'), '>', 0), eb(eb.fn.sum('sl.reserved'), '>', 0)]));
  const rows = await q
    .orderBy('sl.materialId')
    .limit(limit + 1)
    .execute();
  const [earliest, belowQuota] = input.warnings
    ? await Promise.all([earliestNearExpiry(db, today, input, 'material'), depotsBelowQuota(db, input)])
    : [NONE, null];
  const more = rows.length > limit;
  const entries = (more ? rows.slice(0, limit) : rows).map((r) => ({
    depotId: null,
    materialId: r.materialId,
    batchId: null,
    lotNo: null,
    expiresOn: null,
    warnFrom: earliest.get(String(r.materialId)) ?? null,
    onHand: Number(r.onHand),
    reserved: Number(r.reserved),
    quota: null,
    depotsBelowQuota: belowQuota ? (belowQuota.get(r.materialId) ?? 0) : null,
  }));
  const next = more ? String(entries.at(-1)!.materialId) : null;
  return balancesPageOf(db, today, entries, next, input.warnings);
}
