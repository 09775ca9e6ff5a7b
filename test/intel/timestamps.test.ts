/**
 * `parseStixTimestamp` (read by position) against the regular-expression parser it replaced:
 * the same instants, and the same refusals, on random near-timestamps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStixTimestamp, type StixInstant } from '../../src/intel/timestamps.js';

const REFERENCE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS[month - 1] ?? 31;
  if (year < 100) return new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

function referenceParse(text: string): StixInstant | undefined {
  const m = REFERENCE.exec(text);
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

describe('parseStixTimestamp', () => {
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const wellShaped = fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 24 }),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 0, max: 61 }),
      fc.option(fc.stringMatching(/^[0-9]{1,10}$/), { nil: undefined }),
    )
    .map(
      ([y, mo, d, h, mi, s, f]) =>
        `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${f === undefined ? '' : `.${f}`}Z`,
    );
  const damaged = fc
    .tuple(wellShaped, fc.nat(31), fc.constantFrom('', 'x', ' ', '-', '.', 'Z', '0', '9', '+', '٣'))
    .map(([t, i, c]) => t.slice(0, i) + c + t.slice(i + 1));
  it('reads what the regular expression read', () => {
    let ok = 0;
    fc.assert(
      fc.property(fc.oneof(wellShaped, damaged, fc.string({ maxLength: 32 })), (t) => {
        const expected = referenceParse(t);
        expect(parseStixTimestamp(t)).toEqual(expected);
        if (expected !== undefined) ok++;
      }),
      { numRuns: 5000 },
    );
    expect(ok).toBeGreaterThan(500);
  });
  it('reads leap seconds, fractions and early years as before', () => {
    for (const t of [
      '2016-12-31T23:59:60Z',
      '2016-12-31T23:59:60.5Z',
      '2020-02-29T00:00:00.123456789Z',
      '2019-02-29T00:00:00Z',
      '0099-02-29T00:00:00Z',
      '2029-11-01T00:00:00.000Z',
      '2029-11-01T00:00:00.Z',
      '2029-11-01T00:00:00.1234567890Z',
    ])
      expect(parseStixTimestamp(t)).toEqual(referenceParse(t));
  });

  it('counts days as Date.UTC does in every year', () => {
    for (let y = 0; y <= 9999; y++) {
      const year = String(y).padStart(4, '0');
      for (const date of ['01-01', '02-28', '02-29', '03-01', '12-31']) {
        const t = `${year}-${date}T23:59:59.999Z`;
        expect(parseStixTimestamp(t)).toEqual(referenceParse(t));
      }
    }
  });
});
