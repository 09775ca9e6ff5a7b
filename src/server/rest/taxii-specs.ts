/**
 * The TAXII 2.1 routes as the OpenAPI document describes them (docs/taxii.md is the prose).
 * Their bodies are TAXII resources (TAXII 2.1 §4–5) in `application/taxii+json;version=2.1`.
 */
import { TAXII_MEDIA_TYPE } from '../media.js';
import type { ResponseSpec, RouteSpec } from './route-spec.js';

const ok = (description: string): Readonly<Record<string, ResponseSpec>> => ({
  '200': { description, schema: 'TaxiiResource', mediaTypes: [TAXII_MEDIA_TYPE] },
});
const READ_ERRORS = [400, 401, 403, 404, 406];

/** Every TAXII route, in registration order. */
export const TAXII_ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    url: '/taxii2/',
    operationId: 'taxiiDiscovery',
    summary: 'TAXII 2.1 §4.1 discovery: the api roots (agreements) the agency belongs to',
    tag: 'taxii',
    auth: 'any',
    responses: ok('discovery resource'),
    errorStatuses: [401, 406],
  },
  {
    method: 'GET',
    url: '/taxii2/:root/',
    operationId: 'taxiiApiRoot',
    summary: 'TAXII 2.1 §4.2 api root of one agreement',
    tag: 'taxii',
    auth: 'any',
    responses: ok('api root resource'),
    errorStatuses: [401, 404, 406],
  },
  {
    method: 'GET',
    url: '/taxii2/:root/status/:status/',
    operationId: 'taxiiStatus',
    summary: 'TAXII 2.1 §4.3 status of one of the agency’s own POSTs',
    tag: 'taxii',
    auth: 'any',
    responses: ok('status resource'),
    errorStatuses: [401, 404, 406],
  },
  {
    method: 'GET',
    url: '/taxii2/:root/collections/',
    operationId: 'taxiiCollections',
    summary: 'TAXII 2.1 §5.1 collections: one per purpose',
    tag: 'taxii',
    auth: 'any',
    responses: ok('collections resource'),
    errorStatuses: [401, 404, 406],
  },
  {
    method: 'GET',
    url: '/taxii2/:root/collections/:collection/',
    operationId: 'taxiiCollection',
    summary: 'TAXII 2.1 §5.2 one collection (by id or purpose alias)',
    tag: 'taxii',
    auth: 'any',
    responses: ok('collection resource'),
    errorStatuses: [401, 404, 406],
  },
  {
    method: 'GET',
    url: '/taxii2/:root/collections/:collection/objects/',
    operationId: 'taxiiGetObjects',
    summary: 'TAXII 2.1 §5.4 objects the agency may receive for the purpose, through the one door',
    tag: 'taxii',
    auth: 'read',
    responses: ok('envelope'),
    errorStatuses: READ_ERRORS,
  },
  {
    method: 'GET',
    url: '/taxii2/:root/collections/:collection/manifest/',
    operationId: 'taxiiManifest',
    summary: 'TAXII 2.1 §5.3 manifest of what the door releases',
    tag: 'taxii',
    auth: 'read',
    responses: ok('manifest resource'),
    errorStatuses: READ_ERRORS,
  },
  {
    method: 'GET',
    url: '/taxii2/:root/collections/:collection/objects/:object/',
    operationId: 'taxiiGetObject',
    summary: 'TAXII 2.1 §5.6 one object by id (404 when not released, exactly like absent)',
    tag: 'taxii',
    auth: 'read',
    responses: ok('envelope'),
    errorStatuses: READ_ERRORS,
  },
  {
    method: 'GET',
    url: '/taxii2/:root/collections/:collection/objects/:object/versions/',
    operationId: 'taxiiVersions',
    summary: 'TAXII 2.1 §5.8 versions released of one object',
    tag: 'taxii',
    auth: 'read',
    responses: ok('versions resource'),
    errorStatuses: READ_ERRORS,
  },
  {
    method: 'POST',
    url: '/taxii2/:root/collections/:collection/objects/',
    operationId: 'taxiiAddObjects',
    summary: 'TAXII 2.1 §5.5 publish an envelope as the agency’s party (all or nothing)',
    tag: 'taxii',
    auth: 'write',
    body: { kind: 'json', schema: 'TaxiiEnvelope', mediaTypes: [TAXII_MEDIA_TYPE] },
    responses: {
      '202': {
        description: 'status resource',
        schema: 'TaxiiResource',
        mediaTypes: [TAXII_MEDIA_TYPE],
      },
    },
    errorStatuses: [400, 401, 403, 404, 406, 409, 413, 415, 422],
  },
  {
    method: 'DELETE',
    url: '/taxii2/:root/collections/:collection/objects/:object/',
    operationId: 'taxiiDeleteObject',
    summary: 'TAXII 2.1 §5.7 withdraw the agency’s own object (ledgered)',
    tag: 'taxii',
    auth: 'write',
    responses: { '200': { description: 'withdrawn', schema: 'Empty' } },
    errorStatuses: [400, 401, 403, 404, 406],
  },
];
