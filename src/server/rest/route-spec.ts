/**
 * What the OpenAPI document says about one route. REST routes are registered from their spec
 * (`restRoute`), so the schemas fastify validates with are the document's; TAXII routes are
 * described in `taxii-specs.ts`. The route-coverage check (`coverage.ts`) holds the document
 * and the registered routes equal.
 */
import type { SchemaName } from './schemas.js';

/**
 * Who may call a route (enforced for every route by the server's gate, `route-auth.ts`):
 * - `none`: no credential (liveness and readiness probes; the dashboard's static page);
 * - `any`: any agency credential (`read`, `write` or `admin`) or an official's token — not an
 *   oversight credential;
 * - `read` / `write` / `admin`: an agency credential, and the handler requires that scope (so
 *   a root or collection the agency may not see is still `404` before a missing scope's `403`);
 * - `oversight`: the oversight body (`oversight` scope) or the node's operator (`admin`);
 * - `proofs`: any credential, the oversight body's included: ledger checkpoints and proofs
 *   (tree sizes, hashes, signed notes — never an entry body).
 * INVARIANT: an oversight credential reaches only `none`, `oversight` and `proofs` routes.
 */
export type RouteAuth = 'none' | 'any' | 'read' | 'write' | 'admin' | 'oversight' | 'proofs';

/** The OpenAPI tags, in the document's order. */
export const ROUTE_TAGS = [
  'taxii',
  'bundles',
  'agreements',
  'decisions',
  'ledger',
  'oversight',
  'operations',
  'federation',
  'dashboard',
] as const;

/** An OpenAPI tag. */
export type RouteTag = (typeof ROUTE_TAGS)[number];

/** One response of a route. */
export interface ResponseSpec {
  readonly description: string;
  readonly schema: SchemaName;
  /** Default `application/json`. Several: the route negotiates. */
  readonly mediaTypes?: readonly string[];
}

/** One route as the document describes it. */
export interface RouteSpec {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Fastify form: `/api/v1/agreements/:id`. */
  readonly url: string;
  readonly operationId: string;
  readonly summary: string;
  /** Longer text (the OpenAPI operation `description`), where the summary is not enough. */
  readonly description?: string;
  readonly tag: RouteTag;
  readonly auth: RouteAuth;
  readonly params?: SchemaName;
  readonly query?: SchemaName;
  /** The body: a JSON schema, or (`text`) a text body in the given media types. */
  readonly body?:
    | { readonly kind: 'json'; readonly schema: SchemaName; readonly mediaTypes: readonly string[] }
    | { readonly kind: 'text'; readonly mediaTypes: readonly string[] };
  /** Success responses; error responses are added from `errorStatuses`. */
  readonly responses: Readonly<Record<string, ResponseSpec>>;
  /** Statuses of coded errors this route can answer (each with the `Error` body). */
  readonly errorStatuses: readonly number[];
}
