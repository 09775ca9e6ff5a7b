/**
 * The server's side of the one door. INVARIANT: this is the only server file that reads
 * stored object versions or decrypts them (`objects.manifest`, `sealedContent.bySeq`,
 * `vault.openRecord`), and it hands them to nothing but `release()` — as its ports. Route
 * modules receive a {@link Door}, never the database or the vault; the one-door architecture
 * test (test/server/one-door.test.ts) parses every server file and holds this true.
 */
import { ConcordatError } from '../core/index.js';
import type { Clock } from '../core/index.js';
import { entryRow } from '../ledger/index.js';
import type { JsonObject } from '../ledger/index.js';
import { ReleaseCache, release } from '../release/index.js';
import type {
  Candidate,
  OnwardContext,
  ReleaseInput,
  ReleasePorts,
  ReleaseResult,
  StixObject,
} from '../release/index.js';
import { ledgerEntries, objects, sealedContent } from '../store/index.js';
import type { Database, ObjectMeta, ObjectRecord, VersionSelector } from '../store/index.js';
import type { Vault } from '../vault/index.js';
import type { AgreementRoot } from './context.js';
import type { DecisionState } from '../policy/index.js';
import type { Withdrawals, WithdrawnVersion } from './withdrawals.js';
import { groupCommit } from './group-commit.js';

/** What routes may do with stored intel: release it, or withdraw the caller's own. */
export interface Door {
  /** One page of what an agency may receive, through `release()`. */
  release(root: AgreementRoot, input: Omit<ReleaseInput, 'agreement'>): Promise<ReleaseResult>;
  /**
   * Withdraws the versions of `id` that `producer` produced and the selectors name; returns
   * how many. Reads metadata of the producer's own objects only (never content, never
   * another party's).
   */
  withdraw(
    root: AgreementRoot,
    producer: string,
    agency: string,
    id: string,
    filter: {
      readonly versions: readonly VersionSelector[];
      readonly specVersions?: readonly string[];
    },
  ): Promise<number>;
}

/** What {@link makeDoor} needs. */
export interface DoorContext {
  readonly db: Database;
  readonly vault: Vault;
  readonly clock: Clock;
  readonly state: (agreementId: string, at: number) => DecisionState | Promise<DecisionState>;
  readonly withdrawals: Withdrawals;
  /**
   * Prepared versions kept across releases (memory only, bounded; see release/). Default: a
   * cache of the door's own. The composition root passes one to drop a shredded key's
   * versions from it ({@link ReleaseCache.forgetKey}); versions also leave it at their
   * retention deadline, before their key can be shredded.
   */
  readonly releaseCache?: ReleaseCache;
}

/** The store collection a root reads and writes. */
export function storeCollectionOf(root: AgreementRoot): string {
  return root.storeCollection ?? root.agreement.id;
}

/** One append of ledger entries, all of one kind, at one instant. */
interface LedgerJob {
  readonly kind: string;
  readonly bodies: readonly JsonObject[];
  readonly at: number;
}

/**
 * Appends the jobs' entries in order in ONE transaction; returns each job's first leaf index.
 * Each body is encoded once for both its stored text and its leaf hash.
 */
async function appendLedger(db: Database, jobs: readonly LedgerJob[]): Promise<number[]> {
  const flat = jobs.flatMap((j) => j.bodies.map((body) => ({ kind: j.kind, at: j.at, body })));
  const first = await db.transaction((tx) =>
    ledgerEntries.appendWith(tx, flat.length, (seq, i) => {
      const e = flat[i] as (typeof flat)[number];
      const row = entryRow({ seq, at: e.at, kind: e.kind, body: e.body });
      return { atMs: e.at, kind: e.kind, body: row.body, leafHash: row.leafHash };
    }),
  );
  const out: number[] = [];
  let next = first;
  for (const j of jobs) {
    out.push(next);
    next += j.bodies.length;
  }
  return out;
}

function candidateOf(r: ObjectMeta): Candidate {
  return {
    seq: r.seq,
    dateAddedUs: r.dateAddedUs,
    id: r.id,
    type: r.type,
    version: r.modified,
    specVersion: r.specVersion,
    producer: r.producer,
    tlp: r.tlp,
    contentHash: r.contentHash,
    retainUntilMs: r.retainUntilMs,
    keyId: r.keyId,
  };
}

/** What one door shares across its releases. */
interface DoorShared {
  readonly cache: ReleaseCache;
  readonly ledger: (job: LedgerJob) => Promise<number>;
}

/**
 * The ports of one release. Candidates are listed without their content (a cached version
 * needs none); `preload` reads the sealed content of those the release must open, in one
 * query, and `open` decrypts one of them.
 */
function portsFor(ctx: DoorContext, root: AgreementRoot, shared: DoorShared): ReleasePorts {
  const listed = new WeakMap<Candidate, ObjectMeta>();
  const records = new WeakMap<Candidate, ObjectRecord>();
  const collection = storeCollectionOf(root);
  const preload = async (cs: readonly Candidate[]): Promise<void> => {
    const want = new Map<number, { c: Candidate; meta: ObjectMeta }>();
    for (const c of cs) {
      const meta = listed.get(c);
      if (meta !== undefined && !records.has(c)) want.set(meta.seq, { c, meta });
    }
    const seqs = [...want.keys()];
    for (let i = 0; i < seqs.length; i += 1000) {
      const found = await sealedContent.bySeq(ctx.db, seqs.slice(i, i + 1000));
      for (const [seq, now] of found) {
        const w = want.get(seq);
        if (w !== undefined) records.set(w.c, { ...w.meta, ...now });
      }
    }
  };
  return {
    clock: ctx.clock,
    cache: shared.cache,
    state: async (at) => ctx.state(root.agreement.id, at),
    withdrawn: (c) => ctx.withdrawals.isWithdrawn(c.id, c.version),
    candidates: async (q) => {
      const page = await objects.manifest(ctx.db, { ...q, collection });
      const items = page.items.map((meta) => {
        const c = candidateOf(meta);
        listed.set(c, meta);
        return c;
      });
      return { items, next: page.next };
    },
    preload,
    open: async (c) => {
      if (!records.has(c)) await preload([c]);
      const record = records.get(c);
      // Listed a moment ago, unreadable now: shredded or past its deadline in between.
      if (record === undefined)
        throw new ConcordatError('ERR_SHREDDED', 'the object version is no longer readable');
      records.delete(c);
      const bytes = await ctx.vault.openRecord(ctx.db, record);
      return JSON.parse(bytes.toString('utf8')) as StixObject;
    },
    ledger: (entries, at) =>
      shared.ledger({ kind: 'release', bodies: entries.map((e) => e.body), at }),
  };
}

/** Whose node this is and each agency's party: the onward-sharing rule's context. */
function onwardContext(
  holderParty: string,
  agencies: readonly { readonly id: string; readonly party: string }[],
): OnwardContext {
  const parties = new Map(agencies.map((a) => [a.id, a.party]));
  return { holderParty, partyOf: (agency) => parties.get(agency) };
}

/** Builds the door over the node's store, vault, state and withdrawals. */
export function makeDoor(ctx: DoorContext): Door {
  const shared: DoorShared = {
    cache: ctx.releaseCache ?? new ReleaseCache(),
    // Concurrent releases share one ledger transaction (one durable commit).
    ledger: groupCommit<LedgerJob, number>((jobs) => appendLedger(ctx.db, jobs)),
  };
  const { cache } = shared;
  return {
    release: (root, input) =>
      release(
        {
          ...input,
          agreement: {
            agreementId: root.engine.agreementId,
            agreementVersion: root.engine.agreementVersion,
            decide: root.engine.decide,
            pseudonymKey: root.pseudonymKey,
            ...(root.holderParty === undefined
              ? {}
              : { onward: onwardContext(root.holderParty, root.agreement.agencies) }),
          },
        },
        portsFor(ctx, root, shared),
      ),
    async withdraw(root, producer, agency, id, filter) {
      const at = ctx.clock.now();
      const found: WithdrawnVersion[] = [];
      let after: { dateAddedUs: number; seq: number } | undefined;
      for (;;) {
        const page = await objects.manifest(ctx.db, {
          visibleAtMs: at,
          collection: storeCollectionOf(root),
          producer,
          ids: [id],
          versions: filter.versions,
          ...(filter.specVersions === undefined ? {} : { specVersions: filter.specVersions }),
          limit: 1000,
          ...(after === undefined ? {} : { after }),
        });
        for (const m of page.items)
          if (!ctx.withdrawals.isWithdrawn(m.id, m.modified))
            found.push({ id: m.id, version: m.modified });
        if (page.next === undefined) break;
        after = page.next;
      }
      if (found.length === 0) return 0;
      // Ledger first: a withdrawal that is not on the ledger did not happen.
      const [ledgerSeq] = await appendLedger(ctx.db, [
        {
          kind: 'withdraw',
          bodies: chunk(found, 100).map((vs) => ({
            agreementId: root.agreement.id,
            producer,
            agency,
            items: vs.map((v) => `${v.id} ${v.version}`),
          })),
          at,
        },
      ]);
      if (ledgerSeq === undefined) throw new ConcordatError('ERR_INTERNAL', 'no ledger entry');
      await ctx.withdrawals.withdraw(found, at, { producer, ledgerSeq });
      for (const v of found) cache.forgetVersion(v.id, v.version);
      return found.length;
    },
  };
}

function chunk<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
