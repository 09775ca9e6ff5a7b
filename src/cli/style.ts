/**
 * Human output: colour (off with `--no-color`, `NO_COLOR`, or when stdout is not a terminal)
 * and aligned tables whose cells may wrap over several lines.
 */

/** Colour functions; each is the identity when colour is off. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const sgr =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`;
const identity = (text: string): string => text;

/** A style that colours when `enabled`. */
export function makeStyle(enabled: boolean): Style {
  if (!enabled)
    return {
      enabled,
      bold: identity,
      dim: identity,
      red: identity,
      green: identity,
      yellow: identity,
      cyan: identity,
    };
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  };
}

/**
 * Whether to colour: never when `--no-color` or `NO_COLOR` is set (https://no-color.org),
 * always when `FORCE_COLOR` is set to something other than `0`, otherwise only on a terminal.
 */
export function colorWanted(
  flag: boolean,
  env: Readonly<Record<string, string | undefined>>,
  isTTY: boolean,
): boolean {
  if (!flag) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0';
  return isTTY;
}

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\u001b\[[0-9;]*m/g;

/** The width of `text` as shown on a terminal (escape sequences take no room). */
export function visibleWidth(text: string): number {
  return text.replace(ANSI_RE, '').length;
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleWidth(text)));
}

/**
 * Wraps a list of items into lines of at most `width` characters, joined by `separator`;
 * an item longer than `width` gets a line of its own.
 */
export function wrapList(items: readonly string[], width: number, separator = ', '): string[] {
  const lines: string[] = [];
  let line = '';
  items.forEach((item, i) => {
    const piece = i < items.length - 1 ? item + separator.trimEnd() : item;
    if (line === '') line = piece;
    else if (visibleWidth(line) + 1 + visibleWidth(piece) <= width) line += ' ' + piece;
    else {
      lines.push(line);
      line = piece;
    }
  });
  if (line !== '') lines.push(line);
  return lines.length === 0 ? [''] : lines;
}

/** A table cell: one line, or several (a wrapped list). */
export type Cell = string | readonly string[];

/**
 * Formats rows as an aligned table: columns padded to their widest line, separated by two
 * spaces, multi-line cells continuing under their column. The header, when given, is
 * followed by nothing (callers dim or bold it through `headerStyle`).
 */
export function formatTable(
  rows: readonly (readonly Cell[])[],
  options: {
    header?: readonly string[];
    indent?: string;
    headerStyle?: (text: string) => string;
  } = {},
): string[] {
  const indent = options.indent ?? '';
  const all: (readonly string[])[][] = [];
  if (options.header !== undefined) all.push(options.header.map((h) => [h]));
  for (const row of rows) all.push(row.map((c) => (typeof c === 'string' ? [c] : c)));
  const columns = Math.max(0, ...all.map((r) => r.length));
  const widths: number[] = [];
  for (let c = 0; c < columns; c++) {
    widths.push(Math.max(0, ...all.map((r) => Math.max(0, ...(r[c] ?? []).map(visibleWidth)))));
  }
  const out: string[] = [];
  all.forEach((row, r) => {
    const height = Math.max(1, ...row.map((cell) => cell.length));
    for (let l = 0; l < height; l++) {
      const parts = row.map((cell, c) => {
        const text = cell[l] ?? '';
        return c === row.length - 1 ? text : padEnd(text, widths[c] ?? 0);
      });
      let line = indent + parts.join('  ').trimEnd();
      if (r === 0 && options.header !== undefined && options.headerStyle !== undefined)
        line = indent + options.headerStyle(parts.join('  ').trimEnd());
      out.push(line);
    }
  });
  return out;
}
