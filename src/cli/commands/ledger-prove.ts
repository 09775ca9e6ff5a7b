/**
 * `concordat ledger prove SEQ [--size N]` and `concordat ledger consistency OLD NEW`: RFC 6962
 * inclusion and consistency proofs against the node's signed checkpoints, checked before they
 * are printed. Hashes are printed in hex and, in `--json`, also in base64.
 */
import type { Command } from 'commander';
import { action, type RunState } from '../context.js';
import { usageError } from '../cli-error.js';
import type { CliIo } from '../io.js';
import { addConfigOption, base64, hex, withNode } from '../node-open.js';

function treeIndex(text: string, what: string, command: string): number {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw usageError(`${what} \`${text}\` is not a non-negative integer`, command);
  return Number(text);
}

function hashes(list: readonly Uint8Array[]): { hex: string[]; base64: string[] } {
  return { hex: list.map(hex), base64: list.map(base64) };
}

/** Registers `ledger prove`. */
export function registerLedgerProve(parent: Command, io: CliIo, state: RunState): void {
  addConfigOption(
    parent
      .command('prove')
      .description('prove that entry SEQ is in the ledger under a signed checkpoint')
      .argument('<seq>', 'the entry (leaf index, from 0)')
      .option('--size <n>', 'the checkpoint to prove against (default: the latest)'),
  )
    .addHelpText(
      'after',
      `
Prints the entry, its leaf hash, the audit path and the signed checkpoint; anyone holding the
checkpoint and the node's verifier key can check the proof without seeing any other entry.

Example:
  $ concordat ledger prove 7 --size 42`,
    )
    .action(
      action(io, state, async (ctx, seqText: string, opts: { config?: string; size?: string }) => {
        const cmd = 'concordat ledger prove';
        const seq = treeIndex(seqText, 'SEQ', cmd);
        const size = opts.size === undefined ? undefined : treeIndex(opts.size, '--size', cmd);
        const { p, verifierKey } = await withNode(ctx.io, opts.config, async (node) => ({
          p: await node.ledger.inclusion(seq, size),
          verifierKey: node.ledger.verifierKey,
        }));
        if (ctx.json) {
          ctx.emitJson({
            seq: p.seq,
            size: p.size,
            entry: p.entry,
            leafHash: { hex: hex(p.leafHash), base64: base64(p.leafHash) },
            proof: hashes(p.proof),
            root: { hex: hex(p.root), base64: base64(p.root) },
            checkpoint: p.checkpoint,
            verifierKey,
          });
          return;
        }
        const { style } = ctx;
        ctx.line(
          `${style.green('entry')} ${p.seq} (${p.entry.kind}) is in the ledger of size ${p.size}`,
        );
        ctx.line(`  leaf hash  ${hex(p.leafHash)}`);
        ctx.line(`  root       ${hex(p.root)}`);
        ctx.line(`  proof      ${p.proof.length} hash${p.proof.length === 1 ? '' : 'es'}`);
        for (const h of p.proof) ctx.line(`    ${hex(h)}`);
        ctx.line();
        ctx.io.stdout(p.checkpoint);
        ctx.line();
        ctx.line(`verifier key: ${verifierKey}`);
      }),
    );
}

/** Registers `ledger consistency`. */
export function registerLedgerConsistency(parent: Command, io: CliIo, state: RunState): void {
  addConfigOption(
    parent
      .command('consistency')
      .description('prove that the checkpoint of size OLD is a prefix of the one of size NEW')
      .argument('<old>', 'size of the older checkpoint (at least 1)')
      .argument('<new>', 'size of the newer checkpoint'),
  )
    .addHelpText(
      'after',
      `
Both sizes must be sizes of signed checkpoints (\`concordat ledger verify --json\` counts
them). The proof shows nothing was removed or rewritten between the two.

Example:
  $ concordat ledger consistency 12 42`,
    )
    .action(
      action(
        io,
        state,
        async (ctx, oldText: string, newText: string, opts: { config?: string }) => {
          const cmd = 'concordat ledger consistency';
          const oldSize = treeIndex(oldText, 'OLD', cmd);
          const newSize = treeIndex(newText, 'NEW', cmd);
          const { p, verifierKey } = await withNode(ctx.io, opts.config, async (node) => ({
            p: await node.ledger.consistency(oldSize, newSize),
            verifierKey: node.ledger.verifierKey,
          }));
          if (ctx.json) {
            ctx.emitJson({
              oldSize: p.oldSize,
              newSize: p.newSize,
              oldRoot: { hex: hex(p.oldRoot), base64: base64(p.oldRoot) },
              newRoot: { hex: hex(p.newRoot), base64: base64(p.newRoot) },
              proof: hashes(p.proof),
              oldCheckpoint: p.oldCheckpoint,
              newCheckpoint: p.newCheckpoint,
              verifierKey,
            });
            return;
          }
          const { style } = ctx;
          ctx.line(
            `${style.green('consistent')}: size ${p.oldSize} is a prefix of size ${p.newSize}`,
          );
          ctx.line(`  old root  ${hex(p.oldRoot)}`);
          ctx.line(`  new root  ${hex(p.newRoot)}`);
          ctx.line(`  proof     ${p.proof.length} hash${p.proof.length === 1 ? '' : 'es'}`);
          for (const h of p.proof) ctx.line(`    ${hex(h)}`);
        },
      ),
    );
}
