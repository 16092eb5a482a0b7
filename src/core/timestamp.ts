/**
 * @module core/timestamp
 *
 * Fact timestamps and RFC 3339 instants (protocol.md §2, §6). Stored
 * timestamps use one fixed text form so they sort and compare like the ref's
 * Python `isoformat()`. `valid_until` and filter instants arrive as RFC 3339
 * text: they are echoed verbatim but compared as instants, never as strings
 * (the ref compared strings, so `…Z` and `…+00:00` disagreed).
 */
import { daysFromCivil, daysInMonth } from "./calendar.js";
import { CoreError } from "./errors.js";

const MS_PER_DAY = 86_400_000;

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/**
 * Formats an instant as `YYYY-MM-DDTHH:MM:SS.ffffff+00:00` (§2), the text of
 * the ref's `datetime.now(timezone.utc).isoformat()` with microseconds always
 * present. JS time has millisecond resolution, so the last 3 digits are `000`;
 * fractional milliseconds are truncated.
 *
 * @throws CoreError `invalid_timestamp` for invalid dates and years outside 0–9999.
 * @example
 * formatTimestamp(0); // "1970-01-01T00:00:00.000000+00:00"
 */
export function formatTimestamp(t: Date | number, field = "timestamp"): string {
  const ms = typeof t === "number" ? Math.floor(t) : t.getTime();
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (!Number.isFinite(ms) || Number.isNaN(d.getTime()) || year < 0 || year > 9999) {
    throw new CoreError("invalid_timestamp", field, "timestamp is not a representable instant");
  }
  const micros = pad(d.getUTCMilliseconds() * 1000, 6);
  return (
    `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${micros}+00:00`
  );
}

/**
 * RFC 3339 §5.6 `date-time`, strictly: `T` separator and `Z` (either case),
 * seconds required, fraction optional, numeric offsets `±hh:mm`.
 */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses RFC 3339 text to epoch milliseconds, for comparing instants (§2
 * `valid_until`, `after`). Fields are range-checked (Feb 30 fails); second
 * 60 (a leap second) is accepted and counts as the next second's start.
 * Fraction digits beyond milliseconds are truncated.
 *
 * @throws CoreError `invalid_timestamp`, naming `field`.
 * @example
 * parseRfc3339("2030-01-01T00:00:00Z") === parseRfc3339("2030-01-01T01:00:00+01:00"); // true
 */
export function parseRfc3339(s: string, field = "valid_until"): number {
  const ms = tryParseRfc3339(s);
  if (ms === undefined) {
    throw new CoreError("invalid_timestamp", field, `${field} must be an RFC 3339 date-time`);
  }
  return ms;
}

/** True when `s` is a valid RFC 3339 date-time (see {@link parseRfc3339}). */
export function isRfc3339(s: string): boolean {
  return tryParseRfc3339(s) !== undefined;
}

function tryParseRfc3339(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number, number, number, number, number, number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  if (h > 23 || mi > 59 || sec > 60) return undefined;
  let offsetMin = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (m[9] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const fracMs = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  return (
    daysFromCivil(y, mo, d) * MS_PER_DAY +
    ((h * 60 + mi - offsetMin) * 60 + sec) * 1000 +
    fracMs
  );
}
