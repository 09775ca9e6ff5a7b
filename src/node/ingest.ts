import { ConcordatError, isConcordatError } from '../core/index.js';
import type { Clock } from '../core/index.js';
import { canonicalStixJson, objectMeta, validateStixBundle } from '../intel/index.js';
import type { MarkingDefinition, StixIssue, StixValidationOptions } from '../intel/index.js';
import { entryRow } from '../ledger/index.js';
import type { JsonObject } from '../ledger/index.js';
import type { ObjectMeta } from '../policy/index.js';
import { ledgerEntries } from '../store/index.js';
import type { Database, InsertResult } from '../store/index.js';
import type { Vault } from '../vault/index.js';

/** A STIX object as parsed JSON. */
export type StixJson = Readonly<Record<string, unknown>>;

/** Who and what an ingest is for. */
export interface IngestContext {
  readonly db: Database;
  readonly vault: Vault;
  readonly clock: Clock;
  /** The party that produced the bundle (its KEK wraps the data keys). */
  readonly producer: string;
  /** The TAXII collection the objects are added to. */
  readonly collection: string;
  /** Retention deadline of each object, epoch ms; must lie in the future. */
  readonly retainUntil: (object: StixJson, meta: ObjectMeta) => number;
  readonly validation?: StixValidationOptions;
}

/** What happened to one object of the bundle. */
export interface IngestedObject {
  readonly id: string;
  /** The version key: `modified`, else `created`, else {@link UNVERSIONED}. */
  readonly version: string;
  readonly status: 'inserted' | 'unchanged';
  /** Leaf index of its `ingest` ledger entry (new versions only). */
  readonly ledgerSeq?: number;
}

/** The outcome of {@link ingestBundle}. */
export interface IngestReport {
  readonly bundleId: string;
  readonly received: number;
  readonly inserted: number;
  readonly unchanged: number;
  readonly objects: readonly IngestedObject[];
}

/**
 * The version of an object with neither `modified` nor `created` (most SCOs). Their ids are
 * deterministic from their content (STIX 2.1 §2.9), so one id has one version here.
 */
export const UNVERSIONED = '1970-01-01T00:00:00.000Z';

function versionOf(o: StixJson): string {
  const v = typeof o.modified === 'string' ? o.modified : o.created;
  return typeof v === 'string' ? v : UNVERSIONED;
}

function invalid(issues: readonly StixIssue[], message: string): ConcordatError {
  const errors = issues.filter((i) => i.severity === 'error').length;
  return new ConcordatError(
    'ERR_STIX_INVALID',
    `${message}: ${errors} issue${errors === 1 ? '' : 's'}`,
    {
      details: issues,
    },
  );
}

/**
 * Ingests a STIX 2.1 bundle, all or nothing (issue 3, DESIGN invariant 7):
 *
 * 1. validates the whole bundle first (`ERR_STIX_INVALID` listing every issue), then every
 *    retention deadline (`ERR_RETENTION_ENDED` listing every object already due); on any
 *    error nothing is written;
 * 2. then, in ONE transaction, seals and stores each object version under its producer's data
 *    key for its retention window and appends one `ingest` ledger entry per new version
 *    (ids, hashes and metadata only, never content).
 *
 * Idempotent: versions already stored are `unchanged` and get no second ledger entry; a stored
 * version with different content is `ERR_OBJECT_CONFLICT` (every such object is listed) and
 * the whole bundle rolls back.
 */
export async function ingestBundle(bundle: unknown, ctx: IngestContext): Promise<IngestReport> {
  const validation = validateStixBundle(bundle, ctx.validation ?? {});
  if (!validation.valid) throw invalid(validation.issues, 'bundle is invalid');
  const b = bundle as { readonly id: string; readonly objects?: readonly StixJson[] };
  const list = b.objects ?? [];
  const bundleMarkings = list.filter((o) => o.type === 'marking-definition') as MarkingDefinition[];
  const now = ctx.clock.now();

  // Everything that can be known before writing is checked before writing.
  const prepared = list.map((o, i) => {
    const meta = objectMeta(o, ctx.producer, { bundleMarkings });
    const retainUntilMs = ctx.retainUntil(o, meta);
    return { o, i, meta, retainUntilMs, id: String(o.id), version: versionOf(o) };
  });
  const late = prepared
    .filter((p) => !Number.isSafeInteger(p.retainUntilMs) || p.retainUntilMs <= now)
    .map((p) => ({ id: p.id, version: p.version, path: `/objects/${p.i}` }));
  if (late.length > 0)
    throw new ConcordatError(
      'ERR_RETENTION_ENDED',
      `${late.length} object${late.length === 1 ? ' has' : 's have'} a retention deadline that is not in the future`,
      { details: late },
    );

  const objects = await ctx.db.transaction(async (tx) => {
    let stored: InsertResult[];
    try {
      stored = await ctx.vault.putMany(
        tx,
        prepared.map((p) => ({
          id: p.id,
          type: p.meta.type,
          specVersion: typeof p.o.spec_version === 'string' ? p.o.spec_version : '2.1',
          modified: p.version,
          collection: ctx.collection,
          producer: ctx.producer,
          tlp: p.meta.tlp,
          revoked: p.o.revoked === true,
          retainUntilMs: p.retainUntilMs,
          // Escalation's automatic inputs (incident signals, intel quality), in the same row.
          rsit: p.meta.rsit ?? null,
          confidence: p.meta.confidence ?? null,
          // Serialised once: these bytes are hashed, sealed and (by hash) ledgered.
          content: Buffer.from(canonicalStixJson(p.o), 'utf8'),
        })),
      );
    } catch (err) {
      // Name each conflicting object by its place in the bundle.
      if (isConcordatError(err, 'ERR_OBJECT_CONFLICT') && Array.isArray(err.details))
        throw new ConcordatError('ERR_OBJECT_CONFLICT', err.message, {
          details: (err.details as { id: string; modified: string; index: number }[]).map((c) => ({
            id: c.id,
            version: c.modified,
            path: `/objects/${c.index}`,
          })),
          cause: err,
        });
      throw err;
    }
    const results = prepared.flatMap((p, i) => {
      const res = stored[i];
      return res === undefined ? [] : [{ p, res }];
    });
    const fresh = results.filter((r) => r.res.status === 'inserted');
    const first = await ledgerEntries.appendWith(tx, fresh.length, (seq, i) => {
      const f = fresh[i];
      if (f === undefined)
        throw new ConcordatError('ERR_INTERNAL', `no ingested object at \`${i}\``);
      const { p, res } = f;
      const hash = res.record.contentHash;
      // Keys in RFC 8785 order, so the canonical encoder finds them sorted and sorts nothing.
      const body: JsonObject = {
        bundleId: b.id,
        collection: ctx.collection,
        keyId: res.record.keyId,
        objectHash: `sha256:${(Buffer.isBuffer(hash) ? hash : Buffer.from(hash)).toString('hex')}`,
        objectId: p.id,
        producer: ctx.producer,
        retainUntil: p.retainUntilMs,
        tlp: p.meta.tlp,
        type: p.meta.type,
        version: p.version,
      };
      // One encoding gives the stored body text and the leaf hash over the whole entry.
      const row = entryRow({ seq, at: now, kind: 'ingest', body });
      return { atMs: now, kind: 'ingest', body: row.body, leafHash: row.leafHash };
    });
    let n = 0;
    return results.map(({ p, res }): IngestedObject =>
      res.status === 'inserted'
        ? { id: p.id, version: p.version, status: 'inserted', ledgerSeq: first + n++ }
        : { id: p.id, version: p.version, status: 'unchanged' },
    );
  });
  const inserted = objects.filter((o) => o.status === 'inserted').length;
  return {
    bundleId: b.id,
    received: list.length,
    inserted,
    unchanged: objects.length - inserted,
    objects,
  };
}
