/**
 * The dashboard's client script, rendering half: agreements with their escalation views, and
 * the oversight flows (burden sharing, released vs withheld, retention, the transparency
 * report). Uses the helpers of the core half (`el`, `svg`, `api`, `getJson`, …); the page
 * inlines both in one IIFE. Every JSON shape read here is a REST schema (src/server/rest):
 * `AgreementList`, `EscalationLevel`, `LevelHistory`, `WaiverList`, `RiskRatings`, `Indicators`.
 *
 * INVARIANT: as in the core half, data reaches the DOM as text or attributes only.
 */

/** The rendering half of the dashboard's script (`String.raw`: the script byte for byte). */
export const DASHBOARD_RENDER = String.raw`
/** The version a card shows: in force, else active, else the latest. */
function rank(a) {
  return (a.inForce ? 2e9 : 0) + (a.status === 'active' ? 1e9 : 0) + Number(a.version);
}

async function loadAgreements(gen) {
  const box = byId('agreements');
  const err = byId('agreements-error');
  let list;
  try {
    list = (await getJson('/api/v1/agreements')).agreements;
  } catch (e) {
    if (gen !== state.generation) return;
    box.replaceChildren();
    byId('watch').hidden = true;
    showError(err, e, e.status === 403 ? 'the agreements list needs an agency or admin token' : '');
    return;
  }
  const shown = new Map();
  for (const a of list) {
    const seen = shown.get(a.id);
    if (seen === undefined || rank(a) > rank(seen)) shown.set(a.id, a);
  }
  // Opened by id: only while the list names none (an official's token).
  const byHand = list.length === 0 ? watched() : [];
  for (const id of byHand) if (!shown.has(id)) shown.set(id, { id, byHand: true });
  const cards = await Promise.all([...shown.values()].map(agreementCard));
  if (gen !== state.generation) return;
  err.hidden = true;
  byId('watch').hidden = list.length > 0;
  box.replaceChildren(...cards);
  tick();
  if (cards.length === 0) {
    box.append(
      el('p', {
        class: 'muted',
        text: 'No agreement is listed for this token: the list shows an agency the agreements it is party to, and the node’s operator (admin) every one.',
      }),
    );
  }
}

function forget(id) {
  setWatched(watched().filter((x) => x !== id));
  refresh();
}

async function agreementCard(a) {
  const base = '/api/v1/agreements/' + encodeURIComponent(a.id);
  const [level, history, waivers, risk, pauses] = await Promise.allSettled([
    getJson(base + '/level'),
    getJson(base + '/level/history'),
    getJson(base + '/waivers'),
    getJson(base + '/risk'),
    getJson(base + '/pauses'),
  ]);
  const card = el(
    'article',
    { class: 'panel', 'data-testid': 'agreement', 'data-agreement': a.id },
    el(
      'div',
      { class: 'agreement-head' },
      el('h2', { text: a.id }),
      a.byHand
        ? el(
            'span',
            { class: 'muted small' },
            'opened by id · ',
            el('button', { type: 'button', class: 'link', text: 'close' }),
          )
        : el('span', {
            class: 'muted small',
            text: 'version ' + a.version + ' · ' + a.status + (a.inForce ? ' · in force' : ' · not in force'),
          }),
    ),
  );
  if (a.byHand) card.querySelector('button.link').addEventListener('click', () => forget(a.id));
  const all = [level, history, waivers, risk];
  // Refused alike four times (an agency token, an unknown id): one error, not four.
  if (level.status === 'rejected' && all.every((r) => r.status === 'rejected' && r.reason.code === level.reason.code)) {
    const hint = level.reason.status === 403 ? 'the escalation views need an official’s or admin token' : '';
    card.append(errorBlock(level.reason, hint));
    return card;
  }
  if (level.status === 'fulfilled') state.skew = Date.parse(level.value.at) - Date.now() || 0;
  card.append(
    levelSection(level),
    el('h3', { text: 'Level history' }),
    historySection(history),
    el('h3', { text: 'Active waivers' }),
    waiverSection(waivers),
    el('h3', { text: 'Pauses in force' }),
    pauseSection(pauses, level),
    el('h3', { text: 'Risk ratings' }),
    riskSection(risk),
  );
  return card;
}

function levelSection(r) {
  if (r.status === 'rejected') return errorBlock(r.reason);
  const l = r.value.level;
  const index = Math.min(3, Math.max(0, Number(l.index) || 0));
  const out = el(
    'div',
    {},
    el(
      'div',
      { class: 'level-row' },
      el('span', { class: 'badge lvl-' + index, 'data-testid': 'level', title: 'cooperation level ' + l.index, text: l.id }),
      el(
        'div',
        {},
        el('div', { class: 'small muted', text: 'since' }),
        el('div', { 'data-testid': 'level-since', text: when(l.since) + ' (' + ago(l.since) + ')' }),
      ),
    ),
  );
  if (l.cause) {
    out.append(
      el('p', {
        class: 'small',
        text: 'raised by trigger ' + l.cause.trigger + ' · sunset ' + when(l.cause.sunset) + ' (in ' + span(Date.parse(l.cause.sunset) - now()) + ')',
      }),
    );
  }
  const pending = r.value.proposals.filter((p) => p.status === 'pending');
  for (const p of pending) {
    out.append(
      el('p', {
        class: 'small muted',
        text: 'proposed: ' + p.toLevel + ' by trigger ' + p.trigger + ' (' + p.approvals.length + ' approval(s) so far)',
      }),
    );
  }
  return out;
}

function historySection(r) {
  if (r.status === 'rejected') return errorBlock(r.reason);
  const last = r.value.transitions.slice(-10).reverse();
  if (last.length === 0) return el('p', { class: 'small muted', text: 'No level change yet.' });
  return el(
    'ul',
    { class: 'plain' },
    ...last.map((t) =>
      el('li', {
        'data-testid': 'history-item',
        text: when(t.at) + ' · ' + t.from + ' → ' + t.to + ' · ' + t.kind + ' (' + t.reason + ', trigger ' + t.trigger + ')',
      }),
    ),
  );
}

function waiverSection(r) {
  if (r.status === 'rejected') return errorBlock(r.reason);
  const active = r.value.waivers.filter((w) => w.status === 'active');
  const out = el('div', {});
  if (active.length === 0) out.append(el('p', { class: 'small muted', text: 'No active waiver.' }));
  else {
    out.append(
      el(
        'ul',
        { class: 'plain' },
        ...active.map((w) => {
          const agencies = w.scope && Array.isArray(w.scope.agencies) ? w.scope.agencies.join(', ') : '';
          const expires = w.expires === undefined ? NaN : Date.parse(w.expires);
          return el(
            'li',
            { 'data-testid': 'waiver', 'data-waiver': w.id },
            el('span', { class: 'mono', text: w.id }),
            agencies ? ' for ' + agencies + ' · ' : ' · ',
            Number.isNaN(expires)
              ? el('span', { text: 'no expiry' })
              : el('span', { class: 'countdown', 'data-testid': 'waiver-countdown', 'data-expires': expires }),
          );
        }),
      ),
    );
  }
  const pending = r.value.waivers.filter((w) => w.status === 'pending').length;
  if (pending > 0) out.append(el('p', { class: 'small muted', text: pending + ' waiver request(s) awaiting approval' }));
  for (const f of r.value.findings) {
    out.append(
      el('p', {
        class: 'small error',
        text: (f.kind === 'review-overdue' ? 'post-incident review overdue' : 'review filed late') + ': waiver ' + f.waiver + ', due ' + when(f.due),
      }),
    );
  }
  return out;
}

/** GET …/pauses (PauseList): the pauses in force; a node without that route says so. */
function pauseSection(r, level) {
  if (r.status === 'rejected') {
    // The agreement answered its level but this path is unknown: a node without the route.
    if (r.reason.status === 404 && level.status === 'fulfilled')
      return el('p', { class: 'small muted', text: 'This node serves no read of pauses.' });
    return errorBlock(r.reason);
  }
  const live = r.value.pauses.filter((p) => p.inForce);
  if (live.length === 0) return el('p', { class: 'small muted', text: 'No pause in force.' });
  return el(
    'ul',
    { class: 'plain' },
    ...live.map((p) =>
      el(
        'li',
        { 'data-testid': 'pause', 'data-party': p.party },
        el('strong', { text: p.party }),
        ' paused since ' + when(p.since) + ' (' + ago(p.since) + ') · ' + p.reason,
        p.dispute ? el('div', { class: 'small muted', text: 'dispute: ' + p.dispute.stage + ', next step due ' + when(p.dispute.stageDue) }) : null,
      ),
    ),
  );
}

function riskSection(r) {
  if (r.status === 'rejected') return errorBlock(r.reason);
  const rows = r.value.ratings.map((x) => {
    const bar = svg('svg', { class: 'meter', viewBox: '0 0 100 10', preserveAspectRatio: 'none', role: 'img', 'aria-label': 'rating ' + x.rating + ' of 5' });
    bar.append(svg('rect', { class: 'bar-track', x: 0, y: 0, width: 100, height: 10, rx: 2 }));
    bar.append(svg('rect', { class: 'rating-bar', x: 0, y: 0, width: x.rating * 20, height: 10, rx: 2 }));
    return el(
      'tr',
      { title: x.published ? 'set by ' + x.setBy + ': ' + x.reason : 'never published' },
      el('td', { text: x.party }),
      el('td', {}, bar),
      el('td', { class: 'num', text: x.published ? x.rating + ' / 5' : '–' }),
    );
  });
  return el('table', {}, el('tbody', {}, ...rows));
}

async function loadFlows(gen) {
  const forbidden = hook('flows-forbidden');
  const err = byId('flows-error');
  const body = byId('flows-body');
  const quarter = chosenQuarter();
  let ind;
  try {
    ind = await getJson('/api/v1/oversight/indicators?quarter=' + quarter);
  } catch (e) {
    if (gen !== state.generation) return;
    body.hidden = true;
    forbidden.hidden = e.status !== 403;
    if (e.status === 403) err.hidden = true;
    else showError(err, e);
    return;
  }
  if (gen !== state.generation) return;
  forbidden.hidden = true;
  err.hidden = true;
  body.hidden = false;
  byId('flows-period').textContent =
    quarter === quarterOf(now()) ? quarter + ', so far' : quarter;
  const burden = ind.burden;
  byId('burden-rows').replaceChildren(
    ...burden.map((b) =>
      el(
        'tr',
        { 'data-testid': 'burden-row', 'data-party': b.party },
        el('td', { text: b.party }),
        el('td', { class: 'num', 'data-testid': 'contributed', text: String(b.contributed) }),
        el('td', { class: 'num', 'data-testid': 'received', text: String(b.received) }),
      ),
    ),
  );
  if (burden.length === 0) {
    byId('burden-rows').append(
      el('tr', {}, el('td', { colspan: 3, class: 'muted', text: 'No party contributed or received anything yet.' })),
    );
  }
  byId('burden-chart').replaceChildren(burdenChart(burden));
  const released = ind.releases.reduce((n, x) => n + x.objects, 0);
  const withheld = ind.releases.reduce((n, x) => n + x.withheld, 0);
  byId('released').textContent = String(released);
  byId('withheld').textContent = String(withheld);
  byId('release-chart').replaceChildren(releaseChart(released, withheld));
  const ret = ind.retention;
  byId('shredded').textContent = String(ret.keysShredded);
  byId('shredded-late').textContent = String(ret.shreddedLate);
  const overdue = hook('retention-overdue');
  overdue.textContent = String(ret.overdueKeys);
  overdue.classList.toggle('bad', ret.overdueKeys > 0);
  byId('overdue-note').textContent =
    ret.overdueKeys > 0 ? ret.overdueObjects + ' object(s) kept past their deadline under overdue keys' : 'No data kept past its deadline.';
}

/** Contributed vs received per party: two horizontal bars each, one scale for all. */
function burdenChart(rows) {
  const W = 520;
  const LEFT = 120;
  const RIGHT = 60;
  const ROW = 34;
  if (rows.length === 0) return el('div', {});
  const max = Math.max(1, ...rows.flatMap((r) => [r.contributed, r.received]));
  const scale = (v) => ((W - LEFT - RIGHT) * v) / max;
  const chart = svg('svg', {
    class: 'chart',
    viewBox: '0 0 ' + W + ' ' + Math.max(ROW, rows.length * ROW + 6),
    role: 'img',
    'aria-label': 'objects contributed and received per party',
  });
  rows.forEach((r, i) => {
    const y = 3 + i * ROW;
    chart.append(svg('text', { x: 0, y: y + 19 }, r.party));
    [
      ['bar-contrib', r.contributed, y + 2],
      ['bar-recv', r.received, y + 16],
    ].forEach(([cls, v, top]) => {
      chart.append(svg('rect', { class: cls, x: LEFT, y: top, width: Math.max(1, scale(v)), height: 12, rx: 2 }));
      chart.append(svg('text', { x: LEFT + scale(v) + 5, y: top + 10 }, v));
    });
  });
  return chart;
}

/** Released vs withheld as one bar split in two. */
function releaseChart(released, withheld) {
  const total = released + withheld;
  const W = 520;
  const chart = svg('svg', { class: 'chart', viewBox: '0 0 ' + W + ' 24', role: 'img', 'aria-label': released + ' released, ' + withheld + ' withheld' });
  chart.append(svg('rect', { class: 'bar-track', x: 0, y: 2, width: W, height: 20, rx: 3 }));
  if (total > 0) {
    const r = (W * released) / total;
    chart.append(svg('rect', { class: 'bar-contrib', x: 0, y: 2, width: r, height: 20 }));
    chart.append(svg('rect', { class: 'bar-withheld', x: r, y: 2, width: W - r, height: 20 }));
  }
  return chart;
}

/**
 * Fetches the transparency report with the token and hands it over from a Blob URL: opened in
 * a new tab, or (save) downloaded under the name the node gives it. A tab opened from a Blob
 * URL keeps this page's CSP (HTML: a local URL's document inherits its initiator's policy), so
 * the report's inline styles are held back there; the saved file has only its own.
 */
async function deliverReport(save) {
  const buttons = [hook('report-open'), byId('report-save')];
  const err = byId('report-error');
  for (const b of buttons) b.disabled = true;
  err.hidden = true;
  try {
    const quarter = chosenQuarter();
    const res = await api('/api/v1/oversight/report?quarter=' + quarter, 'text/html');
    const named = /filename="([A-Za-z0-9._-]+)"/.exec(res.headers.get('content-disposition') || '');
    const blob = new Blob([await res.arrayBuffer()], { type: 'text/html;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = save
      ? el('a', { href: url, download: named ? named[1] : 'transparency-' + quarter + '.html' })
      : el('a', { href: url, target: '_blank', rel: 'noopener' });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (e) {
    if (e.status !== 401) showError(err, e);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}
`;
