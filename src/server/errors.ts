/**
 * Every error leaves as a TAXII 2.1 error message resource (TAXII 2.1 §3.6.1), coded with the
 * registry's code: never a fastify default body, never a stack, never intel content. Errors
 * of the server's own making (5xx) get a fixed description: their messages may name stored
 * objects.
 */
import type { FastifyError } from 'fastify';
import { ConcordatError, ERROR_CODES, isConcordatError } from '../core/index.js';
import type { ErrorCode } from '../core/index.js';

/** TAXII 2.1 error message resource. */
export interface TaxiiError {
  readonly title: string;
  readonly description: string;
  readonly error_code: ErrorCode;
  readonly http_status: string;
  readonly details?: unknown;
}

const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'ERR_INPUT_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'ERR_MEDIA_TYPE_UNSUPPORTED',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'ERR_INPUT_SYNTAX',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'ERR_INPUT_SYNTAX',
  FST_ERR_CTP_INVALID_JSON_BODY: 'ERR_INPUT_SYNTAX',
};

/** Any thrown value as a `ConcordatError` fit to cross the API boundary. */
export function toApiError(err: unknown): ConcordatError {
  if (isConcordatError(err))
    return err.status >= 500
      ? new ConcordatError(err.code, 'the node could not complete the request')
      : err;
  const fe = err as Partial<FastifyError> | null;
  const mapped = typeof fe?.code === 'string' ? FASTIFY_CODES[fe.code] : undefined;
  if (mapped !== undefined) return new ConcordatError(mapped, describe(mapped));
  const status = typeof fe?.statusCode === 'number' ? fe.statusCode : 500;
  if (status === 400 || err instanceof SyntaxError)
    return new ConcordatError('ERR_INPUT_SYNTAX', describe('ERR_INPUT_SYNTAX'));
  if (status === 413)
    return new ConcordatError('ERR_INPUT_TOO_LARGE', describe('ERR_INPUT_TOO_LARGE'));
  if (status === 415)
    return new ConcordatError('ERR_MEDIA_TYPE_UNSUPPORTED', describe('ERR_MEDIA_TYPE_UNSUPPORTED'));
  if (status >= 400 && status < 500) return new ConcordatError('ERR_USAGE', describe('ERR_USAGE'));
  return new ConcordatError('ERR_INTERNAL', 'the node could not complete the request');
}

function describe(code: ErrorCode): string {
  switch (code) {
    case 'ERR_INPUT_TOO_LARGE':
      return 'the request body is larger than `max_content_length`';
    case 'ERR_MEDIA_TYPE_UNSUPPORTED':
      return 'send the body as `application/taxii+json;version=2.1`';
    case 'ERR_INPUT_SYNTAX':
      return 'the request body is not well-formed json';
    default:
      return ERROR_CODES[code].summary;
  }
}

/** The TAXII error body of an API error. */
export function taxiiError(err: ConcordatError): TaxiiError {
  const status = ERROR_CODES[err.code].status;
  return {
    title: ERROR_CODES[err.code].summary,
    description: err.message,
    error_code: err.code,
    http_status: String(status),
    ...(err.details === undefined || status >= 500 ? {} : { details: err.details }),
  };
}
