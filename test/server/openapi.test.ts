/**
 * The OpenAPI 3.1 document: structurally valid (ajv against a minimal OpenAPI 3.1 schema
 * written here, plus reference and path-parameter checks), covering exactly the routes fastify
 * registers (TAXII and REST, both directions), served at /api/v1/openapi.json, and committed
 * at docs/openapi.json as scripts/gen-openapi.ts writes it. Each check is also run on a broken
 * document, so it can fail.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE, generatedOpenApi } from '../../scripts/gen-openapi.js';
import { ALL_ROUTES, nodeOpenApiDocument, openApiPath } from '../../src/server/rest/index.js';
import { makeServer } from './harness.js';
import { describeDialects } from '../store/dialects.js';

const OPERATION = {
  type: 'object',
  required: ['operationId', 'responses'],
  properties: {
    operationId: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*$' },
    summary: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    parameters: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'in', 'schema'],
        properties: {
          name: { type: 'string' },
          in: { enum: ['path', 'query', 'header', 'cookie'] },
          required: { type: 'boolean' },
          schema: { type: 'object' },
        },
        if: { properties: { in: { const: 'path' } } },
        then: { required: ['required'], properties: { required: { const: true } } },
      },
    },
    requestBody: {
      type: 'object',
      required: ['content'],
      properties: { content: { $ref: '#/$defs/content' } },
    },
    responses: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^([1-5][0-9]{2}|default)$' },
      additionalProperties: {
        type: 'object',
        required: ['description'],
        properties: { description: { type: 'string' }, content: { $ref: '#/$defs/content' } },
      },
    },
    security: { type: 'array' },
  },
} as const;

/** A minimal OpenAPI 3.1 schema: the parts of the specification this document uses. */
const OPENAPI_31 = {
  $defs: {
    content: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^[a-z]+/[a-z0-9.+-]+(;.*)?$' },
      additionalProperties: { type: 'object', required: ['schema'] },
    },
  },
  type: 'object',
  required: ['openapi', 'info', 'paths', 'components'],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.[0-9]+$' },
    info: {
      type: 'object',
      required: ['title', 'version'],
      properties: { title: { type: 'string' }, version: { type: 'string' } },
    },
    jsonSchemaDialect: { type: 'string' },
    paths: {
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: {
        type: 'object',
        propertyNames: {
          enum: ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'],
        },
        additionalProperties: OPERATION,
      },
    },
    components: {
      type: 'object',
      properties: {
        schemas: { type: 'object', additionalProperties: { type: 'object' } },
        securitySchemes: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            required: ['type'],
            properties: {
              type: { enum: ['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'] },
            },
          },
        },
      },
    },
  },
} as const;

type Doc = Record<string, unknown> & {
  paths: Record<
    string,
    Record<string, { operationId: string; parameters?: { name: string; in: string }[] }>
  >;
};

/** Every structural problem of a document (empty = well-formed). */
function problems(doc: unknown): string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const out: string[] = [];
  if (!ajv.validate(OPENAPI_31, doc))
    for (const e of ajv.errors ?? []) out.push(`${e.instancePath} ${e.message ?? ''}`);
  if (out.length > 0) return out;
  const d = doc as Doc;
  // Every $ref resolves inside the document.
  const text = JSON.stringify(d);
  for (const m of text.matchAll(/"\$ref":"#\/([^"]+)"/g)) {
    let node: unknown = d;
    for (const seg of (m[1] as string).split('/'))
      node =
        node !== null && typeof node === 'object'
          ? (node as Record<string, unknown>)[seg]
          : undefined;
    if (node === undefined) out.push(`unresolved $ref #/${m[1]}`);
  }
  // Operation ids unique; path templates and path parameters agree.
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(d.paths))
    for (const [method, op] of Object.entries(item)) {
      if (ids.has(op.operationId)) out.push(`duplicate operationId ${op.operationId}`);
      ids.add(op.operationId);
      const templ = [...path.matchAll(/\{([^}]+)\}/g)].map((x) => x[1]).sort();
      const declared = (op.parameters ?? [])
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort();
      if (JSON.stringify(templ) !== JSON.stringify(declared))
        out.push(`${method} ${path}: path parameters ${declared} ≠ template ${templ}`);
    }
  // Every schema compiles as JSON Schema 2020-12.
  const components = (d['components'] as { schemas: Record<string, unknown> }).schemas;
  const withComponents = new Ajv2020({ strict: false });
  withComponents.addSchema({ $id: 'doc', components: { schemas: components } });
  for (const name of Object.keys(components))
    try {
      withComponents.compile({ $ref: `doc#/components/schemas/${name}` });
    } catch (e) {
      out.push(`schema ${name}: ${(e as Error).message}`);
    }
  return out;
}

function documented(doc: Doc): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}

describe('openapi document', () => {
  const doc = nodeOpenApiDocument() as Doc;

  it('is well-formed OpenAPI 3.1', () => {
    expect(problems(doc)).toEqual([]);
  });

  it('the checker fails on broken documents', () => {
    const broken = structuredClone(doc);
    expect(problems({ ...broken, openapi: '3.0.3' })).not.toEqual([]);
    const noResponses = structuredClone(doc);
    delete (noResponses.paths['/healthz'] as Record<string, Record<string, unknown>>)['get']![
      'responses'
    ];
    expect(problems(noResponses)).not.toEqual([]);
    const badRef = structuredClone(doc);
    (badRef.paths['/healthz']!['get'] as unknown as Record<string, unknown>)['responses'] = {
      '200': {
        description: 'x',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } },
      },
    };
    expect(problems(badRef)).toEqual(['unresolved $ref #/components/schemas/Nope']);
    const badParam = structuredClone(doc);
    badParam.paths['/api/v1/agreements/{id}']!['get']!.parameters = [];
    expect(problems(badParam)).not.toEqual([]);
  });

  it('docs/openapi.json is what scripts/gen-openapi.ts writes, $comment first', async () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    expect(committed, 'docs/openapi.json is stale: run npx tsx scripts/gen-openapi.ts').toBe(
      await generatedOpenApi(),
    );
    expect(Object.keys(JSON.parse(committed))[0]).toBe('$comment');
    expect(JSON.parse(committed)['$comment']).toContain('scripts/gen-openapi.ts');
  });
});

describeDialects('openapi coverage', (d) => {
  it('served at /api/v1/openapi.json; documents exactly the registered routes, both ways', async () => {
    // The federation endpoints are registered beside the REST API, as `startNodeServers` does;
    // this test only lists routes, so the ports are never called.
    const unused = (): never => {
      throw new Error('not called');
    };
    const s = await makeServer(
      (await d.fresh()).db,
      {},
      {
        acknowledgeReceipt: unused,
        receiptProofs: unused,
        withdrawalHashes: unused,
      },
    );
    const r = await s.app.inject({
      url: '/api/v1/openapi.json',
      headers: { authorization: `Bearer ${s.tokens['CAL-CSIRT:r']}` },
    });
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body)).toEqual(JSON.parse(JSON.stringify(nodeOpenApiDocument())));
    const registered = s.app.registeredRoutes
      .map((x) => `${x.method} ${openApiPath(x.url)}`)
      .sort();
    expect(registered).toEqual(documented(nodeOpenApiDocument() as Doc));
    expect(s.app.documentedRoutes.map((x) => x.operationId).sort()).toEqual(
      ALL_ROUTES.map((x) => x.operationId).sort(),
    );
  });
});
