/**
 * The release cache: what the door derived from a stored object version that does not depend
 * on who asks or when — its decision metadata (`ObjectMeta`) and, per minimisation plan, the
 * minimised object serialized without its handling stamp, with the hash the ledger records.
 * Serving a cached version skips decryption, classification, minimisation and hashing; it
 * never skips the decision (made for every object of every request, with the state at the
 * request's instant), the handling stamp (spliced in per request), or the ledger.
 *
 * INVARIANTS:
 * - memory only, never persisted; bounded by entry count and by serialized characters
 *   (oldest entries go first);
 * - an entry is keyed by (id, version) and used only while the candidate row still carries the
 *   same content hash, producer and TLP, so a changed row is re-read;
 * - an entry is dropped at its version's retention deadline (the store's data key for it can
 *   only be shredded after that: key windows end at or after every deadline they cover), when
 *   its data key is shredded ({@link ReleaseCache.forgetKey}), and when the version is
 *   withdrawn ({@link ReleaseCache.forgetVersion});
 * - it holds the minimised view only of versions some request was allowed to receive; the
 *   metadata it holds for the others is the decision input, never content.
 */
import type { Minimisation } from '../agreement/index.js';
import type { HandlingStamp, PseudonymKey } from '../intel/index.js';
import type { ObjectMeta } from '../policy/index.js';

/** One minimised version, serialized so the handling stamp can be spliced in per request. */
export interface PreparedView {
  /** The id the recipient sees (a keyed pseudonym for SCOs whose values were hidden). */
  readonly id: string;
  /**
   * The minimised object's JSON without `extensions` and without its closing brace, e.g.
   * `{"type":"indicator",...`.
   */
  readonly head: string;
  /**
   * The members of the minimised object's own `extensions` (other than an earlier handling
   * stamp) as JSON without braces, `''` when it has none.
   */
  readonly extensions: string;
  /** SHA-256 (hex) of the canonical JSON of the minimised object, before the stamp. */
  readonly sha256: string;
  /**
   * The version the recipient sees: the minimised object's `modified`, else `created`, absent
   * for objects with neither. Coarsened timestamps make it differ from the stored version; the
   * ledger records this one, so a receiver's receipt names what the release entry names.
   */
  readonly version?: string;
}

/** What the cache remembers of one stored version. */
export interface PreparedEntry {
  readonly contentHash: Uint8Array;
  readonly producer: string;
  readonly tlp: string | null;
  /** The version's retention deadline (epoch ms): the entry is dropped then. */
  readonly retainUntilMs: number;
  /** The data key that seals the stored version. */
  readonly keyId: string;
  /** The decision input derived from the object and its row. */
  readonly meta: ObjectMeta;
  /** The handling stamp the object was received with from a partner, if any (onward.ts). */
  readonly received?: HandlingStamp;
  /** Minimised views by plan (see {@link ReleaseCache.planOf}). */
  readonly views: Map<number, PreparedView>;
}

/** Bounds of a {@link ReleaseCache}. */
export interface ReleaseCacheOptions {
  /** Most versions remembered (default 20,000; 0 keeps nothing). */
  readonly maxEntries?: number;
  /** Most serialized characters held across all views (default 32 Mi). */
  readonly maxChars?: number;
}

const ENTRY_OVERHEAD = 256;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function viewChars(v: PreparedView): number {
  return v.head.length + v.extensions.length + v.id.length + 64;
}

/**
 * A bounded, memory-only cache of prepared versions, shared by the releases of one node
 * process. See the module comment for what it may hold and when it lets go.
 */
export class ReleaseCache {
  private readonly entries = new Map<string, PreparedEntry>();
  private readonly maxEntries: number;
  private readonly maxChars: number;
  private chars = 0;
  /** Earliest retention deadline among the entries (epoch ms). */
  private earliest = Number.POSITIVE_INFINITY;
  private readonly keyIds = new WeakMap<PseudonymKey, number>();
  private readonly plans = new WeakMap<Minimisation, Map<number, number>>();
  private nextId = 1;

  constructor(options: ReleaseCacheOptions = {}) {
    this.maxEntries = Math.max(0, options.maxEntries ?? 20_000);
    this.maxChars = Math.max(0, options.maxChars ?? 32 * 1024 * 1024);
  }

  /** Number of versions remembered. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The plan number of (minimisation, pseudonym key): views are cached per plan. By identity:
   * compiled engines share one `Minimisation` per obligation shape.
   */
  planOf(minimisation: Minimisation, key: PseudonymKey): number {
    let k = this.keyIds.get(key);
    if (k === undefined) this.keyIds.set(key, (k = this.nextId++));
    let byKey = this.plans.get(minimisation);
    if (byKey === undefined) this.plans.set(minimisation, (byKey = new Map()));
    let plan = byKey.get(k);
    if (plan === undefined) byKey.set(k, (plan = this.nextId++));
    return plan;
  }

  /** Drops every entry whose deadline is at or before `nowMs`. Cheap when none is. */
  expire(nowMs: number): void {
    if (nowMs < this.earliest) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const [k, e] of this.entries) {
      if (e.retainUntilMs <= nowMs) this.drop(k, e);
      else if (e.retainUntilMs < earliest) earliest = e.retainUntilMs;
    }
    this.earliest = earliest;
  }

  /**
   * The entry of a version if it still matches the stored row and its deadline is after
   * `atMs`; a stale one is dropped.
   */
  get(
    id: string,
    version: string,
    row: {
      readonly contentHash: Uint8Array;
      readonly producer: string;
      readonly tlp: string | null;
    },
    atMs: number,
  ): PreparedEntry | undefined {
    const k = `${id}\u0000${version}`;
    const e = this.entries.get(k);
    if (e === undefined) return undefined;
    if (
      e.retainUntilMs > atMs &&
      e.producer === row.producer &&
      e.tlp === row.tlp &&
      sameBytes(e.contentHash, row.contentHash)
    )
      return e;
    this.drop(k, e);
    return undefined;
  }

  /** Remembers a version's entry (replacing an older one), evicting the oldest over bounds. */
  put(id: string, version: string, entry: PreparedEntry): void {
    const k = `${id}\u0000${version}`;
    const old = this.entries.get(k);
    if (old !== undefined) this.drop(k, old);
    this.entries.set(k, entry);
    this.chars += ENTRY_OVERHEAD;
    for (const v of entry.views.values()) this.chars += viewChars(v);
    if (entry.retainUntilMs < this.earliest) this.earliest = entry.retainUntilMs;
    this.evict();
  }

  /**
   * Adds a view to the entry of (id, version), evicting the oldest entries over bounds. An
   * entry no longer remembered (dropped meanwhile) keeps nothing.
   */
  addView(
    id: string,
    version: string,
    entry: PreparedEntry,
    plan: number,
    view: PreparedView,
  ): void {
    if (this.entries.get(`${id}\u0000${version}`) !== entry) return;
    const old = entry.views.get(plan);
    if (old !== undefined) this.chars -= viewChars(old);
    entry.views.set(plan, view);
    this.chars += viewChars(view);
    this.evict();
  }

  /** Drops every version sealed under `keyId` (call when the key is shredded). */
  forgetKey(keyId: string): void {
    for (const [k, e] of this.entries) if (e.keyId === keyId) this.drop(k, e);
  }

  /** Drops one version (call when it is withdrawn). */
  forgetVersion(id: string, version: string): void {
    const k = `${id}\u0000${version}`;
    const e = this.entries.get(k);
    if (e !== undefined) this.drop(k, e);
  }

  /** Drops everything. */
  clear(): void {
    this.entries.clear();
    this.chars = 0;
    this.earliest = Number.POSITIVE_INFINITY;
  }

  private drop(k: string, e: PreparedEntry): void {
    if (this.entries.get(k) !== e) return;
    this.entries.delete(k);
    this.chars -= ENTRY_OVERHEAD;
    for (const v of e.views.values()) this.chars -= viewChars(v);
    // Views are shared with no one else; clearing them lets the strings go now.
    e.views.clear();
  }

  private evict(): void {
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.chars <= this.maxChars) return;
      this.drop(k, e);
    }
  }
}
