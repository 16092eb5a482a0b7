/**
 * @module core/calendar
 *
 * Proleptic Gregorian calendar arithmetic for the timestamp parsers. Done by
 * hand because `Date.UTC` maps years 0–99 to 1900–1999 and silently rolls
 * invalid dates (Feb 30 → Mar 2), which would let bad timestamps through.
 */

/** True for Gregorian leap years. */
export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in month `m` (1–12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Days from 1970-01-01 to `y-m-d` (negative before it); exact for any year,
 * after H. Hinnant's `days_from_civil`.
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** ISO weekday of `y-m-d`: 1 = Monday … 7 = Sunday. */
export function isoWeekday(y: number, m: number, d: number): number {
  // 1970-01-01 was a Thursday (4).
  const r = (((daysFromCivil(y, m, d) + 3) % 7) + 7) % 7;
  return r + 1;
}

/** Number of ISO 8601 weeks (52 or 53) in ISO week-numbering year `y`. */
export function isoWeeksInYear(y: number): number {
  const jan1 = isoWeekday(y, 1, 1);
  return jan1 === 4 || (jan1 === 3 && isLeapYear(y)) ? 53 : 52;
}
