import { type Locator, type Page } from '@playwright/test';

/** 预警清单: expiring / expired lots and below-quota rows. */
export class WarningsPage {
  constructor(private readonly page: Page) {}

  table(kind: 'expiring' | 'expired' | 'belowQuota'): Locator {
    return this.page.getByTestId(`table-${kind}`);
  }

  rows(kind: 'expiring' | 'expired' | 'belowQuota'): Locator {
    return this.table(kind).locator('.ant-table-row');
  }

  rowCount(): Locator {
    return this.page.getByTestId('row-count');
  }
}
