import { expect, type Locator, type Page } from '@playwright/test';

/** 盘点单: the count sheet of one stocktake. Rows are addressed by their position on screen. */
export class StocktakeSheetPage {
  constructor(private readonly page: Page) {}

  sheet(): Locator {
    return this.page.getByTestId('count-sheet');
  }

  status(): Locator {
    return this.page.getByTestId('stocktake-status').first();
  }

  async docNo(): Promise<string> {
    const title = await this.page.getByRole('heading', { name: /^盘点单 PD-/ }).textContent();
    return title!.replace('盘点单 ', '').trim();
  }

  /** The counted-quantity input of the row at `index` (0-based, as shown). */
  counted(index: number): Locator {
    return this.sheet().locator(`input[data-col="counted"][data-row="${index}"]`);
  }

  reason(index: number): Locator {
    return this.sheet().locator(`input[data-col="reason"][data-row="${index}"]`);
  }

  /** The table row holding the counted input of `index`. */
  row(index: number): Locator {
    return this.sheet()
      .locator('.ant-table-row')
      .filter({ has: this.page.locator(`input[data-col="counted"][data-row="${index}"]`) });
  }

  async bookQuantity(index: number): Promise<number> {
    const text = await this.row(index).locator('.ant-table-cell').nth(6).textContent();
    return Number(text!.replace(/,/g, ''));
  }

  async lotNo(index: number): Promise<string> {
    return (await this.row(index).locator('.ant-table-cell').nth(3).textContent())!.trim();
  }

  async fillUncountedWithBook() {
    await this.page.getByRole('button', { name: '未盘行按账面数填入' }).click();
    await this.page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s?定/ })
      .click();
  }

  async save() {
    await this.page.getByRole('button', { name: /(^|\s)保\s?存/ }).click();
    await expect(this.page.getByText(/已保存 \d+ 行/)).toBeVisible();
  }

  /** The approve button on the sheet (dialogs render outside #root). */
  approveButton(): Locator {
    return this.page.locator('#root').getByRole('button', { name: /审批过账$/ });
  }

  /** Approve, confirm, and wait for the confirmation dialog to close (refused or not). */
  async approve() {
    await this.approveButton().click();
    const dialog = this.page.getByRole('dialog').filter({ hasText: '审批盘点单' });
    await dialog.getByRole('button', { name: /审批过账$/ }).click();
    await expect(dialog).toBeHidden();
  }

  postedMovements(): Locator {
    return this.page.getByTestId('posted-movements');
  }
}
