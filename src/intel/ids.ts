/**
 * STIX identifiers: `type--UUID` (STIX 2.1 §2.9). The schemas check the shape loosely; this
 * file says precisely what is wrong, so that a homoglyph or an invisible character in an id
 * is named as such rather than reported as a failed regular expression.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** What is wrong with an identifier, if anything. */
export type IdProblem =
  'not-a-string' | 'non-ascii' | 'malformed' | 'not-rfc4122' | 'uppercase' | 'type-mismatch';

// Printable ASCII only: no spaces, no zero-width characters (U+200B..U+200D, U+FEFF), no
// homoglyphs (Cyrillic `а` for Latin `a`), no bidi controls.
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;
const ID_SHAPE = /^([a-z][a-z0-9-]{1,248}[a-z0-9])--([0-9a-fA-F-]{36})$/;
// RFC 4122 §4.1: version 1–5 in the 13th hex digit, variant `10xx` (8, 9, a, b) in the 17th.
const RFC4122 = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Splits an identifier into its type and UUID, or names what is wrong with it. */
export function checkId(
  value: unknown,
  expectedType?: string,
):
  | { readonly ok: true; readonly type: string; readonly uuid: string }
  | {
      readonly ok: false;
      readonly problem: IdProblem;
    } {
  if (typeof value !== 'string') return { ok: false, problem: 'not-a-string' };
  if (!PRINTABLE_ASCII.test(value)) return { ok: false, problem: 'non-ascii' };
  const m = ID_SHAPE.exec(value);
  if (m === null) return { ok: false, problem: 'malformed' };
  const type = m[1] as string;
  const uuid = m[2] as string;
  if (!RFC4122.test(uuid)) return { ok: false, problem: 'not-rfc4122' };
  // RFC 4122 §3: UUIDs are output as lowercase; `A` and `a` variants of one id would otherwise
  // be two distinct STIX ids for one object.
  if (uuid !== uuid.toLowerCase()) return { ok: false, problem: 'uppercase' };
  if (expectedType !== undefined && type !== expectedType)
    return { ok: false, problem: 'type-mismatch' };
  return { ok: true, type, uuid };
}

/** The type part of an identifier (`indicator--…` → `indicator`), or undefined. */
export function idType(value: string): string | undefined {
  const i = value.indexOf('--');
  return i > 0 ? value.slice(0, i) : undefined;
}

// STIX 2.1 §2.9: the namespace for deterministic SCO identifiers.
const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

function formatUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Sets the RFC 4122 version and variant bits of the first 16 bytes of `bytes`. */
export function shapeUuid(bytes: Uint8Array, version: 4 | 5): string {
  const b = Uint8Array.from(bytes.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | (version << 4);
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  return formatUuid(b);
}

/**
 * STIX 2.1 §2.9: the deterministic identifier of an SCO, a UUIDv5 in the STIX namespace over
 * the RFC 8785 canonical JSON of its id-contributing properties (those present).
 */
export function deterministicScoId(type: string, contributing: Record<string, unknown>): string {
  const name = canonicalize(contributing) ?? '{}';
  const digest = createHash('sha1')
    .update(uuidBytes(SCO_NAMESPACE))
    .update(Buffer.from(name, 'utf8'))
    .digest();
  return `${type}--${shapeUuid(digest, 5)}`;
}
