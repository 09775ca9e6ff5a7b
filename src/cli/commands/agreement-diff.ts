/**
 * `concordat agreement diff OLD NEW`: the semantic difference between two versions, each change
 * marked as widening or narrowing what may be released. Exit 0 whatever the difference.
 */
import type { Command } from 'commander';
import { diffAgreements, formatDiff, type Agreement } from '../../agreement/index.js';
import { action, type CommandContext, type RunState } from '../context.js';
import { displayName } from '../input.js';
import type { CliIo } from '../io.js';
import { loadAgreementFile } from '../load-agreement.js';

/** Prints (or emits) the diff between two loaded agreements; the walkthrough reuses it. */
export function showDiff(
  ctx: CommandContext,
  names: { before: string; after: string },
  before: Agreement,
  after: Agreement,
): void {
  const diff = diffAgreements(before, after);
  if (ctx.json) {
    ctx.emitJson({ before: names.before, after: names.after, diff });
    return;
  }
  ctx.line(
    ctx.style.dim(
      `${names.before} (${before.id} v${before.version}) → ${names.after} (${after.id} v${after.version})`,
    ),
  );
  for (const line of formatDiff(diff).replace(/\n$/, '').split('\n')) ctx.line(line);
}

/** Registers `agreement diff`. */
export function registerDiff(parent: Command, io: CliIo, state: RunState): void {
  parent
    .command('diff')
    .description(
      'show what changed between two agreement versions, and whether it widens or narrows sharing',
    )
    .argument('<old>', 'the earlier agreement file')
    .argument('<new>', 'the later agreement file')
    .addHelpText(
      'after',
      `
Exit 0 whatever the difference (a failed parse exits 1 with ERR_AGREEMENT_INVALID).

Example:
  $ concordat agreement diff compact-v3.yaml compact-v4.yaml`,
    )
    .action(
      action(io, state, async (ctx, oldFile: string, newFile: string) => {
        const before = await loadAgreementFile(ctx.io, oldFile);
        const after = await loadAgreementFile(ctx.io, newFile);
        showDiff(
          ctx,
          { before: displayName(oldFile), after: displayName(newFile) },
          before.agreement,
          after.agreement,
        );
      }),
    );
}
