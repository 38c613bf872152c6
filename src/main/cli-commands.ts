/** The commands of `relief-depot` (see cli.ts for the entry point). */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { createApp, type App } from './app';
import { exportReport, REPORTS, type ReportName } from './excel/export';
import type { Db } from './db/database';
import { describeStore, openStore, storeConfig, type Store, type StoreConfig } from './db/store';
import { copyStore, TransferRefused } from './db/transfer';
import { importCommand } from './cli-import';
import { readPassword, userCommand, type ReadPassword } from './cli-users';
import { resolveDataDir } from './data-dir';
import { DEMO_ACCOUNTS, seedDemo, seedScale } from './demo';
import { checkDesktop, type DesktopCheck } from './electron-binary';
import { startHttpOnFreePort } from './serve';
import { auditHead, verifyAudit } from './services/audit.service';
import { checkLedger } from './services/ledger-check.service';
import { verifyCoverage } from './services/ledger-seal';
import { formatAnchor, shortAnchor, type Anchor } from '../shared/anchor';
import { resolveLocale } from '../shared/i18n';
import { AppError } from '../shared/rpc';
import { toRpcError } from './rpc/errors';
import { ANCHOR_FILE, anchorsFrom, appendAnchor, readAnchorFile, verifyAnchors } from './services/anchors';

/** out/main (this bundle) → out/renderer (vite build) and the package root (package.json "main"). */
const RENDERER_DIR = path.join(__dirname, '..', 'renderer');
const APP_ROOT = path.join(__dirname, '..', '..');

/** Why `start` serves over HTTP instead of opening the window: always said in both languages. */
const FALLBACK: Record<
  Exclude<DesktopCheck, { ok: true }>['reason'] | 'spawn-failed',
  { 'zh-CN': string; en: string }
> = {
  'no-electron-package': {
    'zh-CN': '未安装 Electron（node_modules/electron 不存在），改为通过 HTTP 在浏览器中提供本应用。',
    en: 'Electron is not installed (no node_modules/electron): serving the app over HTTP for a browser instead.',
  },
  'no-binary': {
    'zh-CN': '未安装 Electron 可执行文件（本机离线，无法下载），改为通过 HTTP 在浏览器中提供本应用。',
    en: 'Electron binary not installed (offline machine): serving the app over HTTP for a browser instead.',
  },
  'no-display': {
    'zh-CN':
      '没有图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY），无法打开桌面窗口，改为通过 HTTP 在浏览器中提供本应用。',
    en: 'No display (DISPLAY and WAYLAND_DISPLAY are unset): no desktop window; serving the app over HTTP for a browser instead.',
  },
  'spawn-failed': {
    'zh-CN': 'Electron 无法启动，改为通过 HTTP 在浏览器中提供本应用。',
    en: 'Electron failed to start: serving the app over HTTP for a browser instead.',
  },
};

const messages = {
  'zh-CN': {
    usage: `用法: relief-depot <命令> [选项]
  start            启动桌面应用；没有 Electron 或图形显示时，改为在 127.0.0.1 上通过 HTTP 提供界面
  serve            在 127.0.0.1 上提供已构建的界面和 HTTP 接口（默认端口 4870，被占用时用下一个空闲端口）
  demo [--scale]   在数据目录中建立演示数据库（目录须为空）；--scale 生成基准测试规模的数据
  check            账实核对：重算全部结存、校验审计链、数据库完整性检查；有问题时退出码为 1
  backup <文件>    在线备份数据库（PostgreSQL 用 pg_dump 自定义格式），并检查副本的完整性
  user add-admin <用户名> [--display-name 姓名]
  user reset-password <用户名>
                   在本机为无法登录的情况添加管理员或重设密码（密码在终端输入，不回显；或从标准输入读第一行）；记入审计
  export <报表> --out 文件.xlsx [--depot 编码] [--from 日期 --to 日期] [--incident 编号]
                   导出报表为 Excel 工作簿（带说明页：筛选、导出人、时间、版本、行数、审计链头）；报表：
                   inventory 库存台账、movements 出入库明细、allocations 调拨汇总、deliveries 配送跟踪、
                   warnings 预警清单、stocktake 盘点差异表
  import <种类> 文件 [--depot 编码] [--sheet 工作表] [--create-missing] [--json] [--commit]
                   导入 Excel/CSV：catalogue 物资目录、opening-stock 期初库存、receipts 入库清单、
                   relief-depot 本系统导出的库存台账；不加 --commit 只预览，加 --commit 则全部写入或全不写入
  transfer-data --to postgres://…|目录
                   把整个数据库（数据目录中的 SQLite 文件，或 --database 指定的库）复制到一个空的
                   PostgreSQL 数据库（或另一个数据目录），然后在目标上核对账目和审计链；有问题时退出码为 1
选项: --data 目录   --database postgres://…（或环境变量 RELIEF_DEPOT_DATABASE_URL；默认用数据目录中的 SQLite 文件）
      --host 主机   --port 端口   --lang zh-CN|en`,
    passwordPrompt: '新密码（至少 8 位，含字母和数字）：',
    adminAdded: (u: string) => `已添加管理员 ${u}`,
    passwordReset: (u: string) => `已重设 ${u} 的密码；其现有登录已结束，登录锁定已解除`,
    noSuchUser: (u: string) => `没有用户 ${u}`,
    userUsage:
      '用法: relief-depot user add-admin <用户名> [--display-name 姓名] | user reset-password <用户名>',
    desktop: (b: string) => `正在启动桌面应用（${b}）…`,
    dataDir: (d: string) => `数据库: ${d}`,
    serving: (u: string) => `服务已启动: ${u}  （接口 POST ${u}/rpc；按 Ctrl+C 停止）`,
    openBrowser: (u: string) => `请在浏览器中打开 ${u}`,
    firstRun: '首次运行：数据库为空，界面会引导您创建管理员账号或载入演示数据。',
    noUi: (d: string) =>
      `提示：找不到已构建的界面（${d}/index.html），只提供 HTTP 接口。请先运行 npx vite build（npm start 和 npm run serve 会自动构建）。`,
    demoDone: (s: string) => `演示数据已建立: ${s}`,
    accounts: '演示账号（用户名 / 密码 / 角色）:',
    notEmpty: (f: string) => `数据库 ${f} 已有数据；请换一个空目录（--data）。`,
    ledgerOk: (m: number, b: number, ms: number) =>
      `账目核对通过：${m} 条流水，${b} 个批次结存一致（${ms} ms）`,
    ledgerBad: (n: number) => `账目核对发现 ${n} 处差异：`,
    auditOk: (n: number) => `审计链完整：${n} 条记录`,
    auditBad: (id: number | null, p: string | null) => `审计链在第 ${id} 条记录处断开：${p}`,
    coverageOk: (n: number) => `流水与审计记录一致：${n} 条流水，每条都由一条审计记录原样记载`,
    coverageBad: (n: number) => `流水与审计记录不一致，共 ${n} 处：`,
    coverage: {
      missing: (p: { movementId: number; auditId: number }) =>
        `  第 ${p.auditId} 条审计记录记载的流水 ${p.movementId} 已不存在（被删除）`,
      changed: (p: { auditId: number; docNo: string | null }) =>
        `  第 ${p.auditId} 条审计记录记载的流水（${p.docNo ?? '?'}）内容已被改动`,
      uncovered: (p: { movementId: number; docNo: string }) =>
        `  流水 ${p.movementId}（${p.docNo}）没有任何审计记录：不是由本程序写入的`,
      duplicate: (p: { movementId: number; auditId: number }) =>
        `  流水 ${p.movementId} 被第 ${p.auditId} 条审计记录重复记载`,
      unreadable: (p: { auditId: number }) => `  第 ${p.auditId} 条审计记录的流水封记不是本程序写的格式`,
    },
    anchorsOk: (n: number) => `审计链包含全部 ${n} 个锚点`,
    anchorsNone: '尚无审计链锚点可核对',
    anchorMissing: (a: string, newest: number) =>
      `  锚点 ${a}：该审计记录已不存在（审计链现只到第 ${newest} 条）：审计记录被截断`,
    anchorDiffers: (a: string) => `  锚点 ${a}：该审计记录的哈希已不同：审计链自此处或之前被改写`,
    anchorsBad: (n: number) => `审计链与 ${n} 个锚点不符：`,
    anchorUnreadable: (a: string) => `无法读取锚点 ${a}：应为「记录号:哈希」或含有它的文件`,
    integrityOk: (r: string) => `数据库完整性检查通过（${r}）`,
    checkCrashed: (part: string, m: string) =>
      `核对（${part}）无法完成：${m}（数据库中有本程序不会写入的数据）`,
    integrityBad: (r: string) => `数据库完整性检查失败：${r}`,
    backupDone: (f: string, bytes: number) => `已备份到 ${f}（${bytes} 字节），副本完整性检查通过`,
    exportUsage:
      '用法: relief-depot export inventory|movements|allocations|deliveries|warnings|stocktake --out 文件.xlsx [--depot 编码] [--from 2026-11-01 --to 2026-11-30] [--incident 编号] [--lang en]',
    exportDone: (f: string, rows: number[]) =>
      `已导出 ${f}（${rows.map((n) => n.toLocaleString('en-US')).join(' + ')} 行）`,
    exportBy: (u: string) => `${u}（命令行）`,
    backupExists: (f: string) => `目标文件 ${f} 已存在，不会覆盖。`,
    backupAnchor: (a: string, at: string) =>
      `应急物资储备管理 备份时的审计链头（记录号:哈希）\n${a}\n记录时间 ${at}\n核对：relief-depot check --anchor 本文件\n`,
    backupAnchorWritten: (f: string, a: string) => `审计链锚点 ${a} 已写入 ${f}`,
    noDatabase: (f: string) => `找不到数据库 ${f}`,
    transferNeedsTarget: '请用 --to 指定目标：postgres://用户:密码@主机:端口/库名，或一个数据目录。',
    transferSame: (s: string) => `源和目标是同一个数据库（${s}）。`,
    transferStart: (from: string, to: string) => `正在复制 ${from} → ${to} …`,
    transferRows: (table: string, copied: number, total: number, s: string) =>
      `  ${table}: ${copied.toLocaleString('en')} / ${total.toLocaleString('en')} 行（${s} 秒）`,
    transferIndexes: (s: string) => `  重建索引并校验外键…（${s} 秒）`,
    transferAnalyze: (s: string) => `  收集统计信息（VACUUM ANALYZE）…（${s} 秒）`,
    transferDone: (rows: number, tables: number, s: string) =>
      `复制完成：${tables} 张表，共 ${rows.toLocaleString('en')} 行，用时 ${s} 秒`,
    transferNotEmpty: (d: string) =>
      `目标数据库不是空的（这些表中已有数据：${d}），不会复制：请换一个新建的空数据库。`,
    transferSchema: (d: string) => `源和目标的数据库结构不一致，不会复制：${d}`,
    transferUnknownTable: (d: string) => `数据库中有本程序不认识的表（${d}），不会复制。`,
    transferChecked: '目标数据库核对通过，可以使用。',
    unknown: (c: string) => `未知命令: ${c}`,
  },
  en: {
    usage: `Usage: relief-depot <command> [options]
  start            run the desktop app; without Electron or a display, serve the UI over HTTP on 127.0.0.1
  serve            serve the built UI and the HTTP API on 127.0.0.1 (port 4870, or the next free one)
  demo [--scale]   create a demo database in the data folder (must be empty); --scale: benchmark size
  check            ledger check (recompute every balance), audit chain, store integrity; exit 1 on any problem
  backup <file>    online backup of the database (PostgreSQL: pg_dump custom format), then a check of the copy
  user add-admin <name> [--display-name NAME]
  user reset-password <name>
                   at the machine, when nobody can sign in: add an administrator or reset a password
                   (typed on the terminal without echo, or the first line of stdin); audited
  export <report> --out FILE.xlsx [--depot CODE] [--from DATE --to DATE] [--incident ID]
                   export a report as an Excel workbook (with an About sheet: filters, who, when, version, rows, audit chain head);
                   reports: inventory, movements, allocations, deliveries, warnings, stocktake
  import <kind> FILE [--depot CODE] [--sheet NAME] [--create-missing] [--json] [--commit]
                   import a spreadsheet (xlsx, xls, ods, csv): catalogue, opening-stock, receipts, or relief-depot
                   (an inventory exported by another copy); a preview without --commit, all or nothing with it
  transfer-data --to postgres://…|DIR
                   copy the whole database (the SQLite file in the data folder, or --database) into an empty
                   PostgreSQL database (or another data folder), then check the ledger and audit chain there; exit 1 on any problem
Options: --data DIR   --database postgres://… (or RELIEF_DEPOT_DATABASE_URL; default: the SQLite file in the data folder)
         --host HOST   --port PORT   --lang zh-CN|en`,
    passwordPrompt: 'New password (at least 8 characters, with a letter and a digit): ',
    adminAdded: (u: string) => `Administrator ${u} added`,
    passwordReset: (u: string) => `Password of ${u} reset; their sessions ended and any sign-in lock lifted`,
    noSuchUser: (u: string) => `No user ${u}`,
    userUsage: 'Usage: relief-depot user add-admin <name> [--display-name NAME] | user reset-password <name>',
    desktop: (b: string) => `Starting the desktop app (${b})…`,
    dataDir: (d: string) => `Database: ${d}`,
    serving: (u: string) => `Serving at ${u}  (API: POST ${u}/rpc; Ctrl+C stops)`,
    openBrowser: (u: string) => `Open ${u} in a browser`,
    firstRun:
      'First run: the database is empty; the UI will offer to create an administrator or load the demo data.',
    noUi: (d: string) =>
      `Note: no built UI (${d}/index.html); only the HTTP API is served. Run npx vite build first (npm start and npm run serve build it).`,
    demoDone: (s: string) => `Demo data created: ${s}`,
    accounts: 'Demo accounts (user / password / role):',
    notEmpty: (f: string) => `The database ${f} already has data; choose an empty folder (--data).`,
    ledgerOk: (m: number, b: number, ms: number) =>
      `Ledger check passed: ${m} movements, ${b} batch balances agree (${ms} ms)`,
    ledgerBad: (n: number) => `Ledger check found ${n} differences:`,
    auditOk: (n: number) => `Audit chain intact: ${n} records`,
    auditBad: (id: number | null, p: string | null) => `Audit chain broken at record ${id}: ${p}`,
    coverageOk: (n: number) =>
      `Ledger and audit log agree: each of ${n} movements is recorded, unchanged, by one audit record`,
    coverageBad: (n: number) => `Ledger and audit log disagree in ${n} places:`,
    coverage: {
      missing: (p: { movementId: number; auditId: number }) =>
        `  movement ${p.movementId}, recorded by audit record ${p.auditId}, is gone (deleted)`,
      changed: (p: { auditId: number; docNo: string | null }) =>
        `  the movements audit record ${p.auditId} recorded (${p.docNo ?? '?'}) have been changed`,
      uncovered: (p: { movementId: number; docNo: string }) =>
        `  movement ${p.movementId} (${p.docNo}) has no audit record: it was not written by this program`,
      duplicate: (p: { movementId: number; auditId: number }) =>
        `  movement ${p.movementId} is recorded a second time by audit record ${p.auditId}`,
      unreadable: (p: { auditId: number }) =>
        `  audit record ${p.auditId} holds a movement seal this program does not write`,
    },
    anchorsOk: (n: number) => `The audit chain holds all ${n} anchors`,
    anchorsNone: 'No audit chain anchors to check yet',
    anchorMissing: (a: string, newest: number) =>
      `  anchor ${a}: that audit record is gone (the chain now ends at ${newest}): the log was truncated`,
    anchorDiffers: (a: string) =>
      `  anchor ${a}: that audit record's hash differs: the chain was rewritten from there or before`,
    anchorsBad: (n: number) => `The audit chain fails ${n} anchors:`,
    anchorUnreadable: (a: string) => `Cannot read anchor ${a}: expected RECORD:HASH or a file containing it`,
    integrityOk: (r: string) => `Store integrity check passed (${r})`,
    checkCrashed: (part: string, m: string) =>
      `The ${part} check could not finish: ${m} (the database holds data this program does not write)`,
    integrityBad: (r: string) => `Store integrity check failed: ${r}`,
    backupDone: (f: string, bytes: number) =>
      `Backed up to ${f} (${bytes} bytes); the copy passed the integrity check`,
    exportUsage:
      'Usage: relief-depot export inventory|movements|allocations|deliveries|warnings|stocktake --out FILE.xlsx [--depot CODE] [--from 2026-11-01 --to 2026-11-30] [--incident ID] [--lang en]',
    exportDone: (f: string, rows: number[]) =>
      `Exported ${f} (${rows.map((n) => n.toLocaleString('en-US')).join(' + ')} rows)`,
    exportBy: (u: string) => `${u} (command line)`,
    backupExists: (f: string) => `${f} already exists; not overwriting it.`,
    backupAnchor: (a: string, at: string) =>
      `Relief Depot: audit chain head at backup (record:hash)\n${a}\nrecorded at ${at}\nverify: relief-depot check --anchor this-file\n`,
    backupAnchorWritten: (f: string, a: string) => `Audit chain anchor ${a} written to ${f}`,
    noDatabase: (f: string) => `No database at ${f}`,
    transferNeedsTarget:
      'Say where to copy to with --to: postgres://user:password@host:port/database, or a data folder.',
    transferSame: (s: string) => `Source and target are the same database (${s}).`,
    transferStart: (from: string, to: string) => `Copying ${from} → ${to} …`,
    transferRows: (table: string, copied: number, total: number, s: string) =>
      `  ${table}: ${copied.toLocaleString('en')} / ${total.toLocaleString('en')} rows (${s} s)`,
    transferIndexes: (s: string) => `  building indexes and checking foreign keys… (${s} s)`,
    transferAnalyze: (s: string) => `  gathering statistics (VACUUM ANALYZE)… (${s} s)`,
    transferDone: (rows: number, tables: number, s: string) =>
      `Copied ${tables} tables, ${rows.toLocaleString('en')} rows in ${s} s`,
    transferNotEmpty: (d: string) =>
      `The target database is not empty (rows in ${d}); nothing copied: use a new, empty database.`,
    transferSchema: (d: string) => `Source and target have different schemas; nothing copied: ${d}`,
    transferUnknownTable: (d: string) =>
      `The database has tables this program does not know (${d}); nothing copied.`,
    transferChecked: 'The target database passed its checks and is ready to use.',
    unknown: (c: string) => `Unknown command: ${c}`,
  },
};
type Say = (typeof messages)['zh-CN'];

export function cliMessages(locale: string | undefined): Say {
  return messages[(locale ?? '').toLowerCase().startsWith('en') ? 'en' : 'zh-CN'];
}

/** Beside each backup: the audit chain's head when it was taken. */
const ANCHOR_SUFFIX = '.anchor.txt';

/** The SQLite file must exist for check and backup (they never create one); a server is asked directly. */
function missingDatabase(config: StoreConfig): string | null {
  return config.kind === 'sqlite' && !existsSync(config.file) ? config.file : null;
}

async function isEmpty(app: App): Promise<boolean> {
  const row = await app.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n) === 0;
}

async function serve(app: App, say: Say, host: string, port: number | undefined) {
  const hasUi = existsSync(path.join(RENDERER_DIR, 'index.html'));
  if (!hasUi) console.log(say.noUi(RENDERER_DIR));
  const http = await startHttpOnFreePort(app.dispatch, {
    host,
    port,
    staticDir: RENDERER_DIR,
    downloads: app.exports,
    uploads: app,
  });
  console.log(say.serving(http.url));
  if (hasUi) console.log(say.openBrowser(http.url));
  let stopping = false;
  const stop = () => {
    if (stopping) return; // Ctrl+C reaches both npm start's wrapper and this process
    stopping = true;
    void http
      .close()
      .then(() => app.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/**
 * Runs the desktop app (Electron on this package, whose "main" is out/main/electron.cjs) on the
 * same data folder, and resolves with its exit code; null when it could not be started at all.
 */
function runDesktop(binary: string, dataDir: string, lang: string | undefined): Promise<number | null> {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // would make the binary a plain Node
  const args = [APP_ROOT, '--data', dataDir, ...(lang ? ['--lang', lang] : [])];
  return new Promise((resolve) => {
    const child = spawn(binary, args, { stdio: 'inherit', env });
    // Ctrl+C reaches Electron too (same process group); wait for it to close its store.
    const onInt = () => undefined;
    const onTerm = () => child.kill('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const settle = (code: number | null) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code);
    };
    child.once('error', (error) => {
      console.error(error.message);
      settle(null);
    });
    child.once('exit', (code, signal) => settle(code ?? (signal ? 1 : 0)));
  });
}

/**
 * One part of a check, printed; 1 when it found a problem. A part that fails outright (data no
 * program of ours writes can break a reader) says so and counts, and the other parts still run.
 */
async function checkPart(say: Say, part: string, run: () => Promise<boolean>): Promise<number> {
  try {
    return (await run()) ? 0 : 1;
  } catch (error) {
    console.error(say.checkCrashed(part, error instanceof Error ? error.message : String(error)));
    return 1;
  }
}

/**
 * Ledger check, audit chain and the audit log's record of every movement, printed; returns how
 * many of the three failed.
 */
async function checkLedgerAndAudit(store: Pick<Store, 'db' | 'dialect'>, say: Say): Promise<number> {
  let problems = await checkPart(say, 'ledger', async () => {
    const ledger = await checkLedger(store);
    if (ledger.ok) console.log(say.ledgerOk(ledger.movements, ledger.batches, ledger.elapsedMs));
    else {
      console.error(
        say.ledgerBad(
          ledger.differences.length +
            ledger.negatives +
            ledger.inconsistent +
            ledger.unreserved +
            ledger.orphaned,
        ),
      );
      for (const d of ledger.differences.slice(0, 50)) console.error(`  ${JSON.stringify(d)}`);
    }
    return ledger.ok;
  });
  problems += await checkPart(say, 'audit', async () => {
    const audit = await verifyAudit(store.db);
    if (audit.ok) console.log(say.auditOk(audit.records));
    else console.error(say.auditBad(audit.firstBrokenId, audit.problem));
    return audit.ok;
  });
  problems += await checkPart(say, 'coverage', async () => {
    const coverage = await verifyCoverage(store);
    if (coverage.ok) console.log(say.coverageOk(coverage.movements));
    else {
      console.error(say.coverageBad(coverage.problemCount));
      for (const p of coverage.problems.slice(0, 50))
        console.error((say.coverage[p.kind] as (problem: typeof p) => string)(p));
    }
    return coverage.ok;
  });
  return problems;
}

/** The anchors in the data folder's file and those given with --anchor; returns 1 if any fails. */
async function checkAnchors(db: Db, anchors: Anchor[], say: Say): Promise<number> {
  if (anchors.length === 0) {
    console.log(say.anchorsNone);
    return 0;
  }
  const problems = await verifyAnchors(db, anchors);
  if (problems.length === 0) {
    console.log(say.anchorsOk(anchors.length));
    return 0;
  }
  console.error(say.anchorsBad(problems.length));
  for (const p of problems.slice(0, 50))
    console.error(
      p.kind === 'missing'
        ? say.anchorMissing(formatAnchor(p.anchor), p.newest)
        : say.anchorDiffers(formatAnchor(p.anchor)),
    );
  return 1;
}

/** `--to`: a PostgreSQL URL, or a data folder (its SQLite file). */
function targetConfig(to: string): StoreConfig {
  return /^postgres(ql)?:\/\//.test(to) ? { kind: 'postgres', url: to } : storeConfig(path.resolve(to), '');
}

async function transferData(source: StoreConfig, to: string | undefined, say: Say): Promise<number> {
  if (!to) {
    console.error(say.transferNeedsTarget);
    return 2;
  }
  const missing = missingDatabase(source);
  if (missing) {
    console.error(say.noDatabase(missing));
    return 1;
  }
  const target = targetConfig(to);
  if (describeStore(target) === describeStore(source)) {
    console.error(say.transferSame(describeStore(source)));
    return 2;
  }
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  const from = await openStore(source);
  try {
    const into = await openStore(target);
    try {
      console.log(say.transferStart(from.location, into.location));
      let lastTable = '';
      let lastPrint = 0;
      const summary = await copyStore(from, into, (p) => {
        if (p.step !== 'rows') {
          console.log(
            (p.step === 'indexes' ? say.transferIndexes : say.transferAnalyze)(seconds(p.elapsedMs)),
          );
          return;
        }
        // A line when a table is done, and every few seconds within a big one.
        const done = p.copied === p.total;
        if ((done && p.table !== lastTable) || p.elapsedMs - lastPrint >= 5000) {
          lastPrint = p.elapsedMs;
          if (done) lastTable = p.table;
          console.log(say.transferRows(p.table, p.copied, p.total, seconds(p.elapsedMs)));
        }
      });
      console.log(say.transferDone(summary.rows, summary.tables.length, seconds(summary.elapsedMs)));
      const problems = await checkLedgerAndAudit(into, say);
      if (problems > 0) return 1;
      console.log(say.transferChecked);
      return 0;
    } catch (error) {
      if (!(error instanceof TransferRefused)) throw error;
      const message = {
        targetNotEmpty: say.transferNotEmpty,
        schemaMismatch: say.transferSchema,
        unknownTable: say.transferUnknownTable,
      }[error.code];
      console.error(message(error.detail));
      return 1;
    } finally {
      await into.close();
    }
  } finally {
    await from.close();
  }
}

function printAccounts(say: Say) {
  console.log(say.accounts);
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.username} / ${a.password} / ${a.role}`);
}

export async function main(
  argv: string[],
  io: { readPassword: ReadPassword } = { readPassword },
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      lang: { type: 'string' },
      database: { type: 'string' },
      scale: { type: 'boolean' },
      to: { type: 'string' },
      out: { type: 'string' },
      depot: { type: 'string' },
      from: { type: 'string' },
      incident: { type: 'string' },
      sheet: { type: 'string' },
      'create-missing': { type: 'boolean' },
      json: { type: 'boolean' },
      commit: { type: 'boolean' },
      'display-name': { type: 'string' },
      anchor: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const say = cliMessages(values.lang ?? process.env.LANG);
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(say.usage);
    return command ? 0 : 2;
  }
  const dataDir = resolveDataDir(values.data);
  const config = storeConfig(dataDir, values.database ?? process.env.RELIEF_DEPOT_DATABASE_URL);
  const anchorFile = path.join(dataDir, ANCHOR_FILE);
  const host = values.host ?? '127.0.0.1';
  const port = values.port === undefined ? undefined : Number(values.port);

  switch (command) {
    case 'start':
    case 'serve': {
      console.log(say.dataDir(describeStore(config)));
      if (command === 'start' && config.kind === 'sqlite') {
        const desktop = checkDesktop();
        if (desktop.ok) {
          console.log(say.desktop(desktop.binary));
          const code = await runDesktop(desktop.binary, dataDir, values.lang);
          if (code !== null) return code;
        }
        const reason = desktop.ok ? 'spawn-failed' : desktop.reason;
        console.log(FALLBACK[reason]['zh-CN']);
        console.log(FALLBACK[reason].en);
      }
      const app = await createApp({ store: config, anchorFile });
      if (await isEmpty(app)) console.log(say.firstRun);
      await serve(app, say, host, port);
      return -1; // keeps running
    }
    case 'demo': {
      const app = await createApp({ store: config, anchorFile });
      try {
        if (!(await isEmpty(app))) {
          console.error(say.notEmpty(app.store.location));
          return 1;
        }
        const summary = values.scale
          ? await seedScale(app, { onProgress: (m) => console.log(m) })
          : await seedDemo(app);
        console.log(say.demoDone(JSON.stringify(summary)));
        if (!values.scale) printAccounts(say);
        return 0;
      } finally {
        await app.close();
      }
    }
    case 'check': {
      const missing = missingDatabase(config);
      if (missing) {
        console.error(say.noDatabase(missing));
        return 1;
      }
      const given: Anchor[] = [];
      for (const arg of values.anchor ?? []) {
        const found = anchorsFrom(arg);
        if (!found) {
          console.error(say.anchorUnreadable(arg));
          return 2;
        }
        given.push(...found);
      }
      // Not anchored on opening: a head is anchored only once the books behind it have passed.
      const app = await createApp({ store: config });
      let problems = 0;
      try {
        problems += await checkLedgerAndAudit(app.store, say);
        problems += await checkPart(say, 'anchors', async () => {
          return (await checkAnchors(app.db, [...readAnchorFile(anchorFile), ...given], say)) === 0;
        });
        problems += await checkPart(say, 'integrity', async () => {
          const integrity = await app.store.maintenance.integrityCheck();
          if (integrity.ok) console.log(say.integrityOk(integrity.report));
          else console.error(say.integrityBad(integrity.report));
          return integrity.ok;
        });
        if (problems === 0) await appendAnchor(app.db, anchorFile, new Date());
      } finally {
        await app.close();
      }
      return problems === 0 ? 0 : 1;
    }
    case 'backup': {
      const target = rest[0];
      if (!target) {
        console.error(say.usage);
        return 2;
      }
      const missing = missingDatabase(config);
      if (missing) {
        console.error(say.noDatabase(missing));
        return 1;
      }
      const destination = path.resolve(target);
      if (existsSync(destination)) {
        console.error(say.backupExists(destination));
        return 1;
      }
      // A backup copies what is there: it never migrates the source first.
      const store = await openStore(config, { migrate: false });
      try {
        // Read first: the copy holds this record or later ones, so the anchor holds for it.
        const head = await auditHead(store.db);
        const { bytes, integrity } = await store.maintenance.backup(destination);
        if (!integrity.ok) {
          console.error(say.integrityBad(integrity.report));
          return 1;
        }
        console.log(say.backupDone(destination, bytes));
        if (head) {
          writeFileSync(`${destination}${ANCHOR_SUFFIX}`, say.backupAnchor(formatAnchor(head), head.at));
          console.log(say.backupAnchorWritten(`${destination}${ANCHOR_SUFFIX}`, shortAnchor(head)));
        }
        return 0;
      } finally {
        await store.close();
      }
    }
    case 'export': {
      const [report] = rest;
      const incidentId = values.incident === undefined ? undefined : Number(values.incident);
      if (
        !report ||
        !values.out ||
        !(REPORTS as readonly string[]).includes(report) ||
        (incidentId !== undefined && !(Number.isInteger(incidentId) && incidentId > 0))
      ) {
        console.error(say.exportUsage);
        return 2;
      }
      const missing = missingDatabase(config);
      if (missing) {
        console.error(say.noDatabase(missing));
        return 1;
      }
      const app = await createApp({ store: config });
      try {
        const done = await exportReport(app.svc, {
          report: report as ReportName,
          file: path.resolve(values.out),
          lang: resolveLocale(values.lang ?? process.env.LANG),
          depotCode: values.depot,
          from: values.from,
          to: values.to,
          incidentId,
          exportedBy: say.exportBy(userInfo().username),
        });
        console.log(say.exportDone(done.file, done.rows));
        return 0;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        console.error(toRpcError(resolveLocale(values.lang ?? process.env.LANG), error).message);
        return 1;
      } finally {
        await app.close();
      }
    }
    case 'transfer-data':
      return transferData(config, values.to, say);
    case 'import': {
      const missing = missingDatabase(config);
      if (missing) {
        console.error(say.noDatabase(missing));
        return 1;
      }
      const app = await createApp({ store: config, anchorFile });
      try {
        const [kind, file] = rest;
        return await importCommand(app, {
          kind,
          file,
          depot: values.depot,
          sheet: values.sheet,
          createMissing: values['create-missing'] ?? false,
          json: values.json ?? false,
          commit: values.commit ?? false,
          locale: resolveLocale(values.lang ?? process.env.LANG),
          osUser: userInfo().username,
        });
      } finally {
        await app.close();
      }
    }
    case 'user': {
      const missing = missingDatabase(config);
      if (missing) {
        console.error(say.noDatabase(missing));
        return 1;
      }
      const app = await createApp({ store: config, anchorFile });
      try {
        const [sub, username] = rest;
        const lang = values.lang ?? process.env.LANG ?? 'zh-CN';
        return await userCommand(
          app,
          { sub, username, displayName: values['display-name'], lang },
          say,
          io.readPassword,
        );
      } finally {
        await app.close();
      }
    }
    default:
      console.error(say.unknown(command));
      console.error(say.usage);
      return 2;
  }
}
