/** Prepared statements (src/main/db/prepared.ts): compiled once, each run with its own values, on both stores. */
import { prepared } from '../../src/main/db/prepared';
import { createTestEnv, createWorld, type TestEnv } from './harness';

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());

test('each run binds its own values into the one compiled statement, next to the literals it was built with', async () => {
  const w = await createWorld(env);
  const depotsBelow = prepared((db, p: { level: 'city' | 'district' | 'town'; below: number }) =>
    db
      .selectFrom('depots')
      .select('code')
      .where('level', '=', p.level)
      .where('depotId', '<', p.below)
      .where('active', '=', 1)
      .orderBy('code'),
  );
  const below = w.laoshan.depotId + 1;
  expect(await depotsBelow.all(env.app.db, { level: 'district', below })).toEqual([
    { code: 'QD-LS' },
    { code: 'QD-SN' },
  ]);
  expect(await depotsBelow.all(env.app.db, { level: 'city', below })).toEqual([{ code: 'QD-SJ' }]);
  expect(await depotsBelow.all(env.app.db, { level: 'district', below: w.shinan.depotId + 1 })).toEqual([
    { code: 'QD-SN' },
  ]);
  expect(await depotsBelow.first(env.app.db, { level: 'town', below })).toBeUndefined();
});

test('writes report the rows they changed', async () => {
  await createWorld(env);
  const rename = prepared((db, p: { code: string; name: string }) =>
    db.updateTable('depots').set({ name: p.name }).where('code', '=', p.code),
  );
  expect((await rename.run(env.app.db, { code: 'QD-SN', name: '市南' })).numAffectedRows).toBe(1n);
  expect((await rename.run(env.app.db, { code: 'nowhere', name: 'x' })).numAffectedRows).toBe(0n);
  expect(
    await env.app.db.selectFrom('depots').select('name').where('code', '=', 'QD-SN').executeTakeFirst(),
  ).toEqual({ name: '市南' });
});
