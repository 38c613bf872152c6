/**
 * 报表 › 导入: a keeper imports a depot's opening stock from a messy workbook (a title row, a
 * synonym header), checks the guessed columns, leaves out the one bad row, imports, and the
 * stock screen shows the imported figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { expect, screenshot, test } from './fixtures';
import { clickMenuLink } from './pages/antdHelpers';

test('opening stock: columns confirmed, a bad row deselected, the stock screen shows the figures', async ({
  page,
  demoServer,
  signIn,
}) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'relief-depot-e2e-import-'));
  try {
    const file = path.join(dir, '崂山区期初库存.xlsx');
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ['崂山区应急物资储备库 期初库存'],
        ['序号', '品名', '单位', '实有数量', '有效期至'],
        [1, '棉被', '床', '1,250', '2031/06/30'],
        [2, '救生衣', '件', '若干', null],
        [3, '救灾专用单帐篷', '顶', '0.02万', null],
      ]),
      '期初',
    );
    XLSX.writeFile(wb, file);
    const db = demoServer.app.db;
    const depot = await db
      .selectFrom('depots')
      .select(['depotId', 'name'])
      .where('name', 'like', '%崂山%')
      .executeTakeFirstOrThrow();
    const quilts = await db
      .selectFrom('materials')
      .select('materialId')
      .where('code', '=', 'WZ0016')
      .executeTakeFirstOrThrow();
    const onHand = async () =>
      Number(
        (
          await db
            .selectFrom('stockLevels')
            .select('onHand')
            .where('depotId', '=', depot.depotId)
            .where('materialId', '=', quilts.materialId)
            .executeTakeFirst()
        )?.onHand ?? 0,
      );
    const before = await onHand();

    await signIn('keeper');
    await clickMenuLink(page, '导入');
    await page.getByLabel('导入到储备库').click();
    await page.keyboard.type('崂山');
    await page.keyboard.press('Enter');
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByRole('button', { name: '下一步' }).click();

    // The guessed columns, to confirm.
    const mapping = page.getByTestId('import-mapping');
    await expect(page.getByText('表头在第 2 行')).toBeVisible();
    await expect(mapping.getByRole('row', { name: /^数量/ })).toContainText('D  实有数量');
    await expect(mapping.getByRole('row', { name: /^物资名称/ })).toContainText('B  品名');
    await screenshot(page, 'import-mapping');
    await page.getByRole('button', { name: /^预\s?览$/ }).click();

    const preview = page.getByTestId('import-preview');
    const bad = preview.getByRole('row', { name: /若干/ });
    await expect(bad).toContainText('数量「若干」不是有效的正整数');
    await expect(page.getByRole('button', { name: /导入 2 行/ })).toBeDisabled();
    await screenshot(page, 'import-preview');
    await bad.getByRole('checkbox').uncheck();
    await page.getByRole('button', { name: /导入 2 行/ }).click();
    await expect(page.getByTestId('import-done')).toContainText('已导入 2 行');
    expect(await onHand()).toBe(before + 1250);

    await page.goto(`${demoServer.url}/#/stock?depotId=${depot.depotId}&text=WZ0016&groupBy=depotMaterial`);
    await expect(page.getByRole('row', { name: /WZ0016/ }).first()).toContainText(
      (before + 1250).toLocaleString('en-US'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
