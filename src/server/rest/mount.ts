/**
 * Mounts the REST API (docs/rest.md) on the node's fastify app: JSON bodies validated by the
 * route schemas (ajv, every issue, unknown fields rejected — never stripped), coded JSON errors
 * `{ error: { code, message, details } }` (authentication is the server's hook, which skips
 * only {@link isOpenPath}), request metering for
 * every route, and the registered-route list the OpenAPI coverage test compares with the
 * document. Called once by `buildServer`, before the TAXII routes are registered.
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConcordatError } from '../../core/index.js';
import { toApiError } from '../errors.js';
import { agreementRoutes } from './agreements.js';
import { bundleRoutes } from './bundles.js';
import { dashboardRoutes } from './dashboard.js';
import { decisionRoutes } from './decisions.js';
import { escalationRoutes } from './escalation.js';
import { ledgerRoutes } from './ledger.js';
import { makeMeter, type Meter } from './meter.js';
import { acceptedType } from './negotiate.js';
import { operationRoutes } from './operations.js';
import { oversightRoutes } from './oversight.js';
import { restErrorBody, type RestDeps } from './rest-deps.js';
import type { RouteSpec } from './route-spec.js';
import { TAXII_ROUTES } from './taxii-specs.js';

/** A registered route: method and fastify URL. */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered (HEAD twins excluded), for the OpenAPI coverage check. */
    registeredRoutes: readonly RegisteredRoute[];
    /** Every route the OpenAPI document describes (`federationRoutes` appends its own). */
    documentedRoutes: RouteSpec[];
  }
}

/** Whether a request URL belongs to the REST API (and not to TAXII). */
export function isRestPath(url: string): boolean {
  const path = url.split('?', 1)[0] ?? '';
  return (
    path === '/api' ||
    path.startsWith('/api/') ||
    path === '/healthz' ||
    path === '/readyz' ||
    path === '/metrics'
  );
}

/** The dashboard's static page (no data; docs/dashboard.md), with and without the slash. */
const DASHBOARD_PATHS: ReadonlySet<string> = new Set(['/dashboard', '/dashboard/']);

/**
 * Routes that need no credential: liveness and readiness probes (booleans only) and the
 * dashboard's static page, whose script then calls the API with the user's token.
 */
export function isOpenPath(url: string): boolean {
  const path = url.split('?', 1)[0] ?? '';
  return path === '/healthz' || path === '/readyz' || DASHBOARD_PATHS.has(path);
}

/** What {@link mountRest} needs (everything but the meter and the spec list). */
export type MountOptions = Omit<RestDeps, 'meter' | 'specs'>;

function issues(errors: readonly ErrorObject[], part: string): unknown[] {
  return errors.map((e) => ({
    in: part,
    path: e.instancePath === '' ? '/' : e.instancePath,
    message:
      e.keyword === 'additionalProperties'
        ? `unknown field \`${String((e.params as { additionalProperty?: unknown }).additionalProperty)}\``
        : (e.message ?? e.keyword),
  }));
}

function restError(err: unknown, request: FastifyRequest): ConcordatError {
  const fe = err as Partial<FastifyError> & { validation?: ErrorObject[] };
  if (Array.isArray(fe.validation)) {
    const part = fe.validationContext ?? 'body';
    return new ConcordatError(
      'ERR_BODY_INVALID',
      `the request ${part} does not match the endpoint schema; every issue is listed`,
      { details: { issues: issues(fe.validation, part) } },
    );
  }
  const api = toApiError(err);
  if (api.code === 'ERR_MEDIA_TYPE_UNSUPPORTED' && !(err instanceof ConcordatError))
    return new ConcordatError(
      api.code,
      `\`${request.headers['content-type'] ?? 'none'}\` is not a media type this endpoint takes`.slice(
        0,
        200,
      ),
    );
  if (api.code === 'ERR_INPUT_TOO_LARGE' && !(err instanceof ConcordatError))
    return new ConcordatError(api.code, 'the request body is larger than the node’s limit');
  return api;
}

function sendError(reply: FastifyReply, err: ConcordatError): FastifyReply {
  return reply
    .code(err.status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(restErrorBody(err)));
}

/** Mounts the REST API; returns the meter so `buildServer` can meter the door and ingest. */
export function mountRest(app: FastifyInstance, options: MountOptions): Meter {
  const meter = makeMeter();
  const registered: RegisteredRoute[] = [];
  const specs: RouteSpec[] = [...TAXII_ROUTES];
  app.decorate('registeredRoutes', registered);
  app.decorate('documentedRoutes', specs);
  app.addHook('onRoute', (route) => {
    for (const m of [route.method].flat())
      if (m !== 'HEAD') registered.push({ method: m, url: route.url });
  });
  app.addHook('onResponse', async (request, reply) => {
    meter.request(request.routeOptions.url ?? 'unmatched', request.method, reply.statusCode);
  });
  const deps: RestDeps = { ...options, ingest: meter.ingest(options.ingest), meter, specs };
  const body = new Ajv2020({
    allErrors: true,
    strict: false,
    coerceTypes: false,
    useDefaults: true,
  });
  const text = new Ajv2020({
    allErrors: true,
    strict: false,
    coerceTypes: true,
    useDefaults: true,
  });

  app.register(async (rest) => {
    rest.removeAllContentTypeParsers();
    rest.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: options.limits.maxContentLength },
      rest.getDefaultJsonParser('error', 'error'),
    );
    rest.setValidatorCompiler(({ schema, httpPart }) =>
      (httpPart === 'body' ? body : text).compile(schema as object),
    );
    rest.setErrorHandler(async (err, request, reply) => sendError(reply, restError(err, request)));
    // RFC 9110 §12.5.1: answer 406 before any work when no offered type is acceptable.
    rest.addHook('onRequest', async (request) => {
      const spec = (request.routeOptions.config as { spec?: RouteSpec }).spec;
      if (spec === undefined) return;
      const offered = new Set(
        Object.values(spec.responses).flatMap((r) =>
          (r.mediaTypes ?? ['application/json']).map((t) => t.split(';', 1)[0] as string),
        ),
      );
      acceptedType(request.headers.accept, [...offered]);
    });
    // A body must be of a media type the route takes, whatever parser fastify found for it.
    rest.addHook('preValidation', async (request) => {
      const spec = (request.routeOptions.config as { spec?: RouteSpec }).spec;
      const type =
        (request.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
      if (spec?.body !== undefined && !spec.body.mediaTypes.includes(type))
        throw new ConcordatError(
          'ERR_MEDIA_TYPE_UNSUPPORTED',
          `send the body as ${spec.body.mediaTypes.map((t) => `\`${t}\``).join(' or ')}`,
        );
    });
    bundleRoutes(rest, deps);
    agreementRoutes(rest, deps);
    decisionRoutes(rest, deps);
    ledgerRoutes(rest, deps);
    oversightRoutes(rest, deps);
    operationRoutes(rest, deps);
    escalationRoutes(rest, deps);
    dashboardRoutes(rest, deps);
  });
  app.register(
    async (api) => {
      api.setErrorHandler(async (err, request, reply) => sendError(reply, restError(err, request)));
      api.setNotFoundHandler(async (_request, reply) =>
        sendError(reply, new ConcordatError('ERR_NOT_FOUND', 'no such api resource')),
      );
    },
    { prefix: '/api' },
  );
  return meter;
}
