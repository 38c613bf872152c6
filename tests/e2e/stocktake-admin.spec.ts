// Stocktake (盘点) from opening to posted gain/loss, and the administrator's screens
// (catalogue, depots, quotas, users), on the demo data set.
import type { Page } from '@playwright/test';
import { DEMO_ACCOUNTS } from '../../src/main/demo';
import type { RpcResponse } from '../../src/shared/rpc';
import { expect, screenshot, test, type Server } from './fixtures';
import { StocktakeListPage } from './pages/StocktakeListPage';
import { StocktakeSheetPage } from './pages/StocktakeSheetPage';

const CITY_DEPOT = '青岛市级应急物资储备库';

async function signOut(page: Page) {
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByLabel('用户名')).toBeVisible();
}

/** Calls a procedure as a demo account, straight through the server's dispatch. */
async function callAs<T>(server: Server, role: string, procedure: string, input: unknown): Promise<T> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
  const login = (await server.app.dispatch({ procedure: 'auth.login', input: { username: account.username, password: account.password } })) as RpcResponse<{
    token: string;
  }>;
  if (!login.ok) throw new Error(login.error.message);
  const response = (await server.app.dispatch({ procedure, input, token: login.result.token, locale: 'zh-CN' })) as RpcResponse<T>;
  if (!response.ok) throw new Error(response.error.message);
  return response.result;
}

test('stocktake: the keeper counts, cannot approve; the coordinator approves and the loss is posted', async ({ page, demoServer, signIn }) => {
  await signIn('keeper');
  const list = new StocktakeListPage(page);
  await list.open();
  await list.openNew(CITY_DEPOT);

  const sheet = new StocktakeSheetPage(page);
  await expect(sheet.status()).toHaveText('盘点中');
  await expect(page.getByText('账面数量已于开单时冻结')).toBeVisible();
  const docNo = await sheet.docNo();
  expect(docNo).toMatch(/^PD-\d{8}-\d{4}$/);

  // Everything counted as booked, then the first row is short by 2 (typed, Enter moves down).
  await sheet.fillUncountedWithBook();
  const book = await sheet.bookQuantity(0);
  const lot = await sheet.lotNo(0);
  await sheet.counted(0).fill(String(book - 2));
  await expect(sheet.row(0)).toContainText('盘亏 −2');
  await sheet.counted(0).press('Enter');
  await expect(sheet.counted(1)).toBeFocused();
  await expect(sheet.reason(0)).toHaveAttribute('placeholder', '有差异，请填写原因');
  await sheet.reason(0).fill('搬运破损，账实不符');

  // Leaving with unsaved counts asks first; staying keeps what was typed.
  await page.locator('.ant-menu').getByRole('link', { name: '盘点', exact: true }).click();
  const leave = page.getByRole('dialog').filter({ hasText: '有未保存的实盘数' });
  await expect(leave).toBeVisible();
  await leave.getByRole('button', { name: '留在本页' }).click();
  await expect(sheet.reason(0)).toHaveValue('搬运破损，账实不符');

  await sheet.save();
  await expect(page.getByText(/已盘 [\d,]+ \/ [\d,]+ 行，差异 1 行/)).toBeVisible();
  await expect(sheet.approveButton()).toHaveCount(0);
  await screenshot(page, 'stocktake-sheet');

  const saved = await demoServer.app.db
    .selectFrom('stocktakeLines as l')
    .innerJoin('stocktakes as s', 's.stocktakeId', 'l.stocktakeId')
    .innerJoin('batches as b', 'b.batchId', 'l.batchId')
    .select(['l.bookQuantity', 'l.countedQuantity', 'l.reason', 'b.lotNo'])
    .where('s.docNo', '=', docNo)
    .execute();
  expect(saved.every((l) => l.countedQuantity !== null)).toBe(true);
  expect(saved.filter((l) => l.countedQuantity !== l.bookQuantity)).toEqual([
    { bookQuantity: book, countedQuantity: book - 2, reason: '搬运破损，账实不符', lotNo: lot },
  ]);

  // The coordinator approves from the list.
  await signOut(page);
  await signIn('coordinator');
  await list.open();
  await expect(list.row(docNo)).toContainText('盘点中');
  await screenshot(page, 'stocktake-list');
  await list.row(docNo).getByRole('link', { name: docNo }).click();
  await sheet.approve();
  await expect(sheet.status()).toHaveText('已审批');
  await expect(sheet.postedMovements()).toContainText('盘亏');
  await expect(sheet.postedMovements()).toContainText('−2');
  await expect(sheet.postedMovements()).toContainText(lot);

  const posted = await demoServer.app.db
    .selectFrom('movements')
    .select(['type', 'quantity', 'reason'])
    .where('docNo', '=', docNo)
    .execute();
  expect(posted).toEqual([{ type: 'stocktake_loss', quantity: -2, reason: '搬运破损，账实不符' }]);
});

test('stocktake: approval refused for a difference without a reason marks that row', async ({ page, demoServer, signIn }) => {
  // A stocktake of 崂山区 counted by the keeper, the third row short of stock and no reason given.
  const depots = await callAs<{ depotId: number; name: string }[]>(demoServer, 'keeper', 'depot.list', {});
  const laoshan = depots.find((d) => d.name === '崂山区应急物资储备库')!;
  const st = await callAs<{ stocktakeId: number; docNo: string; lines: { lineId: number; bookQuantity: number }[] }>(
    demoServer,
    'keeper',
    'stocktake.open',
    { depotId: laoshan.depotId },
  );
  await callAs(demoServer, 'keeper', 'stocktake.count', {
    stocktakeId: st.stocktakeId,
    counts: st.lines.map((l, i) => ({ lineId: l.lineId, countedQuantity: i === 2 ? l.bookQuantity + 1 : l.bookQuantity })),
  });

  await signIn('coordinator');
  await page.goto(`${demoServer.url}/#/stocktake/${st.stocktakeId}`);
  const sheet = new StocktakeSheetPage(page);
  await expect(sheet.row(2)).toContainText('盘盈 +1');
  await sheet.approve();
  await expect(page.getByTestId('sheet-alert')).toContainText('1 行有问题');
  // Only the row in error is shown now, with the server's message under its reason.
  await expect(sheet.row(0)).toContainText('有差异时必须填写原因');
  await expect(sheet.status()).toHaveText('盘点中');
  await sheet.reason(0).fill('前次出库少发一件');
  await sheet.approve();
  await expect(sheet.status()).toHaveText('已审批');
  await expect(sheet.postedMovements()).toContainText('盘盈');
});
