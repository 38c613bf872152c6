/** Demo data: the small realistic database (seedDemo) and the benchmark generator (seedScale). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InputOf, OutputOf, ProcedureName } from '../../src/shared/api';
import { createApp, type App } from '../../src/main/app';
import { DEMO_ACCOUNTS, seedDemo, seedScale } from '../../src/main/demo';
import { buildCatalogue, cleanSpec } from '../../src/main/demo/catalogue';
import { csvRecords, parseCsv } from '../../src/main/demo/csv';
import { DISTRICTS } from '../../src/main/demo/places';
import { TestClock } from './harness';

jest.setTimeout(120_000);

const NOW = '2026-11-30T02:00:00.000Z';

/** An app on its own temp database with a fixed clock and cheap password hashing (scrypt N=1024). */
async function demoEnv() {
  // A memory-backed folder where there is one (every service write is an fsync'ed commit).
  const dir = mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'relief-depot-demo-test-'));
  const errors: unknown[] = [];
  const app: App = await createApp({ dataDir: dir, clock: new TestClock(new Date(NOW)), security: { scryptN: 1024 }, logError: (_m, e) => errors.push(e) });
  return {
    app,
    async call<P extends ProcedureName>(token: string | undefined, procedure: P, input?: InputOf<P>): Promise<OutputOf<P>> {
      const response = await app.dispatch({ procedure, input, token });
      if (!response.ok) throw new Error(`${procedure} failed: ${JSON.stringify(response.error)} ${errors.map(String).join('\n')}`);
      return response.result as OutputOf<P>;
    },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let env: Awaited<ReturnType<typeof demoEnv>>;
beforeEach(async () => {
  env = await demoEnv();
});
afterEach(() => env.close());

const login = async (username: string, password: string) => (await env.call(undefined, 'auth.login', { username, password })).token;

describe('seedDemo', () => {
  test('builds a consistent Qingdao depot network with history, warnings and the demo accounts', async () => {
    const summary = await seedDemo(env.app);
    expect(summary).toMatchObject({ depots: 1 + DISTRICTS.length + 7, users: 4 });
    expect(summary.materials).toBeGreaterThan(100);
    expect(summary.movements).toBeGreaterThan(summary.batches);

    const admin = await login('admin', 'Demo1234');
    const check = await env.call(admin, 'ledger.check');
    expect(check).toMatchObject({ ok: true, differences: [], negatives: 0, movements: summary.movements });
    // The admin's sign-in above is one more record.
    expect(await env.call(admin, 'audit.verify')).toMatchObject({ ok: true, records: summary.auditRecords + 1 });

    const districts = await env.call(admin, 'depot.list', { level: 'district' });
    expect(districts.map((d) => d.name).sort()).toEqual(
      ['市南区', '市北区', '李沧区', '崂山区', '黄岛区', '城阳区', '即墨区', '胶州市', '平度市', '莱西市'].map((n) => `${n}应急物资储备库`).sort(),
    );
    const city = (await env.call(admin, 'depot.list', { level: 'city' }))[0]!;
    expect(city.name).toBe('青岛市级应急物资储备库');
    expect(districts.every((d) => d.parentId === city.depotId)).toBe(true);
    const towns = await env.call(admin, 'depot.list', { level: 'town' });
    expect(towns.map((t) => t.name)).toEqual(expect.arrayContaining(['沙子口街道应急物资储备点', '王哥庄街道应急物资储备点', '胶东街道应急物资储备点']));

    const expiring = await env.call(admin, 'stock.expiring', {});
    expect(expiring.rows.filter((r) => r.status === 'expiring').length).toBeGreaterThan(0);
    expect(expiring.rows.filter((r) => r.status === 'expired').length).toBeGreaterThan(0);
    expect(summary.expiringBatches).toBeGreaterThan(0);
    expect(summary.expiredBatches).toBeGreaterThan(0);

    const below = await env.call(admin, 'stock.belowQuota', {});
    expect(new Set(below.rows.map((r) => r.depotId)).size).toBeGreaterThanOrEqual(1);
    expect(below.rows.length).toBe(summary.belowQuota);

    // Every kind of movement the brief asks for is in the history.
    const types = env.app.sqlite.prepare('select type, count(*) as n from movements group by type').all() as { type: string; n: number }[];
    expect(types.map((t) => t.type).sort()).toEqual(['issue', 'receipt', 'reversal', 'scrap', 'stocktake_gain', 'stocktake_loss', 'transfer_in', 'transfer_out']);
    const approved = env.app.sqlite.prepare("select count(*) as n from stocktakes where status = 'approved'").get() as { n: number };
    expect(approved.n).toBe(1);
    // History spans months, never reaches past "now".
    const span = env.app.sqlite.prepare('select min(occurred_at) as first, max(occurred_at) as last from movements').get() as { first: string; last: string };
    expect(span.first < '2026-07-01').toBe(true);
    expect(span.last < '2026-11-30T02:00:00.000Z').toBe(true);
    // No invented GB/T 38565 codes; top class always set.
    expect(env.app.sqlite.prepare('select count(*) as n from materials where gb_code is not null').get()).toEqual({ n: 0 });
    expect(env.app.sqlite.prepare("select value from settings where key = 'demo'").get()).toEqual({ value: 'true' });

    for (const account of DEMO_ACCOUNTS) {
      const result = await env.call(undefined, 'auth.login', { username: account.username, password: account.password });
      expect(result.user.role).toBe(account.role);
      if (account.role === 'keeper') {
        const laoshan = districts.find((d) => d.name === '崂山区应急物资储备库')!;
        expect(result.user.depotIds.sort()).toEqual([city.depotId, laoshan.depotId].sort());
      }
    }
  });

  test('is deterministic and refuses a database that already has data', async () => {
    const first = await seedDemo(env.app);
    const rows = () =>
      env.app.sqlite
        .prepare('select doc_no, type, depot_id, material_id, quantity, occurred_at from movements order by movement_id')
        .all();
    const ledger = rows();
    await expect(seedDemo(env.app)).rejects.toThrow(/empty/);

    const other = await demoEnv();
    try {
      expect(await seedDemo(other.app)).toEqual(first);
      expect(
        other.app.sqlite.prepare('select doc_no, type, depot_id, material_id, quantity, occurred_at from movements order by movement_id').all(),
      ).toEqual(ledger);
    } finally {
      await other.close();
    }
  });
});

describe('seedScale', () => {
  test('tiny sizes: balances equal the ledger, keys hold, documents are numbered per day', async () => {
    const progress: string[] = [];
    const summary = await seedScale(env.app, { depots: 3, materials: 20, batches: 200, movements: 2_000, onProgress: (m) => progress.push(m) });
    expect(summary).toMatchObject({ depots: 3, materials: 20, batches: 200, movements: 2_000, users: 4 });
    expect(progress.at(-1)).toMatch(/done/);
    const sqlite = env.app.sqlite;

    const coordinator = await login('coordinator', 'Demo1234');
    expect(await env.call(coordinator, 'ledger.check')).toMatchObject({ ok: true, movements: 2_000, batches: 200, negatives: 0 });
    const admin = await login('admin', 'Demo1234');
    expect(await env.call(admin, 'audit.verify')).toMatchObject({ ok: true });

    // Written with per-row foreign key checks off: every key must still hold.
    expect(sqlite.pragma('foreign_key_check')).toEqual([]);
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    // The indexes dropped for the bulk load are back.
    const indexes = (sqlite.prepare("select name from sqlite_master where type = 'index' and tbl_name = 'movements'").all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['movements_depot_id', 'movements_material_id', 'movements_batch_quantity', 'movements_doc_no', 'movements_occurred_at']));

    // Document numbers: PREFIX-YYYYMMDD-NNNN, one document per number, sequences up to date.
    const docs = sqlite.prepare('select doc_no, count(distinct depot_id || type) as kinds, min(occurred_at) as at from movements group by doc_no').all() as { doc_no: string }[];
    expect(docs.every((d) => /^(RK|CK|DB|BF|HC)-\d{8}-\d{4,}$/.test(d.doc_no))).toBe(true);
    const sequences = sqlite.prepare('select prefix, day, last_value from doc_sequences').all() as { prefix: string; day: string; last_value: number }[];
    for (const s of sequences) {
      const max = sqlite
        .prepare("select max(cast(substr(doc_no, 13) as integer)) as n from movements where doc_no like ? || '-' || ? || '-%'")
        .get(s.prefix, s.day) as { n: number };
      expect(max.n).toBe(s.last_value);
    }
    expect(sequences.reduce((sum, s) => sum + s.last_value, 0)).toBe(docs.length);

    // Transfers are pairs; reversals cancel an issue exactly, once.
    const badPairs = sqlite
      .prepare(
        `select count(*) as n from movements i left join movements o on o.movement_id = i.pair_movement_id
          where i.type = 'transfer_in' and (o.type is not 'transfer_out' or o.quantity <> -i.quantity or o.doc_no <> i.doc_no
            or o.material_id <> i.material_id or o.counterpart_depot_id <> i.depot_id)`,
      )
      .get() as { n: number };
    expect(badPairs.n).toBe(0);
    const badReversals = sqlite
      .prepare(
        `select count(*) as n from movements r left join movements o on o.movement_id = r.reverses_movement_id
          where r.type = 'reversal' and (o.type is not 'issue' or o.quantity <> -r.quantity or o.batch_id <> r.batch_id)`,
      )
      .get() as { n: number };
    expect(badReversals.n).toBe(0);
    expect(sqlite.prepare("select count(*) as n from movements where type in ('receipt', 'issue')").get()).toEqual({ n: expect.any(Number) });
    const mix = sqlite.prepare("select sum(type in ('receipt', 'issue')) * 1.0 / count(*) as share from movements").get() as { share: number };
    expect(mix.share).toBeGreaterThan(0.7);
    expect(sqlite.prepare("select value from settings where key = 'demo'").get()).toEqual({ value: 'true' });
  });
});

describe('catalogue from the public reserve list', () => {
  test('CSV reader: quotes, doubled quotes, commas and line breaks inside quotes, BOM, CRLF', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, ""y""","line\nbreak"\r\n\r\n1,\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', 'line\nbreak'],
      ['1', ''],
    ]);
    expect(csvRecords('name,unit\n棉被,床\n帐篷')).toEqual([
      { name: '棉被', unit: '床' },
      { name: '帐篷', unit: '' },
    ]);
  });

  test('groups by name and specification, keeps local category, top class, unit and price, invents no codes', () => {
    expect(cleanSpec("12㎡(原网页显示为'12?');单价1320元/顶;小计264万元")).toBe('12㎡');
    expect(cleanSpec("储备方式:部门代储;原文单位为'张'")).toBeNull();
    const items = buildCatalogue([
      { category: '帐篷', name: '救灾专用单帐篷', spec: "12㎡;单价1320元/顶;小计264万元", unit: '顶', quantity: '2000', source: '青岛市应急管理局' },
      { category: '被服', name: '棉被', spec: '现有库存', unit: '', quantity: '149', source: '' },
      { category: '被服', name: '棉被', spec: "原文'2.64万床'", unit: '床', quantity: '26400', source: '' },
      { category: '防汛物料', name: '编织袋', spec: '', unit: '条', quantity: '700000', source: '' },
      { category: '医疗防疫', name: '一次性医用外科口罩', spec: '单只独立包装', unit: '', quantity: '5000', source: '' },
      { category: '排水泵', name: '抽水机', spec: '', unit: '台', quantity: '862', source: '' },
    ]);
    const byName = Object.fromEntries(items.map((i) => [i.name, i]));
    expect(items).toHaveLength(5);
    expect(byName['救灾专用单帐篷']).toMatchObject({ topClass: 1, category: '帐篷', unit: '顶', spec: '12㎡', referencePriceFen: 132000, qingdaoNeed: 2000, shelfLifeMonths: null });
    expect(byName['棉被']).toMatchObject({ unit: '床', sourceRows: 2, spec: null });
    expect(byName['编织袋']).toMatchObject({ topClass: 3, unit: '条' });
    expect(byName['抽水机']).toMatchObject({ topClass: 2 });
    expect(byName['一次性医用外科口罩']).toMatchObject({ topClass: 1, unit: '只', shelfLifeMonths: 24 });
    expect(items.every((i) => /^WZ\d{4}$/.test(i.code) && !('gbCode' in i))).toBe(true);
  });
});
