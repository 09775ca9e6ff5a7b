/**
 * server/rest: the node's REST API and OpenAPI document. Imported by the server module only.
 */
export { isOpenPath, isRestPath, mountRest } from './mount.js';
export type { MountOptions, RegisteredRoute } from './mount.js';
export { memoryAgreementRegistry } from './memory-registry.js';
export { openApiDocument, openApiPath, API_VERSION } from './openapi.js';
export { SCHEMAS } from './schemas.js';
export { ALL_ROUTES, nodeOpenApiDocument } from './all-routes.js';
export type { JsonSchema, SchemaName } from './schemas.js';
export type { Meter } from './meter.js';
export type {
  AgreementRegistry,
  AgreementVersionStatus,
  CheckpointView,
  ConsistencyView,
  InclusionView,
  LedgerPort,
  OversightPort,
  RestPorts,
  StoredAgreementVersion,
} from './ports.js';
export type { RouteAuth, RouteSpec, RouteTag, ResponseSpec } from './route-spec.js';
export { ROUTE_TAGS } from './route-spec.js';
export { assertRouteAdmits, gateRequest, routeAdmits, specLookup } from './route-auth.js';
export type { SpecLookup } from './route-auth.js';
export { federationRoutes } from './federation.js';
export type { FederationPorts } from './federation.js';
