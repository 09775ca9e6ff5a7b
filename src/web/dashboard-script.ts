/**
 * The dashboard's client script, core half: the token (session storage only), every REST call
 * (bearer token, coded errors, 401 → sign-in), the refresh loop, the node status and the
 * ledger panel. The rendering of agreements and flows is {@link DASHBOARD_RENDER}; the page
 * inlines both in one IIFE, and the server's CSP admits exactly that text by hash.
 *
 * INVARIANT: data reaches the DOM through `textContent`, text nodes and attributes only —
 * never an HTML parser (no `innerHTML` and kin; a test greps the script). Written as
 * `String.raw` without backticks or template substitutions, so this TypeScript string is the
 * script byte for byte.
 */
import { DASHBOARD_RENDER } from './dashboard-render.js';

const CORE = String.raw`
'use strict';
const KEY = 'concordat.dashboard.token';
/** Agreement ids opened by hand (an official's token lists none), for this tab only. */
const WATCH_KEY = 'concordat.dashboard.watched';
const REFRESH_MS = 10000;
const TOKEN_RE = /^cct_[A-Za-z0-9_-]{43}$/;
const SVG_NS = 'http://www.w3.org/2000/svg';
const state = { token: null, generation: 0, timer: 0, ticker: 0, networkDown: false, skew: 0 };
const byId = (id) => document.getElementById(id);
const hook = (id) => document.querySelector('[data-testid="' + id + '"]');

/** An element with attributes (text: its textContent) and children (nodes or strings). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}
function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  if (text !== undefined) node.textContent = String(text);
  return node;
}
function setAttrs(node, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = String(v);
    else node.setAttribute(k, String(v));
  }
}

/** A REST failure: the HTTP status and the coded error of the body. */
class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function watched() {
  try {
    const ids = JSON.parse(sessionStorage.getItem(WATCH_KEY) || '[]');
    return Array.isArray(ids) ? ids.filter((x) => typeof x === 'string' && x !== '').slice(0, 10) : [];
  } catch (e) {
    return [];
  }
}
function setWatched(ids) {
  try {
    if (ids.length === 0) sessionStorage.removeItem(WATCH_KEY);
    else sessionStorage.setItem(WATCH_KEY, JSON.stringify(ids.slice(0, 10)));
  } catch (e) {
    // no session storage: nothing is kept
  }
}

function storedToken() {
  try {
    return sessionStorage.getItem(KEY);
  } catch (e) {
    return null;
  }
}

/** GET path with the token; a 401 signs out; any other failure is an ApiError. */
async function api(path, accept) {
  const token = state.token;
  if (token === null) throw new ApiError(401, 'ERR_UNAUTHENTICATED', 'signed out');
  let res;
  try {
    res = await fetch(path, {
      headers: { authorization: 'Bearer ' + token, accept: accept || 'application/json' },
      cache: 'no-store',
      credentials: 'omit',
      redirect: 'error',
    });
  } catch (e) {
    state.networkDown = true;
    throw new ApiError(0, 'NETWORK', 'the node could not be reached');
  }
  if (res.status === 401) {
    if (state.token === token) signOut('the token was refused (expired or revoked?)');
    throw new ApiError(401, 'ERR_UNAUTHENTICATED', 'the token was refused');
  }
  if (!res.ok) {
    let code = 'HTTP_' + res.status;
    let message = res.statusText || 'the request failed';
    try {
      const body = await res.json();
      if (body && body.error) {
        code = String(body.error.code);
        message = String(body.error.message);
      }
    } catch (e) {
      // not a coded error body: keep the status
    }
    throw new ApiError(res.status, code, message);
  }
  return res;
}
const getJson = async (path) => (await api(path)).json();

/** Shows a coded error (code, then message) in a panel's error box. */
function showError(box, err, hint) {
  const code = err instanceof ApiError ? err.code : 'ERR_DASHBOARD';
  box.replaceChildren(el('span', { class: 'code', text: code }), ' ', String(err.message || err));
  if (hint) box.append(el('div', { class: 'small', text: hint }));
  box.hidden = false;
}
function errorBlock(err, hint) {
  const box = el('div', { class: 'panel-error' });
  showError(box, err, hint);
  return box;
}

/** Instants: UTC, minutes; spans: the two largest units. */
function when(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  return new Date(t).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
const now = () => Date.now() + state.skew;
function span(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (x) => String(x).padStart(2, '0');
  if (d > 0) return d + ' d ' + h + ' h ' + pad(m) + ' min ' + pad(s % 60) + ' s';
  if (h > 0) return h + ' h ' + pad(m) + ' min ' + pad(s % 60) + ' s';
  return m + ' min ' + pad(s % 60) + ' s';
}
function ago(iso) {
  const s = Math.max(0, Math.floor((now() - Date.parse(iso)) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return Math.floor(s / 60) + ' min ago';
  if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min ago';
  return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h ago';
}
/** The calendar quarter (UTC) of an instant, as the oversight routes name it: 2026Q3. */
function quarterOf(t) {
  const d = new Date(t);
  return d.getUTCFullYear() + 'Q' + (Math.floor(d.getUTCMonth() / 3) + 1);
}

/** The quarter the flows panel and the report show: the one picked, else the current one. */
function chosenQuarter() {
  const picked = byId('flows-quarter').value;
  return picked === '' ? quarterOf(now()) : picked;
}

/** The quarter picker: the current quarter and the seven before it, newest first. */
function fillQuarters() {
  const pick = byId('flows-quarter');
  if (pick.options.length > 0) return;
  const d = new Date(now());
  for (let back = 0; back < 8; back++) {
    const q = quarterOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 3 * back, 1));
    pick.append(el('option', { value: q, text: back === 0 ? q + ' (current)' : q }));
  }
}

/** Every waiver countdown, once a second: "expires in 1 h 04 min 12 s", red under an hour. */
function tick() {
  for (const n of document.querySelectorAll('[data-testid="waiver-countdown"]')) {
    const left = Number(n.getAttribute('data-expires')) - now();
    n.textContent = left > 0 ? 'expires in ' + span(left) : 'expired';
    n.classList.toggle('soon', left < 3600000);
  }
}

async function loadStatus(gen) {
  const node = hook('node-status');
  try {
    const res = await fetch('/readyz', {
      headers: { accept: 'application/json' },
      cache: 'no-store',
      credentials: 'omit',
    });
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null;
    }
    if (gen !== state.generation) return;
    if (res.status === 200) {
      node.textContent = 'ready';
      node.className = 'status ok';
      return;
    }
    const failing = body && body.checks ? Object.keys(body.checks).filter((k) => !body.checks[k]) : [];
    node.textContent =
      'unavailable (' + (failing.length > 0 ? 'failing: ' + failing.join(', ') : 'HTTP ' + res.status) + ')';
    node.className = 'status bad';
  } catch (e) {
    state.networkDown = true;
    if (gen !== state.generation) return;
    node.textContent = 'unreachable';
    node.className = 'status bad';
  }
}

async function loadLedger(gen) {
  const err = byId('ledger-error');
  const size = hook('ledger-size');
  const origin = hook('ledger-origin');
  try {
    const c = await getJson('/api/v1/ledger/checkpoint');
    if (gen !== state.generation) return;
    err.hidden = true;
    size.textContent = String(c.size);
    // C2SP signed note: the checkpoint body's first line is the log's origin.
    origin.textContent = String(c.note).split('\n', 1)[0] || '–';
    byId('ledger-at').textContent = when(c.at);
    await loadWitnessed(gen, c.size);
  } catch (e) {
    if (gen !== state.generation) return;
    size.textContent = '–';
    origin.textContent = '–';
    byId('ledger-at').textContent = '–';
    showError(err, e);
  }
}

/**
 * The newest checkpoint an oversight witness cosigned: by whom, and how many entries the
 * ledger has grown since (a witness that stopped looking shows as falling behind).
 */
async function loadWitnessed(gen, headSize) {
  const out = byId('ledger-witnessed');
  out.classList.remove('bad');
  try {
    const w = await getJson('/api/v1/ledger/checkpoint/cosigned');
    if (gen !== state.generation) return;
    const behind = headSize - w.size;
    out.textContent =
      'at ' + w.size + ' by ' + w.witnesses.join(', ') + (behind > 0 ? ' (' + behind + ' entries since)' : ' (up to date)');
  } catch (e) {
    if (gen !== state.generation) return;
    out.textContent = e.status === 404 ? 'no witness has cosigned yet' : 'unknown (' + (e.code || e.status) + ')';
    if (e.status !== 404) out.classList.add('bad');
  }
}

/** One refresh of every panel; a newer refresh or a sign-out discards this one's results. */
async function refresh() {
  if (state.token === null) return;
  const gen = ++state.generation;
  state.networkDown = false;
  const button = hook('refresh');
  button.disabled = true;
  await Promise.allSettled([loadStatus(gen), loadAgreements(gen), loadLedger(gen), loadFlows(gen)]);
  if (gen !== state.generation) return;
  button.disabled = false;
  const banner = hook('banner-error');
  banner.textContent = state.networkDown
    ? 'The node could not be reached (network error). The figures below may be out of date; retrying every 10 s.'
    : '';
  banner.hidden = !state.networkDown;
  byId('updated').textContent = 'updated ' + new Date().toISOString().slice(11, 19) + ' UTC';
  tick();
}

function showBoard(on) {
  hook('signin').hidden = on;
  byId('board').hidden = !on;
  hook('signout').hidden = !on;
  hook('refresh').hidden = !on;
}

function signIn(token) {
  state.token = token;
  showBoard(true);
  hook('signin-error').textContent = '';
  clearInterval(state.timer);
  clearInterval(state.ticker);
  state.timer = setInterval(refresh, REFRESH_MS);
  state.ticker = setInterval(tick, 1000);
  refresh();
}

function signOut(message) {
  try {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(WATCH_KEY);
  } catch (e) {
    // storage unavailable: nothing was kept
  }
  byId('watch').hidden = true;
  state.token = null;
  state.generation++;
  clearInterval(state.timer);
  clearInterval(state.ticker);
  byId('agreements').replaceChildren();
  byId('burden-rows').replaceChildren();
  byId('burden-chart').replaceChildren();
  byId('release-chart').replaceChildren();
  for (const id of ['ledger-size', 'ledger-origin', 'retention-overdue']) hook(id).textContent = '–';
  hook('node-status').textContent = 'status unknown';
  hook('node-status').className = 'status';
  hook('banner-error').hidden = true;
  hook('refresh').disabled = false;
  byId('updated').textContent = '';
  showBoard(false);
  hook('signin-error').textContent = message || '';
  hook('token').value = '';
  hook('token').focus();
}

function start() {
  hook('signin').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = hook('token').value.trim();
    if (!TOKEN_RE.test(token)) {
      hook('signin-error').textContent = 'that is not an API token: it starts with cct_ and has 47 characters';
      return;
    }
    try {
      sessionStorage.setItem(KEY, token);
    } catch (e) {
      // no session storage: the token lives in this page only
    }
    hook('token').value = '';
    signIn(token);
  });
  byId('watch').addEventListener('submit', (event) => {
    event.preventDefault();
    const id = byId('watch-id').value.trim();
    if (id === '') return;
    setWatched([id, ...watched().filter((x) => x !== id)]);
    byId('watch-id').value = '';
    refresh();
  });
  hook('signout').addEventListener('click', () => signOut(''));
  hook('refresh').addEventListener('click', () => refresh());
  hook('report-open').addEventListener('click', () => deliverReport(false));
  byId('report-save').addEventListener('click', () => deliverReport(true));
  fillQuarters();
  byId('flows-quarter').addEventListener('change', () => loadFlows(state.generation));
  const token = storedToken();
  if (token !== null && TOKEN_RE.test(token)) signIn(token);
  else showBoard(false);
}
`;

/** The dashboard's client script (plain modern JS, one IIFE). */
export const DASHBOARD_SCRIPT = `\n(() => {${CORE}${DASHBOARD_RENDER}\nstart();\n})();\n`;
