import { expect, type Locator, type Page } from '@playwright/test';
import { openFromMenu, choose } from './antdHelpers';

/** 储备定额 */
export class AdminQuotasPage {
  constructor(private readonly page: Page) {}

  async open() {
    await openFromMenu(this.page, '储备定额');
  }

  async chooseDepot(name: string) {
    await choose(this.page, this.page.locator('body'), '储备库', name);
    await expect(this.table().locator('.ant-table-row').first()).toBeVisible();
  }

  table(): Locator {
    return this.page.getByTestId('quotas-table');
  }

  async search(text: string) {
    await this.page.getByLabel('物资编码、名称或规格').fill(text);
  }

  /** The new-quota input of the material with this code (shown on screen). */
  quotaInput(code: string): Locator {
    return this.page.getByLabel(`新定额 ${code}`, { exact: true });
  }

  row(code: string): Locator {
    return this.table()
      .locator('.ant-table-row')
      .filter({ has: this.quotaInput(code) });
  }

  async save() {
    await this.page.getByRole('button', { name: /保存（\d+ 项修改）$/ }).click();
    await expect(this.page.getByText(/已保存 \d+ 项定额/)).toBeVisible();
  }
}
