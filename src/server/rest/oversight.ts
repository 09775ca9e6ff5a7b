/**
 * The oversight routes (docs/rest.md "Oversight"): compliance indicators and the transparency
 * report of a period, for an independent oversight body (`oversight` scope) and the node's
 * operator (`admin`). Both come from the `oversight` port, which computes them from the ledger
 * (src/oversight): aggregates of ledger metadata, never intel. The scope gate (route-auth.ts)
 * keeps the oversight credential on these routes and the ledger proofs.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';
import { ConcordatError } from '../../core/index.js';
import { periodFrom, quarterOf, quarterPeriod } from '../../oversight/index.js';
import type { Period } from '../../oversight/index.js';
import { port, restRoute, sendJson, type RestDeps } from './rest-deps.js';
import type { RouteSpec } from './route-spec.js';
import { SCHEMAS } from './schemas.js';

const PERIOD_TEXT =
  'The period is `quarter` (e.g. `2026Q3`, UTC), or `from` and `to` (RFC 3339; `to` exclusive); without either, the current quarter so far. A bad quarter or an empty or reversed period is `400 ERR_USAGE`, a bad instant `400 ERR_INSTANT_INVALID`. Needs the `oversight` or the `admin` scope.';

const SPECS = {
  indicators: {
    method: 'GET',
    url: '/api/v1/oversight/indicators',
    operationId: 'oversightIndicators',
    summary: 'compliance indicators of a period, computed from the ledger: counts and durations',
    description: PERIOD_TEXT,
    tag: 'oversight',
    auth: 'oversight',
    query: 'OversightQuery',
    responses: { '200': { description: 'the indicators', schema: 'Indicators' } },
    errorStatuses: [400, 401, 403, 406, 503],
  },
  report: {
    method: 'GET',
    url: '/api/v1/oversight/report',
    operationId: 'oversightReport',
    summary: 'the transparency report of a period: one self-contained HTML document',
    description: `${PERIOD_TEXT} Served inline as \`transparency-<quarter>.html\` (or \`transparency-<from>_<to>.html\`).`,
    tag: 'oversight',
    auth: 'oversight',
    query: 'OversightQuery',
    responses: {
      '200': {
        description: 'the report',
        schema: 'TransparencyReport',
        mediaTypes: ['text/html; charset=utf-8'],
      },
    },
    errorStatuses: [400, 401, 403, 406, 503],
  },
} as const satisfies Record<string, RouteSpec>;

/** The oversight routes as the OpenAPI document describes them. */
export const OVERSIGHT_ROUTES: readonly RouteSpec[] = Object.values(SPECS);

/** The query both routes take (validated by `OversightQuery`: strings, no other field). */
interface PeriodQuery {
  readonly quarter?: string;
  readonly from?: string;
  readonly to?: string;
}

/**
 * The period a query names, and its quarter when it named one (normalised: `2026-q3` →
 * `2026Q3`). Default: the current quarter so far, `[start, now)` — at least one millisecond, so
 * a request at the very first instant of a quarter is not an empty period.
 */
export function requestedPeriod(
  query: PeriodQuery,
  now: number,
): { readonly period: Period; readonly quarter: string | undefined } {
  const current = quarterPeriod(quarterOf(now));
  const period = periodFrom(query, { from: current.from, to: Math.max(now, current.from + 1) });
  return { period, quarter: query.quarter === undefined ? undefined : quarterOf(period.from) };
}

/** `20260701T000000Z`: an instant in a file name (ISO 8601 basic format, whole seconds). */
function fileInstant(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll(/[-:]/g, '');
}

let checkIndicators: ValidateFunction | undefined;

/**
 * `ERR_INTERNAL` unless `value` has exactly the documented `Indicators` shape. INVARIANT: the
 * body sent is the value checked, so a field the schema does not name never leaves the node.
 */
function assertIndicators(value: unknown): void {
  // Compiled on first use (no work at import time).
  checkIndicators ??= new Ajv2020({ strict: false }).compile(SCHEMAS.Indicators);
  if (!checkIndicators(value))
    throw new ConcordatError(
      'ERR_INTERNAL',
      'the indicators do not match their documented schema; nothing was sent',
    );
}

/** Registers the oversight routes. */
export function oversightRoutes(app: FastifyInstance, deps: RestDeps): void {
  restRoute(app, deps, SPECS.indicators, async (request, reply) => {
    const { period } = requestedPeriod(request.query as PeriodQuery, deps.clock.now());
    const indicators = await port(deps, 'oversight').indicators(period);
    assertIndicators(indicators);
    return sendJson(reply, 200, indicators);
  });

  restRoute(app, deps, SPECS.report, async (request, reply) => {
    const { period, quarter } = requestedPeriod(request.query as PeriodQuery, deps.clock.now());
    const html = await port(deps, 'oversight').report(period, quarter);
    const name = quarter ?? `${fileInstant(period.from)}_${fileInstant(period.to)}`;
    return reply
      .code(200)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-disposition', `inline; filename="transparency-${name}.html"`)
      .send(html);
  });
}
