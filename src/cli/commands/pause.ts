/**
 * `concordat pause --party P [--towards PARTY…] [--agency A…] [--types T…] --reason TEXT
 * [--dispute [SUBJECT]]`: a party pauses all or part of its own sharing at once; every release
 * that starts at or after the pause is denied until that party resumes it.
 */
import type { Command } from 'commander';
import type { Match } from '../../agreement/index.js';
import { action, type RunState } from '../context.js';
import type { CliIo } from '../io.js';
import {
  addEscalationOptions,
  iso,
  printWritten,
  withEscalation,
  writtenView,
} from './level-shared.js';
import type { EscalationOptions } from './level-shared.js';

interface PauseOptions extends EscalationOptions {
  party: string;
  towards?: string[];
  agency?: string[];
  types?: string[];
  reason: string;
  dispute?: string | boolean;
  by?: string;
}

/** Registers `concordat pause`. */
export function registerPause(program: Command, io: CliIo, state: RunState): void {
  addEscalationOptions(
    program
      .command('pause')
      .description("pause all or part of a party's own sharing, at once")
      .requiredOption('--party <party>', 'the party pausing its own sharing')
      .option('--towards <party...>', 'only towards these parties')
      .option('--agency <id...>', 'only towards these agencies')
      .option('--types <type...>', 'only these STIX types')
      .requiredOption('--reason <text>', 'why (at most 400 characters)')
      .option('--dispute [subject]', 'also open a dispute record (subject; default: the reason)')
      .option('--by <actor>', 'the party or its official acting (default: the party)'),
  )
    .addHelpText(
      'after',
      `
Without --towards, --agency or --types the party's whole sharing is paused. Only the pausing
party (or its officials) can resume it: \`concordat resume PAUSE_ID --party P\`.

Example:
  $ concordat pause --party ARV --towards BOR --reason "dispute over onward sharing" --dispute`,
    )
    .action(
      action(io, state, async (ctx, opts: PauseOptions) => {
        const scope: Match = {
          ...(opts.towards === undefined ? {} : { toParties: opts.towards }),
          ...(opts.agency === undefined ? {} : { toAgencies: opts.agency }),
          ...(opts.types === undefined ? {} : { types: opts.types }),
        };
        const subject =
          opts.dispute === undefined || opts.dispute === false
            ? undefined
            : opts.dispute === true
              ? opts.reason
              : opts.dispute;
        const result = await withEscalation(ctx, opts, (esc) =>
          esc.record({
            type: 'pause',
            actor: opts.by ?? opts.party,
            party: opts.party,
            scope,
            reason: opts.reason,
            ...(subject === undefined ? {} : { dispute: { subject } }),
          }),
        );
        const dispute = result.state.disputes.find((d) => d.pause === result.event.id);
        if (ctx.json) {
          ctx.emitJson({
            ...writtenView(result),
            pause: result.event.id,
            since: iso(result.event.at),
            scope,
            ...(dispute === undefined
              ? {}
              : { dispute: { id: dispute.id, stage: dispute.stage, due: iso(dispute.stageDue) } }),
          });
          return;
        }
        ctx.line(
          `${ctx.style.yellow('paused')} ${opts.party}'s sharing${Object.keys(scope).length === 0 ? '' : ` (${JSON.stringify(scope)})`} from ${iso(result.event.at)}: pause ${result.event.id}`,
        );
        if (dispute !== undefined)
          ctx.line(`  dispute opened: ${dispute.stage} due ${iso(dispute.stageDue)}`);
        ctx.line(`  resume with \`concordat resume ${result.event.id} --party ${opts.party}\``);
        printWritten(ctx, result);
      }),
    );
}
