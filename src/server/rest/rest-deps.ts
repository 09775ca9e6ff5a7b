/**
 * What REST route modules get: ports, never the database or the vault (the one-door test
 * holds this for every server file), and the helpers they share.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { ConcordatError, ERROR_CODES } from '../../core/index.js';
import type { Clock } from '../../core/index.js';
import type { DecisionState } from '../../policy/index.js';
import type { Principal } from '../auth.js';
import type { AgreementRoot, IngestPort, ServerLimits } from '../context.js';
import type { Meter } from './meter.js';
import type { RestPorts } from './ports.js';
import type { RouteSpec } from './route-spec.js';
import { SCHEMAS } from './schemas.js';

/** REST route dependencies. */
export interface RestDeps {
  readonly roots: ReadonlyMap<string, AgreementRoot>;
  readonly limits: ServerLimits;
  readonly clock: Clock;
  readonly ingest: IngestPort;
  readonly state: (agreementId: string, at: number) => DecisionState | Promise<DecisionState>;
  readonly ports: RestPorts;
  readonly meter: Meter;
  /** Every route spec registered (TAXII and REST): the OpenAPI document's input. */
  readonly specs: RouteSpec[];
}

/** The REST error body (docs/rest.md). */
export interface RestErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}

/** The body of a coded error; 5xx details are dropped (they may name stored things). */
export function restErrorBody(err: ConcordatError): RestErrorBody {
  const status = ERROR_CODES[err.code].status;
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(err.details === undefined || status >= 500 ? {} : { details: err.details }),
    },
  };
}

/** The port `name`, or `ERR_NOT_CONFIGURED`. */
export function port<K extends keyof RestPorts>(
  deps: RestDeps,
  name: K,
): NonNullable<RestPorts[K]> {
  const p = deps.ports[name];
  if (p === undefined)
    throw new ConcordatError(
      'ERR_NOT_CONFIGURED',
      `this node was started without \`${String(name)}\`; the endpoint is unavailable`,
    );
  return p as NonNullable<RestPorts[K]>;
}

/** The principal of the request (set by the REST auth hook on every route that needs one). */
export function principal(request: FastifyRequest): Principal {
  const p = request.principal;
  if (p === null) throw new ConcordatError('ERR_UNAUTHENTICATED', 'no credential');
  return p;
}

/** Whether the principal carries the `admin` scope. */
export function isAdmin(p: Principal): boolean {
  return p.scopes.includes('admin');
}

/** Registers `spec` with its schemas (the same objects the OpenAPI document holds). */
export function restRoute(
  app: FastifyInstance,
  deps: RestDeps,
  spec: RouteSpec,
  handler: RouteHandlerMethod,
): void {
  deps.specs.push(spec);
  const schema: Record<string, unknown> = {};
  if (spec.params !== undefined) schema['params'] = SCHEMAS[spec.params];
  if (spec.query !== undefined) schema['querystring'] = SCHEMAS[spec.query];
  if (spec.body?.kind === 'json') schema['body'] = SCHEMAS[spec.body.schema];
  app.route({ method: spec.method, url: spec.url, schema, config: { spec }, handler });
}

/** Sends JSON. */
export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(body));
}

/** Base64 of a hash (the OpenAPI schemas' `b64hash`). */
export function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
