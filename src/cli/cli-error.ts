/**
 * Errors the CLI raises itself. A `CliError` is a `ConcordatError` (same code, exit code and
 * JSON form) that also says what to do next, because an error that only says what went wrong
 * leaves the user stuck.
 */
import { ConcordatError, type ErrorCode } from '../core/index.js';

/** A `ConcordatError` with a one-line hint for the human output. */
export class CliError extends ConcordatError {
  /** What to do about it, shown under the message (not part of the JSON form). */
  readonly hint: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: unknown; cause?: unknown; hint?: string } = {},
  ) {
    super(code, message, {
      ...(options.details === undefined ? {} : { details: options.details }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.name = 'CliError';
    this.hint = options.hint;
  }
}

/** An `ERR_USAGE` error; the default hint points at `--help` of the command. */
export function usageError(message: string, command = 'concordat'): CliError {
  return new CliError('ERR_USAGE', message, { hint: `run \`${command} --help\` for usage` });
}
