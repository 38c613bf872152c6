/** The city's calendar date of an instant: plain UTC+8 arithmetic, checked against the time zone database. */
import { addYears, localDate, TIME_ZONE } from '../../src/shared/dates';

test('localDate agrees with Intl for Asia/Shanghai across the years the ledger spans, at day boundaries too', () => {
  const zone = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  for (let t = Date.UTC(1995, 0, 1); t < Date.UTC(2060, 0, 1); t += 7 * 3_600_000 + 13 * 60_000) {
    const instant = new Date(t);
    expect([instant.toISOString(), localDate(instant)]).toEqual([
      instant.toISOString(),
      zone.format(instant),
    ]);
  }
  expect(localDate(new Date('2026-11-30T15:59:59.999Z'))).toBe('2026-11-30');
  expect(localDate(new Date('2026-11-30T16:00:00.000Z'))).toBe('2026-12-01');
});

test('addYears keeps the day; 29 February becomes the 28th in a common year', () => {
  expect(addYears('2026-11-30', 50)).toBe('2076-11-30');
  expect(addYears('2028-02-29', 50)).toBe('2078-02-28');
  expect(addYears('2028-02-29', 4)).toBe('2032-02-29');
});
