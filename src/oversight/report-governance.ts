/**
 * The accountability sections of the transparency report: retention (crypto-shredding),
 * governance (agreement activations) and proportionality per agreement (levels, waivers,
 * pauses, disputes, sanctions, findings). Retention counts follow the same suppression as the
 * flow sections (objects are intelligence volumes); proportionality counts do not: a raise, a
 * waiver, a pause or a sanction is an act of governance the report exists to account for, not
 * intelligence, and "<5 waivers" would hide exactly what oversight must see. Flags (overdue
 * data, rejected events, anomalies) are raised on the true value, because "there is a problem"
 * must never be hidden — only, where its size is an intelligence volume, its exact size.
 */
import { esc, formatCount, formatWhen, humanDuration } from './report-format.js';
import {
  callout,
  html,
  none,
  section,
  table,
  tdPlain,
  tdText,
  tr,
  type Html,
} from './report-html.js';
import { cellText, cellTd, count } from './report-suppress.js';
import { levelBar, levelColor } from './report-svg.js';
import type { EscalationIndicators, FindingRow, Indicators } from './types.js';

/** Retention: keys and objects shredded, late shreds, and overdue keys (flagged). */
export function retentionSection(ind: Indicators, k: number): Html {
  const r = ind.retention;
  const overdue = r.overdueKeys > 0 || r.overdueObjects > 0;
  const row = (label: string, n: number, flag = false): Html =>
    tr([tdText(label), cellTd(count(n, k), k)], flag && n > 0 ? 'flag' : undefined);
  const body: Html[] = [];
  if (overdue)
    body.push(
      callout(
        'bad',
        'Compliance concern: data kept past its retention deadline',
        html(
          `${cellText(count(r.overdueKeys, k), k)} data key(s), protecting ${cellText(count(r.overdueObjects, k), k)} object(s), were due for destruction before the end of the period and had not been destroyed.`,
        ),
      ),
    );
  else if (r.shreddedLate > 0)
    body.push(
      callout(
        'warn',
        'Some data was destroyed late',
        html(
          `${cellText(count(r.shreddedLate, k), k)} key(s) were destroyed more than the allowed grace after their deadline; none was still overdue at the end of the period.`,
        ),
      ),
    );
  else
    body.push(
      callout(
        'ok',
        'Retention limits kept',
        html('All data due for destruction was destroyed on time.'),
      ),
    );
  body.push(
    table(
      ['Measure', { num: 'Value' }],
      [
        row('Data keys destroyed (shredded)', r.keysShredded),
        row('Objects those keys protected', r.objectsShredded),
        row('Keys destroyed late', r.shreddedLate, true),
        tr([tdText('Longest delay past a deadline'), tdPlain(humanDuration(r.maxShredDelayMs))]),
        row('Keys overdue for destruction', r.overdueKeys, true),
        row('Objects under overdue keys', r.overdueObjects, true),
      ],
    ),
  );
  return section(
    'retention',
    'Retention',
    'Whether shared intelligence was destroyed when its agreed retention time ran out: each batch is encrypted under a key, and destroying the key makes the data unreadable for good.',
    body,
  );
}

/** Governance: agreements (new versions) activated in the period. */
export function governanceSection(ind: Indicators): Html {
  const acts = ind.governance.agreementsActivated;
  const body =
    acts.length === 0
      ? [none('No agreement or amendment took effect in the period.')]
      : [
          table(
            ['Agreement', { num: 'Version' }, { num: 'In force from' }],
            acts.map((a) =>
              tr([
                tdText(a.agreementId, true),
                tdPlain(String(a.version)),
                tdPlain(formatWhen(a.at)),
              ]),
            ),
          ),
        ];
  return section(
    'governance',
    'Governance',
    'Which agreements, or new versions of them signed by the partners, took effect during the period.',
    body,
  );
}

const FINDING_TEXT: Readonly<Record<FindingRow['kind'], string>> = {
  'review-overdue': 'waiver review overdue',
  'review-filed-late': 'waiver review filed late',
};

/** Share of the period, one decimal (a duration ratio, not a count). */
function share(ms: number, periodMs: number): string {
  return periodMs > 0 ? `${(Math.round((ms / periodMs) * 1000) / 10).toFixed(1)} %` : '—';
}

/** One agreement's proportionality record. */
function agreementBlock(e: EscalationIndicators, periodMs: number): Html {
  const legend = e.levels
    .map(
      (l, i) =>
        `<li><span class="swatch" style="background:${levelColor(i)}"></span>${esc(l.level)}: ${esc(humanDuration(l.ms))} (${esc(share(l.ms, periodMs))})</li>`,
    )
    .join('');
  // Acts of governance are counted exactly (see the module comment).
  const exact = (n: number): string => formatCount(n);
  const c = (label: string, n: number, flag = false): Html =>
    tr([tdText(label), tdPlain(exact(n))], flag && n > 0 ? 'flag' : undefined);
  const rows = [
    c('Level raised', e.raised),
    c('Raise renewed', e.renewed),
    c('Level lowered', e.lowered),
    c('Raise ended by its time limit (sunset)', e.sunsets),
    c('Waivers requested', e.waivers.requested),
    c('Waivers in effect at some time', e.waivers.active),
    c('Waivers closed early', e.waivers.closedEarly),
    c('Waiver reviews filed', e.waivers.reviewsFiled),
    c('Pauses started', e.pauses.started),
    c('Pauses ended', e.pauses.resumed),
    tr([tdText('Time paused'), tdPlain(humanDuration(e.pauses.pausedMs))]),
    c('Disputes opened', e.disputesOpened),
    c('Sanctions applied', e.sanctionsApplied),
    c('Certifications revoked', e.certificationsRevoked),
    c('Risk ratings published', e.riskRatingsPublished),
    c('Events the record refused', e.rejectedEvents, true),
    c('Anomalies (receipts that disagreed with the record)', e.anomalies, true),
  ];
  const body: Html[] = [
    html(
      `<section class="agreement"><h3>Agreement <span class="id">${esc(e.agreementId)}</span></h3>`,
    ),
    html(
      `<p>Cooperation level at the end of the period: <strong>${esc(e.levelAtEnd)}</strong></p>`,
    ),
    html(levelBar(e.levels, periodMs)),
    html(`<ul class="legend-list">${legend}</ul>`),
  ];
  if (e.rejectedEvents > 0 || e.anomalies > 0)
    body.push(
      callout(
        'bad',
        'Irregularities to examine',
        html(
          `${exact(e.rejectedEvents)} event(s) were refused when the record was replayed and ${exact(e.anomalies)} receipt(s) disagreed with it.`,
        ),
      ),
    );
  body.push(table(['Event', { num: 'Count' }], rows));
  body.push(html('<h4>Findings</h4>'));
  body.push(
    e.findings.length === 0
      ? none('No findings.')
      : table(
          ['Finding', 'Waiver', { num: 'Due' }, { num: 'Filed' }],
          e.findings.map((f) =>
            tr(
              [
                tdText(FINDING_TEXT[f.kind] ?? f.kind),
                tdText(f.waiver, true),
                tdPlain(formatWhen(f.due)),
                tdPlain(f.filedAt === undefined ? 'not filed' : formatWhen(f.filedAt)),
              ],
              'flag',
            ),
          ),
        ),
  );
  body.push(html('</section>'));
  return html(body.join(''));
}

/** Proportionality per agreement. */
export function proportionalitySection(ind: Indicators): Html {
  const periodMs = ind.period.to - ind.period.from;
  const body =
    ind.escalation.length === 0
      ? [none('No agreement was in force on this node during the period.')]
      : ind.escalation.map((e) => agreementBlock(e, periodMs));
  return section(
    'proportionality',
    'Proportionality',
    'Whether extraordinary measures stayed exceptional and short: how long each agreement spent at each cooperation level, and how often levels were raised, waivers granted, sharing paused, and disputes, sanctions or findings arose.',
    body,
  );
}
