/**
 * @module core/iso-datetime
 *
 * Validation of `datetime` fact values (protocol.md §2: "ISO 8601, else 422").
 * The value is stored verbatim, so only the syntax and field ranges matter;
 * no instant is derived (a time without offset is local time, not an instant).
 *
 * Accepted profile (our reading of "ISO 8601"):
 * - a complete date: calendar `YYYY-MM-DD` / `YYYYMMDD`, ordinal
 *   `YYYY-DDD` / `YYYYDDD`, or week `YYYY-Www-D` / `YYYYWwwD`;
 * - optionally a time after `T` (or `t`, or a space as Python's `str(datetime)`
 *   writes): `hh`, `hh:mm`, `hh:mm:ss` (basic `hhmm`, `hhmmss` after a basic
 *   date), a decimal fraction (`.` or `,`) on the last component, and
 *   `24:00[:00]` for end of day; second 60 is allowed (leap second);
 * - optionally a zone after a time: `Z`, `±hh`, `±hh:mm` or `±hhmm`.
 * Reduced dates (`2024`, `2024-05`), durations and intervals are rejected:
 * they do not name a point in time.
 */
import { daysInMonth, isLeapYear, isoWeeksInYear } from "./calendar.js";

const EXT_DATE = /^(\d{4})-(?:(\d{2})-(\d{2})|(\d{3})|W(\d{2})-([1-7]))$/;
const BASIC_DATE = /^(\d{4})(?:(\d{2})(\d{2})|(\d{3})|W(\d{2})([1-7]))$/;
const EXT_TIME = /^(\d{2})(?::(\d{2})(?::(\d{2}))?)?(?:[.,](\d+))?$/;
const BASIC_TIME = /^(\d{2})(?:(\d{2})(\d{2})?)?(?:[.,](\d+))?$/;
const ZONE = /(?:[Zz]|[+-](\d{2})(?::?(\d{2}))?)$/;

function validDate(m: RegExpExecArray): boolean {
  const y = Number(m[1]);
  if (m[2] !== undefined) {
    const mo = Number(m[2]);
    const d = Number(m[3]);
    return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
  }
  if (m[4] !== undefined) {
    const doy = Number(m[4]);
    return doy >= 1 && doy <= (isLeapYear(y) ? 366 : 365);
  }
  const week = Number(m[5]);
  return week >= 1 && week <= isoWeeksInYear(y);
}

function validTime(m: RegExpExecArray): boolean {
  const h = Number(m[1]);
  const mi = m[2] === undefined ? 0 : Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  const fracZero = m[4] === undefined || /^0+$/.test(m[4]);
  if (h === 24) return mi === 0 && s === 0 && fracZero;
  return h <= 23 && mi <= 59 && s <= 60;
}

/**
 * True when `s` is an ISO 8601 date or date-time in the profile above.
 * Used for `datetime` values on write and on ingest.
 *
 * @example
 * isIsoDateTime("2024-05-01T12:30:00+02:00"); // true
 * isIsoDateTime("2024-02-30"); // false
 * isIsoDateTime("yesterday"); // false
 */
export function isIsoDateTime(s: string): boolean {
  const sep = s.search(/[Tt ]/);
  const datePart = sep < 0 ? s : s.slice(0, sep);
  const extended = datePart.includes("-");
  const dm = (extended ? EXT_DATE : BASIC_DATE).exec(datePart);
  if (dm === null || !validDate(dm)) return false;
  if (sep < 0) return true;

  let timePart = s.slice(sep + 1);
  const zm = ZONE.exec(timePart);
  if (zm !== null) {
    if (zm[1] !== undefined && (Number(zm[1]) > 23 || Number(zm[2] ?? "0") > 59)) return false;
    timePart = timePart.slice(0, zm.index);
  }
  const tm = (extended ? EXT_TIME : BASIC_TIME).exec(timePart);
  return tm !== null && validTime(tm);
}
