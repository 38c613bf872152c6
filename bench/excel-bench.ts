/**
 * Excel at --scale size: the 出入库明细 export of the last ~100,000 and ~400,000 movements, each
 * in a process of its own (bench/excel-worker.ts) so its peak RSS is its own, against exceljs's
 * streaming writer fed the same rows directly in the same run. Targets: at most 1.3× the raw
 * time, and memory that does not grow with the rows: ours runs with its V8 heap capped at
 * HEAP_CAP_MB (it would fail at the larger size if it held rows), and its peak RSS at the
 * larger size stays within 1.25× of the smaller one's.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { createApp } from '../src/main/app';
import { openSqliteFile } from '../src/main/db/sqlite';
import { commitImport, previewImport } from '../src/main/services/import.service';
import { localDate } from '../src/shared/dates';

export interface ExportFigure {
  rows: number;
  product: { ms: number; peakRssBytes: number; bytes: number };
  raw: { ms: number; peakRssBytes: number; bytes: number };
}

export const EXPORT_SIZES = [100_000, 400_000] as const;
export const TIME_RATIO_LIMIT = 1.3;
export const MEMORY_GROWTH_LIMIT = 1.25;
export const HEAP_CAP_MB = 256;

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
  const heap = mode === 'product' ? [`--max-old-space-size=${HEAP_CAP_MB}`] : [];
  const line = execFileSync(process.execPath, [...heap, worker, mode, dbFile, from, out], {
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

export interface ImportFigure {
  rows: number;
  previewMs: number;
  rawReadMs: number;
  commitMs: number;
  errors: number;
}
export const IMPORT_ROWS = 10_000;
export const IMPORT_LIMIT_MS = 3_000;

/**
 * `import opening-stock` of a 10,000-row workbook of the catalogue's materials (codes, names,
 * units, quantities written as people do: 1,200 and 0.3万, dates as text): the preview (checks,
 * parsing in the worker, the header, every row matched and validated; p50 of 3), against SheetJS
 * reading the same file to rows directly; and the commit once, on a copy of the database.
 */
export async function importScenario(dbFile: string, base: string): Promise<ImportFigure> {
  const dir = mkdtempSync(path.join(base, 'relief-depot-bench-import-'));
  try {
    const sqlite = openSqliteFile(dbFile, { readonly: true });
    const materials = sqlite
      .prepare('select code, name, unit from materials where active = 1 order by material_id limit 5000')
      .all() as { code: string; name: string; unit: string }[];
    const depot = (
      sqlite.prepare("select code from depots where level = 'town' order by depot_id limit 1").get() as {
        code: string;
      }
    ).code;
    sqlite.close();
    const rows: unknown[][] = [
      ['期初库存表'],
      ['序号', '物资编码', '物资名称', '计量单位', '实有数量', '批号', '有效期至'],
    ];
    for (let i = 0; i < IMPORT_ROWS; i += 1) {
      const m = materials[i % materials.length]!;
      rows.push([i + 1, m.code, m.name, m.unit, i % 2 ? '1,200' : '0.3万', `B-${i}`, '2030/06/30']);
    }
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '期初库存');
    const bytes = Buffer.from(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);

    const copy = path.join(dir, 'relief-depot.sqlite');
    copyFileSync(dbFile, copy);
    const app = await createApp({ store: { kind: 'sqlite', file: copy }, logError: () => {} });
    try {
      const request = {
        kind: 'opening-stock' as const,
        fileName: 'bench.xlsx',
        bytes,
        lang: 'zh-CN' as const,
        depotCode: depot,
      };
      const previews: number[] = [];
      const raws: number[] = [];
      let errors = 0;
      for (let run = 0; run < 3; run += 1) {
        let start = process.hrtime.bigint();
        const preview = await previewImport(app.svc, request);
        previews.push(Number(process.hrtime.bigint() - start) / 1e6);
        errors = preview.counts.error;
        start = process.hrtime.bigint();
        const read = XLSX.read(bytes, { type: 'buffer', dense: true });
        XLSX.utils.sheet_to_json(read.Sheets[read.SheetNames[0]!]!, { header: 1 });
        raws.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      const admin = await app.db
        .selectFrom('users')
        .select(['userId', 'username', 'displayName', 'role'])
        .where('role', '=', 'admin')
        .executeTakeFirstOrThrow();
      const start = process.hrtime.bigint();
      await commitImport(app.svc, { ...admin, depotIds: [] }, request);
      const commitMs = Number(process.hrtime.bigint() - start) / 1e6;
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
      return { rows: IMPORT_ROWS, previewMs: median(previews), rawReadMs: median(raws), commitMs, errors };
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function importMisses(figure: ImportFigure | null): string[] {
  if (!figure) return [];
  const missed: string[] = [];
  if (figure.previewMs > IMPORT_LIMIT_MS)
    missed.push(`import preview of ${figure.rows} rows over ${IMPORT_LIMIT_MS} ms`);
  if (figure.errors > 0) missed.push(`import preview found ${figure.errors} wrong rows in a clean file`);
  return missed;
}
