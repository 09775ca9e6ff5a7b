/**
 * The quarterly transparency report: one self-contained HTML5 document (inline CSS and
 * SVG, no script, no external reference) that prints cleanly to A4 PDF from a browser.
 *
 * Redacted by construction: the renderer reads only {@link Indicators} — aggregates of
 * ledger metadata — so there is no intelligence content it could leak. Counts are
 * suppressed by the rules in `report-suppress.ts`, ids are escaped, and the output depends
 * only on the input (no clock, no random ids), so two renders of the same input are equal.
 */
import type { LedgerVerification } from '../ledger/index.js';
import { esc, formatCount, formatWhen, periodLabel } from './report-format.js';
import {
  burdenSection,
  contributionsSection,
  federationSection,
  flowFigures,
  releasesSection,
  timelinessSection,
  type FlowFigures,
} from './report-flows.js';
import {
  governanceSection,
  proportionalitySection,
  retentionSection,
} from './report-governance.js';
import { callout, html, section, type Html } from './report-html.js';
import { cellText, count, suppressionNote, threshold, type Cell } from './report-suppress.js';
import { REPORT_CSS } from './report-style.js';
import type { Indicators } from './types.js';

/** What the report says about the node and how it suppresses; see {@link renderTransparencyReport}. */
export interface ReportOptions {
  /** The node / ledger origin, e.g. `concordat.arv.node`. */
  readonly node: string;
  /** The node's party id. */
  readonly party?: string;
  /** Default `Transparency report — <quarter or period>`. */
  readonly title?: string;
  /** When the report was generated, epoch ms — from the injected Clock, never `Date.now()`. */
  readonly generatedAt: number;
  /** Counts 1..k−1 are printed `<k` (0 stays 0). Default 5. */
  readonly suppressBelow?: number;
  /**
   * The result of verifying the ledger the indicators came from. Absent means not verified,
   * and the report says so. Size, root and checkpoint count are verification parameters,
   * not counts of activity, so they are printed as they are.
   */
  readonly verification?: {
    readonly ok: boolean;
    readonly size: number;
    readonly root: string;
    readonly checkpoints: number;
    readonly breakAt?: string;
  };
}

/**
 * The report's verification line from a ledger verification: size, root (hex) and checkpoints
 * when it verified, else where it broke. `total` is the size the store or file claimed.
 */
export function reportVerification(
  v: LedgerVerification,
  total: number,
): NonNullable<ReportOptions['verification']> {
  return v.ok
    ? {
        ok: true,
        size: v.size,
        root: Buffer.from(v.root).toString('hex'),
        checkpoints: v.checkpoints,
      }
    : { ok: false, size: total, root: '', checkpoints: 0, breakAt: v.break.message };
}

/** A headline figure box. */
function figure(label: string, value: Html, flag = false): Html {
  return html(
    `<div class="figure${flag ? ' flagged' : ''}"><span class="value">${value}</span><span class="label">${esc(label)}</span></div>`,
  );
}

function verificationCallout(v: ReportOptions['verification']): Html {
  if (v === undefined)
    return callout(
      'warn',
      'Ledger not verified for this report',
      html(
        'This report was produced without checking the node’s ledger against its signed checkpoints. Its figures are as the node computed them; verify the ledger (see “How to verify” below) before relying on them.',
      ),
    );
  const where = `size ${formatCount(v.size)}, root <code>${esc(v.root)}</code>`;
  if (!v.ok)
    return callout(
      'bad',
      'Ledger verification FAILED',
      html(
        `The ledger did not match its signed checkpoints${v.breakAt === undefined ? '' : ` (first break: <code>${esc(v.breakAt)}</code>)`}. The figures in this report cannot be trusted until the cause is established. Checked: ${where}.`,
      ),
    );
  return callout(
    'ok',
    'Ledger verified',
    html(
      `The ledger matched its ${esc(formatCount(v.checkpoints))} signed checkpoint(s): ${where}.`,
    ),
  );
}

function summarySection(
  ind: Indicators,
  o: ReportOptions,
  f: FlowFigures,
  k: number,
  label: string,
): Html {
  const r = ind.retention;
  const overdue: Cell = count(r.overdueKeys, k);
  const levels = ind.escalation
    .map((e) => `<li><span class="id">${esc(e.agreementId)}</span>: ${esc(e.levelAtEnd)}</li>`)
    .join('');
  const seq =
    ind.ledger.firstSeq === null ||
    ind.ledger.lastSeq === null ||
    count(ind.ledger.entries, k).kind !== 'shown'
      ? ''
      : ` (entries ${ind.ledger.firstSeq} to ${ind.ledger.lastSeq})`;
  const body: Html[] = [
    html(
      `<p>Period: <strong>${esc(label)}</strong> — from ${esc(formatWhen(ind.period.from))} up to (not including) ${esc(formatWhen(ind.period.to))}. Node <span class="id">${esc(o.node)}</span>${o.party === undefined ? '' : `, party <span class="id">${esc(o.party)}</span>`}.</p>`,
    ),
    verificationCallout(o.verification),
    html('<div class="figures">'),
    figure(`ledger entries in the period${seq}`, cellText(count(ind.ledger.entries, k), k)),
    figure('objects contributed', cellText(f.contributed, k)),
    figure('objects released', cellText(f.released, k)),
    figure('objects withheld', cellText(f.withheld, k)),
    figure('keys overdue for destruction', cellText(overdue, k), r.overdueKeys > 0),
    html('</div>'),
  ];
  if (r.overdueKeys > 0 || r.overdueObjects > 0)
    body.push(
      callout(
        'bad',
        'Compliance concern',
        html('Data was kept past its retention deadline: see Retention below.'),
      ),
    );
  if (levels !== '')
    body.push(html(`<p>Cooperation level at the end of the period:</p><ul>${levels}</ul>`));
  return section(
    'summary',
    'Summary',
    'What this report covers, whether the record it is built from was checked, and the main figures.',
    body,
  );
}

function howToVerify(ind: Indicators, o: ReportOptions, k: number): Html {
  const v = o.verification;
  const head =
    v === undefined
      ? '<p>No verified ledger root was supplied with this report; ask the node for its latest signed checkpoint.</p>'
      : `<p>Ledger <span class="id">${esc(o.node)}</span> — size <strong>${esc(formatCount(v.size))}</strong>, root <code>${esc(v.root)}</code>.</p>`;
  return html(
    `<footer id="verify"><h2>How to verify</h2><p class="explain">Anyone holding the node’s signed checkpoints and its public key can check this report’s source without seeing any intelligence.</p>${head}` +
      '<p>An oversight body can ask the node for a proof that a ledger entry is included under a signed checkpoint (<code>concordat ledger prove SEQ --size N</code>, or <code>GET /api/v1/ledger/proof/inclusion?seq=SEQ&amp;size=N</code>) and that a later checkpoint extends an earlier one without rewriting it (<code>concordat ledger consistency OLD NEW</code>, or <code>GET /api/v1/ledger/proof/consistency?from=OLD&amp;to=NEW</code>); signed checkpoints are at <code>GET /api/v1/ledger/checkpoints</code>. Proofs follow RFC 6962 and checkpoints the C2SP tlog-checkpoint format.</p>' +
      `<p class="notes">${suppressionNote(k)}</p>` +
      `<p class="notes">Generated ${esc(formatWhen(o.generatedAt))} for the period ${esc(formatWhen(ind.period.from))} – ${esc(formatWhen(ind.period.to))} (end excluded).</p></footer>`,
  );
}

/**
 * Renders the transparency report for one period as a complete HTML5 document.
 *
 * Suppression (see `report-suppress.ts`): counts 1..k−1 print `<k`; a total, subtotal,
 * headline figure or linked figure prints only when every figure it adds up prints,
 * otherwise `—` (the "suppress the total" rule, chosen over complementary cell suppression
 * because it leaves nothing to subtract). Charts draw the same cells. Every string from the
 * indicators is HTML-escaped. The output is a pure function of the arguments.
 */
export function renderTransparencyReport(indicators: Indicators, options: ReportOptions): string {
  const k = threshold(options.suppressBelow);
  const label = periodLabel(indicators.period);
  const title = options.title ?? `Transparency report — ${label}`;
  const f = flowFigures(indicators, k);
  const sections = [
    summarySection(indicators, options, f, k, label),
    contributionsSection(indicators, f, k),
    releasesSection(f, k),
    burdenSection(indicators, f, k),
    timelinessSection(indicators, k),
    federationSection(indicators, k),
    retentionSection(indicators, k),
    governanceSection(indicators),
    proportionalitySection(indicators),
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Defence in depth: even if an id escaped the escaping, nothing could load or run.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="generator" content="concordat">',
    `<title>${esc(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${esc(title)}</h1><p class="meta">Node <span class="id">${esc(options.node)}</span> · generated ${esc(formatWhen(options.generatedAt))}</p></header>`,
    `<main>${sections.join('\n')}</main>`,
    howToVerify(indicators, options, k),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
