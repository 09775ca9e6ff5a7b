/**
 * RFC 3339 timestamps (`2026-03-03T14:00:00Z`, `2026-03-03T15:00:00+01:00`) ⇄ epoch ms.
 * A date alone (`2026-03-03`) means midnight UTC, because agreements are written with dates.
 */
const RFC3339_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2}))?$/;

/** Parses an RFC 3339 timestamp or a plain date; `undefined` if malformed or impossible. */
export function parseInstant(text: string): number | undefined {
  const m = RFC3339_RE.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > lastDay) return undefined;
  const ms = frac === undefined ? 0 : Math.floor(Number(`0${frac}`) * 1000);
  let t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const offset = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
    t -= sign * offset * 60_000;
  }
  return t;
}

/** Formats epoch ms as RFC 3339 UTC with millisecond precision (STIX 2.1 §3.2 timestamps). */
export function formatInstant(instant: number): string {
  return new Date(instant).toISOString();
}
