/**
 * The release cache, alone and under release(): what it keeps, when it lets go, and that a
 * cached version is still decided on every request — a version denied now is never served from
 * the cache, whatever an earlier request was allowed.
 */
import { describe, expect, it } from 'vitest';
import { NO_MINIMISATION } from '../../src/agreement/index.js';
import type { Minimisation } from '../../src/agreement/index.js';
import { manualClock } from '../../src/core/index.js';
import { minimise, stampHandling } from '../../src/intel/index.js';
import type { Allow, DecideFn, Deny, ObjectMeta } from '../../src/policy/index.js';
import { ReleaseCache, release } from '../../src/release/index.js';
import type {
  Candidate,
  PreparedEntry,
  ReleaseInput,
  ReleasePorts,
  StixObject,
} from '../../src/release/index.js';

const AT = Date.UTC(2026, 2, 1);
const DAY = 86_400_000;
const KEY = { pseudonymKey: Buffer.alloc(32, 7), agreementId: 'a' };

function candidate(i: number, over: Partial<Candidate> = {}): Candidate {
  return {
    seq: i + 1,
    dateAddedUs: AT * 1000 + i,
    id: `indicator--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    type: 'indicator',
    version: '2026-02-01T00:00:00.000Z',
    specVersion: '2.1',
    producer: 'ARV',
    tlp: 'green',
    contentHash: new Uint8Array(32).fill(i),
    retainUntilMs: AT + 10 * DAY,
    keyId: i % 2 === 0 ? 'key-even' : 'key-odd',
    ...over,
  };
}

function content(c: Candidate): StixObject {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: c.id,
    name: `secret ${c.seq}`,
    created: c.version,
    modified: c.version,
    pattern: "[file:name = 'x']",
    pattern_type: 'stix',
    valid_from: c.version,
    x_source: 'ours',
  };
}

const PSEUDONYMISE: Minimisation = { ...NO_MINIMISATION, pseudonymise: ['indicator.name'] };
const STRIP: Minimisation = { ...NO_MINIMISATION, stripSourceRefs: true };

function allowWith(m: Minimisation): Allow {
  return {
    effect: 'allow',
    allowedBy: [],
    byWaiver: false,
    tier: 't',
    obligations: {
      retainUntil: AT + DAY,
      minimise: m,
      handling: { pap: 'green', onwardSharing: 'none' },
      shapedBy: [],
    },
  };
}
const deny: Deny = { effect: 'deny', stage: 'pause', deniedBy: [] };

/** Fake ports over `all`, counting opens and preloads; `decide` and rows can be changed. */
function world(all: Candidate[], cache: ReleaseCache) {
  const clock = manualClock(AT);
  const opened: string[] = [];
  const preloaded: string[][] = [];
  const withdrawn = new Set<string>();
  const rows = { current: all };
  let ledgerSize = 0;
  const ports: ReleasePorts = {
    clock,
    cache,
    state: async () => ({ level: 'baseline', waivers: [], pauses: [], revocations: [] }),
    withdrawn: (c) => withdrawn.has(c.id),
    candidates: async (q) => {
      const live = rows.current.filter((c) => (c.retainUntilMs ?? Infinity) > q.visibleAtMs);
      return { items: live.slice(0, q.limit), next: undefined };
    },
    preload: async (cs) => {
      preloaded.push(cs.map((c) => c.id));
    },
    open: async (c) => {
      opened.push(c.id);
      return content(c);
    },
    ledger: async (entries) => {
      const first = ledgerSize;
      ledgerSize += entries.length;
      return first;
    },
  };
  return { clock, opened, preloaded, withdrawn, rows, ports };
}

function input(decide: DecideFn, limit = 10): ReleaseInput {
  return {
    agreement: { agreementId: 'a', agreementVersion: 1, decide, pseudonymKey: KEY },
    agency: 'CAL-CSIRT',
    purpose: 'incident-response',
    channel: 'objects',
    filter: {},
    limit,
  };
}

function entry(over: Partial<PreparedEntry> = {}): PreparedEntry {
  const meta: ObjectMeta = {
    type: 'indicator',
    tlp: 'green',
    personalData: 'none',
    producer: 'ARV',
  };
  return {
    contentHash: new Uint8Array(32).fill(1),
    producer: 'ARV',
    tlp: 'green',
    retainUntilMs: AT + DAY,
    keyId: 'k1',
    meta,
    views: new Map(),
    ...over,
  };
}

const VIEW = { id: 'indicator--x', head: '{"type":"indicator"', extensions: '', sha256: '00' };

describe('ReleaseCache', () => {
  const row = { contentHash: new Uint8Array(32).fill(1), producer: 'ARV', tlp: 'green' };

  it('returns an entry only while the row still matches and its deadline is ahead', () => {
    const cache = new ReleaseCache();
    cache.put('i', 'v', entry());
    expect(cache.get('i', 'v', row, AT)).toBeDefined();
    expect(cache.get('i', 'other', row, AT)).toBeUndefined();
    expect(cache.get('i', 'v', { ...row, tlp: 'amber' }, AT)).toBeUndefined();
    // A mismatch drops the entry: the row is read again.
    expect(cache.size).toBe(0);
    cache.put('i', 'v', entry());
    expect(cache.get('i', 'v', { ...row, contentHash: new Uint8Array(32) }, AT)).toBeUndefined();
    cache.put('i', 'v', entry());
    expect(cache.get('i', 'v', { ...row, producer: 'BOR' }, AT)).toBeUndefined();
    cache.put('i', 'v', entry());
    expect(cache.get('i', 'v', row, AT + DAY)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('lets go at the retention deadline, on a shredded key and on a withdrawal', () => {
    const cache = new ReleaseCache();
    cache.put('a', 'v', entry({ retainUntilMs: AT + DAY, keyId: 'k1' }));
    cache.put('b', 'v', entry({ retainUntilMs: AT + 2 * DAY, keyId: 'k1' }));
    cache.put('c', 'v', entry({ retainUntilMs: AT + 3 * DAY, keyId: 'k2' }));
    cache.put('d', 'v', entry({ retainUntilMs: AT + 3 * DAY, keyId: 'k2' }));
    cache.expire(AT + DAY - 1);
    expect(cache.size).toBe(4);
    cache.expire(AT + DAY);
    expect(cache.size).toBe(3);
    cache.forgetKey('k1');
    expect(cache.size).toBe(2);
    cache.forgetVersion('c', 'v');
    expect(cache.size).toBe(1);
    cache.expire(AT + 3 * DAY);
    expect(cache.size).toBe(0);
  });

  it('is bounded by entries and by characters, oldest out first; 0 keeps nothing', () => {
    const few = new ReleaseCache({ maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) few.put(id, 'v', entry());
    expect(few.size).toBe(2);
    expect(few.get('a', 'v', row, AT)).toBeUndefined();
    expect(few.get('c', 'v', row, AT)).toBeDefined();

    const small = new ReleaseCache({ maxChars: 2_000 });
    for (const id of ['a', 'b', 'c', 'd']) {
      const e = entry();
      small.put(id, 'v', e);
      small.addView(id, 'v', e, 1, { ...VIEW, head: 'x'.repeat(500) });
    }
    expect(small.size).toBeLessThan(4);
    expect(small.get('d', 'v', row, AT)?.views.get(1)).toBeDefined();

    const none = new ReleaseCache({ maxEntries: 0 });
    const e = entry();
    none.put('a', 'v', e);
    none.addView('a', 'v', e, 1, VIEW);
    expect(none.size).toBe(0);
    expect(e.views.size).toBe(0);
  });

  it('numbers plans by (minimisation, pseudonym key) identity', () => {
    const cache = new ReleaseCache();
    const other = { ...KEY };
    const p1 = cache.planOf(PSEUDONYMISE, KEY);
    expect(cache.planOf(PSEUDONYMISE, KEY)).toBe(p1);
    expect(cache.planOf(STRIP, KEY)).not.toBe(p1);
    expect(cache.planOf(PSEUDONYMISE, other)).not.toBe(p1);
  });
});

describe('release with a cache', () => {
  it('serves a repeated page without opening anything, byte for byte but for the stamp', async () => {
    const all = Array.from({ length: 6 }, (_, i) => candidate(i));
    const w = world(all, new ReleaseCache());
    const decide: DecideFn = () => allowWith(PSEUDONYMISE);
    const first = await release(input(decide), w.ports);
    expect(w.opened).toHaveLength(6);
    expect(w.preloaded).toEqual([all.map((c) => c.id)]);
    const second = await release(input(decide), w.ports);
    expect(w.opened).toHaveLength(6);
    expect(w.preloaded).toHaveLength(1);
    expect(second.items.map((i) => i.id)).toEqual(first.items.map((i) => i.id));
    for (const [i, item] of second.items.entries()) {
      const before = first.items[i]!;
      expect(item.ledgerEntry).not.toBe(before.ledgerEntry);
      const strip = (o: StixObject) => ({ ...o, extensions: undefined });
      expect(strip(item.object)).toEqual(strip(before.object));
      // The same as minimising and stamping from scratch.
      const c = all[i]!;
      expect(item.object).toEqual(
        stampHandling(minimise(content(c), PSEUDONYMISE, KEY), {
          agreementId: 'a',
          agreementVersion: 1,
          purpose: 'incident-response',
          tier: 't',
          level: 'baseline',
          retainUntil: new Date(AT + DAY).toISOString(),
          pap: 'green',
          onwardSharing: 'none',
          ledgerEntry: String(item.ledgerEntry),
        }),
      );
      expect(JSON.parse(item.json)).toEqual(item.object);
    }
  });

  it('decides every cached version again: denied now means not served, whatever was cached', async () => {
    const all = Array.from({ length: 4 }, (_, i) => candidate(i));
    const w = world(all, new ReleaseCache());
    let paused = false;
    const decide: DecideFn = () => (paused ? deny : allowWith(PSEUDONYMISE));
    expect((await release(input(decide), w.ports)).items).toHaveLength(4);
    paused = true;
    const r = await release(input(decide), w.ports);
    expect(r.items).toEqual([]);
    expect(w.opened).toHaveLength(4); // the metadata came from the cache, the decision did not
    paused = false;
    expect((await release(input(decide), w.ports)).items).toHaveLength(4);
  });

  it('a version withdrawn, changed, or minimised under another plan is not served from the cache', async () => {
    const all = Array.from({ length: 3 }, (_, i) => candidate(i));
    const cache = new ReleaseCache();
    const w = world(all, cache);
    let m = PSEUDONYMISE;
    const decide: DecideFn = () => allowWith(m);
    await release(input(decide), w.ports);
    w.withdrawn.add(all[0]!.id);
    const r = await release(input(decide), w.ports);
    expect(r.items.map((i) => i.id)).toEqual([all[1]!.id, all[2]!.id]);
    // A changed row (another content hash) is read again.
    w.rows.current = [all[0]!, { ...all[1]!, contentHash: new Uint8Array(32).fill(9) }, all[2]!];
    await release(input(decide), w.ports);
    expect(w.opened.slice(3)).toEqual([all[1]!.id]);
    // Another minimisation needs the content again, and yields another view.
    m = STRIP;
    const stripped = await release(input(decide), w.ports);
    expect(w.opened.slice(4)).toEqual([all[1]!.id, all[2]!.id]);
    expect(stripped.items[0]!.object.x_source).toBeUndefined();
    expect(String(stripped.items[0]!.object.name)).toMatch(/^secret/);
  });

  it('lets go of versions at their deadline', async () => {
    const all = [
      candidate(0, { retainUntilMs: AT + DAY }),
      candidate(1, { retainUntilMs: AT + 2 * DAY }),
    ];
    const cache = new ReleaseCache();
    const w = world(all, cache);
    await release(
      input(() => allowWith(PSEUDONYMISE)),
      w.ports,
    );
    expect(cache.size).toBe(2);
    w.clock.set(AT + DAY);
    const r = await release(
      input(() => allowWith(PSEUDONYMISE)),
      w.ports,
    );
    expect(r.items.map((i) => i.id)).toEqual([all[1]!.id]);
    expect(cache.size).toBe(1);
  });

  it('never caches a version the ports give no deadline or key for', async () => {
    const bare: Record<string, unknown> = { ...candidate(0) };
    delete bare.retainUntilMs;
    delete bare.keyId;
    const all = [bare as unknown as Candidate];
    const cache = new ReleaseCache();
    const w = world(all, cache);
    await release(
      input(() => allowWith(PSEUDONYMISE)),
      w.ports,
    );
    await release(
      input(() => allowWith(PSEUDONYMISE)),
      w.ports,
    );
    expect(cache.size).toBe(0);
    expect(w.opened).toHaveLength(2);
  });

  it('holds no minimised view of a version no request was allowed to receive', async () => {
    const all = [candidate(0)];
    const cache = new ReleaseCache();
    const w = world(all, cache);
    await release(
      input(() => deny),
      w.ports,
    );
    const e = cache.get(all[0]!.id, all[0]!.version, all[0]!, AT);
    expect(e?.views.size).toBe(0);
    expect(JSON.stringify(e?.meta)).not.toContain('secret');
  });
});
