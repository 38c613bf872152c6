import { type Locator, type Page } from '@playwright/test';

/** 物资卡片: one batch's header and its movements with a running balance. */
export class StockCardPage {
  constructor(private readonly page: Page) {}

  material(): Locator {
    return this.page.getByTestId('card-material');
  }

  onHand(): Locator {
    return this.page.getByTestId('card-onhand');
  }

  /** The header's list of what the lot was received on: lines (receipt-terms) of source, supplier, unit price, count. */
  receiptTerms(): Locator {
    return this.page.getByTestId('card-receipt-terms');
  }

  rows(): Locator {
    return this.page.getByTestId('card-movements').locator('.ant-table-row');
  }

  /** The text of one column (by header title) in every loaded row. */
  async column(title: string): Promise<string[]> {
    const headers = await this.page
      .getByTestId('card-movements')
      .locator('.ant-table-thead th')
      .allInnerTexts();
    const index = headers.findIndex((h) => h.trim() === title);
    return this.rows().evaluateAll(
      (rows, i) =>
        rows.map(
          (r) =>
            (r.querySelectorAll('.ant-table-cell')[i] as HTMLElement | undefined)?.innerText.trim() ?? '',
        ),
      index,
    );
  }
}
