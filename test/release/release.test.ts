/**
 * release() over fake ports: the page is filled over the visible set, `more` is exact,
 * denied and withdrawn versions are invisible and uncounted in the result, and everything
 * returned is minimised, stamped and on the ledger (hashes and ids only).
 */
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/index.js';
import type { Allow, DecideFn, Deny } from '../../src/policy/index.js';
import { release } from '../../src/release/index.js';
import type {
  Candidate,
  CandidateQuery,
  ReleaseInput,
  ReleaseLedgerEntry,
  ReleasePorts,
} from '../../src/release/index.js';
import { NO_MINIMISATION } from '../../src/agreement/index.js';
import { assertNoContent } from '../../src/ledger/index.js';

const AT = Date.UTC(2026, 2, 1);
const HANDLING_ID = 'extension-definition--6b3f5e1c-9a4d-4c2e-8f7a-2d5b9c0e4a13';

function candidates(n: number): Candidate[] {
  return Array.from({ length: n }, (_, i) => ({
    seq: i + 1,
    dateAddedUs: AT * 1000 + Math.floor(i / 10), // ten versions share each date_added
    id: `indicator--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    type: 'indicator',
    version: '2026-02-01T00:00:00.000Z',
    specVersion: '2.1',
    producer: 'ARV',
    tlp: i % 4 === 0 ? 'red' : 'green',
    contentHash: new Uint8Array(32),
  }));
}

const allow: Allow = {
  effect: 'allow',
  allowedBy: [],
  byWaiver: false,
  tier: 't',
  obligations: {
    retainUntil: AT + 86_400_000,
    minimise: { ...NO_MINIMISATION, pseudonymise: ['indicator.name'] },
    handling: { pap: 'green', onwardSharing: 'none' },
    shapedBy: [],
  },
};
const deny: Deny = { effect: 'deny', stage: 'never-release', deniedBy: [] };
const decide: DecideFn = (req) => (req.object.tlp === 'red' ? deny : allow);

function ports(all: Candidate[], withdrawn = new Set<string>()) {
  const ledger: { entries: ReleaseLedgerEntry[]; at: number }[] = [];
  const queries: CandidateQuery[] = [];
  let size = 0;
  const p: ReleasePorts = {
    clock: fixedClock(AT),
    state: async () => ({ level: 'baseline', waivers: [], pauses: [], revocations: [] }),
    withdrawn: (c) => withdrawn.has(c.id),
    candidates: async (q) => {
      queries.push(q);
      const rest = all.filter(
        (c) =>
          q.after === undefined ||
          c.dateAddedUs > q.after.dateAddedUs ||
          (c.dateAddedUs === q.after.dateAddedUs && c.seq > q.after.seq),
      );
      const items = rest.slice(0, q.limit);
      const last = items[items.length - 1];
      return {
        items,
        next:
          rest.length > q.limit && last
            ? { dateAddedUs: last.dateAddedUs, seq: last.seq }
            : undefined,
      };
    },
    open: async (c) => ({
      type: 'indicator',
      spec_version: '2.1',
      id: c.id,
      name: `secret ${c.seq}`,
      created: c.version,
      modified: c.version,
      pattern: "[file:name = 'x']",
      pattern_type: 'stix',
      valid_from: c.version,
    }),
    ledger: async (entries, at) => {
      ledger.push({ entries: [...entries], at });
      const first = size;
      size += entries.length;
      return first;
    },
  };
  return { p, ledger, queries };
}

function input(limit: number, over: Partial<ReleaseInput> = {}): ReleaseInput {
  return {
    agreement: {
      agreementId: 'a',
      agreementVersion: 1,
      decide,
      pseudonymKey: { pseudonymKey: Buffer.alloc(32, 7), agreementId: 'a' },
    },
    agency: 'CAL-CSIRT',
    purpose: 'incident-response',
    channel: 'objects',
    filter: {},
    limit,
    ...over,
  };
}

describe('release', () => {
  it('fills every page over the visible set and walks it exactly once', async () => {
    const all = candidates(203);
    const visible = all.filter((c) => c.tlp !== 'red').map((c) => c.id);
    const { p } = ports(all);
    for (const limit of [1, 3, 10, 64, 500]) {
      const seen: string[] = [];
      let after: ReleaseInput['after'];
      for (;;) {
        const r = await release(input(limit, after === undefined ? {} : { after }), p);
        if (r.more) expect(r.items).toHaveLength(limit);
        seen.push(...r.items.map((i) => i.id));
        if (!r.more) {
          expect(r.next).toBeUndefined();
          break;
        }
        after = r.next;
      }
      expect(seen, `limit ${limit}`).toEqual(visible);
    }
  });

  it('says more only when a visible version follows (trailing denials do not make an empty page)', async () => {
    const all = candidates(9).map((c, i) => ({ ...c, tlp: i < 3 ? 'green' : 'red' }));
    const { p } = ports(all);
    const r = await release(input(3), p);
    expect(r.items).toHaveLength(3);
    expect(r.more).toBe(false);
  });

  it('minimises, stamps with the ledger entry, and ledgers hashes and ids only', async () => {
    const { p, ledger } = ports(candidates(8));
    const r = await release(input(5), p);
    expect(r.items).toHaveLength(5);
    for (const item of r.items) {
      expect(String(item.object.name)).toMatch(/^pseudonym-/);
      const ext = (item.object.extensions as Record<string, Record<string, unknown>>)[HANDLING_ID];
      expect(ext).toMatchObject({
        purpose: 'incident-response',
        tier: 't',
        ledger_entry: String(item.ledgerEntry),
        onward_sharing: 'none',
      });
    }
    expect(ledger).toHaveLength(1);
    const body = ledger[0]!.entries[0]!.body as { items: string[]; withheld: number };
    expect(body.items).toHaveLength(5);
    expect(body.withheld).toBe(2); // candidates 0 and 4 are red; the look-ahead stops at 6
    assertNoContent(body);
    expect(JSON.stringify(ledger)).not.toContain('secret');
  });

  it('withdrawn versions are invisible; denied ones are counted only on the ledger', async () => {
    const all = candidates(6);
    const { p, ledger } = ports(all, new Set([all[1]!.id]));
    const r = await release(input(10), p);
    expect(r.items.map((i) => i.id)).toEqual([all[2]!.id, all[3]!.id, all[5]!.id]);
    expect((ledger[0]!.entries[0]!.body as { withheld: number }).withheld).toBe(2);
  });

  it('matches ids after minimisation and pushes SCO ids down by type only', async () => {
    const { p, queries } = ports(candidates(4));
    const want = candidates(4)[2]!.id;
    const r = await release(input(10, { filter: { ids: [want] } }), p);
    expect(r.items.map((i) => i.id)).toEqual([want]);
    expect(queries[0]).toMatchObject({ ids: [want], types: ['indicator'] });
    await release(
      input(10, { filter: { ids: ['ipv4-addr--00000000-0000-4000-8000-000000000001'] } }),
      p,
    );
    expect(queries[1]!.ids).toBeUndefined();
    expect(queries[1]!.types).toEqual(['ipv4-addr']);
  });

  it('writes nothing to the ledger when nothing was considered, and refuses a bad limit', async () => {
    const { p, ledger } = ports([]);
    expect(await release(input(5), p)).toMatchObject({ items: [], more: false });
    expect(ledger).toHaveLength(0);
    await expect(release(input(0), p)).rejects.toMatchObject({ code: 'ERR_USAGE' });
  });
});
