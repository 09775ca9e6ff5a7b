/**
 * `concordat ledger head`: the latest signed checkpoint (C2SP signed note) and the verifier key
 * to check it with. Entries not yet covered (after a crash between commit and checkpoint) are
 * verified and signed first.
 */
import type { Command } from 'commander';
import { action, type RunState } from '../context.js';
import type { CliIo } from '../io.js';
import { addConfigOption, base64, hex, withNode } from '../node-open.js';

/** Registers `ledger head`. */
export function registerLedgerHead(parent: Command, io: CliIo, state: RunState): void {
  addConfigOption(
    parent.command('head').description('print the latest signed checkpoint and its verifier key'),
  )
    .addHelpText(
      'after',
      `
The checkpoint is printed exactly as signed (c2sp.org/tlog-checkpoint), so transparency-log
tools can read it; the verifier key (name+id+key) verifies it.

Example:
  $ concordat ledger head
  concordat.arv.node
  42
  <base64 root>

  — concordat.arv.node <signature>

  verifier key: concordat.arv.node+1a2b3c4d+AQ…`,
    )
    .action(
      action(io, state, async (ctx, opts: { config?: string }) => {
        const { cp, origin, verifierKey } = await withNode(ctx.io, opts.config, async (node) => ({
          cp: await node.ledger.checkpoint(),
          origin: node.ledger.origin,
          verifierKey: node.ledger.verifierKey,
        }));
        if (ctx.json) {
          ctx.emitJson({
            origin,
            size: cp.size,
            root: { hex: hex(cp.root), base64: base64(cp.root) },
            signedAt: new Date(cp.atMs).toISOString(),
            checkpoint: cp.text,
            verifierKey,
          });
          return;
        }
        ctx.io.stdout(cp.text);
        ctx.line();
        ctx.line(`verifier key: ${verifierKey}`);
      }),
    );
}
