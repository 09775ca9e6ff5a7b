/**
 * The OpenAPI 3.1 document of every route (TAXII and REST), assembled from the route specs and
 * the schemas fastify validates with — never written by hand, so it cannot drift from the
 * routes (`coverage.ts` holds the two equal at start-up and in CI). `scripts/gen-openapi.ts`
 * writes it to docs/openapi.json.
 */
import { TAXII_MEDIA_TYPE } from '../media.js';
import { ROUTE_TAGS, type RouteSpec } from './route-spec.js';
import { SCHEMAS, type JsonSchema, type SchemaName } from './schemas.js';

/** The `info.version` of the document: bumped with any change to a route or schema. */
export const API_VERSION = '1.2.0';

const ref = (name: SchemaName): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** `/a/:b/` → `/a/{b}/` (OpenAPI path templating). */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function properties(name: SchemaName | undefined): [string, JsonSchema, boolean][] {
  if (name === undefined) return [];
  const s = SCHEMAS[name] as {
    properties?: Record<string, JsonSchema>;
    required?: readonly string[];
  };
  return Object.entries(s.properties ?? {}).map(([k, v]) => [k, v, (s.required ?? []).includes(k)]);
}

function parameters(spec: RouteSpec): JsonSchema[] {
  const out: JsonSchema[] = [];
  const declared = new Map(properties(spec.params).map(([k, v]) => [k, v]));
  for (const m of spec.url.matchAll(/:([A-Za-z0-9_]+)/g)) {
    const name = m[1] as string;
    out.push({
      name,
      in: 'path',
      required: true,
      schema: declared.get(name) ?? { type: 'string' },
    });
  }
  for (const [name, schema, required] of properties(spec.query))
    out.push({ name, in: 'query', required, schema });
  return out;
}

const ERROR_TEXT: Readonly<Record<number, string>> = {
  400: 'bad input (coded error; every issue listed where there are several)',
  401: 'no, unknown, expired, revoked or malformed credential',
  403: 'the credential lacks the scope (an oversight credential on an agency route), or the agency may not ask this',
  404: 'not found (or not visible to the agency: the same answer)',
  406: 'no acceptable media type',
  409: 'conflict; nothing was written',
  413: 'body larger than the limit',
  415: 'unsupported body media type',
  422: 'the body was understood but is invalid; every issue listed',
  503: 'not ready, or a component this route needs is not configured',
};

function operation(spec: RouteSpec): JsonSchema {
  const taxii = spec.tag === 'taxii';
  const responses: Record<string, JsonSchema> = {};
  for (const [status, r] of Object.entries(spec.responses))
    responses[status] = {
      description: r.description,
      content: Object.fromEntries(
        (r.mediaTypes ?? ['application/json']).map((t) => [
          t,
          { schema: t.startsWith('text/') ? { type: 'string' } : ref(r.schema) },
        ]),
      ),
    };
  for (const status of spec.errorStatuses)
    responses[String(status)] = {
      description: ERROR_TEXT[status] ?? 'coded error',
      content: taxii
        ? { [TAXII_MEDIA_TYPE]: { schema: ref('TaxiiError') } }
        : { 'application/json': { schema: ref('Error') } },
    };
  const params = parameters(spec);
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    tags: [spec.tag],
    ...(params.length === 0 ? {} : { parameters: params }),
    ...(spec.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: Object.fromEntries(
              spec.body.mediaTypes.map((t) => [
                t,
                {
                  schema: spec.body?.kind === 'json' ? ref(spec.body.schema) : { type: 'string' },
                },
              ]),
            ),
          },
        }),
    responses,
    security: spec.auth === 'none' ? [] : [{ bearerToken: [] }, { clientCertificate: [] }],
    ...(spec.auth === 'none' || spec.auth === 'any' || spec.auth === 'proofs'
      ? {}
      : { 'x-concordat-scope': spec.auth }),
    // The routes an oversight credential reaches (route-auth.ts): everything else refuses it.
    ...(spec.auth === 'oversight' || spec.auth === 'proofs'
      ? { 'x-concordat-oversight': true }
      : {}),
  };
}

/** The OpenAPI 3.1 document of `specs`. */
export function openApiDocument(specs: readonly RouteSpec[]): Record<string, unknown> {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of specs) {
    const path = openApiPath(spec.url);
    paths[path] = { ...paths[path], [spec.method.toLowerCase()]: operation(spec) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Concordat node API',
      version: API_VERSION,
      description:
        'TAXII 2.1 (docs/taxii.md) and the REST API (docs/rest.md) of a Concordat node. Every release of intel passes through the one door; errors are coded (docs/errors.md).',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    tags: ROUTE_TAGS.map((name) => ({ name })),
    paths,
    components: {
      schemas: SCHEMAS,
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'an API token (`cct_...`): an agency’s, scoped read / write / admin, or the oversight body’s, scoped oversight (the oversight routes and ledger proofs only; x-concordat-oversight)',
        },
        clientCertificate: {
          type: 'mutualTLS',
          description: 'a client certificate registered for an agency by fingerprint',
        },
      },
    },
  };
}
