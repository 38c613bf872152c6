/**
 * Reading the values people type into spreadsheets: full-width characters folded to their
 * ordinary forms, quantities written with 万, thousands separators, surrounding spaces or a unit
 * after the number (300顶), and dates as Excel dates or text in the ways Chinese offices write
 * them (2026-11-30, 2026/11/30, 2026.11.30, 2026年11月30日, 20261130). A value that cannot be
 * read is `undefined`, for the caller to name in the row's error; nothing is guessed.
 */
import { dateInput } from '../../../shared/schemas/common';
import type { Cell } from './parse';

/** Full-width ASCII (０-９, Ａ-Ｚ, ，．（）…) and the ideographic space, to their ordinary forms. */
export function foldWidth(text: string): string {
  return text
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/** A cell as trimmed text ('' when empty); numbers as Excel shows them without a format. */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'object') return cell.date;
  return String(cell).replace(/\s+/g, ' ').trim();
}

/** The same text folded and without spaces: what two spellings of one header have in common. */
export function looseText(text: string): string {
  return foldWidth(text)
    .replace(/\s+/g, '')
    .toLowerCase()
    .replace(/[（(]/g, '(')
    .replace(/[）)]/g, ')')
    .replace(/㎡|平方米|平米/g, 'm2')
    .replace(/㎥|立方米/g, 'm3');
}

/**
 * A quantity: a whole number, possibly with 万 (×10,000), separators, spaces and a trailing
 * unit. Returns the number and the unit written after it, if any.
 */
export function parseQuantity(cell: Cell | undefined): { value: number; unit: string | null } | undefined {
  if (typeof cell === 'number') return Number.isFinite(cell) ? { value: cell, unit: null } : undefined;
  if (typeof cell !== 'string') return undefined;
  const text = foldWidth(cell).replace(/[\s,]/g, '');
  const m = /^([+-]?\d+(?:\.\d+)?)(万)?([^\d.+-].*)?$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]) * (m[2] ? 10_000 : 1);
  // 2.04万 is 20,400 exactly: round away binary noise, keep real fractions for the caller to refuse.
  const rounded = Math.round(value * 1e6) / 1e6;
  return { value: rounded, unit: m[3] ? m[3].trim() || null : null };
}

/** Yuan (¥1,320.50, 1320.5元) as fen; undefined when it is not an amount. */
export function parseYuan(cell: Cell | undefined): number | undefined {
  const raw =
    typeof cell === 'number' ? String(cell) : typeof cell === 'string' ? foldWidth(cell) : undefined;
  if (raw === undefined) return undefined;
  const text = raw.replace(/[\s,¥￥]|元$/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return undefined;
  return Math.round(Number(text) * 100);
}

/** A real date, from an Excel date or from text; undefined when it is not one (2026-02-30). */
export function parseDate(cell: Cell | undefined): string | undefined {
  if (cell === null || cell === undefined || typeof cell === 'boolean') return undefined;
  let text: string;
  if (typeof cell === 'object') text = cell.date;
  else if (typeof cell === 'number') text = String(cell);
  else text = foldWidth(cell).trim();
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return dateInput.safeParse(iso).success ? iso : undefined;
}

/** A header's unit in brackets (棉被（床）, 数量(顶)): the header without it, and the unit. */
export function headerUnit(header: string): { text: string; unit: string | null } {
  const m = /^(.*?)[(（]([^()（）]{1,4})[)）]\s*$/.exec(header);
  if (!m) return { text: header, unit: null };
  // 金额（元）, 单价（元）: money, not a unit of the goods.
  if (/^元|万元$/.test(m[2]!)) return { text: header, unit: null };
  return { text: m[1]!.trim(), unit: m[2]!.trim() };
}
