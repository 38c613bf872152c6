/**
 * A small CSV reader (RFC 4180): quoted fields, doubled quotes inside quotes, commas and line
 * breaks inside quotes, CRLF or LF line ends, an optional UTF-8 byte-order mark.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    // A blank line is no record.
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  for (; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      endField();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      endRow();
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error('CSV: a quoted field is not closed');
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** Records keyed by the header row's names (trimmed); missing cells are ''. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const names = header.map((h) => h.trim());
  return rows.map((cells) => Object.fromEntries(names.map((name, i) => [name, (cells[i] ?? '').trim()])));
}

export const RESERVE_ITEMS_CSV = 'public-reserve-items.csv';

/**
 * The project's copy of the public reserve list (data/public-reserve-items.csv), found from
 * this module's folder upwards: it works from src/main/demo (tests), from out/main (the bundled
 * CLI) and from the project folder.
 */
export function findDataFile(name: string = RESERVE_ITEMS_CSV): string {
  const starts = [typeof __dirname === 'string' ? __dirname : process.cwd(), process.cwd()];
  for (const start of starts) {
    let dir = start;
    for (let depth = 0; depth < 6; depth += 1) {
      const candidate = path.join(dir, 'data', name);
      if (existsSync(candidate)) return candidate;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`data file not found: data/${name}`);
}

export function readCsvFile(file: string): Record<string, string>[] {
  return csvRecords(readFileSync(file, 'utf8'));
}
