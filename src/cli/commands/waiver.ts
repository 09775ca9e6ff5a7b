/**
 * `concordat waiver request|approve|list|close|review`: temporary, bounded waivers during
 * severe incidents (docs/spec/escalation.md "Waivers"). A request the agreement forbids — a
 * party constraint, a core or extension never-release rule, a never-waive rule, a duration over
 * the maximum — is refused with every clause that forbids it and is not written.
 */
import type { Command } from 'commander';
import { waiverStatus } from '../../escalation/index.js';
import type { EscalationState, WaiverRecord } from '../../escalation/index.js';
import type { PersonalData, RsitClass, Tlp } from '../../agreement/index.js';
import { action, type CommandContext, type RunState } from '../context.js';
import type { CliIo } from '../io.js';
import type { RecordResult } from '../../node/index.js';
import {
  addEscalationOptions,
  countdown,
  instantOption,
  iso,
  printWritten,
  signAndApprove,
  withEscalation,
  writtenView,
} from './level-shared.js';
import type { EscalationOptions } from './level-shared.js';

interface RequestOptions extends EscalationOptions {
  agency: string[];
  types: string[];
  tlp: string[];
  purpose: string[];
  personalData: string[];
  rsit?: string[];
  duration: string;
  retention: string;
  justification: string;
  by?: string;
}

/** Default retention of what a waiver releases (the core's and the parties' caps still apply). */
const DEFAULT_RETENTION = 'P30D';

function report(ctx: CommandContext, result: RecordResult, line: string): void {
  if (ctx.json) {
    const w = result.state.waivers.find(
      (x) =>
        x.id === result.event.id ||
        ('waiver' in result.event && x.id === result.event.waiver) ||
        (result.event.type === 'approval' && x.id === result.event.subject.id),
    );
    ctx.emitJson({
      ...writtenView(result),
      ...(w === undefined ? {} : { waiver: waiverJson(w, result.state, result.event.at) }),
    });
    return;
  }
  ctx.line(line);
  printWritten(ctx, result);
}

function waiverJson(w: WaiverRecord, s: EscalationState, at: number) {
  const status = waiverStatus(w, at);
  const review = s.current.reviews.find((r) => r.waiver === w.id);
  const finding = s.current.findings.find((f) => f.waiver === w.id);
  return {
    id: w.id,
    status,
    requestedAt: iso(w.requestedAt),
    requestedBy: w.requestedBy,
    justification: w.justification,
    scope: w.scope,
    duration: w.duration,
    retention: w.retention,
    approvals: w.approvals.map((a) => ({
      official: a.official,
      party: a.party ?? null,
      at: iso(a.at),
      valid: a.problems.length === 0,
      problems: a.problems,
    })),
    ...(status === 'pending' ? { lapsesAt: iso(w.lapsesAt) } : {}),
    ...(w.from === undefined ? {} : { from: iso(w.from) }),
    ...(w.expires === undefined ? {} : { expires: iso(w.expires) }),
    ...(w.closedAt === undefined ? {} : { closedAt: iso(w.closedAt) }),
    ...(review === undefined ? {} : { review: { due: iso(review.due), overdue: review.overdue } }),
    ...(w.reviewFiledAt === undefined
      ? {}
      : { reviewFiled: { at: iso(w.reviewFiledAt), ref: w.reviewRef ?? '' } }),
    ...(finding === undefined ? {} : { finding: finding.kind }),
  };
}

/** Registers `concordat waiver …`. */
export function registerWaiverCommands(program: Command, io: CliIo, state: RunState): void {
  const waiver = program
    .command('waiver')
    .description('request, approve, list and close temporary waivers')
    .helpCommand(false);

  addEscalationOptions(
    waiver
      .command('request')
      .description('request a temporary waiver (checked against the agreement at once)')
      .requiredOption('--agency <id...>', 'receiving agencies')
      .requiredOption('--types <type...>', 'STIX types it may release')
      .requiredOption('--tlp <label...>', 'TLP labels it may release')
      .requiredOption('--purpose <id...>', 'purposes it may release for')
      .option('--personal-data <category...>', 'personal-data categories (default: none)', ['none'])
      .option('--rsit <class...>', 'RSIT classes (default: any)')
      .requiredOption('--duration <iso>', 'how long once approved, e.g. PT48H')
      .option(
        '--retention <iso>',
        `retention of what it releases (default ${DEFAULT_RETENTION})`,
        DEFAULT_RETENTION,
      )
      .requiredOption(
        '--justification <text>',
        'why (at most 400 characters; reference your case file, never intelligence)',
      )
      .option('--by <actor>', "the requesting party or official (default: the node's party)"),
  )
    .addHelpText(
      'after',
      `
A request is refused, and nothing written, when the agreement has no waiver policy, the
duration exceeds its maximum, or any release in the scope could match a party constraint, a
never-release or a never-waive rule; every such clause is named with its file:line:column.
Approve it with \`concordat waiver approve ID\`; it expires by itself, and a post-incident
review falls due after it ends.

Example:
  $ concordat waiver request --agency BOR-FININT --types indicator --tlp amber \\
      --purpose incident-response --duration PT48H --justification "hospital outbreak, case 17"`,
    )
    .action(
      action(io, state, async (ctx, opts: RequestOptions) => {
        const result = await withEscalation(ctx, opts, (esc, node) =>
          esc.record({
            type: 'waiver-requested',
            actor: opts.by ?? node.config.party,
            justification: opts.justification,
            scope: {
              agencies: opts.agency,
              grants: {
                types: opts.types,
                tlp: opts.tlp as Tlp[],
                purposes: opts.purpose,
                personalData: opts.personalData as PersonalData[],
                ...(opts.rsit === undefined ? {} : { rsit: opts.rsit as RsitClass[] }),
              },
            },
            duration: opts.duration,
            retention: opts.retention,
          }),
        );
        report(
          ctx,
          result,
          `${ctx.style.green('requested')} waiver ${result.event.id}; approve with \`concordat waiver approve ${result.event.id} --official O --key KEY.pem\``,
        );
      }),
    );

  addEscalationOptions(
    waiver
      .command('approve')
      .description("sign and record an official's approval of a waiver request")
      .argument('<id>', 'the waiver request id')
      .requiredOption('--official <id>', 'the designated official approving')
      .requiredOption('--key <file>', "the official's Ed25519 private key (PKCS#8 PEM)"),
  ).action(
    action(
      io,
      state,
      async (ctx, id: string, opts: EscalationOptions & { official: string; key: string }) => {
        const result = await withEscalation(ctx, opts, (esc) =>
          signAndApprove(ctx, esc, id, opts.official, opts.key, 'waiver'),
        );
        const w = result.state.waivers.find((x) => x.id === id);
        report(
          ctx,
          result,
          w?.from !== undefined && w.expires !== undefined
            ? `${ctx.style.green('approved')} by ${opts.official}: waiver ${id} active from ${iso(w.from)} until ${iso(w.expires)}`
            : `${ctx.style.green('approved')} by ${opts.official}: waiver ${id} still pending`,
        );
      },
    ),
  );

  addEscalationOptions(
    waiver
      .command('list')
      .description('every waiver with its status, countdowns and review deadlines')
      .option('--at <time>', 'as it stood at this instant (RFC 3339; default now)'),
  ).action(
    action(io, state, async (ctx, opts: EscalationOptions & { at?: string }) => {
      const at = instantOption(ctx, opts.at);
      const rows = await withEscalation(ctx, opts, async (esc) => {
        const s = esc.stateAt(at);
        return s.waivers.map((w) => waiverJson(w, s, at));
      });
      const overdue = rows.filter((r) => r.review?.overdue === true).length;
      if (ctx.json) {
        ctx.emitJson({ at: iso(at), waivers: rows, overdueReviews: overdue });
        return;
      }
      const { style } = ctx;
      if (rows.length === 0) ctx.line(`no waivers at ${iso(at)}`);
      for (const r of rows) {
        ctx.line(
          `${style.bold(r.id)}  ${r.status}  ${r.scope.agencies.join(',')}  ${r.scope.grants.types.join(',')} ${r.scope.grants.tlp.join(',')}  ${r.duration}`,
        );
        if (r.status === 'pending')
          ctx.line(
            `  ${r.approvals.filter((a) => a.valid).length} valid approval(s); lapses ${r.lapsesAt ?? '?'} (${countdown(at, Date.parse(r.lapsesAt ?? ''))})`,
          );
        if (r.status === 'active' && r.expires !== undefined)
          ctx.line(
            `  active since ${r.from ?? '?'}; expires ${r.expires} (${countdown(at, Date.parse(r.expires))})`,
          );
        if (r.review !== undefined)
          ctx.line(
            r.review.overdue
              ? style.red(
                  `  post-incident review OVERDUE since ${r.review.due} (compliance finding)`,
                )
              : `  post-incident review due ${r.review.due} (${countdown(at, Date.parse(r.review.due))})`,
          );
        if (r.reviewFiled !== undefined)
          ctx.line(
            `  review filed ${r.reviewFiled.at}${r.finding === 'review-filed-late' ? style.yellow(' (late)') : ''}`,
          );
      }
      if (overdue > 0) ctx.line(style.red(`${overdue} overdue post-incident review(s)`));
    }),
  );

  addEscalationOptions(
    waiver
      .command('close')
      .description('end an active waiver early, or withdraw a pending request')
      .argument('<id>', 'the waiver id')
      .option('--reason <text>', 'why (at most 400 characters)', 'closed by the operator')
      .option('--by <actor>', "the closing party or official (default: the node's party)"),
  ).action(
    action(
      io,
      state,
      async (ctx, id: string, opts: EscalationOptions & { reason: string; by?: string }) => {
        const result = await withEscalation(ctx, opts, (esc, node) =>
          esc.record({
            type: 'waiver-closed',
            actor: opts.by ?? node.config.party,
            waiver: id,
            reason: opts.reason,
          }),
        );
        report(ctx, result, `${ctx.style.green('closed')} waiver ${id} at ${iso(result.event.at)}`);
      },
    ),
  );

  addEscalationOptions(
    waiver
      .command('review')
      .description("file an ended waiver's post-incident review (by reference)")
      .argument('<id>', 'the waiver id')
      .requiredOption('--report <ref>', 'hash or id of the review document')
      .option('--by <actor>', "the filing party or official (default: the node's party)"),
  ).action(
    action(
      io,
      state,
      async (ctx, id: string, opts: EscalationOptions & { report: string; by?: string }) => {
        const result = await withEscalation(ctx, opts, (esc, node) =>
          esc.record({
            type: 'waiver-review-filed',
            actor: opts.by ?? node.config.party,
            waiver: id,
            reportRef: opts.report,
          }),
        );
        report(ctx, result, `${ctx.style.green('filed')} the review of waiver ${id}`);
      },
    ),
  );
}
