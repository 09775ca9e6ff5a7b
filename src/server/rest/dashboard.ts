/**
 * The web dashboard (docs/dashboard.md): `GET /dashboard` serves the static page of `web/`. It
 * needs no credential — the page is code, the same bytes for everyone, and carries no data; its
 * script reads the REST API with the visitor's bearer token, so it shows exactly what REST gives
 * that credential. (No redirect from `/`: outside `/api`, `/taxii2` and the probes, errors are
 * TAXII error messages — test/server/fuzz.test.ts holds `/` to that — and a REST route at `/`
 * would answer a TAXII client's `Accept` with a REST 406.)
 *
 * The Content-Security-Policy admits the page's one inline script and one inline stylesheet (and
 * the transparency report's, which it opens from a Blob URL) by their SHA-256 (CSP Level 3 §8.4 hash-source), connections to this origin only, and nothing
 * else: no external script, style, font or frame, no form submission, no framing.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { REPORT_CSS } from '../../oversight/index.js';
import { DASHBOARD_SCRIPT, DASHBOARD_STYLE, dashboardPage } from '../../web/index.js';
import { acceptedType } from './negotiate.js';
import { restRoute, type RestDeps } from './rest-deps.js';
import type { RouteSpec } from './route-spec.js';

const HTML = 'text/html; charset=utf-8';

const SPECS = {
  dashboard: {
    method: 'GET',
    url: '/dashboard',
    operationId: 'dashboard',
    summary: 'the web dashboard: a static page whose script reads this API with your token',
    description:
      'No credential: the page carries no data. Its script calls the REST API with the bearer token the user enters (kept in session storage), so it shows what REST gives that token. Served with a hash-based Content-Security-Policy (docs/dashboard.md).',
    tag: 'dashboard',
    auth: 'none',
    responses: { '200': { description: 'the page', schema: 'Empty', mediaTypes: [HTML] } },
    errorStatuses: [406],
  },
} as const satisfies Record<string, RouteSpec>;

/** The page and its headers, built on the first request (no work at import time), once. */
interface Served {
  readonly html: string;
  readonly headers: Readonly<Record<string, string>>;
}
let served: Served | undefined;

/** A CSP hash-source of `text`, as the browser hashes the inline element's content. */
function hashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function page(): Served {
  served ??= {
    html: dashboardPage(),
    headers: {
      'content-type': HTML,
      'content-security-policy': [
        "default-src 'none'",
        `script-src ${hashSource(DASHBOARD_SCRIPT)}`,
        // The transparency report opened from a Blob URL inherits this policy (HTML's policy
        // container for local URLs): its one stylesheet is admitted by hash too.
        `style-src ${hashSource(DASHBOARD_STYLE)} ${hashSource(REPORT_CSS)}`,
        "connect-src 'self'",
        'img-src data: blob:',
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    },
  };
  return served;
}

/** Registers `GET /dashboard`. */
export function dashboardRoutes(app: FastifyInstance, deps: RestDeps): void {
  restRoute(app, deps, SPECS.dashboard, async (request, reply) => {
    acceptedType(request.headers.accept, ['text/html']);
    const p = page();
    return reply.code(200).headers(p.headers).send(p.html);
  });
}

/** The dashboard routes as the OpenAPI document describes them. */
export const DASHBOARD_ROUTES: readonly RouteSpec[] = Object.values(SPECS);
