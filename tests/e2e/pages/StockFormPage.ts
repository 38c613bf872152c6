import { expect, type Locator, type Page } from '@playwright/test';

/** The stock entry screens, and the allocation request form built on the same shell. */
export type StockScreen = 'receipt' | 'issue' | 'transfer' | 'scrap' | 'allocation';

/**
 * A stock entry screen (入库, 出库, 移库, 报废): header fields, the lines table (a new blank line
 * appears as the last is used), the submit button, the confirmation with the document number, and
 * the print view. Field ids follow antd's form naming: `${screen}_lines_0_quantity`.
 */
export class StockFormPage {
  constructor(
    readonly page: Page,
    readonly screen: StockScreen,
  ) {}

  async open(baseUrl: string) {
    await this.page.goto(`${baseUrl}/#/${this.screen === 'allocation' ? 'allocations/new' : this.screen}`);
    await expect(this.linesTable()).toBeVisible();
  }

  field(name: string): Locator {
    return this.page.locator(`#${this.screen}_${name}`);
  }

  lineField(index: number, name: string): Locator {
    return this.field(`lines_${index}_${name}`);
  }

  linesTable(): Locator {
    return this.page.locator('.lines-editor');
  }

  lineRows(): Locator {
    return this.page.locator('.lines-editor tbody tr.ant-table-row');
  }

  /** The error shown under a field (antd's form item explanation). */
  fieldError(name: string): Locator {
    return this.page
      .locator('.ant-form-item')
      .filter({ has: this.field(name) })
      .locator('.ant-form-item-explain-error');
  }

  /** Picks an option of a select by typing (as a keeper does) and Enter. */
  async choose(name: string, text: string, optionText: string | RegExp = text) {
    const input = this.field(name);
    await input.click();
    await input.fill(text);
    await this.page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: optionText })
      .first()
      .click();
  }

  /** Scans a material code into a line: the code typed quickly, then Enter. */
  async scanMaterial(index: number, code: string) {
    const input = this.lineField(index, 'material');
    await input.click();
    await this.page.keyboard.type(code, { delay: 5 });
    await this.page.keyboard.press('Enter');
    await expect(this.page.locator('.lines-editor tbody tr.ant-table-row').nth(index)).toContainText(code);
  }

  submitButton(): Locator {
    return this.page.locator('.stock-form button[type=submit]');
  }

  posted(): Locator {
    return this.page.getByTestId('posted');
  }

  async postedDocNo(): Promise<string> {
    await expect(this.posted()).toBeVisible();
    return (await this.page.getByTestId('posted-doc-no').innerText()).trim();
  }

  alert(): Locator {
    return this.page.getByTestId('form-alert');
  }

  async print() {
    await this.posted()
      .getByRole('button', { name: /打\s?印/ })
      .click();
    await expect(this.page.getByTestId('print-document')).toBeVisible();
  }

  async closePrint() {
    await this.page
      .locator('.print-toolbar')
      .getByRole('button', { name: /关\s?闭/ })
      .click();
    await expect(this.page.getByTestId('print-document')).toHaveCount(0);
  }

  async newOne() {
    await this.posted().getByRole('button', { name: '再录一张' }).click();
    await expect(this.posted()).toHaveCount(0);
  }

  focused(): Locator {
    return this.page.locator(':focus');
  }
}
