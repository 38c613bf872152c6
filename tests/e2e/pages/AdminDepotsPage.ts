import type { Locator, Page } from '@playwright/test';
import { openFromMenu, choose, saveAndClose } from './antdHelpers';

/** 储备库 */
export class AdminDepotsPage {
  constructor(private readonly page: Page) {}

  async open() {
    await openFromMenu(this.page, '储备库');
  }

  drawer(): Locator {
    return this.page.getByRole('dialog').filter({ hasText: /新增储备库|编辑储备库/ });
  }

  table(): Locator {
    return this.page.getByTestId('depots-table');
  }

  async create(fields: {
    code: string;
    name: string;
    level: string;
    parent?: string;
    address?: string;
    keeper?: string;
    phone?: string;
  }) {
    await this.page.getByRole('button', { name: '新增储备库' }).click();
    const d = this.drawer();
    await d.getByLabel('编码').fill(fields.code);
    await d.getByLabel('名称').fill(fields.name);
    await choose(this.page, d, '级别', fields.level);
    if (fields.parent) await choose(this.page, d, '上级储备库', fields.parent);
    if (fields.address) await d.getByLabel('地址').fill(fields.address);
    if (fields.keeper) await d.getByLabel('保管员').fill(fields.keeper);
    if (fields.phone) await d.getByLabel('电话').fill(fields.phone);
    await saveAndClose(d);
  }
}
