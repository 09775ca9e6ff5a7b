/**
 * The flow sections of the transparency report: contributions, releases, burden sharing,
 * timeliness and federation — and the suppressed figures they share with the summary.
 *
 * Linked figures are computed once, here ({@link flowFigures}), from the finest table each
 * appears in, so the same figure is hidden everywhere it appears: a producer's total in the
 * contributions table is the burden table's "contributed"; a party's releases added up are
 * its "received"; the releases by party, purpose, level and channel all add up the detailed
 * release table (a breakdown figure is a total of detailed rows, so it is hidden when one of
 * them is). Were the breakdowns suppressed each on its own, a fully shown breakdown would
 * give away the grand total that another one hides.
 */
import { esc, humanDuration } from './report-format.js';
import { html, none, section, table, tdPlain, tdText, tr, type Html } from './report-html.js';
import { cellTd, count, sum, total, type Cell } from './report-suppress.js';
import { pairedBarChart } from './report-svg.js';
import type { Indicators, ReleaseRow } from './types.js';

/** TLP 2.0 markings in order of restriction; any other value follows, sorted. */
const TLP_ORDER = ['clear', 'green', 'amber', 'amber+strict', 'red', 'none'] as const;

/**
 * A detailed release row: the indicators' rows for one party, agency, purpose, level and
 * channel added up across agreements. Raw values: they reach the page only through
 * {@link count} and {@link total}.
 */
export type ReleaseCell = Omit<ReleaseRow, 'agreementId'>;

/** Suppressed figures shared between sections. */
export interface FlowFigures {
  /** TLP columns of the contributions table, in order. */
  readonly tlps: readonly string[];
  /** The detailed release table, sorted by its key. */
  readonly releaseRows: readonly ReleaseCell[];
  /** Grand totals: the headline figures, and the total rows of the tables they close. */
  readonly contributed: Cell;
  readonly released: Cell;
  readonly withheld: Cell;
  readonly calls: Cell;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Computes the detailed release rows and the grand totals (see the module comment). */
export function flowFigures(ind: Indicators, k: number): FlowFigures {
  const present = new Set(ind.contributions.flatMap((c) => Object.keys(c.byTlp)));
  const known: readonly string[] = TLP_ORDER;
  const tlps = [
    ...TLP_ORDER.filter((t) => present.has(t)),
    ...[...present].filter((t) => !known.includes(t)).sort(compare),
  ];
  const byKey = new Map<string, { -readonly [K in keyof ReleaseCell]: ReleaseCell[K] }>();
  for (const r of ind.releases) {
    // null and '' are different parties: the key keeps them apart.
    const key = JSON.stringify([r.party, r.agency, r.purpose, r.level, r.channel]);
    let c = byKey.get(key);
    if (c === undefined) {
      const { party, agency, purpose, level, channel } = r;
      c = { party, agency, purpose, level, channel, calls: 0, objects: 0, withheld: 0 };
      byKey.set(key, c);
    }
    c.calls += r.calls;
    c.objects += r.objects;
    c.withheld += r.withheld;
  }
  const releaseRows = [...byKey.entries()].sort((a, b) => compare(a[0], b[0])).map(([, c]) => c);
  const allTlp = ind.contributions.flatMap((c) => tlps.map((t) => c.byTlp[t] ?? 0));
  const col = (f: (r: ReleaseCell) => number): Cell =>
    total(sum(releaseRows.map(f)), releaseRows.map(f), k);
  return {
    tlps,
    releaseRows,
    contributed: total(sum(ind.contributions.map((c) => c.objects)), allTlp, k),
    released: col((r) => r.objects),
    withheld: col((r) => r.withheld),
    calls: col((r) => r.calls),
  };
}

/** Contributions per producer, by TLP marking, with row and column totals. */
export function contributionsSection(ind: Indicators, f: FlowFigures, k: number): Html {
  const body: Html[] = [];
  if (ind.contributions.length === 0) body.push(none('No objects were contributed in the period.'));
  else {
    const rows = ind.contributions.map((c) => {
      const parts = f.tlps.map((t) => c.byTlp[t] ?? 0);
      return tr([
        tdText(c.producer, true),
        ...parts.map((n) => cellTd(count(n, k), k)),
        cellTd(total(c.objects, parts, k), k),
      ]);
    });
    const columns = f.tlps.map((t) => {
      const parts = ind.contributions.map((c) => c.byTlp[t] ?? 0);
      return cellTd(total(sum(parts), parts, k), k);
    });
    const foot = tr(
      [html('<th scope="row">Total</th>'), ...columns, cellTd(f.contributed, k)],
      'total',
    );
    body.push(
      table(
        ['Producer', ...f.tlps.map((t) => ({ num: `TLP:${t.toUpperCase()}` })), { num: 'Total' }],
        rows,
        foot,
      ),
    );
  }
  return section(
    'contributions',
    'Contributions',
    'How many pieces of threat intelligence each partner contributed to this node, by how sensitive the sender marked them (TLP).',
    body,
  );
}

/**
 * A breakdown of the detailed release rows by one dimension; every figure is a total.
 * Grouped by the raw key (null apart from any string), labelled for the reader.
 */
function breakdown(
  f: FlowFigures,
  title: string,
  keyOf: (r: ReleaseCell) => string | null,
  k: number,
): Html {
  const groups = new Map<string, { label: string; rows: ReleaseCell[] }>();
  for (const r of f.releaseRows) {
    const key = keyOf(r);
    const id = JSON.stringify(key);
    const g = groups.get(id);
    if (g === undefined) groups.set(id, { label: key ?? '(no party)', rows: [r] });
    else g.rows.push(r);
  }
  const rows = [...groups.entries()]
    .sort((a, b) => compare(a[0], b[0]))
    .map(([, g]) => {
      const o = g.rows.map((r) => r.objects);
      const w = g.rows.map((r) => r.withheld);
      return tr([
        tdText(g.label, true),
        cellTd(total(sum(o), o, k), k),
        cellTd(total(sum(w), w, k), k),
      ]);
    });
  const foot = tr(
    [html('<th scope="row">Total</th>'), cellTd(f.released, k), cellTd(f.withheld, k)],
    'total',
  );
  const head = title.replace(/^By /, '');
  const cap = head.charAt(0).toUpperCase() + head.slice(1);
  return html(
    `<h3>${esc(title)}</h3>${table([cap, { num: 'Released' }, { num: 'Withheld' }], rows, foot)}`,
  );
}

/** Releases: the detailed table, then breakdowns by party, purpose, level and channel. */
export function releasesSection(f: FlowFigures, k: number): Html {
  const body: Html[] = [];
  if (f.releaseRows.length === 0)
    body.push(none('Nothing was released or withheld in the period.'));
  else {
    const rows = f.releaseRows.map((r) =>
      tr([
        tdText(r.party ?? '(no party)', true),
        tdText(r.agency, true),
        tdText(r.purpose),
        tdText(r.level),
        tdText(r.channel),
        cellTd(count(r.calls, k), k),
        cellTd(count(r.objects, k), k),
        cellTd(count(r.withheld, k), k),
      ]),
    );
    const foot = tr(
      [
        html('<th scope="row" colspan="5">Total</th>'),
        cellTd(f.calls, k),
        cellTd(f.released, k),
        cellTd(f.withheld, k),
      ],
      'total',
    );
    const headers = ['Party', 'Agency', 'Purpose', 'Level', 'Channel'];
    body.push(
      html('<h3>In detail</h3>'),
      table(
        [...headers, { num: 'Requests' }, { num: 'Released' }, { num: 'Withheld' }],
        rows,
        foot,
      ),
      breakdown(f, 'By party', (r) => r.party, k),
      breakdown(f, 'By purpose', (r) => r.purpose, k),
      breakdown(f, 'By level', (r) => r.level, k),
      breakdown(f, 'By channel', (r) => r.channel, k),
      html(
        '<p class="notes">“Released” counts object versions sent to partner agencies; “withheld” counts objects the agreement did not allow to be sent. A breakdown figure adds up rows of the detailed table, so it shows “—” when one of those rows is hidden.</p>',
      ),
    );
  }
  return section(
    'releases',
    'Releases',
    'What this node sent to partner agencies, and what it held back because the agreement did not allow it, by who asked, why, at which cooperation level and how.',
    body,
  );
}

/** Burden sharing: contributed vs received per party, as a table and a paired bar chart. */
export function burdenSection(ind: Indicators, f: FlowFigures, k: number): Html {
  const rows = ind.burden.map((b) => {
    const producer = ind.contributions.find((c) => c.producer === b.party);
    const tlpParts = producer === undefined ? [] : f.tlps.map((t) => producer.byTlp[t] ?? 0);
    const received = f.releaseRows.filter((r) => r.party === b.party).map((r) => r.objects);
    return {
      label: b.party,
      a: total(b.contributed, tlpParts, k),
      b: total(b.received, received, k),
    };
  });
  const body: Html[] =
    rows.length === 0
      ? [none('No party contributed or received anything in the period.')]
      : [
          html(pairedBarChart(rows, ['contributed', 'received'], k, 'burden')),
          table(
            ['Party', { num: 'Contributed' }, { num: 'Received' }],
            rows.map((r) => tr([tdText(r.label, true), cellTd(r.a, k), cellTd(r.b, k)])),
          ),
        ];
  return section(
    'burden',
    'Burden sharing',
    'Whether each partner gives about as much as it gets: objects it contributed to this node against objects this node released to its agencies.',
    body,
  );
}

/** Timeliness per receiving party: ingest to first release. */
export function timelinessSection(ind: Indicators, k: number): Html {
  const body =
    ind.timeliness.length === 0
      ? [none('No first releases with a known ingest time in the period.')]
      : [
          table(
            [
              'Party',
              { num: 'Releases' },
              { num: 'Median' },
              { num: '90th percentile' },
              { num: 'Slowest' },
            ],
            ind.timeliness.map((t) =>
              tr([
                tdText(t.party, true),
                cellTd(count(t.releases, k), k),
                tdPlain(humanDuration(t.medianMs)),
                tdPlain(humanDuration(t.p90Ms)),
                tdPlain(humanDuration(t.maxMs)),
              ]),
            ),
          ),
        ];
  return section(
    'timeliness',
    'Timeliness',
    'How quickly intelligence reached each partner: the time from its arrival at this node to its first release to that partner (half were faster than the median, nine in ten faster than the 90th percentile).',
    body,
  );
}

/** Federation: signed receipts per peer. */
export function federationSection(ind: Indicators, k: number): Html {
  const body =
    ind.federation.length === 0
      ? [none('No signed receipts were exchanged with other nodes in the period.')]
      : [
          table(
            [
              'Peer',
              { num: 'Receipts issued' },
              { num: 'Objects received' },
              { num: 'Receipts acknowledged' },
              { num: 'Objects acknowledged' },
            ],
            ind.federation.map((r) =>
              tr([
                tdText(r.peer, true),
                cellTd(count(r.receiptsIssued, k), k),
                cellTd(count(r.objectsReceived, k), k),
                cellTd(count(r.receiptsAcknowledged, k), k),
                cellTd(count(r.objectsAcknowledged, k), k),
              ]),
            ),
          ),
        ];
  return section(
    'federation',
    'Federation',
    'The signed receipts this node and each partner node gave each other, so that neither can later deny what was handed over.',
    body,
  );
}
