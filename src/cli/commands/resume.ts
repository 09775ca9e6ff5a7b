/**
 * `concordat resume PAUSE_ID --party P`: the pausing party ends its pause. Releases that
 * started while it was in force stay denied; any other party is refused.
 */
import type { Command } from 'commander';
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

/** Registers `concordat resume`. */
export function registerResume(program: Command, io: CliIo, state: RunState): void {
  addEscalationOptions(
    program
      .command('resume')
      .description('end a pause (only the party that paused)')
      .argument('<pause-id>', 'the pause (printed by `concordat pause`)')
      .requiredOption('--party <party>', 'the party that paused')
      .option('--by <actor>', 'the party or its official acting (default: the party)'),
  ).action(
    action(
      io,
      state,
      async (ctx, id: string, opts: EscalationOptions & { party: string; by?: string }) => {
        const result = await withEscalation(ctx, opts, (esc) =>
          esc.record({
            type: 'resume',
            actor: opts.by ?? opts.party,
            party: opts.party,
            pause: id,
          }),
        );
        if (ctx.json) {
          ctx.emitJson({ ...writtenView(result), pause: id, until: iso(result.event.at) });
          return;
        }
        ctx.line(`${ctx.style.green('resumed')} pause ${id} at ${iso(result.event.at)}`);
        printWritten(ctx, result);
      },
    ),
  );
}
