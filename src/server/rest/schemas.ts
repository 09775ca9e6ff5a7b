/**
 * The JSON Schemas (draft 2020-12, as OpenAPI 3.1 uses) of REST request and response bodies,
 * written once: request schemas validate in fastify (`schema.body`, `schema.querystring`), and
 * every schema here lands in `components.schemas` of the OpenAPI document. Response schemas
 * are checked against real responses by the REST tests.
 */

import { ESCALATION_SCHEMAS } from './escalation-schemas.js';
import { FEDERATION_SCHEMAS } from './federation-schemas.js';
import { OVERSIGHT_SCHEMAS } from './oversight-schemas.js';

/** A JSON Schema object (kept loose: these are data, compiled by ajv). */
export type JsonSchema = Readonly<Record<string, unknown>>;

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const str: JsonSchema = { type: 'string' };
const nonEmpty: JsonSchema = { type: 'string', minLength: 1, maxLength: 256 };
const int0: JsonSchema = { type: 'integer', minimum: 0 };
const b64hash: JsonSchema = {
  type: 'string',
  description: 'a 32-byte hash, base64 (standard alphabet, padded)',
  pattern: '^[A-Za-z0-9+/]{43}=$',
};

// The ledger's bound on a note (ledger/note.ts MAX_NOTE_LENGTH, not exported by its door);
// parseNote enforces it again, so a longer note is a 400 either way.
const MAX_NOTE_LENGTH = 256 * 1024;

const sourceLocation: JsonSchema = {
  type: 'object',
  required: ['path', 'line', 'column'],
  additionalProperties: false,
  properties: { path: str, line: { type: 'integer' }, column: { type: 'integer' } },
};

/** Every named schema, by component name. */
export const SCHEMAS = {
  Error: {
    type: 'object',
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        additionalProperties: false,
        properties: {
          code: { type: 'string', pattern: '^ERR_[A-Z_]+$' },
          message: str,
          details: {},
        },
      },
    },
  },
  TaxiiError: {
    type: 'object',
    required: ['title', 'error_code', 'http_status'],
    properties: {
      title: str,
      description: str,
      error_code: str,
      http_status: str,
      details: {},
    },
  },
  TaxiiResource: {
    type: 'object',
    description:
      'a TAXII 2.1 resource (discovery, api root, collections, envelope, manifest, versions, status); TAXII 2.1 §4–5',
  },
  TaxiiEnvelope: {
    type: 'object',
    required: ['objects'],
    properties: { objects: { type: 'array', items: { type: 'object' } } },
  },
  Bundle: {
    type: 'object',
    required: ['type', 'id', 'objects'],
    additionalProperties: false,
    properties: {
      type: { const: 'bundle' },
      id: { type: 'string', pattern: '^bundle--[0-9a-fA-F-]{36}$' },
      objects: { type: 'array', maxItems: 100000, items: { type: 'object' } },
    },
  },
  BundleQuery: {
    type: 'object',
    required: ['agreement'],
    additionalProperties: false,
    properties: {
      agreement: { ...nonEmpty, description: 'the agreement (TAXII api root) to publish under' },
    },
  },
  IngestSummary: {
    type: 'object',
    required: ['agreement', 'producer', 'total', 'inserted', 'unchanged', 'objects'],
    additionalProperties: false,
    properties: {
      agreement: str,
      producer: str,
      total: int0,
      inserted: int0,
      unchanged: int0,
      objects: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'version', 'status'],
          additionalProperties: false,
          properties: { id: str, version: str, status: { enum: ['inserted', 'unchanged'] } },
        },
      },
    },
  },
  AgreementSummary: {
    type: 'object',
    required: ['id', 'version', 'digest', 'status', 'inForce'],
    additionalProperties: false,
    properties: {
      id: str,
      version: { type: 'integer' },
      digest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
      status: { enum: ['pending', 'active', 'superseded'] },
      inForce: { type: 'boolean', description: 'active and inside its effective window now' },
    },
  },
  AgreementList: {
    type: 'object',
    required: ['agreements'],
    additionalProperties: false,
    properties: { agreements: { type: 'array', items: ref('AgreementSummary') } },
  },
  AgreementVersionParams: {
    type: 'object',
    required: ['id', 'version'],
    additionalProperties: false,
    properties: { id: nonEmpty, version: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' } },
  },
  AgreementIdParams: {
    type: 'object',
    required: ['id'],
    additionalProperties: false,
    properties: { id: nonEmpty },
  },
  AgreementVersionQuery: {
    type: 'object',
    additionalProperties: false,
    properties: {
      version: {
        type: 'string',
        pattern: '^[1-9][0-9]{0,8}$',
        description: 'default: the active version, else the latest',
      },
    },
  },
  SignatureStatus: {
    type: 'object',
    required: ['ok', 'signed', 'missing', 'problems'],
    additionalProperties: false,
    properties: {
      ok: { type: 'boolean' },
      signed: { type: 'array', items: str },
      missing: { type: 'array', items: str },
      problems: { type: 'array', items: str },
    },
  },
  AgreementDocument: {
    type: 'object',
    required: ['id', 'version', 'digest', 'status', 'inForce', 'canonical', 'signatures'],
    additionalProperties: false,
    properties: {
      id: str,
      version: { type: 'integer' },
      digest: str,
      status: { enum: ['pending', 'active', 'superseded'] },
      inForce: { type: 'boolean' },
      canonical: { type: 'string', description: 'the canonical JSON (RFC 8785) of the document' },
      signatures: ref('SignatureStatus'),
    },
  },
  AgreementIssue: {
    type: 'object',
    required: ['code', 'severity', 'message', 'path', 'line', 'column'],
    additionalProperties: false,
    properties: {
      code: str,
      severity: { enum: ['error', 'warning'] },
      message: str,
      path: str,
      line: { type: 'integer' },
      column: { type: 'integer' },
    },
  },
  ValidationReport: {
    type: 'object',
    required: ['ok', 'issues'],
    additionalProperties: false,
    properties: {
      ok: { type: 'boolean' },
      id: str,
      version: { type: 'integer' },
      digest: str,
      issues: { type: 'array', items: ref('AgreementIssue') },
    },
  },
  AgreementLoad: {
    type: 'object',
    required: ['source', 'signatures'],
    additionalProperties: false,
    properties: {
      source: { type: 'string', minLength: 1, description: 'the agreement text' },
      format: { enum: ['yaml', 'json'], default: 'yaml' },
      signatures: { type: 'object', description: 'the detached signature file (JSON)' },
    },
  },
  AgreementLoaded: {
    type: 'object',
    required: ['id', 'version', 'digest', 'status', 'signatures', 'warnings'],
    additionalProperties: false,
    properties: {
      id: str,
      version: { type: 'integer' },
      digest: str,
      status: { const: 'pending' },
      signatures: ref('SignatureStatus'),
      warnings: { type: 'array', items: ref('AgreementIssue') },
    },
  },
  Activation: {
    type: 'object',
    required: ['id', 'version', 'digest', 'status', 'ledgerSeq'],
    additionalProperties: false,
    properties: {
      id: str,
      version: { type: 'integer' },
      digest: str,
      status: { const: 'active' },
      ledgerSeq: int0,
    },
  },
  DecisionQuery: {
    type: 'object',
    required: ['agreement', 'request'],
    additionalProperties: false,
    properties: {
      agreement: nonEmpty,
      request: {
        type: 'object',
        description: 'a decision request: agency, purpose, object metadata (never an object), at',
        required: ['agency', 'purpose', 'object', 'at'],
        additionalProperties: false,
        properties: {
          agency: nonEmpty,
          purpose: nonEmpty,
          at: { type: ['integer', 'string'] },
          object: {
            type: 'object',
            required: ['type', 'tlp', 'personalData', 'producer'],
            additionalProperties: false,
            properties: {
              type: nonEmpty,
              tlp: str,
              personalData: str,
              producer: nonEmpty,
              rsit: str,
              confidence: { type: 'integer', minimum: 0, maximum: 100 },
            },
          },
        },
      },
    },
  },
  ClauseRef: {
    type: 'object',
    required: ['kind', 'id'],
    additionalProperties: false,
    properties: { kind: str, id: str, source: sourceLocation },
  },
  Decision: {
    type: 'object',
    required: ['agreement', 'version', 'at', 'decision'],
    additionalProperties: false,
    properties: {
      agreement: str,
      version: { type: 'integer' },
      at: str,
      decision: {
        oneOf: [
          {
            type: 'object',
            required: ['effect', 'allowedBy', 'byWaiver', 'obligations'],
            additionalProperties: false,
            properties: {
              effect: { const: 'allow' },
              allowedBy: { type: 'array', items: ref('ClauseRef') },
              byWaiver: { type: 'boolean' },
              tier: str,
              obligations: {
                type: 'object',
                required: ['retainUntil', 'minimise', 'handling', 'shapedBy'],
                additionalProperties: false,
                properties: {
                  retainUntil: { type: 'integer' },
                  minimise: { type: 'object' },
                  handling: { type: 'object' },
                  shapedBy: { type: 'array', items: ref('ClauseRef') },
                },
              },
            },
          },
          {
            type: 'object',
            required: ['effect', 'stage', 'deniedBy'],
            additionalProperties: false,
            properties: {
              effect: { const: 'deny' },
              stage: str,
              deniedBy: { type: 'array', items: ref('ClauseRef') },
            },
          },
        ],
      },
    },
  },
  Checkpoint: {
    type: 'object',
    required: ['size', 'root', 'note', 'at'],
    additionalProperties: false,
    properties: { size: int0, root: b64hash, note: str, at: str },
  },
  CheckpointList: {
    type: 'object',
    required: ['checkpoints'],
    additionalProperties: false,
    properties: { checkpoints: { type: 'array', items: ref('Checkpoint') } },
  },
  CosignedCheckpoint: {
    type: 'object',
    required: ['size', 'root', 'note', 'at', 'witnesses'],
    additionalProperties: false,
    properties: {
      size: int0,
      root: b64hash,
      note: { ...str, description: 'the node’s C2SP note with the witnesses’ signature lines' },
      at: str,
      witnesses: { type: 'array', items: str, description: 'the cosigning witnesses’ key names' },
    },
  },
  CosignatureRequest: {
    type: 'object',
    required: ['note'],
    additionalProperties: false,
    properties: {
      note: {
        type: 'string',
        minLength: 1,
        maxLength: MAX_NOTE_LENGTH,
        description:
          'the node’s signed checkpoint with the witness’s signature line appended (C2SP signed note)',
      },
    },
  },
  CosignatureAccepted: {
    type: 'object',
    required: ['size', 'witnesses', 'created'],
    additionalProperties: false,
    properties: {
      size: int0,
      witnesses: { type: 'array', items: str },
      created: { type: 'boolean' },
    },
  },
  CheckpointsQuery: {
    type: 'object',
    additionalProperties: false,
    properties: { from: { ...int0, default: 0, description: 'smallest tree size listed' } },
  },
  InclusionQuery: {
    type: 'object',
    required: ['seq'],
    additionalProperties: false,
    properties: { seq: int0, size: { type: 'integer', minimum: 1 } },
  },
  InclusionProof: {
    type: 'object',
    required: ['seq', 'size', 'leafHash', 'proof', 'root', 'checkpoint'],
    additionalProperties: false,
    properties: {
      seq: int0,
      size: int0,
      leafHash: b64hash,
      proof: { type: 'array', items: b64hash },
      root: b64hash,
      checkpoint: str,
    },
  },
  ConsistencyQuery: {
    type: 'object',
    required: ['from', 'to'],
    additionalProperties: false,
    properties: { from: int0, to: int0 },
  },
  ConsistencyProof: {
    type: 'object',
    required: ['from', 'to', 'fromRoot', 'toRoot', 'proof', 'fromCheckpoint', 'toCheckpoint'],
    additionalProperties: false,
    properties: {
      from: int0,
      to: int0,
      fromRoot: b64hash,
      toRoot: b64hash,
      proof: { type: 'array', items: b64hash },
      fromCheckpoint: str,
      toCheckpoint: str,
    },
  },
  Health: {
    type: 'object',
    required: ['status'],
    additionalProperties: false,
    properties: { status: { enum: ['ok', 'unavailable'] } },
  },
  Readiness: {
    type: 'object',
    required: ['status', 'checks'],
    additionalProperties: false,
    properties: {
      status: { enum: ['ok', 'unavailable'] },
      checks: {
        type: 'object',
        required: ['store', 'agreements', 'ledger'],
        additionalProperties: false,
        properties: {
          store: { type: 'boolean' },
          agreements: { type: 'boolean' },
          ledger: { type: 'boolean' },
        },
      },
    },
  },
  OpenApiDocument: { type: 'object', description: 'this document' },
  Empty: { type: 'object', additionalProperties: false, properties: {} },
  ...ESCALATION_SCHEMAS,
  ...FEDERATION_SCHEMAS,
  ...OVERSIGHT_SCHEMAS,
} as const satisfies Record<string, JsonSchema>;

/** A component name. */
export type SchemaName = keyof typeof SCHEMAS;

/** The schema of `name` with its `$ref`s resolvable by ajv (`components.schemas` registered). */
export function schemaRef(name: SchemaName): JsonSchema {
  return ref(name);
}
