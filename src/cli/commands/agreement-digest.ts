/**
 * `concordat agreement digest FILE`: the `sha256:…` of the agreement's RFC 8785 canonical
 * form — what every party signs, and what two copies must share to be the same agreement.
 */
import type { Command } from 'commander';
import { agreementDigest } from '../../agreement/index.js';
import { action, type RunState } from '../context.js';
import { displayName } from '../input.js';
import type { CliIo } from '../io.js';
import { loadAgreementFile } from '../load-agreement.js';

/** Registers `agreement digest`. */
export function registerDigest(parent: Command, io: CliIo, state: RunState): void {
  parent
    .command('digest')
    .description('print the sha256 digest of the canonical (RFC 8785) form of an agreement')
    .argument('<file>', 'agreement file (YAML or JSON); `-` reads standard input')
    .addHelpText(
      'after',
      `
Whitespace, key order and YAML-vs-JSON do not change the digest; any value does.

Example:
  $ concordat agreement digest examples/agreements/northsea-compact.yaml
  sha256:3b1f…`,
    )
    .action(
      action(io, state, async (ctx, file: string) => {
        const loaded = await loadAgreementFile(ctx.io, file);
        const digest = agreementDigest(loaded.document);
        if (ctx.json)
          ctx.emitJson({
            file: displayName(file),
            agreement: loaded.agreement.id,
            version: loaded.agreement.version,
            digest,
          });
        else ctx.line(digest);
      }),
    );
}
