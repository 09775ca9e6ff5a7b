/**
 * `concordat shred --due [--at TIME]`: crypto-shreds every data key whose retention window
 * has ended — each destroyed key is a `shred` ledger entry in the same transaction — then
 * signs a checkpoint.
 */
import type { Command } from 'commander';
import { fixedClock, formatInstant } from '../../core/index.js';
import { CliError, usageError } from '../cli-error.js';
import { action, type RunState } from '../context.js';
import { parseAtOption } from '../input.js';
import type { CliIo } from '../io.js';
import { addConfigOption, base64, withNode } from '../node-open.js';

/** Registers `concordat shred`. */
export function registerShred(program: Command, io: CliIo, state: RunState): void {
  addConfigOption(
    program
      .command('shred')
      .description('crypto-shred every data key whose retention has ended (ledgered)')
      .option('--due', 'shred what is due now (required: the only mode)')
      .option('--at <time>', 'shred what was due at this past instant (RFC 3339; default now)'),
  )
    .addHelpText(
      'after',
      `
Destroying a data key makes every object sealed under it unreadable for good. Keys are
destroyed only together with their ledger entries. --at may not lie in the future: nothing is
shredded before its deadline.

Example:
  $ concordat shred --due
  shredded 2 data keys (ARV, 17 objects) — ledger size 59, checkpoint signed`,
    )
    .action(
      action(io, state, async (ctx, opts: { config?: string; due?: boolean; at?: string }) => {
        if (opts.due !== true)
          throw usageError('say `--due`: shred what is due', 'concordat shred');
        const now = ctx.io.clock.now();
        const at = parseAtOption(opts.at, ctx.io.clock);
        if (at > now)
          throw new CliError(
            'ERR_USAGE',
            `\`--at\` \`${opts.at ?? ''}\` is in the future; nothing is shredded before its deadline`,
            { hint: 'leave out `--at` to shred what is due now' },
          );
        const r = await withNode(ctx.io, opts.config, (node) => node.shredDue(), fixedClock(at));
        const objectCount = r.events.reduce((n, e) => n + e.objectCount, 0);
        if (ctx.json) {
          ctx.emitJson({
            at: formatInstant(at),
            shredded: r.events,
            keys: r.events.length,
            objects: objectCount,
            scrubNotes: r.scrubNotes,
            checkpoint: {
              size: r.checkpoint.size,
              root: base64(r.checkpoint.root),
              text: r.checkpoint.text,
            },
          });
          return;
        }
        const { style } = ctx;
        if (r.events.length === 0) {
          ctx.line(`nothing due at ${formatInstant(at)}; ledger size ${r.checkpoint.size}`);
          return;
        }
        ctx.line(
          `${style.green('shredded')} ${r.events.length} data key${r.events.length === 1 ? '' : 's'}, ${objectCount} object version${objectCount === 1 ? '' : 's'} now unreadable`,
        );
        for (const e of r.events)
          ctx.line(
            `  ${e.keyId}  ${e.producer}  window ${formatInstant(e.windowStartMs)} – ${formatInstant(e.windowEndMs)}  ${e.objectCount} objects`,
          );
        ctx.line(style.dim(`ledgered; checkpoint signed at size ${r.checkpoint.size}`));
        for (const n of r.scrubNotes) ctx.line(style.dim(`note: ${n}`));
      }),
    );
}
