/**
 * 报表 › 导出 and the 导出 buttons: a statistics clerk exports the inventory ledger and the
 * movement detail, the browser downloads real workbooks whose figures are the server's, and the
 * stock screen's button takes its depot filter.
 */
import * as XLSX from 'xlsx';
import { expect, screenshot, test } from './fixtures';
import { clickMenuLink } from './pages/antdHelpers';

test('a statistics clerk exports the inventory and the movements; the workbooks hold the server’s figures', async ({
  page,
  demoServer,
  signIn,
}) => {
  await signIn('staff');
  await clickMenuLink(page, '导出');
  await expect(page.getByRole('heading', { name: '导出报表' })).toBeVisible();
  await screenshot(page, 'reports-export');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('report-inventory').getByTestId('export-button').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^库存台账-\d{8}\.xlsx$/);
  // Said on the screen as the file arrives (before the test spends time reading it).
  await expect(page.getByText(/已导出 [\d,]+ 行：库存台账-/)).toBeVisible();
  const wb = XLSX.readFile((await download.path())!);
  expect(wb.SheetNames).toEqual(['库存台账', '批次明细', '说明']);
  const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets['库存台账']!, { header: 1, defval: null });
  const levels = await demoServer.app.db
    .selectFrom('stockLevels')
    .select((eb) => [
      eb.fn.sum<number | string>('onHand').as('onHand'),
      eb.fn.countAll<number | string>().as('n'),
    ])
    .where((eb) => eb.or([eb('onHand', '>', 0), eb('reserved', '>', 0)]))
    .executeTakeFirstOrThrow();
  // Rows of stock held (the others are goods on the road to a depot holding none yet).
  const data = rows.slice(2, -1).filter((r) => Number(r[7]) > 0 || Number(r[8]) > 0);
  expect(data.length).toBe(Number(levels.n));
  expect(data.reduce((sum, r) => sum + Number(r[7]), 0)).toBe(Number(levels.onHand));

  const [movements] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('report-movements').getByTestId('export-button').click(),
  ]);
  const sheet = XLSX.readFile((await movements.path())!).Sheets['出入库明细']!;
  expect(XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1 })[1]).toContain('单据号');
});

test('the stock screen’s 导出 takes its depot filter', async ({ page, signIn }) => {
  await signIn('keeper');
  await clickMenuLink(page, '库存');
  const depot = page.getByLabel('储备库', { exact: true }).first();
  await depot.click();
  await page.keyboard.type('崂山');
  await page.keyboard.press('Enter');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-button').click(),
  ]);
  const wb = XLSX.readFile((await download.path())!);
  const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets['库存台账']!, { header: 1 });
  const depots = new Set(rows.slice(2, -1).map((r) => r[1]));
  expect([...depots]).toEqual(['崂山区应急物资储备库']);
  const about = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets['说明']!, { header: 1 });
  expect(about[1]).toEqual(['筛选条件', '储备库：崂山区应急物资储备库']);
});
