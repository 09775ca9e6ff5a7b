/**
 * Ledger reads: signed checkpoints and Merkle proofs (RFC 6962 / RFC 9162 shapes, C2SP signed
 * notes); and the one ledger write from outside, a witness's cosignature of a checkpoint
 * (signature lines over a note the node already signed — nothing of the ledger changes).
 * INVARIANT: only tree sizes, hashes, proofs and checkpoint notes leave here — never an
 * entry body (even though bodies hold ids and hashes only by construction).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConcordatError, formatInstant } from '../../core/index.js';
import { parseCheckpoint } from '../../ledger/index.js';
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
  cosigned: {
    method: 'GET',
    url: '/api/v1/ledger/checkpoint/cosigned',
    operationId: 'ledgerCosignedCheckpoint',
    summary:
      'the newest checkpoint witnesses cosigned: the node’s note with their signature lines, as text/plain or JSON',
    description:
      'Verifies with the node’s key and each listed witness’s key together (`require: all`). 404 while no witness has cosigned a checkpoint.',
    tag: 'ledger',
    auth: 'proofs',
    responses: {
      '200': {
        description: 'the newest cosigned checkpoint',
        schema: 'CosignedCheckpoint',
        mediaTypes: ['application/json', 'text/plain; charset=utf-8'],
      },
    },
    errorStatuses: [401, 404, 406, 503],
  },
  cosign: {
    method: 'POST',
    url: '/api/v1/ledger/cosignatures',
    operationId: 'ledgerCosign',
    summary: 'a witness hands back the node’s checkpoint cosigned; the node keeps the lines',
    description:
      'The body is `{ "note": … }`: a checkpoint this node signed, with the signature lines of witnesses appended (`concordat oversight witness` posts it). The node’s own line must verify, the text must be exactly the stored checkpoint of that size (another root is `409 ERR_LEDGER_SPLIT_VIEW`; a size never checkpointed `404`), and at least one line must verify with a witness key of the node config’s `witnesses` (lines of other keys are ignored; else `422 ERR_CHECKPOINT_INVALID`). `201` when a line was new, `200` for an identical repeat.',
    tag: 'ledger',
    auth: 'oversight',
    body: { kind: 'json', schema: 'CosignatureRequest', mediaTypes: ['application/json'] },
    responses: {
      '200': { description: 'already kept: nothing written', schema: 'CosignatureAccepted' },
      '201': { description: 'kept', schema: 'CosignatureAccepted' },
    },
    errorStatuses: [400, 401, 403, 404, 409, 415, 422, 503],
  },
} as const satisfies Record<string, RouteSpec>;

function notConfigured(): ConcordatError {
  return new ConcordatError(
    'ERR_NOT_CONFIGURED',
    'this node was started without witness cosignatures; the endpoint is unavailable',
  );
}

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

  restRoute(app, deps, SPECS.cosigned, async (request, reply) => {
    const type = acceptedType(request.headers.accept, ['application/json', 'text/plain']);
    const ledger = port(deps, 'ledger');
    if (ledger.cosigned === undefined) throw notConfigured();
    const cp = await ledger.cosigned();
    if (cp === undefined)
      throw new ConcordatError('ERR_NOT_FOUND', 'no checkpoint is cosigned by a witness yet');
    if (type === 'text/plain')
      return reply.code(200).header('content-type', 'text/plain; charset=utf-8').send(cp.text);
    return sendJson(reply, 200, { ...checkpointJson(cp), witnesses: cp.witnesses });
  });

  restRoute(app, deps, SPECS.cosign, async (request, reply) => {
    const { note } = request.body as { note: string };
    const ledger = port(deps, 'ledger');
    if (ledger.cosign === undefined) throw notConfigured();
    // Malformed input is the client's: 400 before the node looks anything up.
    const parsed = parseCheckpoint(note);
    if (!parsed.ok)
      throw new ConcordatError(
        'ERR_BODY_INVALID',
        `\`note\` is not a signed checkpoint: ${parsed.message}`,
      );
    const r = await ledger.cosign(note);
    return sendJson(reply, r.created ? 201 : 200, {
      size: r.size,
      witnesses: r.witnesses,
      created: r.created,
    });
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
