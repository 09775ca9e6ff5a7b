/**
 * The server's side of the one door. INVARIANT: this is the only server file that reads
 * stored object versions or decrypts them (`objects.find`, `objects.manifest`,
 * `vault.openRecord`), and it hands them to nothing but `release()` — as its ports. Route
 * modules receive a {@link Door}, never the database or the vault; the one-door architecture
 * test (test/server/one-door.test.ts) parses every server file and holds this true.
 */
import { canonicalJson } from '../agreement/index.js';
import type { Clock } from '../core/index.js';
import { entryLeafHash } from '../ledger/index.js';
import type { JsonObject } from '../ledger/index.js';
import { release } from '../release/index.js';
import type {
  Candidate,
  ReleaseInput,
  ReleasePorts,
  ReleaseResult,
  StixObject,
} from '../release/index.js';
import { ledgerEntries, objects } from '../store/index.js';
import type { Database, ObjectRecord, VersionSelector } from '../store/index.js';
import type { Vault } from '../vault/index.js';
import type { AgreementRoot } from './context.js';
import type { DecisionState } from '../policy/index.js';
import type { Withdrawals, WithdrawnVersion } from './withdrawals.js';

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
}

/** The store collection a root reads and writes. */
export function storeCollectionOf(root: AgreementRoot): string {
  return root.storeCollection ?? root.agreement.id;
}

async function appendLedger(
  db: Database,
  kind: string,
  bodies: readonly JsonObject[],
  at: number,
): Promise<number> {
  return db.transaction((tx) =>
    ledgerEntries.appendWith(tx, bodies.length, (seq, i) => {
      const body = bodies[i] ?? {};
      return {
        atMs: at,
        kind,
        body: canonicalJson(body),
        leafHash: entryLeafHash({ seq, at, kind, body }),
      };
    }),
  );
}

function portsFor(ctx: DoorContext, root: AgreementRoot): ReleasePorts {
  const records = new WeakMap<Candidate, ObjectRecord>();
  const collection = storeCollectionOf(root);
  return {
    clock: ctx.clock,
    state: async (at) => ctx.state(root.agreement.id, at),
    withdrawn: (c) => ctx.withdrawals.isWithdrawn(c.id, c.version),
    candidates: async (q) => {
      const page = await objects.find(ctx.db, { ...q, collection });
      const items = page.items.map((r) => {
        const c: Candidate = {
          seq: r.seq,
          dateAddedUs: r.dateAddedUs,
          id: r.id,
          type: r.type,
          version: r.modified,
          specVersion: r.specVersion,
          producer: r.producer,
          tlp: r.tlp,
          contentHash: r.contentHash,
        };
        records.set(c, r);
        return c;
      });
      return { items, next: page.next };
    },
    open: async (c) => {
      const record = records.get(c);
      if (record === undefined) throw new Error('candidate did not come from this door');
      const bytes = await ctx.vault.openRecord(ctx.db, record);
      return JSON.parse(bytes.toString('utf8')) as StixObject;
    },
    ledger: (entries, at) =>
      appendLedger(
        ctx.db,
        'release',
        entries.map((e) => e.body),
        at,
      ),
  };
}

/** Builds the door over the node's store, vault, state and withdrawals. */
export function makeDoor(ctx: DoorContext): Door {
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
          },
        },
        portsFor(ctx, root),
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
      const ledgerSeq = await appendLedger(
        ctx.db,
        'withdraw',
        chunk(found, 100).map((vs) => ({
          agreementId: root.agreement.id,
          producer,
          agency,
          items: vs.map((v) => `${v.id} ${v.version}`),
        })),
        at,
      );
      await ctx.withdrawals.withdraw(found, at, { producer, ledgerSeq });
      return found.length;
    },
  };
}

function chunk<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
