/**
 * The dashboard's one inline stylesheet (its CSP admits it by hash, so it must stay byte for
 * byte what `dashboardPage` inlines). System fonts only, nothing fetched; the cooperation level
 * badge is coloured by the level's index (`lvl-0` … `lvl-3`, higher indexes share `lvl-3`).
 * No `style` attribute anywhere: the CSP admits this sheet, not inline attributes.
 */

/** The dashboard's CSS. */
export const DASHBOARD_STYLE = `
:root {
  --bg: #f5f6f8; --panel: #ffffff; --ink: #1b1f24; --muted: #5a6270; --line: #dde1e6;
  --accent: #2457a6; --ok: #1f7a4d; --warn: #b26a00; --bad: #b3261e;
  --l0: #1f7a4d; --l1: #b58500; --l2: #c45a00; --l3: #b3261e;
  --contrib: #2457a6; --recv: #7a8a9e; --withheld: #b3261e;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { font-size: 16px; }
body {
  margin: 0; background: var(--bg); color: var(--ink); line-height: 1.45;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
header.top {
  display: flex; flex-wrap: wrap; align-items: center; gap: .75rem 1.25rem;
  padding: .8rem 1.5rem; background: #1b2a41; color: #fff;
}
header.top h1 { font-size: 1.15rem; margin: 0; font-weight: 600; letter-spacing: .01em; }
header.top .spacer { flex: 1; }
header.top .updated { color: #c9d3e0; font-size: .85rem; }
.status { font-size: .85rem; padding: .2rem .6rem; border-radius: 999px; background: #3a4a63; }
.status.ok { background: var(--ok); }
.status.bad { background: var(--bad); }
button {
  font: inherit; font-size: .9rem; cursor: pointer; border-radius: 6px; padding: .4rem .9rem;
  border: 1px solid var(--accent); background: var(--accent); color: #fff;
}
button.quiet { background: transparent; border-color: #8fa3bf; color: #fff; }
button:disabled { opacity: .6; cursor: progress; }
button:focus-visible, input:focus-visible { outline: 3px solid #7fb0ff; outline-offset: 2px; }
.banner {
  margin: 0; padding: .7rem 1.5rem; background: #fdecea; color: var(--bad);
  border-bottom: 1px solid #f3c1bc; font-weight: 500;
}
main { max-width: 1280px; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }
.signin {
  max-width: 28rem; margin: 4rem auto; padding: 2rem; background: var(--panel);
  border: 1px solid var(--line); border-radius: 10px;
}
.signin h2 { margin-top: 0; font-size: 1.2rem; }
.signin label { display: block; font-weight: 600; margin-bottom: .35rem; }
.signin input {
  width: 100%; font: inherit; padding: .55rem .7rem; border: 1px solid #b8c0cc;
  border-radius: 6px; margin-bottom: 1rem; font-family: ui-monospace, Menlo, Consolas, monospace;
}
.signin .hint { color: var(--muted); font-size: .85rem; }
.error { color: var(--bad); }
.grid { display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); }
.panel {
  background: var(--panel); border: 1px solid var(--line); border-radius: 10px;
  padding: 1.1rem 1.25rem; min-width: 0;
}
.panel h2 { font-size: 1.05rem; margin: 0 0 .8rem; }
.panel h3 {
  font-size: .8rem; margin: 1.1rem 0 .4rem; color: var(--muted);
  text-transform: uppercase; letter-spacing: .06em;
}
.panel.wide { grid-column: 1 / -1; }
.muted { color: var(--muted); }
.small { font-size: .85rem; }
.mono { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; word-break: break-all; }
.panel-error {
  margin: .5rem 0; padding: .55rem .75rem; border-radius: 6px; background: #fdecea;
  color: var(--bad); font-size: .9rem;
}
.panel-error .code { font-family: ui-monospace, Menlo, Consolas, monospace; font-weight: 600; }
.agreements {
  display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fit, minmax(24rem, 1fr));
  margin-bottom: 1.25rem; align-items: start;
}
.agreement-head { display: flex; align-items: center; justify-content: space-between; gap: 1rem; }
.watch { display: flex; flex-wrap: wrap; align-items: center; gap: .6rem 1rem; margin-bottom: 1.25rem; }
.watch label { font-weight: 600; }
.watch input {
  font: inherit; padding: .4rem .6rem; border: 1px solid #b8c0cc; border-radius: 6px;
  min-width: 16rem; font-family: ui-monospace, Menlo, Consolas, monospace;
}
button.link { background: transparent; border: 0; color: var(--accent); padding: 0 .2rem; text-decoration: underline; }
.agreement-head h2 { margin: 0; font-size: 1.15rem; word-break: break-all; }
.level-row { display: flex; align-items: center; gap: 1rem; margin: 1rem 0 .25rem; flex-wrap: wrap; }
.badge {
  display: inline-block; padding: .45rem 1.1rem; border-radius: 10px; color: #fff;
  font-size: 1.6rem; font-weight: 700; letter-spacing: .02em; background: var(--l0);
}
.badge.lvl-1 { background: var(--l1); }
.badge.lvl-2 { background: var(--l2); }
.badge.lvl-3 { background: var(--l3); }
ul.plain { list-style: none; margin: 0; padding: 0; }
ul.plain li { padding: .35rem 0; border-bottom: 1px solid #eef0f3; font-size: .9rem; }
ul.plain li:last-child { border-bottom: 0; }
.countdown { font-variant-numeric: tabular-nums; font-weight: 600; }
.countdown.soon { color: var(--bad); }
.figure { font-size: 1.9rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.figures { display: flex; flex-wrap: wrap; gap: 1.5rem; }
.figures > div { min-width: 7rem; }
.figure.bad, .figure-text.bad { color: var(--bad); }
.figure-text { font-size: 1.05rem; padding-top: .55rem; }
.actions { display: flex; flex-wrap: wrap; gap: .6rem; }
button.secondary { background: transparent; color: var(--accent); }
svg.meter { width: 8rem; height: .6rem; display: block; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #eef0f3; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
svg.chart { width: 100%; height: auto; display: block; margin: .5rem 0; }
svg.chart text { font-family: inherit; font-size: 12px; fill: var(--ink); }
.legend { display: flex; gap: 1rem; font-size: .8rem; color: var(--muted); }
.key { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; vertical-align: -1px; margin-right: .3rem; }
.key.contrib { background: var(--contrib); }
.key.recv { background: var(--recv); }
.key.withheld { background: var(--withheld); }
.rating-bar { fill: var(--accent); }
.bar-contrib { fill: var(--contrib); }
.bar-recv { fill: var(--recv); }
.bar-withheld { fill: var(--withheld); }
.bar-track { fill: #eef0f3; }
@media (max-width: 900px) {
  main { padding: 1rem; }
  .agreements, .grid { grid-template-columns: 1fr; }
}
.panel-head { display: flex; align-items: center; justify-content: space-between; gap: 1rem; flex-wrap: wrap; }
.panel-head select { font: inherit; padding: 0.15rem 0.4rem; border-radius: 6px; }
`;
