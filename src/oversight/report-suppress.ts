/**
 * Small-count suppression for the transparency report.
 *
 * Primary rule: a count from 1 to k−1 is printed `<k` (0 stays 0: "nothing happened" is
 * not identifying, and hiding it would hide the absence of activity).
 *
 * Secondary rule — SUPPRESS THE TOTAL: a figure that adds up other figures (a total row or
 * column, a subtotal, a headline figure, a per-party figure that another table breaks down)
 * is printed only if every figure it adds up is printed; otherwise it is printed `—`.
 * Why this rule and not "also hide the next-smallest cell": with the total printed, a
 * reader knows the hidden cells' sum; a `<k` cell paired with a hidden cell known to be
 * ≥ k can still be pinned down (a `<5` and a `—` summing to 6 must be 1 and 5). With the
 * total withheld, no printed figure is a sum that involves a hidden one, so nothing can be
 * subtracted — whatever the values. It is also stricter than "exactly one hidden cell":
 * two `<5` cells whose printed total left 2 over would each be 1.
 *
 * Linked tables: a figure that appears in several tables (a producer's total is also its
 * "contributed"; a release breakdown adds up the detailed release table) is computed by
 * {@link total} over the finest cells it covers, so it is hidden wherever it appears.
 * Remaining limit: the rule reasons about sums of printed figures; it does not model
 * relations that are not sums (e.g. receipts against releases), which the report keeps
 * in separate tables without totals.
 *
 * INVARIANT: a figure hidden by either rule carries no value at all ({@link Cell}), so a
 * table or chart built from cells cannot print or draw it by mistake.
 */
import { esc, formatCount } from './report-format.js';
import { html, type Html } from './report-html.js';

/** A count as the report may print it: its value only when it is shown. */
export type Cell =
  | { readonly kind: 'shown'; readonly value: number }
  /** 1 ≤ n < k: printed `<k`. */
  | { readonly kind: 'small' }
  /** A sum with a hidden part: printed `—`. */
  | { readonly kind: 'hidden' };

/** The threshold used when a report does not name one. */
export const DEFAULT_SUPPRESS_BELOW = 5;

/** k as given, or the default; anything below 1 would suppress nothing, so 1 is the floor. */
export function threshold(k: number | undefined): number {
  if (k === undefined || !Number.isFinite(k)) return DEFAULT_SUPPRESS_BELOW;
  return Math.max(1, Math.floor(k));
}

/** The primary rule for one count. */
export function count(n: number, k: number): Cell {
  if (n >= 1 && n < k) return { kind: 'small' };
  return { kind: 'shown', value: n };
}

/**
 * The secondary rule for a figure that adds up `parts` (the raw values of the printed
 * figures it sums). `n` is the figure itself, normally the parts' sum; it is passed apart
 * so a figure the indicators state separately (a producer's `objects`, a party's
 * `received`) is printed as stated but hidden exactly when its breakdown hides a part.
 */
export function total(n: number, parts: readonly number[], k: number): Cell {
  const hidden = parts.filter((p) => count(p, k).kind !== 'shown');
  if (hidden.length === 0) return count(n, k);
  // One hidden part and nothing else: the figure IS that part, so it may say `<k` too.
  if (hidden.length === 1 && parts.every((p) => p === 0 || p === hidden[0])) return count(n, k);
  // Otherwise hidden, even when small: a `<k` total over several `<k` parts would bound
  // them (four `<5` parts under a `<5` total must each be 1).
  return { kind: 'hidden' };
}

/** The sum of raw values (helper for {@link total}). */
export function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/** Whether a cell hides its value. */
export function isSuppressed(c: Cell): boolean {
  return c.kind !== 'shown';
}

/** A cell as printed: the count, `&lt;k` or `—` (already HTML-safe). */
export function cellText(c: Cell, k: number): Html {
  if (c.kind === 'shown') return html(formatCount(c.value));
  return html(c.kind === 'small' ? esc(`<${k}`) : '—');
}

/** A table cell (`<td>`) for a count, classed so print and screen can mark hidden figures. */
export function cellTd(c: Cell, k: number): Html {
  const cls = c.kind === 'shown' ? 'num' : `num ${c.kind === 'small' ? 'small' : 'hidden'}`;
  return html(`<td class="${cls}">${cellText(c, k)}</td>`);
}

/** The report's footnote on suppression, in plain words (the rule above, for a reader). */
export function suppressionNote(k: number): Html {
  if (k <= 1)
    return html('No small-count suppression was applied to this report: every count is shown.');
  return html(
    `To protect small numbers, any count from 1 to ${k - 1} is shown as “${esc(`<${k}`)}” ` +
      '(zero is shown as 0). A total, subtotal or headline figure is shown only when every ' +
      'figure it adds up is shown; otherwise it is shown as “—”, so a hidden figure can never ' +
      'be worked out by subtracting the shown ones from a total. Charts use the same rule: a ' +
      `“${esc(`<${k}`)}” bar is drawn hatched at the threshold, not at its real length, and a ` +
      '“—” bar is not drawn. Durations, dates and identifiers are not counts and are shown as ' +
      'they are.',
  );
}
