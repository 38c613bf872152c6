import { expect, type Locator, type Page } from '@playwright/test';

/** 出入库明细: the ledger with filters and 加载更多. */
export class MovementsPage {
  constructor(private readonly page: Page) {}

  async open() {
    await this.page.locator('.ant-menu').getByRole('link', { name: '出入库明细', exact: true }).click();
    await expect(this.page.getByRole('heading', { name: '出入库明细', exact: true })).toBeVisible();
    await expect(this.rows().first()).toBeVisible();
  }

  rows(): Locator {
    return this.page.getByTestId('movements-table').locator('.ant-table-row');
  }

  rowCount(): Locator {
    return this.page.getByTestId('row-count');
  }

  async filterType(label: string) {
    await this.page.getByRole('combobox', { name: '类型' }).click();
    await this.page.locator('.ant-select-dropdown:visible').getByTitle(label, { exact: true }).click();
  }

  async searchDocNo(docNo: string) {
    const box = this.page.getByPlaceholder('输入完整单号');
    await box.fill(docNo);
    await box.press('Enter');
  }

  typeTags(): Locator {
    return this.rows()
      .locator('.ant-tag')
      .filter({ hasNotText: /红冲 |已红冲|指定过期批次/ });
  }
}
