/**
 * STIX timestamps (STIX 2.1 §3.2): RFC 3339, always UTC (`Z`), any sub-second precision.
 */

// STIX 2.1 §3.2: "MUST be in UTC" and "MUST use the 'Z' designation". Seconds may be 60
// (RFC 3339 §5.7 leap second).
// The grammar, read by position in `fields`:
// ^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$

/** A parsed timestamp: epoch milliseconds plus the nanoseconds below the millisecond. */
export interface StixInstant {
  readonly ms: number;
  readonly subMsNanos: number;
}

/**
 * Recently parsed timestamps: a bundle repeats the same few (`created`, `modified`,
 * `valid_from` of a batch), and validation reads each twice. Instants are frozen, so sharing
 * them is safe. Bounded, cleared when full.
 */
const recent = new Map<string, StixInstant | null>();
const RECENT_MAX = 512;

/** Parses a STIX timestamp; `undefined` unless it is RFC 3339 UTC and a real instant. */
export function parseStixTimestamp(text: string): StixInstant | undefined {
  // The longest STIX timestamp is 30 characters; longer text is never valid, nor remembered.
  if (text.length > 30) return undefined;
  const known = recent.get(text);
  if (known !== undefined) return known ?? undefined;
  const parsed = parse(text);
  if (recent.size >= RECENT_MAX) recent.clear();
  recent.set(text, parsed === undefined ? null : Object.freeze(parsed));
  return parsed;
}

/** The value of the `n` decimal digits at `at`, or -1 when one of them is not a digit. */
function digits(text: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`), in
 * integers: what `Date.UTC` counts, for years from 100 on.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The timestamp grammar (above) read by position: a regular expression with seven captures,
 * seven `Number` calls and `Date.UTC` cost more than the rest of validation's timestamp work.
 * The same strings are accepted, with the same instants.
 */
function parse(text: string): StixInstant | undefined {
  const n = text.length;
  // `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.<1–9 digits>Z`.
  if (n !== 20 && (n < 22 || n > 30)) return undefined;
  if (
    text.charCodeAt(4) !== 0x2d || // -
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x54 || // T
    text.charCodeAt(13) !== 0x3a || // :
    text.charCodeAt(16) !== 0x3a ||
    text.charCodeAt(n - 1) !== 0x5a || // Z
    (n > 20 && text.charCodeAt(19) !== 0x2e) // .
  )
    return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  // Fraction digits: the first three are milliseconds, the next six nanoseconds below them.
  let fracMs = 0;
  let subMsNanos = 0;
  if (n > 20) {
    const count = n - 21;
    const head = Math.min(count, 3);
    fracMs = digits(text, 20, head);
    subMsNanos = count > 3 ? digits(text, 23, count - 3) : 0;
    if (fracMs < 0 || subMsNanos < 0) return undefined;
    fracMs *= 10 ** (3 - head);
    if (count > 3) subMsNanos *= 10 ** (9 - count);
  }
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  if (second === 60 && !(hour === 23 && minute === 59)) return undefined;
  // `Date.UTC` reads years 0–99 as 1900–1999.
  const days = daysFromCivil(year < 100 ? 1900 + year : year, month, day);
  const ms =
    ((days * 24 + hour) * 60 + minute) * 60_000 +
    Math.min(second, 59) * 1000 +
    fracMs +
    (second === 60 ? 999 : 0);
  return { ms, subMsNanos };
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month, as `Date.UTC` counts them (which reads years 0–99 as 1900–1999). */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS[month - 1] ?? 31;
  if (year < 100) return new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** Orders two instants: negative, zero or positive. */
export function compareInstants(a: StixInstant, b: StixInstant): number {
  return a.ms - b.ms || a.subMsNanos - b.subMsNanos;
}

/** Formats epoch milliseconds as a STIX timestamp with millisecond precision. */
export function formatStixTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
