/** Calendar dates in the city's time zone; the store keeps UTC instants and `YYYY-MM-DD` dates. */
export const TIME_ZONE = 'Asia/Shanghai';

/**
 * Asia/Shanghai is UTC+8 all year (no daylight saving since 1991), so the local date is the UTC
 * date eight hours on: plain arithmetic instead of Intl, which costs more than a short SQL
 * statement and runs on every write.
 */
const OFFSET_MS = 8 * 3_600_000;

/** The local date (Asia/Shanghai) of an instant, as `YYYY-MM-DD`. */
export function localDate(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The city's wall-clock minute of an instant, as people write it: `2026-11-30 14:05`. */
export function localMinute(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The same day `years` on; 29 February becomes the 28th in a common year. */
export function addYears(isoDate: string, years: number): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const d = new Date(Date.UTC(year + years, month - 1, day));
  if (d.getUTCMonth() !== month - 1) d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The UTC instant at which a local (Asia/Shanghai, UTC+8, no DST) date begins. */
export function startOfLocalDay(isoDate: string): string {
  return new Date(Date.parse(`${isoDate}T00:00:00+08:00`)).toISOString();
}
