// npm start / npm run serve: builds the Node side (esbuild → out/main) and the UI (vite →
// out/renderer), then runs the CLI command (start by default) with the remaining arguments:
//   node scripts/start.mjs [start|serve] [--data DIR] [--lang en] …
// `start` opens the desktop window when the Electron binary and a display exist, and otherwise
// says why and serves the same UI over HTTP on 127.0.0.1 (src/main/cli-commands.ts).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const [command = 'start', ...args] = process.argv.slice(2);

function langOf(argv) {
  const i = argv.indexOf('--lang');
  if (i >= 0 && argv[i + 1]) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith('--lang='));
  return eq ? eq.slice('--lang='.length) : (process.env.LANG ?? '');
}
const zh = !langOf(args).toLowerCase().startsWith('en');

function fail(zhText, enText) {
  console.error(zh ? zhText : enText);
  process.exit(1);
}

try {
  await import('./build-main.mjs');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  fail(
    '构建主进程失败（esbuild），见上方错误。',
    'Building the main process failed (esbuild): see the errors above.',
  );
}

const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
if (!existsSync(vite)) fail('找不到 vite：请先运行 npm install。', 'vite not found: run npm install first.');
const ui = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
if (ui.status !== 0)
  fail(
    '构建界面失败（vite build），见上方错误。',
    'Building the UI failed (vite build): see the errors above.',
  );

// The CLI is a child so that its own signal handling (Ctrl+C closes the store) stays in charge.
const child = spawn(process.execPath, [path.join(root, 'out', 'main', 'cli.cjs'), command, ...args], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
