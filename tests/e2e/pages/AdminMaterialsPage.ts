import { expect, type Locator, type Page } from '@playwright/test';
import { openFromMenu, choose, saveAndClose } from './antdHelpers';

/** 物资目录 */
export class AdminMaterialsPage {
  constructor(private readonly page: Page) {}

  async open() {
    await openFromMenu(this.page, '物资目录');
  }

  drawer(): Locator {
    return this.page.getByRole('dialog').filter({ hasText: /新增物资|编辑物资/ });
  }

  table(): Locator {
    return this.page.getByTestId('materials-table');
  }

  async startNew() {
    await this.page.getByRole('button', { name: '新增物资' }).click();
    await expect(this.drawer()).toBeVisible();
  }

  async fill(fields: {
    code?: string;
    name?: string;
    spec?: string;
    unit?: string;
    topClass?: string;
    gbCode?: string;
    category?: string;
    shelfLife?: string;
    price?: string;
  }) {
    const d = this.drawer();
    if (fields.code !== undefined) await d.getByLabel('物资编码').fill(fields.code);
    if (fields.name !== undefined) await d.getByLabel('物资名称').fill(fields.name);
    if (fields.spec !== undefined) await d.getByLabel('规格型号').fill(fields.spec);
    if (fields.unit !== undefined) {
      await d.getByLabel('计量单位').fill(fields.unit);
      await d.getByLabel('计量单位').press('Escape');
    }
    if (fields.topClass !== undefined) await choose(this.page, d, '国标大类', fields.topClass);
    if (fields.gbCode !== undefined) await d.getByLabel('国标编码').fill(fields.gbCode);
    if (fields.category !== undefined) {
      await d.getByLabel('类别').fill(fields.category);
      await d.getByLabel('类别').press('Escape');
    }
    if (fields.shelfLife !== undefined) await d.getByLabel('保质期（月）').fill(fields.shelfLife);
    if (fields.price !== undefined) await d.getByLabel('参考单价（元）').fill(fields.price);
  }

  async save() {
    await this.drawer()
      .getByRole('button', { name: /(^|\s)保\s?存$/ })
      .click();
  }

  async saveAndClose() {
    await saveAndClose(this.drawer());
  }

  /** The error shown under a field of the drawer's form. */
  fieldError(label: string): Locator {
    return this.drawer()
      .locator('.ant-form-item')
      .filter({ has: this.page.getByLabel(label, { exact: true }) })
      .locator('.ant-form-item-explain-error');
  }

  async search(text: string) {
    await this.page.getByLabel('编码、名称或规格').fill(text);
    await this.page.getByLabel('编码、名称或规格').press('Enter');
  }
}
