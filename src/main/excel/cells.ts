/**
 * What goes into a cell of an exported workbook: text neutralised so no spreadsheet program
 * reads it as a formula or a control sequence, dates as real dates, money in yuan, and the
 * width a column needs for its text (a CJK character counts two).
 */

/** Characters that make Excel, WPS or LibreOffice (or a CSV made from the file) start a formula. */
const FORMULA_START = /^[=+\-@\t\r\0＝＋－＠]/u;

/** Text as a cell shows it: one that would start a formula gets a leading apostrophe. */
export function safeText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** `2026-11-30` as the date Excel shows as 2026-11-30 (its serial counts UTC days). */
export function excelDate(isoDate: string): Date {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

/**
 * An instant as the city's wall-clock time (Asia/Shanghai, UTC+8 all year): Excel has no time
 * zones, so the cell holds the local date and time.
 */
export function excelTime(iso: string): Date {
  return new Date(new Date(iso).getTime() + 8 * 3_600_000);
}

/** Display width of text in Excel's character units: CJK and full-width characters count two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u.test(ch) ? 2 : 1;
  return width;
}
