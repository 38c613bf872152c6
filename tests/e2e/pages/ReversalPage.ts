import { expect, type Locator, type Page } from '@playwright/test';

/** 红冲: find a document by number, choose its movements, give the reason, confirm. */
export class ReversalPage {
  constructor(readonly page: Page) {}

  async open(baseUrl: string, movementId?: number) {
    await this.page.goto(`${baseUrl}/#/reversal${movementId ? `?movementId=${movementId}` : ''}`);
    await expect(this.page.locator('#reversal-docno')).toBeVisible();
  }

  async find(docNo: string) {
    await this.page.locator('#reversal-docno').fill(docNo);
    await this.page.locator('#reversal-docno').press('Enter');
    await expect(this.rows().first()).toBeVisible();
  }

  rows(): Locator {
    return this.page.locator('.ant-table-tbody tr.ant-table-row');
  }

  reason(): Locator {
    return this.page.getByPlaceholder('如：数量录错，红冲后重新录入');
  }

  async reverse(reason: string) {
    await this.reason().fill(reason);
    await this.page.getByRole('button', { name: '红冲所选记录' }).click();
    await this.page.locator('.ant-modal-confirm').getByRole('button', { name: '确认红冲' }).click();
  }

  posted(): Locator {
    return this.page.getByTestId('posted');
  }

  async postedDocNos(): Promise<string[]> {
    await expect(this.posted()).toBeVisible();
    return (await this.page.getByTestId('posted-doc-no').innerText()).split(/\s+/).filter(Boolean);
  }
}
