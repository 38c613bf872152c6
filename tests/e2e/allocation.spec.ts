/**
 * The allocation flow end to end, each person in their own window: a town keeper files a
 * request for tents; the district coordinator approves part from district stock and forwards the
 * rest; the city coordinator approves it; the delivery orders are planned and the source keeper
 * dispatches them; the town keeper signs with one lot short (damaged). Balances, in-transit
 * figures, the incident summary and the dashboard agree with the server. Every new screen and
 * print view is photographed in both languages.
 */
import type { Browser, Page } from '@playwright/test';
import { DEMO_ACCOUNTS } from '../../src/main/demo';
import { expect, screenshot, test, type Server } from './fixtures';
import { LoginPage } from './pages/LoginPage';
import { StockFormPage } from './pages/StockFormPage';

const TOWN = 'QD-LS-SZK';
const DISTRICT = 'QD-LS';
const CITY = 'QD-SJ';
const TENT = 'WZ0002';
const PASSWORD = 'Passw0rd!';

async function idOf(server: Server, table: 'depots' | 'materials', code: string): Promise<number> {
  if (table === 'depots')
    return (
      await server.app.db
        .selectFrom('depots')
        .select('depotId')
        .where('code', '=', code)
        .executeTakeFirstOrThrow()
    ).depotId;
  return (
    await server.app.db
      .selectFrom('materials')
      .select('materialId')
      .where('code', '=', code)
      .executeTakeFirstOrThrow()
  ).materialId;
}

async function call<T>(
  server: Server,
  token: string | undefined,
  procedure: string,
  input: unknown,
): Promise<T> {
  const response = await server.app.dispatch({ procedure, input, token });
  if (!response.ok) throw new Error(`${procedure}: ${JSON.stringify(response.error)}`);
  return response.result as T;
}

async function level(server: Server, depot: string, material: string) {
  const row = await server.app.db
    .selectFrom('stockLevels')
    .select(['onHand', 'reserved'])
    .where('depotId', '=', await idOf(server, 'depots', depot))
    .where('materialId', '=', await idOf(server, 'materials', material))
    .executeTakeFirst();
  return { onHand: Number(row?.onHand ?? 0), reserved: Number(row?.reserved ?? 0) };
}

/** A window of its own for one person, signed in. */
async function windowFor(
  browser: Browser,
  server: Server,
  username: string,
  password: string,
): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url);
  await new LoginPage(page).signIn(username, password);
  await expect(page.getByTestId('current-user')).toBeVisible();
  return page;
}

async function openDoc(page: Page, server: Server, docNo: string) {
  await page.goto(`${server.url}/#/doc/${docNo}`);
  await expect(page.getByTestId('document-view')).toBeVisible();
}

/** Sets the approval panel so only `depot` gives `quantity` (the others 0); a reason when it goes below quota. */
async function takeOnly(page: Page, depot: string, quantity: number) {
  const panel = page.getByTestId('approval-panel');
  await expect(panel.getByLabel(`调出数量 ${depot}`)).toBeVisible();
  for (const input of await panel.getByLabel(/^调出数量 /).all()) await input.fill('0');
  await panel.getByLabel(`调出数量 ${depot}`).fill(String(quantity));
  const reason = panel.getByLabel(`突破定额理由 ${depot}`);
  if (await reason.isVisible()) await reason.fill('台风应急，先行调拨');
}

async function planDelivery(page: Page, plate: string) {
  await page.getByTestId('plan-delivery').click();
  const form = page.getByTestId('plan-delivery-form');
  await form.getByLabel('车牌号').fill(plate);
  await form.getByLabel('司机', { exact: true }).fill('王建国');
  await form.getByLabel('司机电话').fill('13805321234');
  await form.getByLabel('押运人').fill('刘洋');
  await page.getByRole('button', { name: '生成配送单' }).last().click();
  await expect(page.getByText(/已生成配送单 PS-/)).toBeVisible();
}

test('request → district approves part and forwards → city approves → dispatch → signed receipt with one lot damaged', async ({
  browser,
  demoServer: server,
}) => {
  test.setTimeout(240_000);
  const admin = await call<{ token: string }>(server, undefined, 'auth.login', {
    username: 'admin',
    password: DEMO_ACCOUNTS.find((a) => a.role === 'admin')!.password,
  });
  const town = await idOf(server, 'depots', TOWN);
  const district = await idOf(server, 'depots', DISTRICT);
  await call(server, admin.token, 'user.create', {
    username: 'szk-keeper',
    displayName: '沙子口保管员 孙丽',
    role: 'keeper',
    password: PASSWORD,
    depotIds: [town],
  });
  const lsCoordinator = await call<{ userId: number }>(server, admin.token, 'user.create', {
    username: 'ls-coordinator',
    displayName: '崂山区调度员 周强',
    role: 'coordinator',
    password: PASSWORD,
  });
  await call(server, admin.token, 'user.update', {
    userId: lsCoordinator.userId,
    jurisdictionDepotId: district,
  });
  const before = {
    town: await level(server, TOWN, TENT),
    district: await level(server, DISTRICT, TENT),
    city: await level(server, CITY, TENT),
  };

  // 1. The town keeper files a request for 30 tents, keyboard-first.
  const keeperPage = await windowFor(browser, server, 'szk-keeper', PASSWORD);
  const form = new StockFormPage(keeperPage, 'allocation');
  await form.open(server.url);
  await form.choose('incidentId', '海葵');
  await keeperPage.locator('label.ant-radio-button-wrapper', { hasText: '特急' }).click();
  await form.scanMaterial(0, TENT);
  await form.lineField(0, 'quantity').fill('30');
  await form.lineField(0, 'purpose').fill('渔村转移群众安置');
  await screenshot(keeperPage, 'allocation-form-zh');
  await form.submitButton().click();
  const filed = keeperPage.getByTestId('posted-doc-no');
  await expect(filed).toContainText('DB-');
  const requestNo = (await filed.innerText()).trim();
  await keeperPage.getByRole('button', { name: '调拨申请' }).click();
  await expect(keeperPage.getByTestId('allocation-doc-no')).toHaveText(requestNo);
  await expect(keeperPage.getByTestId('allocation-status').first()).toHaveText('已提交');

  // 2. The district coordinator finds it in the queue, gives 10 from the district depot, forwards the rest.
  const districtPage = await windowFor(browser, server, 'ls-coordinator', PASSWORD);
  await districtPage.goto(`${server.url}/#/approvals`);
  await expect(districtPage.getByTestId('approvals-table')).toContainText(requestNo);
  await screenshot(districtPage, 'approvals-zh');
  await districtPage.getByTestId('approvals-table').getByText(requestNo).click();
  await districtPage.getByTestId('decide').click();
  await takeOnly(districtPage, '崂山区应急物资储备库', 10);
  await expect(districtPage.getByText('未满足部分上报市级')).toBeVisible();
  await screenshot(districtPage, 'approval-panel-zh');
  await districtPage.getByTestId('approve-now').click();
  await expect(districtPage.getByTestId('allocation-status').first()).toHaveText('部分批准');
  const forwardedNo = (await districtPage.locator('[data-doc-no^="DB-"]').last().innerText()).trim();
  expect(forwardedNo).not.toBe(requestNo);
  expect(await level(server, DISTRICT, TENT)).toEqual({
    ...before.district,
    reserved: before.district.reserved + 10,
  });
  await planDelivery(districtPage, '鲁B·D12345');

  // 3. The city coordinator approves the forwarded 20 from the city depot and plans its order.
  const cityPage = await windowFor(
    browser,
    server,
    'coordinator',
    DEMO_ACCOUNTS.find((a) => a.role === 'coordinator')!.password,
  );
  await openDoc(cityPage, server, forwardedNo);
  await cityPage.getByTestId('decide').click();
  await takeOnly(cityPage, '青岛市级应急物资储备库', 20);
  await cityPage.getByTestId('approve-now').click();
  await expect(cityPage.getByTestId('allocation-status').first()).toHaveText('已批准');
  await planDelivery(cityPage, '鲁B·3F7K2');
  await cityPage.getByRole('button', { name: '打印调拨单' }).click();
  await expect(cityPage.getByTestId('print-document')).toContainText('调 拨 单');
  await expect(cityPage.getByTestId('print-document')).toContainText('审批人');
  await screenshot(cityPage, 'print-allocation-zh');
  await cityPage.keyboard.press('Escape');

  // 4. The source keeper (city depot and 崂山区) dispatches both orders from the board.
  const sourcePage = await windowFor(
    browser,
    server,
    'keeper',
    DEMO_ACCOUNTS.find((a) => a.role === 'keeper')!.password,
  );
  await sourcePage.goto(`${server.url}/#/deliveries?column=planned`);
  const board = sourcePage.getByTestId('delivery-board');
  const orders = await server.app.db
    .selectFrom('deliveryOrders as o')
    .innerJoin('allocationRequests as r', 'r.requestId', 'o.requestId')
    .select(['o.docNo', 'o.deliveryId'])
    .where('r.docNo', 'in', [requestNo, forwardedNo])
    .orderBy('o.deliveryId')
    .execute();
  expect(orders).toHaveLength(2);
  for (const order of orders) await expect(board).toContainText(order.docNo);
  await screenshot(sourcePage, 'delivery-board-zh');
  for (const order of orders) {
    await openDoc(sourcePage, server, order.docNo);
    await sourcePage.getByTestId('dispatch').click();
    await sourcePage.getByRole('button', { name: /确\s?定|OK/ }).click();
    await expect(sourcePage.getByTestId('delivery-status').first()).toHaveText('在途');
  }
  await screenshot(sourcePage, 'delivery-dispatched-zh');
  expect((await level(server, CITY, TENT)).onHand).toBe(before.city.onHand - 20);
  expect(await level(server, DISTRICT, TENT)).toEqual({
    onHand: before.district.onHand - 10,
    reserved: before.district.reserved,
  });

  // In transit: on the stock screen and the dashboard, as the server says.
  const transit = await call<{ deliverToDepotId: number | null; quantity: number }[]>(
    server,
    admin.token,
    'delivery.inTransit',
    { depotId: town },
  );
  expect(transit.reduce((s, r) => s + r.quantity, 0)).toBe(30);
  await keeperPage.goto(`${server.url}/#/stock`);
  await expect(keeperPage.getByTestId('in-transit')).toContainText('救灾专用单帐篷 30 顶');
  await keeperPage.goto(`${server.url}/#/dashboard`);
  await expect(keeperPage.getByTestId('flow-in-transit-count')).toHaveText('2');

  // 5. The town keeper signs: the order from 崂山区 arrives 2 tents short, damaged.
  const fromDistrict = orders[0]!;
  await openDoc(keeperPage, server, fromDistrict.docNo);
  await keeperPage.getByTestId('deliver').click();
  const receipt = keeperPage.getByTestId('receive-form');
  const received = receipt.getByLabel(/^实收 /).first();
  await received.fill('8');
  await receipt
    .getByLabel(/^类型 /)
    .first()
    .click();
  await keeperPage
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: '破损' })
    .click();
  await receipt
    .getByLabel(/^原因 /)
    .first()
    .fill('途中雨淋，2 顶篷布撕裂');
  await screenshot(keeperPage, 'delivery-receive-zh');
  await keeperPage
    .getByRole('button', { name: /^签\s?收$/ })
    .last()
    .click();
  await expect(keeperPage.getByTestId('delivery-status').first()).toHaveText('已送达');
  await openDoc(keeperPage, server, orders[1]!.docNo);
  await keeperPage.getByTestId('deliver').click();
  await keeperPage
    .getByRole('button', { name: /^签\s?收$/ })
    .last()
    .click();
  await expect(keeperPage.getByTestId('delivery-status').first()).toHaveText('已送达');
  await keeperPage.getByTestId('print-delivery').click();
  await expect(keeperPage.getByTestId('print-document')).toContainText('承运人');
  await screenshot(keeperPage, 'print-delivery-zh');
  await keeperPage.keyboard.press('Escape');

  // Balances, in transit, the requests, the incident summary and the dashboard agree with the server.
  expect(await level(server, TOWN, TENT)).toEqual({
    onHand: before.town.onHand + 28,
    reserved: before.town.reserved,
  });
  expect(await call<unknown[]>(server, admin.token, 'delivery.inTransit', { depotId: town })).toEqual([]);
  for (const docNo of [requestNo, forwardedNo]) {
    const doc = await call<{ allocation: { status: string } }>(server, admin.token, 'document.get', {
      docNo,
    });
    expect(doc.allocation.status).toBe('completed');
  }
  const incidentId = (
    await server.app.db
      .selectFrom('allocationRequests')
      .select('incidentId')
      .where('docNo', '=', requestNo)
      .executeTakeFirstOrThrow()
  ).incidentId!;
  const summary = await call<{
    materials: { code: string; requested: number; delivered: number; shortfall: number }[];
  }>(server, admin.token, 'incident.summary', { incidentId });
  const tents = summary.materials.find((m) => m.code === TENT)!;
  await cityPage.goto(`${server.url}/#/incidents/${incidentId}`);
  const row = cityPage.getByTestId('incident-materials').locator('tr', { hasText: TENT });
  await expect(row).toContainText(`${tents.requested.toLocaleString('en-US')} 顶`);
  await expect(row).toContainText(`${tents.shortfall.toLocaleString('en-US')} 顶`);
  await screenshot(cityPage, 'incident-zh');
  const dashboard = await call<{ flow: { inTransit: number; overdue: number } }>(
    server,
    (
      await call<{ token: string }>(server, undefined, 'auth.login', {
        username: 'coordinator',
        password: 'Demo1234',
      })
    ).token,
    'dashboard.summary',
    {},
  );
  await cityPage.goto(`${server.url}/#/dashboard`);
  await expect(cityPage.getByTestId('flow-in-transit-count')).toHaveText(String(dashboard.flow.inTransit));
  await expect(cityPage.getByTestId('flow-overdue-count')).toHaveText(String(dashboard.flow.overdue));
  await expect(cityPage.getByTestId('shortage-panel')).toBeVisible();
  await screenshot(cityPage, 'dashboard-zh');

  // The same screens in English.
  await cityPage.getByText('English').click();
  for (const [route, name] of [
    ['/allocations', 'allocations-en'],
    ['/deliveries', 'delivery-board-en'],
    [`/doc/${fromDistrict.docNo}`, 'delivery-en'],
    [`/doc/${requestNo}`, 'allocation-en'],
    [`/incidents/${incidentId}`, 'incident-en'],
    ['/dashboard', 'dashboard-en'],
  ] as const) {
    await cityPage.goto(`${server.url}/#${route}`);
    await cityPage.waitForLoadState('networkidle');
    await screenshot(cityPage, name);
  }
  await expect(cityPage.getByTestId('current-user')).toContainText('Coordinator');
});

test("the navigation: every item has an icon, groups fold one at a time, the administrator's menu fits 768 px, the collapsed rail shows icons", async ({
  page,
  signIn,
}) => {
  await signIn('admin');
  const menu = page.getByTestId('nav');
  const box = menu.locator('xpath=..');
  expect(await box.evaluate((el) => el.scrollHeight <= el.clientHeight)).toBe(true);
  const withoutIcon = () =>
    menu.evaluate((el) =>
      [...el.querySelectorAll('.ant-menu-item, .ant-menu-submenu-title')]
        .filter((item) => item.getClientRects().length > 0 && !item.querySelector('.anticon svg'))
        .map((item) => item.textContent),
    );
  expect(await withoutIcon()).toEqual([]);
  // Opening 系统管理 folds 库存管理.
  await page.locator('.ant-menu-submenu-title', { hasText: '系统管理' }).click();
  await expect(menu.getByRole('link', { name: '用户', exact: true })).toBeVisible();
  await expect(menu.getByRole('link', { name: '入库', exact: true })).toBeHidden();
  expect(await box.evaluate((el) => el.scrollHeight <= el.clientHeight)).toBe(true);
  await screenshot(page, 'nav-admin-zh');
  await page.locator('.ant-layout-sider-trigger').click();
  await expect(page.locator('.ant-layout-sider-collapsed')).toBeVisible();
  await page.waitForTimeout(500);
  expect(
    await menu.locator('.ant-menu-item:visible, .ant-menu-submenu-title:visible').count(),
  ).toBeGreaterThanOrEqual(4);
  expect(await withoutIcon()).toEqual([]);
  await screenshot(page, 'nav-collapsed-zh');
});
