/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core against an
 * in-process `concordat serve` on loopback (SQLite, a fresh node with the example agreement),
 * after real activity — a waiver granted by two parties, a pause, a risk rating, objects
 * published and pulled over TAXII by another party's agency. Each figure the page shows is
 * compared with what the REST API answers the same credential, fetched here directly.
 *
 * Chromium is `CONCORDAT_TEST_CHROMIUM` or `/usr/bin/chromium` (.ci/run installs Debian's).
 * Without it the suite is skipped with the reason printed — except under CI (`CI=true`),
 * where a missing browser fails, like a missing PostgreSQL (test/store/dialects.ts).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/index.js';
import { ALL_ROUTES } from '../../src/server/rest/index.js';
import { cli, json } from '../cli/harness.js';
import { freshNode, issueToken, serve } from '../server/e2e-harness.js';
import type { Serving } from '../server/e2e-harness.js';

const CI = process.env.CI === 'true';
const CHROMIUM = process.env.CONCORDAT_TEST_CHROMIUM ?? '/usr/bin/chromium';
const missing = existsSync(CHROMIUM)
  ? undefined
  : `no Chromium at ${CHROMIUM}: install Debian's chromium (.ci/run does) or set CONCORDAT_TEST_CHROMIUM`;

const AGREEMENT = 'northsea-cti-compact';
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
/** Free text that reaches the page through REST; it must be shown as text, never run. */
const XSS = '<img src=x onerror="window.__pwned=1">';
/** Flags for a closed network (docs of the machine): no background calls home. */
const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Waits for the page, not assertions on time: generous, as Chromium is slow on 2 cores. */
const WAIT = 30_000;
const real = { clock: systemClock };

/** The page's globals, for functions evaluated in it (the project compiles without the DOM lib). */
interface PageStorage {
  readonly length: number;
  key(i: number): string | null;
  getItem(k: string): string | null;
}
interface PageElement {
  getAttributeNames(): string[];
  getAttribute(name: string): string | null;
}
interface PageGlobals {
  readonly document: {
    readonly cookie: string;
    readonly body: { readonly textContent: string | null };
    querySelector(s: string): { readonly textContent: string | null } | null;
    querySelectorAll(s: string): ArrayLike<PageElement>;
  };
  readonly location: { readonly href: string };
  readonly sessionStorage: PageStorage;
  readonly localStorage: PageStorage;
  readonly __pwned?: unknown;
}

const tid = (id: string): string => `[data-testid="${id}"]`;
const agreementSel = `${tid('agreement')}[data-agreement="${AGREEMENT}"]`;

function indicator(n: number): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2026-02-01T00:00:00.000Z',
    modified: '2026-02-01T00:00:00.000Z',
    pattern: `[domain-name:value = 'dashboard${n}.example']`,
    pattern_type: 'stix',
    valid_from: '2026-02-01T00:00:00Z',
    object_marking_refs: [GREEN],
  };
}

/** `concordat …args --config config --json` on the wall clock; must succeed. */
async function ok(config: string, ...args: string[]): Promise<Record<string, unknown>> {
  const r = await cli([...args, '--config', config, '--json'], real);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return json(r);
}

/** Pins ed25519 keys for the three liaisons in node.yaml (`official_keys`); returns key files. */
function officialKeys(config: string): (official: string) => string {
  const node = dirname(config);
  mkdirSync(join(node, 'officials'));
  mkdirSync(join(node, 'private'));
  for (const o of ['ARV-LIAISON', 'BOR-LIAISON', 'CAL-LIAISON']) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(
      join(node, 'officials', `${o}.pub.pem`),
      publicKey.export({ type: 'spki', format: 'pem' }),
    );
    writeFileSync(
      join(node, 'private', `${o}.pem`),
      privateKey.export({ type: 'pkcs8', format: 'pem' }),
      { mode: 0o600 },
    );
  }
  const text = readFileSync(config, 'utf8').replace(
    /( {2}- file: .*northsea-compact\.yaml.*\n)/,
    '$1    official_keys: officials\n',
  );
  expect(text).toContain('official_keys: officials');
  writeFileSync(config, text);
  return (o) => join(node, 'private', `${o}.pem`);
}

function suite(executablePath: string): void {
  let s: Serving;
  let browser: Browser;
  let waiver = '';
  const tokens: Record<'admin' | 'read' | 'oversight' | 'writer', string> = {
    admin: '',
    read: '',
    oversight: '',
    writer: '',
  };
  const requests: string[] = [];
  const contexts: BrowserContext[] = [];
  const shots = mkdtempSync(join(tmpdir(), 'concordat-dashboard-shots-'));

  /** GET `path` from REST with `token`, as the page would; the parsed body and status. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are read ad hoc; each assertion checks the field it reads
  async function rest(path: string, token: string): Promise<{ status: number; body: any }> {
    const r = await fetch(`${s.base}${path}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${token}` },
    });
    const text = await r.text();
    return { status: r.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  /** A fresh context (empty sessionStorage) on the dashboard, signed in with `token`. */
  async function signIn(token: string): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    const loaded = await page.goto(`${s.base}/dashboard`);
    expect(loaded?.status()).toBe(200);
    await page.locator(tid('token')).fill(token);
    await page.locator(tid('signin-submit')).click();
    return page;
  }

  const text = async (page: Page, selector: string): Promise<string> =>
    ((await page.locator(selector).first().textContent()) ?? '').trim();

  beforeAll(async () => {
    const { config } = await freshNode();
    const key = officialKeys(config);
    // A waiver for BOR-FININT, approved by two parties: active for 48 h from now.
    const scope = ['--agency', 'BOR-FININT', '--types', 'indicator', '--tlp', 'amber'];
    const req = await ok(
      config,
      ...['waiver', 'request', ...scope, '--purpose', 'incident-response', '--duration', 'PT48H'],
      ...['--justification', `case 17 ${XSS}`, '--by', 'ARV-LIAISON'],
    );
    waiver = String(req.id);
    for (const o of ['ARV-LIAISON', 'CAL-LIAISON'])
      await ok(config, 'waiver', 'approve', waiver, '--official', o, '--key', key(o));
    await ok(config, 'pause', '--party', 'ARV', '--towards', 'BOR', '--reason', `dispute ${XSS}`);
    // Intel graded B2 and ARV's rating 4 make the node propose `severe` (trigger risk-high);
    // ARV and BOR approve: the level rises.
    await ok(config, 'trigger', 'observe', '--grade', 'B2', '--object', 'sha256:ab12');
    const risk = ['risk', 'set', 'ARV', '4', '--reason', `outbreak ${XSS}`, '--by', 'ARV-LIAISON'];
    const proposal = String(((await ok(config, ...risk)).written as { id: string }[])[1]?.id);
    for (const o of ['ARV-LIAISON', 'BOR-LIAISON'])
      await ok(config, 'approve', proposal, '--official', o, '--key', key(o));

    tokens.admin = (await issueToken(config, 'ARV-CERT', 'admin', real)).token;
    tokens.writer = (await issueToken(config, 'ARV-CERT', 'read,write', real)).token;
    tokens.read = (await issueToken(config, 'CAL-CSIRT', 'read', real)).token;
    tokens.oversight = (await issueToken(config, 'NL-OVERSIGHT', 'oversight', real)).token;
    s = await serve(config, [], real);

    // Three objects published by ARV, then pulled by CAL's agency: releases exist.
    const pub = await fetch(`${s.base}/api/v1/bundles?agreement=${AGREEMENT}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.writer}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'bundle',
        id: `bundle--${randomUUID()}`,
        objects: [0, 1, 2].map(indicator),
      }),
    });
    expect(pub.status, await pub.text()).toBe(200);
    const pull = await fetch(
      `${s.base}/taxii2/${AGREEMENT}/collections/incident-response/objects/`,
      {
        headers: {
          accept: 'application/taxii+json;version=2.1',
          authorization: `Bearer ${tokens.read}`,
        },
      },
    );
    expect(pull.status, await pull.text()).toBe(200);

    browser = await chromium.launch({ executablePath, args: ARGS, timeout: 60_000 });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    if (s !== undefined) expect(await s.stop()).toBe(0);
  });

  it('a refused token shows the sign-in error and no data', async () => {
    const page = await signIn(`cct_${'0'.repeat(40)}`);
    await page.locator(tid('signin-error')).waitFor({ state: 'visible' });
    expect(await text(page, tid('signin-error'))).not.toBe('');
    expect(await page.locator(tid('signin')).isVisible()).toBe(true);
    expect(await page.locator(tid('agreement')).count()).toBe(0);
    for (const panel of ['ledger-size', 'level', 'burden-row', 'waiver'])
      expect(await page.locator(tid(panel)).filter({ visible: true }).count(), panel).toBe(0);
  });

  it('the admin token sees what REST gives it: level, ledger, burden, waiver, pause', async () => {
    const page = await signIn(tokens.admin);
    await page.locator(tid('node-status'), { hasText: 'ready' }).waitFor();
    const level = await rest(`/api/v1/agreements/${AGREEMENT}/level`, tokens.admin);
    expect(level.status).toBe(200);
    const card = `${agreementSel} ${tid('level')}`;
    await page.locator(card).waitFor();
    expect(await text(page, card)).toBe(level.body.level.id);
    expect(level.body.level.id).toBe('severe');
    expect(await page.locator(`${agreementSel} ${tid('level-since')}`).count()).toBe(1);
    const history = await rest(`/api/v1/agreements/${AGREEMENT}/level/history`, tokens.admin);
    const items = page.locator(`${agreementSel} ${tid('history-item')}`);
    expect(await items.count()).toBe(Math.min(10, history.body.transitions.length));
    expect(await items.count()).toBeGreaterThan(0);

    const checkpoint = await rest('/api/v1/ledger/checkpoint', tokens.admin);
    expect(checkpoint.status).toBe(200);
    await page.locator(tid('ledger-size')).waitFor();
    expect(await text(page, tid('ledger-size'))).toBe(String(checkpoint.body.size));
    expect(await text(page, tid('ledger-origin'))).toContain('concordat.arv.node');
    // No witness has cosigned this node's checkpoints (GET …/checkpoint/cosigned is 404).
    await page.waitForFunction((sel) => {
      const { document } = globalThis as unknown as PageGlobals;
      return (document.querySelector(sel)?.textContent ?? '–') !== '–';
    }, tid('ledger-witnessed'));
    expect(await text(page, tid('ledger-witnessed'))).toBe('no witness has cosigned yet');

    const ind = await rest('/api/v1/oversight/indicators', tokens.admin);
    expect(ind.status).toBe(200);
    const burden = ind.body.burden as { party: string; contributed: number; received: number }[];
    expect(burden.find((b) => b.party === 'ARV')?.contributed).toBe(3);
    await page.locator(tid('burden-row')).first().waitFor();
    expect(await page.locator(tid('burden-row')).count()).toBe(burden.length);
    for (const b of burden) {
      const row = `${tid('burden-row')}[data-party="${b.party}"]`;
      expect(await text(page, `${row} ${tid('contributed')}`), b.party).toBe(String(b.contributed));
      expect(await text(page, `${row} ${tid('received')}`), b.party).toBe(String(b.received));
    }

    // The waiver both parties approved, with a countdown that ticks.
    const countdown = `${agreementSel} ${tid('waiver')}[data-waiver="${waiver}"] ${tid('waiver-countdown')}`;
    await page.locator(countdown).waitFor();
    const before = await text(page, countdown);
    expect(before).not.toBe('');
    await page.waitForFunction(
      ([sel, was]) => {
        const { document } = globalThis as unknown as PageGlobals;
        return (document.querySelector(sel ?? '')?.textContent ?? '').trim() !== was;
      },
      [countdown, before],
    );
    // The pause in force, once REST has a route to read pauses: today none (only POST …/pauses
    // and …/resume), and the page shows only what REST gives, so no pause row can appear yet.
    const pauses = page.locator(`${agreementSel} ${tid('pause')}[data-party="ARV"]`);
    const readable = ALL_ROUTES.some((r) => r.method === 'GET' && r.url.includes('/pauses'));
    expect(await pauses.count()).toBe(readable ? 1 : 0);

    const png = join(shots, 'admin.png');
    await page.screenshot({ path: png, fullPage: true });
    const bytes = readFileSync(png);
    expect(bytes.length).toBeGreaterThan(1000);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    process.stderr.write(`dashboard screenshot (admin token): ${png}\n`);
  });

  it('the report button opens the transparency report from a blob URL of the node', async () => {
    const page = await signIn(tokens.oversight);
    await page.locator(tid('report-open')).waitFor({ state: 'visible' });
    const [report] = await Promise.all([
      page.context().waitForEvent('page'),
      page.locator(tid('report-open')).click(),
    ]);
    await report.waitForLoadState();
    expect(report.url()).toMatch(new RegExp(`^blob:${new URL(s.base).origin}/`));
    expect((await report.content()).toLowerCase()).toContain('transparency');
  });

  it('an agency read token: the flows panel is forbidden; the rest shows what REST allows it', async () => {
    const page = await signIn(tokens.read);
    await page.locator(tid('flows-forbidden')).waitFor({ state: 'visible' });
    expect(await page.locator(tid('burden-row')).count()).toBe(0);
    expect((await rest('/api/v1/oversight/indicators', tokens.read)).status).toBe(403);
    await page.locator(agreementSel).waitFor();
    const level = await rest(`/api/v1/agreements/${AGREEMENT}/level`, tokens.read);
    const shown = page.locator(`${agreementSel} ${tid('level')}`);
    if (level.status === 200)
      expect(await text(page, `${agreementSel} ${tid('level')}`)).toBe(level.body.level.id);
    // REST refuses escalation reads to agency credentials (docs/escalation-api.md): the page
    // may show no level for this token, since it shows exactly what REST gives it.
    else expect(await shown.filter({ visible: true }).count()).toBe(0);
    const checkpoint = await rest('/api/v1/ledger/checkpoint', tokens.read);
    await page.locator(tid('ledger-size')).waitFor();
    expect(await text(page, tid('ledger-size'))).toBe(String(checkpoint.body.size));
  });

  it('keeps the token in sessionStorage only; sign-out clears it and shows the form', async () => {
    const page = await signIn(tokens.oversight);
    await page.locator(tid('signout')).waitFor({ state: 'visible' });
    await page.locator(tid('ledger-size')).waitFor();
    const where = await page.evaluate((token) => {
      const { document, location, localStorage, sessionStorage } =
        globalThis as unknown as PageGlobals;
      const values = (st: PageStorage): string[] =>
        Array.from({ length: st.length }, (_, i) => st.getItem(st.key(i) ?? '') ?? '');
      return {
        session: values(sessionStorage).some((v) => v.includes(token)),
        local: values(localStorage).some((v) => v.includes(token)) || localStorage.length > 0,
        url: location.href.includes(token),
        cookie: document.cookie.includes(token) || document.cookie !== '',
      };
    }, tokens.oversight);
    expect(where).toStrictEqual({ session: true, local: false, url: false, cookie: false });
    await page.locator(tid('signout')).click();
    await page.locator(tid('signin')).waitFor({ state: 'visible' });
    const left = await page.evaluate(
      () => (globalThis as unknown as PageGlobals).sessionStorage.length,
    );
    expect(left).toBe(0);
    expect(await page.locator(tid('ledger-size')).filter({ visible: true }).count()).toBe(0);
  });

  it('free text from REST is rendered as text, never as markup', async () => {
    const page = await signIn(tokens.admin);
    await page.locator(`${agreementSel} ${tid('level')}`).waitFor();
    await page
      .locator(`${agreementSel} ${tid('waiver')}`)
      .first()
      .waitFor();
    await page.waitForLoadState('networkidle');
    const seen = await page.evaluate((payload) => {
      const { document, __pwned } = globalThis as unknown as PageGlobals;
      const all = Array.from(document.querySelectorAll('*'));
      return {
        pwned: __pwned,
        images: document.querySelectorAll('img[src="x"], [onerror]').length,
        // As text: in the text of the page or an attribute's value (a tooltip, say).
        shown:
          (document.body.textContent ?? '').includes(payload) ||
          all.some((e) => e.getAttributeNames().some((n) => e.getAttribute(n)?.includes(payload))),
      };
    }, XSS);
    expect(seen.pwned).toBeUndefined();
    expect(seen.images).toBe(0);
    // The justification, the pause reason or the risk reason reaches the page (else this
    // test would prove nothing).
    expect(seen.shown).toBe(true);
  });

  it('the page asked nothing of any origin but the node', () => {
    const origin = new URL(s.base).origin;
    expect(requests.length).toBeGreaterThan(0);
    const foreign = requests.filter(
      (u) => !(u.startsWith(`${origin}/`) || u.startsWith(`blob:${origin}/`)),
    );
    expect(foreign).toStrictEqual([]);
  });
}

if (missing === undefined) {
  describe('the dashboard in Chromium', () => suite(CHROMIUM));
} else if (CI) {
  describe('the dashboard in Chromium', () => {
    it('needs Chromium under CI (no skips)', () => {
      throw new Error(missing);
    });
  });
} else {
  process.stderr.write(`skip the dashboard in Chromium: ${missing}\n`);
  describe.skip(`the dashboard in Chromium (skipped: ${missing})`, () => suite(CHROMIUM));
}
