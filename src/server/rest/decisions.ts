/**
 * `POST /api/v1/decisions`: the decision, with its explanation, for a request described by
 * metadata (agency, purpose, object type / TLP / personal-data category / producer, instant).
 * No stored object is read or named, so the answer cannot reveal whether an object exists.
 * An agency asks about itself only; an `admin` credential may ask about any agency.
 */
import type { FastifyInstance } from 'fastify';
import { ConcordatError, formatInstant } from '../../core/index.js';
import { validateDecisionRequest } from '../../policy/index.js';
import { partyOf } from '../route-deps.js';
import { isAdmin, principal, restRoute, sendJson, type RestDeps } from './rest-deps.js';
import type { RouteSpec } from './route-spec.js';

const SPEC: RouteSpec = {
  method: 'POST',
  url: '/api/v1/decisions',
  operationId: 'decide',
  summary: 'the decision and its explanation (stage, clauses with source locations, obligations)',
  tag: 'decisions',
  auth: 'any',
  body: { kind: 'json', schema: 'DecisionQuery', mediaTypes: ['application/json'] },
  responses: { '200': { description: 'the decision', schema: 'Decision' } },
  errorStatuses: [400, 401, 403, 404, 406, 413, 415],
};

/** Registers the decision route. */
export function decisionRoutes(app: FastifyInstance, deps: RestDeps): void {
  restRoute(app, deps, SPEC, async (request, reply) => {
    const p = principal(request);
    const body = request.body as { agreement: string; request: unknown };
    const root = deps.roots.get(body.agreement);
    if (root === undefined || (!isAdmin(p) && partyOf(root.agreement, p.agency) === undefined))
      throw new ConcordatError('ERR_NOT_FOUND', 'agreement not found');
    const req = validateDecisionRequest(body.request);
    if (!isAdmin(p) && req.agency !== p.agency)
      throw new ConcordatError(
        'ERR_FORBIDDEN',
        'an agency may ask about its own releases only (`admin` scope to ask about others)',
      );
    const decision = root.engine.decide(req, await deps.state(root.agreement.id, req.at));
    deps.meter.query(decision.effect, decision.effect === 'allow' ? 'allow' : decision.stage);
    return sendJson(reply, 200, {
      agreement: root.engine.agreementId,
      version: root.engine.agreementVersion,
      at: formatInstant(req.at),
      decision,
    });
  });
}

/** The decision route as the OpenAPI document describes it. */
export const DECISION_ROUTES: readonly RouteSpec[] = [SPEC];
