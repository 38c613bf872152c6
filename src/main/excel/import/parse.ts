/**
 * Reading a sheet's cells: the bytes are checked first (guard.ts), then parsed by SheetJS in a
 * worker thread that is stopped at its time limit. CSV is decoded here: UTF-8 (with or without
 * its mark), or GB18030 when it is not valid UTF-8 (what Excel on a Chinese Windows saves).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MessageKey } from '../../../shared/i18n';
import { AppError } from '../../../shared/rpc';
import { sniffSpreadsheet, type SpreadsheetFormat } from './guard';

export type Cell = string | number | boolean | { date: string } | null;

export interface Grid {
  format: SpreadsheetFormat;
  sheets: string[];
  sheet: string;
  rows: Cell[][];
}

export const GRID_LIMITS = { rows: 100_000, cols: 100, timeLimitMs: 15_000 };

/** Beside this module in the sources (tests); beside the bundle in out/main (build-main.mjs copies it there), also for the benchmarks in out/bench. */
const WORKER_FILE = [
  path.join(__dirname, 'parse-worker.cjs'),
  path.join(__dirname, '..', 'main', 'parse-worker.cjs'),
].find((f) => existsSync(f));

function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

export async function readGrid(
  bytes: Buffer,
  /** `sheet`: by name, or the first of these names that the workbook has (default: its first sheet). */
  options: { sheet?: string | string[] | undefined; limits?: Partial<typeof GRID_LIMITS> } = {},
): Promise<Grid> {
  const format = sniffSpreadsheet(bytes);
  const limits = { ...GRID_LIMITS, ...options.limits };
  if (!WORKER_FILE) throw new Error('parse-worker.cjs is missing beside the import module');
  const worker = new Worker(WORKER_FILE, {
    workerData: {
      data: format === 'csv' ? decodeText(bytes) : bytes,
      sheet: options.sheet ?? null,
      maxRows: limits.rows,
      maxCols: limits.cols,
    },
    resourceLimits: { maxOldGenerationSizeMb: 1024 },
  });
  type Reply =
    | { sheets: string[]; sheet: string; rows: Cell[][] }
    | { error: MessageKey; params: Record<string, string | number> };
  const reply = await new Promise<Reply>((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve({ error: 'import.tooSlow', params: { seconds: Math.round(limits.timeLimitMs / 1000) } });
    }, limits.timeLimitMs);
    worker.once('message', (message: Reply) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(message);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      // Out of its memory allowance: a file too large to read, not a crash of the app.
      if ((error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY')
        resolve({ error: 'import.unreadable', params: { reason: 'memory' } });
      else reject(error);
    });
  });
  if ('error' in reply)
    throw new AppError('BAD_INPUT', reply.error, reply.params, [
      { path: 'file', key: reply.error, params: reply.params },
    ]);
  return { format, ...reply };
}
