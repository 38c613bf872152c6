/**
 * Writing a report workbook, streamed to disk with bounded memory (exceljs's streaming writer,
 * held back while its zip is behind: see `zipIntake`): per sheet a title row, a bold filled header that stays in view,
 * an autofilter, widths that fit Chinese text, thousands separators, real dates, yuan with two
 * decimals, a totals row where the report asks for one; then a 说明 sheet saying what the file
 * is, who exported it, when, from which version, with how many rows, and which state of the
 * books (the audit chain head). The file appears only when complete: it is written under a
 * temporary name and renamed, so a failed export leaves nothing behind.
 */
import { setImmediate } from 'node:timers/promises';
import { createWriteStream, openSync, renameSync, rmSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { localMinute } from '../../shared/dates';
import { AppError } from '../../shared/rpc';
import { PRODUCT_VERSION } from '../../shared/version';
import { displayWidth, excelDate, excelTime, safeText } from './cells';

/**
 * text: as is · quantity: whole number · money: fen shown as yuan · date: `YYYY-MM-DD` ·
 * time: an ISO instant, shown as the city's wall-clock minute · hours: a duration, one decimal.
 */
export type ColumnKind = 'text' | 'quantity' | 'money' | 'date' | 'time' | 'hours';

export interface Column<R> {
  header: string;
  kind: ColumnKind;
  value: (row: R) => string | number | null;
  /** Summed on the totals row (quantities of one unit, money). */
  total?: boolean;
}

export interface SheetSpec<R> {
  name: string;
  title: string;
  columns: Column<R>[];
  rows: Iterable<R> | AsyncIterable<R>;
}

/** A sheet of any row type: each sheet's columns only ever see their own rows. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySheet = SheetSpec<any>;

export interface About {
  lang: 'zh-CN' | 'en';
  report: string;
  /** The filters in effect, as words ("储备库：市级库"); none means everything. */
  filters: string[];
  exportedBy: string;
  exportedAt: Date;
  auditHead: { auditId: number; hash: string } | null;
}

const LABELS = {
  'zh-CN': {
    about: '说明',
    report: '报表',
    filters: '筛选条件',
    none: '无（全部）',
    by: '导出人',
    at: '导出时间',
    version: '产品版本',
    rows: '行数',
    chain: '审计链',
    chainNone: '（尚无审计记录）',
    chainNote: '记录号与哈希，可在系统中核对本文件反映的账簿状态',
    total: '合计',
    rowsOf: (sheet: string, n: number) => `${sheet}：${n.toLocaleString('en-US')} 行`,
    product: '应急物资储备管理',
  },
  en: {
    about: 'About',
    report: 'Report',
    filters: 'Filters',
    none: 'None (everything)',
    by: 'Exported by',
    at: 'Exported at',
    version: 'Product version',
    rows: 'Rows',
    chain: 'Audit chain',
    chainNone: '(no audit records yet)',
    chainNote: 'Record number and hash: check in the product which state of the books this file reflects',
    total: 'Total',
    rowsOf: (sheet: string, n: number) => `${sheet}: ${n.toLocaleString('en-US')} rows`,
    product: 'Relief Depot',
  },
};

const FORMATS: Record<ColumnKind, string | undefined> = {
  text: undefined,
  quantity: '#,##0',
  money: '#,##0.00',
  date: 'yyyy-mm-dd',
  time: 'yyyy-mm-dd hh:mm',
  hours: '#,##0.0',
};
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
/** Rows read before the columns are sized (the streaming writer fixes widths before the first row). */
const SAMPLE = 500;
const MAX_WIDTH = 60;

function cellValue(kind: ColumnKind, value: string | number | null): ExcelJS.CellValue {
  if (value === null || value === '') return null;
  switch (kind) {
    case 'text':
      return safeText(String(value));
    case 'quantity':
    case 'hours':
      return Number(value);
    case 'money':
      return Number(value) / 100;
    case 'date':
      return excelDate(String(value));
    case 'time':
      return excelTime(String(value));
  }
}

function shownWidth(kind: ColumnKind, value: string | number | null): number {
  if (value === null) return 0;
  if (kind === 'date') return 10;
  if (kind === 'time') return 16;
  if (kind === 'money')
    return (Number(value) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 }).length;
  if (kind === 'quantity') return Number(value).toLocaleString('en-US').length;
  if (kind === 'hours') return Number(value).toLocaleString('en-US', { maximumFractionDigits: 1 }).length + 2;
  return displayWidth(String(value));
}

/** How a long export reports its rows and learns it was cancelled. */
export interface Progress {
  /** Called every PROGRESS_EVERY rows with the rows written so far (all sheets). */
  onRows?: (rows: number) => void;
  signal?: AbortSignal;
}
const PROGRESS_EVERY = 1_000;

/** The part of a stream (Node's or readable-stream 2's, which archiver uses) that says it is full. */
interface Intake {
  _writableState: { needDrain: boolean };
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * Where a sheet's XML waits for the zip: exceljs hands it on without looking at backpressure, so
 * while the zip compresses, the uncompressed sheet piles up there (1.6 GB at two million rows).
 * The writer waits on it. exceljs keeps it private, so its shape is checked here, and an upgrade
 * that changes it fails the export tests instead of quietly buffering again.
 */
export function zipIntake(ws: ExcelJS.Worksheet): Intake {
  const pipes = (ws as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes;
  const intake = pipes?.[0] as Partial<Intake> | undefined;
  if (pipes?.length !== 1 || typeof intake?._writableState?.needDrain !== 'boolean')
    throw new Error('exceljs: the sheet stream no longer has the shape the writer waits on');
  return intake as Intake;
}

async function writeSheet<R>(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  spec: SheetSpec<R>,
  total: string,
  progress: Progress & { before: number; breathe: (intake: Intake) => Promise<void> },
) {
  const n = spec.columns.length;
  const ws = wb.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 2 }] });
  const intake = zipIntake(ws);
  const iterator = (
    Symbol.asyncIterator in spec.rows
      ? (spec.rows as AsyncIterable<R>)[Symbol.asyncIterator]()
      : (spec.rows as Iterable<R>)[Symbol.iterator]()
  ) as AsyncIterator<R> | Iterator<R>;
  const sample: R[] = [];
  let done = false;
  while (sample.length < SAMPLE) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    sample.push(next.value);
  }
  ws.columns = spec.columns.map((c) => {
    let width = displayWidth(c.header);
    for (const row of sample) width = Math.max(width, shownWidth(c.kind, c.value(row)));
    const format = FORMATS[c.kind];
    return { width: Math.min(width + 2, MAX_WIDTH), ...(format ? { style: { numFmt: format } } : {}) };
  });

  const title = ws.addRow([safeText(spec.title)]);
  title.font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, Math.max(n, 1));
  title.commit();
  const header = ws.addRow(spec.columns.map((c) => safeText(c.header)));
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', wrapText: true };
  });
  header.commit();

  const sums = spec.columns.map(() => 0);
  // One style object per column, shared by its data cells. exceljs gives each new cell a fresh
  // copy of its column's style and works out every copy's style id again (a fifth of the
  // export's time); a style object it has seen before it looks up once.
  const cellStyles = spec.columns.map((c): Partial<ExcelJS.Style> => {
    const format = FORMATS[c.kind];
    return format ? { numFmt: format } : {};
  });
  let rows = 0;
  const put = async (row: R) => {
    const values = spec.columns.map((c, i) => {
      const v = c.value(row);
      if (c.total && v !== null && v !== '') sums[i] = sums[i]! + Number(v);
      return cellValue(c.kind, v);
    });
    const added = ws.addRow(values);
    added.eachCell({ includeEmpty: true }, (cell, column) => {
      cell.style = cellStyles[column - 1]!;
    });
    added.commit();
    rows += 1;
    if (rows % PROGRESS_EVERY === 0) {
      await progress.breathe(intake);
      progress.signal?.throwIfAborted();
      progress.onRows?.(progress.before + rows);
    }
  };
  for (const row of sample) await put(row);
  while (!done) {
    const next = await iterator.next();
    if (next.done) break;
    await put(next.value);
  }
  // Over the header and the data (not the totals row); the writer puts it at the sheet's end.
  ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2 + rows, column: n } };
  if (spec.columns.some((c) => c.total)) {
    const values = spec.columns.map((c, i) => (c.total ? cellValue(c.kind, sums[i]!) : null));
    values[0] = total;
    const totals = ws.addRow(values);
    totals.font = { bold: true };
    totals.commit();
  }
  ws.commit();
  return rows;
}

/** Writes the sheets and the 说明 sheet to `file`; returns each sheet's data row count. */
export async function writeWorkbook(
  file: string,
  sheets: AnySheet[],
  about: About,
  progress: Progress = {},
): Promise<number[]> {
  const l = LABELS[about.lang];
  const partial = `${file}.part`;
  const cannotWrite = (error: NodeJS.ErrnoException) =>
    new AppError('BAD_INPUT', 'export.cannotWrite', { file, reason: error.code ?? error.message });
  // Our own file, opened now so a folder that is not there is refused here; the stream is ours
  // so a failed or cancelled export can close it before removing the file.
  let fd: number;
  try {
    fd = openSync(partial, 'w');
  } catch (error) {
    throw cannotWrite(error as NodeJS.ErrnoException);
  }
  const stream = createWriteStream(partial, { fd });
  // exceljs listens for the file's errors only at commit: one before (a full disk) is kept here
  // and thrown at the next breath.
  let failure: AppError | null = null;
  stream.on('error', (error: NodeJS.ErrnoException) => void (failure ??= cannotWrite(error)));
  /** Resolves when the file is closed, whatever happened to it (one listener, however often awaited). */
  const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
  /**
   * Lets the zip compress and the file take what is written, waiting while either is full
   * (SQLite answers synchronously, so otherwise nothing else runs until the end: memory would
   * hold the whole sheet, and other requests, the progress poll and 取消 included, would wait).
   */
  const cancelled = new Promise<void>((resolve) =>
    progress.signal?.addEventListener('abort', () => resolve(), { once: true }),
  );
  const breathe = async (intake: Intake) => {
    await setImmediate();
    while (
      !failure &&
      !progress.signal?.aborted &&
      (intake._writableState.needDrain || stream.writableNeedDrain)
    ) {
      const full = intake._writableState.needDrain ? intake : stream;
      await Promise.race([
        new Promise<void>((resolve) => full.once('drain', () => resolve())),
        closed,
        cancelled,
      ]);
      if (stream.closed) break;
    }
    if (failure) throw failure;
  };
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  wb.creator = l.product;
  wb.created = about.exportedAt;
  try {
    const counts: number[] = [];
    for (const sheet of sheets) {
      const before = counts.reduce((a, b) => a + b, 0);
      counts.push(await writeSheet(wb, sheet, l.total, { ...progress, before, breathe }));
    }
    progress.signal?.throwIfAborted();

    const info = wb.addWorksheet(l.about);
    info.columns = [{ width: 16 }, { width: 80 }];
    const line = (label: string | null, value: string) => {
      const row = info.addRow([label, value]);
      row.getCell(1).font = { bold: true };
      row.commit();
    };
    line(l.report, safeText(about.report));
    line(l.filters, about.filters.length > 0 ? about.filters.map(safeText).join('；') : l.none);
    line(l.by, safeText(about.exportedBy));
    line(l.at, `${localMinute(about.exportedAt)} (UTC+8)`);
    line(l.version, `${l.product} ${PRODUCT_VERSION}`);
    line(l.rows, sheets.map((s, i) => l.rowsOf(s.name, counts[i]!)).join('；'));
    line(l.chain, about.auditHead ? `${about.auditHead.auditId}:${about.auditHead.hash}` : l.chainNone);
    line(null, l.chainNote);
    info.commit();
    await wb.commit();
    await closed;
    if (failure) throw failure;
    // A cancel that came while the file was being finished still wins: no file appears.
    progress.signal?.throwIfAborted();
    renameSync(partial, file);
    return counts;
  } catch (error) {
    stream.destroy();
    await closed;
    rmSync(partial, { force: true });
    throw error;
  }
}
