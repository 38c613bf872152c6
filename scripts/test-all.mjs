// npm test: typecheck, lint, unit tests (jest) and end-to-end tests (Playwright, when there are
// specs), then one summary line "N passed, N failed". Typecheck and lint count as one check each.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let passed = 0;
let failed = 0;
const failures = [];

function run(title, command, args, env = {}) {
  console.log(`\n=== ${title}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function check(title, command, args) {
  if (run(title, command, args)) passed += 1;
  else {
    failed += 1;
    failures.push(title);
  }
}

check('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
check('lint', 'npm', ['run', '--silent', 'lint']);

const reports = mkdtempSync(path.join(tmpdir(), 'relief-depot-test-'));
const jestReport = path.join(reports, 'jest.json');
const jestOk = run('unit tests', 'npx', ['jest', '--json', `--outputFile=${jestReport}`]);
if (existsSync(jestReport)) {
  const report = JSON.parse(readFileSync(jestReport, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
  if (!jestOk && report.numFailedTests + report.numRuntimeErrorTestSuites === 0) failed += 1;
  if (!jestOk) failures.push('unit tests');
} else {
  failed += 1;
  failures.push('unit tests (no report)');
}

const e2eDir = 'tests/e2e';
const specs = existsSync(e2eDir) ? readdirSync(e2eDir).filter((f) => f.endsWith('.spec.ts')) : [];
if (specs.length > 0) {
  const e2eReport = path.join(reports, 'playwright.json');
  const e2eOk = run('end-to-end tests', 'npx', ['playwright', 'test'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport,
  });
  if (existsSync(e2eReport)) {
    const stats = JSON.parse(readFileSync(e2eReport, 'utf8')).stats;
    passed += stats.expected + stats.flaky;
    failed += stats.unexpected;
    if (stats.flaky > 0)
      console.log(`\nFlaky (failed once, passed on the retry): ${stats.flaky}, see the list above`);
  } else failed += 1;
  if (!e2eOk) failures.push('end-to-end tests');
} else {
  console.log('\n=== end-to-end tests: none yet (tests/e2e has no specs)');
}

rmSync(reports, { recursive: true, force: true });
if (failures.length > 0) console.log(`\nFailed: ${failures.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
