// antd widgets driven like a keyboard-and-mouse user: the left navigation, selects, drawers.
import { expect, type Locator, type Page } from '@playwright/test';

/** Opens a screen from the left navigation by its name. */
export async function openFromMenu(page: Page, name: string) {
  await clickMenuLink(page, name);
  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
}

/**
 * Chooses `option` in the antd select labelled `label` (typing to search when it can), and
 * checks that the select shows it (a click during the list's opening animation can miss).
 */
export async function choose(page: Page, scope: Locator, label: string, option: string) {
  const input = scope.getByLabel(label, { exact: true });
  const field = scope.locator('.ant-select').filter({ has: page.getByLabel(label, { exact: true }) });
  const searchable = (await input.getAttribute('readonly')) === null;
  await expect(async () => {
    if ((await input.getAttribute('aria-expanded')) !== 'true') await input.click();
    if (searchable) await input.fill(option);
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: option })
      .first()
      .click({ timeout: 2_000 });
    await expect(field).toContainText(option, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}

/**
 * The select list that is open now: a list still playing its closing animation (an earlier
 * select's, `…-leave`) is visible too, and would make the locator match two.
 */
export function openDropdown(page: Page): Locator {
  return page.locator('.ant-select-dropdown:visible:not([class*="-leave"])');
}

/** Saves the drawer or dialog `scope` and waits for it to close. */
export async function saveAndClose(scope: Locator, button = /(^|\s)保\s?存$/) {
  await scope.getByRole('button', { name: button }).click();
  await expect(scope).toBeHidden();
}

/**
 * Clicks a link of the left navigation, opening its group first: groups fold, one open at a
 * time, so each group is opened in turn until the link shows.
 */
export async function clickMenuLink(page: Page, name: string): Promise<void> {
  const link = page.locator('.ant-menu').getByRole('link', { name, exact: true });
  const titles = page.locator('.ant-menu-submenu > .ant-menu-submenu-title');
  for (let i = 0; i < (await titles.count()) && !(await link.isVisible()); i++) {
    const submenu = page.locator('.ant-menu-submenu').nth(i);
    if (!(await submenu.getAttribute('class'))?.includes('ant-menu-submenu-open'))
      await titles.nth(i).click();
    await page.waitForTimeout(300);
  }
  await link.click();
}
