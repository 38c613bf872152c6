/** Calendar dates in the city's time zone; the store keeps UTC instants and `YYYY-MM-DD` dates. */
export const TIME_ZONE = 'Asia/Shanghai';

const dateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The local date (Asia/Shanghai) of an instant, as `YYYY-MM-DD`. */
export function localDate(instant: Date): string {
  return dateFormat.format(instant);
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
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
