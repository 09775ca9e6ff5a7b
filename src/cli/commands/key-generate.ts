/**
 * `concordat key generate --party P --out DIR`: a fresh Ed25519 signing key pair,
 * `<P>.key.pem` (PKCS#8, mode 0600) and `<P>.pub.pem` (SPKI). Never overwrites a key.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { generateSigningKeyPair, keyId } from '../../agreement/index.js';
import { CliError } from '../cli-error.js';
import { action, type CommandContext, type RunState } from '../context.js';
import type { CliIo } from '../io.js';

// The party id becomes a file name: no separators, no `..`, nothing a shell would mangle.
const FILE_SAFE_PARTY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Where `generateKeys` wrote the pair. */
export interface GeneratedKeys {
  readonly party: string;
  readonly privateKey: string;
  readonly publicKey: string;
  readonly keyId: string;
}

/** Generates and writes a party's key pair; the walkthrough reuses it. */
export async function generateKeys(
  ctx: CommandContext,
  opts: { party: string; out: string },
): Promise<GeneratedKeys> {
  if (!FILE_SAFE_PARTY.test(opts.party) || opts.party.includes('..'))
    throw new CliError('ERR_USAGE', `\`--party\` \`${opts.party}\` cannot name a key file`, {
      details: { option: '--party', value: opts.party },
      hint: 'use the party id from the agreement: letters, digits, `.`, `_`, `-`',
    });
  const privatePath = join(opts.out, `${opts.party}.key.pem`);
  const publicPath = join(opts.out, `${opts.party}.pub.pem`);
  for (const path of [privatePath, publicPath])
    if ((await ctx.io.fs.kind(path)) !== undefined)
      throw new CliError('ERR_USAGE', `\`${path}\` already exists; refusing to overwrite a key`, {
        details: { path },
        hint: 'choose another `--out` directory, or move the old key away first',
      });
  const pair = generateSigningKeyPair();
  // The private key is written exclusively with mode 0600: readable by its owner only.
  await ctx.io.fs.writeText(privatePath, pair.privateKey, { mode: 0o600, exclusive: true });
  await ctx.io.fs.writeText(publicPath, pair.publicKey, { mode: 0o644, exclusive: true });
  return {
    party: opts.party,
    privateKey: privatePath,
    publicKey: publicPath,
    keyId: keyId(pair.publicKey),
  };
}

/** Registers `key generate`. */
export function registerKeyGenerate(parent: Command, io: CliIo, state: RunState): void {
  parent
    .command('generate')
    .description("generate a party's Ed25519 signing key pair")
    .requiredOption('--party <party>', 'the party the key signs for (names the files)')
    .requiredOption('--out <dir>', 'directory to write <PARTY>.key.pem and <PARTY>.pub.pem into')
    .addHelpText(
      'after',
      `
The private key is written with mode 0600; keep it in the node's vault. Share the .pub.pem.

Example:
  $ concordat key generate --party ARV --out keys/
  wrote keys/ARV.key.pem (private, 0600) and keys/ARV.pub.pem`,
    )
    .action(
      action(io, state, async (ctx, opts: { party: string; out: string }) => {
        const keys = await generateKeys(ctx, opts);
        if (ctx.json) ctx.emitJson(keys);
        else {
          ctx.line(
            `wrote ${keys.privateKey} ${ctx.style.dim('(private, mode 0600 — keep it secret)')}`,
          );
          ctx.line(
            `wrote ${keys.publicKey} ${ctx.style.dim('(public — give it to the other parties)')}`,
          );
          ctx.line(`key id ${keys.keyId}`);
        }
      }),
    );
}
