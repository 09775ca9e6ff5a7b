/**
 * `concordat agreement verify FILE --signatures FILE.sig.json --keys KEYS`: checks every
 * party's detached signature against the trusted keys; a table per party; exit 1 unless every
 * party signed validly (`--allow-partial`: unless every signature present is valid).
 */
import type { Command } from 'commander';
import { verifyAgreementSignatures, type VerifyResult } from '../../agreement/index.js';
import { action, type CommandContext, type RunState } from '../context.js';
import { displayName, readJsonInput } from '../input.js';
import type { CliIo } from '../io.js';
import { loadAgreementFile, type LoadedAgreement } from '../load-agreement.js';
import { formatTable } from '../style.js';
import { readTrustedKeys } from '../trusted-keys.js';
import { defaultSignaturePath } from './agreement-sign.js';

/** A verification and whether it passes under the chosen strictness. */
export interface VerifyOutcome {
  readonly file: string;
  readonly signatures: string;
  readonly agreement: string;
  readonly version: number;
  /** The agreement's parties, in order. */
  readonly parties: readonly string[];
  /** Whether the command succeeds (all parties, or with `--allow-partial` all present). */
  readonly passed: boolean;
  readonly result: VerifyResult;
}

/** Verifies a file's signatures; the walkthrough reuses it. */
export async function verifyFile(
  ctx: CommandContext,
  file: string,
  opts: { signatures?: string; keys: string; allowPartial?: boolean },
  preloaded?: LoadedAgreement,
): Promise<VerifyOutcome> {
  const loaded = preloaded ?? (await loadAgreementFile(ctx.io, file));
  const sigPath = opts.signatures ?? defaultSignaturePath(file);
  const sigFile = await readJsonInput(ctx.io, sigPath);
  const trusted = await readTrustedKeys(ctx.io, opts.keys);
  const result = verifyAgreementSignatures(loaded.document, sigFile, trusted);
  const presentAllValid =
    result.problems.length === 0 &&
    result.signatures.every((s) => s.valid) &&
    result.signed.length > 0;
  return {
    file: displayName(file),
    signatures: sigPath,
    agreement: loaded.agreement.id,
    version: loaded.agreement.version,
    parties: loaded.agreement.parties.map((p) => p.id),
    passed: result.ok || (opts.allowPartial === true && presentAllValid),
    result,
  };
}

/** Prints a verification as a per-party table. */
export function printVerify(ctx: CommandContext, outcome: VerifyOutcome): void {
  const { style } = ctx;
  const { parties } = outcome;
  const { result } = outcome;
  ctx.line(`${style.bold(outcome.agreement)} v${outcome.version}  ${style.dim(result.digest)}`);
  ctx.line(style.dim(`signatures from ${outcome.signatures}`));
  ctx.line();
  for (const p of result.problems)
    ctx.line(`${style.red('✗')} ${p.code}  ${p.message}  ${style.dim(`(${p.path})`)}`);
  if (result.problems.length > 0) ctx.line();
  const rows = parties.map((party) => {
    const entries = result.signatures.filter((s) => s.party === party);
    const good = entries.find((s) => s.valid);
    if (good !== undefined && good.valid)
      return [party, style.green('✓ valid'), `${good.keyId.slice(0, 16)}…`, good.signedAt, ''];
    const bad = entries.find((s) => !s.valid);
    if (bad !== undefined && !bad.valid)
      return [party, style.red(`✗ ${bad.reason}`), '', '', bad.message];
    return [party, style.yellow('— not signed'), '', '', ''];
  });
  const strangers = result.signatures.filter(
    (s) => !s.valid && (s.party === undefined || !parties.includes(s.party)),
  );
  for (const s of strangers)
    if (!s.valid)
      rows.push([s.party ?? `entry ${s.index}`, style.red(`✗ ${s.reason}`), '', '', s.message]);
  for (const line of formatTable(rows, {
    header: ['party', 'signature', 'key id', 'signed at', 'note'],
    indent: '  ',
    headerStyle: style.dim,
  }))
    ctx.line(line);
  ctx.line();
  const verdict = `${result.signed.length} of ${parties.length} parties signed validly`;
  ctx.line(
    outcome.passed
      ? `${style.green('verified')}: ${verdict}`
      : `${style.red('NOT verified')}: ${verdict}`,
  );
  if (result.missing.length > 0 && result.problems.length === 0)
    ctx.line(
      style.dim(
        `  → ${result.missing.join(', ')} still to sign with \`concordat agreement sign\`${outcome.passed ? '' : ', or pass --allow-partial to accept the signatures so far'}`,
      ),
    );
  else if (!outcome.passed)
    ctx.line(
      style.dim(
        '  → the document changed after signing, or a key is wrong: compare digests, re-sign',
      ),
    );
}

/** Registers `agreement verify`. */
export function registerVerify(parent: Command, io: CliIo, state: RunState): void {
  parent
    .command('verify')
    .description("verify every party's signature on an agreement against trusted keys")
    .argument('<file>', 'agreement file (YAML or JSON)')
    .option('--signatures <file.sig.json>', 'signature file (default FILE.sig.json)')
    .requiredOption(
      '--keys <keys>',
      'directory of <PARTY>.pub.pem files, or a JSON map party → PEM',
    )
    .option(
      '--allow-partial',
      'succeed when every signature present is valid, even if a party has not signed',
    )
    .addHelpText(
      'after',
      `
Exit 0 when every party signed validly (with --allow-partial: every signature present is
valid), 1 otherwise.

Example:
  $ concordat agreement verify compact.yaml --signatures compact.yaml.sig.json --keys keys/`,
    )
    .action(
      action(
        io,
        state,
        async (
          ctx,
          file: string,
          opts: { signatures?: string; keys: string; allowPartial?: boolean },
        ) => {
          const outcome = await verifyFile(ctx, file, opts);
          if (ctx.json) ctx.emitJson(outcome);
          else printVerify(ctx, outcome);
          if (!outcome.passed) ctx.fail(1);
        },
      ),
    );
}
