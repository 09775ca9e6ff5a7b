/**
 * How a failed run reports its error: `{ "error": { code, message, details } }` on stdout with
 * `--json`, otherwise a short message and what to do on stderr (the stack only with `--debug`).
 */
import { ConcordatError } from '../core/index.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './io.js';
import { colorWanted, makeStyle } from './style.js';

/** What to do next, per code, when the error itself carries no hint (docs/errors.md). */
const DEFAULT_HINTS: Partial<Record<ConcordatError['code'], string>> = {
  ERR_USAGE: 'run `concordat --help` for usage',
  ERR_INPUT_UNREADABLE: 'check the path and its permissions',
  ERR_INPUT_SYNTAX: 'fix the syntax at the line:column given',
  ERR_AGREEMENT_INVALID: 'run `concordat agreement validate FILE` to see every issue',
  ERR_SIGNATURE_INVALID: 'the document changed after signing, or the wrong key was used',
  ERR_KEY_INVALID: 'supply an ed25519 key in pem (pkcs#8 private, spki public)',
  ERR_REQUEST_INVALID: 'the message names the field; see `concordat decide --help`',
  ERR_INTERNAL: 'this is a bug: please report it with the command that caused it',
};

/** Writes `error` in the form the flags ask for; returns the exit code. */
export function renderError(
  io: CliIo,
  error: ConcordatError,
  flags: { json: boolean; debug: boolean; color: boolean },
): number {
  if (flags.json) {
    io.stdout(JSON.stringify({ error: error.toJSON() }, null, 2) + '\n');
  } else {
    const style = makeStyle(colorWanted(flags.color, io.env, io.stdoutIsTTY));
    const hint = (error instanceof CliError ? error.hint : undefined) ?? DEFAULT_HINTS[error.code];
    io.stderr(`${style.red('error')} ${style.dim(error.code)}  ${error.message}\n`);
    if (hint !== undefined) io.stderr(`  ${style.dim('→')} ${hint}\n`);
    if (flags.debug) {
      const root = error.cause instanceof Error ? error.cause : error;
      if (root.stack !== undefined) io.stderr(root.stack + '\n');
    }
  }
  return error.exitCode;
}

/** Wraps anything unexpected as `ERR_INTERNAL`, keeping the original as the cause. */
export function internalError(err: unknown): ConcordatError {
  const message = err instanceof Error ? err.message : String(err);
  return new ConcordatError(
    'ERR_INTERNAL',
    `internal error: ${message.split('\n')[0] ?? ''} (run with \`--debug\` for the stack)`,
    { cause: err },
  );
}
