/**
 * `buildServer(ctx)`: the node's HTTP server — TAXII 2.1 under `/taxii2/` (docs/taxii.md), the
 * REST API under `/api/v1/` plus `/healthz`, `/readyz`, `/metrics` (docs/rest.md).
 * Everything is injected; building the app registers routes and nothing else (no listening,
 * no connections). The composition root calls `buildServer(ctx)` then `app.listen(...)`.
 *
 * Request pipeline: authenticate (401) → the route's credential kind (403: an oversight
 * credential on anything but the oversight, ledger-proof and probe routes; rest/route-auth.ts)
 * → content negotiation (406) → route (404 for roots, collections and objects the agency may
 * not see) → scope (403) → filters (400) → the door.
 * Every error, including fastify's own (body too large, bad JSON, unknown media type, no
 * route), leaves as a TAXII error message resource.
 */
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyServerFactory } from 'fastify';
import { ConcordatError } from '../core/index.js';
import { authenticate, socketPeerCertificate } from './auth.js';
import { DEFAULT_SERVER_LIMITS } from './context.js';
import type { AgreementRoot, ServerContext, ServerLimits } from './context.js';
import { makeDoor } from './door.js';
import { taxiiError, toApiError } from './errors.js';
import { TAXII_MEDIA_TYPE, acceptsTaxii } from './media.js';
import type { RouteDeps } from './route-deps.js';
import { discoveryRoutes } from './routes/discovery.js';
import { objectRoutes } from './routes/objects.js';
import { gateRequest, isOpenPath, isRestPath, mountRest, specLookup } from './rest/index.js';
import { tokenBucketLimiter } from './rate-limit.js';
import { memoryStatusStore } from './status-store.js';

/** How {@link buildServer} creates its node server. */
export interface BuildServerOptions {
  /**
   * Creates the underlying server from fastify's request handler (default: fastify's plain
   * http server). `concordat serve` passes `https.createServer` with TLS options here: the
   * analyst listener over https, and the mutual-TLS federation listener — the same routes and
   * the same door either way.
   */
  readonly serverFactory?: FastifyServerFactory;
}

/** Builds the fastify app over `ctx`. Throws `ERR_USAGE` for duplicate agreement ids. */
export function buildServer(ctx: ServerContext, options: BuildServerOptions = {}): FastifyInstance {
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...ctx.limits };
  const roots = new Map<string, AgreementRoot>();
  const app = Fastify({
    ...(options.serverFactory === undefined ? {} : { serverFactory: options.serverFactory }),
    logger: false,
    bodyLimit: limits.maxContentLength,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 512 },
    // Malformed or overlong path segments are answered before routing: as TAXII errors too.
    frameworkErrors: (_err, _request, reply) => {
      const api = new ConcordatError('ERR_FILTER_INVALID', 'the request path is malformed');
      void (reply as FastifyReply)
        .code(400)
        .header('content-type', TAXII_MEDIA_TYPE)
        .send(Buffer.from(JSON.stringify(taxiiError(api)), 'utf8'));
    },
  });
  // REST (docs/rest.md): mounted before any route so that it sees (and meters) them all.
  const meter = mountRest(app, {
    roots,
    limits,
    clock: ctx.clock,
    ingest: ctx.ingest,
    state: ctx.state,
    ports: ctx.rest ?? {},
  });
  for (const r of ctx.agreements) {
    if (roots.has(r.agreement.id))
      throw new ConcordatError('ERR_USAGE', `agreement \`${r.agreement.id}\` is served twice`);
    roots.set(r.agreement.id, meter.root(r));
  }
  const deps: RouteDeps = {
    door: meter.door(makeDoor(ctx)),
    roots,
    limits,
    clock: ctx.clock,
    ingest: meter.ingest(ctx.ingest),
    statuses: memoryStatusStore(limits.maxStatuses),
    discovery: ctx.discovery ?? { title: 'Concordat node' },
  };
  const peerCertificate = ctx.peerCertificate ?? socketPeerCertificate;
  const limiter = ctx.rateLimit === undefined ? undefined : tokenBucketLimiter(ctx.rateLimit);
  const specOf = specLookup(app.documentedRoutes);

  app.decorateRequest('principal', null);
  // Only TAXII bodies are parsed; anything else is 415 before a byte is interpreted.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/taxii+json',
    { parseAs: 'string', bodyLimit: limits.maxContentLength },
    app.getDefaultJsonParser('error', 'error'),
  );

  app.addHook('onRequest', async (request, reply) => {
    if (isOpenPath(request.url)) return; // liveness and readiness probes need no credential
    const now = ctx.clock.now();
    request.principal = await authenticate(request, {
      auth: ctx.auth,
      ...(ctx.certificates === undefined ? {} : { certificates: ctx.certificates }),
      peerCertificate,
      now,
      ...(ctx.credentials === undefined ? {} : { credentials: ctx.credentials }),
      ...(ctx.certificateClock === undefined ? {} : { certificateNow: ctx.certificateClock.now() }),
    });
    const waitMs = limiter?.take(request.principal.agency, now) ?? 0;
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      // RFC 9110 §10.2.3: Retry-After in delay-seconds.
      void reply.header('retry-after', String(seconds));
      throw new ConcordatError(
        'ERR_RATE_LIMITED',
        `too many requests from this agency; retry after ${seconds} s`,
        { details: { retryAfterSeconds: seconds } },
      );
    }
    // Every route's RouteAuth, before its handler: the oversight scope's one place.
    gateRequest(request, request.principal, specOf);
    // REST routes negotiate their own media types.
    if (!isRestPath(request.url) && !acceptsTaxii(request.headers.accept))
      throw new ConcordatError(
        'ERR_NOT_ACCEPTABLE',
        'this endpoint answers `application/taxii+json;version=2.1` only',
      );
  });

  app.setErrorHandler(async (err, _request, reply) => {
    const api = toApiError(err);
    return reply
      .code(api.status)
      .header('content-type', TAXII_MEDIA_TYPE)
      .send(Buffer.from(JSON.stringify(taxiiError(api)), 'utf8'));
  });
  app.setNotFoundHandler(async (_request, reply) => {
    const api = new ConcordatError('ERR_NOT_FOUND', 'no such taxii resource');
    return reply
      .code(404)
      .header('content-type', TAXII_MEDIA_TYPE)
      .send(Buffer.from(JSON.stringify(taxiiError(api)), 'utf8'));
  });

  discoveryRoutes(app, deps);
  objectRoutes(app, deps);
  return app;
}
