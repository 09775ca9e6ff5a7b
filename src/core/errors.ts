import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/**
 * The one base error. Every error Concordat raises on purpose is a `ConcordatError` with a
 * stable `code` from the registry. Messages are lowercase, quote values in backticks, and never
 * carry intelligence content.
 */
export class ConcordatError extends Error {
  /** Stable, documented code (see docs/errors.md). */
  readonly code: ErrorCode;
  /** Structured details for machines: validation issues, the offending field, ... */
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options?: { details?: unknown; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConcordatError';
    this.code = code;
    this.details = options?.details;
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  /** CLI exit code for this error's code. */
  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }

  /** Plain JSON form for `--json` output and API bodies. */
  toJSON(): { code: ErrorCode; message: string; details?: unknown } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** True when `value` is a `ConcordatError`, optionally with the given code. */
export function isConcordatError(value: unknown, code?: ErrorCode): value is ConcordatError {
  return value instanceof ConcordatError && (code === undefined || value.code === code);
}
