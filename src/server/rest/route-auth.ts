/**
 * The scope gate: every request to a registered route is held against the `RouteAuth` of its
 * spec before its handler runs (docs/rest.md "Oversight"). It judges the kind of credential —
 * agency (or official) versus oversight — and the oversight routes' scope; the handlers of
 * `read`, `write` and `admin` routes still require their scope themselves, after deciding
 * what the agency may see (so a hidden root stays `404`, as before).
 *
 * INVARIANT: an oversight credential reaches only `none`, `oversight` and `proofs` routes —
 * indicators, the transparency report, ledger checkpoints and proofs — and never intel,
 * decisions, agreements or federation. A route without a spec is treated as `any`: a route
 * nobody described is closed to the oversight body, not open to it.
 */
import type { FastifyRequest } from 'fastify';
import { ConcordatError } from '../../core/index.js';
import type { Principal, Scope } from '../auth.js';
import type { RouteAuth, RouteSpec } from './route-spec.js';

/** The scopes that make a credential an agency's. */
const AGENCY_SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

/** Whether `p` speaks for an agency (an agency scope) or is a designated official's token. */
function isAgencyCredential(p: Principal): boolean {
  return p.official !== undefined || p.scopes.some((s) => AGENCY_SCOPES.includes(s));
}

/** Whether a route of `auth` admits `p` (`null`: no credential, which only `none` admits). */
export function routeAdmits(auth: RouteAuth, p: Principal | null): boolean {
  if (auth === 'none') return true;
  if (p === null) return false;
  switch (auth) {
    case 'proofs':
      return true;
    case 'oversight':
      return (
        p.official === undefined && (p.scopes.includes('oversight') || p.scopes.includes('admin'))
      );
    case 'any':
    case 'read':
    case 'write':
    case 'admin':
      return isAgencyCredential(p);
  }
}

/** `ERR_FORBIDDEN` unless a route of `auth` admits `p` (authentication is already done). */
export function assertRouteAdmits(auth: RouteAuth, p: Principal): void {
  if (routeAdmits(auth, p)) return;
  if (auth === 'oversight')
    throw new ConcordatError(
      'ERR_FORBIDDEN',
      'this endpoint is the oversight body’s: it needs the `oversight` or the `admin` scope',
    );
  throw new ConcordatError(
    'ERR_FORBIDDEN',
    'an oversight credential reads compliance indicators, the transparency report and ledger proofs only; this endpoint needs an agency credential',
  );
}

/** Finds the documented spec of a method and a fastify URL. */
export type SpecLookup = (method: string, url: string) => RouteSpec | undefined;

/**
 * A lookup over `documented` (the server's `documentedRoutes`, which federation may extend
 * until the server is ready): indexed on first use, re-indexed if the list grew.
 */
export function specLookup(documented: readonly RouteSpec[]): SpecLookup {
  let index = new Map<string, RouteSpec>();
  let indexed = -1;
  return (method, url) => {
    if (indexed !== documented.length) {
      index = new Map(documented.map((s) => [`${s.method} ${s.url}`, s]));
      indexed = documented.length;
    }
    return index.get(`${method} ${url}`);
  };
}

/**
 * The gate for one authenticated request: refuses (`ERR_FORBIDDEN`) a credential the matched
 * route's `RouteAuth` does not admit. The spec is the one a REST route carries in its config,
 * else the documented one of the same method and URL (TAXII, federation); a route without a
 * spec is judged as `any`. A request that matched no route passes (the not-found handler
 * answers it).
 */
export function gateRequest(request: FastifyRequest, p: Principal, lookup: SpecLookup): void {
  const url = request.routeOptions.url;
  if (url === undefined) return;
  const own = (request.routeOptions.config as { spec?: RouteSpec } | undefined)?.spec;
  // HEAD is fastify's twin of a GET route.
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const spec = own ?? lookup(method, url);
  assertRouteAdmits(spec?.auth ?? 'any', p);
}
