/**
 * Stock entry screens end to end: the demo keeper receives two lots (one keyboard-only, the
 * material scanned as code + Enter), issues first-expiry-first-out, transfers to another depot,
 * scraps, reverses the issue and the transfer; the server's balances follow. Server refusals land
 * on the field they name with the typed values kept; a double click posts once; a keeper cannot
 * use a depot that is not theirs.
 */
import { DEMO_ACCOUNTS } from '../../src/main/demo';
import { addDays, localDate } from '../../src/shared/dates';
import { expect, screenshot, test, type Server } from './fixtures';
import { ReversalPage } from './pages/ReversalPage';
import { StockFormPage } from './pages/StockFormPage';

const RATIONS = 'WZ0056'; // 野战食品, shelf life 24 months

async function depotId(server: Server, code: string): Promise<number> {
  return (
    await server.app.db
      .selectFrom('depots')
      .select('depotId')
      .where('code', '=', code)
      .executeTakeFirstOrThrow()
  ).depotId;
}

/** On hand of a lot in a depot (by lot number), straight from the ledger's balances. */
async function lotOnHand(server: Server, depotCode: string, lotNo: string): Promise<number> {
  const row = await server.app.db
    .selectFrom('batchBalances as bb')
    .innerJoin('batches as b', 'b.batchId', 'bb.batchId')
    .innerJoin('depots as d', 'd.depotId', 'bb.depotId')
    .select((eb) => eb.fn.sum<number | null>('bb.onHand').as('n'))
    .where('d.code', '=', depotCode)
    .where('b.lotNo', '=', lotNo)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

async function movementCount(server: Server): Promise<number> {
  const row = await server.app.db
    .selectFrom('movements')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function tokenOf(server: Server, role: 'keeper'): Promise<string> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
  const response = await server.app.dispatch({
    procedure: 'auth.login',
    input: { username: account.username, password: account.password },
  });
  if (!response.ok) throw new Error(response.error.message);
  return (response.result as { token: string }).token;
}

const today = localDate(new Date());
const producedA = addDays(today, -30);
const expiresA = addDays(today, 60);
const expiresB = addDays(today, 300);

test('keeper: receive two lots by keyboard, issue FEFO, transfer, scrap, reverse; balances follow', async ({
  page,
  demoServer,
  signIn,
}) => {
  test.setTimeout(300_000); // a long walk through five screens
  await signIn('keeper');
  const receipt = new StockFormPage(page, 'receipt');
  await receipt.open(demoServer.url);

  // Defaults: the keeper's first depot and today.
  await expect(page.locator('.ant-form-item').filter({ has: receipt.field('depotId') })).toContainText(
    '青岛市级应急物资储备库',
  );
  await expect(receipt.page.locator('.stock-form')).toContainText(today);

  // Line 1 by keyboard only: the cursor starts at the supplier, Enter goes to the first line's
  // material, where a scanner types the code and Enter.
  await expect(receipt.field('supplier')).toBeFocused();
  await page.keyboard.type('青岛某某食品有限公司');
  await page.keyboard.press('Enter');
  await expect(receipt.lineField(0, 'material')).toBeFocused();
  await page.keyboard.type(RATIONS, { delay: 5 });
  await page.keyboard.press('Enter');
  await expect(receipt.lineField(0, 'lotNo')).toBeFocused();
  await expect(receipt.lineRows().nth(0)).toContainText('野战食品');
  await page.keyboard.type('E2E-A');
  await page.keyboard.press('Enter');
  await expect(receipt.lineField(0, 'producedOn')).toBeFocused();
  await page.keyboard.type(producedA.replaceAll('-', ''));
  await page.keyboard.press('Enter');
  await expect(receipt.lineField(0, 'expiresOn')).toBeFocused();
  await page.keyboard.type(expiresA);
  await page.keyboard.press('Enter');
  await expect(receipt.lineField(0, 'quantity')).toBeFocused();
  await page.keyboard.type('1200');
  await page.keyboard.press('Enter');
  await expect(receipt.lineField(0, 'quantity')).toHaveValue('1,200');
  await expect(receipt.lineField(0, 'unitPrice')).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('85.5');
  await page.keyboard.press('Tab'); // Tab works as well as Enter
  // A new line appeared when the first was used; the second lot, again by scanner and keyboard.
  await expect(receipt.lineRows()).toHaveCount(2);
  await receipt.lineField(1, 'material').focus();
  await page.keyboard.type(RATIONS, { delay: 5 });
  await page.keyboard.press('Enter');
  await expect(receipt.lineField(1, 'lotNo')).toBeFocused();
  await page.keyboard.type('E2E-B');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter'); // no production date
  await expect(receipt.lineField(1, 'expiresOn')).toBeFocused();
  await page.keyboard.type(expiresB);
  await page.keyboard.press('Enter');
  await page.keyboard.type('800');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter'); // keep the reference price
  // The blank third line's material: Enter leaves the lines for the note.
  await expect(receipt.lineField(2, 'material')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(receipt.field('note')).toBeFocused();
  await page.keyboard.type('E2E 采购合同 HT-2026-018');
  await expect(page.getByTestId('form-totals')).toContainText('2 行');
  await expect(page.getByTestId('form-totals')).toContainText('2,000');
  await screenshot(page, 'receipt');
  await receipt.field('note').press('Enter'); // Enter on the last field submits

  const receiptNo = await receipt.postedDocNo();
  expect(receiptNo).toMatch(/^RK-\d{8}-\d{4}$/);
  expect(await lotOnHand(demoServer, 'QD-SJ', 'E2E-A')).toBe(1200);
  expect(await lotOnHand(demoServer, 'QD-SJ', 'E2E-B')).toBe(800);
  const lots = await demoServer.app.db
    .selectFrom('batches')
    .select(['lotNo', 'producedOn', 'expiresOn', 'unitPriceFen', 'supplier'])
    .where('lotNo', 'like', 'E2E-%')
    .orderBy('lotNo')
    .execute();
  expect(lots[0]).toMatchObject({
    lotNo: 'E2E-A',
    producedOn: producedA,
    expiresOn: expiresA,
    unitPriceFen: 8550,
    supplier: '青岛某某食品有限公司',
  });
  expect(lots[1]).toMatchObject({ lotNo: 'E2E-B', producedOn: null, expiresOn: expiresB });

  // The printed receipt note: A4, title, number, lines, totals, signatures.
  await receipt.print();
  const doc = page.getByTestId('print-document');
  await expect(doc).toContainText('入 库 单');
  await expect(page.getByTestId('print-doc-no')).toHaveText(receiptNo);
  await expect(doc).toContainText('青岛市级应急物资储备库');
  await expect(doc).toContainText('E2E-A');
  await expect(doc).toContainText('2,000');
  await expect(doc).toContainText('保管员');
  // The audit chain head as the receipt left it, for check --anchor.
  await expect(page.getByTestId('print-anchor')).toHaveText(/^审计链 \d+:[0-9a-f]{16}$/);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.print-toolbar')).toBeHidden();
  await expect(page.locator('#root')).toBeHidden();
  await screenshot(page, 'print-receipt');
  await page.emulateMedia({ media: 'screen' });
  await receipt.closePrint();
  await receipt.newOne();
  await expect(receipt.lineRows()).toHaveCount(1);

  // Issue: no batch chosen, so the earlier-expiring lot E2E-A is taken (FEFO).
  const issue = new StockFormPage(page, 'issue');
  await page.locator('.ant-layout-sider').getByRole('link', { name: '出库' }).click();
  await expect(issue.field('recipient')).toBeFocused();
  await page.keyboard.type('沙子口街道办事处');
  await page.keyboard.press('Enter');
  await page.keyboard.type('防汛应急抢险');
  await page.keyboard.press('Enter');
  await expect(issue.lineField(0, 'material')).toBeFocused();
  await page.keyboard.type(RATIONS, { delay: 5 });
  await page.keyboard.press('Enter');
  await expect(issue.lineField(0, 'batch')).toBeFocused();
  await page.keyboard.press('Enter'); // batch left to FEFO
  await expect(issue.lineField(0, 'quantity')).toBeFocused();
  await page.keyboard.type('500');
  await expect(issue.lineRows().nth(0).getByTestId('stock-hint')).toContainText('可用');
  await screenshot(page, 'issue');
  await page.keyboard.press('Enter');
  await expect(issue.lineField(1, 'material')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(issue.field('note')).toBeFocused();
  await page.keyboard.press('Enter');
  const issueNo = await issue.postedDocNo();
  expect(issueNo).toMatch(/^CK-\d{8}-\d{4}$/);
  await expect(page.getByTestId('picked-batches')).toContainText('E2E-A');
  await expect(page.getByTestId('picked-batches')).not.toContainText('E2E-B');
  await screenshot(page, 'issue-posted');
  expect(await lotOnHand(demoServer, 'QD-SJ', 'E2E-A')).toBe(700);
  expect(await lotOnHand(demoServer, 'QD-SJ', 'E2E-B')).toBe(800);
  await issue.print();
  await expect(page.getByTestId('print-document')).toContainText('出 库 单');
  await expect(page.getByTestId('print-document')).toContainText('沙子口街道办事处');
  await issue.closePrint();
  await issue.newOne();

  // Transfer 300 of the later lot, chosen explicitly, to the keeper's other depot.
  const transfer = new StockFormPage(page, 'transfer');
  await transfer.open(demoServer.url);
  await transfer.choose('toDepotId', '崂山', '崂山区应急物资储备库');
  await transfer.scanMaterial(0, RATIONS);
  await transfer.choose('lines_0_batch', 'E2E-B');
  await transfer.lineField(0, 'quantity').fill('300');
  await transfer.field('note').fill('防台物资前置');
  await expect(transfer.lineRows().nth(0).getByTestId('stock-hint')).toContainText('批次结存 800');
  await screenshot(page, 'transfer');
  await transfer.submitButton().click();
  const transferNo = await transfer.postedDocNo();
  expect(transferNo).toMatch(/^YK-\d{8}-\d{4}$/);
  expect(await lotOnHand(demoServer, 'QD-SJ', 'E2E-B')).toBe(500);
  expect(await lotOnHand(demoServer, 'QD-LS', 'E2E-B')).toBe(300);
  await transfer.print();
  await expect(page.getByTestId('print-document')).toContainText('调 拨 单');
  await screenshot(page, 'print-transfer');
  await transfer.closePrint();
  await transfer.newOne();

  // Reverse the issue: E2E-A is whole again.
  const reversal = new ReversalPage(page);
  await reversal.open(demoServer.url);
  await reversal.find(issueNo);
  await expect(reversal.rows()).toHaveCount(1);
  await expect(reversal.rows().first()).toContainText('可红冲');
  await reversal.reason().fill('领用单位填错，红冲后重新出库');
  await screenshot(page, 'reversal');
  await reversal.reverse('领用单位填错，红冲后重新出库');
  const [reversalNo] = await reversal.postedDocNos();
  expect(reversalNo).toMatch(/^HC-\d{8}-\d{4}$/);
  await screenshot(page, 'reversal-posted');
  expect(await lotOnHand(demoServer, 'QD-SJ', 'E2E-A')).toBe(1200);
  await reversal.posted().getByRole('button', { name: '继续红冲' }).click();
  // Once reversed, it cannot be chosen again.
  await reversal.find(issueNo);
  await expect(reversal.rows().first()).toContainText(`已红冲 ${reversalNo}`);
  await expect(page.getByRole('button', { name: '红冲所选记录' })).toBeDisabled();

  // Reverse the transfer from a link to its incoming movement: both depots go back.
  const transferIn = await demoServer.app.db
    .selectFrom('movements')
    .select('movementId')
    .where('docNo', '=', transferNo)
    .where('type', '=', 'transfer_in')
    .executeTakeFirstOrThrow();
  await reversal.open(demoServer.url, transferIn.movementId);
  await expect(reversal.rows()).toHaveCount(2);
  await expect(page.getByText('调出库和调入库两边一并冲回').first()).toBeVisible();
  await expect(page.getByText('已选 1 条')).toBeVisible();
  await reversal.reverse('调拨目的库选错');
  await expect(reversal.posted()).toContainText('调拨已在调出库和调入库两边冲回');
  expect(await lotOnHand(demoServer, 'QD-SJ', 'E2E-B')).toBe(800);
  expect(await lotOnHand(demoServer, 'QD-LS', 'E2E-B')).toBe(0);

  // Scrap 20 of the later lot, chosen by lot number.
  const scrap = new StockFormPage(page, 'scrap');
  await scrap.open(demoServer.url);
  await scrap.field('reason').fill('包装破损受潮，经鉴定报废');
  await scrap.choose('lines_0_batch', 'E2E-B');
  await scrap.lineField(0, 'quantity').fill('20');
  await scrap.submitButton().click();
  expect(await scrap.postedDocNo()).toMatch(/^BF-\d{8}-\d{4}$/);
  expect(await lotOnHand(demoServer, 'QD-SJ', 'E2E-B')).toBe(780);
  await scrap.newOne();
});

test('a server refusal lands on the quantity field; nothing typed is lost, not on a dropped connection nor a reload', async ({
  page,
  demoServer,
  signIn,
}) => {
  test.setTimeout(180_000);
  await signIn('keeper');
  const issue = new StockFormPage(page, 'issue');
  await issue.open(demoServer.url);
  await issue.field('recipient').fill('王哥庄街道办事处');
  await issue.scanMaterial(0, RATIONS);
  await issue.lineField(0, 'quantity').fill('9999999');
  const before = await movementCount(demoServer);

  // The connection drops on the first try: a message, and the form as it was.
  let dropped = 0;
  await page.route('**/rpc', async (route) => {
    const body = route.request().postDataJSON() as { procedure?: string } | null;
    if (body?.procedure === 'stock.issue' && dropped === 0) {
      dropped += 1;
      await route.abort('connectionreset');
    } else await route.fallback();
  });
  await issue.submitButton().click();
  await expect(issue.alert()).toContainText('无法连接到服务');
  await expect(issue.field('recipient')).toHaveValue('王哥庄街道办事处');
  await expect(issue.lineField(0, 'quantity')).toHaveValue('9,999,999');

  // Connected again: the server refuses the quantity, and says so on that field.
  await issue.submitButton().click();
  await expect(issue.fieldError('lines_0_quantity')).toContainText('可用库存不足');
  await expect(issue.fieldError('lines_0_quantity')).toContainText('9,999,999');
  await expect(issue.alert()).toHaveCount(0);
  await expect(issue.field('recipient')).toHaveValue('王哥庄街道办事处');
  await expect(issue.lineRows().nth(0)).toContainText('野战食品');
  await expect(issue.lineField(0, 'quantity')).toHaveValue('9,999,999');
  expect(await movementCount(demoServer)).toBe(before);

  // Even a reload keeps the unsent document.
  await page.reload();
  await expect(page.getByText('已恢复上次未提交的内容')).toBeVisible();
  await expect(issue.field('recipient')).toHaveValue('王哥庄街道办事处');
  await expect(issue.lineRows().nth(0)).toContainText('野战食品');
  await expect(issue.lineField(0, 'quantity')).toHaveValue('9,999,999');

  // Corrected, it posts once.
  await issue.lineField(0, 'quantity').fill('10');
  await issue.submitButton().click();
  expect(await issue.postedDocNo()).toMatch(/^CK-\d{8}-\d{4}$/);
  expect(await movementCount(demoServer)).toBe(before + 1);
});

test('double-clicking submit posts once; the idempotency key changes only with the values', async ({
  page,
  demoServer,
  signIn,
}) => {
  test.setTimeout(180_000);
  await signIn('keeper');
  const receipt = new StockFormPage(page, 'receipt');
  await receipt.open(demoServer.url);
  const keys: string[] = [];
  page.on('request', (r) => {
    const body = r.url().endsWith('/rpc')
      ? (r.postDataJSON() as { procedure?: string; idempotencyKey?: string } | null)
      : null;
    if (body?.procedure === 'stock.receive') keys.push(body.idempotencyKey ?? '');
  });
  const fill = async () => {
    await receipt.scanMaterial(0, RATIONS);
    await receipt.lineField(0, 'lotNo').fill('E2E-DBL');
    await receipt.lineField(0, 'quantity').fill('50');
  };
  await fill();
  const before = await movementCount(demoServer);
  await receipt.submitButton().dblclick();
  const first = await receipt.postedDocNo();
  expect(await movementCount(demoServer)).toBe(before + 1);
  expect(keys.length).toBeGreaterThan(0);
  expect(new Set(keys).size).toBe(1);
  expect(keys[0]).not.toBe('');

  // The same values again after success are a new document, with a new key.
  await receipt.newOne();
  await fill();
  await receipt.submitButton().click();
  const second = await receipt.postedDocNo();
  expect(second).not.toBe(first);
  expect(await movementCount(demoServer)).toBe(before + 2);
  expect(new Set(keys).size).toBe(2);

  // The server answers a repeated key with the first response instead of writing again.
  const token = await tokenOf(demoServer, 'keeper');
  const { materialId } = await demoServer.app.db
    .selectFrom('materials')
    .select('materialId')
    .where('code', '=', RATIONS)
    .executeTakeFirstOrThrow();
  const request = {
    procedure: 'stock.receive',
    token,
    idempotencyKey: 'e2e-replay',
    input: {
      depotId: await depotId(demoServer, 'QD-SJ'),
      source: 'procurement',
      lines: [{ materialId, quantity: 5, lotNo: 'E2E-DBL' }],
    },
  };
  const [a, b] = await Promise.all([demoServer.app.dispatch(request), demoServer.app.dispatch(request)]);
  expect(a).toEqual(b);
  expect(await movementCount(demoServer)).toBe(before + 3);
});

test('a keeper chooses only their own depots, and the server refuses the others anyway', async ({
  page,
  demoServer,
  signIn,
}) => {
  test.setTimeout(120_000);
  await signIn('keeper');
  const receipt = new StockFormPage(page, 'receipt');
  await receipt.open(demoServer.url);
  await receipt.field('depotId').click();
  const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
  await expect(options).toHaveCount(2);
  await expect(options.filter({ hasText: '青岛市级应急物资储备库' })).toHaveCount(1);
  await expect(options.filter({ hasText: '崂山区应急物资储备库' })).toHaveCount(1);
  await receipt.field('depotId').fill('黄岛');
  await expect(options).toHaveCount(0);
  await page.keyboard.press('Escape');

  // A transfer may go to any depot, but only leave the keeper's own.
  const transfer = new StockFormPage(page, 'transfer');
  await transfer.open(demoServer.url);
  await transfer.field('fromDepotId').click();
  await expect(options).toHaveCount(2);
  await page.keyboard.press('Escape');
  await transfer.field('toDepotId').click();
  await expect(options.filter({ hasText: '黄岛区应急物资储备库' })).toHaveCount(1);
  await page.keyboard.press('Escape');

  // Straight to the server with the keeper's session: refused, nothing written.
  const token = await tokenOf(demoServer, 'keeper');
  const huangdao = await depotId(demoServer, 'QD-HD');
  const { materialId } = await demoServer.app.db
    .selectFrom('materials')
    .select('materialId')
    .where('code', '=', RATIONS)
    .executeTakeFirstOrThrow();
  const before = await movementCount(demoServer);
  const receive = await demoServer.app.dispatch({
    procedure: 'stock.receive',
    token,
    locale: 'zh-CN',
    input: { depotId: huangdao, source: 'procurement', lines: [{ materialId, quantity: 1, lotNo: 'E2E-X' }] },
  });
  expect(receive.ok).toBe(false);
  if (!receive.ok) {
    expect(receive.error.code).toBe('FORBIDDEN');
    expect(receive.error.message).toContain('黄岛区应急物资储备库');
  }
  const issue = await demoServer.app.dispatch({
    procedure: 'stock.issue',
    token,
    input: { depotId: huangdao, recipient: '某单位', lines: [{ materialId, quantity: 1 }] },
  });
  expect(issue.ok ? 'ok' : issue.error.code).toBe('FORBIDDEN');
  expect(await movementCount(demoServer)).toBe(before);
});
