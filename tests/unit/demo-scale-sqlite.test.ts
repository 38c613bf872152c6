/**
 * seedScale, the benchmark generator, on SQLite only: it writes through the embedded store's bulk
 * loader (foreign keys off per row, secondary indexes dropped and rebuilt, one transaction), which
 * PostgreSQL does not have (a server gets the data set with transfer-data; demo.test.ts checks
 * that seedScale says so there). What is asserted here is what the SQLite bulk load itself must
 * restore: the foreign keys hold (`pragma foreign_key_check`), foreign key enforcement is back on,
 * and the dropped indexes exist again (`sqlite_master`). The jest config runs this file only in
 * the sqlite project (storeIndependent).
 */
import { sql } from 'kysely';
import { seedScale } from '../../src/main/demo';
import { demoEnv } from './demo-env';
import { scalar, STORE, type TestEnv } from './harness';

jest.setTimeout(120_000);

let env: Awaited<ReturnType<typeof demoEnv>>;
beforeEach(async () => {
  env = await demoEnv();
});
afterEach(() => env.close());

const login = async (username: string, password: string) =>
  (await env.call(undefined, 'auth.login', { username, password })).token;
const rows = async <R>(query: ReturnType<typeof sql<R>>) => (await query.execute(env.app.db)).rows;
const count = (query: ReturnType<typeof sql>) => scalar({ app: env.app } as TestEnv, query);

test('runs on the SQLite project only', () => {
  expect([STORE, env.app.store.kind]).toEqual(['sqlite', 'sqlite']);
});

test('tiny sizes: balances equal the ledger, keys hold, documents are numbered per day', async () => {
  const progress: string[] = [];
  const summary = await seedScale(env.app, {
    depots: 3,
    materials: 20,
    batches: 200,
    movements: 2_000,
    history: { incidents: 2, requestsPerIncident: 2, linesPerRequest: 2 },
    onProgress: (m) => progress.push(m),
  });
  expect(summary).toMatchObject({
    depots: 3,
    materials: 20,
    batches: 200,
    movements: 2_000,
    users: 4,
    history: { incidents: 2, requests: 4, orders: 4 },
  });
  // The history went the whole way: incidents closed, requests completed, orders settled.
  const states = async (table: 'incidents' | 'allocationRequests' | 'deliveryOrders') =>
    (await env.app.db.selectFrom(table).select('status').execute()).map((r) => r.status);
  expect(await states('incidents')).toEqual(['closed', 'closed']);
  expect(await states('allocationRequests')).toEqual(Array(4).fill('completed'));
  expect(await states('deliveryOrders')).toEqual(Array(4).fill('closed'));
  const dispatched = await count(sql`select count(*) from movements where type = 'dispatch'`);
  expect(dispatched).toBeGreaterThanOrEqual(8);
  expect(progress.at(-1)).toMatch(/done/);

  const coordinator = await login('coordinator', 'Demo1234');
  expect(await env.call(coordinator, 'ledger.check')).toMatchObject({
    ok: true,
    movements: 2_000 + dispatched,
    batches: 200,
    negatives: 0,
  });
  const admin = await login('admin', 'Demo1234');
  expect(await env.call(admin, 'audit.verify')).toMatchObject({ ok: true });

  // Written with per-row foreign key checks off: every key must still hold, and enforcement is back on.
  expect(await rows(sql`pragma foreign_key_check`)).toEqual([]);
  expect(await rows(sql`pragma foreign_keys`)).toEqual([{ foreignKeys: 1 }]);
  // The indexes dropped for the bulk load are back.
  const indexes = (
    await rows(
      sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'movements'`,
    )
  ).map((r) => r.name);
  expect(indexes).toEqual(
    expect.arrayContaining([
      'movements_depot_id',
      'movements_material_id',
      'movements_batch_quantity',
      'movements_doc_no',
      'movements_occurred_at',
    ]),
  );

  // Document numbers of the bulk load: PREFIX-YYYYMMDD-NNNN (transfers YK), one document per
  // number, sequences up to date (the history's PS orders were numbered by the services).
  const docs = await rows(
    sql<{ docNo: string }>`select doc_no from movements where type <> 'dispatch' group by doc_no`,
  );
  expect(docs.every((d) => /^(RK|CK|YK|BF|HC)-\d{8}-\d{4,}$/.test(d.docNo))).toBe(true);
  expect(docs.some((d) => d.docNo.startsWith('YK-'))).toBe(true);
  const sequences = await env.app.db
    .selectFrom('docSequences')
    .select(['prefix', 'day', 'lastValue'])
    .where('prefix', 'in', ['RK', 'CK', 'YK', 'BF', 'HC'])
    .execute();
  for (const s of sequences) {
    const max = await count(
      sql`select max(cast(substr(doc_no, 13) as integer)) from movements where doc_no like ${`${s.prefix}-${s.day}-%`}`,
    );
    expect([s.prefix, s.day, max]).toEqual([s.prefix, s.day, s.lastValue]);
  }
  expect(sequences.reduce((sum, s) => sum + s.lastValue, 0)).toBe(docs.length);

  // Transfers are pairs; reversals cancel an issue exactly, once.
  const badPairs = await count(
    sql`select count(*) from movements i left join movements o on o.movement_id = i.pair_movement_id
         where i.type = 'transfer_in' and (o.movement_id is null or o.type <> 'transfer_out' or o.quantity <> -i.quantity
           or o.doc_no <> i.doc_no or o.material_id <> i.material_id or o.counterpart_depot_id <> i.depot_id)`,
  );
  expect(badPairs).toBe(0);
  expect(await count(sql`select count(*) from movements where type = 'transfer_in'`)).toBeGreaterThan(0);
  const badReversals = await count(
    sql`select count(*) from movements r left join movements o on o.movement_id = r.reverses_movement_id
         where r.type = 'reversal' and (o.movement_id is null or o.type <> 'issue' or o.quantity <> -r.quantity or o.batch_id <> r.batch_id)`,
  );
  expect(badReversals).toBe(0);
  const everyday = await count(sql`select count(*) from movements where type in ('receipt', 'issue')`);
  expect(everyday / 2_000).toBeGreaterThan(0.7);
  expect(await env.app.db.selectFrom('settings').select('value').where('key', '=', 'demo').execute()).toEqual(
    [{ value: 'true' }],
  );
});
