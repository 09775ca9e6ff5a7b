/**
 * STIX timestamps (STIX 2.1 §3.2): RFC 3339, always UTC (`Z`), any sub-second precision.
 */

// STIX 2.1 §3.2: "MUST be in UTC" and "MUST use the 'Z' designation". Seconds may be 60
// (RFC 3339 §5.7 leap second).
const STIX_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

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

function parse(text: string): StixInstant | undefined {
  const m = STIX_TIMESTAMP.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  if (second === 60 && !(hour === 23 && minute === 59)) return undefined;
  // Fraction digits: the first three are milliseconds, the next six nanoseconds below them.
  const frac = m[7];
  let fracMs = 0;
  let subMsNanos = 0;
  if (frac !== undefined) {
    const nine = frac.length === 9 ? frac : frac.padEnd(9, '0');
    fracMs = Number(nine.slice(0, 3));
    subMsNanos = Number(nine.slice(3));
  }
  const ms =
    Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59)) +
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
