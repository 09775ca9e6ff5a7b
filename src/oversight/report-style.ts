/**
 * The report's stylesheet, inlined in the document: no external CSS or fonts, so the file
 * renders offline and "print to PDF" from any browser gives a clean A4 document. System
 * font stacks only (a web font would be an external reference).
 */
export const REPORT_CSS = `
:root { --ink: #1d1d1f; --muted: #5a5a60; --rule: #d5d5da; --bad: #b3261e; --bad-bg: #fdecea;
  --warn: #8a5a00; --warn-bg: #fff4d6; --ok: #1e6b3a; --ok-bg: #e8f5ec; }
* { box-sizing: border-box; }
html { color: var(--ink); background: #ffffff; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  max-width: 56rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .25rem; border-bottom: 2px solid var(--rule); padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .25rem; }
p.explain { color: var(--muted); margin: .1rem 0 .75rem; }
.meta { color: var(--muted); margin: 0 0 1rem; }
code, .id { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em;
  overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.small, td.hidden { color: var(--muted); font-style: italic; }
tr.total td, tr.total th { font-weight: 600; border-top: 2px solid var(--ink); }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .5rem; margin: .75rem 0; }
.figure { border: 1px solid var(--rule); border-radius: 6px; padding: .5rem .75rem; }
.figure .value { font-size: 1.35rem; font-weight: 600; display: block; }
.figure .label { color: var(--muted); font-size: .85rem; }
.figure.flagged { border: 2px solid var(--bad); background: var(--bad-bg); color: var(--bad); }
.callout { border-left: 5px solid; border-radius: 4px; padding: .6rem .9rem; margin: .75rem 0; }
.callout.bad { border-color: var(--bad); background: var(--bad-bg); color: var(--bad); }
.callout.warn { border-color: var(--warn); background: var(--warn-bg); color: var(--warn); }
.callout.ok { border-color: var(--ok); background: var(--ok-bg); color: var(--ok); }
.callout strong { display: block; }
tr.flag td, tr.flag th { background: var(--bad-bg); color: var(--bad); font-weight: 600; }
.chart { max-width: 100%; height: auto; display: block; margin: .5rem 0; font-size: 12px; }
.chart text { fill: var(--ink); font-family: inherit; }
.chart text.value, .chart text.legend { fill: var(--muted); }
.legend-list { list-style: none; padding: 0; margin: .25rem 0 1rem; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
.swatch { display: inline-block; width: .8em; height: .8em; margin-right: .35em; vertical-align: -.05em; }
.notes { font-size: .85rem; color: var(--muted); }
footer { margin-top: 2.5rem; border-top: 2px solid var(--rule); padding-top: .75rem; }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid-page; page-break-after: avoid; }
  h3, p.explain { break-after: avoid-page; }
  .chart, .callout, .figures, .legend-list { break-inside: avoid-page; page-break-inside: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  section.agreement { break-before: auto; }
}
`;
