/**
 * `concordat agreement sign FILE --party P --key KEY.pem [--out FILE.sig.json] [--at TIME]`:
 * adds this party's detached signature to the signature file, creating it when absent and
 * replacing the party's earlier signature when present.
 */
import type { Command } from 'commander';
import {
  agreementDigest,
  formatSignatureFile,
  parseSignatureFile,
  signAgreement,
  signatureFile,
  type AgreementSignature,
} from '../../agreement/index.js';
import { CliError } from '../cli-error.js';
import { action, type CommandContext, type RunState } from '../context.js';
import { displayName, parseAtOption, readInput } from '../input.js';
import type { CliIo } from '../io.js';
import { loadAgreementFile, type LoadedAgreement } from '../load-agreement.js';

/** The default signature file next to an agreement file. */
export function defaultSignaturePath(file: string): string {
  return `${file}.sig.json`;
}

/** What `sign` did, as `--json` prints it. */
export interface SignOutcome {
  readonly file: string;
  readonly signatures: string;
  readonly party: string;
  readonly keyId: string;
  readonly signedAt: string;
  readonly digest: string;
  /** Whether an earlier signature of the party was replaced. */
  readonly replaced: boolean;
  /** Parties that have signed this file, in file order. */
  readonly signedBy: readonly string[];
}

/** Signs `file` for `party` and writes the signature file; the walkthrough reuses it. */
export async function signFile(
  ctx: CommandContext,
  file: string,
  opts: { party: string; key: string; out?: string; at?: string },
  preloaded?: LoadedAgreement,
): Promise<SignOutcome> {
  if (file === '-')
    throw new CliError(
      'ERR_USAGE',
      'cannot sign standard input: the signature file sits next to the agreement',
      {
        hint: 'pass the agreement file path',
      },
    );
  const signedAt = parseAtOption(opts.at, ctx.io.clock);
  const loaded = preloaded ?? (await loadAgreementFile(ctx.io, file));
  const privateKey = await readInput(ctx.io, opts.key);
  const out = opts.out ?? defaultSignaturePath(file);
  const digest = agreementDigest(loaded.document);

  let existing: readonly AgreementSignature[] = [];
  if ((await ctx.io.fs.kind(out)) !== undefined) {
    const current = parseSignatureFile(await readInput(ctx.io, out));
    if (current.digest !== digest)
      throw new CliError(
        'ERR_SIGNATURE_INVALID',
        `\`${out}\` holds signatures of another document (digest \`${current.digest}\`, this one is \`${digest}\`)`,
        {
          details: { signatures: out, fileDigest: current.digest, digest },
          hint: 'the agreement changed since those signatures: write to a new `--out` file, or remove the old one',
        },
      );
    existing = current.signatures;
  }
  const signature = signAgreement(loaded.document, {
    party: opts.party,
    privateKey,
    signedAt,
  });
  const replaced = existing.some((s) => s.party === opts.party);
  const entries = [...existing.filter((s) => s.party !== opts.party), signature];
  await ctx.io.fs.writeText(out, formatSignatureFile(signatureFile(loaded.document, entries)));
  return {
    file: displayName(file),
    signatures: out,
    party: opts.party,
    keyId: signature.key_id,
    signedAt: signature.signed_at,
    digest,
    replaced,
    signedBy: entries.map((s) => s.party),
  };
}

/** Registers `agreement sign`. */
export function registerSign(parent: Command, io: CliIo, state: RunState): void {
  parent
    .command('sign')
    .description("add a party's detached Ed25519 signature to the agreement's signature file")
    .argument('<file>', 'agreement file (YAML or JSON)')
    .requiredOption('--party <party>', 'the signing party (an id from the agreement)')
    .requiredOption('--key <key.pem>', "the party's Ed25519 private key (PKCS#8 PEM)")
    .option('--out <file.sig.json>', 'signature file to create or add to (default FILE.sig.json)')
    .option('--at <time>', 'signing time (RFC 3339; default now)')
    .addHelpText(
      'after',
      `
Example:
  $ concordat agreement sign compact.yaml --party ARV --key keys/ARV.key.pem
  signed northsea-cti-compact v3 for ARV → compact.yaml.sig.json (signed by: ARV)`,
    )
    .action(
      action(
        io,
        state,
        async (
          ctx,
          file: string,
          opts: { party: string; key: string; out?: string; at?: string },
        ) => {
          const outcome = await signFile(ctx, file, opts);
          if (ctx.json) {
            ctx.emitJson(outcome);
            return;
          }
          const { style } = ctx;
          ctx.line(
            `${style.green('signed')} ${outcome.file} for ${style.bold(outcome.party)} → ${outcome.signatures}${outcome.replaced ? ' (replaced its earlier signature)' : ''}`,
          );
          ctx.line(`  digest     ${outcome.digest}`);
          ctx.line(`  key id     ${outcome.keyId}`);
          ctx.line(`  signed at  ${outcome.signedAt}`);
          ctx.line(`  signed by  ${outcome.signedBy.join(', ')}`);
        },
      ),
    );
}
