/**
 * Small HTML builders for the report's sections and tables. They take text and escape it
 * themselves, except where a parameter is documented as HTML (already built by another
 * builder), so a section cannot forget to escape an id.
 */
import { esc } from './report-format.js';

/** HTML built by these helpers (a brand, so raw text cannot be passed where HTML is meant). */
export type Html = string & { readonly __html: true };

/** Marks a string built from escaped parts as HTML. */
export function html(s: string): Html {
  return s as Html;
}

/** A table header cell: text, or `{ num: text }` for a right-aligned numeric column. */
export type Header = string | { readonly num: string };

/** A text cell (escaped); `id` renders it in monospace as an identifier. */
export function tdText(text: string, id = false): Html {
  return html(id ? `<td><span class="id">${esc(text)}</span></td>` : `<td>${esc(text)}</td>`);
}

/** A numeric cell that is not a count (durations, versions): never suppressed. */
export function tdPlain(text: string): Html {
  return html(`<td class="num">${esc(text)}</td>`);
}

/** One table row of cells; `cls` marks totals (`total`) and compliance flags (`flag`). */
export function tr(cells: readonly Html[], cls?: 'total' | 'flag'): Html {
  return html(`<tr${cls === undefined ? '' : ` class="${cls}"`}>${cells.join('')}</tr>`);
}

/** A table with a header row, body rows and an optional total row. */
export function table(
  headers: readonly Header[],
  rows: readonly Html[],
  totalRow?: Html,
  caption?: string,
): Html {
  const head = headers
    .map((h) =>
      typeof h === 'string'
        ? `<th scope="col">${esc(h)}</th>`
        : `<th scope="col" class="num">${esc(h.num)}</th>`,
    )
    .join('');
  const cap = caption === undefined ? '' : `<caption class="notes">${esc(caption)}</caption>`;
  const foot = totalRow === undefined ? '' : `<tfoot>${totalRow}</tfoot>`;
  return html(
    `<table>${cap}<thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody>${foot}</table>`,
  );
}

/** A paragraph saying there is nothing to show (a table with no rows would read as an error). */
export function none(what: string): Html {
  return html(`<p class="notes">${esc(what)}</p>`);
}

/** A report section: a heading, the one-sentence explanation for a lay reader, the body. */
export function section(id: string, title: string, explain: string, body: readonly Html[]): Html {
  return html(
    `<section id="${esc(id)}"><h2>${esc(title)}</h2><p class="explain">${esc(explain)}</p>${body.join('')}</section>`,
  );
}

/** A coloured notice: `bad` for a compliance concern or a failed check, `warn`, `ok`. */
export function callout(kind: 'bad' | 'warn' | 'ok', title: string, body: Html): Html {
  return html(
    `<div class="callout ${kind}" role="${kind === 'bad' ? 'alert' : 'note'}"><strong>${esc(title)}</strong>${body}</div>`,
  );
}
