/** The version the product reports (说明 sheets, the About screen) is package.json's. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PRODUCT_VERSION } from '../../src/shared/version';

test('PRODUCT_VERSION is the version in package.json', () => {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as {
    version: string;
  };
  expect(PRODUCT_VERSION).toBe(pkg.version);
});
