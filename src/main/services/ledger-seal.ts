/**
 * The audit log's hold on the ledger. Every write that posts movements names them in its audit
 * record with a digest of their content (ids, type, depot, material, batch, quantity, time,
 * user, links, texts, a receipt's terms), and the record's hash covers that. Movements from
 * before this existed are sealed once, at the first start after the upgrade, by one record
 * covering every id up to the newest. `verifyCoverage` then finds a movement deleted, edited or
 * slipped in behind the app's back, even when its balances were put right too.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../db/database';
import { prepared } from '../db/prepared';
import type { ServiceContext } from './context';
import { transact, write } from './write';

/** The movements a write posted (by id), or a range sealed at once (the upgrade, bulk demo data). */
export type MovementSeal =
  { ids: number[]; digest: string } | { from: number; through: number; count: number; digest: string };

export type CoverageProblem =
  /** An audit record names a movement that is not there. */
  | { kind: 'missing'; movementId: number; auditId: number }
  /** The movements an audit record sealed are not what it recorded. */
  | { kind: 'changed'; auditId: number; docNo: string | null }
  /** A movement no audit record covers: written outside the app. */
  | { kind: 'uncovered'; movementId: number; docNo: string }
  /** Two audit records claim one movement. */
  | { kind: 'duplicate'; movementId: number; auditId: number }
  /** An audit record's movement seal is not one this program writes. */
  | { kind: 'unreadable'; auditId: number };

export interface CoverageResult {
  ok: boolean;
  movements: number;
  /** The first 100 problems. */
  problems: CoverageProblem[];
  problemCount: number;
}

/** The settings key recording that the movements before sealing began have been sealed. */
const SEALED_KEY = 'ledger.sealedThrough';
const PAGE = 5_000;
const IN_LIST = 1_000;

/**
 * What a movement's digest covers: the movement, and its batch as it was created (lot, dates,
 * depot, material, first terms; batches never change after), so an edited lot shows too.
 */
/** [column, is text]: text is length-prefixed (it may hold any character), numbers are not. */
const SEALED_FIELDS: [string, boolean][] = [
  ['m.movement_id', false],
  ['m.doc_no', true],
  ['m.type', true],
  ['m.depot_id', false],
  ['m.material_id', false],
  ['m.batch_id', false],
  ['m.quantity', false],
  ['m.occurred_at', true],
  ['m.user_id', false],
  ['m.counterpart_depot_id', false],
  ['m.reverses_movement_id', false],
  ['m.pair_movement_id', false],
  ['m.stocktake_id', false],
  ['m.expired_override', false],
  ['m.recipient', true],
  ['m.reason', true],
  ['m.note', true],
  ['m.source', true],
  ['m.supplier', true],
  ['m.unit_price_fen', false],
  ['b.depot_id', false],
  ['b.material_id', false],
  ['b.lot_no', true],
  ['b.produced_on', true],
  ['b.expires_on', true],
  ['b.source', true],
  ['b.supplier', true],
  ['b.unit_price_fen', false],
  ['b.created_at', true],
];
/**
 * The fields as one text, built by the store: text as its length, ':' and itself (so no value
 * can borrow from its neighbour), numbers as their exact decimal text whatever their size, '-'
 * for NULL, comma-separated.
 */
const SEALED_TEXT = sql.raw(
  SEALED_FIELDS.map(([f, text]) =>
    text ? `coalesce(length(${f}) || ':' || ${f}, '-')` : `coalesce(cast(${f} as text), '-')`,
  ).join(" || ',' || ") +
    // Columns added after sealing began follow only when set, so a movement sealed before they
    // existed reads exactly as it did then.
    ` || coalesce(',incident:' || cast(m.incident_id as text), '')`,
);

const sealedColumns = (db: DbOrTrx) =>
  db
    .selectFrom('movements as m')
    .leftJoin('batches as b', 'b.batchId', 'm.batchId')
    .select(['m.movementId', 'm.docNo', sql<string>`${SEALED_TEXT}`.as('sealed')]);
type SealedRow = Awaited<ReturnType<ReturnType<typeof sealedColumns>['execute']>>[number];

class Digest {
  private readonly hash = createHash('sha256');
  count = 0;
  add(row: SealedRow) {
    this.hash.update(row.sealed).update('\n');
    this.count += 1;
  }
  hex() {
    return this.hash.digest('hex');
  }
}

/** One movement's sealed row: what every write runs for each movement it posted. */
const sealedRow = prepared((db, p: { id: number }) => sealedColumns(db).where('m.movementId', '=', p.id));
/** Up to this many, one prepared statement each; beyond, IN-lists. */
const ONE_BY_ONE = 4;

/** Rows by id, fetched in IN-lists the stores accept. */
async function rowsById(db: DbOrTrx, ids: readonly number[]): Promise<Map<number, SealedRow>> {
  const rows = new Map<number, SealedRow>();
  if (ids.length <= ONE_BY_ONE) {
    for (const id of ids) {
      const row = await sealedRow.first(db, { id });
      if (row) rows.set(id, row);
    }
    return rows;
  }
  for (let i = 0; i < ids.length; i += IN_LIST) {
    const chunk = ids.slice(i, i + IN_LIST);
    for (const row of await sealedColumns(db).where('m.movementId', 'in', chunk).execute())
      rows.set(row.movementId, row);
  }
  return rows;
}

/** The seal `write()` puts in the audit record of a write that posted these movements. */
export async function sealPosted(trx: Trx, movementIds: readonly number[]): Promise<MovementSeal> {
  const ids = [...movementIds].sort((a, b) => a - b);
  const rows = await rowsById(trx, ids);
  const digest = new Digest();
  for (const id of ids) digest.add(rows.get(id)!);
  return { ids, digest: digest.hex() };
}

/** Streams the movements with from ≤ id ≤ through, in id order. */
async function forEachInRange(
  db: DbOrTrx,
  from: number,
  through: number,
  each: (row: SealedRow) => void,
): Promise<void> {
  let after = from - 1;
  for (;;) {
    const rows = await sealedColumns(db)
      .where('m.movementId', '>', after)
      .where('m.movementId', '<=', through)
      .orderBy('m.movementId')
      .limit(PAGE)
      .execute();
    for (const row of rows) each(row);
    if (rows.length < PAGE) return;
    after = rows.at(-1)!.movementId;
  }
}

/** A seal over every movement with from ≤ id ≤ through (all of them, in id order). */
export async function sealRange(db: DbOrTrx, from: number, through: number): Promise<MovementSeal> {
  const digest = new Digest();
  await forEachInRange(db, from, through, (row) => digest.add(row));
  return { from, through, count: digest.count, digest: digest.hex() };
}

async function newestMovementId(db: DbOrTrx): Promise<number> {
  const row = await db
    .selectFrom('movements')
    .select((eb) => eb.fn.max('movementId').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Movement ids seen, one bit each, in 64 Ki-id pages: 2M ids take 256 KB, a stray huge id one page. */
class IdSet {
  private readonly pages = new Map<number, Uint8Array>();
  /** False when the id was there already. */
  add(id: number): boolean {
    const key = Math.floor(id / 65_536);
    let page = this.pages.get(key);
    if (!page) this.pages.set(key, (page = new Uint8Array(8_192)));
    const bit = id % 65_536;
    const had = (page[bit >> 3]! & (1 << (bit & 7))) !== 0;
    page[bit >> 3]! |= 1 << (bit & 7);
    return !had;
  }
  has(id: number): boolean {
    const bit = id % 65_536;
    const page = this.pages.get(Math.floor(id / 65_536));
    return page !== undefined && (page[bit >> 3]! & (1 << (bit & 7))) !== 0;
  }
}

/** Another process sealed first (thrown inside the write, so it rolls back). */
class AlreadySealed extends Error {}

/**
 * Once per store: seals the movements written before seals existed, in one audit record. A store
 * with no movements yet only notes that there is nothing to seal.
 */
export async function sealLegacyLedger(ctx: ServiceContext): Promise<void> {
  const sealedYet = (db: DbOrTrx) =>
    db.selectFrom('settings').select('key').where('key', '=', SEALED_KEY).executeTakeFirst();
  if (await sealedYet(ctx.db)) return;
  const mark = (trx: Trx, through: number, iso: string) =>
    trx
      .insertInto('settings')
      .values({ key: SEALED_KEY, value: JSON.stringify(through), updatedAt: iso })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  // A new store: nothing to seal, and nothing worth an audit record.
  if ((await newestMovementId(ctx.db)) === 0) {
    await transact(ctx, async (trx, { iso }) => {
      if (!(await sealedYet(trx))) await mark(trx, 0, iso);
    });
    return;
  }
  try {
    await write(ctx, null, 'ledger.seal', async (trx, { iso }) => {
      // Two processes starting at once: the second finds the first one's seal.
      await ctx.dialect.lockAuditHead(trx);
      if (await sealedYet(trx)) throw new AlreadySealed();
      const through = await newestMovementId(trx);
      await mark(trx, through, iso);
      return {
        result: undefined,
        audit: {
          entityType: 'ledger',
          entityId: null,
          after: { sealedThrough: through },
          movements: await sealRange(trx, 1, through),
        },
      };
    });
  } catch (error) {
    if (!(error instanceof AlreadySealed)) throw error;
  }
}

/**
 * Every movement covered by exactly one audit record, and every movement a record names there
 * as it was recorded. Reads the whole ledger once (by id) and the sealed audit records once.
 */
export function verifyCoverage(ctx: Pick<ServiceContext, 'db' | 'dialect'>): Promise<CoverageResult> {
  // One snapshot: a write committing between the two passes would look like a stray movement.
  return ctx.dialect.readSnapshot(ctx.db, coverageIn);
}

/** A seal as written by sealPosted / sealRange, or null. */
function readSeal(json: string): MovementSeal | null {
  let seal: unknown;
  try {
    seal = JSON.parse(json);
  } catch {
    return null;
  }
  const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
  if (typeof seal !== 'object' || seal === null) return null;
  const s = seal as Record<string, unknown>;
  if (typeof s.digest !== 'string') return null;
  if (Array.isArray(s.ids)) return s.ids.every(isId) ? (seal as MovementSeal) : null;
  const ints = [s.from, s.through, s.count].every((v) => Number.isSafeInteger(v));
  return ints ? (seal as MovementSeal) : null;
}

async function coverageIn(db: DbOrTrx): Promise<CoverageResult> {
  const covered = new IdSet();
  const problems: CoverageProblem[] = [];
  let problemCount = 0;
  const report = (problem: CoverageProblem) => {
    problemCount += 1;
    if (problems.length < 100) problems.push(problem);
  };
  const cover = (movementId: number, auditId: number) => {
    if (!covered.add(movementId)) report({ kind: 'duplicate', movementId, auditId });
  };

  let afterAudit = 0;
  for (;;) {
    const records = await db
      .selectFrom('auditLog')
      .select(['auditId', 'movementsJson'])
      .where('auditId', '>', afterAudit)
      .where('movementsJson', 'is not', null)
      .orderBy('auditId')
      .limit(PAGE)
      .execute();
    const listed: { auditId: number; seal: { ids: number[]; digest: string } }[] = [];
    for (const record of records) {
      const seal = readSeal(record.movementsJson!);
      if (!seal) {
        report({ kind: 'unreadable', auditId: record.auditId });
        continue;
      }
      if ('ids' in seal) {
        listed.push({ auditId: record.auditId, seal });
        continue;
      }
      const digest = new Digest();
      let docNo: string | null = null;
      await forEachInRange(db, seal.from, seal.through, (row) => {
        digest.add(row);
        docNo ??= row.docNo;
        cover(row.movementId, record.auditId);
      });
      if (digest.count !== seal.count || digest.hex() !== seal.digest)
        report({ kind: 'changed', auditId: record.auditId, docNo });
    }
    const rows = await rowsById(
      db,
      listed.flatMap((l) => l.seal.ids),
    );
    for (const { auditId, seal } of listed) {
      const digest = new Digest();
      let missing = false;
      for (const movementId of seal.ids) {
        const row = rows.get(movementId);
        if (!row) {
          missing = true;
          report({ kind: 'missing', movementId, auditId });
          continue;
        }
        digest.add(row);
        cover(movementId, auditId);
      }
      if (!missing && digest.hex() !== seal.digest)
        report({ kind: 'changed', auditId, docNo: rows.get(seal.ids[0]!)?.docNo ?? null });
    }
    if (records.length < PAGE) break;
    afterAudit = records.at(-1)!.auditId;
  }

  let movements = 0;
  let afterMovement = 0;
  for (;;) {
    const rows = await db
      .selectFrom('movements')
      .select(['movementId', 'docNo'])
      .where('movementId', '>', afterMovement)
      .orderBy('movementId')
      .limit(PAGE * 10)
      .execute();
    for (const row of rows) {
      movements += 1;
      if (!covered.has(row.movementId))
        report({ kind: 'uncovered', movementId: row.movementId, docNo: row.docNo });
    }
    if (rows.length < PAGE * 10) break;
    afterMovement = rows.at(-1)!.movementId;
  }
  return { ok: problemCount === 0, movements, problems, problemCount };
}
