// Bundles the Node side into out/ with esbuild: the CLI (out/main/cli.cjs), the Electron main
// process (out/main/electron.cjs, package.json "main") and its preload (out/main/preload.cjs),
// and the benchmarks. better-sqlite3 (native) and electron stay external: they are loaded from
// node_modules (or the Electron runtime) at run time.
import { copyFileSync, existsSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: true,
  external: ['better-sqlite3', 'electron'],
  logLevel: 'warning',
};

const [preload] = await Promise.all([
  // The preload runs sandboxed: Chromium's renderer, where require() knows only 'electron'
  // (and a few polyfills). It is bundled on its own, for the browser-ish target it really is.
  build({
    ...common,
    entryPoints: ['src/main/electron/preload.ts'],
    outfile: 'out/main/preload.cjs',
    platform: 'browser',
    target: 'chrome130',
    external: ['electron'],
    metafile: true,
  }),
  build({ ...common, entryPoints: ['src/main/cli.ts'], outfile: 'out/main/cli.cjs' }),
  build({ ...common, entryPoints: ['src/main/electron/main.ts'], outfile: 'out/main/electron.cjs' }),
  // The benchmarks are optional (npm run bench): absent in a checkout without bench/bench.ts.
  // Playwright (the browser-mode figures) stays external too: it finds its own files at run time.
  existsSync('bench/bench.ts')
    ? build({
        ...common,
        entryPoints: ['bench/bench.ts'],
        outfile: 'out/bench/bench.cjs',
        external: [...common.external, '@playwright/test', 'playwright', 'playwright-core'],
      })
    : null,
  // The writer processes of the write benchmark (bench.ts forks out/bench/write-worker.cjs).
  existsSync('bench/write-worker.ts')
    ? build({ ...common, entryPoints: ['bench/write-worker.ts'], outfile: 'out/bench/write-worker.cjs' })
    : null,
  // One measured export per process (bench/excel-bench.ts runs out/bench/excel-worker.cjs).
  existsSync('bench/excel-worker.ts')
    ? build({ ...common, entryPoints: ['bench/excel-worker.ts'], outfile: 'out/bench/excel-worker.cjs' })
    : null,
]);

// A preload that requires anything but 'electron' fails at run time in the sandbox: fail here.
const imports = Object.values(preload.metafile.outputs).flatMap((o) =>
  o.imports.filter((i) => i.external).map((i) => i.path),
);
const stray = imports.filter((p) => p !== 'electron');
if (stray.length > 0) {
  console.error(
    `out/main/preload.cjs may require only 'electron' (sandboxed preload), not: ${stray.join(', ')}`,
  );
  process.exit(1);
}

// The spreadsheet parser's worker runs as a file of its own, beside the bundle that starts it.
copyFileSync('src/main/excel/import/parse-worker.cjs', 'out/main/parse-worker.cjs');
