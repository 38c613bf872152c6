#!/usr/bin/env node
/**
 * relief-depot: the command line (serve | start | demo | check | backup | transfer-data).
 * Checks the Node version before anything loads better-sqlite3 13, which crashes on Node < 22;
 * npm scripts and npx use the project's pinned Node 22.
 */
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  const zh = !(process.env.LANG ?? '').toLowerCase().startsWith('en');
  console.error(
    zh
      ? `需要 Node.js 22 或更高版本（当前 ${process.versions.node}）。请用 npm run cli -- … 或 npx relief-depot 运行，它们使用项目自带的 Node。`
      : `Node.js 22 or newer is needed (this is ${process.versions.node}). Run npm run cli -- … or npx relief-depot, which use the project's own Node.`,
  );
  process.exit(1);
}

// Users read this output: a dependency's deprecation notice (archiver, inside exceljs, still
// calls new Buffer()) is for developers, not for a keeper exporting a workbook.
process.noDeprecation = true;

void import('./cli-commands').then(({ main }) =>
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  ),
);
