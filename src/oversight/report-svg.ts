/**
 * Inline SVG charts for the transparency report. Inline because the report is one
 * self-contained file that must render offline and print to PDF the same everywhere; no
 * script, no external font or image.
 *
 * INVARIANT: charts draw only {@link Cell}s. A `<k` bar is drawn hatched at the threshold k
 * (a length no value it may hide has), a `—` bar is not drawn, and the scale is set by the
 * shown values and k alone — if the scale came from the largest raw value, the axis would
 * give a hidden figure away.
 */
import { esc, humanDuration } from './report-format.js';
import { cellText, type Cell } from './report-suppress.js';
import type { LevelTime } from './types.js';

const WIDTH = 640;
const LABEL_W = 150;
const BAR_W = 390;

/** Fixed decimals so the same input gives byte-identical output on every machine. */
function n2(x: number): string {
  return (Math.round(x * 100) / 100).toFixed(2);
}

/** The hatch fill for bars whose value is hidden. */
function hatch(id: string): string {
  return (
    `<pattern id="${id}" patternUnits="userSpaceOnUse" width="6" height="6" ` +
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>' +
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#6b6b6b" stroke-width="2.5"/></pattern>'
  );
}

/** One row of a paired bar chart: a label and two counts. */
export interface PairedRow {
  readonly label: string;
  readonly a: Cell;
  readonly b: Cell;
}

/**
 * A horizontal paired bar chart (burden sharing: contributed vs received per party).
 * `idPrefix` keeps the hatch pattern's id unique in the document.
 */
export function pairedBarChart(
  rows: readonly PairedRow[],
  series: readonly [string, string],
  k: number,
  idPrefix: string,
): string {
  if (rows.length === 0) return '';
  const shown = rows
    .flatMap((r) => [r.a, r.b])
    .flatMap((c) => (c.kind === 'shown' ? [c.value] : []));
  const max = Math.max(k, 1, ...shown);
  const rowH = 36;
  const top = 28;
  const height = top + rows.length * rowH + 8;
  const hatchId = `${idPrefix}-hatch`;
  const colors = ['#2f6f9f', '#d98c1f'] as const;
  const out: string[] = [
    `<svg class="chart" role="img" aria-label="${esc(`${series[0]} and ${series[1]} per party`)}" ` +
      `viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">`,
    `<defs>${hatch(hatchId)}</defs>`,
  ];
  series.forEach((name, i) => {
    const x = LABEL_W + i * 170;
    out.push(
      `<rect x="${x}" y="6" width="12" height="12" fill="${colors[i] ?? '#888'}"/>`,
      `<text x="${x + 18}" y="16" class="legend">${esc(name)}</text>`,
    );
  });
  out.push(
    `<rect x="${LABEL_W + 340}" y="6" width="12" height="12" fill="url(#${hatchId})" stroke="#6b6b6b"/>`,
    `<text x="${LABEL_W + 358}" y="16" class="legend">${esc(`<${k}`)} (hidden)</text>`,
  );
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    // Long ids would run off the chart's left edge; the table beside it has them in full.
    const chars = Array.from(r.label); // by code point, so a character is never cut in half
    const short = chars.length > 20 ? `${chars.slice(0, 19).join('')}…` : r.label;
    out.push(`<text x="${LABEL_W - 8}" y="${y + 19}" text-anchor="end">${esc(short)}</text>`);
    [r.a, r.b].forEach((c, j) => {
      const by = y + j * 14;
      const name = series[j] ?? '';
      const title = `<title>${esc(`${r.label} ${name}: ${textOf(c, k)}`)}</title>`;
      let end = LABEL_W;
      if (c.kind === 'shown') {
        const w = (c.value / max) * BAR_W;
        end += w;
        out.push(
          `<rect class="bar" data-series="${esc(name)}" x="${LABEL_W}" y="${by}" width="${n2(w)}" height="12" fill="${colors[j] ?? '#888'}">${title}</rect>`,
        );
      } else if (c.kind === 'small') {
        const w = (k / max) * BAR_W;
        end += w;
        out.push(
          `<rect class="bar suppressed" data-series="${esc(name)}" x="${LABEL_W}" y="${by}" width="${n2(w)}" height="12" fill="url(#${hatchId})" stroke="${colors[j] ?? '#888'}">${title}</rect>`,
        );
      }
      out.push(
        `<text x="${n2(end + 6)}" y="${by + 10}" class="value">${cellText(c, k)}${c.kind === 'hidden' ? ' (not drawn)' : ''}</text>`,
      );
    });
  });
  out.push('</svg>');
  return out.join('');
}

/** Plain text of a cell for a `<title>` (escaped by the caller). */
function textOf(c: Cell, k: number): string {
  if (c.kind === 'shown') return String(c.value);
  return c.kind === 'small' ? `<${k}` : 'hidden';
}

/** Level colours in agreement order, calm to severe; cycled past the sixth level. */
const LEVEL_COLORS = ['#5b9a6f', '#d6b23a', '#e07b2f', '#b3261e', '#7a4fa0', '#3a7ca5'] as const;

/** A level's colour by its position in the agreement. */
export function levelColor(i: number): string {
  return LEVEL_COLORS[i % LEVEL_COLORS.length] ?? '#888888';
}

/**
 * Time at each cooperation level as one stacked bar across the period. Time the record does
 * not cover (an agreement activated mid-period) is drawn grey, so the bar always spans the
 * whole period and the proportion of each level stays honest.
 */
export function levelBar(levels: readonly LevelTime[], periodMs: number): string {
  const covered = levels.reduce((s, l) => s + Math.max(0, l.ms), 0);
  const span = Math.max(periodMs, covered, 1);
  const height = 34;
  const out: string[] = [
    `<svg class="chart levels" role="img" aria-label="time at each cooperation level" ` +
      `viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">`,
  ];
  let x = 0;
  levels.forEach((l, i) => {
    const w = (Math.max(0, l.ms) / span) * WIDTH;
    if (w > 0)
      out.push(
        `<rect class="segment" x="${n2(x)}" y="4" width="${n2(w)}" height="26" fill="${levelColor(i)}"><title>${esc(`${l.level}: ${humanDuration(l.ms)}`)}</title></rect>`,
      );
    x += w;
  });
  if (WIDTH - x > 0.005)
    out.push(
      `<rect class="segment uncovered" x="${n2(x)}" y="4" width="${n2(WIDTH - x)}" height="26" fill="#d0d0d0"><title>not covered by the record</title></rect>`,
    );
  out.push('</svg>');
  return out.join('');
}
