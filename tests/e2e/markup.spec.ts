/**
 * Stored markup (issue 8, point 10). Every free-text field a write procedure accepts (each text(),
 * optionalText() and note field of src/shared/schemas) is stored through the HTTP transport
 * (POST /rpc with a bearer token) holding markup: <img src=x onerror=…>, <script>…</script>, an
 * "><svg onload=…> attribute breakout and a javascript: URL; the stock screens' own fields are
 * typed in as well, since their printed documents show what was typed. Then every screen and
 * printed document that shows them is visited, and on each: the payloads are there as literal,
 * visible text, none ran (window.__xss stays unset, no dialog opened), and none became an element
 * or an attribute in the DOM.
 *
 * The served Content-Security-Policy would stop inline handlers from running anyway; it is
 * bypassed here, so that a payload rendered as markup runs and the test is about the rendering.
 */
import type { APIRequestContext, Dialog, Locator, Page } from '@playwright/test';
import { addDays, localDate } from '../../src/shared/dates';
import type { RpcResponse } from '../../src/shared/rpc';
import { expect, test, type Server } from './fixtures';
import { choose, openDropdown } from './pages/antdHelpers';
import { ReversalPage } from './pages/ReversalPage';
import { StockFormPage } from './pages/StockFormPage';

test.use({ bypassCSP: true });
test.describe.configure({ timeout: 240_000 });

/** What a payload does if it ever runs: counts in window.__xss (or opens an alert). */
const RUN = 'window.__xss=(window.__xss||0)+1';

/**
 * One payload per stored field; the prefix tells them apart on screen. Short fields (codes,
 * phone, category: 30; unit: 10) get the short forms. No control characters.
 */
const P = {
  // setup.createAdmin, user.create, user.update
  adminName: '管理员<img src=x onerror=alert(1)>',
  keeperCreated: '保管员"><svg onload=alert(1)>',
  keeperName: '保管员<script>alert(1)</script>',
  // depot.create (depot A, city level)
  depotCode: 'D1"><svg onload=alert(1)>',
  depotName: `市级库<img src=x onerror=${RUN}>`,
  depotAddress: `地址<script>${RUN}</script>`,
  depotKeeper: '库管"><svg onload=alert(1)>',
  depotPhone: 'javascript:alert(1)//0532',
  depotCapacity: `库容<img src=x onerror=${RUN}><a href="javascript:alert(1)">x</a>`,
  // depot.update (depot B, district level under A, created with plain values)
  depot2Code: 'D2<img src=x onerror=alert(1)>',
  depot2Name: `区级库"><svg onload=${RUN}>`,
  depot2Address: `javascript:${RUN}`,
  depot2Keeper: '<img src=x onerror=window.__xss=1>',
  depot2Phone: '"><svg onload=alert(1)>',
  depot2Capacity: `<script>${RUN}</script>`,
  // material.create (M1)
  materialCode: 'M1<script>alert(1)</script>',
  materialName: `帐篷<img src=x onerror=${RUN}>`,
  materialSpec: `规格"><svg onload=${RUN}><script>alert(1)</script>`,
  materialUnit: '顶"><u-x/>',
  materialCategory: '类<img src=x onerror=alert(1)>',
  // material.update (M2, created with plain values)
  material2Code: 'M2"><svg onload=alert(1)>',
  material2Name: `被服"><svg onload=${RUN}>`,
  material2Spec: `javascript:${RUN}`,
  material2Unit: '<u-x/>件',
  material2Category: '<script>alert(1)</script>',
  // stock.receive (lots, supplier, note)
  lot1: 'L1"><svg onload=alert(1)>',
  lot2: 'javascript:alert(1)',
  lot3: 'L3<img src=x onerror=window.__xss=1>',
  supplier: `供应<img src=x onerror=${RUN}>`,
  receiptNote: `入库备注<script>${RUN}</script>`,
  // stock.issue, stock.transfer, stock.scrap, stock.reverse
  recipient: '领用<img src=x onerror=alert(1)>',
  issueReason: `事由"><svg onload=${RUN}>`,
  issueNote: '出库备注<script>alert(1)</script>javascript:alert(1)',
  transferNote: `调拨备注<img src=x onerror=${RUN}>`,
  scrapReason: `报废原因<script>${RUN}</script>`,
  scrapNote: '报废备注"><svg onload=alert(1)>',
  reverseReason: '红冲原因<img src=x onerror=alert(1)>',
  // stocktake.open, stocktake.count
  stocktakeNote: `盘点备注"><svg onload=${RUN}>`,
  countReason: '差异原因<script>alert(1)</script>',
  // Typed into the stock screens (their printed documents show what was typed).
  uiSupplier: `界面供应"><svg onload=${RUN}>`,
  uiLot: 'UL<img src=x onerror=alert(1)>',
  uiReceiptNote: '界面入库<script>alert(1)</script>',
  uiRecipient: '界面领用"><svg onload=alert(1)>',
  uiIssueReason: `界面事由<img src=x onerror=${RUN}>`,
  uiIssueNote: '界面出库备注javascript:alert(1)',
  uiTransferNote: `界面调拨<script>${RUN}</script>`,
  uiScrapReason: '界面报废"><svg onload=alert(1)>',
  uiScrapNote: '界面报废备注<img src=x onerror=alert(1)>',
  uiReverseReason: '界面红冲<script>alert(1)</script>',
} as const;

const ADMIN = { username: 'markup.admin', password: 'Markup2026x' };
const KEEPER = { username: 'markup.keeper', password: 'Keeper2026x' };

/** The HTTP transport, as any client uses it: POST /rpc with a JSON envelope and a bearer token. */
class Rpc {
  token: string | undefined;

  constructor(
    private readonly request: APIRequestContext,
    private readonly url: string,
  ) {}

  async call<T>(procedure: string, input: unknown): Promise<T> {
    const response = await this.request.post(`${this.url}/rpc`, {
      data: { procedure, input, locale: 'zh-CN' },
      headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
    });
    const body = (await response.json()) as RpcResponse<T>;
    if (!body.ok) {
      throw new Error(
        `${procedure}: ${body.error.code} ${body.error.message} ${JSON.stringify(body.error.fields)}`,
      );
    }
    return body.result;
  }
}

interface Movement {
  movementId: number;
  batchId: number;
  depotId: number;
  materialId: number;
  lotNo: string;
  docNo: string;
}
interface Posting {
  docNo: string;
  movements: Movement[];
}

interface Seeded {
  depotA: number;
  depotB: number;
  lot1A: number;
  lot1B: number;
  lot2A: number;
  lot3A: number;
  issueDocNo: string;
  stocktakeId: number;
}

/** The first administrator, two depots, two materials, stock moved every way, a stocktake, a keeper. */
async function seed(rpc: Rpc): Promise<Seeded> {
  const admin = await rpc.call<{ token: string }>('setup.createAdmin', {
    username: ADMIN.username,
    displayName: P.adminName,
    password: ADMIN.password,
  });
  rpc.token = admin.token;

  const a = await rpc.call<{ depotId: number }>('depot.create', {
    code: P.depotCode,
    name: P.depotName,
    level: 'city',
    address: P.depotAddress,
    keeperName: P.depotKeeper,
    phone: P.depotPhone,
    capacityNote: P.depotCapacity,
  });
  const b = await rpc.call<{ depotId: number }>('depot.create', {
    code: 'PLAIN-B',
    name: '区级库（待改名）',
    level: 'district',
    parentId: a.depotId,
  });
  await rpc.call('depot.update', {
    depotId: b.depotId,
    code: P.depot2Code,
    name: P.depot2Name,
    address: P.depot2Address,
    keeperName: P.depot2Keeper,
    phone: P.depot2Phone,
    capacityNote: P.depot2Capacity,
  });

  const m1 = await rpc.call<{ materialId: number }>('material.create', {
    code: P.materialCode,
    name: P.materialName,
    spec: P.materialSpec,
    unit: P.materialUnit,
    topClass: 1,
    category: P.materialCategory,
    shelfLifeMonths: 24,
    warningDays: 90,
    referencePriceFen: 12_000,
  });
  const m2 = await rpc.call<{ materialId: number }>('material.create', {
    code: 'PLAIN-M2',
    name: '被服（待改名）',
    unit: '件',
    topClass: 1,
  });
  await rpc.call('material.update', {
    materialId: m2.materialId,
    code: P.material2Code,
    name: P.material2Name,
    spec: P.material2Spec,
    unit: P.material2Unit,
    category: P.material2Category,
    referencePriceFen: 3_500,
  });
  await rpc.call('quota.set', { depotId: a.depotId, materialId: m1.materialId, quantity: 100_000 });

  const today = localDate(new Date());
  const line = { supplier: P.supplier, unitPriceFen: 12_000 };
  const receipt = await rpc.call<Posting>('stock.receive', {
    depotId: a.depotId,
    source: 'procurement',
    note: P.receiptNote,
    lines: [
      { ...line, materialId: m1.materialId, quantity: 100, lotNo: P.lot1, expiresOn: addDays(today, 30) },
      { ...line, materialId: m1.materialId, quantity: 50, lotNo: P.lot2 },
      { ...line, materialId: m2.materialId, quantity: 40, lotNo: P.lot3, unitPriceFen: 3_500 },
    ],
  });
  const [lot1A, lot2A, lot3A] = receipt.movements.map((m) => m.batchId) as [number, number, number];

  const issue = await rpc.call<Posting>('stock.issue', {
    depotId: a.depotId,
    recipient: P.recipient,
    reason: P.issueReason,
    note: P.issueNote,
    lines: [{ materialId: m1.materialId, quantity: 10, batchId: lot1A }],
  });
  const transfer = await rpc.call<Posting>('stock.transfer', {
    fromDepotId: a.depotId,
    toDepotId: b.depotId,
    note: P.transferNote,
    lines: [{ materialId: m1.materialId, quantity: 20, batchId: lot1A }],
  });
  const lot1B = transfer.movements.find((m) => m.depotId === b.depotId)!.batchId;
  await rpc.call('stock.scrap', {
    depotId: a.depotId,
    reason: P.scrapReason,
    note: P.scrapNote,
    lines: [{ batchId: lot2A, quantity: 5 }],
  });
  await rpc.call('stock.reverse', { movementId: issue.movements[0]!.movementId, reason: P.reverseReason });

  const st = await rpc.call<{
    stocktakeId: number;
    lines: { lineId: number; batchId: number; bookQuantity: number }[];
  }>('stocktake.open', { depotId: a.depotId, note: P.stocktakeNote });
  await rpc.call('stocktake.count', {
    stocktakeId: st.stocktakeId,
    counts: st.lines.map((l) =>
      l.batchId === lot1A
        ? { lineId: l.lineId, countedQuantity: l.bookQuantity - 1, reason: P.countReason }
        : { lineId: l.lineId, countedQuantity: l.bookQuantity },
    ),
  });
  await rpc.call('stocktake.approve', { stocktakeId: st.stocktakeId });

  const keeper = await rpc.call<{ userId: number }>('user.create', {
    username: KEEPER.username,
    displayName: P.keeperCreated,
    role: 'keeper',
    password: KEEPER.password,
    depotIds: [a.depotId, b.depotId],
  });
  await rpc.call('user.update', { userId: keeper.userId, displayName: P.keeperName });

  return {
    depotA: a.depotId,
    depotB: b.depotId,
    lot1A,
    lot1B,
    lot2A,
    lot3A,
    issueDocNo: issue.docNo,
    stocktakeId: st.stocktakeId,
  };
}

/**
 * What a payload leaves behind if it was rendered as markup: an element of its own, an event
 * handler attribute, a javascript: link, an inline script. Empty when every payload is text.
 */
function injectedMarkup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const name of el.getAttributeNames()) {
        const value = el.getAttribute(name) ?? '';
        if (/^on/i.test(name)) found.push(`<${el.localName} ${name}="${value}">`);
        if (/^(href|src|xlink:href|action|formaction)$/i.test(name) && /^\s*javascript:/i.test(value))
          found.push(`<${el.localName} ${name}="${value}">`);
      }
    }
    for (const selector of ['img[src="x"]', 'svg[onload]', 'u-x', 'iframe', 'object', 'embed'])
      if (document.querySelector(selector)) found.push(selector);
    for (const script of Array.from(document.scripts))
      if (!script.src) found.push(`<script>${script.textContent ?? ''}</script>`);
    return found;
  });
}

/** Collects every dialog (alert, confirm, prompt) the page opens; none is expected. */
function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (dialog: Dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  return dialogs;
}

/**
 * On the screen `where`: each payload is shown in `scope` as text (and visible there), and
 * nothing of any payload became markup or ran.
 */
async function expectLiteral(page: Page, dialogs: string[], where: string, scope: Locator, texts: string[]) {
  await expect(scope, where).toBeVisible();
  try {
    for (const text of texts) {
      await expect(scope, `${where} shows ${text}`).toContainText(text);
      await expect(
        scope.getByText(text).filter({ visible: true }).first(),
        `${where} shows ${text} visibly`,
      ).toBeVisible();
    }
  } catch (error) {
    // A payload rendered as markup is not there as text either: say what it became.
    await expectNothingRan(page, dialogs, where);
    throw error;
  }
  await expectNothingRan(page, dialogs, where);
}

async function expectNothingRan(page: Page, dialogs: string[], where: string) {
  expect(await injectedMarkup(page), `${where}: markup from the data in the DOM`).toEqual([]);
  expect(
    await page.evaluate(() => (window as { __xss?: number }).__xss),
    `${where}: a payload ran`,
  ).toBeUndefined();
  expect(dialogs, `${where}: a payload opened a dialog`).toEqual([]);
}

async function signIn(page: Page, server: Server, account = ADMIN, displayName: string = P.adminName) {
  await page.goto(server.url);
  await page.getByLabel('用户名').fill(account.username);
  await page.getByLabel('密码').fill(account.password);
  await page.getByRole('button', { name: /登\s?录/ }).click();
  await expect(page.getByTestId('current-user')).toContainText(displayName);
}

/** Opens a route and waits for its heading (or, without one, for `ready`). */
async function go(page: Page, server: Server, route: string, ready: string | Locator) {
  await page.goto(`${server.url}/#${route}`);
  await expect(
    typeof ready === 'string' ? page.getByRole('heading', { name: ready, exact: true }).first() : ready,
  ).toBeVisible();
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('stored markup is shown as text on every screen, in Chinese and in English', async ({
  page,
  server,
  request,
}) => {
  const dialogs = watchDialogs(page);
  const s = await seed(new Rpc(request, server.url));
  await signIn(page, server);
  await expectLiteral(page, dialogs, 'top bar', page.getByTestId('current-user'), [P.adminName]);

  // 工作台: the categories as bars (the label is cut to fit; the link's name and tooltip are whole).
  await go(page, server, '/dashboard', '工作台');
  const chart = page.getByTestId('chart-category');
  await expectLiteral(page, dialogs, 'dashboard', chart, []);
  for (const category of [P.materialCategory, P.material2Category]) {
    await expect(chart).toContainText(category);
    await expect(chart.getByRole('link', { name: new RegExp(`^${escape(category)}: `) })).toBeVisible();
  }
  await page.getByRole('combobox', { name: '储备库' }).click();
  const dropdown = openDropdown(page);
  await expectLiteral(page, dialogs, 'dashboard depot filter', dropdown, [P.depotName, P.depot2Name]);
  await page.keyboard.press('Escape');

  // 库存: by depot and material, by batch, and the batches drawer.
  await go(page, server, '/stock', '库存');
  const stock = page.getByTestId('stock-table');
  await expect(page.getByTestId('row-count')).toHaveText('共 3 条');
  const catalogue = [
    P.materialCode,
    P.materialName,
    P.materialSpec,
    P.materialUnit,
    P.materialCategory,
    P.material2Code,
    P.material2Name,
    P.material2Spec,
    P.material2Unit,
    P.material2Category,
  ];
  await expectLiteral(page, dialogs, 'stock by depot', stock, [P.depotName, P.depot2Name, ...catalogue]);
  await page.getByRole('combobox', { name: '类别' }).click();
  await expectLiteral(page, dialogs, 'stock category filter', dropdown, [
    P.materialCategory,
    P.material2Category,
  ]);
  await page.keyboard.press('Escape');
  await page.getByRole('radiogroup', { name: '汇总方式' }).getByText('按批次', { exact: true }).click();
  await expect(page.getByTestId('row-count')).toHaveText('共 4 条');
  await expectLiteral(page, dialogs, 'stock by batch', stock, [
    P.lot1,
    P.lot2,
    P.lot3,
    P.depotName,
    P.depot2Name,
  ]);
  await page.getByRole('radiogroup', { name: '汇总方式' }).getByText('按库和物资', { exact: true }).click();
  await expect(page.getByTestId('row-count')).toHaveText('共 3 条');
  await stock
    .getByRole('row')
    .filter({ hasText: P.depotName })
    .filter({ hasText: P.materialName })
    .first()
    .click();
  const drawer = page.getByRole('dialog').filter({ hasText: '点击批次打开物资卡片' });
  await expectLiteral(page, dialogs, 'batches drawer', drawer, [
    `${P.materialCode} ${P.materialName} · ${P.depotName}`,
    P.materialSpec,
    P.lot1,
    P.lot2,
    P.materialUnit,
  ]);
  await page.keyboard.press('Escape');

  // 物资卡片 of each lot: what it is and where it came from, and every movement of it.
  const cardTitle = page.getByTestId('card-material');
  await go(page, server, `/stock/batch/${s.lot1A}`, cardTitle);
  const card = page.locator('.ant-card').first();
  const cardRows = page.getByTestId('card-movements');
  await expectLiteral(page, dialogs, 'stock card header', card, [
    `${P.materialCode} ${P.materialName}`,
    P.lot1,
    P.depotName,
    P.materialSpec,
    P.materialCategory,
    P.materialUnit,
    P.supplier,
  ]);
  await expectLiteral(page, dialogs, 'stock card movements', cardRows, [
    P.receiptNote,
    P.recipient,
    P.issueReason,
    P.issueNote,
    P.transferNote,
    `调往 ${P.depot2Name}`,
    P.reverseReason,
    P.countReason,
    P.adminName,
  ]);
  await go(page, server, `/stock/batch/${s.lot2A}`, cardTitle);
  await expectLiteral(page, dialogs, 'stock card (scrapped lot)', cardRows, [P.scrapReason, P.scrapNote]);
  await go(page, server, `/stock/batch/${s.lot1B}`, cardTitle);
  await expectLiteral(page, dialogs, 'stock card (transferred lot)', page.locator('#root'), [
    P.depot2Name,
    `来自 ${P.depotName}`,
    P.transferNote,
  ]);
  await go(page, server, `/stock/batch/${s.lot3A}`, cardTitle);
  await expectLiteral(page, dialogs, 'stock card (second material)', card, [
    `${P.material2Code} ${P.material2Name}`,
    P.lot3,
    P.material2Spec,
    P.material2Category,
    P.material2Unit,
  ]);

  // 出入库明细: every movement.
  await go(page, server, '/movements', '出入库明细');
  const ledger = page.getByTestId('movements-table');
  await expect(page.getByTestId('row-count')).toHaveText('共 9 条');
  await expectLiteral(page, dialogs, 'movements', ledger, [
    P.depotName,
    P.depot2Name,
    `${P.materialCode} ${P.materialName}`,
    `${P.material2Code} ${P.material2Name}`,
    P.materialUnit,
    P.material2Unit,
    P.receiptNote,
    P.recipient,
    P.issueReason,
    P.issueNote,
    P.transferNote,
    P.scrapReason,
    P.scrapNote,
    P.reverseReason,
    P.countReason,
    P.adminName,
  ]);

  // 预警清单: the expiring lot (in both depots) and the depot below its quota.
  await go(page, server, '/warnings?type=expiring', '预警清单');
  await expectLiteral(page, dialogs, 'warnings: expiring', page.getByTestId('table-expiring'), [
    P.depotName,
    P.depot2Name,
    P.materialCode,
    P.materialName,
    P.lot1,
    P.materialUnit,
  ]);
  await page.getByRole('tab', { name: /低于储备定额/ }).click();
  await expectLiteral(page, dialogs, 'warnings: below quota', page.getByTestId('table-belowQuota'), [
    P.depotName,
    P.materialCode,
    P.materialName,
    P.materialUnit,
  ]);

  // 盘点: the list and the approved sheet.
  await go(page, server, '/stocktake', '盘点');
  await expectLiteral(page, dialogs, 'stocktake list', page.getByTestId('stocktake-list'), [
    P.depotName,
    P.adminName,
    P.stocktakeNote,
  ]);
  await page.goto(`${server.url}/#/stocktake/${s.stocktakeId}`);
  await expect(page.getByRole('heading', { name: /^盘点单 PD-/ })).toBeVisible();
  await expectLiteral(page, dialogs, 'stocktake sheet', page.locator('#root'), [
    P.depotName,
    P.adminName,
    P.stocktakeNote,
  ]);
  await expectLiteral(page, dialogs, 'stocktake lines', page.getByTestId('count-sheet'), [
    P.materialCode,
    P.materialName,
    P.materialSpec,
    P.materialUnit,
    P.material2Code,
    P.material2Name,
    P.material2Spec,
    P.material2Unit,
    P.lot1,
    P.lot2,
    P.lot3,
    P.countReason,
  ]);
  await page.getByRole('tab', { name: /^盘盈盘亏过账/ }).click();
  await expectLiteral(page, dialogs, 'stocktake posted movements', page.getByTestId('posted-movements'), [
    P.materialName,
    P.lot1,
    P.materialUnit,
    P.countReason,
    P.adminName,
  ]);

  // 红冲: the reversed issue found by its number.
  const reversal = new ReversalPage(page);
  await reversal.open(server.url);
  await reversal.find(s.issueDocNo);
  await expectLiteral(page, dialogs, 'reversal lookup', page.locator('#root'), [
    P.adminName,
    P.recipient,
    P.issueReason,
    P.issueNote,
    P.depotName,
    `${P.materialCode} ${P.materialName}`,
    P.lot1,
    P.materialUnit,
  ]);

  // 储备库: the tree, and each depot's edit drawer (the capacity notes are only there).
  await go(page, server, '/admin/depots', '储备库');
  const depots = page.getByTestId('depots-table');
  await expectLiteral(page, dialogs, 'depots', depots, [
    P.depotCode,
    P.depotName,
    P.depotAddress,
    P.depotKeeper,
    P.depotPhone,
    P.depot2Code,
    P.depot2Name,
    P.depot2Address,
    P.depot2Keeper,
    P.depot2Phone,
  ]);
  for (const [code, name, capacity] of [
    [P.depotCode, P.depotName, P.depotCapacity],
    [P.depot2Code, P.depot2Name, P.depot2Capacity],
  ] as const) {
    await depots.getByRole('row').filter({ hasText: code }).getByText('编辑', { exact: true }).click();
    const depotDrawer = page.getByRole('dialog').filter({ hasText: '编辑储备库' });
    await expectLiteral(page, dialogs, 'depot drawer', depotDrawer, [`编辑储备库 ${name}`]);
    await expect(depotDrawer.getByLabel('名称')).toHaveValue(name);
    await expect(depotDrawer.getByLabel('库容说明')).toHaveValue(capacity);
    await expectNothingRan(page, dialogs, 'depot drawer');
    await depotDrawer.getByRole('button', { name: /取\s?消/ }).click();
    await expect(depotDrawer).toBeHidden();
  }

  // 物资目录, 用户, 储备定额.
  await go(page, server, '/admin/materials', '物资目录');
  await expectLiteral(page, dialogs, 'materials', page.getByTestId('materials-table'), catalogue);
  await go(page, server, '/admin/users', '用户');
  await expectLiteral(page, dialogs, 'users', page.getByTestId('users-table'), [
    P.adminName,
    P.keeperName,
    `${P.depotName}、${P.depot2Name}`,
  ]);
  await go(page, server, '/admin/quotas', '储备定额');
  await choose(page, page.locator('body'), '储备库', P.depotName);
  await expectLiteral(
    page,
    dialogs,
    'quotas',
    page.getByTestId('quotas-table'),
    catalogue.filter((t) => t !== P.materialCategory && t !== P.material2Category),
  );

  // The same in English: the stock card and the ledger.
  await page.locator('.ant-layout-header').getByText('English', { exact: true }).click();
  await go(page, server, `/stock/batch/${s.lot1A}`, page.getByText('Stock card', { exact: true }));
  await expectLiteral(page, dialogs, 'stock card (en)', page.locator('#root'), [
    `${P.materialCode} ${P.materialName}`,
    P.lot1,
    P.depotName,
    P.supplier,
    P.recipient,
    P.issueReason,
    `To ${P.depot2Name}`,
    P.adminName,
  ]);
  await go(page, server, '/movements', 'Movements');
  await expectLiteral(page, dialogs, 'movements (en)', page.getByTestId('movements-table'), [
    P.depotName,
    P.receiptNote,
    P.scrapReason,
    P.countReason,
    P.adminName,
  ]);
  await go(page, server, '/admin/depots', 'Depots');
  await expectLiteral(page, dialogs, 'depots (en)', page.getByTestId('depots-table'), [
    P.depotName,
    P.depot2Address,
  ]);

  // Long enough for a late image error or load event to have fired.
  await page.waitForTimeout(500);
  await expectNothingRan(page, dialogs, 'at the end');
});

test('stored and typed markup is printed as text on every stock document', async ({
  page,
  server,
  request,
}) => {
  const dialogs = watchDialogs(page);
  await seed(new Rpc(request, server.url));
  await signIn(page, server);
  const doc = page.getByTestId('print-document');
  const material = `${P.materialName}（${P.materialSpec}）`;

  // 入库单
  const receipt = new StockFormPage(page, 'receipt');
  await receipt.open(server.url);
  await receipt.choose('depotId', '市级库', P.depotName);
  await receipt.field('supplier').fill(P.uiSupplier);
  await receipt.scanMaterial(0, P.materialCode);
  await receipt.lineField(0, 'lotNo').fill(P.uiLot);
  await receipt.lineField(0, 'quantity').fill('7');
  await receipt.field('note').fill(P.uiReceiptNote);
  await expectNothingRan(page, dialogs, 'receipt form');
  await receipt.submitButton().click();
  await receipt.postedDocNo();
  await expectLiteral(page, dialogs, 'receipt posted', receipt.posted(), [
    P.materialCode,
    P.materialName,
    P.uiLot,
    P.materialUnit,
  ]);
  await receipt.print();
  await expectLiteral(page, dialogs, 'printed receipt', doc, [
    P.depotName,
    P.uiSupplier,
    P.materialCode,
    material,
    P.uiLot,
    P.materialUnit,
    P.uiReceiptNote,
    P.adminName,
  ]);
  await receipt.closePrint();
  await receipt.newOne();

  // 出库单, after a refusal that names the material and the depot.
  const issue = new StockFormPage(page, 'issue');
  await issue.open(server.url);
  await issue.choose('depotId', '市级库', P.depotName);
  await issue.field('recipient').fill(P.uiRecipient);
  await issue.field('reason').fill(P.uiIssueReason);
  await issue.scanMaterial(0, P.materialCode);
  await issue.lineField(0, 'batch').click();
  await expectLiteral(page, dialogs, 'issue batch choice', openDropdown(page), [P.lot1, P.uiLot]);
  await page.keyboard.press('Escape');
  await issue.lineField(0, 'quantity').fill('999999');
  await issue.field('note').fill(P.uiIssueNote);
  await issue.submitButton().click();
  await expectLiteral(page, dialogs, 'issue refused', issue.fieldError('lines_0_quantity'), [
    `「${P.materialName}」在「${P.depotName}」可用库存不足`,
  ]);
  await issue.lineField(0, 'quantity').fill('3');
  await issue.submitButton().click();
  const issueNo = await issue.postedDocNo();
  await expectLiteral(page, dialogs, 'issue posted', page.getByTestId('picked-batches'), [
    P.materialName,
    P.lot1,
  ]);
  await issue.print();
  await expectLiteral(page, dialogs, 'printed issue', doc, [
    P.depotName,
    P.uiRecipient,
    P.uiIssueReason,
    P.materialCode,
    material,
    P.lot1,
    P.materialUnit,
    P.uiIssueNote,
    P.adminName,
  ]);
  await issue.closePrint();
  await issue.newOne();

  // 调拨单
  const transfer = new StockFormPage(page, 'transfer');
  await transfer.open(server.url);
  await transfer.choose('fromDepotId', '市级库', P.depotName);
  await transfer.choose('toDepotId', '区级库', P.depot2Name);
  await transfer.scanMaterial(0, P.materialCode);
  await transfer.lineField(0, 'quantity').fill('2');
  await transfer.field('note').fill(P.uiTransferNote);
  await transfer.submitButton().click();
  await transfer.postedDocNo();
  await expectLiteral(page, dialogs, 'transfer posted', transfer.posted(), [
    P.depotName,
    P.depot2Name,
    P.lot1,
  ]);
  await transfer.print();
  await expectLiteral(page, dialogs, 'printed transfer', doc, [
    P.depotName,
    P.depot2Name,
    P.materialCode,
    material,
    P.lot1,
    P.materialUnit,
    P.uiTransferNote,
    P.adminName,
  ]);
  await transfer.closePrint();
  await transfer.newOne();

  // 报废单
  const scrap = new StockFormPage(page, 'scrap');
  await scrap.open(server.url);
  await scrap.choose('depotId', '市级库', P.depotName);
  await scrap.field('reason').fill(P.uiScrapReason);
  await scrap.choose('lines_0_batch', 'javascript', P.lot2);
  await scrap.lineField(0, 'quantity').fill('1');
  await scrap.field('note').fill(P.uiScrapNote);
  await scrap.submitButton().click();
  await scrap.postedDocNo();
  await scrap.print();
  await expectLiteral(page, dialogs, 'printed scrap', doc, [
    P.depotName,
    P.uiScrapReason,
    P.materialCode,
    material,
    P.lot2,
    P.materialUnit,
    P.uiScrapNote,
    P.adminName,
  ]);
  await scrap.closePrint();
  await scrap.newOne();

  // 红冲单 of the issue just posted.
  const reversal = new ReversalPage(page);
  await reversal.open(server.url);
  await reversal.find(issueNo);
  await reversal.reverse(P.uiReverseReason);
  await reversal.postedDocNos();
  await expectLiteral(page, dialogs, 'reversal posted', reversal.posted(), [
    P.depotName,
    P.materialName,
    P.lot1,
  ]);
  await reversal
    .posted()
    .getByRole('button', { name: /打\s?印/ })
    .click();
  await expectLiteral(page, dialogs, 'printed reversal', doc, [
    issueNo,
    P.uiReverseReason,
    P.depotName,
    P.materialCode,
    P.materialName,
    P.lot1,
    P.materialUnit,
    P.adminName,
  ]);
  // As printed (only the paper shows).
  await page.emulateMedia({ media: 'print' });
  await expect(doc).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  await page.waitForTimeout(500);
  await expectNothingRan(page, dialogs, 'at the end');
});

test("a keeper's top bar and the idle lock show the stored names as text", async ({
  page,
  server,
  request,
}) => {
  const dialogs = watchDialogs(page);
  const rpc = new Rpc(request, server.url);
  await seed(rpc);
  await rpc.call('settings.update', { idleLockMinutes: 1 });
  await page.clock.install();
  await signIn(page, server, KEEPER, P.keeperName);
  await expectLiteral(page, dialogs, 'keeper top bar', page.locator('.ant-layout-header'), [
    P.keeperName,
    `负责：${P.depotName}、${P.depot2Name}`,
  ]);
  await page.clock.fastForward('02:00');
  const lock = page.getByRole('dialog').filter({ hasText: '屏幕已锁定' });
  await expectLiteral(page, dialogs, 'idle lock', lock, [P.keeperName]);
  await expect(lock.getByLabel(P.keeperName)).toBeVisible();
  await expectNothingRan(page, dialogs, 'at the end');
});
