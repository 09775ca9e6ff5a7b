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
 * plugin (JSON bodies, REST error bodies) on the app `buildServer` returns.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConcordatError } from '../../core/index.js';
import type { Principal, Scope } from '../auth.js';
import { toApiError } from '../errors.js';
import { restErrorBody, sendJson } from './rest-deps.js';

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
    fed.post('/api/v1/federation/receipts', async (request, reply) => {
      const p = peerPrincipal(request, 'write');
      const ack = await ports.acknowledgeReceipt(p.agency, request.body);
      return sendJson(reply, ack.created ? 201 : 200, ack);
    });
    fed.get('/api/v1/federation/receipts', async (request, reply) => {
      const p = peerPrincipal(request, 'read');
      return sendJson(reply, 200, await ports.receiptProofs(p.agency));
    });
    fed.get('/api/v1/federation/withdrawals', async (request, reply) => {
      const p = peerPrincipal(request, 'read');
      return sendJson(reply, 200, await ports.withdrawalHashes(p.agency));
    });
  });
}
