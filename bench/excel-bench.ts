/**
 * Excel at --scale size: the 出入库明细 export of the last ~100,000 and ~400,000 movements, each
 * in a process of its own (bench/excel-worker.ts) so its peak RSS is its own, against exceljs's
 * streaming writer fed the same rows directly in the same run. Targets: at most 1.3× the raw
 * time, and a peak RSS that does not grow with the rows (the larger export within 1.25× of the
 * smaller one's).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openSqliteFile } from '../src/main/db/sqlite';
import { localDate } from '../src/shared/dates';

export interface ExportFigure {
  rows: number;
  product: { ms: number; peakRssBytes: number; bytes: number };
  raw: { ms: number; peakRssBytes: number; bytes: number };
}

export const EXPORT_SIZES = [100_000, 400_000] as const;
export const TIME_RATIO_LIMIT = 1.3;
export const MEMORY_GROWTH_LIMIT = 1.25;

/** The local date from which the newest movements number at least `n` (whole days). */
function fromDateFor(dbFile: string, n: number): string {
  const sqlite = openSqliteFile(dbFile, { readonly: true });
  try {
    const row = sqlite
      .prepare('select occurred_at as at from movements order by movement_id desc limit 1 offset ?')
      .get(n - 1) as { at: string } | undefined;
    if (!row) throw new Error(`the --scale database has fewer than ${n} movements`);
    return localDate(new Date(row.at));
  } finally {
    sqlite.close();
  }
}

function measure(mode: 'product' | 'raw', dbFile: string, from: string, out: string) {
  const worker = path.join(__dirname, 'excel-worker.cjs');
  const line = execFileSync(process.execPath, [worker, mode, dbFile, from, out], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  rmSync(out, { force: true });
  return JSON.parse(line.trim().split('\n').at(-1)!) as ExportFigure['raw'] & { rows: number };
}

export function exportScenarios(dbFile: string, base: string): ExportFigure[] {
  const dir = mkdtempSync(path.join(base, 'relief-depot-bench-excel-'));
  try {
    return EXPORT_SIZES.map((n) => {
      const from = fromDateFor(dbFile, n);
      // Raw first, then ours: the file cache is warm for both alike after the date lookup.
      const raw = measure('raw', dbFile, from, path.join(dir, 'raw.xlsx'));
      const product = measure('product', dbFile, from, path.join(dir, 'product.xlsx'));
      if (raw.rows !== product.rows)
        throw new Error(`the raw export wrote ${raw.rows} rows, ours ${product.rows}: not the same rows`);
      const { rows, ...productFigure } = product;
      const { rows: _, ...rawFigure } = raw;
      return { rows, product: productFigure, raw: rawFigure };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Targets missed, as words (empty when all are met). */
export function exportMisses(figures: ExportFigure[]): string[] {
  const missed = figures
    .filter((f) => f.product.ms > f.raw.ms * TIME_RATIO_LIMIT)
    .map((f) => `export of ${f.rows} movements slower than ${TIME_RATIO_LIMIT}× raw exceljs`);
  const [small, large] = figures;
  if (small && large && large.product.peakRssBytes > small.product.peakRssBytes * MEMORY_GROWTH_LIMIT)
    missed.push('export peak RSS grows with the rows');
  return missed;
}
