/**
 * Signed receipts (issue 6): after a pulled page is ingested, the receiving node signs what it
 * received — producer, receiver, agreement id and version, purpose, collection, every object as
 * `<id> <version> sha256:<hex>`, the time and the page cursor — with its Ed25519 node signing
 * key. Both ledgers record it (hashes only), so `reconcile` can compare what one side ledgered
 * as released with what the other ledgered as received, without any content.
 *
 * The object hash is the producer's release hash: SHA-256 of the canonical JSON (RFC 8785) of
 * the object as released *before* its handling stamp (src/release/ledger-body.ts), so the
 * receiver removes the Concordat handling extension before hashing.
 */
import { createHash, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { canonicalJson } from '../agreement/index.js';
import { ConcordatError } from '../core/index.js';
import { CONCORDAT_HANDLING_EXTENSION_ID, canonicalStixJson } from '../intel/index.js';

/** Largest number of objects one receipt names (one ledger body stays within its limits). */
export const MAX_RECEIPT_ITEMS = 100;

/** What the receiver signs. Ids, versions and hashes only. */
export interface Receipt {
  readonly type: 'concordat-receipt';
  readonly spec: 1;
  /** The producing party (the peer pulled from). */
  readonly producer: string;
  /** The receiving party (the signer). */
  readonly receiver: string;
  readonly agreementId: string;
  readonly agreementVersion: number;
  readonly purpose: string;
  /** The producer's TAXII collection id the page came from. */
  readonly collection: string;
  /** `<released id> <version> sha256:<hex>`, in page order. */
  readonly items: readonly string[];
  /** When the receiver ingested the page (RFC 3339 UTC). */
  readonly at: string;
  /** The page's `X-TAXII-Date-Added-Last` (the cursor it advanced to), or null. */
  readonly cursor: string | null;
}

/** A receipt and the receiver's Ed25519 signature over its canonical JSON (base64). */
export interface SignedReceipt {
  readonly receipt: Receipt;
  readonly signature: string;
}

/** The canonical bytes a receipt is signed and hashed over. */
export function receiptBytes(receipt: Receipt): Buffer {
  return Buffer.from(canonicalJson(receipt), 'utf8');
}

/** SHA-256 of the canonical receipt: its identity on both ledgers. */
export function receiptHash(receipt: Receipt): Uint8Array {
  return new Uint8Array(createHash('sha256').update(receiptBytes(receipt)).digest());
}

/** Signs `receipt` with the node's Ed25519 signing key. */
export function signReceipt(receipt: Receipt, key: KeyObject): SignedReceipt {
  return { receipt, signature: sign(null, receiptBytes(receipt), key).toString('base64') };
}

/**
 * The release hash of a received object: SHA-256 over the canonical JSON of the object without
 * the Concordat handling extension (and without `extensions` when nothing else was in it).
 */
export function releasedHash(object: Readonly<Record<string, unknown>>): string {
  const ext = object.extensions as Record<string, unknown> | undefined;
  let plain: Record<string, unknown> = { ...object };
  if (ext !== undefined && typeof ext === 'object' && CONCORDAT_HANDLING_EXTENSION_ID in ext) {
    const rest = Object.fromEntries(
      Object.entries(ext).filter(([k]) => k !== CONCORDAT_HANDLING_EXTENSION_ID),
    );
    plain = { ...object, extensions: rest };
    if (Object.keys(rest).length === 0) delete plain.extensions;
  }
  return createHash('sha256').update(canonicalStixJson(plain), 'utf8').digest('hex');
}

/** The receipt item of one received object. */
export function receiptItem(object: Readonly<Record<string, unknown>>, version: string): string {
  return `${String(object.id)} ${version} sha256:${releasedHash(object)}`;
}

const ITEM_RE = /^[a-z0-9-]+--[0-9a-f-]{36} \S+ sha256:[0-9a-f]{64}$/;
const STRING_FIELDS = ['producer', 'receiver', 'agreementId', 'purpose', 'collection', 'at'];

function invalid(message: string): ConcordatError {
  return new ConcordatError('ERR_RECEIPT_INVALID', message);
}

/**
 * Checks the shape of a signed receipt received over the network (every field, no extra ones)
 * and returns it typed. Throws `ERR_RECEIPT_INVALID` naming the first problem.
 */
export function parseSignedReceipt(value: unknown): SignedReceipt {
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(value)) throw invalid('the receipt must be a json object');
  const { receipt: r, signature } = value;
  if (Object.keys(value).some((k) => k !== 'receipt' && k !== 'signature'))
    throw invalid('a signed receipt has exactly `receipt` and `signature`');
  if (typeof signature !== 'string' || !/^[A-Za-z0-9+/]{86}==$/.test(signature))
    throw invalid('`signature` must be a base64 ed25519 signature');
  if (!isObj(r)) throw invalid('`receipt` must be a json object');
  const allowed = new Set([
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
  ]);
  const extra = Object.keys(r).find((k) => !allowed.has(k));
  if (extra !== undefined) throw invalid(`unknown receipt field \`${extra.slice(0, 40)}\``);
  if (r.type !== 'concordat-receipt' || r.spec !== 1)
    throw invalid('`type` must be `concordat-receipt` and `spec` 1');
  for (const f of STRING_FIELDS)
    if (typeof r[f] !== 'string' || r[f] === '' || (r[f] as string).length > 200)
      throw invalid(`\`${f}\` must be a non-empty string of at most 200 characters`);
  if (!Number.isSafeInteger(r.agreementVersion) || (r.agreementVersion as number) < 1)
    throw invalid('`agreementVersion` must be a positive integer');
  if (r.cursor !== null && (typeof r.cursor !== 'string' || r.cursor.length > 64))
    throw invalid('`cursor` must be a timestamp or null');
  if (
    !Array.isArray(r.items) ||
    r.items.length > MAX_RECEIPT_ITEMS ||
    r.items.some((i) => typeof i !== 'string' || i.length > 300 || !ITEM_RE.test(i))
  )
    throw invalid(
      `\`items\` must be at most ${MAX_RECEIPT_ITEMS} strings \`<id> <version> sha256:<hex>\``,
    );
  return { receipt: r as unknown as Receipt, signature };
}

/**
 * Whether `signed` verifies under one of `publicKeys` (PEM). Malformed keys count as not
 * verifying; never throws.
 */
export function receiptVerifies(signed: SignedReceipt, publicKeys: readonly string[]): boolean {
  const data = receiptBytes(signed.receipt);
  const sig = Buffer.from(signed.signature, 'base64');
  return publicKeys.some((pem) => {
    try {
      return verify(null, data, pem, sig);
    } catch {
      return false;
    }
  });
}

/** The receiver's `receipt` ledger body: the receipt's fields, its hash and signature. */
export function receiptLedgerBody(
  signed: SignedReceipt,
  hash: Uint8Array,
): Record<string, string | number | null | string[]> {
  const r = signed.receipt;
  return {
    producer: r.producer,
    receiver: r.receiver,
    agreementId: r.agreementId,
    agreementVersion: r.agreementVersion,
    purpose: r.purpose,
    collection: r.collection,
    at: r.at,
    cursor: r.cursor,
    items: [...r.items],
    receiptHash: `sha256:${Buffer.from(hash).toString('hex')}`,
    signature: signed.signature,
  };
}
