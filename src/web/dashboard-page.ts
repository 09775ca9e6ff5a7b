/**
 * The node's web dashboard (docs/dashboard.md): one self-contained HTML5 document — inline CSS,
 * one inline script, nothing fetched but the node's own REST API. INVARIANT: the document
 * carries no data. It is the same bytes for every visitor; everything shown is fetched by its
 * script with the visitor's bearer token, so the page shows exactly what REST gives that
 * credential and opens no second door to the node's data.
 *
 * The `data-testid` attributes are stable hooks for the browser test; the elements repeated
 * per item (agreements, waivers, history, burden rows) are built by the script.
 */
import { DASHBOARD_SCRIPT } from './dashboard-script.js';
import { DASHBOARD_STYLE } from './dashboard-style.js';

const BODY = `
<header class="top">
  <h1>Concordat node</h1>
  <span class="status" data-testid="node-status">status unknown</span>
  <span class="spacer"></span>
  <span class="updated" id="updated"></span>
  <button type="button" class="quiet" data-testid="refresh" id="refresh" hidden>Refresh</button>
  <button type="button" class="quiet" data-testid="signout" id="signout" hidden>Sign out</button>
</header>
<p class="banner" data-testid="banner-error" id="banner" role="alert" hidden></p>
<main>
  <form class="signin" data-testid="signin" id="signin" autocomplete="off" hidden>
    <h2>Sign in</h2>
    <label for="token">API token</label>
    <input id="token" name="token" type="password" data-testid="token" placeholder="cct_…"
      spellcheck="false" autocapitalize="off" autocomplete="off" required>
    <button type="submit" data-testid="signin-submit">Show the dashboard</button>
    <p class="error" data-testid="signin-error" id="signin-error" role="alert"></p>
    <p class="hint">The token stays in this tab only (session storage) and is sent to this node
      alone, as <span class="mono">Authorization: Bearer</span>. You see what the node's REST API
      gives that token: an agency's agreements; their cooperation levels, waivers and risk
      ratings for the operator (admin); the ledger for everyone; compliance flows for the
      oversight body or the operator.</p>
  </form>
  <div id="board" hidden>
    <section aria-labelledby="agreements-title">
      <h2 id="agreements-title" class="muted small">AGREEMENTS</h2>
      <div class="panel-error" id="agreements-error" hidden></div>
      <div class="agreements" id="agreements"></div>
      <form class="panel watch" id="watch" autocomplete="off" hidden>
        <label for="watch-id">Open an agreement by id</label>
        <input id="watch-id" name="watch-id" type="text" spellcheck="false" autocapitalize="off"
          autocomplete="off" maxlength="256" placeholder="northsea-cti-compact" required>
        <button type="submit">Open</button>
        <span class="small muted">An official reads the escalation views of an agreement that
          names them; the REST list of agreements is by agency, so it lists none for them.</span>
      </form>
    </section>
    <div class="grid">
      <section class="panel wide" aria-labelledby="ledger-title">
        <h2 id="ledger-title">Ledger <span class="muted small">latest signed checkpoint</span></h2>
        <div class="panel-error" id="ledger-error" hidden></div>
        <div class="figures" id="ledger-body">
          <div><div class="muted small">entries (tree size)</div>
            <div class="figure" data-testid="ledger-size" id="ledger-size">–</div></div>
          <div><div class="muted small">signed at</div>
            <div class="figure-text" id="ledger-at">–</div></div>
          <div><div class="muted small">origin</div>
            <div class="figure-text mono" data-testid="ledger-origin" id="ledger-origin">–</div></div>
          <div><div class="muted small">witnessed</div>
            <div class="figure-text" data-testid="ledger-witnessed" id="ledger-witnessed">–</div></div>
        </div>
      </section>
      <section class="panel wide" data-testid="flows" id="flows" aria-labelledby="flows-title">
        <div class="panel-head">
          <h2 id="flows-title">Flows <span class="muted small" id="flows-period"></span></h2>
          <label class="small muted">quarter <select id="flows-quarter"></select></label>
        </div>
        <p class="panel-error" data-testid="flows-forbidden" id="flows-forbidden" hidden>
          needs an oversight or admin token</p>
        <div class="panel-error" id="flows-error" hidden></div>
        <div id="flows-body" hidden>
          <div class="grid">
            <div>
              <h3>Burden sharing per party</h3>
              <div class="legend"><span><span class="key contrib"></span>contributed</span>
                <span><span class="key recv"></span>received</span></div>
              <div id="burden-chart"></div>
              <table>
                <thead><tr><th>party</th><th class="num">contributed</th>
                  <th class="num">received</th></tr></thead>
                <tbody id="burden-rows"></tbody>
              </table>
            </div>
            <div>
              <h3>Released vs withheld</h3>
              <div class="figures">
                <div><div class="muted small">objects released</div>
                  <div class="figure" id="released">–</div></div>
                <div><div class="muted small">candidates withheld</div>
                  <div class="figure" id="withheld">–</div></div>
              </div>
              <div id="release-chart"></div>
              <div class="legend"><span><span class="key contrib"></span>released</span>
                <span><span class="key withheld"></span>withheld</span></div>
              <h3>Retention</h3>
              <div class="figures">
                <div><div class="muted small">keys shredded</div>
                  <div class="figure" id="shredded">–</div></div>
                <div><div class="muted small">shredded late</div>
                  <div class="figure" id="shredded-late">–</div></div>
                <div><div class="muted small">keys overdue</div>
                  <div class="figure" data-testid="retention-overdue" id="retention-overdue">–</div></div>
              </div>
              <p class="small muted" id="overdue-note"></p>
              <h3>Transparency report</h3>
              <div class="actions">
                <button type="button" data-testid="report-open" id="report-open">Open the transparency report</button>
                <button type="button" class="secondary" id="report-save">Save it as a file</button>
              </div>
              <p class="panel-error" id="report-error" hidden></p>
            </div>
          </div>
        </div>
      </section>
    </div>
  </div>
  <noscript><p>The dashboard needs JavaScript: it reads the node's REST API with your token.</p></noscript>
</main>
`;

/**
 * The dashboard document. The inline `<style>` and `<script>` are exactly
 * {@link DASHBOARD_STYLE} and {@link DASHBOARD_SCRIPT}: the server's CSP admits them by hash.
 */
export function dashboardPage(): string {
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    '<meta name="referrer" content="no-referrer">\n' +
    '<title>Concordat node dashboard</title>\n' +
    `<style>${DASHBOARD_STYLE}</style>\n</head>\n<body>${BODY}` +
    `<script>${DASHBOARD_SCRIPT}</script>\n</body>\n</html>\n`
  );
}
