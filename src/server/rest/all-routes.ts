/**
 * Every route of the node, TAXII and REST, in registration order: the input of the OpenAPI
 * document (`scripts/gen-openapi.ts`, `GET /api/v1/openapi.json`). The coverage test holds this
 * list equal to the routes fastify actually registers.
 */
import { AGREEMENTS_ROUTES } from './agreements.js';
import { BUNDLE_ROUTES } from './bundles.js';
import { DASHBOARD_ROUTES } from './dashboard.js';
import { DECISION_ROUTES } from './decisions.js';
import { ESCALATION_ROUTES } from './escalation.js';
import { FEDERATION_ROUTES } from './federation.js';
import { LEDGER_ROUTES } from './ledger.js';
import { openApiDocument } from './openapi.js';
import { OPERATIONS_ROUTES } from './operations.js';
import { OVERSIGHT_ROUTES } from './oversight.js';
import type { RouteSpec } from './route-spec.js';
import { TAXII_ROUTES } from './taxii-specs.js';

/** Every route spec. */
export const ALL_ROUTES: readonly RouteSpec[] = [
  ...TAXII_ROUTES,
  ...BUNDLE_ROUTES,
  ...AGREEMENTS_ROUTES,
  ...DECISION_ROUTES,
  ...LEDGER_ROUTES,
  ...OVERSIGHT_ROUTES,
  ...OPERATIONS_ROUTES,
  ...ESCALATION_ROUTES,
  ...FEDERATION_ROUTES,
  ...DASHBOARD_ROUTES,
];

/** The node's OpenAPI 3.1 document. */
export function nodeOpenApiDocument(): Record<string, unknown> {
  return openApiDocument(ALL_ROUTES);
}
