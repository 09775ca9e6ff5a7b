import { ConcordatError, parseInstant } from '../core/index.js';
import type { Period } from './types.js';

const QUARTER = /^(\d{4})-?Q([1-4])$/i;

/** The calendar quarter `2026Q3` (or `2026-Q3`) as a UTC period. */
export function quarterPeriod(text: string): Period {
  const m = QUARTER.exec(text.trim());
  if (m === null)
    throw new ConcordatError(
      'ERR_USAGE',
      `\`${text}\` is not a quarter: write the year and the quarter, e.g. \`2026Q3\``,
    );
  const year = Number(m[1]);
  const q = Number(m[2]);
  return { from: Date.UTC(year, 3 * (q - 1), 1), to: Date.UTC(year, 3 * q, 1) };
}

/** The quarter `at` falls in, as its name (`2026Q4`). */
export function quarterOf(at: number): string {
  const d = new Date(at);
  return `${d.getUTCFullYear()}Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}

/** The quarter before `at`'s: the one a quarterly review reports on. */
export function previousQuarter(at: number): string {
  const d = new Date(at);
  return quarterOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 3, 1));
}

/**
 * A period from options: a quarter, or `from` and `to` instants (RFC 3339), either open end
 * taken from `fallback`. Refuses an empty or reversed period.
 */
export function periodFrom(
  options: { readonly quarter?: string; readonly from?: string; readonly to?: string },
  fallback: Period,
): Period {
  if (options.quarter !== undefined) {
    if (options.from !== undefined || options.to !== undefined)
      throw new ConcordatError('ERR_USAGE', 'give a quarter, or from and to, not both');
    return quarterPeriod(options.quarter);
  }
  const instant = (name: string, text: string | undefined, dflt: number): number => {
    if (text === undefined) return dflt;
    const at = parseInstant(text);
    if (at === undefined)
      throw new ConcordatError(
        'ERR_INSTANT_INVALID',
        `${name} \`${text}\` is not an RFC 3339 instant, e.g. \`2026-07-01T00:00:00Z\``,
      );
    return at;
  };
  const from = instant('from', options.from, fallback.from);
  const to = instant('to', options.to, fallback.to);
  if (to <= from)
    throw new ConcordatError('ERR_USAGE', 'the period is empty: `to` must be after `from`');
  return { from, to };
}
