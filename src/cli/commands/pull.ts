/**
 * `concordat pull [--peer P] [--page-size N] [--json]`: pulls now from every configured peer
 * (or one) over mutual TLS — everything new since the stored cursors, page by page, each page
 * ingested, receipted and ledgered before the cursor moves — then delivers the signed receipts.
 * Exit 1 when a peer could not be pulled (the others still are).
 */
import type { Command } from 'commander';
import { isConcordatError } from '../../core/index.js';
import { pullPeer } from '../../federation/index.js';
import type { PullReport } from '../../federation/index.js';
import { usageError } from '../cli-error.js';
import { action, type RunState } from '../context.js';
import type { CliIo } from '../io.js';
import { addConfigOption, withNode } from '../node-open.js';
import { federationPeers } from './federation-peers.js';

function pageSize(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,3}$/.test(text) || Number(text) < 1 || Number(text) > 100)
    throw usageError(`\`--page-size\` takes 1–100; got \`${text.slice(0, 8)}\``, 'concordat pull');
  return Number(text);
}

/** Registers `concordat pull`. */
export function registerPull(program: Command, io: CliIo, state: RunState): void {
  addConfigOption(
    program
      .command('pull')
      .description('pull now from federation peers (mutual TLS), resuming from stored cursors')
      .option('--peer <party>', 'only this peer (default: every configured peer)')
      .option('--page-size <n>', 'objects per page, 1–100 (default 100)'),
  )
    .addHelpText(
      'after',
      `
Each page is ingested all or nothing with the producer's handling kept (its retention caps
ours), a signed receipt is ledgered and the cursor advanced in one transaction; receipts are
then delivered to the producer. A killed pull resumes where it stopped (docs/federation-sync.md).

Example:
  $ concordat pull --peer BOR
  BOR  northsea-cti-compact/incident-response  12 pages, 1180 objects (1180 new)
  BOR  receipts delivered 12, pending 0`,
    )
    .action(
      action(
        io,
        state,
        async (ctx, opts: { config?: string; peer?: string; pageSize?: string }) => {
          const size = pageSize(opts.pageSize);
          await withNode(ctx.io, opts.config, async (node) => {
            const { host, peers } = await federationPeers(node, opts.peer);
            const reports: PullReport[] = [];
            const failures: { peer: string; code: string; message: string }[] = [];
            for (const peer of peers) {
              try {
                const r = await pullPeer(host, peer, {
                  ...(size === undefined ? {} : { pageSize: size }),
                  onProgress: (p) => {
                    if (!ctx.json)
                      ctx.io.stderr(
                        `${p.peer}  ${p.agreementId}  page ${p.pages}, ${p.objects} objects\n`,
                      );
                  },
                });
                reports.push(r);
                if (!ctx.json) {
                  for (const c of r.collections)
                    ctx.line(
                      `${r.peer}  ${c.agreementId}/${c.purpose}  ${c.pages} page${c.pages === 1 ? '' : 's'}, ${c.received} objects (${c.inserted} new, ${c.unchanged + c.alreadyHeld} held already)`,
                    );
                  for (const a of r.missingRoots)
                    ctx.line(ctx.style.dim(`${r.peer}  ${a}: the peer serves no api root for it`));
                  if (r.revoked + r.withdrawn > 0)
                    ctx.line(
                      `${r.peer}  withdrawn here: ${r.revoked} revoked, ${r.withdrawn} withdrawn by the producer`,
                    );
                  ctx.line(
                    `${r.peer}  receipts delivered ${r.receipts.delivered}, pending ${r.receipts.pending}`,
                  );
                }
              } catch (err) {
                if (!isConcordatError(err)) throw err;
                failures.push({ peer: peer.party, code: err.code, message: err.message });
                if (!ctx.json)
                  ctx.line(ctx.style.red(`${peer.party}  ${err.code}: ${err.message}`));
              }
            }
            if (ctx.json) ctx.emitJson({ pulled: reports, failed: failures });
            if (failures.length > 0) ctx.fail(1);
          });
        },
      ),
    );
}
