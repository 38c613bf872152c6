import type { Page } from '@playwright/test';

/** The sign-in screen (also shown as a dialog when a session ends). */
export class LoginPage {
  constructor(private readonly page: Page) {}

  async signIn(username: string, password: string) {
    await this.page.getByLabel('用户名').fill(username);
    await this.page.getByLabel('密码').fill(password);
    await this.page.getByRole('button', { name: /登\s?录/ }).click();
  }

  error() {
    return this.page.getByTestId('login-error');
  }
}
