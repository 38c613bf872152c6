/**
 * `seedScale`: a city-sized database for benchmarks (default 60 depots, 5,000 materials,
 * 200,000 batches, 2,000,000 movements over two years). It writes through the store's bulk
 * loader (db/maintenance.ts: many rows per statement, one transaction, secondary indexes rebuilt
 * once at the end, no per-row foreign key checks: every id is generated, so they hold by
 * construction and `check` verifies them). Only the embedded store has a bulk loader; a
 * PostgreSQL server gets the same data set with `relief-depot transfer-data`. It keeps every rule the services keep: balances equal the sums of the ledger, no balance goes negative, document
 * numbers follow PREFIX-YYYYMMDD-NNNN with doc_sequences to match, a transfer is an out-leg and
 * an in-leg pointing to it, a reversal cancels one issue exactly once. Users are created through
 * the user service and one audit record (appended through the audit service) describes the run,
 * so `ledger check` and `audit verify` both pass.
 */
import { sql, type Insertable } from 'kysely';
import { addDays, localDate } from '../../shared/dates';
import { userCreateInput, type UserDto } from '../../shared/schemas/user';
import type { App } from '../app';
import type { DepotsTable, MaterialsTable } from '../db/database';
import type { BulkTable } from '../db/maintenance';
import { DOC_PREFIXES } from '../ledger';
import { FixedClock, type Actor, type ServiceContext } from '../services/context';
import { createUser } from '../services/user.service';
import { sealRange } from '../services/ledger-seal';
import { transact, write } from '../services/write';
import { loadCatalogue } from './catalogue';
import { CITY_DEPOT, DISTRICTS, districtDepotName } from './places';
import { Random } from './random';
import { seedScaleHistory, type HistorySize, type ScaleHistory } from './seed-scale-history';
import { DEMO_ACCOUNTS, assertEmpty, markDemo } from './seed-demo';

export interface ScaleOptions {
  depots?: number;
  materials?: number;
  batches?: number;
  movements?: number;
  /** Days of history (default 730). */
  days?: number;
  /** The allocation history: closed incidents with their requests and delivery orders. */
  history?: HistorySize;
  now?: Date;
  onProgress?(message: string): void;
}

export interface ScaleSummary {
  depots: number;
  materials: number;
  users: number;
  batches: number;
  movements: number;
  documents: number;
  /** Depot × material cells with stock on hand. */
  stockCells: number;
  quotas: number;
  history: ScaleHistory;
  elapsedMs: number;
}

export const SCALE_DEFAULTS = {
  depots: 60,
  materials: 5_000,
  batches: 200_000,
  movements: 2_000_000,
  days: 730,
  history: { incidents: 12, requestsPerIncident: 8, linesPerRequest: 5 },
} as const;

/** Movements per progress line. */
const PROGRESS_EVERY = 250_000;
/** Generated rows with their ids, in one transaction, a few hundred per statement. */
async function insertAll<T extends 'depots' | 'materials'>(
  app: App,
  table: T,
  rows: Insertable<T extends 'depots' ? DepotsTable : MaterialsTable>[],
) {
  await transact(app.svc, async (trx) => {
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto(table)
        .values(rows.slice(i, i + 200) as never)
        .execute();
  });
}

const ISSUE_REASONS = [
  '防汛应急抢险',
  '台风防御物资前置',
  '受灾群众临时安置',
  '防汛应急演练',
  '困难群众冬季救助',
  '火灾受灾群众救助',
];
const SCRAP_REASONS = ['受潮霉变报废', '超过有效期报废', '搬运破损报废'];
const DONOR = '社会捐赠（演示）';
/** What a receipt movement came in on (other movements carry none). */
interface ReceiptTerms {
  source: string;
  supplier: string | null;
  unitPriceFen: number | null;
}
/** The donor last: a receipt into an existing lot names one of the others. */
const SUPPLIERS = ['演示供应商甲', '演示供应商乙', '演示供应商丙', '演示供应商丁', DONOR];
const RECEIPT_SOURCES = [
  'procurement',
  'procurement',
  'procurement',
  'procurement',
  'procurement',
  'procurement',
  'donation',
  'callUp',
] as const;

function addMonths(isoDate: string, months: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

export async function seedScale(app: App, options: ScaleOptions = {}): Promise<ScaleSummary> {
  const started = performance.now();
  const D = Math.max(1, Math.floor(options.depots ?? SCALE_DEFAULTS.depots));
  const M = Math.max(1, Math.floor(options.materials ?? SCALE_DEFAULTS.materials));
  const B = Math.max(1, Math.floor(options.batches ?? SCALE_DEFAULTS.batches));
  const N = Math.max(1, Math.floor(options.movements ?? SCALE_DEFAULTS.movements));
  const S = Math.max(2, Math.floor(options.days ?? SCALE_DEFAULTS.days));
  if (N < B)
    throw new Error(
      'seedScale: movements must be at least the number of batches (each batch starts with a receipt)',
    );
  const progress = (message: string) =>
    options.onProgress?.(`[scale ${((performance.now() - started) / 1000).toFixed(1)} s] ${message}`);
  await assertEmpty(app);

  const now = options.now ?? app.svc.clock.now();
  const today = localDate(now);
  const startDate = addDays(today, -S);
  const rnd = new Random(38565);
  const bulkLoad = app.store.maintenance.bulkLoad;
  if (!bulkLoad)
    throw new Error(
      'seedScale needs the embedded store: build it on SQLite, then copy it with relief-depot transfer-data',
    );
  const maxId = async (table: 'depots' | 'materials' | 'batches' | 'movements', column: string) =>
    Number(
      (
        await sql<{
          n: number;
        }>`select coalesce(max(${sql.ref(column)}), 0) as n from ${sql.table(table)}`.execute(app.db)
      ).rows[0]!.n,
    );

  // Calendar: day k (0 = first day, S-1 = yesterday), its date, and the UTC instant of local midnight.
  const dayDate: string[] = [];
  const dayCompact: string[] = [];
  const dayStartMs: number[] = [];
  for (let k = 0; k < S; k += 1) {
    const date = addDays(startDate, k);
    dayDate.push(date);
    dayCompact.push(date.replaceAll('-', ''));
    dayStartMs.push(Date.parse(`${date}T00:00:00+08:00`));
  }
  const firstInstant = new Date(dayStartMs[0]! + 8 * 3_600_000).toISOString();

  // ---- Depots ----------------------------------------------------------------------------------
  const depotIdBase = await maxId('depots', 'depot_id');
  const depotIds: number[] = [];
  const depotRecipients: string[][] = [];
  {
    const rows: Insertable<DepotsTable>[] = [];
    const districts = Math.min(DISTRICTS.length, D - 1);
    const townCounter = new Map<string, number>();
    {
      for (let d = 0; d < D; d += 1) {
        const id = depotIdBase + d + 1;
        let code: string;
        let name: string;
        let level: 'city' | 'district' | 'town';
        let parent: number | null;
        let address: string;
        let recipients: string[];
        if (d === 0) {
          [code, name, level, parent, address] = [
            CITY_DEPOT.code,
            CITY_DEPOT.name,
            'city',
            null,
            CITY_DEPOT.address,
          ];
          recipients = DISTRICTS.map((x) => `${x.name}应急管理局`);
        } else if (d <= districts) {
          const x = DISTRICTS[d - 1]!;
          [code, name, level, parent, address] = [
            x.code,
            districtDepotName(x.name),
            'district',
            depotIdBase + 1,
            `山东省青岛市${x.name}`,
          ];
          recipients = x.streets.map((s) => `${s}办事处`);
        } else {
          const x = DISTRICTS[(d - districts - 1) % Math.max(1, districts)] ?? DISTRICTS[0]!;
          const n = (townCounter.get(x.code) ?? 0) + 1;
          townCounter.set(x.code, n);
          const street = x.streets[n - 1] ?? `${x.name}第${n}片区`;
          code = `${x.code}-T${String(n).padStart(2, '0')}`;
          name = `${street}应急物资储备点`;
          level = 'town';
          parent = districts > 0 ? depotIdBase + 1 + DISTRICTS.indexOf(x) + 1 : depotIdBase + 1;
          address = `山东省青岛市${x.name}${street}`;
          recipients = [`${street}受灾群众临时安置点`, `${street}各社区居委会`];
        }
        rows.push({
          depotId: id,
          code,
          name,
          level,
          parentId: parent,
          address,
          active: 1,
          createdAt: firstInstant,
          updatedAt: firstInstant,
        });
        depotIds.push(id);
        depotRecipients.push(recipients);
      }
    }
    await insertAll(app, 'depots', rows);
  }

  // ---- Users (through the service: password hashes and audit records) ---------------------------
  const clock = new FixedClock(new Date(firstInstant));
  const ctx: ServiceContext = { ...app.svc, clock };
  const toActor = (u: UserDto): Actor => ({
    userId: u.userId,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    depotIds: u.depotIds,
  });
  const users = new Map<string, Actor>();
  let adminActor: Actor | null = null;
  for (const a of DEMO_ACCOUNTS) {
    const depotScope = a.role === 'keeper' ? depotIds.slice(0, Math.min(2, D)) : [];
    const user = await createUser(
      ctx,
      adminActor,
      userCreateInput.parse({
        username: a.username,
        displayName: a.displayName,
        role: a.role,
        password: a.password,
        depotIds: depotScope,
      }),
      { firstOnly: adminActor === null },
    );
    users.set(a.role, toActor(user));
    if (a.role === 'admin') adminActor = toActor(user);
  }
  const admin = users.get('admin')!;
  const keeper = users.get('keeper')!;
  const coordinator = users.get('coordinator')!;
  /** Who records movements in depot index d. */
  const writer = depotIds.map((id) => (keeper.depotIds.includes(id) ? keeper.userId : coordinator.userId));
  progress(`${D} depots, ${users.size} users`);

  // ---- Materials ---------------------------------------------------------------------------------
  const catalogue = loadCatalogue();
  const materialIdBase = await maxId('materials', 'material_id');
  const matShelf = new Int32Array(M);
  const matQty = new Float64Array(M);
  const matPrice: (number | null)[] = [];
  {
    const rows: Insertable<MaterialsTable>[] = [];
    {
      for (let m = 0; m < M; m += 1) {
        const base = catalogue[m % catalogue.length]!;
        const variant = Math.floor(m / catalogue.length);
        const spec =
          variant === 0
            ? base.spec
            : `${base.spec ? `${base.spec}；` : ''}型号 ${String.fromCharCode(65 + (variant % 26))}${variant}`;
        const price =
          base.referencePriceFen === null
            ? null
            : Math.round(base.referencePriceFen * (0.8 + rnd.next() * 0.4));
        matShelf[m] = base.shelfLifeMonths ?? 0;
        matQty[m] = Math.min(5_000, Math.max(5, base.refQuantity * 0.02)) * (0.5 + rnd.next());
        matPrice.push(price);
        rows.push({
          materialId: materialIdBase + m + 1,
          code: `WZ${String(m + 1).padStart(5, '0')}`,
          name: base.name,
          spec,
          unit: base.unit,
          topClass: base.topClass,
          gbCode: null,
          category: base.category,
          shelfLifeMonths: base.shelfLifeMonths,
          warningDays: base.warningDays,
          referencePriceFen: price,
          active: 1,
          createdAt: firstInstant,
          updatedAt: firstInstant,
        });
      }
    }
    await insertAll(app, 'materials', rows);
  }
  progress(`${M} materials`);

  // ---- Which depot holds which material ------------------------------------------------------------
  // About 0.75 of the batches open one cell each; the rest are later lots and transfers.
  const holdRatio = Math.min(0.5, (0.75 * B) / (D * M));
  const hold = new Uint8Array(D * M);
  const cellDepot: number[] = [];
  const cellMaterial: number[] = [];
  const depotCellStart = new Int32Array(D + 1);
  const holders: number[][] = Array.from({ length: M }, () => []);
  for (let d = 0; d < D; d += 1) {
    depotCellStart[d] = cellDepot.length;
    for (let m = 0; m < M; m += 1) {
      if (rnd.next() < holdRatio && cellDepot.length < B) {
        hold[d * M + m] = 1;
        cellDepot.push(d);
        cellMaterial.push(m);
        holders[m]!.push(d);
      }
    }
    // Every depot holds something.
    if (cellDepot.length === depotCellStart[d] && cellDepot.length < B) {
      const m = rnd.int(0, M - 1);
      hold[d * M + m] = 1;
      cellDepot.push(d);
      cellMaterial.push(m);
      holders[m]!.push(d);
    }
  }
  depotCellStart[D] = cellDepot.length;
  const C = cellDepot.length;

  // ---- Batches and movements --------------------------------------------------------------------
  const batchIdBase = await maxId('batches', 'batch_id');
  const movementIdBase = await maxId('movements', 'movement_id');
  const bDepot = new Int32Array(B);
  const bMaterial = new Int32Array(B);
  const bBalance = new Float64Array(B);
  const bPos = new Int32Array(B).fill(-1);
  const bLot: string[] = new Array<string>(B);
  const bProduced: string[] = new Array<string>(B);
  const bExpires: (string | null)[] = new Array<string | null>(B);
  const bSupplier: (string | null)[] = new Array<string | null>(B);
  const bPrice: (number | null)[] = new Array<number | null>(B);
  /** `depot:material:lot` → batch: where a transfer's in-leg goes. */
  const byLot = new Map<string, number>();
  /** Per depot: its batches, and those with at least 2 on hand (the ones issues draw from). */
  const depotBatches: number[][] = Array.from({ length: D }, () => []);
  const issuable: number[][] = Array.from({ length: D }, () => []);
  let batchCount = 0;

  const touch = (b: number) => {
    const list = issuable[bDepot[b]!]!;
    if (bBalance[b]! >= 2) {
      if (bPos[b]! < 0) {
        bPos[b] = list.length;
        list.push(b);
      }
    } else if (bPos[b]! >= 0) {
      const pos = bPos[b]!;
      const last = list.pop()!;
      if (last !== b) {
        list[pos] = last;
        bPos[last] = pos;
      }
      bPos[b] = -1;
    }
  };

  // Opened by the bulk load below, before anything is pushed.
  let batchRows!: BulkTable;
  let movementRows!: BulkTable;

  let lotSeq = 0;
  const addBatch = (b: number, d: number, m: number, lot: string, at: string, source: string) => {
    bDepot[b] = d;
    bMaterial[b] = m;
    bLot[b] = lot;
    byLot.set(`${d}:${m}:${lot}`, b);
    depotBatches[d]!.push(b);
    batchRows.push(
      batchIdBase + b + 1,
      depotIds[d],
      materialIdBase + m + 1,
      lot,
      bProduced[b],
      bExpires[b],
      source,
      bSupplier[b],
      bPrice[b],
      at,
    );
  };
  const newBatch = (d: number, m: number, dayIndex: number, at: string, source: string): number => {
    const b = batchCount++;
    lotSeq += 1;
    const shelf = matShelf[m]!;
    const produced = addDays(dayDate[dayIndex]!, -(shelf ? rnd.int(5, 60) : rnd.int(10, 400)));
    bProduced[b] = produced;
    bExpires[b] = shelf ? addDays(addMonths(produced, shelf), -1) : null;
    bSupplier[b] = source === 'donation' ? DONOR : rnd.pick(SUPPLIERS);
    bPrice[b] = matPrice[m]!;
    addBatch(
      b,
      d,
      m,
      `${produced.slice(2).replaceAll('-', '')}${String.fromCharCode(65 + (lotSeq % 26))}${String(lotSeq).padStart(6, '0')}`,
      at,
      source,
    );
    return b;
  };
  /** The in-leg batch of a transfer: the same lot in the destination depot (-1: none and no budget for one). */
  const transferTarget = (src: number, d: number, at: string, mayCreate: boolean): number => {
    const m = bMaterial[src]!;
    const existing = byLot.get(`${d}:${m}:${bLot[src]}`);
    if (existing !== undefined) return existing;
    if (!mayCreate || batchCount >= B) return -1;
    const b = batchCount++;
    bProduced[b] = bProduced[src]!;
    bExpires[b] = bExpires[src]!;
    bSupplier[b] = bSupplier[src]!;
    bPrice[b] = bPrice[src]!;
    addBatch(b, d, m, bLot[src]!, at, 'transfer');
    return b;
  };

  // Document numbers: one counter per prefix and day.
  const sequences = new Map<string, Int32Array>(
    Object.values(DOC_PREFIXES).map((p) => [p, new Int32Array(S)]),
  );
  const nextDocNo = (prefix: string, dayIndex: number) => {
    const counters = sequences.get(prefix)!;
    const n = ++counters[dayIndex]!;
    return `${prefix}-${dayCompact[dayIndex]}-${n < 10_000 ? String(n).padStart(4, '0') : String(n)}`;
  };

  let movementCount = 0;
  let nextProgress = PROGRESS_EVERY;
  const move = (
    docNo: string,
    type: string,
    b: number,
    quantity: number,
    at: string,
    userId: number,
    counterpart: number | null,
    reverses: number | null,
    pair: number | null,
    expiredOverride: number,
    recipient: string | null,
    reason: string | null,
    receipt: ReceiptTerms | null = null,
  ): number => {
    const id = movementIdBase + ++movementCount;
    movementRows.push(
      id,
      docNo,
      type,
      depotIds[bDepot[b]!],
      materialIdBase + bMaterial[b]! + 1,
      batchIdBase + b + 1,
      quantity,
      at,
      userId,
      counterpart,
      reverses,
      pair,
      expiredOverride,
      recipient,
      reason,
      receipt?.source ?? null,
      receipt?.supplier ?? null,
      receipt?.unitPriceFen ?? null,
    );
    bBalance[b] = bBalance[b]! + quantity;
    touch(b);
    if (movementCount >= nextProgress) {
      progress(
        `movements ${movementCount.toLocaleString('en')} / ${N.toLocaleString('en')}, batches ${batchCount.toLocaleString('en')}`,
      );
      nextProgress += PROGRESS_EVERY;
    }
    return id;
  };

  const bulkTables = ['movements', 'batches', 'batch_balances', 'stock_levels', 'quotas', 'doc_sequences'];
  bulkLoad(bulkTables, (loader) => {
    batchRows = loader.table('batches', [
      'batch_id',
      'depot_id',
      'material_id',
      'lot_no',
      'produced_on',
      'expires_on',
      'source',
      'supplier',
      'unit_price_fen',
      'created_at',
    ]);
    movementRows = loader.table('movements', [
      'movement_id',
      'doc_no',
      'type',
      'depot_id',
      'material_id',
      'batch_id',
      'quantity',
      'occurred_at',
      'user_id',
      'counterpart_depot_id',
      'reverses_movement_id',
      'pair_movement_id',
      'expired_override',
      'recipient',
      'reason',
      'source',
      'supplier',
      'unit_price_fen',
    ]);
    // Opening stock on day 0: one lot per cell, one receipt note per depot and 200 lines.
    {
      let minute = 0;
      for (let d = 0; d < D; d += 1) {
        for (let c = depotCellStart[d]!; c < depotCellStart[d + 1]!; c += 200) {
          const at = new Date(dayStartMs[0]! + (8 * 60 + (minute++ % 600)) * 60_000).toISOString();
          const docNo = nextDocNo(DOC_PREFIXES.receipt, 0);
          for (let i = c; i < Math.min(c + 200, depotCellStart[d + 1]!); i += 1) {
            const m = cellMaterial[i]!;
            const b = newBatch(d, m, 0, at, 'opening');
            move(
              docNo,
              'receipt',
              b,
              Math.max(1, Math.round(matQty[m]! * (1 + rnd.next() * 2))),
              at,
              admin.userId,
              null,
              null,
              null,
              0,
              null,
              null,
              { source: 'opening', supplier: bSupplier[b]!, unitPriceFen: bPrice[b]! },
            );
          }
        }
      }
    }
    progress(`opening stock: ${C.toLocaleString('en')} lots in ${D} depots`);

    // Recent issues that a reversal may cancel (each once): movement id, batch, quantity.
    const RING = 4096;
    const ringId = new Float64Array(RING);
    const ringBatch = new Int32Array(RING);
    const ringQty = new Float64Array(RING);
    let ringNext = 0;

    const restStart = movementCount;
    const rest = Math.max(1, N - restStart);
    while (movementCount < N) {
      const remaining = N - movementCount;
      const f = (movementCount - restStart) / rest;
      // New lots arrive evenly over the period: the batch count follows C → B.
      const mayCreate = batchCount < C + (B - C) * f + 1;
      const mustCreate = B - batchCount >= remaining;
      const dayIndex = Math.min(S - 1, 1 + Math.floor(f * (S - 1)));
      const withinDay = (f * (S - 1)) % 1;
      const at = new Date(
        dayStartMs[dayIndex]! + (8 * 3600 + Math.floor(withinDay * 10 * 3600)) * 1000,
      ).toISOString();
      const date = dayDate[dayIndex]!;
      const d = rnd.int(0, D - 1);
      const lines = Math.min(remaining, 1 + Math.floor(rnd.next() * rnd.next() * 5));
      const roll = mustCreate ? 0 : rnd.next();

      if (roll < 0.27) {
        // Receipt: a new lot (as the schedule allows) or more of a lot the depot already has.
        const cells = depotCellStart[d + 1]! - depotCellStart[d]!;
        if (cells === 0) continue;
        const source = rnd.pick(RECEIPT_SOURCES);
        const docNo = nextDocNo(DOC_PREFIXES.receipt, dayIndex);
        for (let i = 0; i < lines; i += 1) {
          const create = batchCount < B && (mustCreate || (mayCreate && rnd.next() < 0.5));
          const b = create
            ? newBatch(d, cellMaterial[depotCellStart[d]! + rnd.int(0, cells - 1)]!, dayIndex, at, source)
            : rnd.pick(depotBatches[d]!);
          // A new lot's terms are its own; more of a lot comes on this receipt's (no draw from
          // rnd, so the rest of the data set stays as it was).
          const supplier = create
            ? bSupplier[b]!
            : source === 'donation'
              ? DONOR
              : SUPPLIERS[movementCount % (SUPPLIERS.length - 1)]!;
          move(
            docNo,
            'receipt',
            b,
            Math.max(1, Math.round(matQty[bMaterial[b]!]! * (0.3 + rnd.next()))),
            at,
            writer[d]!,
            null,
            null,
            null,
            0,
            null,
            null,
            { source, supplier, unitPriceFen: bPrice[b]! },
          );
        }
      } else if (roll < 0.89) {
        // Issue to a district bureau, a street office or a shelter.
        const list = issuable[d]!;
        if (list.length === 0) continue;
        const docNo = nextDocNo(DOC_PREFIXES.issue, dayIndex);
        const recipient = rnd.pick(depotRecipients[d]!);
        const reason = rnd.pick(ISSUE_REASONS);
        for (let i = 0; i < lines && list.length > 0; i += 1) {
          const b = rnd.pick(list);
          const balance = bBalance[b]!;
          const quantity =
            rnd.next() < 0.03 ? balance : Math.min(balance - 1, 1 + Math.floor(balance * rnd.next() * 0.25));
          const expired = bExpires[b] !== null && bExpires[b]! < date ? 1 : 0;
          ringId[ringNext] = move(
            docNo,
            'issue',
            b,
            -quantity,
            at,
            writer[d]!,
            null,
            null,
            null,
            expired,
            recipient,
            reason,
          );
          ringBatch[ringNext] = b;
          ringQty[ringNext] = quantity;
          ringNext = (ringNext + 1) % RING;
        }
      } else if (roll < 0.97) {
        // Transfer to another depot holding the material: an out-leg, and an in-leg pointing to it.
        const list = issuable[d]!;
        if (list.length === 0 || remaining < 2) continue;
        const first = rnd.pick(list);
        const targets = holders[bMaterial[first]!]!;
        if (targets.length < 2) continue;
        let t = rnd.pick(targets);
        if (t === d) t = targets[(targets.indexOf(t) + 1) % targets.length]!;
        let docNo: string | null = null;
        let posted = 0;
        for (let i = 0; i < lines * 3 && posted < lines && N - movementCount >= 2; i += 1) {
          const b = i === 0 ? first : rnd.pick(list);
          if (bBalance[b]! < 2 || !hold[t * M + bMaterial[b]!]) continue;
          const target = transferTarget(b, t, at, mayCreate);
          if (target < 0) continue;
          docNo ??= nextDocNo(DOC_PREFIXES.transfer, dayIndex);
          const quantity = Math.min(bBalance[b]! - 1, 1 + Math.floor(bBalance[b]! * rnd.next() * 0.2));
          const expired = bExpires[b] !== null && bExpires[b]! < date ? 1 : 0;
          const outId = move(
            docNo,
            'transfer_out',
            b,
            -quantity,
            at,
            writer[d]!,
            depotIds[t]!,
            null,
            null,
            expired,
            null,
            null,
          );
          move(
            docNo,
            'transfer_in',
            target,
            quantity,
            at,
            writer[d]!,
            depotIds[d]!,
            null,
            outId,
            0,
            null,
            null,
          );
          posted += 1;
        }
      } else if (roll < 0.985) {
        // Scrap from one lot.
        const list = issuable[d]!;
        if (list.length === 0) continue;
        const b = rnd.pick(list);
        const quantity = Math.max(1, Math.min(bBalance[b]! - 1, Math.floor(bBalance[b]! * 0.05)));
        move(
          nextDocNo(DOC_PREFIXES.scrap, dayIndex),
          'scrap',
          b,
          -quantity,
          at,
          writer[d]!,
          null,
          null,
          null,
          0,
          null,
          rnd.pick(SCRAP_REASONS),
        );
      } else {
        // Reversal (红冲) of a recent issue, once: the exact opposite quantity, pointing to it.
        const slot = rnd.int(0, RING - 1);
        const original = ringId[slot]!;
        if (original === 0) continue;
        ringId[slot] = 0;
        const b = ringBatch[slot]!;
        move(
          nextDocNo(DOC_PREFIXES.reversal, dayIndex),
          'reversal',
          b,
          ringQty[slot]!,
          at,
          writer[bDepot[b]!]!,
          null,
          original,
          null,
          0,
          null,
          '数量录入错误，红冲',
        );
      }
    }
    batchRows.flush();
    movementRows.flush();
    progress(
      `movements ${movementCount.toLocaleString('en')}, batches ${batchCount.toLocaleString('en')}; writing balances`,
    );

    // ---- Maintained balances, quotas, sequences ----------------------------------------------------
    const balanceRows = loader.table('batch_balances', ['batch_id', 'depot_id', 'material_id', 'on_hand']);
    const level = new Float64Array(D * M);
    const hasBatch = new Uint8Array(D * M);
    for (let b = 0; b < batchCount; b += 1) {
      const cell = bDepot[b]! * M + bMaterial[b]!;
      if (bBalance[b]! < 0) throw new Error(`seedScale: negative balance for batch ${b}`);
      level[cell] = level[cell]! + bBalance[b]!;
      hasBatch[cell] = 1;
      balanceRows.push(
        batchIdBase + b + 1,
        depotIds[bDepot[b]!],
        materialIdBase + bMaterial[b]! + 1,
        bBalance[b],
      );
    }
    balanceRows.flush();
    const levelRows = loader.table('stock_levels', ['depot_id', 'material_id', 'on_hand', 'reserved']);
    const quotaRows = loader.table('quotas', ['depot_id', 'material_id', 'quantity', 'updated_at']);
    for (let d = 0; d < D; d += 1) {
      for (let m = 0; m < M; m += 1) {
        const cell = d * M + m;
        if (!hasBatch[cell]) continue;
        levelRows.push(depotIds[d], materialIdBase + m + 1, level[cell], 0);
        // A quota for about one cell in five, around what is held (so some are short).
        if (rnd.next() < 0.2)
          quotaRows.push(
            depotIds[d],
            materialIdBase + m + 1,
            Math.max(1, Math.round(level[cell]! * (0.6 + rnd.next() * 0.8))),
            now.toISOString(),
          );
      }
    }
    levelRows.flush();
    quotaRows.flush();
    const sequenceRows = loader.table('doc_sequences', ['prefix', 'day', 'last_value']);
    for (const [prefix, counters] of sequences) {
      for (let k = 0; k < S; k += 1)
        if (counters[k]! > 0) sequenceRows.push(prefix, dayCompact[k], counters[k]);
    }
    sequenceRows.flush();
    progress('rebuilding indexes and committing');
  });

  const count = async (query: string) =>
    Number((await sql<{ n: number }>`${sql.raw(query)}`.execute(app.db)).rows[0]!.n);
  const summary: ScaleSummary = {
    depots: D,
    materials: M,
    users: users.size,
    batches: batchCount,
    movements: movementCount,
    documents: [...sequences.values()].reduce(
      (sum, counters) => sum + counters.reduce((a, b) => a + b, 0),
      0,
    ),
    stockCells: await count('select count(*) as n from stock_levels where on_hand > 0'),
    quotas: await count('select count(*) as n from quotas'),
    history: { incidents: 0, requests: 0, orders: 0 },
    elapsedMs: 0,
  };
  const { elapsedMs: _elapsed, history: _history, ...counts } = summary;
  // The bulk-loaded movements (the store was empty) are sealed by this one record.
  await write(
    { ...app.svc, clock: { ...app.svc.clock, now: () => now } },
    admin,
    'demo.scale',
    async (trx) => ({
      result: null,
      audit: {
        entityType: 'database',
        entityId: null,
        after: counts,
        movements: await sealRange(trx, 1, movementCount),
      },
    }),
  );
  progress('allocation history (through the services)');
  summary.history = await seedScaleHistory(app.svc, coordinator, {
    now,
    ...(options.history ?? SCALE_DEFAULTS.history),
  });
  await markDemo(app, now, 'scale');
  summary.elapsedMs = Math.round(performance.now() - started);
  progress(`done: ${JSON.stringify(summary)}`);
  return summary;
}
