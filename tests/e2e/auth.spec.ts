import { DEMO_ACCOUNTS } from '../../src/main/demo';
import { expect, screenshot, test } from './fixtures';
import { LoginPage } from './pages/LoginPage';

test('first run: the administrator is created and signed in', async ({ page, server }) => {
  await page.goto(server.url);
  await expect(page.getByText('欢迎使用')).toBeVisible();
  await screenshot(page, 'setup');
  await page.getByLabel('用户名').fill('chief');
  await page.getByLabel('姓名').fill('王主任');
  await page.getByLabel('密码', { exact: true }).fill('Secret123');
  await page.getByLabel('确认密码').fill('Secret123');
  await page.getByRole('button', { name: '创建并登录' }).click();
  await expect(page.getByTestId('current-user')).toContainText('王主任');
  await expect(page.getByTestId('current-user')).toContainText('管理员');
  const users = await server.app.db.selectFrom('users').select(['username', 'role']).execute();
  expect(users).toEqual([{ username: 'chief', role: 'admin' }]);
});

test('first run: a weak password is refused on its field and nothing is created', async ({
  page,
  server,
}) => {
  await page.goto(server.url);
  await page.getByLabel('用户名').fill('chief');
  await page.getByLabel('姓名').fill('王主任');
  await page.getByLabel('密码', { exact: true }).fill('short');
  await page.getByLabel('确认密码').fill('short');
  await page.getByRole('button', { name: '创建并登录' }).click();
  await expect(page.getByText('密码至少 8 位，且包含字母和数字')).toBeVisible();
  await expect(page.getByLabel('用户名')).toHaveValue('chief');
  expect(await server.app.db.selectFrom('users').selectAll().execute()).toHaveLength(0);
});

test('first run: the demo data opens with its banner and accounts', async ({ page, server }) => {
  await page.goto(server.url);
  await page.getByRole('button', { name: '载入演示数据' }).click();
  await expect(page.getByTestId('demo-banner')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('演示账号')).toBeVisible();
  await screenshot(page, 'login-demo');
});

test('login fails with a generic message, then succeeds', async ({ page, demoServer }) => {
  const keeper = DEMO_ACCOUNTS.find((a) => a.role === 'keeper')!;
  await page.goto(demoServer.url);
  const login = new LoginPage(page);
  await login.signIn(keeper.username, 'wrong-password-1');
  await expect(login.error()).toHaveText('用户名或密码错误');
  await login.signIn('nobody', 'wrong-password-1');
  await expect(login.error()).toHaveText('用户名或密码错误');
  await login.signIn(keeper.username, keeper.password);
  await expect(page.getByTestId('current-user')).toContainText('保管员');
  await expect(page.getByTestId('demo-banner')).toBeVisible();
});

test('an ended session returns to login and then to the same screen', async ({
  page,
  demoServer,
  signIn,
}) => {
  await signIn('keeper');
  await page.goto(`${demoServer.url}/#/account/password`);
  await page.getByLabel('当前密码').fill('typed-before-expiry');
  await demoServer.app.db.deleteFrom('sessions').execute();
  await page.getByLabel('新密码', { exact: true }).fill('Another123');
  await page.getByLabel('确认新密码').fill('Another123');
  await page.getByRole('button', { name: /保\s?存/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText('登录已失效')).toBeVisible();
  const keeper = DEMO_ACCOUNTS.find((a) => a.role === 'keeper')!;
  await dialog.getByLabel('密码').fill(keeper.password);
  await dialog.getByRole('button', { name: /登\s?录/ }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/#\/account\/password$/);
  await expect(page.getByLabel('当前密码')).toHaveValue('typed-before-expiry');
});

test('the interface switches to English and back', async ({ page, signIn }) => {
  await signIn('coordinator');
  await page.getByText('English', { exact: true }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByTestId('current-user')).toContainText('Coordinator');
  await screenshot(page, 'english');
  await page.getByText('中文', { exact: true }).click();
  await expect(page.getByRole('button', { name: /退出登录/ })).toBeVisible();
});
