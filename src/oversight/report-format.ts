/**
 * Text helpers for the transparency report: HTML escaping, numbers, instants and human
 * durations. Everything here is locale-free on purpose — `toLocaleString` and `Intl` depend
 * on the ICU data of the machine, and the report must be byte-identical wherever it is
 * rendered (the tests compare two renders, and an oversight body may re-render to check).
 */
import { quarterOf, quarterPeriod } from './period.js';
import type { Period } from './types.js';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content AND quoted attribute values (HTML 5 §13.1.2.3,
 * §13.1.2.6). Every string that comes from indicators goes through here: agency, party,
 * agreement, level and waiver ids are written by other states and by operators, so they
 * are attacker-influenced.
 */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** An integer with thousands separators (`12,345`); non-integers are rounded. */
export function formatCount(n: number): string {
  const s = String(Math.round(Math.abs(n)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** An instant as `2026-07-01 14:05 UTC` (minutes are enough for a quarterly report). */
export function formatWhen(at: number): string {
  if (!Number.isFinite(at)) return 'unknown';
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** An instant's date alone, `2026-07-01`. */
export function formatDate(at: number): string {
  return Number.isFinite(at) ? new Date(at).toISOString().slice(0, 10) : 'unknown';
}

const UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1_000],
];

/**
 * A duration for a non-technical reader: the two largest non-zero units, `3 h 12 min`,
 * `2 d 4 h`, `45 s`; under a second in ms. Truncates rather than rounds so a value never
 * reads longer than it was.
 */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  if (ms < 1_000) return `${Math.floor(ms)} ms`;
  const parts: string[] = [];
  let rest = Math.floor(ms);
  for (const [unit, size] of UNITS) {
    const q = Math.floor(rest / size);
    rest -= q * size;
    if (q > 0 || parts.length > 0) parts.push(`${q} ${unit}`);
    if (parts.length === 2) break;
  }
  // `1 h 0 min` reads oddly: drop a trailing zero unit.
  if (parts.length === 2 && parts[1]?.startsWith('0 ') === true) parts.pop();
  return parts.join(' ');
}

/**
 * The period's name: `2026Q3` when it is exactly a calendar quarter, otherwise its first and
 * last day (`to` is exclusive, so the last day shown is the day before it when `to` is a
 * midnight).
 */
export function periodLabel(period: Period): string {
  const q = quarterOf(period.from);
  const qp = quarterPeriod(q);
  if (qp.from === period.from && qp.to === period.to) return q;
  return `${formatDate(period.from)} to ${formatDate(period.to - 1)}`;
}
