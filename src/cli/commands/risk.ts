/**
 * `concordat risk set PARTY RATING --reason TEXT [--by OFFICIAL]` and `concordat risk show
 * [--at TIME]`: national risk ratings (0–5, in the spirit of the CISA NCISS) as escalation
 * events on the ledger; triggers watch them.
 */
import type { Command } from 'commander';
import { usageError } from '../cli-error.js';
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

interface SetOptions extends EscalationOptions {
  reason?: string;
  by?: string;
}

/** Registers `concordat risk set|show`. */
export function registerRiskCommands(program: Command, io: CliIo, state: RunState): void {
  const risk = program
    .command('risk')
    .description('publish and show national risk ratings (0–5) that triggers watch')
    .helpCommand(false);

  addEscalationOptions(
    risk
      .command('set')
      .description("publish a party's national risk rating (0–5), with who set it and why")
      .argument('<party>', 'the party whose rating it is')
      .argument('<rating>', 'integer 0 (none) … 5 (emergency)')
      .requiredOption('--reason <text>', 'why (at most 400 characters; no intelligence content)')
      .option('--by <official>', 'the official who set it (default: the party itself)'),
  )
    .addHelpText(
      'after',
      `
Only the party itself or one of its designated officials may publish its rating. If a trigger's
condition now holds with nothing raised or pending, the node proposes the escalation at once
(see \`concordat trigger evaluate\`).

Example:
  $ concordat risk set ARV 4 --reason "ransomware against hospitals" --by ARV-LIAISON`,
    )
    .action(
      action(io, state, async (ctx, party: string, ratingText: string, opts: SetOptions) => {
        if (!/^[0-5]$/.test(ratingText))
          throw usageError(`rating \`${ratingText}\` must be an integer 0–5`, 'concordat risk set');
        const by = opts.by ?? party;
        const result = await withEscalation(ctx, opts, (esc) =>
          esc.record({
            type: 'risk-rating-published',
            actor: by,
            party,
            rating: Number(ratingText),
            setBy: by,
            reason: opts.reason ?? '',
          }),
        );
        if (ctx.json) {
          ctx.emitJson({ ...writtenView(result), level: result.state.current.level.id });
          return;
        }
        ctx.line(
          `${ctx.style.green('published')} risk rating ${ratingText} for ${party} (set by ${by}); level ${result.state.current.level.id}`,
        );
        printWritten(ctx, result);
      }),
    );

  addEscalationOptions(
    risk
      .command('show')
      .description("every party's latest risk rating (never published = 0)")
      .option('--at <time>', 'as it stood at this instant (RFC 3339; default now)'),
  ).action(
    action(io, state, async (ctx, opts: EscalationOptions & { at?: string }) => {
      const at = instantOption(ctx, opts.at);
      const ratings = await withEscalation(ctx, opts, async (esc) => {
        const s = esc.stateAt(at);
        return esc.agreement.parties.map((p) => {
          const r = s.inputs.ratings.find((x) => x.party === p.id);
          return r === undefined
            ? { party: p.id, rating: 0, published: false as const }
            : {
                party: p.id,
                rating: r.rating,
                published: true as const,
                setBy: r.setBy,
                reason: r.reason,
                at: iso(r.at),
                event: r.event,
              };
        });
      });
      if (ctx.json) {
        ctx.emitJson({ at: iso(at), ratings });
        return;
      }
      ctx.line(`risk ratings at ${iso(at)}`);
      for (const r of ratings)
        ctx.line(
          r.published
            ? `  ${r.party}  ${ctx.style.bold(String(r.rating))}  set by ${r.setBy} ${countdown(at, Date.parse(r.at))}: ${r.reason}`
            : `  ${r.party}  0  ${ctx.style.dim('(never published)')}`,
        );
    }),
  );
}
