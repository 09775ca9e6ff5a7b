/**
 * TAXII 2.1 objects (§5.3 manifest, §5.4 get, §5.5 add, §5.6 by id, §5.7 delete, §5.8
 * versions). Every read goes through the door (`deps.door.release`): what is not released is
 * not there — not listed, not counted, and a by-id or versions request for it is 404 exactly
 * like an id that never existed.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth.js';
import { ConcordatError, addDuration } from '../../core/index.js';
import { formatStixTimestamp } from '../../intel/index.js';
import type { ReleaseChannel, ReleaseResult, ReleasedObject } from '../../release/index.js';
import { microsToInstant } from '../../store/index.js';
import { storeCollectionOf } from '../door.js';
import { STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE, isTaxiiContentType } from '../media.js';
import { STIX_ID_RE, encodeNext, parseQuery, type QueryParam, type TaxiiQuery } from '../query.js';
import {
  dateAddedHeaders,
  partyOf,
  principalOf,
  purposeFor,
  requireScope,
  rootFor,
  sendTaxii,
  type RouteDeps,
} from '../route-deps.js';
import type { StatusResource } from '../status-store.js';

const LIST_PARAMS: readonly QueryParam[] = [
  'added_after',
  'limit',
  'next',
  'match[id]',
  'match[type]',
  'match[version]',
  'match[spec_version]',
];
const BY_ID_PARAMS: readonly QueryParam[] = [
  'added_after',
  'limit',
  'next',
  'match[version]',
  'match[spec_version]',
];
const VERSIONS_PARAMS: readonly QueryParam[] = [
  'added_after',
  'limit',
  'next',
  'match[spec_version]',
];
const DELETE_PARAMS: readonly QueryParam[] = ['match[version]', 'match[spec_version]'];

interface CollectionParams {
  root: string;
  collection: string;
}
interface ObjectParams extends CollectionParams {
  object: string;
}

function checkId(id: string): string {
  if (!STIX_ID_RE.test(id))
    throw new ConcordatError('ERR_FILTER_INVALID', 'the object id is not a stix id');
  return id;
}

function paging(result: ReleaseResult, limit: number): { more: boolean; next?: string } {
  return result.next === undefined
    ? { more: result.more }
    : { more: result.more, next: encodeNext(result.next, limit) };
}

/** Sends JSON text as a 200 TAXII resource (as `sendTaxii` does with a value). */
function sendTaxiiJson(reply: FastifyReply, json: string): FastifyReply {
  return reply.code(200).header('content-type', TAXII_MEDIA_TYPE).send(Buffer.from(json, 'utf8'));
}

/** Registers the object routes. */
export function objectRoutes(app: FastifyInstance, deps: RouteDeps): void {
  /** Resolves root, purpose and principal for a read, then releases one page. */
  async function releasePage(
    params: CollectionParams,
    principalAgency: { agency: string },
    query: TaxiiQuery,
    channel: ReleaseChannel,
  ): Promise<ReleaseResult> {
    const root = deps.roots.get(params.root);
    if (root === undefined) throw new ConcordatError('ERR_NOT_FOUND', 'api root not found');
    const purpose = purposeFor(root, params.collection);
    return deps.door.release(root, {
      agency: principalAgency.agency,
      purpose: purpose.id,
      channel,
      filter: query.filter,
      limit: query.limit,
      ...(query.after === undefined ? {} : { after: query.after }),
    });
  }

  /** Root membership and the `read` scope, before any filter is even parsed. */
  function readPrologue(request: FastifyRequest, params: CollectionParams): Principal {
    const principal = principalOf(request);
    rootFor(deps, principal, params.root);
    requireScope(principal, 'read');
    return principal;
  }

  app.get<{ Params: CollectionParams }>(
    '/taxii2/:root/collections/:collection/objects/',
    async (request, reply) => {
      const principal = readPrologue(request, request.params);
      const query = parseQuery(request.query, LIST_PARAMS, deps.limits);
      const result = await releasePage(request.params, principal, query, 'objects');
      return envelope(reply, result, query.limit);
    },
  );

  app.get<{ Params: CollectionParams }>(
    '/taxii2/:root/collections/:collection/manifest/',
    async (request, reply) => {
      const principal = readPrologue(request, request.params);
      const query = parseQuery(request.query, LIST_PARAMS, deps.limits);
      const result = await releasePage(request.params, principal, query, 'manifest');
      dateAddedHeaders(reply, result.items);
      return sendTaxii(reply, 200, {
        ...paging(result, query.limit),
        ...(result.items.length === 0
          ? {}
          : {
              objects: result.items.map((i) => ({
                id: i.id,
                date_added: microsToInstant(i.dateAddedUs),
                version: i.version,
                media_type: STIX_MEDIA_TYPE,
              })),
            }),
      });
    },
  );

  app.get<{ Params: ObjectParams }>(
    '/taxii2/:root/collections/:collection/objects/:object/',
    async (request, reply) => {
      const principal = readPrologue(request, request.params);
      const id = checkId(request.params.object);
      const q = parseQuery(request.query, BY_ID_PARAMS, deps.limits);
      const query = { ...q, filter: { ...q.filter, ids: [id] } };
      const result = await releasePage(request.params, principal, query, 'object');
      if (result.items.length === 0) throw new ConcordatError('ERR_NOT_FOUND', 'object not found');
      return envelope(reply, result, query.limit);
    },
  );

  app.get<{ Params: ObjectParams }>(
    '/taxii2/:root/collections/:collection/objects/:object/versions/',
    async (request, reply) => {
      const principal = readPrologue(request, request.params);
      const id = checkId(request.params.object);
      const q = parseQuery(request.query, VERSIONS_PARAMS, deps.limits);
      const query = { ...q, filter: { ...q.filter, ids: [id], versions: ['all' as const] } };
      const result = await releasePage(request.params, principal, query, 'versions');
      if (result.items.length === 0) throw new ConcordatError('ERR_NOT_FOUND', 'object not found');
      dateAddedHeaders(reply, result.items);
      return sendTaxii(reply, 200, {
        ...paging(result, query.limit),
        versions: result.items.map((i) => i.version),
      });
    },
  );

  app.post<{ Params: CollectionParams }>(
    '/taxii2/:root/collections/:collection/objects/',
    async (request, reply) => {
      const principal = principalOf(request);
      const root = rootFor(deps, principal, request.params.root);
      requireScope(principal, 'write');
      purposeFor(root, request.params.collection);
      parseQuery(request.query, [], deps.limits);
      if (!isTaxiiContentType(request.headers['content-type']))
        throw new ConcordatError(
          'ERR_MEDIA_TYPE_UNSUPPORTED',
          'send the body as `application/taxii+json;version=2.1`',
        );
      const body = request.body as { objects?: unknown } | null;
      if (
        body === null ||
        typeof body !== 'object' ||
        Array.isArray(body) ||
        !Array.isArray(body.objects)
      )
        throw new ConcordatError(
          'ERR_USAGE',
          'the body must be a taxii envelope with an `objects` array',
        );
      const producer = partyOf(root.agreement, principal.agency) as string;
      const now = deps.clock.now();
      const summary = await deps.ingest(
        { type: 'bundle', id: `bundle--${randomUUID()}`, objects: body.objects },
        {
          producer,
          collection: storeCollectionOf(root),
          retainUntilMs: addDuration(now, root.agreement.core.maxRetention),
        },
      );
      const successes = summary.objects.map((o) => ({
        id: o.id,
        version: o.version,
        ...(o.status === 'unchanged' ? { message: 'already stored' } : {}),
      }));
      const status: StatusResource = {
        id: randomUUID(),
        status: 'complete',
        request_timestamp: formatStixTimestamp(now),
        total_count: successes.length,
        success_count: successes.length,
        successes,
        failure_count: 0,
        failures: [],
        pending_count: 0,
        pendings: [],
      };
      deps.statuses.put(root.agreement.id, principal.agency, status);
      return sendTaxii(reply, 202, status);
    },
  );

  app.delete<{ Params: ObjectParams }>(
    '/taxii2/:root/collections/:collection/objects/:object/',
    async (request, reply) => {
      const principal = principalOf(request);
      const root = rootFor(deps, principal, request.params.root);
      requireScope(principal, 'write');
      purposeFor(root, request.params.collection);
      const id = checkId(request.params.object);
      const q = parseQuery(request.query, DELETE_PARAMS, deps.limits);
      const producer = partyOf(root.agreement, principal.agency) as string;
      const n = await deps.door.withdraw(root, producer, principal.agency, id, {
        versions: q.filter.versions ?? ['all'],
        ...(q.filter.specVersions === undefined ? {} : { specVersions: q.filter.specVersions }),
      });
      // Not the caller's object (or nothing left to withdraw): 404, whether or not it exists.
      if (n === 0) throw new ConcordatError('ERR_NOT_FOUND', 'object not found');
      return reply.code(200).send();
    },
  );

  /**
   * The TAXII envelope (§3.7), written around the released objects' JSON text: the same bytes
   * as serializing `{ more, next?, objects }`, without parsing and re-serializing each object.
   */
  function envelope(reply: FastifyReply, result: ReleaseResult, limit: number): FastifyReply {
    dateAddedHeaders(reply, result.items);
    const head = JSON.stringify(paging(result, limit));
    if (result.items.length === 0) return sendTaxiiJson(reply, head);
    let body = `${head.slice(0, -1)},"objects":[`;
    for (let i = 0; i < result.items.length; i++)
      body +=
        i === 0
          ? (result.items[i] as ReleasedObject).json
          : `,${(result.items[i] as ReleasedObject).json}`;
    return sendTaxiiJson(reply, `${body}]}`);
  }
}
