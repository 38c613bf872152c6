/**
 * A reader we did not write vouches for the exported files: LibreOffice (headless) opens the
 * 库存台账 and 出入库明细 workbooks and converts every sheet to CSV, and the figures it reads are
 * the database's. CI installs LibreOffice and sets RELIEF_DEPOT_REQUIRE_LIBREOFFICE, so there
 * this test cannot be skipped; on a machine without it, it says so and skips.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCsv } from '../../src/main/demo/csv';
import { exportReport } from '../../src/main/excel/export';
import { createTestEnv, createWorld, deliverAllocation, type TestEnv } from './harness';

const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find(
  (bin) => spawnSync(bin, ['--version'], { encoding: 'utf8' }).status === 0,
);
if (!soffice && process.env.RELIEF_DEPOT_REQUIRE_LIBREOFFICE)
  throw new Error('LibreOffice (soffice) is required here but not installed');
if (!soffice) console.warn('LibreOffice is not installed: the third-party reader test is skipped');

let env: TestEnv;
let dir: string;
afterEach(async () => {
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every sheet of a workbook as LibreOffice reads it: sheet name → rows. */
function readWithLibreOffice(file: string): Map<string, string[][]> {
  const out = path.join(dir, `${path.basename(file, '.xlsx')}-csv`);
  // Comma, double quote, UTF-8, from line 1, raw values (not as shown), every sheet to its own file.
  const filter = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1';
  const run = spawnSync(
    soffice!,
    [
      '--headless',
      '--norestore',
      `-env:UserInstallation=file://${dir}/profile`,
      '--convert-to',
      filter,
      '--outdir',
      out,
      file,
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  expect(run.status).toBe(0);
  const sheets = new Map<string, string[][]>();
  for (const line of run.stdout.split('\n')) {
    const m = /^Writing sheet (.+) -> (.+\.csv)$/.exec(line.trim());
    if (m) sheets.set(m[1]!, parseCsv(readFileSync(m[2]!, 'utf8')));
  }
  return sheets;
}

(soffice ? test : test.skip)(
  'LibreOffice reads the inventory and movements exports with the database’s figures',
  async () => {
    env = await createTestEnv();
    const w = await createWorld(env);
    dir = mkdtempSync(path.join(tmpdir(), 'relief-depot-lo-'));
    await env.call(w.admin.token, 'stock.receive', {
      depotId: w.city.depotId,
      source: 'procurement',
      lines: [
        { materialId: w.tent.materialId, quantity: 12_000, lotNo: 'T-1', unitPriceFen: 132000 },
        { materialId: w.quilt.materialId, quantity: 300, lotNo: 'Q-1', expiresOn: '2031-03-01' },
      ],
    });
    await deliverAllocation(env, {
      from: w.city.depotId,
      to: w.shinan.depotId,
      materialId: w.quilt.materialId,
      quantity: 20,
      until: 'dispatched',
    });
    const files = {
      inventory: path.join(dir, 'inventory.xlsx'),
      movements: path.join(dir, 'movements.xlsx'),
    };
    for (const report of ['inventory', 'movements'] as const)
      await exportReport(env.app.svc, { report, file: files[report], lang: 'zh-CN', exportedBy: '测试' });

    const inventory = readWithLibreOffice(files.inventory);
    expect([...inventory.keys()]).toEqual(['库存台账', '批次明细', '说明']);
    const ledger = inventory.get('库存台账')!;
    expect(ledger[1]!.slice(7)).toEqual(['账面库存', '已分配', '可用', '在途', '储备定额', '金额（元）']);
    const levels = await env.app.db
      .selectFrom('stockLevels as sl')
      .innerJoin('depots as d', 'd.depotId', 'sl.depotId')
      .innerJoin('materials as m', 'm.materialId', 'sl.materialId')
      .select(['d.code as depot', 'm.code as material', 'sl.onHand', 'sl.reserved'])
      .where('sl.onHand', '>', 0)
      .orderBy('sl.depotId')
      .orderBy('sl.materialId')
      .execute();
    const read = ledger
      .slice(2, -1)
      .filter((r) => Number(r[7]) > 0)
      .map((r) => ({ depot: r[0], material: r[2], onHand: Number(r[7]), reserved: Number(r[8]) }));
    expect(read).toEqual(levels);
    expect(ledger.find((r) => r[2] === 'M0001')!.slice(7)).toEqual([
      '12000',
      '0',
      '12000',
      '0',
      '',
      '15840000',
    ]);
    expect(ledger.at(-1)![0]).toBe('合计');
    expect(ledger.at(-1)![12]).toBe('15840000');
    const lots = inventory.get('批次明细')!;
    expect(lots.find((r) => r[6] === 'Q-1')!.slice(8, 10)).toEqual(['2031-03-01', '280']);

    const movements = readWithLibreOffice(files.movements).get('出入库明细')!;
    const posted = await env.app.db
      .selectFrom('movements')
      .select(['docNo', 'quantity'])
      .orderBy('movementId')
      .execute();
    expect(
      movements.slice(2).map((r) => ({ docNo: r[1], quantity: r[10] ? Number(r[10]) : -Number(r[11]) })),
    ).toEqual(posted);
  },
);
