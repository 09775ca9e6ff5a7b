import { createHash, hash as oneShotHash, randomBytes, randomUUID } from 'node:crypto';
import { ConcordatError } from '../core/index.js';
import type { Clock } from '../core/index.js';
import { dataKeys, instantToMicros, objects } from '../store/index.js';
import type {
  Database,
  DataKeyRecord,
  InsertResult,
  ObjectRecord,
  ObjectVersionInput,
  Queryable,
  ScrubReport,
  SealedContent,
  Transaction,
} from '../store/index.js';
import { KEY_BYTES, encodeAad, open, seal } from './aead.js';
import type { KeyCustody } from './key-custody.js';
import { windowFor } from './retention-window.js';
import type { RetentionWindow } from './retention-window.js';

/** Options for {@link createVault}. */
export interface VaultOptions {
  readonly custody: KeyCustody;
  readonly clock: Clock;
  /** Retention window width; one data key per (producer, window). Default `day`. */
  readonly window?: RetentionWindow;
  /** Create a KEK for a producer that has none yet (default true). */
  readonly createMissingKeks?: boolean;
}

/** One object version to store: metadata in the clear, `content` sealed. */
export interface PutObjectInput {
  readonly id: string;
  readonly type: string;
  readonly specVersion: string;
  /** STIX `modified` (the version). */
  readonly modified: string;
  readonly collection: string;
  readonly producer: string;
  readonly tlp: string | null;
  readonly revoked: boolean;
  /** Retention deadline, epoch ms; must be in the future. */
  readonly retainUntilMs: number;
  /** The object's canonical JSON bytes (RFC 8785), so re-ingest hashes alike. */
  readonly content: Uint8Array;
  /**
   * SHA-256 of `content` when the caller already computed it (ingest does, off the writer's
   * thread); computed here otherwise. It is sealed into the additional data, so a wrong one
   * makes the version unreadable (`ERR_DECRYPT_FAILED`), never another object's.
   */
  readonly contentHash?: Uint8Array;
  /**
   * `content` already sealed by {@link sealObject} elsewhere (an ingest worker, with a key from
   * {@link Vault.sealingKey}). Used only when its key is the live key of this version's
   * (producer, window) in the transaction; otherwise the content is sealed again here, so a
   * stale or wrong key can never seal a version.
   */
  readonly sealed?: SealedContent;
  /** RSIT class, stored beside the row for escalation's signals (never sealed content). */
  readonly rsit?: string | null;
  /** STIX confidence 0–100, stored beside the row for escalation's signals. */
  readonly confidence?: number | null;
}

/**
 * One destroyed data key: what the caller writes to the ledger (`shred` entry). Ids and hashes
 * only, never content.
 */
export interface ShredEvent {
  readonly keyId: string;
  readonly producer: string;
  readonly kekId: string;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly shreddedAtMs: number;
  /** How many object versions became unreadable. */
  readonly objectCount: number;
  /** SHA-256 (hex) over `id \n modified_us \n` of those versions, in insertion order. */
  readonly objectsDigest: string;
}

/** Options for {@link Vault.shredDue}. */
export interface ShredOptions {
  /**
   * Called inside the shred transaction with every event, before commit: append the ledger
   * entries here, and the shred and its ledger record commit (or roll back) together.
   */
  readonly record?: (tx: Transaction, events: readonly ShredEvent[]) => Promise<void>;
}

/** What {@link Vault.shredDue} did. */
export interface ShredResult {
  readonly events: readonly ShredEvent[];
  /** How the database files were scrubbed afterwards (undefined when nothing was due). */
  readonly scrub: ScrubReport | undefined;
}

/** Envelope encryption of object versions and crypto-shredding of their data keys. */
export interface Vault {
  /**
   * Seals `input.content` under the data key of (producer, retention window) and stores the
   * version in `tx`. Idempotent: the same version again is `unchanged` and seals nothing.
   */
  put(tx: Transaction, input: PutObjectInput): Promise<InsertResult>;
  /**
   * {@link Vault.put} for many versions in one statement batch (one look-up, one multi-row
   * insert). Conflicts are listed all at once (`details[].index`); results in input order.
   */
  putMany(tx: Transaction, inputs: readonly PutObjectInput[]): Promise<InsertResult[]>;
  /** Reads and decrypts one version; see {@link Vault.openRecord} for the errors. */
  read(q: Queryable, id: string, modified: string): Promise<Buffer>;
  /**
   * Decrypts a stored record: `ERR_SHREDDED` once its key is destroyed, `ERR_RETENTION_ENDED`
   * from its deadline on, `ERR_DECRYPT_FAILED` if anything bound to it was altered.
   */
  openRecord(q: Queryable, record: ObjectRecord): Promise<Buffer>;
  /**
   * Destroys every data key whose window has ended at the clock's now, marks its objects
   * shredded and clears their ciphertexts, all in one transaction, then scrubs the database
   * files. Returns one event per key for the ledger.
   */
  shredDue(db: Database, options?: ShredOptions): Promise<ShredResult>;
  /** Zeroes every data key held in memory. */
  forget(): void;
  /** The retention-window width: one data key per (producer, window). */
  readonly window: RetentionWindow;
  /**
   * A copy of the live data key that seals `producer`'s versions due at `retainUntilMs`, for
   * sealing on another thread ({@link sealObject}). In a transaction it is created when missing,
   * exactly as {@link Vault.putMany} would; outside one only an existing key is returned, and
   * `undefined` when there is none. The holder zeroes the copy when done with it.
   */
  sealingKey(
    q: Queryable,
    producer: string,
    retainUntilMs: number,
  ): Promise<SealingKey | undefined>;
}

/** A copy of a live data key, for sealing elsewhere; see {@link Vault.sealingKey}. */
export interface SealingKey {
  readonly keyId: string;
  readonly producer: string;
  readonly windowEndMs: number;
  readonly key: Uint8Array;
}

/** What a version's additional data binds besides its key: identity, governance, content hash. */
export type SealedFields = Pick<
  ObjectRecord,
  'id' | 'modifiedUs' | 'producer' | 'tlp' | 'retainUntilMs'
> & { readonly contentHash: Uint8Array };

/**
 * Seals one version's content under `key` with its additional data ({@link objectAad}): the one
 * way object content is encrypted, by the vault and by ingest workers alike.
 */
export function sealObject(
  key: { readonly keyId: string; readonly key: Uint8Array },
  fields: SealedFields,
  content: Uint8Array,
): SealedContent {
  const aad = objectAad({ ...fields, keyId: key.keyId });
  const { nonce, ciphertext, tag } = seal(key.key, content, aad);
  return { keyId: key.keyId, nonce, ciphertext, tag };
}

/** The additional data bound to an object's ciphertext: its identity and what governs it. */
export function objectAad(
  r: Pick<ObjectRecord, 'id' | 'modifiedUs' | 'keyId' | 'producer' | 'tlp' | 'retainUntilMs'> & {
    readonly contentHash: Uint8Array;
  },
): Buffer {
  return encodeAad('concordat/object/v1', [
    r.id,
    r.modifiedUs,
    r.keyId,
    r.producer,
    r.tlp ?? '',
    r.retainUntilMs,
    Buffer.from(r.contentHash).toString('hex'),
  ]);
}

/** The additional data bound to a wrapped data key: whose it is and when it dies. */
export function dataKeyAad(
  k: Pick<DataKeyRecord, 'keyId' | 'producer' | 'kekId' | 'windowStartMs' | 'windowEndMs'>,
): Buffer {
  return encodeAad('concordat/data-key/v1', [
    k.keyId,
    k.producer,
    k.kekId,
    k.windowStartMs,
    k.windowEndMs,
  ]);
}

/** A live data key of one (producer, window), as sealing uses it. */
interface LiveKey {
  readonly keyId: string;
  readonly key: Buffer;
}

interface CachedKey {
  readonly key: Buffer;
  readonly producer: string;
  readonly windowEndMs: number;
}

class EnvelopeVault implements Vault {
  private readonly cache = new Map<string, CachedKey>();
  /** Keys already locked live in a transaction: (producer, window end) → key id. */
  private readonly locked = new WeakMap<Transaction, Map<string, string>>();
  readonly window: RetentionWindow;

  constructor(private readonly options: VaultOptions) {
    this.window = options.window ?? 'day';
  }

  async put(tx: Transaction, input: PutObjectInput): Promise<InsertResult> {
    const [result] = await this.putMany(tx, [input]);
    if (result === undefined) throw new ConcordatError('ERR_INTERNAL', 'put returned nothing');
    return result;
  }

  async putMany(tx: Transaction, inputs: readonly PutObjectInput[]): Promise<InsertResult[]> {
    const now = this.options.clock.now();
    const late = inputs.filter((i) => i.retainUntilMs <= now);
    if (late.length > 0)
      throw new ConcordatError(
        'ERR_RETENTION_ENDED',
        late.length === 1
          ? `object \`${late[0]?.id ?? ''}\` is already past its retention deadline`
          : `${late.length} objects are already past their retention deadlines`,
        { details: late.map((i) => ({ id: i.id, modified: i.modified })) },
      );
    // One live-key look-up per (producer, window) in the batch, not one per object; once a
    // window's key is known, sealing is synchronous (no promise per object).
    const pending = new Map<string, Promise<LiveKey>>();
    const known = new Map<string, LiveKey>();
    let lastProducer = '';
    let lastRetain = Number.NaN;
    let lastSlot = '';
    const slotOf = (producer: string, retainUntilMs: number): string => {
      if (producer !== lastProducer || retainUntilMs !== lastRetain) {
        lastSlot = `${producer}\u0000${windowFor(retainUntilMs, this.window).endMs}`;
        lastProducer = producer;
        lastRetain = retainUntilMs;
      }
      return lastSlot;
    };
    const keyFor = (producer: string, retainUntilMs: number, slot: string): Promise<LiveKey> => {
      let k = pending.get(slot);
      if (k === undefined) {
        k = this.liveKey(tx, producer, retainUntilMs, now).then((live) => {
          known.set(slot, live);
          return live;
        });
        pending.set(slot, k);
      }
      return k;
    };
    let lastModified = '';
    let lastModifiedUs = 0;
    const versions = inputs.map((input): ObjectVersionInput => {
      if (input.modified !== lastModified || lastModified === '') {
        lastModifiedUs = instantToMicros(input.modified);
        lastModified = input.modified;
      }
      const modifiedUs = lastModifiedUs;
      const contentHash = input.contentHash ?? oneShotHash('sha256', input.content, 'buffer');
      const sealWith = (live: LiveKey): SealedContent =>
        // Sealed elsewhere under this very key: taken as is.
        input.sealed !== undefined && input.sealed.keyId === live.keyId
          ? input.sealed
          : sealObject(
              live,
              {
                id: input.id,
                modifiedUs,
                producer: input.producer,
                tlp: input.tlp,
                retainUntilMs: input.retainUntilMs,
                contentHash,
              },
              input.content,
            );
      return {
        // Everything the caller gave (a field added to the input travels without edits here).
        ...input,
        modifiedUs,
        contentHash,
        // Sealing runs only if the version is new: re-ingest costs no key and no encryption.
        sealed: () => {
          const slot = slotOf(input.producer, input.retainUntilMs);
          const live = known.get(slot);
          return live === undefined
            ? keyFor(input.producer, input.retainUntilMs, slot).then(sealWith)
            : sealWith(live);
        },
      };
    });
    return objects.insertMany(tx, versions, now);
  }

  async sealingKey(
    q: Queryable,
    producer: string,
    retainUntilMs: number,
  ): Promise<SealingKey | undefined> {
    const now = this.options.clock.now();
    const w = windowFor(retainUntilMs, this.window);
    let live: LiveKey | undefined;
    if ('inTransaction' in q && q.inTransaction === true)
      live = await this.liveKey(q as Transaction, producer, retainUntilMs, now);
    else {
      // A key this vault already holds needs no database read (SQLite: no wait behind another
      // bundle's transaction). A stale one is harmless: putMany seals again (see `sealed`).
      for (const [keyId, c] of this.cache)
        if (c.producer === producer && c.windowEndMs === w.endMs && c.windowEndMs > now)
          return { keyId, producer, windowEndMs: w.endMs, key: Uint8Array.from(c.key) };
      const found = await dataKeys.findLive(q, producer, w.endMs);
      if (found === undefined || found.windowEndMs <= now) return undefined;
      live = { keyId: found.keyId, key: await this.keyById(q, found.keyId, producer, now) };
    }
    return {
      keyId: live.keyId,
      producer,
      windowEndMs: w.endMs,
      key: Uint8Array.from(live.key),
    };
  }

  async read(q: Queryable, id: string, modified: string): Promise<Buffer> {
    const record = await objects.get(q, id, instantToMicros(modified));
    if (record === undefined)
      throw new ConcordatError(
        'ERR_NOT_FOUND',
        `object \`${id}\` version \`${modified}\` not found`,
      );
    return this.openRecord(q, record);
  }

  async openRecord(q: Queryable, record: ObjectRecord): Promise<Buffer> {
    const what = `object \`${record.id}\` version \`${record.modified}\``;
    if (record.shreddedAtMs !== null || record.sealed === null)
      throw new ConcordatError('ERR_SHREDDED', `${what} was shredded when its retention ended`, {
        details: { id: record.id, modified: record.modified, keyId: record.keyId },
      });
    const now = this.options.clock.now();
    if (record.retainUntilMs <= now)
      throw new ConcordatError('ERR_RETENTION_ENDED', `${what} is past its retention deadline`, {
        details: { id: record.id, modified: record.modified },
      });
    const key = await this.keyById(q, record.keyId, record.producer, now);
    const plain = open(key, record.sealed, objectAad(record), what);
    if (!createHash('sha256').update(plain).digest().equals(record.contentHash))
      throw new ConcordatError('ERR_DECRYPT_FAILED', `${what}: content hash does not match`);
    return plain;
  }

  async shredDue(db: Database, options: ShredOptions = {}): Promise<ShredResult> {
    const now = this.options.clock.now();
    const events = await db.transaction(async (tx) => {
      const out: ShredEvent[] = [];
      for (const key of await dataKeys.due(tx, now)) {
        // Destroy the key first: its row lock makes a concurrent shredder skip it.
        if (!(await dataKeys.shred(tx, key.keyId, now))) continue;
        const gone = await objects.shredByKey(tx, key.keyId, now);
        out.push({
          keyId: key.keyId,
          producer: key.producer,
          kekId: key.kekId,
          windowStartMs: key.windowStartMs,
          windowEndMs: key.windowEndMs,
          shreddedAtMs: now,
          objectCount: gone.count,
          objectsDigest: Buffer.from(gone.digest).toString('hex'),
        });
      }
      if (out.length > 0 && options.record !== undefined) await options.record(tx, out);
      return out;
    });
    for (const e of events) this.evict(e.keyId);
    // Keys past their window are useless even if another process shredded them.
    for (const [keyId, c] of this.cache) if (c.windowEndMs <= now) this.evict(keyId);
    return { events, scrub: events.length > 0 ? await db.scrub() : undefined };
  }

  forget(): void {
    for (const keyId of [...this.cache.keys()]) this.evict(keyId);
  }

  private evict(keyId: string): void {
    const c = this.cache.get(keyId);
    if (c === undefined) return;
    c.key.fill(0);
    this.cache.delete(keyId);
  }

  private remember(record: DataKeyRecord, key: Buffer): Buffer {
    this.cache.set(record.keyId, {
      key,
      producer: record.producer,
      windowEndMs: record.windowEndMs,
    });
    return key;
  }

  /** The live data key for (producer, window of `retainUntilMs`), created if needed. */
  private async liveKey(
    tx: Transaction,
    producer: string,
    retainUntilMs: number,
    now: number,
  ): Promise<{ keyId: string; key: Buffer }> {
    const w = windowFor(retainUntilMs, this.window);
    let held = this.locked.get(tx);
    if (held === undefined) this.locked.set(tx, (held = new Map()));
    const slot = `${producer}\u0000${w.endMs}`;
    const heldId = held.get(slot) ?? (await dataKeys.lockLive(tx, producer, w.endMs));
    if (heldId !== undefined) {
      held.set(slot, heldId);
      return { keyId: heldId, key: await this.keyById(tx, heldId, producer, now) };
    }
    const custody = this.options.custody;
    let kek = await custody.kekFor(producer);
    if (kek === undefined) {
      if (this.options.createMissingKeks === false)
        throw new ConcordatError(
          'ERR_NOT_FOUND',
          `no key-encryption key for party \`${producer}\``,
        );
      kek = await custody.createKek(producer);
    }
    const record = {
      keyId: `dk-${randomUUID()}`,
      producer,
      windowStartMs: w.startMs,
      windowEndMs: w.endMs,
      kekId: kek.kekId,
      createdMs: now,
    };
    const key = randomBytes(KEY_BYTES);
    const wrapped = await custody.wrap(kek.kekId, key, dataKeyAad(record));
    if (await dataKeys.insert(tx, { ...record, wrapped })) {
      held.set(slot, record.keyId);
      return {
        keyId: record.keyId,
        key: this.remember({ ...record, wrapped, shreddedAtMs: null }, key),
      };
    }
    // Another transaction created this window's key first: use theirs.
    key.fill(0);
    const winner = await dataKeys.lockLive(tx, producer, w.endMs);
    if (winner === undefined)
      throw new ConcordatError(
        'ERR_INTERNAL',
        `data key for \`${producer}\` vanished during insert`,
      );
    held.set(slot, winner);
    return { keyId: winner, key: await this.keyById(tx, winner, producer, now) };
  }

  /** Unwraps (or takes from memory) the data key `keyId`, checking it belongs to `producer`. */
  private async keyById(
    q: Queryable,
    keyId: string,
    producer: string,
    now: number,
  ): Promise<Buffer> {
    const cached = this.cache.get(keyId);
    if (cached !== undefined && cached.windowEndMs > now) {
      if (cached.producer !== producer)
        throw new ConcordatError(
          'ERR_DECRYPT_FAILED',
          `data key \`${keyId}\` belongs to another party`,
        );
      return cached.key;
    }
    const record = await dataKeys.get(q, keyId);
    if (record === undefined)
      throw new ConcordatError('ERR_DECRYPT_FAILED', `data key \`${keyId}\` does not exist`);
    if (record.wrapped === null || record.shreddedAtMs !== null)
      throw new ConcordatError('ERR_SHREDDED', `data key \`${keyId}\` was shredded`, {
        details: { keyId },
      });
    if (record.windowEndMs <= now)
      throw new ConcordatError('ERR_RETENTION_ENDED', `data key \`${keyId}\` is past its window`);
    if (record.producer !== producer)
      throw new ConcordatError(
        'ERR_DECRYPT_FAILED',
        `data key \`${keyId}\` belongs to another party`,
      );
    const kek = await this.options.custody.kekInfo(record.kekId);
    if (kek === undefined)
      throw new ConcordatError(
        'ERR_NOT_FOUND',
        `kek \`${record.kekId}\` is not held by key custody`,
      );
    if (kek.party !== producer)
      throw new ConcordatError(
        'ERR_DECRYPT_FAILED',
        `data key \`${keyId}\` is wrapped by another party's kek`,
      );
    const key = Buffer.from(
      await this.options.custody.unwrap(record.kekId, record.wrapped, dataKeyAad(record)),
    );
    return this.remember(record, key);
  }
}

/** A vault over `custody`, reading time from `clock`. */
export function createVault(options: VaultOptions): Vault {
  return new EnvelopeVault(options);
}
