/**
 * `concordat trigger evaluate [--at TIME]` (each trigger: does its condition hold and since
 * when, the lowering hold and when it completes, what is raised or pending, the next step),
 * `trigger propose TRIGGER` (a proposal, e.g. to renew a raise before its sunset), and the
 * operator inputs triggers watch besides risk ratings: `trigger observe` (an Admiralty grade)
 * and `trigger signal` (incident counts by RSIT class and TLP).
 */
import type { Command } from 'commander';
import { usageError } from '../cli-error.js';
import { action, type CommandContext, type RunState } from '../context.js';
import type { CliIo } from '../io.js';
import { recordAutomaticInputs } from '../../node/index.js';
import type { EscalationInput, RecordResult } from '../../node/index.js';
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

interface ByOptions extends EscalationOptions {
  by?: string;
}

async function recordAndReport(
  ctx: CommandContext,
  opts: EscalationOptions,
  input: (party: string) => EscalationInput,
  done: (r: RecordResult) => string,
): Promise<void> {
  const result = await withEscalation(ctx, opts, (esc, node) =>
    esc.record(input(node.config.party)),
  );
  if (ctx.json) {
    ctx.emitJson({ ...writtenView(result), level: result.state.current.level.id });
    return;
  }
  ctx.line(done(result));
  printWritten(ctx, result);
}

/** Registers `concordat trigger evaluate|propose|observe|signal`. */
export function registerTriggerCommands(program: Command, io: CliIo, state: RunState): void {
  const trigger = program
    .command('trigger')
    .description("where the agreement's escalation triggers stand, and their inputs")
    .helpCommand(false);

  addEscalationOptions(
    trigger
      .command('evaluate')
      .description('each trigger: holds? since when? lowering hold, raise, proposal, next step')
      .option('--at <time>', 'evaluate at this instant (RFC 3339; default now)')
      .option(
        '--no-automatic',
        'do not record the automatic inputs (incident signals, intel quality) first',
      ),
  )
    .addHelpText(
      'after',
      `
Evaluating now first records the automatic inputs from ingested intel's metadata (never its
content): incident signals (objects by RSIT class and TLP ingested since the last pass) and
intel quality (the Admiralty grade of their STIX confidence). With \`--at\`, nothing is recorded.

next is \`propose\` when the condition holds, the trigger needs approval, and nothing is raised
or pending (the node proposes by itself when it records the event that makes it hold; a
proposal is approved with \`concordat approve\`).

Example:
  $ concordat trigger evaluate
  risk-high → severe  holds since 2026-03-03T15:00:00.000Z  pending 1a2b… (1 valid approval)`,
    )
    .action(
      action(
        io,
        state,
        async (ctx, opts: EscalationOptions & { at?: string; automatic?: boolean }) => {
          const at = instantOption(ctx, opts.at);
          const { evaluations, file, automatic } = await withEscalation(
            ctx,
            opts,
            async (esc, node) => {
              const auto =
                opts.at === undefined && opts.automatic !== false
                  ? await recordAutomaticInputs(node.db, esc, node.config.party, at)
                  : undefined;
              return { evaluations: esc.evaluate(at), file: esc.agreementFile, automatic: auto };
            },
          );
          const rows = evaluations.map((e) => ({
            trigger: e.trigger,
            raisesTo: e.raisesTo,
            holds: e.when.holds,
            ...(e.when.since === undefined ? {} : { since: iso(e.when.since) }),
            ...(e.lower === undefined
              ? {}
              : {
                  lower: {
                    holds: e.lower.holds,
                    held: e.lower.held,
                    ...(e.lower.since === undefined ? {} : { since: iso(e.lower.since) }),
                    ...(e.lower.completesAt === undefined
                      ? {}
                      : { completesAt: iso(e.lower.completesAt) }),
                  },
                }),
            ...(e.raised === undefined
              ? {}
              : {
                  raised: {
                    id: e.raised.id,
                    since: iso(e.raised.since),
                    sunset: iso(e.raised.sunset),
                  },
                }),
            ...(e.pending === undefined ? {} : { pending: e.pending }),
            next: e.next,
            clause: {
              id: e.ref.id,
              at:
                e.ref.source === undefined
                  ? file
                  : `${file}:${e.ref.source.line}:${e.ref.source.column}`,
            },
          }));
          const auto =
            automatic === undefined
              ? undefined
              : {
                  ...(automatic.incidents === undefined
                    ? {}
                    : {
                        incidents: {
                          from: iso(automatic.incidents.from),
                          to: iso(automatic.incidents.to),
                          counts: automatic.incidents.counts,
                        },
                      }),
                  ...(automatic.quality === undefined
                    ? {}
                    : {
                        quality: {
                          from: iso(automatic.quality.from),
                          to: iso(automatic.quality.to),
                          grades: automatic.quality.grades,
                        },
                      }),
                  written: automatic.written.map((w) => ({
                    seq: w.seq,
                    id: w.event.id,
                    type: w.event.type,
                    at: iso(w.event.at),
                  })),
                };
          if (ctx.json) {
            ctx.emitJson({
              at: iso(at),
              ...(auto === undefined ? {} : { automatic: auto }),
              triggers: rows,
            });
            return;
          }
          const { style } = ctx;
          if (auto !== undefined) {
            for (const c of auto.incidents?.counts ?? [])
              ctx.line(
                `signal: ${c.count} ${c.rsit}/${c.tlp} ingested since ${auto.incidents?.from ?? '?'}`,
              );
            for (const g of auto.quality?.grades ?? [])
              ctx.line(`quality: ${g.objectRef} graded ${g.grade}`);
            for (const w of auto.written)
              if (w.type !== 'incident-signal' && w.type !== 'intel-quality-observed')
                ctx.line(`  ${style.dim(`#${w.seq}`)} ${w.type}`);
          }
          for (const r of rows) {
            ctx.line(
              `${style.bold(r.trigger)} → ${r.raisesTo}  ${r.holds ? style.green(`holds since ${r.since ?? '?'}`) : style.dim('does not hold')}`,
            );
            if (r.raised !== undefined)
              ctx.line(
                `  raised since ${r.raised.since}; sunset ${r.raised.sunset} (${countdown(at, Date.parse(r.raised.sunset))})`,
              );
            if (r.lower !== undefined)
              ctx.line(
                r.lower.holds
                  ? `  lower condition holds since ${r.lower.since ?? '?'}; hold completes ${r.lower.completesAt ?? '?'}${r.lower.held ? ' (held)' : ` (${countdown(at, Date.parse(r.lower.completesAt ?? ''))})`}`
                  : '  lower condition does not hold',
              );
            if (r.pending !== undefined)
              ctx.line(
                `  pending proposal ${r.pending.id}: ${r.pending.validApprovals} valid approval(s); approve with \`concordat approve ${r.pending.id} --official O --key KEY.pem\``,
              );
            ctx.line(
              `  next: ${r.next === 'propose' ? style.yellow('propose (`concordat trigger propose ' + r.trigger + '`)') : 'none'}`,
            );
          }
        },
      ),
    );

  addEscalationOptions(
    trigger
      .command('propose')
      .description('propose raising (or renewing) a trigger whose condition holds')
      .argument('<trigger>', 'the trigger id')
      .option('--by <actor>', "the proposing party or official (default: the node's party)"),
  ).action(
    action(io, state, async (ctx, id: string, opts: ByOptions) => {
      await withEscalation(ctx, opts, async (esc, node) => {
        const t = esc.agreement.triggers.find((x) => x.id === id);
        if (t === undefined)
          throw usageError(
            `agreement \`${esc.agreement.id}\` has no trigger \`${id}\`; its triggers: ${esc.agreement.triggers.map((x) => `\`${x.id}\``).join(', ')}`,
            'concordat trigger propose',
          );
        const result = await esc.record({
          type: 'escalation-proposed',
          actor: opts.by ?? node.config.party,
          trigger: id,
          toLevel: esc.agreement.levels[t.raiseTo]?.id ?? '',
        });
        if (ctx.json) {
          ctx.emitJson(writtenView(result));
          return;
        }
        ctx.line(`${ctx.style.green('proposed')} ${id}: proposal ${result.event.id}`);
        printWritten(ctx, result);
      });
    }),
  );

  addEscalationOptions(
    trigger
      .command('observe')
      .description('record the Admiralty grade of a piece of intelligence (by hash or id)')
      .requiredOption('--grade <grade>', 'Admiralty grade, e.g. B2')
      .requiredOption('--object <ref>', 'the hash or id of the object graded (never its content)')
      .option('--confidence <n>', 'STIX confidence 0–100 (default: derived from the grade)')
      .option('--by <actor>', "the observing party or official (default: the node's party)"),
  ).action(
    action(
      io,
      state,
      async (ctx, opts: ByOptions & { grade: string; object: string; confidence?: string }) => {
        if (opts.confidence !== undefined && !/^\d{1,3}$/.test(opts.confidence))
          throw usageError(
            `\`--confidence\` \`${opts.confidence}\` must be an integer 0–100`,
            'concordat trigger observe',
          );
        await recordAndReport(
          ctx,
          opts,
          (party) => ({
            type: 'intel-quality-observed',
            actor: opts.by ?? party,
            grade: opts.grade,
            objectRef: opts.object,
            ...(opts.confidence === undefined ? {} : { confidence: Number(opts.confidence) }),
          }),
          () => `${ctx.style.green('observed')} grade ${opts.grade} of ${opts.object}`,
        );
      },
    ),
  );

  addEscalationOptions(
    trigger
      .command('signal')
      .description('record a count of incident objects by RSIT class and TLP, now')
      .requiredOption('--rsit <class>', 'RSIT class, e.g. intrusions')
      .requiredOption('--tlp <label>', 'TLP label, e.g. amber')
      .requiredOption('--count <n>', 'how many objects')
      .option('--by <actor>', "the reporting party or official (default: the node's party)"),
  ).action(
    action(
      io,
      state,
      async (ctx, opts: ByOptions & { rsit: string; tlp: string; count: string }) => {
        if (!/^[1-9]\d{0,8}$/.test(opts.count))
          throw usageError(
            `\`--count\` \`${opts.count}\` must be a positive integer`,
            'concordat trigger signal',
          );
        await recordAndReport(
          ctx,
          opts,
          (party) =>
            ({
              type: 'incident-signal',
              actor: opts.by ?? party,
              rsit: opts.rsit,
              tlp: opts.tlp,
              count: Number(opts.count),
            }) as EscalationInput,
          (r) =>
            `${ctx.style.green('signalled')} ${opts.count} ${opts.rsit}/${opts.tlp}; level ${r.state.current.level.id}`,
        );
      },
    ),
  );
}
