/**
 * One measured export, in a process of its own so its peak RSS is its own (bench/excel-bench.ts
 * forks it): `product` is `exportReport('movements')` as the CLI and the screens run it;
 * `raw` reads the same rows with better-sqlite3 and hands them to exceljs's streaming writer
 * directly, with no paging, no breathing and no 说明 sheet. Prints one JSON line.
 *
 * Time runs from the export's start (the app is already open, as it is for a user). Memory is
 * the peak of the process's anonymous RSS (/proc/self/status RssAnon), sampled every 1,000 rows
 * on both sides: the process's total RSS would count the pages of the SQLite file it maps.
 */
import { readFileSync, statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { createApp } from '../src/main/app';
import { openSqliteFile } from '../src/main/db/sqlite';
import { exportReport } from '../src/main/excel/export';
import { startOfLocalDay } from '../src/shared/dates';

const [mode, dbFile, from, out] = process.argv.slice(2) as [string, string, string, string];

let peakAnonBytes = 0;
function sampleMemory() {
  const kb = /RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  peakAnonBytes = Math.max(peakAnonBytes, Number(kb ?? 0) * 1024);
}
let start = 0n;

async function product(): Promise<number> {
  const app = await createApp({ store: { kind: 'sqlite', file: dbFile }, logError: () => {} });
  try {
    start = process.hrtime.bigint();
    const done = await exportReport(
      app.svc,
      { report: 'movements', file: out, lang: 'zh-CN', from, exportedBy: 'bench' },
      { onRows: sampleMemory },
    );
    return done.rows[0]!;
  } finally {
    await app.close();
  }
}

async function raw(): Promise<number> {
  start = process.hrtime.bigint();
  const sqlite = openSqliteFile(dbFile, { readonly: true });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const ws = wb.addWorksheet('出入库明细');
  let rows = 0;
  const statement = sqlite.prepare(`
    select mv.occurred_at, mv.doc_no, mv.type, d.name as depot, m.code, m.gb_code, m.name, m.spec, m.unit,
           b.lot_no, mv.quantity, coalesce(cd.name, mv.recipient, mv.supplier) as other, u.display_name, mv.reason
      from movements mv
      join depots d on d.depot_id = mv.depot_id
      join materials m on m.material_id = mv.material_id
      join batches b on b.batch_id = mv.batch_id
      join users u on u.user_id = mv.user_id
      left join depots cd on cd.depot_id = mv.counterpart_depot_id
     where mv.occurred_at >= ? order by mv.movement_id`);
  for (const r of statement.iterate(startOfLocalDay(from)) as Iterable<
    Record<string, string | number | null>
  >) {
    const q = Number(r.quantity);
    ws.addRow([
      new Date(String(r.occurred_at)),
      r.doc_no,
      r.type,
      r.depot,
      r.code,
      r.gb_code,
      r.name,
      r.spec,
      r.unit,
      r.lot_no,
      q > 0 ? q : null,
      q < 0 ? -q : null,
      r.other,
      r.display_name,
      r.reason,
    ]).commit();
    rows += 1;
    if (rows % 1_000 === 0) sampleMemory();
  }
  ws.commit();
  await wb.commit();
  sqlite.close();
  return rows;
}

(mode === 'product' ? product() : raw())
  .then((rows) => {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const figure = {
      rows,
      ms,
      peakRssBytes: (sampleMemory(), peakAnonBytes),
      bytes: statSync(out).size,
    };
    console.log(JSON.stringify(figure));
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
