import { createHash } from 'node:crypto';
import { ConcordatError } from '../core/index.js';
import type { Queryable, Row, SqlValue, Transaction } from './database.js';
import { inList } from './database.js';
import { allocate } from './counters.js';
import { instantToMicros } from './micros.js';
import { bytes, bytesOrNull, int, intOrNull, text, textOrNull } from './row.js';

/** AES-256-GCM output for one object version (see vault/). */
export interface SealedContent {
  /** The data key that sealed it. */
  readonly keyId: string;
  /** 96-bit random nonce. */
  readonly nonce: Uint8Array;
  readonly ciphertext: Uint8Array;
  /** Full 128-bit authentication tag. */
  readonly tag: Uint8Array;
}

/** What is stored for a new object version. */
export interface ObjectVersionInput {
  readonly id: string;
  readonly type: string;
  readonly specVersion: string;
  /** STIX `modified` (or the version timestamp TAXII 2.1 §3.4.2 falls back to), as given. */
  readonly modified: string;
  /**
   * `instantToMicros(modified)`, when the caller already computed it (the vault does, for the
   * additional data it seals with); computed here otherwise.
   */
  readonly modifiedUs?: number;
  /** The TAXII collection the object was added to. */
  readonly collection: string;
  /** The party that produced it. */
  readonly producer: string;
  /** TLP 2.0 level (`clear`, `green`, `amber`, `amber+strict`, `red`), if marked. */
  readonly tlp: string | null;
  readonly revoked: boolean;
  /** Retention deadline, epoch ms. */
  readonly retainUntilMs: number;
  /** SHA-256 of the plaintext (canonical JSON). */
  readonly contentHash: Uint8Array;
  /**
   * The sealed content, or a function that seals it: called only when the version is new, so
   * re-ingesting a stored version costs no encryption. It may answer synchronously (the vault
   * does once the data key is at hand), which spares a promise per object.
   */
  readonly sealed: SealedContent | (() => SealedContent | Promise<SealedContent>);
  /** RSIT class (MISP `rsit:` label), for escalation's incident signals (migration 4). */
  readonly rsit?: string | null;
  /** STIX confidence 0–100, for escalation's intel-quality inputs (migration 4). */
  readonly confidence?: number | null;
}

/** An object version without its content: a TAXII manifest row. */
export interface ObjectMeta {
  /** Store-wide insertion sequence: the pagination tiebreak. */
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly specVersion: string;
  readonly modified: string;
  readonly modifiedUs: number;
  /** TAXII `date_added`, epoch µs, unique and increasing in commit order. */
  readonly dateAddedUs: number;
  readonly collection: string;
  readonly producer: string;
  readonly tlp: string | null;
  readonly revoked: boolean;
  readonly retainUntilMs: number;
  readonly keyId: string;
  readonly contentHash: Uint8Array;
  /** When the object's data key was destroyed; `null` while readable. */
  readonly shreddedAtMs: number | null;
}

/** An object version with its sealed content (`null` once shredded). */
export interface ObjectRecord extends ObjectMeta {
  readonly sealed: SealedContent | null;
}

/** Position after the last row of a page: TAXII `next`, stable under concurrent inserts. */
export interface Cursor {
  readonly dateAddedUs: number;
  readonly seq: number;
}

/** TAXII 2.1 §3.4.2 `match[version]`: `first`, `last`, `all`, or one `modified` timestamp. */
export type VersionSelector = 'first' | 'last' | 'all' | { readonly modified: string };

/** The filters of TAXII 2.1 Get Objects / Get Object Manifests (§5.4, §5.5). */
export interface ObjectQuery {
  /** Only objects still within retention at this instant (epoch ms) and not shredded. */
  readonly visibleAtMs: number;
  readonly collection?: string;
  readonly producer?: string;
  /** TAXII `added_after`, exclusive, epoch µs. */
  readonly addedAfterUs?: number;
  /** Continue after this position (from a previous page's `next`). */
  readonly after?: Cursor;
  readonly ids?: readonly string[];
  readonly types?: readonly string[];
  readonly specVersions?: readonly string[];
  /** Union of selectors; default `['last']` as TAXII specifies. */
  readonly versions?: readonly VersionSelector[];
  /** Page size, at least 1. */
  readonly limit: number;
}

/** One page of results, oldest `date_added` first. */
export interface Page<T> {
  readonly items: readonly T[];
  /** Set when more rows follow; pass it back as `after`. */
  readonly next: Cursor | undefined;
}

/** Whether {@link objects.insert} stored a new version or found the identical one. */
export interface InsertResult {
  readonly status: 'inserted' | 'unchanged';
  readonly record: ObjectMeta;
}

/** What {@link objects.shredByKey} cleared. */
export interface ShreddedObjects {
  readonly count: number;
  /** SHA-256 over `id \n modified_us \n` of each object in insertion order: ledger evidence. */
  readonly digest: Uint8Array;
}

const META_COLUMNS =
  'o.seq, o.id, o.type, o.spec_version, o.modified, o.modified_us, o.date_added_us, ' +
  'o.collection, o.producer, o.tlp, o.revoked, o.retain_until_ms, o.key_id, o.content_hash, ' +
  'o.shredded_at_ms';
const FULL_COLUMNS = `${META_COLUMNS}, o.nonce, o.ciphertext, o.tag`;

function toMeta(row: Row): ObjectMeta {
  return {
    seq: int(row, 'seq'),
    id: text(row, 'id'),
    type: text(row, 'type'),
    specVersion: text(row, 'spec_version'),
    modified: text(row, 'modified'),
    modifiedUs: int(row, 'modified_us'),
    dateAddedUs: int(row, 'date_added_us'),
    collection: text(row, 'collection'),
    producer: text(row, 'producer'),
    tlp: textOrNull(row, 'tlp'),
    revoked: int(row, 'revoked') === 1,
    retainUntilMs: int(row, 'retain_until_ms'),
    keyId: text(row, 'key_id'),
    contentHash: bytes(row, 'content_hash'),
    shreddedAtMs: intOrNull(row, 'shredded_at_ms'),
  };
}

function toRecord(row: Row): ObjectRecord {
  const meta = toMeta(row);
  const nonce = bytesOrNull(row, 'nonce');
  const ciphertext = bytesOrNull(row, 'ciphertext');
  const tag = bytesOrNull(row, 'tag');
  const sealed =
    nonce === null || ciphertext === null || tag === null
      ? null
      : { keyId: meta.keyId, nonce, ciphertext, tag };
  return { ...meta, sealed };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

function buildQuery(
  q: Queryable,
  query: ObjectQuery,
  columns: string,
): { sql: string; params: SqlValue[] } {
  if (!Number.isSafeInteger(query.limit) || query.limit < 1)
    throw new ConcordatError('ERR_USAGE', `limit \`${query.limit}\` must be a positive integer`);
  const d = q.dialect;
  const where: string[] = ['o.shredded_at_ms IS NULL', 'o.retain_until_ms > ?'];
  const params: SqlValue[] = [query.visibleAtMs];
  if (query.collection !== undefined) {
    where.push('o.collection = ?');
    params.push(query.collection);
  }
  if (query.producer !== undefined) {
    where.push('o.producer = ?');
    params.push(query.producer);
  }
  if (query.addedAfterUs !== undefined) {
    where.push('o.date_added_us > ?');
    params.push(query.addedAfterUs);
  }
  if (query.after !== undefined) {
    where.push('(o.date_added_us, o.seq) > (?, ?)');
    params.push(query.after.dateAddedUs, query.after.seq);
  }
  for (const [column, list] of [
    ['o.id', query.ids],
    ['o.type', query.types],
    ['o.spec_version', query.specVersions],
  ] as const) {
    if (list === undefined) continue;
    where.push(inList(d, column));
    params.push(list);
  }
  const selectors = query.versions ?? ['last'];
  if (!selectors.includes('all')) {
    // first/last are taken among the versions that are themselves visible in the same scope.
    const scope =
      'x.id = o.id AND x.shredded_at_ms IS NULL AND x.retain_until_ms > ?' +
      (query.collection === undefined ? '' : ' AND x.collection = o.collection');
    const any: string[] = [];
    for (const agg of ['MAX', 'MIN'] as const) {
      if (!selectors.includes(agg === 'MAX' ? 'last' : 'first')) continue;
      any.push(`o.modified_us = (SELECT ${agg}(x.modified_us) FROM objects x WHERE ${scope})`);
      params.push(query.visibleAtMs);
    }
    const exact = selectors.flatMap((s) =>
      typeof s === 'object' ? [instantToMicros(s.modified)] : [],
    );
    if (exact.length > 0) {
      any.push(inList(d, 'o.modified_us'));
      params.push(exact);
    }
    where.push(any.length === 0 ? '1 = 0' : `(${any.join(' OR ')})`);
  }
  params.push(query.limit + 1);
  return {
    sql:
      `SELECT ${columns} FROM objects o WHERE ${where.join(' AND ')} ` +
      'ORDER BY o.date_added_us, o.seq LIMIT ?',
    params,
  };
}

async function page<T extends ObjectMeta>(
  q: Queryable,
  query: ObjectQuery,
  columns: string,
  map: (row: Row) => T,
): Promise<Page<T>> {
  const { sql, params } = buildQuery(q, query, columns);
  const rows = (await q.all(sql, params)).map(map);
  if (rows.length <= query.limit) return { items: rows, next: undefined };
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return {
    items,
    next: last === undefined ? undefined : { dateAddedUs: last.dateAddedUs, seq: last.seq },
  };
}

/**
 * STIX object versions, keyed by (`id`, `modified`). The content is stored only sealed; the
 * store never sees plaintext.
 */
export const objects = {
  /**
   * Stores a new version. Storing the identical version again (same id, modified and content
   * hash) is a no-op that returns `unchanged`, even after it was shredded (a shredded version
   * is never brought back); the same version with other content is `ERR_OBJECT_CONFLICT`,
   * because a STIX version is immutable (STIX 2.1 §3.6).
   */
  async insert(tx: Transaction, input: ObjectVersionInput, nowMs: number): Promise<InsertResult> {
    const [result] = await objects.insertMany(tx, [input], nowMs);
    if (result === undefined) throw new ConcordatError('ERR_INTERNAL', 'insert returned nothing');
    return result;
  },

  /**
   * Stores many versions at once, with {@link objects.insert}'s rules for each: one look-up for
   * all of them, one block of sequence numbers, one multi-row insert. Versions already stored
   * (or repeated in `inputs`) with the same content are `unchanged`; if any has other content,
   * nothing is stored and `ERR_OBJECT_CONFLICT` lists every one (`details[].index` into
   * `inputs`). Results are in input order.
   */
  async insertMany(
    tx: Transaction,
    inputs: readonly ObjectVersionInput[],
    nowMs: number,
  ): Promise<InsertResult[]> {
    const items = inputs.map((input, index) => {
      const modifiedUs = input.modifiedUs ?? instantToMicros(input.modified);
      return { input, index, modifiedUs, key: `${input.id}\n${modifiedUs}` };
    });
    type Item = (typeof items)[number];
    const stored = await lookup(tx, items);
    const results = new Map<number, InsertResult>();
    const conflicts: { id: string; modified: string; index: number }[] = [];
    const conflict = (it: Item): void => {
      conflicts.push({ id: it.input.id, modified: it.input.modified, index: it.index });
    };
    const first = new Map<string, Item>();
    const repeats: [Item, Item][] = [];
    const fresh: Item[] = [];
    for (const it of items) {
      const existing = stored.get(it.key);
      const earlier = first.get(it.key);
      if (existing !== undefined) {
        if (sameBytes(existing.contentHash, it.input.contentHash))
          results.set(it.index, { status: 'unchanged', record: existing });
        else conflict(it);
      } else if (earlier !== undefined) {
        if (sameBytes(earlier.input.contentHash, it.input.contentHash)) repeats.push([it, earlier]);
        else conflict(it);
      } else {
        first.set(it.key, it);
        fresh.push(it);
      }
    }
    if (conflicts.length > 0)
      throw conflictError(
        conflicts.map((c) => ({ id: c.id, version: c.modified })),
        conflicts,
      );
    if (fresh.length > 0) {
      const sealed: { it: Item; s: SealedContent }[] = [];
      for (const it of fresh) {
        const s = it.input.sealed;
        const out = typeof s === 'function' ? s() : s;
        sealed.push({ it, s: out instanceof Promise ? await out : out });
      }
      const { firstSeq, firstUs } = await allocate(tx, 'objects', fresh.length, nowMs * 1000);
      const rows = sealed.map(({ it, s }, j) => {
        const input = it.input;
        const record: ObjectMeta = {
          seq: firstSeq + j,
          id: input.id,
          type: input.type,
          specVersion: input.specVersion,
          modified: input.modified,
          modifiedUs: it.modifiedUs,
          dateAddedUs: firstUs + j,
          collection: input.collection,
          producer: input.producer,
          tlp: input.tlp,
          revoked: input.revoked,
          retainUntilMs: input.retainUntilMs,
          keyId: s.keyId,
          contentHash: input.contentHash,
          shreddedAtMs: null,
        };
        return { it, record, s };
      });
      const inserted = await tx.insertMany(
        'objects',
        INSERT_COLUMNS,
        rows.map(({ it, record: r, s }) => [
          r.seq,
          r.id,
          r.modified,
          r.modifiedUs,
          r.dateAddedUs,
          r.type,
          r.specVersion,
          r.collection,
          r.producer,
          r.tlp,
          r.revoked ? 1 : 0,
          r.retainUntilMs,
          s.keyId,
          s.nonce,
          s.ciphertext,
          s.tag,
          r.contentHash,
          it.input.rsit ?? null,
          it.input.confidence ?? null,
        ]),
        { ignoreDuplicates: true },
      );
      // Fewer rows than sent: another transaction stored some of these versions between our
      // look-up and insert (PostgreSQL); theirs stand, and ours were not written.
      const raced =
        inserted < fresh.length ? await lookup(tx, fresh) : new Map<string, ObjectMeta>();
      for (const { it, record } of rows) {
        const now = raced.get(it.key);
        if (now === undefined || now.seq === record.seq)
          results.set(it.index, { status: 'inserted', record });
        else if (sameBytes(now.contentHash, record.contentHash))
          results.set(it.index, { status: 'unchanged', record: now });
        else conflict(it);
      }
      if (conflicts.length > 0)
        throw conflictError(
          conflicts.map((c) => ({ id: c.id, version: c.modified })),
          conflicts,
        );
    }
    for (const [it, earlier] of repeats) {
      const r = results.get(earlier.index);
      if (r !== undefined) results.set(it.index, { status: 'unchanged', record: r.record });
    }
    return items.map((it) => {
      const r = results.get(it.index);
      if (r === undefined) throw new ConcordatError('ERR_INTERNAL', 'an insert result is missing');
      return r;
    });
  },

  /** One version without content, shredded or not. */
  async getMeta(q: Queryable, id: string, modifiedUs: number): Promise<ObjectMeta | undefined> {
    const row = await q.get(
      `SELECT ${META_COLUMNS} FROM objects o WHERE o.id = ? AND o.modified_us = ?`,
      [id, modifiedUs],
    );
    return row === undefined ? undefined : toMeta(row);
  },

  /** One version with its sealed content (`sealed: null` once shredded). */
  async get(q: Queryable, id: string, modifiedUs: number): Promise<ObjectRecord | undefined> {
    const row = await q.get(
      `SELECT ${FULL_COLUMNS} FROM objects o WHERE o.id = ? AND o.modified_us = ?`,
      [id, modifiedUs],
    );
    return row === undefined ? undefined : toRecord(row);
  },

  /** TAXII Get Objects: matching versions with sealed content, one page. */
  find(q: Queryable, query: ObjectQuery): Promise<Page<ObjectRecord>> {
    return page(q, query, FULL_COLUMNS, toRecord);
  },

  /** TAXII Get Object Manifests: the same rows as {@link objects.find}, without content. */
  manifest(q: Queryable, query: ObjectQuery): Promise<Page<ObjectMeta>> {
    return page(q, query, META_COLUMNS, toMeta);
  },

  /** TAXII Get Object Versions: every visible version of `id`, by `date_added`. */
  versions(
    q: Queryable,
    id: string,
    query: Omit<ObjectQuery, 'ids' | 'versions' | 'types'>,
  ): Promise<Page<ObjectMeta>> {
    return page(q, { ...query, ids: [id], versions: ['all'] }, META_COLUMNS, toMeta);
  },

  /**
   * Marks every object sealed under `keyId` shredded and clears its nonce, ciphertext and tag
   * (with `secure_delete` SQLite zeroes the old cells). Called by the vault in the same
   * transaction that destroys the key.
   */
  async shredByKey(tx: Transaction, keyId: string, atMs: number): Promise<ShreddedObjects> {
    const rows = await tx.all(
      'SELECT id, modified_us FROM objects WHERE key_id = ? AND shredded_at_ms IS NULL ORDER BY seq',
      [keyId],
    );
    const h = createHash('sha256');
    for (const row of rows) h.update(`${text(row, 'id')}\n${int(row, 'modified_us')}\n`);
    await tx.run(
      `UPDATE objects SET shredded_at_ms = ?, nonce = NULL, ciphertext = NULL, tag = NULL
       WHERE key_id = ? AND shredded_at_ms IS NULL`,
      [atMs, keyId],
    );
    return { count: rows.length, digest: h.digest() };
  },

  /** Number of stored versions (shredded included). */
  async count(q: Queryable): Promise<number> {
    const row = await q.get('SELECT COUNT(*) AS n FROM objects');
    return row === undefined ? 0 : int(row, 'n');
  },
};

const INSERT_COLUMNS = [
  'seq',
  'id',
  'modified',
  'modified_us',
  'date_added_us',
  'type',
  'spec_version',
  'collection',
  'producer',
  'tlp',
  'revoked',
  'retain_until_ms',
  'key_id',
  'nonce',
  'ciphertext',
  'tag',
  'content_hash',
  'rsit',
  'confidence',
];

/** Stored versions among the wanted (id, modified_us) pairs, keyed `id \n modified_us`. */
async function lookup(
  q: Queryable,
  wanted: readonly { readonly input: { readonly id: string }; readonly modifiedUs: number }[],
): Promise<Map<string, ObjectMeta>> {
  const found = new Map<string, ObjectMeta>();
  if (wanted.length === 0) return found;
  const rows =
    q.dialect === 'sqlite'
      ? await q.all(
          // CROSS JOIN fixes the order: each wanted pair is one look-up in objects_version.
          `SELECT ${META_COLUMNS} FROM json_each(?) AS j CROSS JOIN objects o
           ON o.id = json_extract(j.value, '$[0]') AND o.modified_us = json_extract(j.value, '$[1]')`,
          [JSON.stringify(wanted.map((w) => [w.input.id, w.modifiedUs]))],
        )
      : await q.all(
          `SELECT ${META_COLUMNS} FROM unnest(?::text[], ?::bigint[]) AS u(id, m)
           JOIN objects o ON o.id = u.id AND o.modified_us = u.m`,
          [wanted.map((w) => w.input.id), wanted.map((w) => w.modifiedUs)],
        );
  for (const row of rows) {
    const meta = toMeta(row);
    found.set(`${meta.id}\n${meta.modifiedUs}`, meta);
  }
  return found;
}

/**
 * `ERR_OBJECT_CONFLICT` for versions already stored with other content: the message names the
 * one version, or counts them; `details` is the caller's list of them.
 */
export function conflictError(
  conflicts: readonly { readonly id: string; readonly version: string }[],
  details: unknown,
): ConcordatError {
  const [one] = conflicts;
  return new ConcordatError(
    'ERR_OBJECT_CONFLICT',
    conflicts.length === 1 && one !== undefined
      ? `object \`${one.id}\` version \`${one.version}\` already exists with other content`
      : `${conflicts.length} object versions already exist with other content`,
    { details },
  );
}

/** Encodes a cursor as an opaque TAXII `next` token. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.dateAddedUs}.${cursor.seq}`).toString('base64url');
}

/** Decodes a TAXII `next` token; `undefined` if it is not one of ours. */
export function decodeCursor(token: string): Cursor | undefined {
  const m = /^(\d{1,16})\.(\d{1,16})$/.exec(Buffer.from(token, 'base64url').toString('latin1'));
  if (m === null) return undefined;
  const dateAddedUs = Number(m[1]);
  const seq = Number(m[2]);
  return Number.isSafeInteger(dateAddedUs) && Number.isSafeInteger(seq)
    ? { dateAddedUs, seq }
    : undefined;
}
