import { ConcordatError } from '../core/index.js';
import { canonicalJson, type CanonicalLimits } from './canonical-json.js';

/**
 * What a ledger entry body may look like: ids, hashes, codes and short reasons, not documents.
 * Field names that carry intelligence itself in STIX 2.1 or in our own envelopes are refused;
 * a body may name the *hash* or *id* of such a thing (`objectHash`, `objectId`), never the thing.
 */
export const BODY_LIMITS: CanonicalLimits = Object.freeze({
  maxString: 512,
  maxDepth: 6,
  maxNodes: 512,
  forbiddenKeys: new Set([
    'content',
    'payload',
    'plaintext',
    'ciphertext',
    'raw',
    'stix',
    'bundle',
    'objects',
    'pattern',
    'description',
    'intel',
  ]),
});

/**
 * INVARIANT: ledger entries carry hashes, ids and metadata only — the oversight body reads the
 * whole ledger and must never see intelligence. This guard enforces the *shape* of that rule
 * (it runs on every `encodeEntry`): a plain JSON object within {@link BODY_LIMITS} — bounded
 * depth, size and string length, no field named after content (`content`, `payload`,
 * `objects`, `pattern`, `description`, ...). It is a tripwire for mistakes, not a classifier:
 * callers put digests of intel in bodies, not intel. Throws `ERR_LEDGER_ENTRY_INVALID` naming
 * the offending path.
 */
export function assertNoContent(body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ConcordatError(
      'ERR_LEDGER_ENTRY_INVALID',
      'ledger entry `body` must be a json object',
    );
  }
  // Wrapped as in an entry, so depths and paths are the ones `encodeEntry` reports.
  canonicalJson({ body }, BODY_LIMITS);
}
