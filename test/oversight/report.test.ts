import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  quarterPeriod,
  renderTransparencyReport,
  type EscalationIndicators,
  type Indicators,
  type ReportOptions,
  type ReleaseRow,
} from '../../src/oversight/index.js';
import { humanDuration } from '../../src/oversight/report-format.js';
import { cellText, count, total } from '../../src/oversight/report-suppress.js';

// Hand-built indicators: one quarter of a three-party node, every count 0 or ≥ 5 unless a
// test makes one small, so each suppression rule bites only where a test puts it.
const Q3 = quarterPeriod('2026Q3');
const DAY = 86_400_000;
const H = 3_600_000;

function escalation(over: Partial<EscalationIndicators> = {}): EscalationIndicators {
  return {
    agreementId: 'northsea-cti-compact',
    levels: [
      { level: 'baseline', ms: 80 * DAY },
      { level: 'elevated', ms: 10 * DAY },
      { level: 'severe', ms: 2 * DAY },
    ],
    levelAtEnd: 'baseline',
    raised: 12,
    renewed: 0,
    lowered: 12,
    sunsets: 6,
    waivers: { requested: 9, active: 8, closedEarly: 0, reviewsFiled: 7 },
    pauses: { started: 0, resumed: 0, pausedMs: 0 },
    disputesOpened: 0,
    sanctionsApplied: 0,
    certificationsRevoked: 0,
    riskRatingsPublished: 40,
    findings: [],
    rejectedEvents: 0,
    anomalies: 0,
    ...over,
  };
}

/** Every count is 0 or ≥ 10, so nothing is suppressed at the default k. */
function clean(over: Partial<Indicators> = {}): Indicators {
  return {
    period: Q3,
    ledger: {
      entries: 5000,
      firstSeq: 1200,
      lastSeq: 6199,
      byKind: { ingest: 4000, release: 1000 },
    },
    contributions: [
      {
        producer: 'ARV',
        objects: 300,
        byTlp: { green: 200, amber: 100 },
        byType: { indicator: 300 },
      },
      {
        producer: 'BOR',
        objects: 150,
        byTlp: { green: 50, amber: 100 },
        byType: { indicator: 150 },
      },
    ],
    releases: [
      {
        agreementId: 'northsea-cti-compact',
        agency: 'BOR-CERT',
        party: 'BOR',
        purpose: 'incident-response',
        level: 'baseline',
        channel: 'objects',
        calls: 40,
        objects: 210,
        withheld: 30,
      },
      {
        agreementId: 'northsea-cti-compact',
        agency: 'CAL-CERT',
        party: 'CAL',
        purpose: 'threat-detection',
        level: 'elevated',
        channel: 'export',
        calls: 10,
        objects: 90,
        withheld: 0,
      },
    ],
    burden: [
      { party: 'ARV', contributed: 300, received: 0 },
      { party: 'BOR', contributed: 150, received: 210 },
      { party: 'CAL', contributed: 0, received: 90 },
    ],
    timeliness: [
      {
        party: 'BOR',
        releases: 180,
        medianMs: 3 * H + 12 * 60_000,
        p90Ms: 20 * H,
        maxMs: 2 * DAY + 4 * H,
      },
    ],
    federation: [
      {
        peer: 'BOR',
        receiptsIssued: 20,
        objectsReceived: 150,
        receiptsAcknowledged: 30,
        objectsAcknowledged: 210,
      },
    ],
    retention: {
      keysShredded: 12,
      objectsShredded: 800,
      shreddedLate: 0,
      maxShredDelayMs: 2 * H,
      overdueKeys: 0,
      overdueObjects: 0,
    },
    governance: {
      agreementsActivated: [{ agreementId: 'northsea-cti-compact', version: 3, at: Q3.from + DAY }],
    },
    escalation: [escalation()],
    ...over,
  };
}

const OPTS: ReportOptions = {
  node: 'concordat.arv.node',
  party: 'ARV',
  generatedAt: Date.UTC(2026, 9, 2, 9, 30),
  verification: { ok: true, size: 6200, root: 'q83vEjRWeJA=', checkpoints: 3 },
};

const render = (ind: Indicators, over: Partial<ReportOptions> = {}): string =>
  renderTransparencyReport(ind, { ...OPTS, ...over });

/** The HTML of one section (by id), so assertions cannot be satisfied by another section. */
function sectionOf(doc: string, id: string): string {
  const open = doc.indexOf(`<section id="${id}">`);
  expect(open, `section ${id}`).toBeGreaterThanOrEqual(0);
  const close = doc.indexOf('</section>', open);
  return doc.slice(open, close);
}

/** The text of each cell of each row of the first table in `html` after `marker`. */
function tableRows(html: string, marker = '<table>'): string[][] {
  const start = html.indexOf(marker);
  const t = html.slice(start, html.indexOf('</table>', start));
  return [...t.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((c) =>
      c[1]!.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<'),
    ),
  );
}

const release = (over: Partial<ReleaseRow>): ReleaseRow => ({
  agreementId: 'northsea-cti-compact',
  agency: 'BOR-CERT',
  party: 'BOR',
  purpose: 'incident-response',
  level: 'baseline',
  channel: 'objects',
  calls: 20,
  objects: 100,
  withheld: 0,
  ...over,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('transparency report: document', () => {
  it('is one HTML5 document with every section, each explained for a lay reader', () => {
    const doc = render(clean());
    expect(doc.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(doc).toContain('<meta charset="utf-8">');
    expect(doc).toContain('<title>Transparency report — 2026Q3</title>');
    expect(doc.trimEnd().endsWith('</html>')).toBe(true);
    for (const id of [
      'summary',
      'contributions',
      'releases',
      'burden',
      'timeliness',
      'federation',
      'retention',
      'governance',
      'proportionality',
    ]) {
      const s = sectionOf(doc, id);
      expect(s).toMatch(/<h2>[^<]+<\/h2><p class="explain">[^<]{20,}\.<\/p>/);
    }
    const footer = doc.slice(doc.indexOf('<footer id="verify">'));
    expect(footer).toContain('How to verify');
    expect(footer).toContain('size <strong>6,200</strong>, root <code>q83vEjRWeJA=</code>');
    expect(footer).toContain('concordat ledger prove');
    expect(footer).toContain('/api/v1/ledger/proof/consistency');
  });

  it('names a period that is not a quarter by its days, and takes a given title', () => {
    const july = { from: Q3.from, to: Date.UTC(2026, 7, 1) };
    expect(render(clean({ period: july }))).toContain(
      '<title>Transparency report — 2026-07-01 to 2026-07-31</title>',
    );
    expect(render(clean(), { title: 'Q3 & more' })).toContain('<title>Q3 &amp; more</title>');
  });

  it('prints headline figures, human durations and A4 print CSS', () => {
    const doc = render(clean());
    expect(sectionOf(doc, 'summary')).toMatch(
      /<span class="value">450<\/span><span class="label">objects contributed/,
    );
    expect(sectionOf(doc, 'summary')).toMatch(
      /<span class="value">300<\/span><span class="label">objects released/,
    );
    const t = tableRows(sectionOf(doc, 'timeliness'));
    expect(t[1]).toEqual(['BOR', '180', '3 h 12 min', '20 h', '2 d 4 h']);
    expect(doc).toMatch(/@page \{ size: A4;/);
    expect(doc).toContain('@media print');
    // A stacked bar across the period: 80 + 10 + 2 of 92 days.
    const bar = sectionOf(doc, 'proportionality');
    expect(bar).toMatch(/<rect class="segment" x="0.00" y="4" width="556.52"/);
    expect(bar).toContain('elevated: 10 d (10.9 %)');
  });

  it('writes durations for people', () => {
    expect(humanDuration(3 * 3_600_000 + 12 * 60_000 + 59_000)).toBe('3 h 12 min');
    expect(humanDuration(3_600_000)).toBe('1 h');
    expect(humanDuration(45_000)).toBe('45 s');
    expect(humanDuration(850)).toBe('850 ms');
    expect(humanDuration(0)).toBe('0 ms');
  });

  it('is deterministic: same input, same bytes, whatever the clock says', () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.UTC(2030, 0, 1));
    const a = render(clean());
    vi.setSystemTime(Date.UTC(2031, 5, 6, 7, 8, 9));
    const b = render(structuredClone(clean()));
    expect(b).toBe(a);
    expect(a).not.toContain('2030');
    expect(render(clean(), { generatedAt: OPTS.generatedAt + 60_000 })).not.toBe(a);
  });

  it('references nothing outside itself', () => {
    const doc = render(clean());
    for (const bad of [
      /src\s*=\s*["']?\s*(https?:)?\/\//i,
      /href\s*=\s*["']?\s*(https?:)?\/\//i,
      /@import/i,
      /url\(\s*["']?\s*(https?:)?\/\//i,
      /<script/i,
      /<link/i,
      /<img/i,
      /<iframe/i,
      /https?:\/\//i,
    ])
      expect(doc).not.toMatch(bad);
    // The only url() references are the in-document hatch patterns.
    for (const m of doc.matchAll(/url\(([^)]*)\)/g)) expect(m[1]).toMatch(/^#[a-z-]+$/);
  });
});

describe('transparency report: small-count suppression', () => {
  it('prints 1..k−1 as <k, keeps 0 and k and above', () => {
    expect(cellText(count(2, 5), 5)).toBe('&lt;5');
    expect(cellText(count(0, 5), 5)).toBe('0');
    expect(cellText(count(7, 5), 5)).toBe('7');
    expect(cellText(count(5, 5), 5)).toBe('5');
    expect(cellText(count(4, 5), 5)).toBe('&lt;5');
    expect(cellText(count(7, 10), 10)).toBe('&lt;10');
    expect(cellText(count(1234, 5), 5)).toBe('1,234');
  });

  it('suppresses counts in the document, with a custom k', () => {
    const ind = clean({
      federation: [
        {
          peer: 'BOR',
          receiptsIssued: 2,
          objectsReceived: 0,
          receiptsAcknowledged: 7,
          objectsAcknowledged: 30,
        },
      ],
    });
    expect(tableRows(sectionOf(render(ind), 'federation'))[1]).toEqual([
      'BOR',
      '<5',
      '0',
      '7',
      '30',
    ]);
    expect(tableRows(sectionOf(render(ind, { suppressBelow: 10 }), 'federation'))[1]).toEqual([
      'BOR',
      '<10',
      '0',
      '<10',
      '30',
    ]);
    expect(tableRows(sectionOf(render(ind, { suppressBelow: 2 }), 'federation'))[1]).toEqual([
      'BOR',
      '2',
      '0',
      '7',
      '30',
    ]);
    expect(render(ind, { suppressBelow: 10 })).toContain(
      'any count from 1 to 9 is shown as “&lt;10”',
    );
  });

  it('hides a total that has a hidden part (the secondary rule), and only then', () => {
    expect(total(42, [2, 40], 5)).toEqual({ kind: 'hidden' });
    expect(total(50, [10, 40], 5)).toEqual({ kind: 'shown', value: 50 });
    expect(total(40, [0, 40], 5)).toEqual({ kind: 'shown', value: 40 });
    // Two hidden parts are not enough: with the total shown, 2 left over would make both 1.
    expect(total(102, [1, 1, 100], 5)).toEqual({ kind: 'hidden' });
    // Hidden, not <5: a <5 total over four <5 parts would make each of them 1.
    expect(total(4, [1, 1, 1, 1], 5)).toEqual({ kind: 'hidden' });
    // One small part and zeros: the total is that part, and says no more than it.
    expect(total(3, [0, 3], 5)).toEqual({ kind: 'small' });
    expect(total(6, [3, 3], 5)).toEqual({ kind: 'hidden' });
    // A total whose parts all print is itself only subject to the primary rule.
    expect(total(3, [0, 0], 5)).toEqual({ kind: 'small' });
  });

  it('leaves nothing to subtract in the contributions table, the burden table or the headline', () => {
    // ARV: 2 green + 40 amber = 42. Printing 42 (row), 12 (green column) or 102 (grand
    // total) would let a reader subtract their way to the hidden 2.
    const ind = clean({
      contributions: [
        { producer: 'ARV', objects: 42, byTlp: { green: 2, amber: 40 }, byType: { indicator: 42 } },
        {
          producer: 'BOR',
          objects: 60,
          byTlp: { green: 10, amber: 50 },
          byType: { indicator: 60 },
        },
      ],
      burden: [
        { party: 'ARV', contributed: 42, received: 0 },
        { party: 'BOR', contributed: 60, received: 210 },
        { party: 'CAL', contributed: 0, received: 90 },
      ],
    });
    const doc = render(ind);
    expect(tableRows(sectionOf(doc, 'contributions'))).toEqual([
      ['Producer', 'TLP:GREEN', 'TLP:AMBER', 'Total'],
      ['ARV', '<5', '40', '—'],
      ['BOR', '10', '50', '60'],
      ['Total', '—', '90', '—'],
    ]);
    // Every printed total has only printed parts: no equation involves the hidden cell.
    const rows = tableRows(sectionOf(doc, 'contributions')).slice(1, -1);
    const isNum = (s: string): boolean => /^[\d,]+$/.test(s);
    for (const r of rows) if (isNum(r[3]!)) expect(r.slice(1, 3).every(isNum)).toBe(true);
    expect(tableRows(sectionOf(doc, 'burden'))[1]).toEqual(['ARV', '—', '0']);
    expect(sectionOf(doc, 'summary')).toMatch(
      /<span class="value">—<\/span><span class="label">objects contributed/,
    );
    const exposed = ['summary', 'contributions', 'burden'].map((id) => sectionOf(doc, id)).join('');
    for (const leak of ['>42<', '>12<', '>102<', ': 42<', ': 102<'])
      expect(exposed).not.toContain(leak);
    // The same table without a small cell prints its totals: the rule bites only when needed.
    const fixed = render(clean());
    expect(tableRows(sectionOf(fixed, 'contributions')).at(-1)).toEqual([
      'Total',
      '250',
      '200',
      '450',
    ]);
  });

  it('hides a release total everywhere it appears, so no breakdown gives it away', () => {
    const ind = clean({
      releases: [
        release({ purpose: 'incident-response', objects: 100, withheld: 20 }),
        release({ purpose: 'attribution', objects: 3, withheld: 0, calls: 2 }),
        release({ agency: 'CAL-CERT', party: 'CAL', level: 'elevated', objects: 50, withheld: 10 }),
      ],
      burden: [
        { party: 'BOR', contributed: 150, received: 103 },
        { party: 'CAL', contributed: 0, received: 50 },
      ],
    });
    const doc = render(ind);
    const s = sectionOf(doc, 'releases');
    const detail = tableRows(s);
    expect(detail.at(-1)).toEqual(['Total', '—', '—', '30']);
    const by = (title: string): string[][] => tableRows(s, `<h3>${title}</h3><table>`);
    expect(by('By purpose')).toContainEqual(['attribution', '<5', '0']);
    expect(by('By purpose')).toContainEqual(['incident-response', '150', '30']);
    // 103 at BOR and at baseline would give the 3 away (103 − 100); 153 in total would too.
    expect(by('By party')).toContainEqual(['BOR', '—', '20']);
    expect(by('By level')).toContainEqual(['baseline', '—', '20']);
    expect(by('By channel')).toContainEqual(['objects', '—', '30']);
    for (const t of ['By party', 'By purpose', 'By level', 'By channel'])
      expect(by(t).at(-1)).toEqual(['Total', '—', '30']);
    expect(tableRows(sectionOf(doc, 'burden'))).toContainEqual(['BOR', '150', '—']);
    expect(sectionOf(doc, 'summary')).toMatch(
      /<span class="value">—<\/span><span class="label">objects released/,
    );
    for (const leak of ['>103<', '>153<', ': 103<', ': 153<']) expect(doc).not.toContain(leak);
  });

  it('draws a suppressed bar hatched at the threshold, never at its true length', () => {
    const ind = clean({
      contributions: [
        { producer: 'ARV', objects: 2, byTlp: { green: 2 }, byType: { indicator: 2 } },
        { producer: 'BOR', objects: 42, byTlp: { green: 2, amber: 40 }, byType: { indicator: 42 } },
      ],
      releases: [release({ objects: 20 })],
      burden: [
        { party: 'ARV', contributed: 2, received: 0 },
        { party: 'BOR', contributed: 42, received: 20 },
      ],
    });
    const chart = sectionOf(render(ind), 'burden');
    const bar = (party: string, series: string): string | undefined =>
      new RegExp(
        `<rect class="bar[^"]*" data-series="${series}"[^>]*><title>${party} ${series}: [^<]*</title>`,
      ).exec(chart)?.[0];
    // Scale: the largest SHOWN value (20) — not BOR's hidden 42, which would shrink every bar.
    expect(bar('BOR', 'received')).toContain('width="390.00"');
    // ARV's 2 is drawn hatched at k = 5 (97.50), not at 2/20 of the width (39.00).
    const arv = bar('ARV', 'contributed')!;
    expect(arv).toContain('class="bar suppressed"');
    expect(arv).toContain('fill="url(#burden-hatch)"');
    expect(arv).toContain('width="97.50"');
    expect(arv).not.toContain('width="39.00"');
    expect(arv).toContain('ARV contributed: &lt;5');
    // BOR's 42 is hidden (a part is small): no bar at all, and the value nowhere.
    expect(bar('BOR', 'contributed')).toBeUndefined();
    expect(chart).toContain('—</text>'.replace('</text>', ' (not drawn)</text>'));
    expect(chart).not.toMatch(/width="(819|1638)\.00"/); // 42/20 and 2·42/20 of the width
    expect(chart).not.toMatch(/>42<|: 42</);
  });
});

describe('transparency report: escaping, verification, flags', () => {
  const HOSTILE = '<script>alert("x")</script>&"\'';

  it('escapes every id that comes from the indicators', () => {
    const ind = clean({
      contributions: [{ producer: HOSTILE, objects: 10, byTlp: { [HOSTILE]: 10 }, byType: {} }],
      releases: [
        release({
          agency: HOSTILE,
          party: HOSTILE,
          purpose: HOSTILE,
          level: HOSTILE,
          channel: HOSTILE,
        }),
      ],
      burden: [{ party: HOSTILE, contributed: 10, received: 100 }],
      timeliness: [{ party: HOSTILE, releases: 10, medianMs: 1, p90Ms: 2, maxMs: 3 }],
      federation: [
        {
          peer: HOSTILE,
          receiptsIssued: 10,
          objectsReceived: 10,
          receiptsAcknowledged: 0,
          objectsAcknowledged: 0,
        },
      ],
      governance: { agreementsActivated: [{ agreementId: HOSTILE, version: 1, at: Q3.from }] },
      escalation: [
        escalation({
          agreementId: HOSTILE,
          levelAtEnd: HOSTILE,
          levels: [{ level: HOSTILE, ms: 1000 }],
          findings: [{ kind: 'review-overdue', waiver: HOSTILE, due: Q3.from }],
        }),
      ],
    });
    const doc = render(ind, {
      node: HOSTILE,
      party: HOSTILE,
      title: HOSTILE,
      verification: { ok: false, size: 1, root: HOSTILE, checkpoints: 1, breakAt: HOSTILE },
    });
    expect(doc).not.toMatch(/<script/i);
    expect(doc).not.toContain('alert("x")');
    expect(doc).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
    expect(doc).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&quot;&#39;');
    // Every id made it in, escaped, rather than being dropped.
    expect(doc.split('&lt;script&gt;').length - 1).toBeGreaterThanOrEqual(20);
  });

  it('says loudly when verification failed, and plainly when it is absent', () => {
    const failed = sectionOf(
      render(clean(), {
        verification: { ok: false, size: 90, root: 'AAAA', checkpoints: 2, breakAt: 'entry 57' },
      }),
      'summary',
    );
    expect(failed).toContain(
      '<div class="callout bad" role="alert"><strong>Ledger verification FAILED</strong>',
    );
    expect(failed).toContain('first break: <code>entry 57</code>');
    expect(failed).not.toContain('Ledger verified');
    const unverified: ReportOptions = { node: OPTS.node, generatedAt: OPTS.generatedAt };
    const absent = renderTransparencyReport(clean(), unverified);
    expect(sectionOf(absent, 'summary')).toContain(
      '<strong>Ledger not verified for this report</strong>',
    );
    expect(sectionOf(absent, 'summary')).not.toContain('Ledger verified');
    expect(sectionOf(render(clean()), 'summary')).toContain('<strong>Ledger verified</strong>');
  });

  it('flags overdue retention as a compliance concern, even when its count is suppressed', () => {
    const ok = render(clean());
    expect(ok).not.toContain('Compliance concern');
    const late = clean({
      retention: { ...clean().retention, overdueKeys: 3, overdueObjects: 120 },
    });
    const doc = render(late);
    const s = sectionOf(doc, 'retention');
    expect(s).toContain(
      '<strong>Compliance concern: data kept past its retention deadline</strong>',
    );
    expect(s).toContain('&lt;5 data key(s), protecting 120 object(s)');
    expect(s).toMatch(
      /<tr class="flag"><td>Keys overdue for destruction<\/td><td class="num small">&lt;5<\/td><\/tr>/,
    );
    expect(sectionOf(doc, 'summary')).toMatch(
      /<div class="figure flagged"><span class="value">&lt;5<\/span>/,
    );
  });

  it('lists findings and flags rejected events and anomalies', () => {
    const ind = clean({
      escalation: [
        escalation({
          rejectedEvents: 2,
          anomalies: 0,
          findings: [
            {
              kind: 'review-filed-late',
              waiver: 'w-17',
              due: Q3.from,
              filedAt: Q3.from + 3_600_000,
            },
          ],
          pauses: { started: 6, resumed: 6, pausedMs: 3 * 3_600_000 + 12 * 60_000 },
        }),
      ],
    });
    const s = sectionOf(render(ind), 'proportionality');
    expect(s).toContain('<strong>Irregularities to examine</strong>');
    expect(s).toMatch(
      /<tr class="flag"><td>Events the record refused<\/td><td class="num">\d+<\/td>/,
    );
    expect(s).toContain('<td>Time paused</td><td class="num">3 h 12 min</td>');
    expect(tableRows(s, '<h4>Findings</h4><table>')[1]).toEqual([
      'waiver review filed late',
      'w-17',
      '2026-07-01 00:00 UTC',
      '2026-07-01 01:00 UTC',
    ]);
    expect(sectionOf(render(clean()), 'proportionality')).not.toContain('Irregularities');
  });
});

describe('transparency report: no printed sum has a hidden part (random tables)', () => {
  /** mulberry32: a seeded generator, so a failure names its case and replays. */
  function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const isNum = (s: string): boolean => /^[\d,]+$/.test(s);
  const num = (s: string): number => Number(s.replace(/,/g, ''));

  it('holds for 200 random contribution and release tables', () => {
    let suppressedSeen = 0;
    let totalsShown = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      // Mostly large counts, some small, some zero: every rule gets exercised.
      const n = (): number => (r() < 0.25 ? Math.floor(r() * 5) : 5 + Math.floor(r() * 200));
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
      const contributions = ['ARV', 'BOR', 'CAL']
        .slice(0, 1 + Math.floor(r() * 3))
        .map((producer) => {
          const byTlp = { green: n(), amber: n(), red: n() };
          return { producer, objects: byTlp.green + byTlp.amber + byTlp.red, byTlp, byType: {} };
        });
      const releases = Array.from({ length: 1 + Math.floor(r() * 6) }, () =>
        release({
          agency: pick(['BOR-CERT', 'CAL-CERT']),
          purpose: pick(['incident-response', 'attribution']),
          level: pick(['baseline', 'severe']),
          channel: pick(['objects', 'export']),
          calls: n(),
          objects: n(),
          withheld: n(),
        }),
      );
      const doc = render(clean({ contributions, releases }));
      const c = tableRows(sectionOf(doc, 'contributions'));
      const body = c.slice(1, -1);
      const foot = c.at(-1)!;
      for (const row of body) {
        if (row.slice(1, 4).some((x) => !isNum(x))) suppressedSeen++;
        if (isNum(row[4]!)) {
          totalsShown++;
          expect(row.slice(1, 4).every(isNum), `seed ${seed} row ${row[0]}`).toBe(true);
          expect(num(row[4]!)).toBe(row.slice(1, 4).reduce((s, x) => s + num(x), 0));
        }
      }
      for (let j = 1; j <= 4; j++)
        if (isNum(foot[j]!))
          expect(
            body.every((row) => isNum(row[j]!)),
            `seed ${seed} column ${j}`,
          ).toBe(true);
      // Releases: a breakdown figure is printed only if every detailed row it adds up is.
      const s = sectionOf(doc, 'releases');
      const detail = tableRows(s).slice(1, -1);
      const dims: readonly [string, number][] = [
        ['By purpose', 2],
        ['By level', 3],
        ['By channel', 4],
      ];
      for (const [title, d] of dims) {
        const rows = tableRows(s, `<h3>${title}</h3><table>`);
        for (const row of rows.slice(1, -1))
          for (const [col, dcol] of [
            [1, 6],
            [2, 7],
          ] as const)
            if (isNum(row[col]!))
              expect(
                detail.filter((x) => x[d] === row[0]).every((x) => isNum(x[dcol]!)),
                `seed ${seed} ${title} ${row[0]}`,
              ).toBe(true);
        const total = rows.at(-1)!;
        for (const [col, dcol] of [
          [1, 6],
          [2, 7],
        ] as const)
          if (isNum(total[col]!)) expect(detail.every((x) => isNum(x[dcol]!))).toBe(true);
      }
    }
    // The generator really produced both hidden cells and printed totals.
    expect(suppressedSeen).toBeGreaterThan(50);
    expect(totalsShown).toBeGreaterThan(50);
  });
});
