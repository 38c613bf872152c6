/** Demo data: the small realistic database (seedDemo) and the benchmark generator (seedScale). */
import { DEMO_ACCOUNTS, seedDemo, seedScale } from '../../src/main/demo';
import { buildCatalogue, cleanSpec } from '../../src/main/demo/catalogue';
import { DISTRICTS } from '../../src/main/demo/places';
import { csvRecords, parseCsv } from '../../src/main/demo/csv';
import { countOf, demoEnv } from './demo-env';
import { STORE } from './harness';
import { MOVEMENT_TYPES } from '../../src/shared/schemas/stock';
import { checkLedger } from '../../src/main/services/ledger-check.service';

jest.setTimeout(120_000);

let env: Awaited<ReturnType<typeof demoEnv>>;
beforeEach(async () => {
  env = await demoEnv();
});
afterEach(() => env.close());

const login = async (username: string, password: string) =>
  (await env.call(undefined, 'auth.login', { username, password })).token;

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
    expect(await env.call(admin, 'audit.verify')).toMatchObject({
      ok: true,
      records: summary.auditRecords + 1,
    });

    const districts = await env.call(admin, 'depot.list', { level: 'district' });
    expect(districts.map((d) => d.name).sort()).toEqual(
      ['市南区', '市北区', '李沧区', '崂山区', '黄岛区', '城阳区', '即墨区', '胶州市', '平度市', '莱西市']
        .map((n) => `${n}应急物资储备库`)
        .sort(),
    );
    const city = (await env.call(admin, 'depot.list', { level: 'city' }))[0]!;
    expect(city.name).toBe('青岛市级应急物资储备库');
    expect(districts.every((d) => d.parentId === city.depotId)).toBe(true);
    const towns = await env.call(admin, 'depot.list', { level: 'town' });
    expect(towns.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        '沙子口街道应急物资储备点',
        '王哥庄街道应急物资储备点',
        '胶东街道应急物资储备点',
      ]),
    );

    const expiring = await env.call(admin, 'stock.expiring', {});
    expect(expiring.rows.filter((r) => r.status === 'expiring').length).toBeGreaterThan(0);
    expect(expiring.rows.filter((r) => r.status === 'expired').length).toBeGreaterThan(0);
    expect(summary.expiringBatches).toBeGreaterThan(0);
    expect(summary.expiredBatches).toBeGreaterThan(0);

    const below = await env.call(admin, 'stock.belowQuota', {});
    expect(new Set(below.rows.map((r) => r.depotId)).size).toBeGreaterThanOrEqual(1);
    expect(below.rows.length).toBe(summary.belowQuota);

    // Every kind of movement the brief asks for is in the history.
    const types = await env.app.db.selectFrom('movements').select('type').distinct().execute();
    expect(types.map((t) => t.type).sort()).toEqual([...MOVEMENT_TYPES].sort());
    // The typhoon: requests in every stage the screens show, orders delivered, on the road (one late), waiting.
    const [incident] = await env.call(admin, 'incident.list', {});
    const scene = await env.call(admin, 'incident.summary', { incidentId: incident!.incidentId });
    expect(scene.requestsByStatus).toEqual({ completed: 2, submitted: 1, dispatching: 1 });
    expect(scene.deliveriesByStatus).toMatchObject({ delivered: expect.any(Number), dispatched: 1 });
    expect(scene.overdue).toBeGreaterThanOrEqual(1);
    expect(scene.materials.some((m) => m.shortfall === 2 && m.returned === 0)).toBe(true);
    expect(scene.materials.some((m) => m.returned > 0)).toBe(true);
    expect((await checkLedger(env.app.svc)).ok).toBe(true);
    const approved = await env.app.db
      .selectFrom('stocktakes')
      .select('stocktakeId')
      .where('status', '=', 'approved')
      .execute();
    expect(approved).toHaveLength(1);
    // History spans months, never reaches past "now".
    const span = await env.app.db
      .selectFrom('movements')
      .select((eb) => [
        eb.fn.min<string>('occurredAt').as('first'),
        eb.fn.max<string>('occurredAt').as('last'),
      ])
      .executeTakeFirstOrThrow();
    expect(span.first < '2026-07-01').toBe(true);
    expect(span.last < '2026-11-30T02:00:00.000Z').toBe(true);
    // No invented GB/T 38565 codes; top class always set.
    expect(
      await env.app.db.selectFrom('materials').select('code').where('gbCode', 'is not', null).execute(),
    ).toEqual([]);
    expect(
      await env.app.db
        .selectFrom('materials')
        .select('code')
        .where('topClass', 'not in', [1, 2, 3])
        .execute(),
    ).toEqual([]);
    expect(
      await env.app.db.selectFrom('settings').select('value').where('key', '=', 'demo').execute(),
    ).toEqual([{ value: 'true' }]);

    for (const account of DEMO_ACCOUNTS) {
      const result = await env.call(undefined, 'auth.login', {
        username: account.username,
        password: account.password,
      });
      expect(result.user.role).toBe(account.role);
      if (account.role === 'keeper') {
        const laoshan = districts.find((d) => d.name === '崂山区应急物资储备库')!;
        expect(result.user.depotIds.sort()).toEqual([city.depotId, laoshan.depotId].sort());
      }
    }
  });

  test('is deterministic and refuses a database that already has data', async () => {
    const first = await seedDemo(env.app);
    const rows = (app: typeof env.app) =>
      app.db
        .selectFrom('movements')
        .select(['docNo', 'type', 'depotId', 'materialId', 'quantity', 'occurredAt'])
        .orderBy('movementId')
        .execute();
    const ledger = await rows(env.app);
    expect(ledger.length).toBe(first.movements);
    await expect(seedDemo(env.app)).rejects.toThrow(/empty/);

    const other = await demoEnv();
    try {
      expect(await seedDemo(other.app)).toEqual(first);
      expect(await rows(other.app)).toEqual(ledger);
    } finally {
      await other.close();
    }
  });
});

describe('seedScale', () => {
  // Its bulk loader is the embedded store's (demo-scale-sqlite.test.ts tests what it builds); a
  // PostgreSQL server gets the data set with transfer-data, and seedScale says so, writing nothing.
  (STORE === 'postgres' ? test : test.skip)(
    'on PostgreSQL, refuses before writing anything and names the way',
    async () => {
      await expect(
        seedScale(env.app, { depots: 3, materials: 20, batches: 200, movements: 2_000 }),
      ).rejects.toThrow(/transfer-data/);
      for (const table of ['depots', 'materials', 'users', 'movements', 'auditLog'] as const)
        expect([table, await countOf(env.app, table)]).toEqual([table, 0]);
    },
  );
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
      {
        category: '帐篷',
        name: '救灾专用单帐篷',
        spec: '12㎡;单价1320元/顶;小计264万元',
        unit: '顶',
        quantity: '2000',
        source: '青岛市应急管理局',
      },
      { category: '被服', name: '棉被', spec: '现有库存', unit: '', quantity: '149', source: '' },
      { category: '被服', name: '棉被', spec: "原文'2.64万床'", unit: '床', quantity: '26400', source: '' },
      { category: '防汛物料', name: '编织袋', spec: '', unit: '条', quantity: '700000', source: '' },
      {
        category: '医疗防疫',
        name: '一次性医用外科口罩',
        spec: '单只独立包装',
        unit: '',
        quantity: '5000',
        source: '',
      },
      { category: '排水泵', name: '抽水机', spec: '', unit: '台', quantity: '862', source: '' },
    ]);
    const byName = Object.fromEntries(items.map((i) => [i.name, i]));
    expect(items).toHaveLength(5);
    expect(byName['救灾专用单帐篷']).toMatchObject({
      topClass: 1,
      category: '帐篷',
      unit: '顶',
      spec: '12㎡',
      referencePriceFen: 132000,
      qingdaoNeed: 2000,
      shelfLifeMonths: null,
    });
    expect(byName['棉被']).toMatchObject({ unit: '床', sourceRows: 2, spec: null });
    expect(byName['编织袋']).toMatchObject({ topClass: 3, unit: '条' });
    expect(byName['抽水机']).toMatchObject({ topClass: 2 });
    expect(byName['一次性医用外科口罩']).toMatchObject({ topClass: 1, unit: '只', shelfLifeMonths: 24 });
    expect(items.every((i) => /^WZ\d{4}$/.test(i.code) && !('gbCode' in i))).toBe(true);
  });
});
