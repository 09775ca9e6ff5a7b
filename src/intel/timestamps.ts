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

/** Parses a STIX timestamp; `undefined` unless it is RFC 3339 UTC and a real instant. */
export function parseStixTimestamp(text: string): StixInstant | undefined {
  const m = STIX_TIMESTAMP.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  if (second === 60 && !(hour === 23 && minute === 59)) return undefined;
  const frac = (m[7] ?? '').padEnd(9, '0');
  const ms =
    Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59)) +
    Number(frac.slice(0, 3)) +
    (second === 60 ? 999 : 0);
  return { ms, subMsNanos: Number(frac.slice(3)) };
}

/** Orders two instants: negative, zero or positive. */
export function compareInstants(a: StixInstant, b: StixInstant): number {
  return a.ms - b.ms || a.subMsNanos - b.subMsNanos;
}

/** Formats epoch milliseconds as a STIX timestamp with millisecond precision. */
export function formatStixTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
