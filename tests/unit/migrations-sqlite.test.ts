/**
 * SQLite only, because what it tests exists only there: data files written by the version
 * before PostgreSQL (tests/fixtures/landed-0003.sqlite, made by the landed code at migration
 * 0003) migrate forward with their data, and the portable column forms left SQLite's schema
 * text exactly as it was; plus the pragmas every SQLite connection must have.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/main/db/store';
import { nextDocNo } from '../../src/main/ledger';
import { verifyAudit } from '../../src/main/services/audit.service';
import { checkLedger } from '../../src/main/services/ledger-check.service';
import { transact } from '../../src/main/services/write';
import { DEFAULT_SECURITY, systemClock } from '../../src/main/services/context';

const FIXTURE = path.join(__dirname, '../fixtures/landed-0003.sqlite');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'relief-depot-migrations-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Schema = { type: string; name: string; sql: string | null }[];
async function schemaText(store: Store): Promise<Schema> {
  const { rows } = await sql<{ type: string; name: string; sql: string | null }>`
    select type, name, sql from sqlite_master where name not like 'sqlite_%' and name not like 'kysely_%' order by type, name`.execute(
    store.db,
  );
  return rows;
}

test('a fresh file has the pragmas, and 0001–0003 write the same schema text as before PostgreSQL existed', async () => {
  copyFileSync(FIXTURE, path.join(dir, 'landed.sqlite'));
  const before = await openStore(
    { kind: 'sqlite', file: path.join(dir, 'landed.sqlite') },
    { migrate: false },
  );
  const fresh = await openStore({ kind: 'sqlite', file: path.join(dir, 'fresh.sqlite') }, { migrate: false });
  try {
    expect((await fresh.migrator().migrateTo('0003_cover_expiry_index')).error).toBeUndefined();
    expect(await schemaText(fresh)).toEqual(await schemaText(before));
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`pragma ${name}`).execute(fresh.db)).rows[0] as object)[0];
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('synchronous')).toBe(2); // FULL
  } finally {
    await before.close();
    await fresh.close();
  }
});

test('a file from the landed version migrates forward with every movement, balance and audit record intact', async () => {
  const file = path.join(dir, 'relief-depot.sqlite');
  copyFileSync(FIXTURE, file);
  const store = await openStore({ kind: 'sqlite', file });
  const ctx = {
    db: store.db,
    dialect: store.dialect,
    snapshot: store.snapshot,
    clock: systemClock,
    security: DEFAULT_SECURITY,
  };
  try {
    const movements = await store.db
      .selectFrom('movements')
      .select(['docNo', 'type', 'quantity'])
      .orderBy('movementId')
      .execute();
    expect(movements).toEqual([
      { docNo: 'RK-20261130-0001', type: 'receipt', quantity: 50 },
      { docNo: 'RK-20261130-0001', type: 'receipt', quantity: 80 },
      // Transfers made before allocations existed keep their DB- numbers.
      { docNo: 'DB-20261130-0001', type: 'transfer_out', quantity: -10 },
      { docNo: 'DB-20261130-0001', type: 'transfer_in', quantity: 10 },
      { docNo: 'DB-20261130-0002', type: 'transfer_out', quantity: -5 },
      { docNo: 'DB-20261130-0002', type: 'transfer_in', quantity: 5 },
      { docNo: 'CK-20261130-0001', type: 'issue', quantity: -3 },
      { docNo: 'PD-20261130-0001', type: 'stocktake_loss', quantity: -1 },
    ]);
    // The landed version reserved through the ledger directly (it had no approvals): the check
    // names that one reservation as held by no approval, and finds nothing else.
    expect(await checkLedger(ctx)).toMatchObject({
      ok: false,
      movements: 8,
      differences: [],
      negatives: 0,
      inconsistent: 0,
      unreserved: 0,
      orphaned: 1,
    });
    expect(await verifyAudit(store.db)).toMatchObject({ ok: true });
    const levels = await store.db
      .selectFrom('stockLevels')
      .select(['onHand', 'reserved'])
      .orderBy('depotId')
      .orderBy('materialId')
      .execute();
    expect(levels).toContainEqual({ onHand: 40, reserved: 7 });

    // The rebuilt tables carry the new rules.
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => 'accepted',
        (e: Error) => e.message,
      );
    expect(
      await failure(sql`update movements set type = 'teleport' where movement_id = 1`.execute(store.db)),
    ).toMatch(/FOREIGN KEY/);
    expect(await failure(sql`update stock_levels set reserved = on_hand + 1`.execute(store.db))).toMatch(
      /stock_levels_reserved_within_on_hand/,
    );
    expect(
      await failure(
        sql`update batch_balances set on_hand = 1000000000000 where batch_id = 1`.execute(store.db),
      ),
    ).toMatch(/plausible/);
    expect((await sql`pragma foreign_key_check`.execute(store.db)).rows).toEqual([]);

    // Transfers are YK now; an allocation numbered on that day continues after the old DB- transfers.
    const day = new Date('2026-11-30T04:00:00Z');
    const [transfer, allocation] = await transact(ctx, async (trx) => [
      await nextDocNo(trx, 'transfer', day),
      await nextDocNo(trx, 'allocation', day),
    ]);
    expect(transfer).toBe('YK-20261130-0001');
    expect(allocation).toBe('DB-20261130-0003');
  } finally {
    await store.close();
  }
});

test('the landed file’s receipts get their source, supplier and price from their batches', async () => {
  const file = path.join(dir, 'relief-depot.sqlite');
  copyFileSync(FIXTURE, file);
  const store = await openStore({ kind: 'sqlite', file }, { migrate: false });
  try {
    // The landed file's lots have no supplier or price; give its first lot some, as a keeper would have.
    await sql`update batches set supplier = '某帐篷厂', unit_price_fen = 132000 where batch_id = 1`.execute(
      store.db,
    );
    expect((await store.migrator().migrateToLatest()).error).toBeUndefined();
    const movements = await store.db
      .selectFrom('movements')
      .select(['type', 'batchId', 'source', 'supplier', 'unitPriceFen', 'reason'])
      .orderBy('movementId')
      .execute();
    expect(movements.filter((m) => m.type === 'receipt')).toEqual([
      {
        type: 'receipt',
        batchId: 1,
        source: 'procurement',
        supplier: '某帐篷厂',
        unitPriceFen: 132000,
        reason: null,
      },
      {
        type: 'receipt',
        batchId: 2,
        source: 'procurement',
        supplier: null,
        unitPriceFen: null,
        reason: null,
      },
    ]);
    // Transfers, the issue and the stocktake loss carry no terms, and keep their reasons.
    for (const m of movements.filter((m) => m.type !== 'receipt'))
      expect([m.source, m.supplier, m.unitPriceFen]).toEqual([null, null, null]);
    expect(movements.find((m) => m.type === 'stocktake_loss')?.reason).toBe('破损');
  } finally {
    await store.close();
  }
});
