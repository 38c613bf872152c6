/**
 * PostgreSQL only, because only PostgreSQL keeps a plan per named statement: when another
 * process changes a table under the app's prepared statements (a migration while it runs), the
 * next write is retried unnamed instead of failing every call with "cached plan must not
 * change result type".
 */
import { sql } from 'kysely';
import { createTestEnv, createWorld, STORE, type TestEnv } from './harness';

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());

(STORE === 'postgres' ? test : test.skip)(
  'a table changed under the named statements: writes go on',
  async () => {
    const w = await createWorld(env);
    const receipt = {
      depotId: w.city.depotId,
      source: 'procurement' as const,
      lines: [{ materialId: w.tent.materialId, quantity: 1, lotNo: 'A' }],
    };
    for (let i = 0; i < 3; i++) await env.call(w.keeper.token, 'stock.receive', receipt);
    await sql`alter table depots add column region text`.execute(env.app.db);
    await sql`alter table batches add column shelf text`.execute(env.app.db);
    for (let i = 0; i < 3; i++) await env.call(w.keeper.token, 'stock.receive', receipt);
    expect(
      (await env.balances(w.keeper.token, { depotId: w.city.depotId })).rows.map((r) => r.onHand),
    ).toEqual([6]);
  },
);
