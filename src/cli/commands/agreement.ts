/** The `agreement` command group: validate, explain, diff, digest, sign, verify. */
import type { Command } from 'commander';
import type { RunState } from '../context.js';
import type { CliIo } from '../io.js';
import { registerDiff } from './agreement-diff.js';
import { registerDigest } from './agreement-digest.js';
import { registerExplain } from './agreement-explain.js';
import { registerSign } from './agreement-sign.js';
import { registerValidate } from './agreement-validate.js';
import { registerVerify } from './agreement-verify.js';

/** Registers `concordat agreement …`. */
export function registerAgreementCommands(program: Command, io: CliIo, state: RunState): void {
  const agreement = program
    .command('agreement')
    .description('validate, explain, diff, digest, sign and verify agreements')
    .helpCommand(false);
  registerValidate(agreement, io, state);
  registerExplain(agreement, io, state);
  registerDiff(agreement, io, state);
  registerDigest(agreement, io, state);
  registerSign(agreement, io, state);
  registerVerify(agreement, io, state);
}
