/**
 * `concordat reconcile --peer P [--json]`: checks that what this node ledgered as released to
 * the peer equals what the peer ledgered as received — the peer's signed checkpoint verified
 * under its party key, each of its receipt entries proven included, items compared by hash.
 * No content is read on either side. Exit 1 when not reconciled.
 */
import type { Command } from 'commander';
import { reconcile } from '../../federation/index.js';
import { usageError } from '../cli-error.js';
import { action, type RunState } from '../context.js';
import type { CliIo } from '../io.js';
import { addConfigOption, withNode } from '../node-open.js';
import { federationPeers } from './federation-peers.js';

/** How many differing items the human output lists per kind. */
const SHOWN = 10;

/** Registers `concordat reconcile`. */
export function registerReconcile(program: Command, io: CliIo, state: RunState): void {
  addConfigOption(
    program
      .command('reconcile')
      .description("compare this node's releases to a peer with the peer's proven receipts")
      .option('--peer <party>', 'the peer to reconcile with (required)'),
  )
    .addHelpText(
      'after',
      `
Uses only checkpoints, inclusion proofs and hashes, the way an oversight body would. Items
are \`<id> <version> sha256:<hash>\`: missing = released here, no proven receipt there;
extra = receipted there, never released here; mismatched = same version, other hash.

Example:
  $ concordat reconcile --peer BOR
  reconciled with BOR: 1180 released, 1180 received (checkpoint concordat.bor.node @ 2411)`,
    )
    .action(
      action(io, state, async (ctx, opts: { config?: string; peer?: string }) => {
        if (opts.peer === undefined)
          throw usageError('say which peer: `--peer P`', 'concordat reconcile');
        await withNode(ctx.io, opts.config, async (node) => {
          const { host, peers } = await federationPeers(node, opts.peer);
          const peer = peers[0];
          if (peer === undefined) return;
          const r = await reconcile(host, peer);
          if (!r.reconciled) ctx.fail(1);
          if (ctx.json) {
            ctx.emitJson(r);
            return;
          }
          const { style } = ctx;
          const where =
            r.checkpoint === undefined
              ? `checkpoint refused: ${r.checkpointError ?? 'unknown'}`
              : `checkpoint ${r.checkpoint.origin} @ ${r.checkpoint.size}`;
          ctx.line(
            `${r.reconciled ? style.green('reconciled') : style.red('NOT reconciled')} with ${r.peer}: ${r.released} released, ${r.received} received (${where})`,
          );
          const list = (label: string, items: readonly string[]): void => {
            if (items.length === 0) return;
            ctx.line(`  ${label}: ${items.length}`);
            for (const i of items.slice(0, SHOWN)) ctx.line(`    ${i}`);
            if (items.length > SHOWN)
              ctx.line(style.dim(`    … ${items.length - SHOWN} more (--json)`));
          };
          list('missing (released, no proven receipt)', r.missing);
          list('extra (receipted, never released)', r.extra);
          list(
            'mismatched (released ≠ received)',
            r.mismatched.map(([a, b]) => `${a}  ≠  ${b.slice(b.lastIndexOf(' ') + 1)}`),
          );
          list(
            'unproven receipt entries',
            r.unproven.map((u) => `#${u.seq}: ${u.reason}`),
          );
        });
      }),
    );
}
