import { expect, type Locator, type Page } from '@playwright/test';

/** 盘点: the list of stocktakes and the dialog that opens a new one. */
export class StocktakeListPage {
  constructor(private readonly page: Page) {}

  async open() {
    await this.page.locator('.ant-menu').getByRole('link', { name: '盘点', exact: true }).click();
    await expect(this.page.getByRole('heading', { name: '盘点', exact: true })).toBeVisible();
  }

  table(): Locator {
    return this.page.getByTestId('stocktake-list');
  }

  row(docNo: string): Locator {
    return this.table().locator('.ant-table-row').filter({ hasText: docNo });
  }

  /** Opens a stocktake for the depot already chosen in the dialog (a keeper's own first depot). */
  async openNew(expectedDepot: string) {
    await this.page.getByRole('button', { name: '新建盘点' }).click();
    const dialog = this.page.getByRole('dialog', { name: '新建盘点单' });
    await expect(dialog.getByText('该库暂停一切出入库')).toBeVisible();
    await expect(dialog.locator('.ant-select')).toContainText(expectedDepot);
    await dialog.getByRole('button', { name: '开始盘点' }).click();
  }
}
