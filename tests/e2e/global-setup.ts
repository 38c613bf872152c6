// Builds the renderer once before the specs run, and says how to get a browser if there is none.
import { execFileSync } from 'node:child_process';
import { chromiumPath } from '../../playwright.config';

export default function globalSetup(): void {
  if (!chromiumPath()) {
    throw new Error(
      "No Chromium found for the end-to-end tests. Install Debian's: apt-get install -y chromium fonts-noto-cjk " +
        '(or set CHROMIUM_PATH to a Chromium or Chrome binary).',
    );
  }
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}
