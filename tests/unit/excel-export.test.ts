/**
 * Excel export, 库存台账: the workbook read back with SheetJS (values, formats, totals, the 说明
 * sheet) and with exceljs (frozen header, widths), and its figures checked against the database;
 * text that would start a formula is neutralised; a bad filter writes no file.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import * as XLSX from 'xlsx';
import { exportReport } from '../../src/main/excel/export';
import { auditHead } from '../../src/main/services/audit.service';
import { PRODUCT_VERSION } from '../../src/shared/version';
import { createTestEnv, createWorld, deliverAllocation, reserve, type TestEnv } from './harness';

let env: TestEnv;
let w: Awaited<ReturnType<typeof createWorld>>;
let dir: string;

beforeEach(async () => {
  env = await createTestEnv();
  w = await createWorld(env);
  dir = mkdtempSync(path.join(tmpdir(), 'relief-depot-export-'));
  await env.call(w.admin.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [
      {
        materialId: w.tent.materialId,
        quantity: 1200,
        lotNo: 'T-1',
        producedOn: '2026-01-05',
        unitPriceFen: 132000,
      },
      { materialId: w.tent.materialId, quantity: 800, lotNo: 'T-2', unitPriceFen: 130050 },
      {
        materialId: w.quilt.materialId,
        quantity: 300,
        lotNo: 'Q-1',
        supplier: '供应商甲',
        producedOn: '2026-03-01',
        expiresOn: '2031-03-01',
      },
    ],
  });
  await env.call(w.admin.token, 'stock.receive', {
    depotId: w.shinan.depotId,
    source: 'procurement',
    lines: [{ materialId: w.jacket.materialId, quantity: 40, lotNo: 'J-1', unitPriceFen: 8800 }],
  });
  await reserve(env, w.city.depotId, w.tent.materialId, 30);
  // 20 quilts on the road to 市南区储备库.
  await deliverAllocation(env, {
    from: w.city.depotId,
    to: w.shinan.depotId,
    materialId: w.quilt.materialId,
    quantity: 20,
    until: 'dispatched',
  });
});
afterEach(async () => {
  await env.close();
  rmSync(dir, { recursive: true, force: true });
});

const exportTo = (
  name: string,
  options: {
    report?: 'inventory' | 'movements';
    lang?: 'zh-CN' | 'en';
    depotCode?: string;
    from?: string;
    to?: string;
  } = {},
) =>
  exportReport(env.app.svc, {
    report: options.report ?? 'inventory',
    file: path.join(dir, name),
    lang: options.lang ?? 'zh-CN',
    depotCode: options.depotCode,
    from: options.from,
    to: options.to,
    exportedBy: '统计员 赵丽',
  });

function sheetRows(file: string, sheet: string): unknown[][] {
  const wb = XLSX.readFile(file, { cellDates: true });
  return XLSX.utils.sheet_to_json(wb.Sheets[sheet]!, { header: 1, raw: true, defval: null });
}

test('库存台账: headers, figures as the database has them, formats, totals and the 说明 sheet', async () => {
  const file = path.join(dir, 'inventory.xlsx');
  const { rows } = await exportTo('inventory.xlsx');
  expect(rows).toEqual([4, 4]);
  const wb = XLSX.readFile(file, { cellDates: true, cellNF: true });
  expect(wb.SheetNames).toEqual(['库存台账', '批次明细', '说明']);

  const ledger = sheetRows(file, '库存台账');
  expect(ledger[0]![0]).toMatch(/^库存台账（\d{4}-\d{2}-\d{2}）$/);
  expect(ledger[1]).toEqual([
    '储备库编码',
    '储备库',
    '物资编码',
    '国标编码',
    '物资名称',
    '规格型号',
    '单位',
    '账面库存',
    '已分配',
    '可用',
    '在途',
    '储备定额',
    '金额（元）',
  ]);
  const tentRow = ledger.find((r) => r[0] === 'QD-SJ' && r[2] === 'M0001')!;
  // 2,000 tents, 30 promised: value 1,200 × ¥1,320.00 + 800 × ¥1,300.50.
  expect(tentRow.slice(7)).toEqual([2000, 30, 1970, 0, null, 2_624_400]);
  const quiltRow = ledger.find((r) => r[0] === 'QD-SJ' && r[2] === 'M0002')!;
  expect(quiltRow.slice(7, 11)).toEqual([280, 0, 280, 0]);
  const shinanJackets = ledger.find((r) => r[0] === 'QD-SN' && r[2] === 'M0003')!;
  expect(shinanJackets.slice(7, 13)).toEqual([40, 0, 40, 0, null, 3520]);
  // The totals row sums money only (tents and quilts are not added together).
  expect(ledger.at(-1)).toEqual([
    '合计',
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    2_624_400 + 3520,
  ]);
  const levels = await env.app.db
    .selectFrom('stockLevels')
    .select(['onHand'])
    .where('onHand', '>', 0)
    .execute();
  // Every stock level held, and the one row of goods on the road to a depot holding none.
  expect(ledger.length - 3).toBe(levels.length + 1);

  // The quilts on the road show against their destination, which holds none of them yet.
  expect(ledger.find((r) => r[0] === 'QD-SN' && r[2] === 'M0002')!.slice(7)).toEqual([
    0,
    0,
    0,
    20,
    null,
    null,
  ]);

  const sheet = wb.Sheets['库存台账']!;
  // Every data row, not only the first: the cells of a column share one style.
  for (let r = 3; r <= 6; r += 1) expect(sheet[`H${r}`]).toMatchObject({ t: 'n', z: '#,##0' });
  expect(sheet['M3']).toMatchObject({ t: 'n', z: '#,##0.00' });
  expect(sheet['!autofilter']).toEqual({ ref: 'A2:M6' });
  expect(sheet['!merges']).toEqual([{ s: { r: 0, c: 0 }, e: { r: 0, c: 12 } }]);

  const lots = sheetRows(file, '批次明细');
  expect(lots[1]).toEqual([
    '储备库',
    '物资编码',
    '国标编码',
    '物资名称',
    '规格型号',
    '单位',
    '批号',
    '生产日期',
    '有效期至',
    '账面库存',
    '单价（元）',
    '金额（元）',
    '来源',
    '供应商',
  ]);
  const q1 = lots.find((r) => r[6] === 'Q-1')!;
  expect(q1[7]).toEqual(new Date('2026-03-01T00:00:00.000Z'));
  expect(q1[8]).toEqual(new Date('2031-03-01T00:00:00.000Z'));
  expect(q1.slice(9, 14)).toEqual([280, null, null, '采购', '供应商甲']);
  const t2 = lots.find((r) => r[6] === 'T-2')!;
  expect(t2.slice(9, 12)).toEqual([800, 1300.5, 1_040_400]);
  const lotSheet = wb.Sheets['批次明细']!;
  const q1Row = lots.indexOf(q1) + 1;
  expect(lotSheet[`H${q1Row}`]).toMatchObject({ t: 'd', z: 'yyyy-mm-dd' });
  expect(lots.at(-1)![11]).toBe(2_624_400 + 3520);

  const head = (await auditHead(env.app.db))!;
  expect(sheetRows(file, '说明')).toEqual([
    ['报表', '库存台账'],
    ['筛选条件', '无（全部）'],
    ['导出人', '统计员 赵丽'],
    ['导出时间', expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC\+8\)$/)],
    ['产品版本', `应急物资储备管理 ${PRODUCT_VERSION}`],
    ['行数', '库存台账：4 行；批次明细：4 行'],
    ['审计链', `${head.auditId}:${head.hash}`],
    [null, '记录号与哈希，可在系统中核对本文件反映的账簿状态'],
  ]);

  // Layout, as exceljs reads it back: the header stays in view, Chinese columns are wide enough.
  const back = new ExcelJS.Workbook();
  await back.xlsx.readFile(file);
  const ws = back.getWorksheet('库存台账')!;
  expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
  expect(ws.getRow(2).getCell(1).font).toMatchObject({ bold: true });
  expect(ws.getColumn(2).width).toBeGreaterThanOrEqual('青岛市级救灾物资储备库'.length * 2);
});

test('a depot filter narrows both sheets and is named; English headers when asked', async () => {
  const file = path.join(dir, 'shinan.xlsx');
  await exportTo('shinan.xlsx', { lang: 'en', depotCode: 'QD-SN' });
  const ledger = sheetRows(file, 'Inventory');
  expect(ledger[1]).toEqual([
    'Depot code',
    'Depot',
    'Material code',
    'GB/T 38565 code',
    'Material',
    'Specification',
    'Unit',
    'On hand',
    'Reserved',
    'Available',
    'In transit',
    'Quota',
    'Value (yuan)',
  ]);
  expect(ledger.slice(2, -1).map((r) => [r[0], r[2]])).toEqual([
    ['QD-SN', 'M0003'],
    ['QD-SN', 'M0002'],
  ]);
  expect(
    sheetRows(file, 'Lots')
      .slice(2, -1)
      .map((r) => r[6]),
  ).toEqual(['J-1']);
  const about = sheetRows(file, 'About');
  expect(about[1]).toEqual(['Filters', 'Depot：市南区储备库']);
});

test('text that would start a formula is neutralised; an unknown depot code writes no file', async () => {
  const material = await env.call(w.admin.token, 'material.create', {
    code: 'M0900',
    name: '=HYPERLINK("http://x","点此")',
    spec: '+1 备用',
    unit: '个',
    topClass: 1,
  });
  await env.call(w.admin.token, 'stock.receive', {
    depotId: w.city.depotId,
    source: 'procurement',
    lines: [{ materialId: material.materialId, quantity: 5, lotNo: '@lot' }],
  });
  const file = path.join(dir, 'hostile.xlsx');
  await exportTo('hostile.xlsx');
  const wb = XLSX.readFile(file);
  const sheet = wb.Sheets['库存台账']!;
  const rows = sheetRows(file, '库存台账');
  const index = rows.findIndex((r) => r[2] === 'M0900');
  const nameCell = sheet[XLSX.utils.encode_cell({ r: index, c: 4 })];
  expect(nameCell).toMatchObject({ t: 's', v: '\'=HYPERLINK("http://x","点此")' });
  expect(nameCell.f).toBeUndefined();
  expect(rows[index]![5]).toBe("'+1 备用");
  expect(sheetRows(file, '批次明细').some((r) => r[6] === "'@lot")).toBe(true);

  await expect(exportTo('none.xlsx', { depotCode: 'QD-XX' })).rejects.toMatchObject({
    code: 'NOT_FOUND',
    key: 'depot.codeNotFound',
  });
  expect(readdirSync(dir).sort()).toEqual(['hostile.xlsx']);
  expect(existsSync(path.join(dir, 'none.xlsx.part'))).toBe(false);
});

test('出入库明细: every movement of the period, oldest first, in and out apart, with the other side and reversals', async () => {
  const issued = await env.call(w.keeper.token, 'stock.issue', {
    depotId: w.city.depotId,
    recipient: '崂山区安置点',
    lines: [{ materialId: w.tent.materialId, quantity: 5 }],
  });
  await env.call(w.admin.token, 'stock.reverse', {
    movementId: issued.movements[0]!.movementId,
    reason: '录错',
  });
  const file = path.join(dir, 'movements.xlsx');
  const { rows } = await exportTo('movements.xlsx', {
    report: 'movements',
    from: '2026-11-30',
    to: '2026-11-30',
  });
  const all = await env.app.db
    .selectFrom('movements')
    .select(['movementId', 'docNo', 'quantity'])
    .orderBy('movementId')
    .execute();
  expect(rows).toEqual([all.length]);
  const sheet = sheetRows(file, '出入库明细');
  expect(sheet[0]![0]).toBe('出入库明细（2026-11-30 起 至 2026-11-30 · 2026-11-30）');
  expect(sheet[1]).toEqual([
    '发生时间',
    '单据号',
    '类型',
    '储备库',
    '物资编码',
    '国标编码',
    '物资名称',
    '规格型号',
    '单位',
    '批号',
    '入库数量',
    '出库数量',
    '对方',
    '经办人',
    '原因 / 备注',
    '冲销',
  ]);
  const data = sheet.slice(2);
  expect(data.map((r) => r[1])).toEqual(all.map((m) => m.docNo));
  expect(data.map((r) => (r[10] as number | null) ?? -(r[11] as number))).toEqual(all.map((m) => m.quantity));
  const issue = data.find((r) => r[1] === issued.docNo)!;
  expect([issue[2], issue[11], issue[12]]).toEqual(['出库', 5, '崂山区安置点']);
  expect(issue[15]).toMatch(/^已被 HC-\d{8}-\d{4} 冲销$/);
  const reversal = data.find((r) => r[2] === '红冲')!;
  expect([reversal[10], reversal[14], reversal[15]]).toEqual([5, '录错', `冲销 ${issued.docNo}`]);
  // Times are the city's wall clock, as real date-times.
  const wb = XLSX.readFile(file, { cellDates: true, cellNF: true });
  expect(wb.Sheets['出入库明细']!['A3']).toMatchObject({ t: 'd', z: 'yyyy-mm-dd hh:mm' });
  const first = await env.app.db
    .selectFrom('movements')
    .select('occurredAt')
    .orderBy('movementId')
    .executeTakeFirstOrThrow();
  expect((data[0]![0] as Date).getTime()).toBe(new Date(first.occurredAt).getTime() + 8 * 3_600_000);
  expect(sheetRows(file, '说明')[1]).toEqual(['筛选条件', '日期：2026-11-30 起 至 2026-11-30']);

  // Another period holds none of them; a date that does not exist or a reversed period is refused.
  expect((await exportTo('empty.xlsx', { report: 'movements', from: '2026-12-01' })).rows).toEqual([0]);
  await expect(exportTo('bad.xlsx', { report: 'movements', from: '2026-02-30' })).rejects.toMatchObject({
    code: 'BAD_INPUT',
    key: 'export.badFrom',
  });
  await expect(
    exportTo('bad.xlsx', { report: 'movements', from: '2026-12-02', to: '2026-12-01' }),
  ).rejects.toMatchObject({ code: 'BAD_INPUT', key: 'export.periodReversed' });
  expect(existsSync(path.join(dir, 'bad.xlsx'))).toBe(false);
});

test('an export reads one snapshot: a write meanwhile goes through at once and does not show in it', async () => {
  const movements = async (db: typeof env.app.db) =>
    Number(
      (
        await db
          .selectFrom('movements')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const before = { movements: await movements(env.app.db), head: await auditHead(env.app.db) };
  // The write must not wait for the snapshot (on SQLite it would wait for ever on a shared connection).
  const seen = await env.app.svc.snapshot(async (db) => {
    const first = await movements(db);
    const receipt = env.call(w.admin.token, 'stock.receive', {
      depotId: w.shinan.depotId,
      source: 'procurement',
      lines: [{ materialId: w.jacket.materialId, quantity: 5, lotNo: 'J-2' }],
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('the write waited')), 10_000);
    });
    await Promise.race([receipt, timeout]).finally(() => clearTimeout(timer));
    return { first, movements: await movements(db), head: await auditHead(db) };
  });
  expect(seen).toEqual({ first: before.movements, ...before });
  expect(await movements(env.app.db)).toBe(before.movements + 1);
  expect((await auditHead(env.app.db))!.auditId).toBeGreaterThan(before.head!.auditId);
});
