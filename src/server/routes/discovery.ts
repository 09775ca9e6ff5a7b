/**
 * TAXII 2.1 discovery (§4.1), API root information (§4.2), status (§4.3), collections (§5.1)
 * and one collection (§5.2). An API root per agreement; a collection per purpose
 * (docs/taxii.md).
 */
import type { FastifyInstance } from 'fastify';
import { ConcordatError } from '../../core/index.js';
import { parseQuery } from '../query.js';
import { STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE } from '../media.js';
import {
  collectionId,
  partyOf,
  principalOf,
  purposeFor,
  rootFor,
  sendTaxii,
  type RouteDeps,
} from '../route-deps.js';
import type { Principal } from '../auth.js';
import type { AgreementRoot } from '../context.js';
import type { Purpose } from '../../agreement/index.js';

function collectionResource(root: AgreementRoot, purpose: Purpose, principal: Principal) {
  return {
    id: collectionId(root.agreement.id, purpose.id),
    title: purpose.id,
    description:
      `what your agency may receive under \`${root.agreement.id}\` for the purpose ` +
      `\`${purpose.id}\`, decided at each request`,
    alias: purpose.id,
    can_read: principal.scopes.includes('read'),
    can_write: principal.scopes.includes('write'),
    media_types: [STIX_MEDIA_TYPE],
  };
}

/** Registers discovery, API root, status and collection routes. */
export function discoveryRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get('/taxii2/', async (request, reply) => {
    parseQuery(request.query, [], deps.limits);
    const principal = principalOf(request);
    const roots = [...deps.roots.values()]
      .filter((r) => partyOf(r.agreement, principal.agency) !== undefined)
      .map((r) => `/taxii2/${r.agreement.id}/`);
    return sendTaxii(reply, 200, {
      title: deps.discovery.title,
      ...(deps.discovery.description === undefined
        ? {}
        : { description: deps.discovery.description }),
      ...(deps.discovery.contact === undefined ? {} : { contact: deps.discovery.contact }),
      ...(roots.length === 1 ? { default: roots[0] } : {}),
      api_roots: roots,
    });
  });

  app.get<{ Params: { root: string } }>('/taxii2/:root/', async (request, reply) => {
    parseQuery(request.query, [], deps.limits);
    const root = rootFor(deps, principalOf(request), request.params.root);
    return sendTaxii(reply, 200, {
      title: root.agreement.title,
      description: `agreement \`${root.agreement.id}\` version ${root.agreement.version}`,
      versions: [TAXII_MEDIA_TYPE],
      max_content_length: deps.limits.maxContentLength,
    });
  });

  app.get<{ Params: { root: string; status: string } }>(
    '/taxii2/:root/status/:status/',
    async (request, reply) => {
      parseQuery(request.query, [], deps.limits);
      const principal = principalOf(request);
      const root = rootFor(deps, principal, request.params.root);
      const status = deps.statuses.get(root.agreement.id, principal.agency, request.params.status);
      if (status === undefined) throw new ConcordatError('ERR_NOT_FOUND', 'status not found');
      return sendTaxii(reply, 200, status);
    },
  );

  app.get<{ Params: { root: string } }>('/taxii2/:root/collections/', async (request, reply) => {
    parseQuery(request.query, [], deps.limits);
    const principal = principalOf(request);
    const root = rootFor(deps, principal, request.params.root);
    return sendTaxii(reply, 200, {
      collections: root.agreement.purposes.map((p) => collectionResource(root, p, principal)),
    });
  });

  app.get<{ Params: { root: string; collection: string } }>(
    '/taxii2/:root/collections/:collection/',
    async (request, reply) => {
      parseQuery(request.query, [], deps.limits);
      const principal = principalOf(request);
      const root = rootFor(deps, principal, request.params.root);
      const purpose = purposeFor(root, request.params.collection);
      return sendTaxii(reply, 200, collectionResource(root, purpose, principal));
    },
  );
}
