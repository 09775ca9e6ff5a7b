/**
 * Federation REST endpoints (issue 6, docs/federation-sync.md), answered to peers only — a
 * principal whose agency belongs to another party of the node's agreements (over the mutual
 * TLS federation listener: the peer's certificate; in tests, a bearer token):
 *
 * - `POST /api/v1/federation/receipts`: a receiver delivers a signed receipt; the producer
 *   verifies it against the receiving party's key and ledgers it (`receipt-acknowledged`).
 *   Idempotent: 201 the first time, 200 after.
 * - `GET /api/v1/federation/receipts`: this node's `receipt` entries for objects the asking
 *   party produced, with inclusion proofs against the latest signed checkpoint — ids, versions
 *   and hashes only (reconciliation).
 * - `GET /api/v1/federation/withdrawals`: SHA-256 of `<id> <version>` of this node's own
 *   withdrawals, so partners withdraw their copies.
 *
 * The work is done by federation/ through {@link FederationPorts}, injected by the composition
 * root (server/ never imports federation/). Registered by {@link federationRoutes} as its own
 * plugin (JSON bodies, REST error bodies) on the app `buildServer` returns, which then lists
 * {@link FEDERATION_ROUTES} in the OpenAPI document it serves. The specs document the bodies;
 * the receipt is checked by federation/ (422 `ERR_RECEIPT_INVALID`), not by a fastify schema.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConcordatError } from '../../core/index.js';
import type { Principal, Scope } from '../auth.js';
import { toApiError } from '../errors.js';
import { restErrorBody, sendJson } from './rest-deps.js';
import type { RouteSpec } from './route-spec.js';

/** What the federation endpoints need (implemented in federation/). */
export interface FederationPorts {
  acknowledgeReceipt(
    agency: string,
    body: unknown,
  ): Promise<{
    readonly receiptHash: string;
    readonly ledgerSeq: number;
    readonly created: boolean;
  }>;
  receiptProofs(agency: string): Promise<unknown>;
  withdrawalHashes(agency: string): Promise<unknown>;
}

const PEERS_ONLY =
  'Partner nodes only: the principal’s agency must belong to another party of one of this node’s agreements, else 403. Peers call it over the mutual-TLS federation listener, which accepts their client certificate only (the listener’s identity rules, docs/federation.md). The analyst listener registers the same routes, under its own credential rules.';

const SPECS = {
  postReceipt: {
    method: 'POST',
    url: '/api/v1/federation/receipts',
    operationId: 'acknowledgeFederationReceipt',
    summary:
      'a receiving partner delivers its signed receipt; verified against its party key and ledgered (`receipt-acknowledged`)',
    description: `${PEERS_ONLY} Idempotent: 201 the first time, 200 with the first ledger entry after.`,
    tag: 'federation',
    auth: 'write',
    body: { kind: 'json', schema: 'SignedReceipt', mediaTypes: ['application/json'] },
    responses: {
      '201': { description: 'acknowledged and ledgered', schema: 'ReceiptAcknowledgement' },
      '200': {
        description: 'acknowledged before; nothing new written',
        schema: 'ReceiptAcknowledgement',
      },
    },
    errorStatuses: [400, 401, 403, 413, 415, 422],
  },
  getReceipts: {
    method: 'GET',
    url: '/api/v1/federation/receipts',
    operationId: 'getFederationReceiptProofs',
    summary:
      'this node’s `receipt` entries for objects the asking party produced, with inclusion proofs against its latest signed checkpoint',
    description: `${PEERS_ONLY} Ids, versions and hashes only (reconciliation, docs/federation-sync.md).`,
    tag: 'federation',
    auth: 'read',
    responses: { '200': { description: 'the proven receipts', schema: 'ReceiptProofs' } },
    errorStatuses: [401, 403, 404],
  },
  getWithdrawals: {
    method: 'GET',
    url: '/api/v1/federation/withdrawals',
    operationId: 'getFederationWithdrawals',
    summary:
      'SHA-256 of `<id> <version>` of this node’s own withdrawals, so partners withdraw theirs',
    description: PEERS_ONLY,
    tag: 'federation',
    auth: 'read',
    responses: { '200': { description: 'the withdrawal hashes', schema: 'WithdrawalHashes' } },
    errorStatuses: [401, 403],
  },
} as const satisfies Record<string, RouteSpec>;

/** The federation routes as the OpenAPI document describes them. */
export const FEDERATION_ROUTES: readonly RouteSpec[] = Object.values(SPECS);

/** Largest receipt body accepted, bytes (a receipt names at most 100 objects). */
const MAX_RECEIPT_BYTES = 64 * 1024;

function peerPrincipal(request: FastifyRequest, scope: Scope): Principal {
  const p = request.principal;
  if (p === null) throw new ConcordatError('ERR_UNAUTHENTICATED', 'no credential');
  if (!p.scopes.includes(scope))
    throw new ConcordatError('ERR_FORBIDDEN', `this endpoint needs the \`${scope}\` scope`);
  return p;
}

/** Registers the federation endpoints on `app` (before it listens). */
export function federationRoutes(app: FastifyInstance, ports: FederationPorts): void {
  // The document `GET /api/v1/openapi.json` serves is that of every route registered.
  if (app.hasDecorator('documentedRoutes')) app.documentedRoutes.push(...FEDERATION_ROUTES);
  void app.register(async (fed) => {
    fed.removeAllContentTypeParsers();
    fed.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: MAX_RECEIPT_BYTES },
      fed.getDefaultJsonParser('error', 'error'),
    );
    fed.setErrorHandler(async (err, _request, reply: FastifyReply) => {
      const api = toApiError(err);
      return reply
        .code(api.status)
        .header('content-type', 'application/json; charset=utf-8')
        .send(JSON.stringify(restErrorBody(api)));
    });
    fed.post(SPECS.postReceipt.url, async (request, reply) => {
      const p = peerPrincipal(request, 'write');
      const ack = await ports.acknowledgeReceipt(p.agency, request.body);
      return sendJson(reply, ack.created ? 201 : 200, ack);
    });
    fed.get(SPECS.getReceipts.url, async (request, reply) => {
      const p = peerPrincipal(request, 'read');
      return sendJson(reply, 200, await ports.receiptProofs(p.agency));
    });
    fed.get(SPECS.getWithdrawals.url, async (request, reply) => {
      const p = peerPrincipal(request, 'read');
      return sendJson(reply, 200, await ports.withdrawalHashes(p.agency));
    });
  });
}
