/**
 * `concordat ledger export`: the node's whole ledger — header, signed checkpoints, canonical
 * entries — as one JSON Lines file an oversight body verifies and reads on its own
 * (`concordat oversight indicators --ledger`). Ids, hashes and metadata only, like the ledger.
 */
import type { Command } from 'commander';
import { nodeLedgerExport } from '../../node/index.js';
import { action, type RunState } from '../context.js';
import type { CliIo } from '../io.js';
import { addConfigOption, withNode } from '../node-open.js';

/** Registers `ledger export`. */
export function registerLedgerExport(parent: Command, io: CliIo, state: RunState): void {
  addConfigOption(
    parent
      .command('export')
      .description(
        'write the whole ledger and its checkpoints to a file an oversight body can verify',
      )
      .option('--out <file.jsonl>', 'where to write it (default ledger-<origin>-<size>.jsonl)'),
  )
    .addHelpText(
      'after',
      `
The file holds a header (origin, verifier key, counts), every signed checkpoint, then every
entry in its canonical form — the bytes each leaf hash is over — so it verifies with nothing
but the node's verifier key (from \`concordat ledger head\`, obtained out of band). Like the
ledger itself it holds ids, hashes and metadata, never intelligence. The file appears only
once it is complete.

Example:
  $ concordat ledger export --out arv-ledger.jsonl
  wrote arv-ledger.jsonl: 1204 entries, 97 checkpoints (concordat.arv.node)
  $ concordat oversight indicators --ledger arv-ledger.jsonl \\
      --verifier-key 'concordat.arv.node+1a2b3c4d+AQ…' --agreement compact.yaml`,
    )
    .action(
      action(io, state, async (ctx, opts: { config?: string; out?: string }) => {
        const outcome = await withNode(ctx.io, opts.config, async (node) => {
          const size = await node.repositories.ledgerEntries.size(node.db);
          const out = opts.out ?? `ledger-${node.ledger.origin}-${size}.jsonl`;
          const bar = ctx.progress(size, 'exporting ledger');
          let shown = 0;
          let header: { size: number; checkpoints: number } | undefined;
          try {
            const lines = nodeLedgerExport(node, {
              onProgress: (read) => {
                bar.advance(read - shown);
                shown = read;
              },
            });
            await ctx.io.fs.writeLines(
              out,
              (async function* () {
                for await (const line of lines) {
                  header ??= JSON.parse(line) as { size: number; checkpoints: number };
                  yield line;
                }
              })(),
            );
          } finally {
            bar.stop();
          }
          return {
            file: out,
            origin: node.ledger.origin,
            verifierKey: node.ledger.verifierKey,
            size: header?.size ?? 0,
            checkpoints: header?.checkpoints ?? 0,
          };
        });
        if (ctx.json) {
          ctx.emitJson(outcome);
          return;
        }
        ctx.line(
          `${ctx.style.green('wrote')} ${outcome.file}: ${outcome.size} entries, ${outcome.checkpoints} checkpoints (${outcome.origin})`,
        );
        ctx.line(`  verifier key  ${outcome.verifierKey}`);
      }),
    );
}
