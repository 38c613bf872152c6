/**
 * An insider with the SQLite file and a SQL shell: each edit below (the issue's ten and more), made on a copy of a demo
 * store with plain SQL (constraints switched off where they would stand in the way), must make
 * `relief-depot check` exit 1 naming what it found — even when the balances were put right too,
 * or every later audit hash was recomputed.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { createApp } from '../../src/main/app';
import { main } from '../../src/main/cli-commands';
import type { Database } from '../../src/main/db/database';
import { DATABASE_FILE, openStore } from '../../src/main/db/store';
import { seedDemo } from '../../src/main/demo';
import { ANCHOR_FILE } from '../../src/main/services/anchors';
import { auditHash } from '../../src/main/services/audit.service';
import { TestClock } from './harness';

let seeded: string;
let dir: string;

beforeAll(async () => {
  seeded = mkdtempSync(path.join(tmpdir(), 'relief-depot-tamper-seed-'));
  const app = await createApp({
    store: { kind: 'sqlite', file: path.join(seeded, DATABASE_FILE) },
    clock: new TestClock(new Date('2026-11-30T02:00:00.000Z')),
    security: { scryptN: 1024 },
    anchorFile: path.join(seeded, ANCHOR_FILE),
  });
  try {
    await seedDemo(app);
  } finally {
    await app.close();
  }
  // The next start anchors the seeded chain's head.
  await (
    await createApp({
      store: { kind: 'sqlite', file: path.join(seeded, DATABASE_FILE) },
      anchorFile: path.join(seeded, ANCHOR_FILE),
    })
  ).close();
}, 120_000);
afterAll(() => rmSync(seeded, { recursive: true, force: true }));

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'relief-depot-tamper-'));
  copyFileSync(path.join(seeded, DATABASE_FILE), path.join(dir, DATABASE_FILE));
  copyFileSync(path.join(seeded, ANCHOR_FILE), path.join(dir, ANCHOR_FILE));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function check(...args: string[]) {
  const out: string[] = [];
  const capture = (...a: unknown[]) => void out.push(a.join(' '));
  const log = jest.spyOn(console, 'log').mockImplementation(capture);
  const err = jest.spyOn(console, 'error').mockImplementation(capture);
  try {
    const code = await main(['check', '--data', dir, '--lang', 'en', ...args]);
    return { code, output: out.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

/** Runs SQL on the copy as an insider would: no app, no foreign keys, no CHECKs. */
async function tamper(edit: (db: Kysely<Database>) => Promise<void>) {
  const store = await openStore({ kind: 'sqlite', file: path.join(dir, DATABASE_FILE) }, { migrate: false });
  try {
    await sql`pragma foreign_keys = off`.execute(store.db);
    await sql`pragma ignore_check_constraints = on`.execute(store.db);
    await edit(store.db);
  } finally {
    await store.close();
  }
}

/** The newest movement of a type, with its balances. */
async function movementOf(db: Kysely<Database>, type: string) {
  return db
    .selectFrom('movements')
    .selectAll()
    .where('type', '=', type)
    .orderBy('movementId', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
}

/** Moves both balances by `delta` for the movement's batch, as if the ledger had it so. */
async function shiftBalances(
  db: Kysely<Database>,
  m: { batchId: number; depotId: number; materialId: number },
  delta: number | bigint,
) {
  await sql`update batch_balances set on_hand = on_hand + ${delta} where batch_id = ${m.batchId}`.execute(db);
  await sql`update stock_levels set on_hand = on_hand + ${delta} where depot_id = ${m.depotId} and material_id = ${m.materialId}`.execute(
    db,
  );
}

/** Rewrites the chain from record `from` on with freshly computed hashes (SHA-256 is public). */
async function rehash(db: Kysely<Database>, from: number) {
  const rows = await db
    .selectFrom('auditLog')
    .selectAll()
    .where('auditId', '>=', from)
    .orderBy('auditId')
    .execute();
  let prev =
    (
      await db
        .selectFrom('auditLog')
        .select('hash')
        .where('auditId', '=', from - 1)
        .executeTakeFirst()
    )?.hash ?? '0'.repeat(64);
  for (const row of rows) {
    const hash = auditHash({ ...row, prevHash: prev });
    await db
      .updateTable('auditLog')
      .set({ prevHash: prev, hash })
      .where('auditId', '=', row.auditId)
      .execute();
    prev = hash;
  }
}

test('the untouched demo store passes every check, anchors included', async () => {
  const result = await check();
  expect(result.output).toContain('Ledger and audit log agree');
  expect(result.output).toMatch(/The audit chain holds all \d+ anchors/);
  expect(result.code).toBe(0);
});

const edits: [string, (db: Kysely<Database>) => Promise<void>, RegExp][] = [
  [
    'an issue movement deleted and both balances put back',
    async (db) => {
      const m = await movementOf(db, 'issue');
      await db.deleteFrom('movements').where('movementId', '=', m.movementId).execute();
      await shiftBalances(db, m, -m.quantity);
    },
    /movement \d+, recorded by audit record \d+, is gone/,
  ],
  [
    'an issue movement edited together with both balances',
    async (db) => {
      const m = await movementOf(db, 'issue');
      await db
        .updateTable('movements')
        .set({ quantity: m.quantity - 1 })
        .where('movementId', '=', m.movementId)
        .execute();
      await shiftBalances(db, m, 1);
    },
    /the movements audit record \d+ recorded \(CK-\d{8}-\d{4}\) have been changed/,
  ],
  [
    'the newest audit records deleted',
    async (db) => {
      const head = await db
        .selectFrom('auditLog')
        .select((eb) => eb.fn.max('auditId').as('n'))
        .executeTakeFirstOrThrow();
      await db
        .deleteFrom('auditLog')
        .where('auditId', '>', Number(head.n) - 3)
        .execute();
    },
    /anchor \d+:[0-9a-f]{64}: that audit record is gone .*truncated/,
  ],
  [
    'an audit record edited and every later hash recomputed',
    async (db) => {
      const target = await db
        .selectFrom('auditLog')
        .select('auditId')
        .where('action', '=', 'user.create')
        .orderBy('auditId')
        .limit(1)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('auditLog')
        .set({ entityId: '999' })
        .where('auditId', '=', target.auditId)
        .execute();
      await rehash(db, target.auditId);
    },
    /anchor \d+:[0-9a-f]{64}: that audit record's hash differs/,
  ],
  [
    "a receipt's quantity changed against its own audit record (balances too)",
    async (db) => {
      const m = await movementOf(db, 'receipt');
      await db
        .updateTable('movements')
        .set({ quantity: m.quantity + 100 })
        .where('movementId', '=', m.movementId)
        .execute();
      await shiftBalances(db, m, 100);
    },
    /the movements audit record \d+ recorded \(RK-\d{8}-\d{4}\) have been changed/,
  ],
  [
    'a receipt slipped in with its balances and no audit record',
    async (db) => {
      const m = await movementOf(db, 'receipt');
      await db
        .insertInto('movements')
        .values({ ...m, movementId: undefined as never, quantity: 500 })
        .execute();
      await shiftBalances(db, m, 500);
    },
    /movement \d+ \(RK-\d{8}-\d{4}\) has no audit record/,
  ],
  [
    'a balance past 2^53 raised by one (exact integers)',
    async (db) => {
      const m = await movementOf(db, 'receipt');
      const onHand = BigInt(
        (
          await db
            .selectFrom('batchBalances')
            .select('onHand')
            .where('batchId', '=', m.batchId)
            .executeTakeFirstOrThrow()
        ).onHand,
      );
      // The batch's sum becomes a multiple of 4 above 2^53: as doubles, it and the sum + 1 are one number.
      const big = 2n ** 53n + ((4n - (onHand % 4n)) % 4n);
      await sql`update movements set quantity = quantity + ${big} where movement_id = ${m.movementId}`.execute(
        db,
      );
      await shiftBalances(db, m, big + 1n);
    },
    /Ledger check found \d+ differences/,
  ],
  [
    'the whole audit log rebuilt without one record',
    async (db) => {
      const victim = await db
        .selectFrom('auditLog')
        .select('auditId')
        .where('action', '=', 'stock.scrap')
        .limit(1)
        .executeTakeFirstOrThrow();
      await db.deleteFrom('auditLog').where('auditId', '=', victim.auditId).execute();
      await sql`update audit_log set audit_id = audit_id - 1 where audit_id > ${victim.auditId}`.execute(db);
      await rehash(db, victim.auditId);
    },
    /that audit record's hash differs|that audit record is gone/,
  ],
  [
    'a movement moved to another batch and depot with the balances to match',
    async (db) => {
      const m = await movementOf(db, 'receipt');
      const other = await db
        .selectFrom('batches')
        .selectAll()
        .where('batchId', '<>', m.batchId)
        .where('materialId', '=', m.materialId)
        .limit(1)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('movements')
        .set({ batchId: other.batchId, depotId: other.depotId })
        .where('movementId', '=', m.movementId)
        .execute();
      await shiftBalances(db, m, -m.quantity);
      await shiftBalances(db, other, m.quantity);
    },
    /have been changed/,
  ],
  [
    "a lot's balance filed under another depot and material",
    async (db) => {
      const m = await movementOf(db, 'receipt');
      await sql`update batch_balances set depot_id = ${m.depotId + 1}, material_id = ${m.materialId + 1} where batch_id = ${m.batchId}`.execute(
        db,
      );
    },
    /Ledger check found \d+ differences/,
  ],
  [
    'a balance stored as text that reads as a number',
    async (db) => {
      const m = await movementOf(db, 'receipt');
      await sql`update stock_levels set on_hand = '0x1964' where depot_id = ${m.depotId} and material_id = ${m.materialId}`.execute(
        db,
      );
    },
    /Ledger check found \d+ differences/,
  ],
  [
    "an audit record's movement seal replaced by something else (chain recomputed)",
    async (db) => {
      const sealed = await db
        .selectFrom('auditLog')
        .select('auditId')
        .where('action', '=', 'stock.issue')
        .limit(1)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('auditLog')
        .set({ movementsJson: '{"ids":null}' })
        .where('auditId', '=', sealed.auditId)
        .execute();
      await rehash(db, sealed.auditId);
    },
    /holds a movement seal this program does not write/,
  ],
  [
    "an expired lot's expiry pushed back",
    async (db) => {
      const lot = await db
        .selectFrom('batches')
        .select('batchId')
        .where('expiresOn', '<', '2026-11-30')
        .limit(1)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('batches')
        .set({ expiresOn: '2030-12-31' })
        .where('batchId', '=', lot.batchId)
        .execute();
    },
    /have been changed/,
  ],
  [
    'a movement backdated',
    async (db) => {
      const m = await movementOf(db, 'issue');
      await db
        .updateTable('movements')
        .set({ occurredAt: '2026-01-01T00:00:00.000Z' })
        .where('movementId', '=', m.movementId)
        .execute();
    },
    /have been changed/,
  ],
];

test.each(edits)('%s: check exits 1 and says what it found', async (_what, edit, finding) => {
  await tamper(edit);
  const anchors = readFileSync(path.join(dir, ANCHOR_FILE), 'utf8');
  const result = await check();
  expect(result.output).toMatch(finding);
  expect(result.code).toBe(1);
  // A check that fails anchors nothing: the tampered head does not become a reference.
  expect(readFileSync(path.join(dir, ANCHOR_FILE), 'utf8')).toBe(anchors);
});

test('--anchor takes a head from a printed document or a backup side file, and sees a rewrite after it', async () => {
  const backup = path.join(dir, 'before.sqlite');
  const out = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    expect(await main(['backup', backup, '--data', dir])).toBe(0);
  } finally {
    out.mockRestore();
  }
  const sideFile = `${backup}.anchor.txt`;
  const printed = await (async () => {
    const store = await openStore(
      { kind: 'sqlite', file: path.join(dir, DATABASE_FILE) },
      { migrate: false },
    );
    try {
      const head = await store.db
        .selectFrom('auditLog')
        .select(['auditId', 'hash'])
        .orderBy('auditId', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      return `${head.auditId}:${head.hash.slice(0, 16)}`;
    } finally {
      await store.close();
    }
  })();
  // Without the data folder's anchor file, only what --anchor gives counts.
  rmSync(path.join(dir, ANCHOR_FILE));
  expect((await check('--anchor', printed, '--anchor', sideFile)).code).toBe(0);
  await tamper(async (db) => {
    const head = Number(
      (
        await db
          .selectFrom('auditLog')
          .select((eb) => eb.fn.max('auditId').as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    await db
      .updateTable('auditLog')
      .set({ at: '2026-11-01T00:00:00.000Z' })
      .where('auditId', '=', head - 5)
      .execute();
    await rehash(db, head - 5);
  });
  rmSync(path.join(dir, ANCHOR_FILE));
  expect(await check()).toMatchObject({ code: 0 });
  for (const anchor of [printed, sideFile]) {
    const result = await check('--anchor', anchor);
    expect(result.output).toMatch(/that audit record's hash differs/);
    expect(result.code).toBe(1);
  }
  writeFileSync(path.join(dir, 'nothing.txt'), 'no anchor here');
  expect((await check('--anchor', path.join(dir, 'nothing.txt'))).code).toBe(2);
});
