/**
 * 工作台, 预警清单, 库存, 物资卡片 and 出入库明细 on the demo data: the figures the screens show
 * are the server's figures, links open the filtered lists, filters narrow, and the stock card
 * adds up.
 */
import type { InputOf, OutputOf, ProcedureName } from '../../src/shared/api';
import { DEMO_ACCOUNTS } from '../../src/main/demo';
import { balanceRows } from '../../src/shared/balance-rows';
import { expect, screenshot, test, type Server } from './fixtures';
import { DashboardPage } from './pages/DashboardPage';
import { MovementsPage } from './pages/MovementsPage';
import { StockCardPage } from './pages/StockCardPage';
import { StockPage } from './pages/StockPage';
import { WarningsPage } from './pages/WarningsPage';

/** Calls the server directly (as the demo coordinator) to know what the screens should show. */
async function serverCall<P extends ProcedureName>(
  server: Server,
  procedure: P,
  input: InputOf<P>,
): Promise<OutputOf<P>> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === 'coordinator')!;
  const login = await server.app.dispatch({
    procedure: 'auth.login',
    input: { username: account.username, password: account.password },
  });
  if (!login.ok) throw new Error(login.error.message);
  const response = await server.app.dispatch({
    procedure,
    input,
    token: (login.result as { token: string }).token,
  });
  if (!response.ok) throw new Error(`${procedure}: ${response.error.message}`);
  return response.result as OutputOf<P>;
}

// Each test seeds the demo store and signs in; on a busy two-core machine that alone takes a while.
test.beforeEach(() => test.slow());

const num = (s: string) => Number(s.replace(/[^\d−-]/g, '').replace('−', '-'));

test('dashboard warning counts are the server’s, and each opens its list', async ({ signIn, demoServer }) => {
  const page = await signIn('staff');
  const dashboard = new DashboardPage(page);
  await expect(dashboard.heading()).toBeVisible();

  const expiring = await serverCall(demoServer, 'stock.expiring', {});
  const below = await serverCall(demoServer, 'stock.belowQuota', {});
  const expected = {
    expiring: expiring.rows.filter((r) => r.status === 'expiring').length,
    expired: expiring.rows.filter((r) => r.status === 'expired').length,
    belowQuota: below.rows.length,
  };
  expect(expected.expiring + expected.expired + expected.belowQuota).toBeGreaterThan(0);
  await expect(page.getByTestId('warning-expiring-count')).toHaveText(String(expected.expiring));
  expect(await dashboard.warningCount('expiring')).toBe(expected.expiring);
  expect(await dashboard.warningCount('expired')).toBe(expected.expired);
  expect(await dashboard.warningCount('belowQuota')).toBe(expected.belowQuota);
  await expect(dashboard.categoryBars().first()).toBeVisible();
  await screenshot(page, 'dashboard');

  const warnings = new WarningsPage(page);
  await dashboard.openWarnings('expired');
  await expect(page).toHaveURL(/#\/warnings\?type=expired/);
  await expect(warnings.rows('expired')).toHaveCount(expected.expired);
  await expect(warnings.rowCount()).toHaveText(`共 ${expected.expired} 条`);
  await expect(warnings.rows('expired').first().locator('.ant-tag')).toHaveText('已过期');

  await page.goBack();
  await dashboard.openWarnings('belowQuota');
  await expect(page).toHaveURL(/#\/warnings\?type=belowQuota/);
  await expect(warnings.rows('belowQuota')).toHaveCount(expected.belowQuota);
  await expect(warnings.rows('belowQuota').first()).toContainText(
    `缺口 ${below.rows[0]!.shortBy.toLocaleString('en-US')}`,
  );

  await page.goBack();
  await dashboard.openWarnings('expiring');
  await expect(page).toHaveURL(/#\/warnings\?type=expiring/);
  await expect(warnings.rows('expiring')).toHaveCount(expected.expiring);
  await expect(warnings.rows('expiring').first().locator('.ant-tag').first()).toHaveText('临期');
  await screenshot(page, 'warnings');

  // A lot opens its stock card.
  const first = expiring.rows
    .filter((r) => r.status === 'expiring')
    .sort((a, b) => a.daysLeft - b.daysLeft)[0]!;
  await warnings.rows('expiring').first().click();
  await expect(page).toHaveURL(new RegExp(`#/stock/batch/${first.batchId}$`));
  await expect(new StockCardPage(page).material()).toHaveText(`${first.materialCode} ${first.materialName}`);
});

test('the stock screen lists balances, text narrows them, a batch opens its stock card', async ({
  signIn,
  demoServer,
}) => {
  const page = await signIn('coordinator');
  const stock = new StockPage(page);
  await stock.open();

  const all = balanceRows(
    await serverCall(demoServer, 'stock.balances', { groupBy: 'depotMaterial', limit: 20_000 }),
  );
  expect(await stock.count()).toBe(all.length);
  await expect(stock.rows().first()).toBeVisible();

  await stock.search('帐篷');
  const tents = balanceRows(
    await serverCall(demoServer, 'stock.balances', { groupBy: 'depotMaterial', text: '帐篷', limit: 20_000 }),
  );
  expect(tents.length).toBeGreaterThan(0);
  expect(tents.length).toBeLessThan(all.length);
  expect(await stock.count()).toBe(tents.length);
  await expect(page.getByText('筛选：“帐篷”')).toBeVisible();
  await screenshot(page, 'stock');

  // The filter stays for the session: away and back, it is still there.
  await new MovementsPage(page).open();
  await stock.open();
  expect(await stock.count()).toBe(tents.length);

  // A depot × material row shows its batches; a batch opens the stock card.
  await stock.rows().first().click();
  const drawer = page.locator('.ant-drawer');
  await expect(drawer.locator('.ant-table-row').first()).toBeVisible();
  await drawer.locator('.ant-table-row').first().click();
  await expect(page).toHaveURL(/#\/stock\/batch\/\d+$/);
  await expect(new StockCardPage(page).material()).toContainText('帐篷');

  // By batch: a row is a batch and opens its card directly.
  await page.goBack();
  await stock.waitLoaded();
  await stock.groupBy('按批次');
  const batches = balanceRows(
    await serverCall(demoServer, 'stock.balances', { groupBy: 'batch', text: '帐篷', limit: 20_000 }),
  );
  expect(await stock.count()).toBe(batches.length);
  await stock.rows().first().click();
  await expect(page).toHaveURL(/#\/stock\/batch\/\d+$/);
});

test('the stock table sorts by a header, shows only warnings when asked, and works from the keyboard', async ({
  signIn,
  demoServer,
}) => {
  const page = await signIn('coordinator');
  const stock = new StockPage(page);
  await stock.open();
  const all = balanceRows(
    await serverCall(demoServer, 'stock.balances', {
      groupBy: 'depotMaterial',
      warnings: true,
      limit: 20_000,
    }),
  );

  // 账面库存 descending: the largest balance comes first.
  const header = stock.header('账面库存');
  await header.click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  // From the keyboard as well: the header takes focus and Enter sorts.
  await header.focus();
  await page.keyboard.press('Enter');
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  const largest = Math.max(...all.map((r) => r.onHand));
  await expect(stock.rows().first().getByRole('gridcell').nth(6)).toHaveText(largest.toLocaleString('en-US'));

  // Warnings only: the rows with a shortfall or an expiring lot, as the server tags them.
  const warned = all.filter(
    (r) => r.expiry !== null || (r.quota !== null && r.available !== null && r.available < r.quota),
  );
  expect(warned.length).toBeGreaterThan(0);
  await page.getByRole('checkbox', { name: '只看有预警的行' }).check();
  await expect(stock.rowCount()).toHaveText(`共 ${warned.length.toLocaleString('en-US')} 条`);
  await page.getByRole('checkbox', { name: '只看有预警的行' }).uncheck();

  // Keyboard: into the table, down two rows, Enter opens the batches of that row.
  await stock.table().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const second = stock.rows().nth(1);
  await expect(second).toHaveAttribute('aria-selected', 'true');
  await expect(stock.table()).toHaveAttribute('aria-activedescendant', (await second.getAttribute('id'))!);
  const name = (await second.getByRole('gridcell').nth(2).innerText()).trim();
  await page.keyboard.press('Enter');
  await expect(page.locator('.ant-drawer-title')).toContainText(name);
});

test('the stock card shows the batch and its movements with a running balance', async ({
  signIn,
  demoServer,
}) => {
  const page = await signIn('keeper');
  // A batch that has moved more than once (received, then issued or transferred).
  const movements = await serverCall(demoServer, 'stock.movements', { limit: 20_000 });
  const perBatch = new Map<number, number>();
  for (const m of movements.rows) perBatch.set(m.batchId, (perBatch.get(m.batchId) ?? 0) + 1);
  const [batchId] = [...perBatch.entries()].sort((a, b) => b[1] - a[1])[0]!;
  const batch = await serverCall(demoServer, 'stock.batch', { batchId });
  const history = movements.rows.filter((m) => m.batchId === batchId);
  expect(history.length).toBeGreaterThan(1);

  await page.goto(`${demoServer.url}/#/stock/batch/${batchId}`);
  const card = new StockCardPage(page);
  await expect(card.material()).toHaveText(`${batch.materialCode} ${batch.materialName}`);
  await expect(card.onHand()).toHaveText(`${batch.onHand.toLocaleString('en-US')} ${batch.unit}`);
  await expect(page.getByText(batch.lotNo).first()).toBeVisible();
  await expect(card.rows()).toHaveCount(history.length);

  // Signed quantities; the newest balance is today's on hand and the oldest is its own quantity.
  const quantities = (await card.column('数量')).map(num);
  const balances = (await card.column('结存')).map(num);
  expect(quantities).toEqual(history.map((m) => m.quantity));
  expect(balances[0]).toBe(batch.onHand);
  expect(balances.at(-1)).toBe(quantities.at(-1));
  for (let i = 1; i < balances.length; i++) expect(balances[i - 1]! - quantities[i - 1]!).toBe(balances[i]);
  expect((await card.column('数量')).some((q) => q.startsWith('−'))).toBe(true);
  await screenshot(page, 'stock-card');
});

test('movements filter by type, and reversals are marked both ways', async ({ signIn, demoServer }) => {
  const page = await signIn('staff');
  const movements = new MovementsPage(page);
  await movements.open();
  await expect(movements.rowCount()).toHaveText(/已载入 200 条，还有更多/);

  await movements.filterType('出库');
  const issues = await serverCall(demoServer, 'stock.movements', { type: 'issue', limit: 20_000 });
  const shown = Math.min(issues.rows.length, 200);
  await expect(movements.rows()).not.toHaveCount(0);
  await expect(movements.rowCount()).toHaveText(
    issues.rows.length > 200 ? /已载入 200 条/ : `共 ${shown} 条`,
  );
  const types = await movements
    .rows()
    .evaluateAll((rows) => rows.map((r) => r.querySelectorAll('.ant-table-cell')[2]?.textContent?.trim()));
  expect(types.length).toBeGreaterThan(0);
  expect(new Set(types)).toEqual(new Set(['出库']));
  const firstQuantity = await movements.rows().first().locator('.num').first().innerText();
  expect(firstQuantity.startsWith('−')).toBe(true);
  await screenshot(page, 'movements');

  const reversals = await serverCall(demoServer, 'stock.movements', { type: 'reversal', limit: 20_000 });
  test.skip(reversals.rows.length === 0, 'the demo data has no reversal');
  const reversal = reversals.rows[0]!;
  await movements.filterType('红冲');
  await expect(movements.rows().first()).toContainText(`红冲 ${reversal.reversesDocNo}`);
  await page.getByRole('button', { name: /重\s?置/ }).click();
  await movements.searchDocNo(reversal.reversesDocNo!);
  await expect(
    movements
      .rows()
      .filter({ hasText: `已红冲 ${reversal.docNo}` })
      .first(),
  ).toBeVisible();
});

test('the dashboard speaks English when asked', async ({ signIn }) => {
  const page = await signIn('coordinator');
  const dashboard = new DashboardPage(page);
  await expect(dashboard.heading()).toBeVisible();
  await page.getByText('English', { exact: true }).click();
  await expect(dashboard.heading('Dashboard')).toBeVisible();
  await expect(page.getByText('Expiring lots')).toBeVisible();
  await expect(page.getByText('By category')).toBeVisible();
  await page.getByText('中文', { exact: true }).click();
  await expect(dashboard.heading()).toBeVisible();
});

test('a second receipt into a lot shows its own source, supplier and price in the history and on the stock card', async ({
  signIn,
  demoServer,
}) => {
  const page = await signIn('keeper');
  const [lot] = (await serverCall(demoServer, 'stock.movements', { type: 'receipt', limit: 1 })).rows;
  const first = await serverCall(demoServer, 'stock.batch', { batchId: lot!.batchId });
  const supplier = '青岛爱心企业（测试）';
  const second = await serverCall(demoServer, 'stock.receive', {
    depotId: lot!.depotId,
    source: 'donation',
    lines: [
      { materialId: lot!.materialId, batchId: lot!.batchId, quantity: 7, supplier, unitPriceFen: 98050 },
    ],
  });

  const movements = new MovementsPage(page);
  await movements.open();
  await movements.searchDocNo(second.docNo);
  await expect(movements.rows()).toHaveCount(1);
  await expect(movements.rows().first()).toContainText(`${supplier} · 捐赠`);
  await expect(movements.rows().first().locator('.num').nth(1)).toHaveText('¥980.50');
  await screenshot(page, 'movements-receipt-terms');

  await movements.rows().first().click();
  const card = new StockCardPage(page);
  await expect(card.material()).toHaveText(`${first.materialCode} ${first.materialName}`);
  // The lot's earlier terms first, then the donation's; the newest line shows its own price.
  const terms = card.receiptTerms().getByTestId('receipt-terms');
  await expect(terms).toHaveCount(first.receiptTerms.length + 1);
  await expect(terms.last().locator('span')).toHaveText([
    '捐赠',
    supplier,
    '¥980.50',
    `入库 1 次，共 7 ${first.unit}`,
  ]);
  expect((await card.column('单价'))[0]).toBe('¥980.50');
  await screenshot(page, 'stock-card-receipt-terms');
});
