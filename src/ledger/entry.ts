import { ConcordatError } from '../core/index.js';
import { BODY_LIMITS } from './assert-no-content.js';
import { canonicalJsonAt, matchCanonicalJsonAt } from './canonical-json.js';
import { leafHashOfText } from './hash.js';

/** A JSON value as the ledger stores it (no `undefined`, no non-finite numbers). */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;

/** A JSON object as the ledger stores it. */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/**
 * One ledger record: what happened (`kind`: `decision`, `release`, `ingest`, `governance.*`,
 * `shred`, ...), when (`at`, epoch milliseconds from the injected Clock) and its facts
 * (`body`). INVARIANT: bodies carry hashes, ids and metadata only — never intelligence
 * content — so the ledger can be handed to an oversight body whole; `assertNoContent`'s limits
 * are enforced on every encode.
 */
export interface LedgerEntry {
  /** Position in the ledger, 0-based and gapless: the Merkle leaf index. */
  readonly seq: number;
  /** Epoch milliseconds. */
  readonly at: number;
  /** Dotted lowercase kind, e.g. `release` or `governance.waiver-granted`. */
  readonly kind: string;
  readonly body: JsonObject;
}

const KIND = /^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/;
const MAX_KIND_LENGTH = 64;
const ENTRY_KEYS: ReadonlySet<string> = new Set(['at', 'body', 'kind', 'seq']);

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function invalid(message: string): ConcordatError {
  return new ConcordatError('ERR_LEDGER_ENTRY_INVALID', message);
}

function checkEntry(entry: unknown): asserts entry is LedgerEntry {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw invalid('a ledger entry must be an object');
  }
  // Four distinct own keys, each one of the four: exactly the four.
  const keys = Object.keys(entry);
  if (keys.length !== ENTRY_KEYS.size || !keys.every((k) => ENTRY_KEYS.has(k))) {
    throw invalid('a ledger entry has exactly the fields `seq`, `at`, `kind` and `body`');
  }
  const { seq, at, kind, body } = entry as Record<string, unknown>;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw invalid('entry `seq` must be a non-negative integer');
  }
  if (typeof at !== 'number' || !Number.isSafeInteger(at) || at < 0) {
    throw invalid('entry `at` must be epoch milliseconds (a non-negative integer)');
  }
  if (typeof kind !== 'string' || kind.length > MAX_KIND_LENGTH || !KIND.test(kind)) {
    throw invalid('entry `kind` must be dotted lowercase words, e.g. `governance.pause`');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('entry `body` must be a json object');
  }
}

/** The canonical text of a checked entry (see {@link encodeEntry}) and of its body. */
function canonicalParts(entry: LedgerEntry): { readonly text: string; readonly body: string } {
  checkEntry(entry);
  // The envelope has a fixed shape, so it is written directly in RFC 8785 key order
  // (`at` < `body` < `kind` < `seq`): `at` and `seq` are safe non-negative integers (their
  // ECMAScript spelling is canonical) and `kind` matches KIND (nothing to escape). The body
  // sits one level down, after four counted values (the entry, `at`, `kind`, `seq`): the same
  // depths and node count as encoding the whole entry.
  const body = flatBody(entry.body) ?? canonicalJsonAt(entry.body, 0, 4, BODY_LIMITS, ['body']);
  return {
    text: `{"at":${String(entry.at)},"body":${body},"kind":"${entry.kind}","seq":${String(entry.seq)}}`,
    body,
  };
}

// Printable ASCII without `"` or `\\`: written as is (RFC 8785 §3.2.2.2 escapes none of it).
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** Body keys already found printable and not forbidden (the same few recur in every entry). */
const FLAT_KEYS = new Set<string>();
const MAX_FLAT_KEYS = 1024;

/**
 * The canonical text of the common body shape — one level of keys in RFC 8785 order whose
 * values are printable-ASCII strings within `maxString` or safe integers (ingest, release and
 * decision entries are built that way) — without the general walk; `undefined` for anything
 * else, which then takes `canonicalJsonAt` (same text, or its precise error). Same limits:
 * the envelope's four values, the body and each member are counted as the walk counts them.
 * Differential-tested against `canonicalize` and the general walk in
 * test/ledger/entry-flat.test.ts.
 */
function flatBody(body: JsonObject): string | undefined {
  if (Object.getPrototypeOf(body) !== Object.prototype) return undefined;
  const keys = Object.keys(body);
  if (5 + keys.length > BODY_LIMITS.maxNodes) return undefined;
  let out = '{';
  let prev = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    // Strictly ascending (UTF-16 code units, RFC 8785 §3.2.3), or the general walk sorts.
    if (i > 0 && !(prev < key)) return undefined;
    prev = key;
    if (!FLAT_KEYS.has(key)) {
      if (!PLAIN.test(key) || BODY_LIMITS.forbiddenKeys.has(key.toLowerCase())) return undefined;
      if (FLAT_KEYS.size < MAX_FLAT_KEYS) FLAT_KEYS.add(key);
    }
    const v = body[key];
    let text: string;
    if (typeof v === 'string') {
      if (v.length > BODY_LIMITS.maxString || !PLAIN.test(v)) return undefined;
      text = `"${v}"`;
    } else if (typeof v === 'number' && Number.isSafeInteger(v)) {
      // RFC 8785 §3.2.2.3: an integer's ECMAScript spelling (and -0 is `0`).
      text = String(v);
    } else return undefined;
    out += `${i === 0 ? '"' : ',"'}${key}":${text}`;
  }
  return `${out}}`;
}

function canonicalText(entry: LedgerEntry): string {
  return canonicalParts(entry).text;
}

/**
 * The canonical bytes of an entry, which are the Merkle leaf data: RFC 8785 (JCS) JSON of
 * `{ at, body, kind, seq }` — sorted keys, no whitespace, one spelling per number — in UTF-8.
 * Throws `ERR_LEDGER_ENTRY_INVALID` when the entry is malformed or its body looks like content.
 */
export function encodeEntry(entry: LedgerEntry): Uint8Array {
  return utf8.encode(canonicalText(entry));
}

/**
 * Decodes stored entry bytes, accepting only the exact canonical encoding: a record whose
 * bytes parse but are not what {@link encodeEntry} would write has been altered (or written by
 * something that is not this module). Throws `ERR_LEDGER_ENTRY_INVALID`.
 */
export function decodeEntry(bytes: Uint8Array): LedgerEntry {
  let text: string;
  let parsed: unknown;
  try {
    text = strictUtf8.decode(bytes);
    parsed = JSON.parse(text);
  } catch {
    throw invalid('stored entry bytes are not utf-8 json');
  }
  const entry = parsed as LedgerEntry;
  // Fast path: the bytes are checked against the canonical encoding without building it. Any
  // doubt (a mismatch, a limit) takes the reference path, which re-encodes, compares, and
  // throws the precise error.
  if (isCanonical(text, entry)) return entry;
  if (canonicalText(entry) !== text) throw invalid('stored entry bytes are not in canonical form');
  return entry;
}

/** True when `text` is exactly {@link canonicalText} of `entry` (false when in doubt). */
function isCanonical(text: string, entry: LedgerEntry): boolean {
  try {
    checkEntry(entry);
  } catch {
    return false;
  }
  const at = String(entry.at);
  if (
    !text.startsWith('{"at":') ||
    !text.startsWith(at, 6) ||
    !text.startsWith(',"body":', 6 + at.length)
  )
    return false;
  const end = matchCanonicalJsonAt(text, 14 + at.length, entry.body, 0, 4, BODY_LIMITS);
  if (end < 0) return false;
  const tail = `,"kind":"${entry.kind}","seq":${String(entry.seq)}}`;
  return text.length === end + tail.length && text.startsWith(tail, end);
}

/** RFC 6962 §2.1 leaf hash of the entry's canonical bytes: SHA-256(0x00 || encodeEntry(e)). */
export function entryLeafHash(entry: LedgerEntry): Uint8Array {
  return leafHashOfText(canonicalText(entry));
}

/** What a store keeps for an entry: see {@link entryRow}. */
export interface EntryRow {
  /** RFC 8785 JSON of the entry's body (the store's `body` column). */
  readonly body: string;
  /** {@link entryLeafHash} of the entry. */
  readonly leafHash: Uint8Array;
}

/**
 * The canonical body text and the leaf hash of an entry from ONE encoding (appending writes
 * both; encoding the body twice was a measurable share of ingest). Same checks and errors as
 * {@link encodeEntry}.
 */
export function entryRow(entry: LedgerEntry): EntryRow {
  const { text, body } = canonicalParts(entry);
  return { body, leafHash: leafHashOfText(text) };
}
