import { expect, type Locator, type Page } from '@playwright/test';

/** 库存: the balances table with its filters and grouping. */
export class StockPage {
  constructor(private readonly page: Page) {}

  async open() {
    await this.page.locator('.ant-menu').getByRole('link', { name: '库存', exact: true }).click();
    await expect(this.page.getByRole('heading', { name: '库存', exact: true })).toBeVisible();
    await this.waitLoaded();
  }

  /** Waits until every page of balances is in (the count reads 共 N 条). */
  async waitLoaded() {
    await expect(this.rowCount()).toHaveText(/^共 [\d,]+ 条$/, { timeout: 60_000 });
  }

  rowCount(): Locator {
    return this.page.getByTestId('row-count');
  }

  async count(): Promise<number> {
    await this.waitLoaded();
    return Number((await this.rowCount().innerText()).replace(/[^\d]/g, ''));
  }

  table(): Locator {
    return this.page.getByRole('grid', { name: '库存' });
  }

  header(title: string): Locator {
    return this.table().getByRole('columnheader', { name: title, exact: true });
  }

  rows(): Locator {
    return this.page.getByTestId('stock-table').locator('.vt-body').getByRole('row');
  }

  async search(text: string) {
    const box = this.page
      .getByRole('searchbox', { name: '编码、名称、规格或批号' })
      .or(this.page.getByPlaceholder('编码、名称、规格或批号'));
    await box.first().fill(text);
    await box.first().press('Enter');
    await this.waitLoaded();
  }

  async groupBy(label: '按库和物资' | '按批次' | '全市合计') {
    await this.page.getByRole('radiogroup', { name: '汇总方式' }).getByText(label, { exact: true }).click();
    await this.waitLoaded();
  }
}
