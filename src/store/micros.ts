import { ConcordatError, parseInstant } from '../core/index.js';

const FRACTION_RE = /\.(\d{1,9})(?=[Zz+-])/;

/**
 * A STIX 2.1 timestamp (§3.2: RFC 3339, UTC, any number of fraction digits) as epoch
 * microseconds. Digits past the sixth are dropped: two versions of one object that differ only
 * below a microsecond are the same version here.
 */
export function instantToMicros(text: string): number {
  const ms = parseInstant(text);
  if (ms === undefined)
    throw new ConcordatError('ERR_INSTANT_INVALID', `\`${text}\` is not an rfc 3339 timestamp`);
  const fraction = FRACTION_RE.exec(text)?.[1] ?? '';
  // parseInstant floors to the millisecond; digits 4–6 of the fraction are the microseconds.
  const micros = Number(fraction.padEnd(6, '0').slice(3, 6));
  return ms * 1000 + micros;
}

/** Epoch microseconds as an RFC 3339 UTC timestamp with six fraction digits (TAXII 2.1 §3.6). */
export function microsToInstant(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString(); // ...T12:34:56.789Z
  return `${iso.slice(0, -1)}${String(us - ms * 1000).padStart(3, '0')}Z`;
}
