/** Numbers, money and dates as UI.md wants them: 12,000 · ¥1,234.50 · 2026-11-30 · 2026-11-30 14:05. */
import { TIME_ZONE } from '../shared/dates';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const dateTime = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export function formatQuantity(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : integer.format(value);
}

/**
 * Quantities totalled per unit, never across units (UI.md): `1,200 顶 · 300 床`, in the order
 * the units first appear; a line whose material is not chosen yet has no unit and counts apart.
 */
export function totalsByUnit(
  lines: readonly { quantity?: number | null; unit?: string | undefined }[],
): string {
  const totals = new Map<string, number>();
  for (const line of lines)
    totals.set(line.unit ?? '', (totals.get(line.unit ?? '') ?? 0) + (line.quantity ?? 0));
  if (totals.size === 0) return '0';
  return [...totals]
    .map(([unit, q]) => (unit ? `${integer.format(q)} ${unit}` : integer.format(q)))
    .join(' · ');
}

/** A signed ledger quantity: +1,200 / −300 (a real minus sign, not colour alone). */
export function formatSigned(value: number): string {
  return value > 0 ? `+${integer.format(value)}` : `−${integer.format(-value)}`;
}

export function formatFen(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '' : `¥${money.format(fen / 100)}`;
}

/** `'12.5'` yuan → 1250 fen, exactly (no binary floating point); null when empty. */
export function yuanToFen(yuan: string | number | null | undefined): number | null {
  if (yuan === null || yuan === undefined) return null;
  const text = String(yuan)
    .trim()
    .replace(/[,，¥￥\s]/g, '');
  if (text === '') return null;
  const match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(text);
  if (!match) return Number.NaN;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** 1250 fen → `'12.50'` for an input in yuan. */
export function fenToYuan(fen: number | null | undefined): string | null {
  if (fen === null || fen === undefined) return null;
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** An ISO instant as local (Asia/Shanghai) 2026-11-30 14:05. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const parts = Object.fromEntries(dateTime.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
