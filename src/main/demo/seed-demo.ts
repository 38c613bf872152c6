/**
 * `seedDemo`: a small, realistic Qingdao depot network with six months of history, built through
 * the services (so the ledger, the balances and the audit chain agree), on a clock the seeder
 * moves itself. Deterministic: the same input date gives the same database.
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import { DEMO_FLAG } from '../services/settings.service';
import { addDays, localDate } from '../../shared/dates';
import { depotCreateInput } from '../../shared/schemas/depot';
import { materialCreateInput, quotaSetInput } from '../../shared/schemas/material';
import {
  belowQuotaInput,
  expiringInput,
  issueInput,
  receiveInput,
  reverseInput,
  scrapInput,
  transferInput,
} from '../../shared/schemas/stock';
import { stocktakeCountInput, stocktakeOpenInput } from '../../shared/schemas/stocktake';
import { userCreateInput, type Role, type UserDto } from '../../shared/schemas/user';
import type { App } from '../app';
import { FixedClock, type Actor, type ServiceContext } from '../services/context';
import { createDepot } from '../services/depot.service';
import { createMaterial } from '../services/material.service';
import { setQuota } from '../services/quota.service';
import {
  issueStock,
  receiveStock,
  reverseMovement,
  scrapStock,
  transferStock,
} from '../services/stock.service';
import { listBelowQuota, listExpiring } from '../services/stock-warnings.service';
import { approveStocktake, countStocktake, openStocktake } from '../services/stocktake.service';
import { createUser } from '../services/user.service';
import { write } from '../services/write';
import { loadCatalogue, type CatalogueItem } from './catalogue';
import { CITY_DEPOT, DISTRICTS, TOWNS, districtDepotName, townDepotName } from './places';
import { Random } from './random';
import { seedIncident } from './seed-incident';

/** The demo sign-ins (shown on the login screen of a demo database). */
export const DEMO_PASSWORD = 'Demo1234';
export const DEMO_ACCOUNTS: readonly {
  username: string;
  password: string;
  role: Role;
  displayName: string;
}[] = [
  { username: 'admin', password: DEMO_PASSWORD, role: 'admin', displayName: '系统管理员' },
  { username: 'coordinator', password: DEMO_PASSWORD, role: 'coordinator', displayName: '调度员 王明' },
  { username: 'keeper', password: DEMO_PASSWORD, role: 'keeper', displayName: '保管员 李强' },
  { username: 'staff', password: DEMO_PASSWORD, role: 'staff', displayName: '统计员 赵丽' },
];

export interface DemoSummary {
  depots: number;
  materials: number;
  users: number;
  quotas: number;
  batches: number;
  movements: number;
  documents: number;
  expiringBatches: number;
  expiredBatches: number;
  belowQuota: number;
  auditRecords: number;
}

/** Days of history before `now`. */
const HISTORY_DAYS = 180;

function toActor(user: UserDto): Actor {
  return {
    userId: user.userId,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    depotIds: user.depotIds,
  };
}

/** The date `months` before the day after `expiresOn`: a lot that expires exactly then. */
function producedFor(expiresOn: string, months: number): string {
  const d = new Date(`${addDays(expiresOn, 1)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));

/** Refuses to seed into a database that already has data. */
export async function assertEmpty(app: App): Promise<void> {
  const { n } = await sql<{
    n: number;
  }>`select (select count(*) from depots) + (select count(*) from materials) + (select count(*) from users) as n`
    .execute(app.db)
    .then((r) => r.rows[0]!);
  if (Number(n) > 0) throw new Error('demo data can only be created in an empty database');
}

/** Marks the database as demo data (and which set: 'scale' for the benchmark set), as of `at`. */
export async function markDemo(app: App, at: Date, kind?: 'scale'): Promise<void> {
  const marks = { [DEMO_FLAG]: 'true', ...(kind ? { 'demo.kind': kind } : {}) };
  await write(
    { ...app.svc, clock: { ...app.svc.clock, now: () => at } },
    null,
    'demo.mark',
    async (trx, { iso }) => {
      for (const [key, value] of Object.entries(marks)) {
        await trx
          .insertInto('settings')
          .values({ key, value, updatedAt: iso })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value, updatedAt: iso }))
          .execute();
      }
      return { result: undefined, audit: { entityType: 'settings', entityId: null, after: marks } };
    },
  );
}

export async function seedDemo(app: App, options: { now?: Date } = {}): Promise<DemoSummary> {
  await assertEmpty(app);
  const now = options.now ?? app.svc.clock.now();
  const today = localDate(now);
  const start = addDays(today, -HISTORY_DAYS);
  const clock = new FixedClock(now);
  const ctx: ServiceContext = { ...app.svc, clock };
  const rnd = new Random(20261130);

  /** Moves the clock to a local (Asia/Shanghai) time on day `n` of the history (0 = first day). */
  const at = (n: number, time: string) => {
    clock.current = new Date(`${addDays(start, n)}T${time}:00+08:00`);
  };
  const dayDate = (n: number) => addDays(start, n);

  // ---- Users, depots, catalogue, quotas (day 0) ----------------------------------------------
  at(0, '08:30');
  const [adminAccount, coordinatorAccount, keeperAccount, staffAccount] = DEMO_ACCOUNTS as [
    (typeof DEMO_ACCOUNTS)[number],
    (typeof DEMO_ACCOUNTS)[number],
    (typeof DEMO_ACCOUNTS)[number],
    (typeof DEMO_ACCOUNTS)[number],
  ];
  const account = (a: (typeof DEMO_ACCOUNTS)[number], depotIds: number[] = []) =>
    userCreateInput.parse({
      username: a.username,
      displayName: a.displayName,
      role: a.role,
      password: a.password,
      depotIds,
    });
  // firstOnly: checked inside the write, so a set-up screen creating an administrator at the same moment wins or loses cleanly.
  const admin = toActor(await createUser(ctx, null, account(adminAccount), { firstOnly: true }));

  at(0, '09:00');
  const depot = async (input: z.input<typeof depotCreateInput>) =>
    createDepot(ctx, admin, depotCreateInput.parse(input));
  const city = await depot({
    code: CITY_DEPOT.code,
    name: CITY_DEPOT.name,
    level: 'city',
    address: CITY_DEPOT.address,
    capacityNote: '市级综合储备库（演示数据）',
  });
  const districtDepots = new Map<string, Awaited<ReturnType<typeof depot>>>();
  for (const d of DISTRICTS) {
    districtDepots.set(
      d.code,
      await depot({
        code: d.code,
        name: districtDepotName(d.name),
        level: 'district',
        parentId: city.depotId,
        address: `山东省青岛市${d.name}`,
        latitude: d.latitude,
        longitude: d.longitude,
      }),
    );
  }
  const townDepots = new Map<string, Awaited<ReturnType<typeof depot>>>();
  for (const t of TOWNS) {
    const parent = districtDepots.get(t.district)!;
    const districtName = DISTRICTS.find((d) => d.code === t.district)!.name;
    townDepots.set(
      t.code,
      await depot({
        code: t.code,
        name: townDepotName(t.name),
        level: 'town',
        parentId: parent.depotId,
        address: `山东省青岛市${districtName}${t.name}`,
      }),
    );
  }
  const laoshan = districtDepots.get('QD-LS')!;
  const huangdao = districtDepots.get('QD-HD')!;
  const jiaozhou = districtDepots.get('QD-JZ')!;
  const shinan = districtDepots.get('QD-SN')!;
  const shazikou = townDepots.get('QD-LS-SZK')!;
  const wanggezhuang = townDepots.get('QD-LS-WGZ')!;
  const jiaodong = townDepots.get('QD-JZ-JD')!;

  at(0, '09:40');
  const catalogue = loadCatalogue();
  const materials = new Map<string, { materialId: number; item: CatalogueItem }>();
  const byName = new Map<string, { materialId: number; item: CatalogueItem }>();
  for (const item of catalogue) {
    const dto = await createMaterial(
      ctx,
      admin,
      materialCreateInput.parse({
        code: item.code,
        name: item.name,
        spec: item.spec,
        unit: item.unit,
        topClass: item.topClass,
        category: item.category,
        shelfLifeMonths: item.shelfLifeMonths,
        warningDays: item.warningDays,
        referencePriceFen: item.referencePriceFen,
      }),
    );
    const entry = { materialId: dto.materialId, item };
    materials.set(item.code, entry);
    const key = `${item.name}|${item.spec ?? ''}`;
    if (!byName.has(key)) byName.set(key, entry);
  }
  const mat = (name: string, spec: string | null = null) => {
    const m = byName.get(`${name}|${spec ?? ''}`);
    if (!m) throw new Error(`demo catalogue has no ${name} ${spec ?? ''}`);
    return m;
  };
  const tent = mat('救灾专用单帐篷', '12㎡');
  const quilt = mat('棉被');
  const blanket = mat('军用毛毯');
  const bed = mat('折叠床');
  const bag = mat('编织袋');
  const jacket = mat('救生衣');
  const spade = mat('铁锹');
  const lamp = mat('应急照明灯');
  const raincoat = mat('雨衣');
  const torch = mat('手电筒', '带电池');
  const water = mat('矿泉水');
  const mask = mat('一次性医用外科口罩', '单只独立包装');
  const suit = mat('防护服');
  const disinfectant = mat('消毒剂');
  const ration = mat('野战食品');
  const cement = mat('水泥');

  at(0, '10:30');
  const coordinator = toActor(await createUser(ctx, admin, account(coordinatorAccount)));
  const keeper = toActor(
    await createUser(ctx, admin, account(keeperAccount, [city.depotId, laoshan.depotId])),
  );
  await createUser(ctx, admin, account(staffAccount));
  /** Who records a movement in a depot: the keeper in his depots, the coordinator elsewhere. */
  const writerFor = (depotId: number) => (keeper.depotIds.includes(depotId) ? keeper : coordinator);

  // ---- Opening stock (days 1–2) --------------------------------------------------------------
  let lotSeq = 0;
  const lotNo = (producedOn: string) => {
    lotSeq += 1;
    return `${producedOn.slice(2).replaceAll('-', '')}${'ABCDEFGH'[lotSeq % 8]}${String(lotSeq).padStart(3, '0')}`;
  };
  type Line = z.input<typeof receiveInput>['lines'][number];
  /** A receipt line for a new lot, produced some days before `receivedOn`. */
  const newLot = (
    m: { materialId: number; item: CatalogueItem },
    quantity: number,
    receivedOn: string,
    supplier?: string,
  ): Line => {
    const shelf = m.item.shelfLifeMonths;
    const producedOn = addDays(receivedOn, -(shelf ? rnd.int(5, 40) : rnd.int(30, 720)));
    return {
      materialId: m.materialId,
      quantity,
      lotNo: lotNo(producedOn),
      producedOn,
      supplier: supplier ?? null,
      unitPriceFen: m.item.referencePriceFen,
    };
  };
  /** A lot that expires on a given date (relative to today): the expiring and expired examples. */
  const lotExpiring = (
    m: { materialId: number; item: CatalogueItem },
    quantity: number,
    daysFromToday: number,
  ): Line => {
    const expiresOn = addDays(today, daysFromToday);
    const producedOn = producedFor(expiresOn, m.item.shelfLifeMonths!);
    return {
      materialId: m.materialId,
      quantity,
      lotNo: lotNo(producedOn),
      producedOn,
      expiresOn,
      supplier: null,
      unitPriceFen: m.item.referencePriceFen,
    };
  };
  const receive = async (
    depotId: number,
    source: z.input<typeof receiveInput>['source'],
    lines: Line[],
    note?: string,
  ) => {
    const input = receiveInput.parse({ depotId, source, note, lines });
    return receiveStock(ctx, writerFor(depotId), input);
  };

  const perishable = (item: CatalogueItem) => item.shelfLifeMonths !== null;
  const durable = catalogue.filter((i) => !perishable(i)).map((i) => materials.get(i.code)!);

  // City: every durable material, in one or two lots; the Qingdao need-list items near their quota.
  at(1, '09:10');
  {
    const received = dayDate(1);
    const lines: Line[] = [];
    for (const m of durable) {
      const need = m.item.qingdaoNeed;
      const total =
        need !== null
          ? Math.round(need * (m === quilt ? 0.86 : 1 + rnd.next() * 0.2))
          : clamp(Math.round(m.item.refQuantity * (0.2 + rnd.next() * 0.2)), 1, 20_000);
      if (total >= 20) {
        const first = Math.round(total * 0.6);
        lines.push(
          newLot(m, first, received, '演示供应商甲'),
          newLot(m, total - first, received, '演示供应商乙'),
        );
      } else {
        lines.push(newLot(m, total, received, '演示供应商甲'));
      }
    }
    lines.push(
      lotExpiring(mask, 2000, -12),
      newLot(mask, 3000, received, '演示供应商丙'),
      lotExpiring(suit, 800, 75),
      newLot(suit, 1200, received, '演示供应商丙'),
      lotExpiring(water, 1500, 20),
      newLot(water, 3000, received, '演示供应商丙'),
      newLot(ration, 2000, received, '演示供应商丙'),
      newLot(disinfectant, 2, received, '演示供应商丙'),
    );
    await receive(city.depotId, 'opening', lines, '系统启用，期初库存录入');
  }

  // Districts: the core items and about a third of the rest.
  const core = [tent, quilt, bed, bag, jacket, spade, lamp, raincoat, torch];
  const districtOpening = new Map<number, Map<number, number>>();
  for (const [i, d] of DISTRICTS.entries()) {
    const dep = districtDepots.get(d.code)!;
    at(1, `${String(10 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '05'}`);
    const chosen = durable.filter((m) => core.includes(m) || rnd.chance(0.33));
    const held = new Map<number, number>();
    const lines = chosen.map((m) => {
      const need = m.item.qingdaoNeed;
      const quantity =
        need !== null
          ? Math.max(1, Math.round(need * (0.08 + rnd.next() * 0.07)))
          : clamp(Math.round(m.item.refQuantity * (0.02 + rnd.next() * 0.06)), 1, 5_000);
      held.set(m.materialId, quantity);
      return newLot(m, quantity, dayDate(1), '演示供应商甲');
    });
    if (i % 3 === 0) lines.push(newLot(water, 200 + rnd.int(0, 300), dayDate(1), '演示供应商丙'));
    districtOpening.set(dep.depotId, held);
    await receive(dep.depotId, 'opening', lines, '系统启用，期初库存录入');
  }

  // Towns: a little of what a street office hands out first.
  const townCore = [tent, quilt, bed, bag, jacket, spade, raincoat, torch];
  for (const [i, t] of TOWNS.entries()) {
    at(2, `${String(9 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '40' : '10'}`);
    const dep = townDepots.get(t.code)!;
    const lines = townCore.map((m) => {
      const need = m.item.qingdaoNeed;
      const quantity =
        need !== null
          ? Math.max(2, Math.round(need * (0.01 + rnd.next() * 0.02)))
          : clamp(Math.round(m.item.refQuantity * (0.003 + rnd.next() * 0.007)), 2, 600);
      return newLot(m, quantity, dayDate(2), '演示供应商甲');
    });
    await receive(dep.depotId, 'opening', lines, '系统启用，期初库存录入');
  }

  // ---- Quotas (储备定额) -------------------------------------------------------------------
  at(3, '09:00');
  const quota = (depotId: number, materialId: number, quantity: number) =>
    setQuota(ctx, admin, quotaSetInput.parse({ depotId, materialId, quantity }));
  for (const m of catalogue) {
    if (m.qingdaoNeed !== null) await quota(city.depotId, materials.get(m.code)!.materialId, m.qingdaoNeed);
  }
  for (const dep of districtDepots.values()) {
    const held = districtOpening.get(dep.depotId)!;
    for (const m of [tent, quilt, bed, bag, jacket]) {
      const opening = held.get(m.materialId) ?? 0;
      const q = Math.max(10, Math.round((opening * (0.5 + rnd.next() * 0.45)) / 10) * 10);
      await quota(dep.depotId, m.materialId, q);
    }
  }
  await quota(shazikou.depotId, jacket.materialId, 50);

  // ---- Six months of movements ---------------------------------------------------------------
  const available = async (depotId: number, materialId: number) => {
    const row = await ctx.db
      .selectFrom('stockLevels')
      .select(['onHand', 'reserved'])
      .where('depotId', '=', depotId)
      .where('materialId', '=', materialId)
      .executeTakeFirst();
    return row ? row.onHand - row.reserved : 0;
  };
  /** Durable materials a depot holds (available > 1). */
  const holdings = async (depotId: number) => {
    const rows = await ctx.db
      .selectFrom('stockLevels as sl')
      .innerJoin('materials as m', 'm.materialId', 'sl.materialId')
      .select(['sl.materialId', 'sl.onHand', 'sl.reserved'])
      .where('sl.depotId', '=', depotId)
      .where('m.shelfLifeMonths', 'is', null)
      .orderBy('sl.materialId')
      .execute();
    return rows
      .filter((r) => r.onHand - r.reserved > 1)
      .map((r) => ({ materialId: r.materialId, available: r.onHand - r.reserved }));
  };
  const issue = async (
    depotId: number,
    recipient: string,
    reason: string,
    lines: { materialId: number; quantity: number; batchId?: number }[],
  ) => issueStock(ctx, writerFor(depotId), issueInput.parse({ depotId, recipient, reason, lines }));
  const transfer = async (
    fromDepotId: number,
    toDepotId: number,
    note: string,
    lines: { materialId: number; quantity: number }[],
  ) => {
    const sized = [];
    for (const l of lines) {
      const q = Math.min(l.quantity, Math.floor((await available(fromDepotId, l.materialId)) * 0.5));
      if (q > 0) sized.push({ materialId: l.materialId, quantity: q });
    }
    if (sized.length > 0)
      await transferStock(
        ctx,
        writerFor(fromDepotId),
        transferInput.parse({ fromDepotId, toDepotId, note, lines: sized }),
      );
  };

  const reasons = [
    '防汛应急抢险',
    '台风防御物资前置',
    '受灾群众临时安置',
    '防汛应急演练',
    '困难群众冬季救助',
    '火灾受灾群众救助',
  ];
  const districtByDepot = new Map(
    [...districtDepots].map(([code, dep]) => [dep.depotId, DISTRICTS.find((d) => d.code === code)!]),
  );
  const townByDepot = new Map(
    [...townDepots].map(([code, dep]) => [dep.depotId, TOWNS.find((t) => t.code === code)!]),
  );
  const recipientFor = (depotId: number) => {
    if (depotId === city.depotId) return `${rnd.pick(DISTRICTS).name}应急管理局`;
    const district = districtByDepot.get(depotId);
    if (district) return `${rnd.pick(district.streets)}办事处`;
    return `${townByDepot.get(depotId)!.name}受灾群众临时安置点`;
  };
  const issuers = [
    city.depotId,
    city.depotId,
    city.depotId,
    ...[...districtDepots.values()].map((d) => d.depotId),
    shazikou.depotId,
    jiaodong.depotId,
  ];
  const randomIssue = async () => {
    const depotId = rnd.pick(issuers);
    const held = await holdings(depotId);
    if (held.length === 0) return;
    const lines = rnd
      .shuffle(held)
      .slice(0, rnd.int(1, 3))
      .map((h) => ({
        materialId: h.materialId,
        quantity: Math.max(1, Math.floor(h.available * (0.04 + rnd.next() * 0.1))),
      }));
    await issue(depotId, recipientFor(depotId), rnd.pick(reasons), lines);
  };
  const procurement = async (day: number, supplier: string) => {
    const picks = rnd.shuffle(durable).slice(0, rnd.int(3, 5));
    const lines = picks.map((m) =>
      newLot(
        m,
        clamp(Math.round(m.item.refQuantity * (0.03 + rnd.next() * 0.05)), 1, 5_000),
        dayDate(day),
        supplier,
      ),
    );
    await receive(city.depotId, 'procurement', lines, '年度储备采购入库');
  };

  /** Events run in time order; each starts with the clock at its local time. */
  const events: { day: number; time: string; run: () => Promise<unknown> }[] = [];
  const on = (day: number, time: string, run: () => Promise<unknown>) => events.push({ day, time, run });
  for (let i = 0; i < 60; i += 1) {
    const time = `${String(rnd.int(9, 16)).padStart(2, '0')}:${String(rnd.int(0, 59)).padStart(2, '0')}`;
    on(6 + Math.floor(i * 2.5) + rnd.int(0, 2), time, randomIssue);
  }
  for (const [i, day] of [20, 50, 80, 110, 140, 170].entries())
    on(day, '10:20', () => procurement(day, ['演示供应商甲', '演示供应商乙', '演示供应商丙'][i % 3]!));
  on(5, '14:00', async () => {
    await receive(laoshan.depotId, 'procurement', [lotExpiring(disinfectant, 3, 35)], '防疫消杀物资');
  });
  on(10, '15:10', async () => {
    await receive(huangdao.depotId, 'callUp', [lotExpiring(ration, 600, -25)], '协议储备企业调入');
  });
  on(30, '10:00', async () => {
    await receive(shazikou.depotId, 'procurement', [lotExpiring(water, 300, 10)], '汛前饮用水储备');
  });
  on(35, '15:30', async () => {
    await receive(
      city.depotId,
      'donation',
      [
        newLot(quilt, 500, dayDate(35), '社会捐赠（演示）'),
        newLot(blanket, 300, dayDate(35), '社会捐赠（演示）'),
      ],
      '爱心企业捐赠',
    );
  });
  on(40, '09:45', async () => {
    await issue(city.depotId, '市北区应急管理局', '疫情防控物资保障', [
      { materialId: mask.materialId, quantity: 500 },
    ]);
  });
  on(60, '08:50', async () => {
    await transfer(city.depotId, huangdao.depotId, '汛期前置：帐篷、棉被调拨黄岛区', [
      { materialId: tent.materialId, quantity: 200 },
      { materialId: quilt.materialId, quantity: 300 },
    ]);
  });
  on(88, '11:00', async () => {
    const expiresOn = addDays(today, -5);
    const producedOn = producedFor(expiresOn, 3);
    await receive(
      jiaozhou.depotId,
      'procurement',
      [{ materialId: cement.materialId, quantity: 100, lotNo: lotNo(producedOn), producedOn, expiresOn }],
      '堤防抢险备料',
    );
  });
  on(95, '16:20', async () => {
    await receive(
      laoshan.depotId,
      'donation',
      [newLot(jacket, 100, dayDate(95), '社会捐赠（演示）')],
      '渔业协会捐赠救生衣',
    );
  });
  on(100, '09:30', async () => {
    await transfer(city.depotId, laoshan.depotId, '沿海防台：编织袋、救生衣调拨崂山区', [
      { materialId: bag.materialId, quantity: 5_000 },
      { materialId: jacket.materialId, quantity: 100 },
    ]);
  });
  on(112, '10:40', async () => {
    await receive(jiaozhou.depotId, 'procurement', [lotExpiring(cement, 80, 18)], '堤防抢险备料');
  });
  on(120, '15:00', async () => {
    const batch = await ctx.db
      .selectFrom('batchBalances')
      .select(['batchId', 'onHand'])
      .where('depotId', '=', laoshan.depotId)
      .where('materialId', '=', tent.materialId)
      .where('onHand', '>=', 2)
      .orderBy('batchId')
      .executeTakeFirst();
    if (batch) {
      await scrapStock(
        ctx,
        keeper,
        scrapInput.parse({
          depotId: laoshan.depotId,
          reason: '库房漏雨受潮霉变，经鉴定报废',
          lines: [{ batchId: batch.batchId, quantity: 2 }],
        }),
      );
    }
  });
  on(130, '10:15', async () => {
    await transfer(laoshan.depotId, shazikou.depotId, '渔港防台：救生衣、编织袋下沉沙子口', [
      { materialId: jacket.materialId, quantity: 20 },
      { materialId: bag.materialId, quantity: 500 },
    ]);
  });
  on(140, '14:05', async () => {
    const avail = await available(shinan.depotId, bag.materialId);
    if (avail < 20) return;
    const correct = Math.max(1, Math.floor(avail * 0.05));
    const wrong = Math.min(avail, correct * 10);
    const posted = await issue(shinan.depotId, '八大湖街道办事处', '防汛应急抢险', [
      { materialId: bag.materialId, quantity: wrong },
    ]);
    at(140, '14:35');
    await reverseMovement(
      ctx,
      coordinator,
      reverseInput.parse({
        movementId: posted.movements[0]!.movementId,
        reason: '数量多录一位，红冲后重新出库',
      }),
    );
    at(140, '14:40');
    await issue(shinan.depotId, '八大湖街道办事处', '防汛应急抢险', [
      { materialId: bag.materialId, quantity: correct },
    ]);
  });
  on(150, '09:20', async () => {
    await transfer(jiaozhou.depotId, jiaodong.depotId, '胶东街道防汛物资补充', [
      { materialId: bag.materialId, quantity: 1_000 },
      { materialId: spade.materialId, quantity: 50 },
    ]);
  });
  on(155, '11:30', async () => {
    await receive(
      jiaozhou.depotId,
      'procurement',
      [newLot(cement, 60, dayDate(155), '演示供应商乙')],
      '堤防抢险备料',
    );
  });
  on(165, '09:00', async () => {
    const st = await openStocktake(
      ctx,
      coordinator,
      stocktakeOpenInput.parse({ depotId: wanggezhuang.depotId, note: '半年度盘点' }),
    );
    at(165, '11:30');
    const counts = st.lines.map((l, i) => {
      if (i === 0 && l.bookQuantity >= 2)
        return { lineId: l.lineId, countedQuantity: l.bookQuantity - 2, reason: '搬运破损，账实不符' };
      if (i === 1)
        return { lineId: l.lineId, countedQuantity: l.bookQuantity + 1, reason: '前次出库少发一件' };
      return { lineId: l.lineId, countedQuantity: l.bookQuantity };
    });
    await countStocktake(
      ctx,
      coordinator,
      stocktakeCountInput.parse({ stocktakeId: st.stocktakeId, counts }),
    );
    at(165, '15:00');
    await approveStocktake(ctx, coordinator, st.stocktakeId);
  });
  on(172, '10:00', async () => {
    await receive(
      city.depotId,
      'procurement',
      [newLot(water, 2_000, dayDate(172), '演示供应商丙')],
      '饮用水轮换补充',
    );
  });

  events.sort((a, b) => a.day - b.day || a.time.localeCompare(b.time));
  for (const e of events) {
    at(e.day, e.time);
    await e.run();
  }
  await seedIncident({
    ctx,
    at,
    dayDate,
    today: HISTORY_DAYS,
    now,
    coordinator,
    keeper,
    depots: {
      laoshan: laoshan.depotId,
      jiaozhou: jiaozhou.depotId,
      huangdao: huangdao.depotId,
      shinan: shinan.depotId,
    },
    materials: {
      tent: tent.materialId,
      jacket: jacket.materialId,
      quilt: quilt.materialId,
      bed: bed.materialId,
      bag: bag.materialId,
      spade: spade.materialId,
      raincoat: raincoat.materialId,
      lamp: lamp.materialId,
    },
  });

  // ---- Mark and summarise ----------------------------------------------------------------------
  clock.current = now;
  await markDemo(app, now);
  const expiring = await listExpiring(ctx, expiringInput.parse({}));
  const below = await listBelowQuota(ctx.db, belowQuotaInput.parse({}));
  const count = (table: 'depots' | 'materials' | 'users' | 'quotas' | 'batches' | 'movements' | 'auditLog') =>
    app.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  const documents = await app.db
    .selectFrom('movements')
    .select((eb) => eb.fn.count<number>('docNo').distinct().as('n'))
    .executeTakeFirstOrThrow();
  return {
    depots: await count('depots'),
    materials: await count('materials'),
    users: await count('users'),
    quotas: await count('quotas'),
    batches: await count('batches'),
    movements: await count('movements'),
    documents: Number(documents.n),
    expiringBatches: expiring.rows.filter((r) => r.status === 'expiring').length,
    expiredBatches: expiring.rows.filter((r) => r.status === 'expired').length,
    belowQuota: below.rows.length,
    auditRecords: await count('auditLog'),
  };
}
