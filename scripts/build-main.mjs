// Bundles the Node side (CLI, HTTP server, Electron main and preload, benchmarks) into out/ with esbuild.
// better-sqlite3 (native) and electron stay external: they are loaded from node_modules at run time.
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

await Promise.all([
  build({ ...common, entryPoints: ['src/main/cli.ts'], outfile: 'out/main/cli.cjs', }),
  build({ ...common, entryPoints: ['bench/bench.ts'], outfile: 'out/bench/bench.cjs' }),
]);
