import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { ConcordatError } from '../core/index.js';
import { decodeBase64Strict, encodeBase64 } from './base64.js';

/** A key that signs notes: a C2SP signed-note key name and an Ed25519 private key. */
export interface NoteSigner {
  readonly name: string;
  readonly privateKey: KeyObject;
}

/** A key trusted to verify notes: name, key ID and Ed25519 public key. */
export interface NoteVerifier {
  readonly name: string;
  /** C2SP signed-note key ID (uint32). */
  readonly keyId: number;
  readonly publicKey: KeyObject;
}

/** One signature line of a note. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly signature: Uint8Array;
}

/** A note split into its signed text and its signature lines (not yet verified). */
export interface ParsedNote {
  /** The signed text, ending in a newline. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** C2SP signed-note signature type for Ed25519. */
const ED25519_TYPE = 0x01;
/** C2SP signed-note: verifiers must accept at least 16 signatures; we bound notes anyway. */
export const MAX_NOTE_SIGNATURES = 64;
/** Bound on a note's length in UTF-16 units (checkpoints are a few hundred). */
export const MAX_NOTE_LENGTH = 256 * 1024;

const SIGNATURE_PREFIX = '\u2014 ';
// C2SP signed-note: no ASCII control characters other than newline.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f]/;
// C2SP signed-note: key names are non-empty, without Unicode spaces or plus.
const KEY_NAME = /^[^\s+]+$/u;
const LONE_SURROGATE = /\p{Surrogate}/u;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8 = new TextEncoder();

/** True when `name` is a valid signed-note key name. */
export function isNoteKeyName(name: string): boolean {
  return KEY_NAME.test(name) && !CONTROL.test(name);
}

/** The 32 raw bytes of an Ed25519 public key (RFC 8032 encoding). */
export function rawEd25519PublicKey(key: KeyObject): Uint8Array {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new ConcordatError('ERR_KEY_INVALID', 'a note key must be an ed25519 key');
  }
  const jwk = publicKey.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string')
    throw new ConcordatError('ERR_KEY_INVALID', 'ed25519 key has no `x`');
  return new Uint8Array(Buffer.from(jwk.x, 'base64url'));
}

/**
 * C2SP signed-note key ID: SHA-256(key name || 0x0A || 0x01 || 32-byte Ed25519 public key),
 * first four bytes, big-endian.
 */
export function noteKeyId(name: string, rawPublicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(utf8.encode(name))
    .update(Uint8Array.of(0x0a, ED25519_TYPE))
    .update(rawPublicKey)
    .digest();
  return digest.readUInt32BE(0);
}

function checkName(name: string): void {
  if (typeof name !== 'string' || !isNoteKeyName(name)) {
    throw new ConcordatError(
      'ERR_KEY_INVALID',
      'a note key name must be non-empty, without spaces, `+` or control characters',
    );
  }
}

/** A {@link NoteVerifier} for an Ed25519 public (or private) key under `name`. */
export function noteVerifier(name: string, key: KeyObject): NoteVerifier {
  checkName(name);
  const raw = rawEd25519PublicKey(key);
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return Object.freeze({ name, keyId: noteKeyId(name, raw), publicKey });
}

/**
 * The standard verifier key string used by transparency-log tooling (golang.org/x/mod
 * sumdb/note, C2SP): `<name>+<8 hex digits of key ID>+<base64(0x01 || public key)>`.
 */
export function noteVerifierKey(name: string, key: KeyObject): string {
  checkName(name);
  const raw = rawEd25519PublicKey(key);
  const id = noteKeyId(name, raw).toString(16).padStart(8, '0');
  const typed = new Uint8Array(1 + raw.length);
  typed[0] = ED25519_TYPE;
  typed.set(raw, 1);
  return `${name}+${id}+${encodeBase64(typed)}`;
}

/** Parses a verifier key string (see {@link noteVerifierKey}); throws `ERR_KEY_INVALID`. */
export function parseNoteVerifierKey(vkey: string): NoteVerifier {
  const bad = (why: string): ConcordatError =>
    new ConcordatError('ERR_KEY_INVALID', `verifier key ${why}`);
  // Split on the first two `+` only: the base64 key may itself contain `+`.
  const first = typeof vkey === 'string' ? vkey.indexOf('+') : -1;
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (second < 0) throw bad('must be `<name>+<hex key id>+<base64 key>`');
  const name = vkey.slice(0, first);
  const idHex = vkey.slice(first + 1, second);
  const keyB64 = vkey.slice(second + 1);
  if (!isNoteKeyName(name)) throw bad('has an invalid name');
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw bad('key id must be 8 lowercase hex digits');
  const typed = decodeBase64Strict(keyB64);
  if (typed === undefined || typed.length !== 33 || typed[0] !== ED25519_TYPE) {
    throw bad('must hold an ed25519 key (type 0x01, 32 bytes)');
  }
  const raw = typed.subarray(1);
  const keyId = Number.parseInt(idHex, 16);
  if (noteKeyId(name, raw) !== keyId) throw bad('key id does not match its name and key');
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
  return Object.freeze({ name, keyId, publicKey });
}

/**
 * Signs `text` (which must end in a newline and contain no control characters but newlines)
 * with each signer, returning the C2SP signed note: text, a blank line, one line
 * `— <name> base64(key ID || Ed25519 signature)` per signer.
 */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  if (!text.endsWith('\n') || CONTROL.test(text) || LONE_SURROGATE.test(text)) {
    throw new ConcordatError(
      'ERR_CHECKPOINT_INVALID',
      'note text must end in a newline and hold no control characters but newlines',
    );
  }
  if (signers.length === 0) throw new ConcordatError('ERR_KEY_INVALID', 'a note needs a signer');
  const message = utf8.encode(text);
  let lines = '';
  for (const signer of signers) {
    checkName(signer.name);
    if (signer.privateKey.type !== 'private' || signer.privateKey.asymmetricKeyType !== 'ed25519') {
      throw new ConcordatError('ERR_KEY_INVALID', 'a note signer needs an ed25519 private key');
    }
    const keyId = noteKeyId(signer.name, rawEd25519PublicKey(signer.privateKey));
    const signature = sign(null, message, signer.privateKey);
    const blob = new Uint8Array(4 + signature.length);
    new DataView(blob.buffer).setUint32(0, keyId);
    blob.set(signature, 4);
    lines += `${SIGNATURE_PREFIX}${signer.name} ${encodeBase64(blob)}\n`;
  }
  return `${text}\n${lines}`;
}

/** Why a note could not be parsed (`message` says where). */
export interface NoteParseFailure {
  readonly ok: false;
  readonly reason: 'malformed-note';
  readonly message: string;
}

/**
 * Splits a signed note into text and signature lines, accepting only the exact C2SP format:
 * valid UTF-8, no control characters but newlines, the text ending in a newline, one blank
 * line, then one or more `— <name> <base64>` lines each ending in a newline. Never throws.
 */
export function parseNote(
  note: string | Uint8Array,
): { readonly ok: true; readonly note: ParsedNote } | NoteParseFailure {
  const malformed = (message: string): NoteParseFailure => ({
    ok: false,
    reason: 'malformed-note',
    message,
  });
  let source: string;
  if (typeof note === 'string') {
    source = note;
  } else if (note instanceof Uint8Array) {
    try {
      source = strictUtf8.decode(note);
    } catch {
      return malformed('note is not valid utf-8');
    }
  } else {
    return malformed('note must be text');
  }
  if (source.length > MAX_NOTE_LENGTH) return malformed('note is too long');
  if (LONE_SURROGATE.test(source)) return malformed('note is not valid unicode');
  if (CONTROL.test(source)) return malformed('note holds a control character');
  // C2SP signed-note: the text is separated from the signatures by the last empty line.
  const split = source.lastIndexOf('\n\n');
  if (split < 0) return malformed('note has no blank line before its signatures');
  const text = source.slice(0, split + 1);
  const block = source.slice(split + 2);
  if (!block.endsWith('\n')) return malformed('note does not end in a newline after a signature');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) return malformed('note has too many signatures');
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    if (!line.startsWith(SIGNATURE_PREFIX)) return malformed('signature line must start with `— `');
    const parts = line.slice(SIGNATURE_PREFIX.length).split(' ');
    const [name = '', b64 = ''] = parts;
    if (parts.length !== 2 || !isNoteKeyName(name)) return malformed('malformed signature line');
    const blob = decodeBase64Strict(b64);
    if (blob === undefined || blob.length < 5)
      return malformed('signature is not canonical base64');
    const keyId = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(0);
    signatures.push({ name, keyId, signature: blob.subarray(4) });
  }
  return { ok: true, note: { text, signatures } };
}

/** Why a note failed verification. */
export type NoteFailure =
  'malformed-note' | 'unknown-signer' | 'bad-signature' | 'missing-signature';

/** The outcome of {@link verifyNote}. */
export type NoteVerification =
  | { readonly ok: true; readonly text: string; readonly signers: readonly string[] }
  | { readonly ok: false; readonly reason: NoteFailure; readonly message: string };

/**
 * Verifies a signed note against trusted keys (C2SP signed-note §Signatures): signatures from
 * unknown keys are ignored; a signature from a known key (name *and* key ID match) must
 * verify, else the whole note is rejected (`bad-signature`); at least one known key must have
 * signed (`unknown-signer`), and with `require: 'all'` every given verifier must have
 * (`missing-signature`) — how an oversight body insists on its own cosignature.
 */
export function verifyNote(
  note: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
  options: { readonly require?: 'any' | 'all' } = {},
): NoteVerification {
  const parsed = parseNote(note);
  if (!parsed.ok) return parsed;
  const { text, signatures } = parsed.note;
  const message = utf8.encode(text);
  const signed = new Set<NoteVerifier>();
  for (const sig of signatures) {
    const key = verifiers.find((v) => v.name === sig.name && v.keyId === sig.keyId);
    if (key === undefined) continue;
    let valid: boolean;
    try {
      valid = sig.signature.length === 64 && verify(null, message, key.publicKey, sig.signature);
    } catch {
      valid = false;
    }
    if (!valid) {
      return {
        ok: false,
        reason: 'bad-signature',
        message: `signature by \`${sig.name}\` does not verify`,
      };
    }
    signed.add(key);
  }
  if (signed.size === 0) {
    return { ok: false, reason: 'unknown-signer', message: 'no signature from a trusted key' };
  }
  if (options.require === 'all') {
    const missing = verifiers.find((v) => !signed.has(v));
    if (missing !== undefined) {
      return {
        ok: false,
        reason: 'missing-signature',
        message: `no valid signature by \`${missing.name}\``,
      };
    }
  }
  return { ok: true, text, signers: [...signed].map((v) => v.name) };
}
