/**
 * `POST /api/v1/bundles`: publish a STIX 2.1 bundle as the authenticated agency's party, under
 * one agreement. Same ingest port as TAXII POST; all or nothing (an invalid object rejects the
 * bundle with every issue listed, 422, nothing written); answered synchronously.
 */
import type { FastifyInstance } from 'fastify';
import { ConcordatError, addDuration } from '../../core/index.js';
import { storeCollectionOf } from '../door.js';
import { partyOf, requireScope } from '../route-deps.js';
import { principal, restRoute, sendJson, type RestDeps } from './rest-deps.js';
import type { RouteSpec } from './route-spec.js';

const SPEC: RouteSpec = {
  method: 'POST',
  url: '/api/v1/bundles',
  operationId: 'publishBundle',
  summary: 'publish a STIX 2.1 bundle as the agency’s party (all or nothing)',
  tag: 'bundles',
  auth: 'write',
  query: 'BundleQuery',
  body: { kind: 'json', schema: 'Bundle', mediaTypes: ['application/json'] },
  responses: {
    '200': { description: 'every object stored or already stored', schema: 'IngestSummary' },
  },
  errorStatuses: [400, 401, 403, 404, 406, 409, 413, 415, 422],
};

/** Registers the bundle route. */
export function bundleRoutes(app: FastifyInstance, deps: RestDeps): void {
  restRoute(app, deps, SPEC, async (request, reply) => {
    const p = principal(request);
    const { agreement } = request.query as { agreement: string };
    const root = deps.roots.get(agreement);
    const producer = root === undefined ? undefined : partyOf(root.agreement, p.agency);
    // An agreement the agency is not party to is not found, exactly like one that is not served.
    if (root === undefined || producer === undefined)
      throw new ConcordatError('ERR_NOT_FOUND', 'agreement not found');
    requireScope(p, 'write');
    const summary = await deps.ingest(request.body, {
      producer,
      collection: storeCollectionOf(root),
      retainUntilMs: addDuration(deps.clock.now(), root.agreement.core.maxRetention),
    });
    const inserted = summary.objects.filter((o) => o.status === 'inserted').length;
    return sendJson(reply, 200, {
      agreement: root.agreement.id,
      producer,
      total: summary.objects.length,
      inserted,
      unchanged: summary.objects.length - inserted,
      objects: summary.objects.map((o) => ({ id: o.id, version: o.version, status: o.status })),
    });
  });
}

/** The bundle route as the OpenAPI document describes it. */
export const BUNDLE_ROUTES: readonly RouteSpec[] = [SPEC];
