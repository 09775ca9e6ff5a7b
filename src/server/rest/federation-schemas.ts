/**
 * The JSON Schemas of the federation endpoints' bodies (src/server/rest/federation.ts,
 * docs/federation-sync.md), merged into `SCHEMAS`. They document what the handlers take and
 * answer; the receipt body is checked by federation/ (`parseSignedReceipt`, 422
 * `ERR_RECEIPT_INVALID`), not by fastify, so these schemas add no validation of their own.
 */

const name200 = { type: 'string', minLength: 1, maxLength: 200 } as const;
const sha256Prefixed = {
  type: 'string',
  description: '`sha256:` and 64 lowercase hex digits',
  pattern: '^sha256:[0-9a-f]{64}$',
} as const;
const int0 = { type: 'integer', minimum: 0 } as const;
const b64hash = {
  type: 'string',
  description: 'a 32-byte hash, base64 (standard alphabet, padded)',
  pattern: '^[A-Za-z0-9+/]{43}=$',
} as const;
const signature = {
  type: 'string',
  description: 'Ed25519 signature over the canonical JSON (RFC 8785) of `receipt`, base64',
  pattern: '^[A-Za-z0-9+/]{86}==$',
} as const;
const receiptItem = {
  type: 'string',
  maxLength: 300,
  description: '`<id> <version> sha256:<hex>` of one received object',
  pattern: '^[a-z0-9-]+--[0-9a-f-]{36} \\S+ sha256:[0-9a-f]{64}$',
} as const;

/** The federation schemas, by component name. */
export const FEDERATION_SCHEMAS = {
  SignedReceipt: {
    type: 'object',
    description:
      'a receipt signed by the receiving node with its node signing key (docs/federation-sync.md)',
    required: ['receipt', 'signature'],
    additionalProperties: false,
    properties: {
      receipt: {
        type: 'object',
        required: [
          'type',
          'spec',
          'producer',
          'receiver',
          'agreementId',
          'agreementVersion',
          'purpose',
          'collection',
          'items',
          'at',
          'cursor',
        ],
        additionalProperties: false,
        properties: {
          type: { const: 'concordat-receipt' },
          spec: { const: 1 },
          producer: name200,
          receiver: name200,
          agreementId: name200,
          agreementVersion: { type: 'integer', minimum: 1 },
          purpose: name200,
          collection: name200,
          items: { type: 'array', maxItems: 100, items: receiptItem },
          at: { ...name200, description: 'when the receiver ingested the page (RFC 3339 UTC)' },
          cursor: {
            type: ['string', 'null'],
            maxLength: 64,
            description: 'the page’s `X-TAXII-Date-Added-Last`, or null',
          },
        },
      },
      signature,
    },
  },
  ReceiptAcknowledgement: {
    type: 'object',
    required: ['receiptHash', 'ledgerSeq', 'created'],
    additionalProperties: false,
    properties: {
      receiptHash: { ...sha256Prefixed, description: 'SHA-256 of the canonical receipt' },
      ledgerSeq: {
        ...int0,
        description: 'leaf index of the `receipt-acknowledged` entry on this node’s ledger',
      },
      created: {
        type: 'boolean',
        description: 'false when this receipt was acknowledged before (nothing new written)',
      },
    },
  },
  ReceiptProofs: {
    type: 'object',
    required: ['checkpoint', 'size', 'receipts'],
    additionalProperties: false,
    properties: {
      checkpoint: {
        type: 'string',
        description: 'this node’s latest signed checkpoint (C2SP note) the proofs are against',
      },
      size: int0,
      receipts: {
        type: 'array',
        items: {
          type: 'object',
          required: ['seq', 'at', 'kind', 'body', 'proof'],
          additionalProperties: false,
          properties: {
            seq: int0,
            at: { type: 'integer', description: 'epoch milliseconds' },
            kind: { type: 'string', description: '`receipt`' },
            body: {
              type: 'object',
              description:
                'the `receipt` ledger entry body: the receipt’s fields, its hash and signature — ids, versions and hashes only',
            },
            proof: {
              type: 'array',
              description: 'RFC 6962 audit path against `checkpoint`',
              items: b64hash,
            },
          },
        },
      },
    },
  },
  WithdrawalHashes: {
    type: 'object',
    required: ['items'],
    additionalProperties: false,
    properties: {
      items: {
        type: 'array',
        description:
          'SHA-256 (hex) of `<id> <version>` of every version this node’s party withdrew',
        items: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
    },
  },
} as const;
