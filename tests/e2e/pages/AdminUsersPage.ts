import type { Locator, Page } from '@playwright/test';
import { openFromMenu, choose, saveAndClose } from './antdHelpers';

/** 用户 */
export class AdminUsersPage {
  constructor(private readonly page: Page) {}

  async open() {
    await openFromMenu(this.page, '用户');
  }

  dialog(): Locator {
    return this.page.getByRole('dialog').filter({ hasText: /新增用户|编辑用户/ });
  }

  table(): Locator {
    return this.page.getByTestId('users-table');
  }

  async create(fields: {
    username: string;
    displayName: string;
    role: string;
    depots?: string[];
    password: string;
  }) {
    await this.page.getByRole('button', { name: '新增用户' }).click();
    const d = this.dialog();
    await d.getByLabel('用户名').fill(fields.username);
    await d.getByLabel('姓名').fill(fields.displayName);
    await choose(this.page, d, '角色', fields.role);
    for (const depot of fields.depots ?? []) {
      await choose(this.page, d, '负责储备库', depot);
      await d.getByLabel('负责储备库').press('Escape');
    }
    await d.getByLabel('初始密码').fill(fields.password);
    await d.getByLabel('确认密码').fill(fields.password);
    await saveAndClose(d);
  }
}
