/**
 * `concordat level show [--at TIME]` (the cooperation level and why: the trigger, its
 * approvals, since when, the sunset countdown, a lowering under way), `concordat level
 * history [--at TIME]` (every raise, renewal and lowering, replayed from the ledger), and
 * `concordat level lower TRIGGER --official O --key KEY.pem` (a signed lowering by hand).
 */
import type { Command } from 'commander';
import { signApproval } from '../../escalation/index.js';
import type { EscalationState, TriggerEvaluation } from '../../escalation/index.js';
import { usageError } from '../cli-error.js';
import { readInput } from '../input.js';
import { action, type RunState } from '../context.js';
import type { CliIo } from '../io.js';
import {
  addEscalationOptions,
  countdown,
  instantOption,
  iso,
  printWritten,
  withEscalation,
  writtenView,
} from './level-shared.js';
import type { EscalationOptions } from './level-shared.js';

interface AtOptions extends EscalationOptions {
  at?: string;
}

function levelJson(s: EscalationState, evaluations: readonly TriggerEvaluation[], at: number) {
  const { level } = s.current;
  const cause = level.cause;
  const trigger =
    cause === undefined ? undefined : evaluations.find((e) => e.trigger === cause.trigger);
  return {
    agreement: s.agreement.id,
    at: iso(at),
    level: level.id,
    index: level.index,
    since: iso(level.since),
    ...(cause === undefined
      ? {}
      : {
          cause: {
            trigger: cause.trigger,
            raise: cause.id,
            raisedAt: iso(cause.raisedAt),
            sunset: iso(cause.expiresAt),
            sunsetInMs: cause.expiresAt - at,
            renewals: cause.renewals.map(iso),
            approvals: cause.approvals.map((a) => ({
              official: a.official,
              party: a.party ?? null,
              at: iso(a.at),
              valid: a.problems.length === 0,
              problems: a.problems,
            })),
            ...(trigger?.lower === undefined
              ? {}
              : {
                  lowering: {
                    holds: trigger.lower.holds,
                    ...(trigger.lower.since === undefined
                      ? {}
                      : { since: iso(trigger.lower.since) }),
                    ...(trigger.lower.completesAt === undefined
                      ? {}
                      : { completesAt: iso(trigger.lower.completesAt) }),
                  },
                }),
          },
        }),
    pending: evaluations
      .filter((e) => e.pending !== undefined)
      .map((e) => ({
        trigger: e.trigger,
        toLevel: e.raisesTo,
        proposal: e.pending?.id,
        validApprovals: e.pending?.validApprovals,
      })),
  };
}

/** Registers `concordat level show|history`. */
export function registerLevelCommands(program: Command, io: CliIo, state: RunState): void {
  const level = program
    .command('level')
    .description('the cooperation level now or at any past instant, and its history')
    .helpCommand(false);

  addEscalationOptions(
    level
      .command('show')
      .description('the level and why: trigger, approvals, since when, sunset countdown')
      .option('--at <time>', 'as it stood at this instant (RFC 3339; default now)'),
  )
    .addHelpText(
      'after',
      `
Any past instant is reconstructed exactly by replaying the ledgered events up to it.

Example:
  $ concordat level show --at 2026-03-03T14:00:00Z
  level severe since 2026-03-03T13:00:00.000Z (raised by trigger risk-high)`,
    )
    .action(
      action(io, state, async (ctx, opts: AtOptions) => {
        const at = instantOption(ctx, opts.at);
        const view = await withEscalation(ctx, opts, async (esc) =>
          levelJson(esc.stateAt(at), esc.evaluate(at), at),
        );
        if (ctx.json) {
          ctx.emitJson(view);
          return;
        }
        const { style } = ctx;
        ctx.line(
          `level ${style.bold(view.level)} since ${view.since}` +
            (view.cause === undefined
              ? style.dim(' (the lowest level: nothing raised)')
              : ` (raised by trigger ${view.cause.trigger})`),
        );
        const c = view.cause;
        if (c !== undefined) {
          ctx.line(
            `  raised     ${c.raisedAt}${c.renewals.length > 0 ? `, renewed ${c.renewals.join(', ')}` : ''}`,
          );
          ctx.line(
            `  sunset     ${c.sunset} (${countdown(at, Date.parse(c.sunset))}) unless renewed`,
          );
          for (const a of c.approvals)
            ctx.line(
              `  approval   ${a.official} (${a.party ?? '?'}) at ${a.at}${a.valid ? '' : style.red(` not counted: ${a.problems.join(', ')}`)}`,
            );
          if (c.lowering?.completesAt !== undefined)
            ctx.line(
              `  lowering   condition holds since ${c.lowering.since ?? '?'}; lowers at ${c.lowering.completesAt} (${countdown(at, Date.parse(c.lowering.completesAt))})`,
            );
        }
        for (const p of view.pending)
          ctx.line(
            `  pending    proposal ${p.proposal ?? '?'} raises to ${p.toLevel} (trigger ${p.trigger}), ${p.validApprovals ?? 0} valid approval(s)`,
          );
      }),
    );

  addEscalationOptions(
    level
      .command('history')
      .description('every raise, renewal and lowering, oldest first')
      .option('--at <time>', 'the history up to this instant (RFC 3339; default now)'),
  ).action(
    action(io, state, async (ctx, opts: AtOptions) => {
      const at = instantOption(ctx, opts.at);
      const { transitions, levels } = await withEscalation(ctx, opts, async (esc) => ({
        transitions: esc.levelHistory(at),
        levels: esc.agreement.levels.map((l) => l.id),
      }));
      const rows = transitions.map((t) => ({
        at: iso(t.at),
        kind: t.kind,
        reason: t.reason,
        trigger: t.trigger,
        raise: t.raise,
        from: levels[t.from] ?? String(t.from),
        to: levels[t.to] ?? String(t.to),
      }));
      if (ctx.json) {
        ctx.emitJson({ at: iso(at), transitions: rows });
        return;
      }
      if (rows.length === 0) ctx.line(`no level changes up to ${iso(at)}`);
      for (const r of rows)
        ctx.line(
          `${r.at}  ${r.kind.padEnd(7)}  ${r.from} → ${r.to}  trigger ${r.trigger} (${r.reason})`,
        );
    }),
  );

  addEscalationOptions(
    level
      .command('lower')
      .description("end a trigger's raise by hand, signed by one designated official")
      .argument('<trigger>', 'the trigger whose raise ends')
      .requiredOption(
        '--official <id>',
        "a designated official holding one of the trigger's approval roles",
      )
      .requiredOption('--key <file>', "the official's Ed25519 private key (PKCS#8 PEM)"),
  )
    .addHelpText(
      'after',
      `
Lowering only narrows what is shared, so one official suffices (docs/spec/escalation.md). The
official signs the lowering event itself (action \`lower\`); a signature that does not verify,
or an official without the role, is refused and nothing is written.

Example:
  $ concordat level lower risk-high --official CAL-LIAISON --key cal-liaison.pem`,
    )
    .action(
      action(
        io,
        state,
        async (
          ctx,
          trigger: string,
          opts: EscalationOptions & { official: string; key: string },
        ) => {
          const result = await withEscalation(ctx, opts, async (esc) => {
            if (!esc.agreement.triggers.some((t) => t.id === trigger))
              throw usageError(
                `agreement \`${esc.agreement.id}\` has no trigger \`${trigger}\`; its triggers: ${esc.agreement.triggers.map((t) => `\`${t.id}\``).join(', ')}`,
                'concordat level lower',
              );
            const key = await readInput(ctx.io, opts.key);
            return esc.record(
              {
                type: 'level-lowered',
                reason: 'manual',
                actor: opts.official,
                trigger,
                official: opts.official,
                signature: '',
              },
              (event) => signApproval(key, esc.agreement, 'lower', event, opts.official),
            );
          });
          const level = result.state.current.level;
          if (ctx.json) {
            ctx.emitJson({ ...writtenView(result), level: level.id, levelSince: iso(level.since) });
            return;
          }
          ctx.line(
            `${ctx.style.green('lowered')} trigger ${trigger} by ${opts.official}: level ${level.id} since ${iso(level.since)}`,
          );
          printWritten(ctx, result);
        },
      ),
    );
}
