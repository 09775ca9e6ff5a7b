/**
 * `concordat oversight …`: what an oversight body reads about this node, from its ledger
 * alone — `indicators` (a summary, or the full figures with `--json`) and `report` (the
 * self-contained HTML transparency report of a quarter). docs/oversight.md defines each figure.
 */
import type { Command } from 'commander';
import { ConcordatError, formatInstant } from '../../core/index.js';
import {
  periodFrom,
  previousQuarter,
  quarterOf,
  quarterPeriod,
  renderTransparencyReport,
} from '../../oversight/index.js';
import type { Indicators, Period } from '../../oversight/index.js';
import { action, type CommandContext, type RunState } from '../context.js';
import type { CliIo } from '../io.js';
import { addConfigOption } from '../node-open.js';
import { readSource } from './oversight-sources.js';
import { registerOversightWitness } from './oversight-witness.js';
import type { SourceOptions } from './oversight-sources.js';

interface PeriodOptions extends SourceOptions {
  readonly quarter?: string;
  readonly from?: string;
  readonly to?: string;
}

function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function withPeriodOptions(cmd: Command): Command {
  return addConfigOption(
    cmd
      .option('--quarter <quarter>', 'a calendar quarter, e.g. 2026Q3 (UTC)')
      .option('--from <time>', 'start of the period (RFC 3339, inclusive)')
      .option('--to <time>', 'end of the period (RFC 3339, exclusive)')
      .option(
        '--ledger <file.jsonl>',
        'read an export (`concordat ledger export`) instead of this node',
      )
      .option('--verifier-key <key>', 'with --ledger: the node’s checkpoint verifier key')
      .option(
        '--agreement <file>',
        'with --ledger: an agreement in force (repeat for several)',
        collect,
      )
      .option(
        '--official-keys <file>',
        'with --ledger: officials’ public keys (as in the node config)',
      )
      .option('--window <width>', 'with --ledger: the node’s retention window (hour, day, week)'),
  );
}

/** Refuses to report from a ledger that does not verify. */
function verified(ok: boolean, breakAt: string | undefined): void {
  if (!ok)
    throw new ConcordatError(
      'ERR_LEDGER_INTEGRITY',
      `the ledger does not verify (${breakAt ?? 'unknown break'}): no indicators from it`,
    );
}

/** A human duration: `3 d 4 h`, `2 h 5 min`, `41 s`. */
function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

function range(p: Period): string {
  return `${formatInstant(p.from)} … ${formatInstant(p.to)}`;
}

function printIndicators(ctx: CommandContext, i: Indicators): void {
  const { style } = ctx;
  const sum = <T>(rows: readonly T[], f: (r: T) => number): number =>
    rows.reduce((n, r) => n + f(r), 0);
  ctx.line(`${style.bold('period')}        ${range(i.period)}`);
  ctx.line(
    `${style.bold('ledger')}        ${i.ledger.entries} entries` +
      (i.ledger.firstSeq === null ? '' : ` (#${i.ledger.firstSeq}–#${String(i.ledger.lastSeq)})`),
  );
  ctx.line(
    `${style.bold('contributed')}   ${i.contributions.map((c) => `${c.producer} ${c.objects}`).join(', ') || 'nothing'}`,
  );
  ctx.line(
    `${style.bold('released')}      ${sum(i.releases, (r) => r.objects)} objects in ${sum(i.releases, (r) => r.calls)} calls; ${sum(i.releases, (r) => r.withheld)} withheld`,
  );
  for (const b of i.burden)
    ctx.line(`  ${b.party.padEnd(12)} contributed ${b.contributed}, received ${b.received}`);
  for (const t of i.timeliness)
    ctx.line(
      `${style.bold('timeliness')}    ${t.party}: median ${duration(t.medianMs)}, p90 ${duration(t.p90Ms)} over ${t.releases}`,
    );
  for (const f of i.federation)
    ctx.line(
      `${style.bold('federation')}    ${f.peer}: ${f.receiptsIssued} receipts issued (${f.objectsReceived} objects), ${f.receiptsAcknowledged} acknowledged (${f.objectsAcknowledged})`,
    );
  const r = i.retention;
  const overdue =
    r.overdueKeys > 0
      ? style.red(`${r.overdueKeys} keys OVERDUE (${r.overdueObjects} objects)`)
      : style.green('none overdue');
  ctx.line(
    `${style.bold('retention')}     ${r.keysShredded} keys shredded (${r.objectsShredded} objects), ${r.shreddedLate} late; ${overdue}`,
  );
  for (const a of i.governance.agreementsActivated)
    ctx.line(
      `${style.bold('governance')}    ${a.agreementId} v${a.version} activated ${formatInstant(a.at)}`,
    );
  for (const e of i.escalation) {
    ctx.line(`${style.bold('agreement')}     ${e.agreementId}: level ${e.levelAtEnd} at the end`);
    ctx.line(`  levels      ${e.levels.map((l) => `${l.level} ${duration(l.ms)}`).join(', ')}`);
    ctx.line(
      `  raises      ${e.raised} raised, ${e.renewed} renewed, ${e.lowered} lowered (${e.sunsets} by sunset)`,
    );
    ctx.line(
      `  waivers     ${e.waivers.requested} requested, ${e.waivers.active} active, ${e.waivers.closedEarly} closed early, ${e.waivers.reviewsFiled} reviews filed`,
    );
    ctx.line(
      `  pauses      ${e.pauses.started} started, ${e.pauses.resumed} resumed, ${duration(e.pauses.pausedMs)} paused`,
    );
    ctx.line(
      `  other       ${e.disputesOpened} disputes, ${e.sanctionsApplied} sanctions, ${e.certificationsRevoked} revocations, ${e.riskRatingsPublished} risk ratings`,
    );
    for (const f of e.findings)
      ctx.line(
        `  ${style.red('finding')}     ${f.kind}: waiver ${f.waiver}, due ${formatInstant(f.due)}`,
      );
    if (e.rejectedEvents + e.anomalies > 0)
      ctx.line(
        `  ${style.yellow('attention')}   ${e.rejectedEvents} rejected events, ${e.anomalies} anomalies`,
      );
  }
}

/** Registers `concordat oversight …`. */
export function registerOversightCommands(program: Command, io: CliIo, state: RunState): void {
  const oversight = program
    .command('oversight')
    .description(
      'compliance indicators, transparency reports and witnessing, from the ledger alone',
    )
    .helpCommand(false);
  registerOversightWitness(oversight, io, state);

  withPeriodOptions(
    oversight
      .command('indicators')
      .description('the compliance indicators of a period (default: the current quarter)'),
  )
    .addHelpText(
      'after',
      `
Computed from the node's ledger alone: contributions, releases and withholdings, burden
sharing, timeliness, federation receipts, retention (shreds, overdue keys), governance, and
per agreement the time at each level, raises, waivers, pauses, disputes and findings.
docs/oversight.md defines each figure. --json prints every figure.

Examples:
  $ concordat oversight indicators --quarter 2026Q3
  $ concordat oversight indicators --from 2026-07-01T00:00:00Z --to 2026-08-01T00:00:00Z --json`,
    )
    .action(
      action(io, state, async (ctx, opts: PeriodOptions) => {
        const period = periodFrom(opts, quarterPeriod(quarterOf(ctx.io.clock.now())));
        const source = await readSource(ctx, opts, period);
        verified(source.verification.ok, source.verification.breakAt);
        const { indicators } = source;
        if (ctx.json) ctx.emitJson(indicators);
        else printIndicators(ctx, indicators);
        // Data kept past its deadline is a compliance failure: scripts see it in the exit code.
        if (indicators.retention.overdueKeys > 0) ctx.fail(1);
      }),
    );

  withPeriodOptions(
    oversight
      .command('report')
      .description('write the HTML transparency report of a quarter (default: the last one)')
      .option('--out <file.html>', 'where to write it (default transparency-<period>.html)'),
  )
    .addHelpText(
      'after',
      `
The ledger is verified first; the report states the outcome. The report holds aggregates only,
and counts from 1 to 4 are shown as "<5", so it can be published. One self-contained HTML
file (charts inline, no network); print it to PDF from a browser.

Example:
  $ concordat oversight report --quarter 2026Q3
  wrote transparency-2026Q3.html (2026-07-01T00:00:00.000Z … 2026-10-01T00:00:00.000Z)`,
    )
    .action(
      action(io, state, async (ctx, opts: PeriodOptions & { readonly out?: string }) => {
        const now = ctx.io.clock.now();
        const quarter =
          opts.from === undefined && opts.to === undefined
            ? (opts.quarter ?? previousQuarter(now))
            : undefined;
        const period = periodFrom(
          quarter === undefined ? opts : { quarter },
          quarterPeriod(previousQuarter(now)),
        );
        const name =
          quarter ?? `${formatInstant(period.from)}_${formatInstant(period.to)}`.replace(/:/g, '');
        const out = opts.out ?? `transparency-${name}.html`;
        const source = await readSource(ctx, opts, period);
        // A ledger that does not verify still gets its report — saying so — and exit 1.
        const html = renderTransparencyReport(source.indicators, {
          node: source.origin,
          ...(source.party === undefined ? {} : { party: source.party }),
          generatedAt: now,
          ...(quarter === undefined ? {} : { title: `Transparency report — ${quarter}` }),
          verification: source.verification,
        });
        await ctx.io.fs.writeText(out, html);
        if (!source.verification.ok) ctx.fail(1);
        if (ctx.json)
          ctx.emitJson({ file: out, period, quarter: quarter ?? null, bytes: html.length });
        else ctx.line(`${ctx.style.green('wrote')} ${out} (${range(period)})`);
      }),
    );
}
