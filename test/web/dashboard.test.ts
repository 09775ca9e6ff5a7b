/**
 * The web dashboard (docs/dashboard.md), in process with `inject`: `GET /dashboard` answers the
 * static page to anyone (no credential, an agency token, an oversight token alike — the same
 * bytes) with exactly the security headers the doc names, its CSP hashes admit exactly the
 * inline script and style, the page carries no data (not the served agreement's id, not a
 * token, not a level), every browser-test hook is present, the script never parses HTML nor
 * evaluates text nor touches persistent storage, and nothing is fetched from elsewhere. Each
 * static check also runs on a broken page, so it can fail.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Script } from 'node:vm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, memoryAuthStore, memoryWithdrawals } from '../../src/server/index.js';
import type { ServerContext } from '../../src/server/index.js';
import { openSqlite, runMigrations } from '../../src/store/index.js';
import { REPORT_CSS, renderTransparencyReport } from '../../src/oversight/index.js';
import { DASHBOARD_SCRIPT, DASHBOARD_STYLE, dashboardPage } from '../../src/web/index.js';
import { AT, contextCore, serverAgreement } from '../server/harness.js';
import { makeVault } from '../vault/fixtures.js';

/** The hooks the browser test relies on (the brief's list, verbatim). */
const HOOKS = [
  'signin',
  'token',
  'signin-submit',
  'signin-error',
  'signout',
  'refresh',
  'banner-error',
  'node-status',
  'agreement',
  'level',
  'level-since',
  'history-item',
  'waiver',
  'waiver-countdown',
  'pause',
  'ledger-size',
  'ledger-origin',
  'flows',
  'flows-forbidden',
  'burden-row',
  'contributed',
  'received',
  'retention-overdue',
  'report-open',
] as const;

/** Statically declared hooks (`data-testid="x"`) and script-built ones (`'data-testid': 'x'`). */
function hooksIn(page: string): Set<string> {
  const found = new Set<string>();
  for (const m of page.matchAll(/data-testid="([a-z-]+)"/g)) found.add(m[1] as string);
  for (const m of page.matchAll(/'data-testid': '([a-z-]+)'/g)) found.add(m[1] as string);
  return found;
}

/** What the script must never contain: HTML parsing, text evaluation, persistent storage. */
const FORBIDDEN_IN_SCRIPT: readonly [string, RegExp][] = [
  ['innerHTML', /innerHTML/],
  ['outerHTML', /outerHTML/],
  ['insertAdjacentHTML', /insertAdjacentHTML/],
  ['document.write', /document\s*\.\s*write/],
  ['eval', /\beval\s*\(/],
  ['new Function', /new\s+Function\b/],
  ['string timers', /set(?:Timeout|Interval)\s*\(\s*['"]/],
  ['localStorage', /localStorage/],
  ['document.cookie', /document\s*\.\s*cookie/],
  ['DOMParser', /DOMParser|createContextualFragment/],
];

function forbiddenIn(script: string): string[] {
  return FORBIDDEN_IN_SCRIPT.filter(([, re]) => re.test(script)).map(([name]) => name);
}

/** References to anything outside the page (the SVG namespace is a name, not a fetch). */
function externalRefs(page: string): string[] {
  const text = page.replaceAll('http://www.w3.org/2000/svg', '');
  const out: string[] = [];
  for (const re of [
    /https?:\/\//gi,
    /\/\/cdn/gi,
    /<link\b/gi,
    /<img\b/gi,
    /\bsrc=/gi,
    /@import/gi,
    /(?<![\w.])url\(/gi,
  ])
    for (const m of text.matchAll(re)) out.push(m[0]);
  return out;
}

/** Every inline element of `tag` (its exact content). */
function inline(page: string, tag: 'script' | 'style'): string[] {
  return [...page.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map(
    (m) => m[1] as string,
  );
}

const sha = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The policy the page must be served with, computed from the page itself. */
function expectedCsp(page: string): string {
  const [script] = inline(page, 'script');
  const [style] = inline(page, 'style');
  return [
    "default-src 'none'",
    `script-src ${sha(script ?? '')}`,
    // …and the transparency report's stylesheet, for the report opened from a Blob URL.
    `style-src ${sha(style ?? '')} ${sha(REPORT_CSS)}`,
    "connect-src 'self'",
    'img-src data: blob:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

interface Node {
  readonly app: FastifyInstance;
  readonly agreementId: string;
  readonly tokens: { read: string; admin: string; oversight: string };
}

/** A server over a real agreement whose id is random, so the page could not hold it by chance. */
async function makeNode(): Promise<Node> {
  const db = await openSqlite({ path: ':memory:' });
  await runMigrations(db, AT);
  const vault = await makeVault();
  vault.clock.set(AT);
  const agreement = { ...serverAgreement(), id: `dash-${randomUUID()}` };
  const auth = memoryAuthStore();
  const ctx: ServerContext = {
    ...contextCore(db, vault, agreement),
    state: () => ({ level: 'baseline', waivers: [], pauses: [], revocations: [] }),
    auth,
    withdrawals: memoryWithdrawals(),
  };
  const app = buildServer(ctx);
  await app.ready();
  return {
    app,
    agreementId: agreement.id,
    tokens: {
      read: auth.issue('ARV-CERT', ['read']).token,
      admin: auth.issue('ARV-CERT', ['admin']).token,
      oversight: auth.issue('NL-OVERSIGHT', ['oversight']).token,
    },
  };
}

let node: Node;
beforeAll(async () => {
  node = await makeNode();
});
afterAll(async () => {
  await node.app.close();
});

const get = (url: string, headers: Record<string, string> = {}) =>
  node.app.inject({ method: 'GET', url, headers });

describe('GET /dashboard', () => {
  it('answers 200 html with exactly the security headers, to no credential at all', async () => {
    const r = await get('/dashboard', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toBe(expectedCsp(r.body));
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toBe(dashboardPage());
    expect(r.body.startsWith('<!doctype html>')).toBe(true);
  });

  it('the CSP hashes are those of the one inline script and the one inline style', async () => {
    const r = await get('/dashboard');
    expect(inline(r.body, 'script')).toEqual([DASHBOARD_SCRIPT]);
    expect(inline(r.body, 'style')).toEqual([DASHBOARD_STYLE]);
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain(`script-src ${sha(DASHBOARD_SCRIPT)};`);
    expect(csp).toContain(`style-src ${sha(DASHBOARD_STYLE)} ${sha(REPORT_CSS)};`);
    // The report itself has one stylesheet, that one.
    const report = renderTransparencyReport(
      {
        period: { from: 0, to: 1 },
        ledger: { entries: 0, firstSeq: null, lastSeq: null, byKind: {} },
        contributions: [],
        releases: [],
        burden: [],
        timeliness: [],
        federation: [],
        retention: {
          keysShredded: 0,
          objectsShredded: 0,
          shreddedLate: 0,
          maxShredDelayMs: 0,
          overdueKeys: 0,
          overdueObjects: 0,
        },
        governance: { agreementsActivated: [] },
        escalation: [],
      },
      { node: 'n', generatedAt: 0 },
    );
    expect(inline(report, 'style')).toEqual([REPORT_CSS]);
    // A page whose script changed by one byte no longer matches the served policy.
    const tampered = r.body.replace('<script>', '<script> ');
    expect(expectedCsp(tampered)).not.toBe(csp);
  });

  it('the same bytes for every credential: agency, admin and oversight tokens load it too', async () => {
    const anonymous = await get('/dashboard');
    for (const token of Object.values(node.tokens)) {
      const r = await get('/dashboard', { authorization: `Bearer ${token}` });
      expect(r.statusCode).toBe(200);
      expect(r.body).toBe(anonymous.body);
      expect(r.headers['content-security-policy']).toBe(
        anonymous.headers['content-security-policy'],
      );
    }
    // A refused token is not even read: the page is static code.
    const r = await get('/dashboard', { authorization: `Bearer cct_${'A'.repeat(43)}` });
    expect(r.statusCode).toBe(200);
  });

  it('carries no data: not the agreement the node serves, not a token, not a level', async () => {
    // The id is data this node holds: TAXII discovery shows it to a reader…
    const discovery = await get('/taxii2/', {
      authorization: `Bearer ${node.tokens.read}`,
      accept: 'application/taxii+json;version=2.1',
    });
    expect(discovery.statusCode).toBe(200);
    expect(discovery.body).toContain(node.agreementId);
    // …and the page, loaded with any credential, does not contain it.
    for (const token of Object.values(node.tokens)) {
      const r = await get('/dashboard', { authorization: `Bearer ${token}` });
      expect(r.body).not.toContain(node.agreementId);
      expect(r.body).not.toContain(token);
      expect(r.body).not.toMatch(/cct_[A-Za-z0-9_-]{43}/);
      expect(r.body).not.toContain('baseline');
      expect(r.body).not.toContain('ARV-CERT');
    }
  });

  it('is open with a trailing slash too, and on HEAD', async () => {
    const slash = await get('/dashboard/');
    expect(slash.statusCode).toBe(200);
    expect(slash.body).toBe(dashboardPage());
    const head = await node.app.inject({ method: 'HEAD', url: '/dashboard' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-security-policy']).toBe(expectedCsp(dashboardPage()));
    // Other paths keep needing a credential: the open set is exact.
    expect((await get('/dashboardx')).statusCode).toBe(401);
    expect((await get('/api/v1/agreements')).statusCode).toBe(401);
  });

  it('answers a client that admits no html with a coded 406', async () => {
    const r = await get('/dashboard', { accept: 'application/json' });
    expect(r.statusCode).toBe(406);
    expect(JSON.parse(r.body).error.code).toBe('ERR_NOT_ACCEPTABLE');
  });
});

describe('the page', () => {
  const page = dashboardPage();

  it('is built on call, the same every time', () => {
    expect(dashboardPage()).toBe(page);
  });

  it('has every hook the browser test uses', () => {
    const found = hooksIn(page);
    expect(HOOKS.filter((h) => !found.has(h))).toEqual([]);
    // The check can fail: a page without the sign-in form misses its hooks.
    const broken = hooksIn(page.replace('data-testid="signin"', 'data-testid="x"'));
    expect(HOOKS.filter((h) => !broken.has(h))).toEqual(['signin']);
  });

  it('per-item hooks carry their attribute', () => {
    expect(DASHBOARD_SCRIPT).toContain("'data-testid': 'agreement', 'data-agreement': a.id");
    expect(DASHBOARD_SCRIPT).toContain("'data-testid': 'waiver', 'data-waiver': w.id");
    expect(DASHBOARD_SCRIPT).toContain("'data-testid': 'burden-row', 'data-party': b.party");
    expect(DASHBOARD_SCRIPT).toContain("'data-testid': 'pause', 'data-party': p.party");
  });

  it('its script never parses HTML, evaluates text or keeps anything beyond the tab', () => {
    expect(forbiddenIn(DASHBOARD_SCRIPT)).toEqual([]);
    expect(DASHBOARD_SCRIPT).toContain('sessionStorage');
    expect(forbiddenIn(page)).toEqual([]);
    // The check can fail.
    expect(
      forbiddenIn('x.innerHTML = y; document.write(z); eval("1"); localStorage.a = 1;'),
    ).toEqual(['innerHTML', 'document.write', 'eval', 'localStorage']);
  });

  it('its script is valid JavaScript', () => {
    expect(() => new Script(DASHBOARD_SCRIPT)).not.toThrow();
    expect(() => new Script(`${DASHBOARD_SCRIPT} }`)).toThrow();
  });

  it('references nothing outside itself', () => {
    expect(externalRefs(page)).toEqual([]);
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page.match(/<style/g)).toHaveLength(1);
    expect(page).not.toMatch(/\sstyle="/);
    expect(page).not.toMatch(/\son[a-z]+="/);
    // The check can fail.
    expect(
      externalRefs('<script src="https://cdn.example/x.js"></script><link href="//cdn.x">'),
    ).toEqual(['https://', '//cdn', '//cdn', '<link', 'src=']);
  });
});
