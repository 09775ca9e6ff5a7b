import { ConcordatError } from '../core/index.js';
import { decodeBase64Strict, encodeBase64 } from './base64.js';
import { HASH_SIZE, equalBytes } from './hash.js';
import {
  parseNote,
  signNote,
  verifyNote,
  type NoteFailure,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
} from './note.js';
import { isTreeSize } from './tree-math.js';

/** A tree head: the log's origin, its size and the RFC 6962 root at that size. */
export interface Checkpoint {
  /** c2sp.org/tlog-checkpoint: the log's identity, e.g. `concordat.example/arv-node`. */
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  /** Optional extension lines (NOT RECOMMENDED by the spec: monitors cannot audit them). */
  readonly extensions?: readonly string[];
}

/** Why a checkpoint was rejected. */
export type CheckpointFailure =
  NoteFailure | 'malformed-checkpoint' | 'origin-mismatch' | 'size-mismatch' | 'root-mismatch';

/** The outcome of {@link parseCheckpoint}. */
export type CheckpointParse =
  | {
      readonly ok: true;
      readonly checkpoint: Checkpoint;
      readonly signatures: readonly NoteSignature[];
    }
  | {
      readonly ok: false;
      readonly reason: 'malformed-note' | 'malformed-checkpoint';
      readonly message: string;
    };

/** The outcome of {@link verifyCheckpoint}. */
export type CheckpointVerification =
  | { readonly ok: true; readonly checkpoint: Checkpoint; readonly signers: readonly string[] }
  | { readonly ok: false; readonly reason: CheckpointFailure; readonly message: string };

const SIZE = /^(?:0|[1-9][0-9]*)$/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f]/;

/**
 * The checkpoint note text (c2sp.org/tlog-checkpoint §Note text): origin, decimal size and
 * base64 root hash, one per line, then any extension lines, each ending in a newline.
 * Throws `ERR_CHECKPOINT_INVALID` when a field cannot be written in that form.
 */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, root, extensions = [] } = checkpoint;
  const bad = (why: string): ConcordatError => new ConcordatError('ERR_CHECKPOINT_INVALID', why);
  if (typeof origin !== 'string' || origin === '' || CONTROL.test(origin)) {
    throw bad('checkpoint origin must be one non-empty line');
  }
  if (!isTreeSize(size)) throw bad('checkpoint size must be a non-negative integer');
  if (!(root instanceof Uint8Array) || root.length !== HASH_SIZE) {
    throw bad(`checkpoint root must be ${String(HASH_SIZE)} bytes`);
  }
  for (const line of extensions) {
    if (typeof line !== 'string' || line === '' || CONTROL.test(line)) {
      throw bad('checkpoint extension lines must be non-empty single lines');
    }
  }
  return [origin, String(size), encodeBase64(root), ...extensions].map((l) => `${l}\n`).join('');
}

/**
 * Signs a checkpoint as a C2SP signed note (Ed25519, key ID per c2sp.org/signed-note). The
 * log's key name SHOULD match the origin (tlog-checkpoint §Signatures); several signers
 * produce one line each. Throws `ERR_CHECKPOINT_INVALID` / `ERR_KEY_INVALID`.
 */
export function signCheckpoint(
  checkpoint: Checkpoint,
  signer: NoteSigner | readonly NoteSigner[],
): string {
  const signers: readonly NoteSigner[] = Array.isArray(signer) ? signer : [signer as NoteSigner];
  return signNote(formatCheckpoint(checkpoint), signers);
}

/**
 * Parses a signed checkpoint without verifying its signatures (use {@link verifyCheckpoint}
 * for anything you will rely on: C2SP says the text MUST be ignored until verified).
 * Accepts only the exact format: at least three non-empty lines, a size without leading
 * zeros, a canonical base64 root of 32 bytes. Never throws.
 */
export function parseCheckpoint(note: string | Uint8Array): CheckpointParse {
  const parsed = parseNote(note);
  if (!parsed.ok) return parsed;
  const body = parseCheckpointText(parsed.note.text);
  if (!body.ok) return body;
  return { ok: true, checkpoint: body.checkpoint, signatures: parsed.note.signatures };
}

function parseCheckpointText(
  text: string,
):
  | { readonly ok: true; readonly checkpoint: Checkpoint }
  | { readonly ok: false; readonly reason: 'malformed-checkpoint'; readonly message: string } {
  const malformed = (
    message: string,
  ): { ok: false; reason: 'malformed-checkpoint'; message: string } => ({
    ok: false,
    reason: 'malformed-checkpoint',
    message,
  });
  const lines = text.slice(0, -1).split('\n');
  const [origin = '', sizeText = '', rootText = '', ...extensions] = lines;
  if (lines.length < 3) return malformed('checkpoint needs origin, size and root lines');
  if (lines.some((l) => l === '')) return malformed('checkpoint lines must be non-empty');
  if (!SIZE.test(sizeText) || !isTreeSize(Number(sizeText))) {
    return malformed('checkpoint size is not a decimal tree size without leading zeros');
  }
  const root = decodeBase64Strict(rootText);
  if (root === undefined || root.length !== HASH_SIZE) {
    return malformed('checkpoint root is not a canonical base64 sha-256 hash');
  }
  const checkpoint: Checkpoint =
    extensions.length > 0
      ? { origin, size: Number(sizeText), root, extensions }
      : { origin, size: Number(sizeText), root };
  return { ok: true, checkpoint };
}

/** What a verifier may additionally insist on. */
export interface CheckpointExpectations {
  /** `all`: every verifier must have signed (e.g. the log and the oversight body). */
  readonly require?: 'any' | 'all';
  readonly origin?: string;
  readonly size?: number;
  readonly root?: Uint8Array;
}

/**
 * Verifies a signed checkpoint: the note's signatures (see `verifyNote`), then its format,
 * then any expected origin, size and root. Returns the checkpoint and who signed it, or the
 * first reason it fails. Never throws.
 */
export function verifyCheckpoint(
  note: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
  expect: CheckpointExpectations = {},
): CheckpointVerification {
  const verified = verifyNote(
    note,
    verifiers,
    expect.require === undefined ? {} : { require: expect.require },
  );
  if (!verified.ok) return verified;
  const body = parseCheckpointText(verified.text);
  if (!body.ok) return body;
  const { checkpoint } = body;
  if (expect.origin !== undefined && checkpoint.origin !== expect.origin) {
    return {
      ok: false,
      reason: 'origin-mismatch',
      message: `checkpoint origin is not \`${expect.origin}\``,
    };
  }
  if (expect.size !== undefined && checkpoint.size !== expect.size) {
    return {
      ok: false,
      reason: 'size-mismatch',
      message: `checkpoint size is not ${String(expect.size)}`,
    };
  }
  if (expect.root !== undefined && !equalBytes(checkpoint.root, expect.root)) {
    return {
      ok: false,
      reason: 'root-mismatch',
      message: 'checkpoint root is not the expected root',
    };
  }
  return { ok: true, checkpoint, signers: verified.signers };
}
