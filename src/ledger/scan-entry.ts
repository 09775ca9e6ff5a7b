import { BODY_LIMITS } from './assert-no-content.js';

/**
 * The verifier's fast path over stored entry bytes: proves, in one pass over the bytes and
 * without parsing them into objects, that they are exactly what `encodeEntry` writes for some
 * valid entry, and returns that entry's `seq`. It covers the common subset — printable ASCII
 * with nothing to escape, integers of at most 15 digits — and answers `undefined` for anything
 * else (a non-ASCII byte, an escape, a fraction, a limit, any non-canonical spelling); the
 * verifier then takes the reference path (`decodeEntry`: parse, re-encode, compare), which
 * accepts or names the break. So this may refuse a valid entry but never accepts bytes that
 * `decodeEntry` rejects: differential-tested in test/ledger/scan-entry.test.ts.
 *
 * Why each accepted spelling is canonical (RFC 8785): in this subset a string is its
 * characters between quotes (JSON.stringify escapes none of them); an integer of at most 15
 * digits without a leading zero (and not `-0`) is its own ECMAScript spelling; members are in
 * strictly increasing code-unit order (bytes compare like UTF-16 code units in ASCII, and
 * strictness also rules out duplicates); there is no whitespace anywhere.
 */
export function scanEntrySeq(bytes: Uint8Array): number | undefined {
  const s = new Scan(bytes);
  // {"at":INT,"body":OBJECT,"kind":"KIND","seq":INT}: the envelope in RFC 8785 order.
  if (!s.literal(AT)) return undefined;
  const at = s.natural();
  if (at === undefined || !s.literal(BODY)) return undefined;
  // The body is an object one level down, after the entry, `at`, `kind` and `seq` (4 values).
  s.nodes = 4;
  if (bytes[s.at] !== OPEN_OBJECT || !s.value(0)) return undefined;
  if (!s.literal(KIND)) return undefined;
  if (!s.kind()) return undefined;
  if (!s.literal(SEQ)) return undefined;
  const seq = s.natural();
  if (seq === undefined || bytes[s.at] !== CLOSE_OBJECT || s.at + 1 !== bytes.length)
    return undefined;
  return seq;
}

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const AT = ascii('{"at":');
const BODY = ascii(',"body":');
const KIND = ascii(',"kind":"');
const SEQ = ascii('","seq":');
const TRUE = ascii('true');
const FALSE = ascii('false');
const NULL = ascii('null');
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const MAX_DIGITS = 15;
const MAX_KIND_LENGTH = 64;

/** Forbidden keys as lowercase bytes, for a case-insensitive comparison without decoding. */
const FORBIDDEN = [...BODY_LIMITS.forbiddenKeys].map(ascii);

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= ZERO && b <= NINE;
const isLower = (b: number | undefined): boolean => b !== undefined && b >= 0x61 && b <= 0x7a;

class Scan {
  at = 0;
  nodes = 0;
  constructor(readonly bytes: Uint8Array) {}

  literal(lit: Uint8Array): boolean {
    const { bytes } = this;
    if (this.at + lit.length > bytes.length) return false;
    for (let i = 0; i < lit.length; i++) if (bytes[this.at + i] !== lit[i]) return false;
    this.at += lit.length;
    return true;
  }

  /** A canonical non-negative integer of at most 15 digits. */
  natural(): number | undefined {
    const { bytes } = this;
    const start = this.at;
    let n = 0;
    while (isDigit(bytes[this.at])) n = n * 10 + ((bytes[this.at++] as number) - ZERO);
    const digits = this.at - start;
    if (digits === 0 || digits > MAX_DIGITS || (digits > 1 && bytes[start] === ZERO))
      return undefined;
    return n;
  }

  /** entry.ts KIND: `[a-z][a-z0-9]*([.-][a-z0-9]+)*`, at most 64 characters, then `"`. */
  kind(): boolean {
    const { bytes } = this;
    const start = this.at;
    if (!isLower(bytes[this.at])) return false;
    let afterSeparator = false;
    for (;;) {
      const b = bytes[this.at];
      if (isLower(b) || isDigit(b)) afterSeparator = false;
      else if ((b === 0x2e || b === MINUS) && !afterSeparator) afterSeparator = true;
      else break;
      this.at++;
    }
    return !afterSeparator && this.at - start <= MAX_KIND_LENGTH;
  }

  /** A string of printable ASCII needing no escape: its end (after the quote), else -1. */
  string(): number {
    const { bytes } = this;
    if (bytes[this.at] !== QUOTE) return -1;
    let i = this.at + 1;
    for (;;) {
      const b = bytes[i];
      if (b === undefined || b < 0x20 || b > 0x7e || b === BACKSLASH) return -1;
      if (b === QUOTE) return i + 1;
      i++;
    }
  }

  /** One value at `depth` (the canonical walk's depth), in the subset. */
  value(depth: number): boolean {
    const { bytes } = this;
    if (++this.nodes > BODY_LIMITS.maxNodes) return false;
    const b = bytes[this.at];
    if (b === QUOTE) {
      const end = this.string();
      // The string's length in UTF-16 code units is its byte length here (ASCII).
      if (end < 0 || end - this.at - 2 > BODY_LIMITS.maxString) return false;
      this.at = end;
      return true;
    }
    if (b === OPEN_OBJECT) return depth < BODY_LIMITS.maxDepth && this.object(depth);
    if (b === OPEN_ARRAY) return depth < BODY_LIMITS.maxDepth && this.array(depth);
    if (b === 0x74) return this.literal(TRUE);
    if (b === 0x66) return this.literal(FALSE);
    if (b === 0x6e) return this.literal(NULL);
    if (b === MINUS) {
      // `-0` is not canonical (JCS writes 0): refuse it and let the reference path decide.
      this.at++;
      if (bytes[this.at] === ZERO) return false;
    }
    return this.natural() !== undefined;
  }

  array(depth: number): boolean {
    const { bytes } = this;
    this.at++; // [
    if (bytes[this.at] === CLOSE_ARRAY) {
      this.at++;
      return true;
    }
    for (;;) {
      if (!this.value(depth + 1)) return false;
      const b = bytes[this.at++];
      if (b === CLOSE_ARRAY) return true;
      if (b !== COMMA) return false;
    }
  }

  object(depth: number): boolean {
    const { bytes } = this;
    this.at++; // {
    if (bytes[this.at] === CLOSE_OBJECT) {
      this.at++;
      return true;
    }
    let prevStart = -1;
    let prevEnd = -1;
    for (;;) {
      const keyStart = this.at + 1;
      const end = this.string();
      if (end < 0) return false;
      const keyEnd = end - 1;
      if (prevStart >= 0 && !this.increasing(prevStart, prevEnd, keyStart, keyEnd)) return false;
      if (this.forbidden(keyStart, keyEnd)) return false;
      prevStart = keyStart;
      prevEnd = keyEnd;
      this.at = end;
      if (bytes[this.at++] !== COLON) return false;
      if (!this.value(depth + 1)) return false;
      const b = bytes[this.at++];
      if (b === CLOSE_OBJECT) return true;
      if (b !== COMMA) return false;
    }
  }

  /** RFC 8785 §3.2.3: key a < key b, comparing code units (bytes, in ASCII). */
  increasing(a0: number, a1: number, b0: number, b1: number): boolean {
    const { bytes } = this;
    const n = Math.min(a1 - a0, b1 - b0);
    for (let i = 0; i < n; i++) {
      const x = bytes[a0 + i] as number;
      const y = bytes[b0 + i] as number;
      if (x !== y) return x < y;
    }
    return a1 - a0 < b1 - b0;
  }

  /** Whether the key, lowercased, is one of BODY_LIMITS' forbidden keys. */
  forbidden(k0: number, k1: number): boolean {
    const { bytes } = this;
    const len = k1 - k0;
    for (const f of FORBIDDEN) {
      if (f.length !== len) continue;
      let same = true;
      for (let i = 0; i < len && same; i++) {
        const b = bytes[k0 + i] as number;
        same = (b >= 0x41 && b <= 0x5a ? b + 0x20 : b) === f[i];
      }
      if (same) return true;
    }
    return false;
  }
}
