import { expect, type Locator, type Page } from '@playwright/test';

export type WarningKind = 'expiring' | 'expired' | 'belowQuota';

/** 工作台: warning counts (links to the lists) and the stock charts. */
export class DashboardPage {
  constructor(private readonly page: Page) {}

  async open() {
    await this.page.locator('.ant-menu').getByRole('link', { name: '工作台', exact: true }).click();
    await expect(this.heading()).toBeVisible();
  }

  heading(name = '工作台'): Locator {
    return this.page.getByRole('heading', { name, exact: true });
  }

  async warningCount(kind: WarningKind): Promise<number> {
    const text = await this.page.getByTestId(`warning-${kind}-count`).innerText();
    return Number(text.replace(/,/g, ''));
  }

  async openWarnings(kind: WarningKind) {
    await this.page.getByTestId(`warning-${kind}`).click();
  }

  categoryBars(): Locator {
    return this.page.getByTestId('chart-category').locator('[data-bar]');
  }
}
