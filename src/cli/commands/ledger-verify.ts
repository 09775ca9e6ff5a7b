/**
 * `concordat ledger verify`: recomputes every leaf and every signed checkpoint of the node's
 * ledger and reports OK, or the FIRST break, precisely (exit 1).
 */
import type { Command } from 'commander';
import type { NodeLedgerVerification } from '../../node/index.js';
import { action, type CommandContext, type RunState } from '../context.js';
import type { CliIo } from '../io.js';
import { addConfigOption, base64, hex, withNode } from '../node-open.js';

async function verify(
  ctx: CommandContext,
  config: string | undefined,
): Promise<{ result: NodeLedgerVerification; origin: string; verifierKey: string }> {
  return withNode(ctx.io, config, async (node) => {
    const total = await node.repositories.ledgerEntries.size(node.db);
    const bar = ctx.progress(total, 'verifying ledger');
    let shown = 0;
    try {
      const result = await node.ledger.verify((n) => {
        for (; shown < n; shown++) bar.tick();
      });
      return { result, origin: node.ledger.origin, verifierKey: node.ledger.verifierKey };
    } finally {
      bar.stop();
    }
  });
}

/** Registers `ledger verify`. */
export function registerLedgerVerify(parent: Command, io: CliIo, state: RunState): void {
  addConfigOption(
    parent
      .command('verify')
      .description('recompute every entry and checkpoint; report the first break'),
  )
    .addHelpText(
      'after',
      `
Exit 0 when every entry hashes to its stored leaf and every signed checkpoint matches the
recomputed root; 1 at the first break, which is named with its entry or checkpoint.

Example:
  $ concordat ledger verify
  OK  ledger concordat.arv.node: 42 entries, 3 checkpoints verified`,
    )
    .action(
      action(io, state, async (ctx, opts: { config?: string }) => {
        const { result, origin, verifierKey } = await verify(ctx, opts.config);
        if (!result.ok) ctx.fail(1);
        if (ctx.json) {
          ctx.emitJson(
            result.ok
              ? {
                  ok: true,
                  origin,
                  verifierKey,
                  size: result.size,
                  root: { hex: hex(result.root), base64: base64(result.root) },
                  checkpoints: result.checkpoints,
                  anchoredSize: result.anchoredSize,
                  unanchored: result.size - result.anchoredSize,
                }
              : {
                  ok: false,
                  origin,
                  verifierKey,
                  size: result.total,
                  verified: result.verified,
                  break: result.break,
                },
          );
          return;
        }
        const { style } = ctx;
        if (result.ok) {
          ctx.line(
            `${style.green('OK')}  ledger ${style.bold(origin)}: ${result.size} entries, ${result.checkpoints} checkpoint${result.checkpoints === 1 ? '' : 's'} verified`,
          );
          ctx.line(`  root       ${hex(result.root)}  ${style.dim(base64(result.root))}`);
          ctx.line(
            `  anchored   ${result.anchoredSize} of ${result.size} entries under a signed checkpoint`,
          );
          if (result.size > result.anchoredSize)
            ctx.line(
              style.yellow(
                `  ${result.size - result.anchoredSize} entries not yet under a checkpoint: \`concordat ledger head\` signs one`,
              ),
            );
          return;
        }
        const b = result.break;
        ctx.line(`${style.red('BROKEN')}  ledger ${style.bold(origin)}: ${b.kind}`);
        ctx.line(`  ${b.message}`);
        if (b.seq !== undefined) ctx.line(`  entry       ${b.seq}`);
        if (b.checkpointSize !== undefined)
          ctx.line(
            `  checkpoint  size ${b.checkpointSize}${b.checkpointIndex === undefined ? '' : ` (#${b.checkpointIndex})`}`,
          );
        ctx.line(`  verified    ${result.verified} of ${result.total} entries before the break`);
      }),
    );
}
