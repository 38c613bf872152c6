// Stocktake (盘点) from opening to posted gain/loss, and the administrator's screens
// (catalogue, depots, quotas, users), on the demo data set.
import type { Page } from '@playwright/test';
import { DEMO_ACCOUNTS } from '../../src/main/demo';
import type { RpcResponse } from '../../src/shared/rpc';
import { expect, screenshot, test, type Server } from './fixtures';
import { AdminDepotsPage } from './pages/AdminDepotsPage';
import { AdminMaterialsPage } from './pages/AdminMaterialsPage';
import { AdminQuotasPage } from './pages/AdminQuotasPage';
import { AdminUsersPage } from './pages/AdminUsersPage';
import { clickMenuLink } from './pages/antdHelpers';
import { LoginPage } from './pages/LoginPage';
import { StocktakeListPage } from './pages/StocktakeListPage';
import { StocktakeSheetPage } from './pages/StocktakeSheetPage';

const CITY_DEPOT = '青岛市级应急物资储备库';

// Seeding the demo data and signing in twice takes a while on a busy machine.
test.describe.configure({ timeout: 180_000 });

async function signOut(page: Page) {
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByLabel('用户名')).toBeVisible();
}

/** Calls a procedure as a demo account, straight through the server's dispatch. */
async function callAs<T>(server: Server, role: string, procedure: string, input: unknown): Promise<T> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
  const login = (await server.app.dispatch({
    procedure: 'auth.login',
    input: { username: account.username, password: account.password },
  })) as RpcResponse<{
    token: string;
  }>;
  if (!login.ok) throw new Error(login.error.message);
  const response = (await server.app.dispatch({
    procedure,
    input,
    token: login.result.token,
    locale: 'zh-CN',
  })) as RpcResponse<T>;
  if (!response.ok) throw new Error(response.error.message);
  return response.result;
}

test('stocktake: the keeper counts, cannot approve; the coordinator approves and the loss is posted', async ({
  page,
  demoServer,
  signIn,
}) => {
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
  await clickMenuLink(page, '盘点');
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

test('stocktake: approval refused for a difference without a reason marks that row', async ({
  page,
  demoServer,
  signIn,
}) => {
  // A stocktake of 崂山区 counted by the keeper, the third row short of stock and no reason given.
  const depots = await callAs<{ depotId: number; name: string }[]>(demoServer, 'keeper', 'depot.list', {});
  const laoshan = depots.find((d) => d.name === '崂山区应急物资储备库')!;
  const st = await callAs<{
    stocktakeId: number;
    docNo: string;
    lines: { lineId: number; bookQuantity: number }[];
  }>(demoServer, 'keeper', 'stocktake.open', { depotId: laoshan.depotId });
  await callAs(demoServer, 'keeper', 'stocktake.count', {
    stocktakeId: st.stocktakeId,
    counts: st.lines.map((l, i) => ({
      lineId: l.lineId,
      countedQuantity: i === 2 ? l.bookQuantity + 1 : l.bookQuantity,
    })),
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

test('a keeper sees no system menu and cannot open the admin screens', async ({
  page,
  demoServer,
  signIn,
}) => {
  await signIn('keeper');
  const menu = page.getByTestId('nav');
  await expect(menu.getByRole('link', { name: '盘点', exact: true })).toBeVisible();
  await expect(menu).not.toContainText('系统管理');
  for (const name of ['物资目录', '储备库', '储备定额', '用户', '系统设置'])
    await expect(menu.getByRole('link', { name, exact: true })).toHaveCount(0);
  await page.goto(`${demoServer.url}/#/admin/users`);
  await expect(page.getByText('页面不存在')).toBeVisible();
  await expect(page.getByTestId('users-table')).toHaveCount(0);
});

test('the administrator adds a material and a depot, sets quotas and creates a keeper for one depot', async ({
  page,
  demoServer,
  signIn,
}) => {
  const db = demoServer.app.db;
  await signIn('admin');

  // Catalogue: a taken code is refused on its field, a GB code must match the top class.
  const materials = new AdminMaterialsPage(page);
  await materials.open();
  await expect(materials.table()).toContainText('WZ0001');
  await materials.startNew();
  await materials.fill({
    code: 'WZ0001',
    name: '应急发电机组',
    spec: '10kW 柴油',
    unit: '台',
    topClass: '2 应急装备及配套物资',
    gbCode: '1990101',
    price: '12800.5',
  });
  await materials.save();
  await expect(materials.fieldError('国标编码')).toHaveText('国标编码首位 1 与大类 2 不一致');
  await materials.fill({ gbCode: '' });
  await materials.save();
  await expect(materials.fieldError('物资编码')).toHaveText('物资编码「WZ0001」已被使用');
  await materials.fill({ code: 'WZ9001' });
  await materials.saveAndClose();
  await expect(page.getByText('已新增物资 WZ9001')).toBeVisible();
  const material = await db
    .selectFrom('materials')
    .selectAll()
    .where('code', '=', 'WZ9001')
    .executeTakeFirstOrThrow();
  expect(material).toMatchObject({
    name: '应急发电机组',
    spec: '10kW 柴油',
    unit: '台',
    topClass: 2,
    gbCode: null,
    referencePriceFen: 1_280_050,
    warningDays: 90,
  });
  await materials.search('WZ9001');
  await expect(materials.table()).toContainText('¥12,800.50');
  await materials.search('');
  await screenshot(page, 'admin-materials');

  // Depots: a town depot under 崂山区.
  const depots = new AdminDepotsPage(page);
  await depots.open();
  await depots.create({
    code: 'QD-LS-BZ',
    name: '北宅街道应急物资储备点',
    level: '镇(街)级',
    parent: '崂山区应急物资储备库',
    address: '山东省青岛市崂山区北宅街道',
    keeper: '周涛',
    phone: '0532-88000000',
  });
  await expect(page.getByText('已新增储备库 北宅街道应急物资储备点')).toBeVisible();
  await expect(depots.table()).toContainText('北宅街道应急物资储备点');
  const laoshan = await db
    .selectFrom('depots')
    .select('depotId')
    .where('code', '=', 'QD-LS')
    .executeTakeFirstOrThrow();
  const beizhai = await db
    .selectFrom('depots')
    .selectAll()
    .where('code', '=', 'QD-LS-BZ')
    .executeTakeFirstOrThrow();
  expect(beizhai).toMatchObject({
    name: '北宅街道应急物资储备点',
    level: 'town',
    parentId: laoshan.depotId,
    keeperName: '周涛',
    active: 1,
  });
  await screenshot(page, 'admin-depots');

  // Quotas of 崂山区: the new generator gets one; the life jackets' is removed with 0.
  const quotas = new AdminQuotasPage(page);
  await quotas.open();
  await quotas.chooseDepot('崂山区应急物资储备库');
  await quotas.search('WZ9001');
  await quotas.quotaInput('WZ9001').fill('5');
  const jacket = await db
    .selectFrom('quotas as q')
    .innerJoin('materials as m', 'm.materialId', 'q.materialId')
    .select(['m.materialId', 'm.code'])
    .where('q.depotId', '=', laoshan.depotId)
    .where('m.name', '=', '救生衣')
    .executeTakeFirstOrThrow();
  await quotas.search(jacket.code);
  await quotas.quotaInput(jacket.code).fill('0');
  await quotas.search('');
  await quotas.save();
  const saved = await db
    .selectFrom('quotas')
    .select(['materialId', 'quantity'])
    .where('depotId', '=', laoshan.depotId)
    .execute();
  expect(saved).toContainEqual({ materialId: material.materialId, quantity: 5 });
  expect(saved.find((q) => q.materialId === jacket.materialId)).toBeUndefined();
  await quotas.search('WZ9001');
  await expect(quotas.row('WZ9001')).toContainText('低于定额 缺 5');
  await quotas.search('');
  await screenshot(page, 'admin-quotas');

  // Users: a keeper for the new depot only.
  const users = new AdminUsersPage(page);
  await users.open();
  await users.create({
    username: 'keeper_bz',
    displayName: '保管员 周涛',
    role: '保管员',
    depots: ['北宅街道应急物资储备点'],
    password: 'Keeper123',
  });
  await expect(page.getByText('已新增用户 keeper_bz')).toBeVisible();
  await expect(users.table()).toContainText('北宅街道应急物资储备点');
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', 'keeper_bz')
    .executeTakeFirstOrThrow();
  expect(user).toMatchObject({ role: 'keeper', displayName: '保管员 周涛', active: 1 });
  const scope = await db
    .selectFrom('userDepots')
    .select('depotId')
    .where('userId', '=', user.userId)
    .execute();
  expect(scope).toEqual([{ depotId: beizhai.depotId }]);
  await screenshot(page, 'admin-users');

  // The new keeper signs in and is scoped to that depot.
  await signOut(page);
  await new LoginPage(page).signIn('keeper_bz', 'Keeper123');
  await expect(page.getByTestId('current-user')).toContainText('保管员 周涛');
  await expect(page.getByText('负责：北宅街道应急物资储备点')).toBeVisible();
});

test('the administrator sets the idle lock minutes', async ({ page, demoServer, signIn }) => {
  await signIn('admin');
  await clickMenuLink(page, '系统设置');
  const minutes = page.getByLabel('无操作自动锁屏');
  await expect(minutes).toHaveValue('15');
  await minutes.fill('30');
  await minutes.press('Enter');
  await expect(page.getByText('设置已保存')).toBeVisible();
  expect(await callAs<{ idleLockMinutes: number }>(demoServer, 'staff', 'settings.get', {})).toEqual({
    idleLockMinutes: 30,
  });
});
