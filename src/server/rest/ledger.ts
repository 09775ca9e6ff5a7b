/**
 * Ledger reads: signed checkpoints and Merkle proofs (RFC 6962 / RFC 9162 shapes, C2SP signed
 * notes). INVARIANT: only tree sizes, hashes, proofs and checkpoint notes leave here — never an
 * entry body (even though bodies hold ids and hashes only by construction).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConcordatError, formatInstant } from '../../core/index.js';
import { acceptedType } from './negotiate.js';
import type { CheckpointView } from './ports.js';
import { b64, port, restRoute, sendJson, type RestDeps } from './rest-deps.js';
import type { RouteSpec } from './route-spec.js';

const ERRORS = [400, 401, 406, 503];

const SPECS = {
  checkpoint: {
    method: 'GET',
    url: '/api/v1/ledger/checkpoint',
    operationId: 'ledgerCheckpoint',
    summary: 'the latest signed checkpoint: C2SP note as text/plain, or JSON',
    tag: 'ledger',
    auth: 'proofs',
    responses: {
      '200': {
        description: 'the latest checkpoint',
        schema: 'Checkpoint',
        mediaTypes: ['application/json', 'text/plain; charset=utf-8'],
      },
    },
    errorStatuses: [401, 404, 406, 503],
  },
  checkpoints: {
    method: 'GET',
    url: '/api/v1/ledger/checkpoints',
    operationId: 'ledgerCheckpoints',
    summary: 'stored checkpoints from a tree size on, oldest first',
    tag: 'ledger',
    auth: 'proofs',
    query: 'CheckpointsQuery',
    responses: { '200': { description: 'checkpoints', schema: 'CheckpointList' } },
    errorStatuses: ERRORS,
  },
  inclusion: {
    method: 'GET',
    url: '/api/v1/ledger/proof/inclusion',
    operationId: 'ledgerInclusionProof',
    summary: 'inclusion proof of leaf `seq` in the tree of `size` (default: latest checkpoint)',
    tag: 'ledger',
    auth: 'proofs',
    query: 'InclusionQuery',
    responses: { '200': { description: 'leaf hash and audit path', schema: 'InclusionProof' } },
    errorStatuses: ERRORS,
  },
  consistency: {
    method: 'GET',
    url: '/api/v1/ledger/proof/consistency',
    operationId: 'ledgerConsistencyProof',
    summary: 'consistency proof between two checkpointed tree sizes',
    tag: 'ledger',
    auth: 'proofs',
    query: 'ConsistencyQuery',
    responses: { '200': { description: 'consistency proof', schema: 'ConsistencyProof' } },
    errorStatuses: ERRORS,
  },
} as const satisfies Record<string, RouteSpec>;

function checkpointJson(c: CheckpointView): Record<string, unknown> {
  return { size: c.size, root: b64(c.root), note: c.text, at: formatInstant(c.atMs) };
}

/** Registers the ledger routes. */
export function ledgerRoutes(app: FastifyInstance, deps: RestDeps): void {
  restRoute(app, deps, SPECS.checkpoint, async (request: FastifyRequest, reply: FastifyReply) => {
    const type = acceptedType(request.headers.accept, ['application/json', 'text/plain']);
    const head = await port(deps, 'ledger').head();
    if (head === undefined)
      throw new ConcordatError('ERR_NOT_FOUND', 'no checkpoint is signed yet');
    if (type === 'text/plain')
      return reply.code(200).header('content-type', 'text/plain; charset=utf-8').send(head.text);
    return sendJson(reply, 200, checkpointJson(head));
  });

  restRoute(app, deps, SPECS.checkpoints, async (request, reply) => {
    const { from } = request.query as { from: number };
    const list = await port(deps, 'ledger').checkpoints(from);
    return sendJson(reply, 200, { checkpoints: list.map(checkpointJson) });
  });

  restRoute(app, deps, SPECS.inclusion, async (request, reply) => {
    const q = request.query as { seq: number; size?: number };
    const p = await port(deps, 'ledger').inclusion(q.seq, q.size);
    return sendJson(reply, 200, {
      seq: p.seq,
      size: p.size,
      leafHash: b64(p.leafHash),
      proof: p.proof.map(b64),
      root: b64(p.root),
      checkpoint: p.checkpoint,
    });
  });

  restRoute(app, deps, SPECS.consistency, async (request, reply) => {
    const q = request.query as { from: number; to: number };
    const p = await port(deps, 'ledger').consistency(q.from, q.to);
    return sendJson(reply, 200, {
      from: p.oldSize,
      to: p.newSize,
      fromRoot: b64(p.oldRoot),
      toRoot: b64(p.newRoot),
      proof: p.proof.map(b64),
      fromCheckpoint: p.oldCheckpoint,
      toCheckpoint: p.newCheckpoint,
    });
  });
}

/** The ledger routes as the OpenAPI document describes them. */
export const LEDGER_ROUTES: readonly RouteSpec[] = Object.values(SPECS);
