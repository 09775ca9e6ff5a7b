import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDuration,
  durationNeverExceeds,
  formatDuration,
  maxDurationMs,
  minDurationMs,
  parseDuration,
  parseInstant,
} from '../../src/core/index.js';

describe('parseDuration', () => {
  it.each(['P90D', 'PT72H', 'P1Y6M', 'P3M', 'P2W', 'PT1H30M', 'PT45S', 'P1DT12H'])(
    'accepts %s',
    (t) => {
      const d = parseDuration(t);
      expect(d).toBeDefined();
      expect(formatDuration(d!)).toBe(t);
    },
  );

  it.each(['', 'P', 'PT', 'P72H', '90D', 'P-1D', 'P1.5D', 'p90d', 'P1DT', 'PT1H2D', 'P 1D'])(
    'rejects %j',
    (t) => expect(parseDuration(t)).toBeUndefined(),
  );
});

describe('duration arithmetic', () => {
  const jan31 = Date.UTC(2026, 0, 31, 12);
  it('adds calendar months on the UTC calendar, clamping to the month end', () => {
    expect(new Date(addDuration(jan31, parseDuration('P1M')!)).toISOString()).toBe(
      '2026-02-28T12:00:00.000Z',
    );
    expect(new Date(addDuration(jan31, parseDuration('P1Y1M')!)).toISOString()).toBe(
      '2027-02-28T12:00:00.000Z',
    );
  });

  it('a duration lies between its shortest and longest length, from any start', () => {
    const durations = fc.record({
      years: fc.nat(3),
      months: fc.nat(30),
      weeks: fc.nat(5),
      days: fc.nat(40),
      hours: fc.nat(48),
      minutes: fc.nat(120),
      seconds: fc.nat(120),
    });
    fc.assert(
      fc.property(durations, fc.integer({ min: 0, max: 4_000_000_000_000 }), (d, start) => {
        const len = addDuration(start, d) - start;
        return minDurationMs(d) <= len && len <= maxDurationMs(d);
      }),
    );
  });

  it('durationNeverExceeds is sound: if it says yes, it holds from every start', () => {
    const small = fc.record({
      years: fc.nat(1),
      months: fc.nat(13),
      weeks: fc.constant(0),
      days: fc.nat(400),
      hours: fc.nat(30),
      minutes: fc.constant(0),
      seconds: fc.constant(0),
    });
    fc.assert(
      fc.property(small, small, fc.integer({ min: 0, max: 4_000_000_000_000 }), (a, b, start) =>
        durationNeverExceeds(a, b) ? addDuration(start, a) <= addDuration(start, b) : true,
      ),
    );
  });
});

describe('parseInstant', () => {
  it('reads RFC 3339 with offsets and plain dates', () => {
    expect(parseInstant('2026-03-03T14:00:00Z')).toBe(Date.UTC(2026, 2, 3, 14));
    expect(parseInstant('2026-03-03T15:00:00+01:00')).toBe(Date.UTC(2026, 2, 3, 14));
    expect(parseInstant('2026-03-03')).toBe(Date.UTC(2026, 2, 3));
    expect(parseInstant('2026-03-03T14:00:00.250Z')).toBe(Date.UTC(2026, 2, 3, 14, 0, 0, 250));
  });
  it.each(['2026-02-30', '2026-13-01', '2026-03-03T24:00:00Z', 'yesterday', '2026-03-03T14:00:00'])(
    'rejects %j',
    (t) => expect(parseInstant(t)).toBeUndefined(),
  );
});
