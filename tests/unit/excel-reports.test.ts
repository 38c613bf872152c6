/**
 * Excel export of 调拨汇总, 配送跟踪, 预警清单 and 盘点差异表: each workbook read back with
 * SheetJS and its figures checked against what the services did (requests, orders and their
 * timers, warnings, stocktake counts); filters narrow the rows and are named in the 说明 sheet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { exportReport, type ExportRequest } from '../../src/main/excel/export';
import { createTestEnv, createWorld, deliverAllocation, type TestEnv } from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;
let dir: string;

beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
  dir = mkdtempSync(path.join(tmpdir(), 'relief-depot-reports-'));
  await env.call(w.admin.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [
      { materialId: w.tent.materialId, quantity: 500, lotNo: 'T-1', unitPriceFen: 132000 },
      { materialId: w.quilt.materialId, quantity: 300, lotNo: 'Q-1', expiresOn: '2026-12-10' },
      { materialId: w.jacket.materialId, quantity: 50, lotNo: 'J-OLD', expiresOn: '2026-12-31' },
    ],
  });
});
afterEach(async () => {
  await env.close();
  rmSync(dir, { recursive: true, force: true });
});

async function exported(report: ExportRequest['report'], options: Partial<ExportRequest> = {}) {
  const file = path.join(dir, `${report}.xlsx`);
  const { rows } = await exportReport(env.app.svc, {
    report,
    file,
    lang: 'zh-CN',
    exportedBy: '统计员 赵丽',
    ...options,
  });
  const wb = XLSX.readFile(file, { cellDates: true });
  const sheet = (name: string) =>
    XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[name]!, { header: 1, raw: true, defval: null });
  const about = Object.fromEntries(sheet(wb.SheetNames.at(-1)!).map((r) => [r[0], r[1]]));
  return { rows, names: wb.SheetNames, sheet, about };
}

/** The data rows of a sheet as objects keyed by header (row 2). */
function records(rows: unknown[][]): Record<string, unknown>[] {
  const header = rows[1] as string[];
  return rows.slice(2).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

async function typhoon() {
  const coordinator = await env.user('coordinator');
  return env.call(coordinator.token, 'incident.create', {
    type: 'typhoon',
    name: '台风“海葵”',
    responseLevel: 2,
    startedAt: '2026-11-29T20:00:00+08:00',
  });
}

test('调拨汇总 and 配送跟踪: lines with requested, approved, sources, sent and received; the timers; an incident filter', async () => {
  const incident = await typhoon();
  // 120 tents to 市南区 for the typhoon, 4 of them damaged on the way; 20 quilts outside it, still on the road.
  await deliverAllocation(env, {
    from: w.city.depotId,
    to: w.shinan.depotId,
    materialId: w.tent.materialId,
    quantity: 120,
    received: 116,
    incidentId: incident.incidentId,
  });
  await deliverAllocation(env, {
    from: w.city.depotId,
    materialId: w.quilt.materialId,
    quantity: 20,
    until: 'dispatched',
  });
  env.clock.advanceMinutes(5 * 60); // the quilts' planned arrival (2 h) is now 3 h past

  const all = await exported('allocations');
  expect(all.names).toEqual(['调拨汇总', '说明']);
  expect(all.rows).toEqual([2]);
  const lines = records(all.sheet('调拨汇总'));
  const tents = lines.find((r) => r['物资编码'] === w.tent.code)!;
  expect(tents).toMatchObject({
    事件: '台风“海葵”',
    申请单位: '市南区储备库',
    紧急程度: '紧急',
    送达地: '市南区储备库',
    国标编码: w.tent.gbCode ?? null,
    物资名称: w.tent.name,
    单位: w.tent.unit,
    申请数量: 120,
    批准数量: 120,
    '调出库（数量）': `${w.city.name} 120`,
    已发运: 120,
    已签收: 116,
  });
  const quilts = lines.find((r) => r['物资编码'] === w.quilt.code)!;
  expect(quilts).toMatchObject({
    申请单位: '街道办事处',
    送达地: '安置点',
    已发运: 20,
    已签收: 0,
    事件: null,
  });

  const one = await exported('allocations', { incidentId: incident.incidentId });
  expect(one.rows).toEqual([1]);
  expect(one.about['筛选条件']).toBe('事件：台风“海葵”');

  const tracking = await exported('deliveries');
  const orders = records(tracking.sheet('配送跟踪'));
  expect(orders).toHaveLength(2);
  const delivered = orders.find((r) => r['物资编码'] === w.tent.code)!;
  expect(delivered).toMatchObject({
    状态: '已送达',
    调出库: w.city.name,
    送达地: '市南区储备库',
    车牌号: '鲁B12345',
    驾驶员: '王师傅',
    计划数量: 120,
    实发数量: 120,
    实收数量: 116,
    '短少 / 破损': '破损 4',
    '超时（小时）': null,
  });
  expect(delivered['签收时间']).toBeInstanceOf(Date);
  const onTheRoad = orders.find((r) => r['物资编码'] === w.quilt.code)!;
  expect(onTheRoad).toMatchObject({ 状态: '在途', 实发数量: 20, 实收数量: null, 签收时间: null });
  // On the road for 5 hours so far, 3 past the planned arrival.
  expect(onTheRoad['在途用时（小时）']).toBe(5);
  expect(onTheRoad['超时（小时）']).toBe(3);
  expect(typeof onTheRoad['审批用时（小时）']).toBe('number');

  const english = await exported('deliveries', { incidentId: incident.incidentId, lang: 'en' });
  expect(english.names).toEqual(['Deliveries', 'About']);
  expect(records(english.sheet('Deliveries')).map((r) => r['Status'])).toEqual(['Delivered']);
});

test('a keeper’s copy of 调拨汇总, 配送跟踪 and 预警清单 holds the requests and orders of their depots, as their screens do, and says so', async () => {
  // Tents to 市南区 (signed for); quilts to a shelter, late on the road.
  await deliverAllocation(env, {
    from: w.city.depotId,
    to: w.shinan.depotId,
    materialId: w.tent.materialId,
    quantity: 120,
  });
  await deliverAllocation(env, {
    from: w.city.depotId,
    materialId: w.quilt.materialId,
    quantity: 20,
    until: 'dispatched',
  });
  env.clock.advanceMinutes(5 * 60);
  const shinan = { keeperDepotIds: [w.shinan.depotId] };
  const city = { keeperDepotIds: [w.city.depotId] };
  const codes = (rows: unknown[][]) => records(rows).map((r) => r['物资编码']);

  const requests = await exported('allocations', shinan);
  expect(codes(requests.sheet('调拨汇总'))).toEqual([w.tent.code]);
  expect(requests.about['筛选条件']).toBe(
    '保管员范围：市南区储备库（仅含这些储备库的申请和配送单，与其屏幕所见相同）',
  );
  // The city depot's keeper: no request is from or for it; both orders load there.
  expect((await exported('allocations', city)).rows).toEqual([0]);
  expect(codes((await exported('deliveries', city)).sheet('配送跟踪')).sort()).toEqual(
    [w.tent.code, w.quilt.code].sort(),
  );
  expect(codes((await exported('deliveries', shinan)).sheet('配送跟踪'))).toEqual([w.tent.code]);

  // The late quilts are the city keeper's to see, not 市南区's; stock warnings are everyone's.
  const late = async (options: Partial<ExportRequest>) =>
    records((await exported('warnings', options)).sheet('超时配送')).length;
  expect([await late(shinan), await late(city), await late({})]).toEqual([0, 1, 1]);
  const theirs = await exported('warnings', shinan);
  expect(records(theirs.sheet('库存预警')).length).toBe(
    records((await exported('warnings')).sheet('库存预警')).length,
  );
  // Stock reports are not narrowed, and do not claim to be.
  expect((await exported('inventory', shinan)).about['筛选条件']).not.toContain('保管员范围');
});

test('预警清单: expired and expiring lots, depots below quota, and late orders', async () => {
  await env.call(w.admin.token, 'quota.set', {
    depotId: w.city.depotId,
    materialId: w.tent.materialId,
    quantity: 800,
  });
  await deliverAllocation(env, {
    from: w.city.depotId,
    materialId: w.tent.materialId,
    quantity: 10,
    until: 'planned',
  });
  env.clock.advanceMinutes(3 * 60);
  const { names, sheet, rows } = await exported('warnings', { depotCode: w.city.code });
  expect(names).toEqual(['库存预警', '超时配送', '说明']);
  const stock = records(sheet('库存预警'));
  const quilts = stock.find((r) => r['物资编码'] === w.quilt.code)!;
  expect(quilts).toMatchObject({ 预警类型: '临期', 批号: 'Q-1', '数量（批次结存或可用）': 300 });
  expect(quilts['有效期至']).toBeInstanceOf(Date);
  const short = stock.find((r) => r['预警类型'] === '低于储备定额')!;
  // 500 on hand, 10 promised: 490 available against a quota of 800.
  expect(short).toMatchObject({
    储备库: w.city.name,
    物资编码: w.tent.code,
    '数量（批次结存或可用）': 490,
    储备定额: 800,
    缺口: 310,
  });
  const late = records(sheet('超时配送'));
  expect(late).toHaveLength(1);
  expect(late[0]).toMatchObject({ 状态: '待发车', 调出库: w.city.name, '超时（小时）': 1 });
  expect(rows).toEqual([stock.length, 1]);
});

test('盘点差异表: counted lots that differ from the book, with the difference in yuan totalled', async () => {
  const keeper = await env.user('keeper', [w.city.depotId]);
  const take = await env.call(keeper.token, 'stocktake.open', { depotId: w.city.depotId });
  const line = (lot: string) => take.lines.find((l) => l.lotNo === lot)!;
  await env.call(keeper.token, 'stocktake.count', {
    stocktakeId: take.stocktakeId,
    counts: [
      { lineId: line('T-1').lineId, countedQuantity: 497, reason: '破损 3 顶' },
      { lineId: line('Q-1').lineId, countedQuantity: 300 },
      { lineId: line('J-OLD').lineId, countedQuantity: 52, reason: '漏记' },
    ],
  });
  const { sheet, rows, about } = await exported('stocktake', { depotCode: w.city.code });
  const diff = sheet('盘点差异表');
  const body = records(diff).slice(0, -1);
  expect(rows).toEqual([2]);
  expect(
    body.map((r) => [r['批号'], r['账面数量'], r['实盘数量'], r['差异（盘盈为正）'], r['原因'], r['状态']]),
  ).toEqual([
    ['T-1', 500, 497, -3, '破损 3 顶', '盘点中'],
    ['J-OLD', 50, 52, 2, '漏记', '盘点中'],
  ]);
  // −3 tents at ¥1,320.00; the jackets carry no price.
  expect(body[0]!['差异金额（元）']).toBe(-3960);
  expect(diff.at(-1)![0]).toBe('合计');
  expect(diff.at(-1)!.at(-2)).toBe(-3960);
  expect(about['筛选条件']).toBe(`储备库：${w.city.name}`);
});

test('an incident that does not exist is refused and writes nothing', async () => {
  await expect(exported('deliveries', { incidentId: 999 })).rejects.toMatchObject({
    code: 'NOT_FOUND',
    key: 'incident.notFound',
  });
});
