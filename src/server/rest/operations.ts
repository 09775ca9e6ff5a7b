/**
 * Operations: liveness, readiness, Prometheus metrics and the OpenAPI document. `/healthz` and
 * `/readyz` need no credential (probes) and say nothing but booleans; `/metrics` needs `admin`
 * (aggregate counts are still the node's business).
 */
import type { FastifyInstance } from 'fastify';
import { verifyCheckpoint } from '../../ledger/index.js';
import { requireScope } from '../route-deps.js';
import { acceptedType } from './negotiate.js';
import { openApiDocument } from './openapi.js';
import { principal, restRoute, sendJson, type RestDeps } from './rest-deps.js';
import type { RouteSpec } from './route-spec.js';

const SPECS = {
  healthz: {
    method: 'GET',
    url: '/healthz',
    operationId: 'healthz',
    summary: 'liveness: the process answers',
    tag: 'operations',
    auth: 'none',
    responses: { '200': { description: 'alive', schema: 'Health' } },
    errorStatuses: [406],
  },
  readyz: {
    method: 'GET',
    url: '/readyz',
    operationId: 'readyz',
    summary: 'readiness: store reachable, agreements loaded, ledger head verifies',
    tag: 'operations',
    auth: 'none',
    responses: {
      '200': { description: 'ready', schema: 'Readiness' },
      '503': { description: 'not ready (each check reported)', schema: 'Readiness' },
    },
    errorStatuses: [406],
  },
  metrics: {
    method: 'GET',
    url: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus text exposition: counts only, no intel in any label',
    tag: 'operations',
    auth: 'admin',
    responses: {
      '200': {
        description: 'metrics',
        schema: 'Empty',
        mediaTypes: ['text/plain; version=0.0.4; charset=utf-8'],
      },
    },
    errorStatuses: [401, 403, 406],
  },
  openapi: {
    method: 'GET',
    url: '/api/v1/openapi.json',
    operationId: 'openapi',
    summary: 'this OpenAPI 3.1 document',
    tag: 'operations',
    auth: 'any',
    responses: { '200': { description: 'the document', schema: 'OpenApiDocument' } },
    errorStatuses: [401, 406],
  },
} as const satisfies Record<string, RouteSpec>;

async function check(probe: () => Promise<boolean>): Promise<boolean> {
  try {
    return await probe();
  } catch {
    return false;
  }
}

/** Registers the operations routes. */
export function operationRoutes(app: FastifyInstance, deps: RestDeps): void {
  restRoute(app, deps, SPECS.healthz, async (request, reply) => {
    acceptedType(request.headers.accept, ['application/json']);
    return sendJson(reply, 200, { status: 'ok' });
  });

  restRoute(app, deps, SPECS.readyz, async (request, reply) => {
    acceptedType(request.headers.accept, ['application/json']);
    const { ledger, probeStore } = deps.ports;
    const store = await check(async () => {
      if (probeStore !== undefined) await probeStore();
      else if (ledger !== undefined) await ledger.head();
      else return false;
      return true;
    });
    const agreements = deps.roots.size > 0;
    const head = await check(async () => {
      if (ledger === undefined) return false;
      const h = await ledger.head();
      if (h === undefined) return true; // an empty ledger has nothing to verify yet
      const v = verifyCheckpoint(h.text, [ledger.verifier]);
      return (
        v.ok && v.checkpoint.size === h.size && Buffer.compare(v.checkpoint.root, h.root) === 0
      );
    });
    const ok = store && agreements && head;
    return sendJson(reply, ok ? 200 : 503, {
      status: ok ? 'ok' : 'unavailable',
      checks: { store, agreements, ledger: head },
    });
  });

  restRoute(app, deps, SPECS.metrics, async (request, reply) => {
    requireScope(principal(request), 'admin');
    acceptedType(request.headers.accept, ['text/plain']);
    let head: number | undefined;
    try {
      head = (await deps.ports.ledger?.head())?.size;
    } catch {
      head = undefined; // an unreachable store is readyz's business; metrics still answer
    }
    const gauges: Record<string, number> = { concordat_agreements_served: deps.roots.size };
    if (head !== undefined) gauges['concordat_ledger_checkpoint_size'] = head;
    return reply
      .code(200)
      .header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
      .send(deps.meter.render(gauges));
  });

  restRoute(app, deps, SPECS.openapi, async (request, reply) => {
    acceptedType(request.headers.accept, ['application/json']);
    // The document of every route spec registered (the coverage test: = ALL_ROUTES).
    return sendJson(reply, 200, openApiDocument(deps.specs));
  });
}

/** The operations routes as the OpenAPI document describes them. */
export const OPERATIONS_ROUTES: readonly RouteSpec[] = Object.values(SPECS);
