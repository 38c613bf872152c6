// @ts-check
/**
 * Reads one sheet of a spreadsheet with SheetJS, in a worker thread (excel/import/parse.ts starts
 * it and stops it at its time limit, so a hostile file cannot freeze the app). It hands back the
 * sheet names and the chosen sheet's cells as plain values, at most `maxRows` rows of `maxCols`
 * cells: text, numbers (formula cells as their cached values), booleans, dates as
 * { date: 'YYYY-MM-DD' } read from the cell's own date format (no time zone involved), and the
 * value of a merged range in every cell of it (so a two-level header reads 物资信息 above each
 * of its columns). Plain JavaScript: a worker file runs as it is, in the tests and the bundle.
 */
const { parentPort, workerData } = require('node:worker_threads');
const XLSX = require('xlsx');

/** @param {{ data: Uint8Array | string, sheet: string | string[] | null, maxRows: number, maxCols: number }} input */
function read(input) {
  const wb = XLSX.read(input.data, {
    type: typeof input.data === 'string' ? 'string' : 'buffer',
    dense: true,
    raw: typeof input.data === 'string',
    cellNF: true,
    cellDates: false,
    cellFormula: false,
    cellHTML: false,
    cellStyles: false,
    bookVBA: false,
    sheetRows: input.maxRows + 1,
  });
  const sheets = wb.SheetNames;
  // One sheet by name, the first of several that is there, or the first sheet.
  const wanted = input.sheet === null ? [] : Array.isArray(input.sheet) ? input.sheet : [input.sheet];
  const name = wanted.length === 0 ? sheets[0] : wanted.find((w) => sheets.includes(w));
  if (name === undefined) return { error: 'import.noSheet', params: { sheet: wanted.join(' / ') }, sheets };
  const ws = wb.Sheets[name];
  /** @type {any[][]} */
  const data = (ws && ws['!data']) || [];
  // Reading stops at the row cap; a sheet that reaches past it is refused, never cut short.
  const full = ws && ws['!fullref'] ? XLSX.utils.decode_range(ws['!fullref']) : null;
  if (data.length > input.maxRows || (full && full.e.r + 1 > input.maxRows))
    return { error: 'import.tooManyRows', params: { max: input.maxRows }, sheets };
  /** @type {(string | number | boolean | { date: string } | null)[][]} */
  const rows = [];
  for (let r = 0; r < data.length; r += 1) {
    const source = data[r] || [];
    const row = [];
    const width = Math.min(source.length, input.maxCols);
    for (let c = 0; c < width; c += 1) row.push(valueOf(source[c]));
    rows.push(row);
  }
  for (const m of ws['!merges'] || []) {
    const value = rows[m.s.r] ? rows[m.s.r][m.s.c] : undefined;
    if (value === undefined || value === null) continue;
    for (let r = m.s.r; r <= Math.min(m.e.r, rows.length - 1); r += 1)
      for (let c = m.s.c; c <= Math.min(m.e.c, input.maxCols - 1); c += 1) {
        while (rows[r].length <= c) rows[r].push(null);
        if (rows[r][c] === null) rows[r][c] = value;
      }
  }
  return { sheets, sheet: name, rows };
}

/** @param {any} cell */
function valueOf(cell) {
  if (!cell || cell.v === undefined || cell.t === 'z' || cell.t === 'e') return null;
  if (cell.t === 'n' && cell.z && XLSX.SSF.is_date(cell.z)) {
    const d = XLSX.SSF.parse_date_code(cell.v);
    if (d)
      return {
        date: `${String(d.y).padStart(4, '0')}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`,
      };
  }
  if (cell.t === 'd' && cell.v instanceof Date) return { date: cell.v.toISOString().slice(0, 10) };
  if (cell.t === 'b' || cell.t === 'n') return cell.v;
  return String(cell.v);
}

try {
  parentPort?.postMessage(read(workerData));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  parentPort?.postMessage({
    error: /password|encrypt/i.test(message) ? 'import.encrypted' : 'import.unreadable',
    params: { reason: message.slice(0, 200) },
  });
}
