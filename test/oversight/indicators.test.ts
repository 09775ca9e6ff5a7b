/**
 * The indicator fold on hand-made ledgers whose bodies come from the real body builders
 * (release, shred) or mirror the writers field by field (ingest, receipts, governance): every
 * figure against a count made by hand, the period's edges, and the invariant that the
 * indicators never name an object or carry a hash.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonObject, LedgerEntry } from '../../src/ledger/index.js';
import { shredEntryBody } from '../../src/node/index.js';
import { parseAgreement } from '../../src/agreement/index.js';
import { replay } from '../../src/escalation/index.js';
import { IndicatorFold, escalationIndicators, quarterPeriod } from '../../src/oversight/index.js';
import type { Indicators } from '../../src/oversight/index.js';
import { releaseEntryBodies, releaseItem } from '../../src/release/index.js';

const Q3 = quarterPeriod('2026Q3');
const H = 3_600_000;
const DAY = 24 * H;
const AGENCIES = new Map([
  ['BOR-CERT', 'BOR'],
  ['CAL-CERT', 'CAL'],
]);

/** A ledger being written: entries get consecutive seqs. */
class Ledger {
  readonly entries: LedgerEntry[] = [];
  add(at: number, kind: string, body: JsonObject): void {
    this.entries.push({ seq: this.entries.length, at, kind, body });
  }
  ingest(
    at: number,
    o: {
      id?: string;
      producer?: string;
      tlp?: string;
      keyId?: string;
      until?: number;
      type?: string;
    } = {},
  ): string {
    const id = o.id ?? `indicator--${randomUUID()}`;
    this.add(at, 'ingest', {
      bundleId: `bundle--${randomUUID()}`,
      collection: 'c',
      keyId: o.keyId ?? 'k1',
      objectHash: `sha256:${'ab'.repeat(32)}`,
      objectId: id,
      producer: o.producer ?? 'ARV',
      retainUntil: o.until ?? Q3.to + 90 * DAY,
      tlp: o.tlp ?? 'green',
      type: o.type ?? 'indicator',
      version: '2026-01-01T00:00:00.000Z',
    });
    return id;
  }
  release(
    at: number,
    agency: string,
    ids: readonly string[],
    withheld = 0,
    channel: 'objects' | 'export' = 'objects',
  ): void {
    for (const { body } of releaseEntryBodies({
      agreementId: 'northsea',
      agreementVersion: 1,
      agency,
      purpose: 'incident-response',
      level: 'baseline',
      channel,
      withheld,
      items: ids.map((id) => releaseItem(id, '2026-01-01T00:00:00.000Z', 'cd'.repeat(32))),
    }))
      this.add(at, 'release', body);
  }
  fold(period = Q3): Indicators {
    const f = new IndicatorFold({ period, agencyParty: AGENCIES });
    for (const e of this.entries) f.add(e);
    return f.result();
  }
}

describe('compliance indicators from the ledger', () => {
  it('count only the period’s entries, by kind, with the leaf range they occupy', () => {
    const l = new Ledger();
    l.ingest(Q3.from - 1);
    l.ingest(Q3.from);
    l.release(Q3.from + H, 'BOR-CERT', [], 3);
    l.ingest(Q3.to - 1);
    l.ingest(Q3.to);
    const i = l.fold();
    expect(i.ledger).toEqual({
      entries: 3,
      firstSeq: 1,
      lastSeq: 3,
      byKind: { ingest: 2, release: 1 },
    });
    expect(i.contributions).toEqual([
      { producer: 'ARV', objects: 2, byTlp: { green: 2 }, byType: { indicator: 2 } },
    ]);
  });

  it('contributions by producer, TLP and type', () => {
    const l = new Ledger();
    l.ingest(Q3.from, { producer: 'BOR', tlp: 'amber', type: 'malware' });
    l.ingest(Q3.from, { producer: 'BOR', tlp: 'clear' });
    l.ingest(Q3.from, { producer: 'ARV', tlp: 'amber' });
    expect(l.fold().contributions).toEqual([
      { producer: 'ARV', objects: 1, byTlp: { amber: 1 }, byType: { indicator: 1 } },
      {
        producer: 'BOR',
        objects: 2,
        byTlp: { amber: 1, clear: 1 },
        byType: { indicator: 1, malware: 1 },
      },
    ]);
  });

  it('count release calls exactly, even one spread over several entries, with withheld and parties', () => {
    const l = new Ledger();
    const ids = Array.from({ length: 250 }, () => l.ingest(Q3.from));
    l.release(Q3.from + H, 'BOR-CERT', ids, 7); // one call, three entries
    l.release(Q3.from + H, 'BOR-CERT', ids.slice(0, 100)); // a second call, right after
    l.release(Q3.from + 2 * H, 'CAL-CERT', ids.slice(0, 10), 0, 'export');
    l.release(Q3.from + 2 * H, 'XX-UNKNOWN', ids.slice(0, 1));
    const i = l.fold();
    expect(i.releases).toEqual([
      {
        agreementId: 'northsea',
        agency: 'BOR-CERT',
        party: 'BOR',
        purpose: 'incident-response',
        level: 'baseline',
        channel: 'objects',
        calls: 2,
        objects: 350,
        withheld: 7,
      },
      {
        agreementId: 'northsea',
        agency: 'CAL-CERT',
        party: 'CAL',
        purpose: 'incident-response',
        level: 'baseline',
        channel: 'export',
        calls: 1,
        objects: 10,
        withheld: 0,
      },
      {
        agreementId: 'northsea',
        agency: 'XX-UNKNOWN',
        party: null,
        purpose: 'incident-response',
        level: 'baseline',
        channel: 'objects',
        calls: 1,
        objects: 1,
        withheld: 0,
      },
    ]);
    expect(i.burden).toEqual([
      { party: 'ARV', contributed: 250, received: 0 },
      { party: 'BOR', contributed: 0, received: 350 },
      { party: 'CAL', contributed: 0, received: 10 },
    ]);
  });

  it('timeliness: ingest to first release per party, earlier ingests included, repeats not', () => {
    const l = new Ledger();
    const old = l.ingest(Q3.from - DAY); // ingested before the period, released in it
    const a = l.ingest(Q3.from);
    const b = l.ingest(Q3.from);
    l.release(Q3.from + 10 * 60_000, 'BOR-CERT', [a]); // 10 min
    l.release(Q3.from + H, 'BOR-CERT', [a, b]); // a again (not counted), b after 1 h
    l.release(Q3.from + 2 * H, 'BOR-CERT', [old]); // 1 d 2 h
    l.release(Q3.from + 3 * H, 'CAL-CERT', [a]); // CAL's first: 3 h
    const i = l.fold();
    expect(i.timeliness).toEqual([
      { party: 'BOR', releases: 3, medianMs: H, p90Ms: DAY + 2 * H, maxMs: DAY + 2 * H },
      { party: 'CAL', releases: 1, medianMs: 3 * H, p90Ms: 3 * H, maxMs: 3 * H },
    ]);
  });

  it('retention: shreds on time and late, and keys kept past their deadline', () => {
    const l = new Ledger();
    const shred = (at: number, keyId: string, windowEnd: number, objects: number): void =>
      l.add(
        at,
        'shred',
        shredEntryBody({
          keyId,
          producer: 'ARV',
          kekId: 'kek',
          windowStartMs: windowEnd - DAY,
          windowEndMs: windowEnd,
          shreddedAtMs: at,
          objectCount: objects,
          objectsDigest: 'ef'.repeat(32),
        }),
      );
    const end1 = Q3.from + 10 * DAY;
    l.ingest(Q3.from - DAY, { keyId: 'on-time', until: end1 - H });
    l.ingest(Q3.from - DAY, { keyId: 'on-time', until: end1 - 2 * H });
    shred(end1 + H, 'on-time', end1, 2);
    l.ingest(Q3.from - DAY, { keyId: 'late', until: end1 });
    shred(end1 + 3 * DAY, 'late', end1, 1);
    // Due long before the period's end, never shredded: overdue (3 objects).
    for (let k = 0; k < 3; k++) l.ingest(Q3.from, { keyId: 'kept', until: Q3.from + 20 * DAY });
    // Due 2 days before the end: its week-wide window may not be over yet — not overdue.
    l.ingest(Q3.from, { keyId: 'recent', until: Q3.to - 2 * DAY });
    const r = l.fold().retention;
    expect(r).toEqual({
      keysShredded: 2,
      objectsShredded: 3,
      shreddedLate: 1,
      maxShredDelayMs: 3 * DAY,
      overdueKeys: 1,
      overdueObjects: 3,
    });
    // The same ledger, read for a period ending before `kept` fell due: nothing overdue.
    expect(l.fold({ from: Q3.from, to: Q3.from + 21 * DAY }).retention.overdueKeys).toBe(0);
    // Judged now, in the middle of the period, a deadline still to come is not overdue.
    const f = new IndicatorFold({ period: Q3, agencyParty: AGENCIES, asOf: Q3.from + 21 * DAY });
    for (const e of l.entries) f.add(e);
    expect(f.result().retention.overdueKeys).toBe(0);
  });

  it('federation receipts by peer, and agreement activations', () => {
    const l = new Ledger();
    const items = [
      'x--1 2026-01-01T00:00:00.000Z sha256:00',
      'x--2 2026-01-01T00:00:00.000Z sha256:11',
    ];
    l.add(Q3.from, 'receipt', {
      producer: 'BOR',
      receiver: 'ARV',
      agreementId: 'n',
      agreementVersion: 1,
      purpose: 'p',
      collection: 'c',
      at: '2026-07-01T00:00:00Z',
      cursor: null,
      items,
      receiptHash: 'sha256:aa',
      signature: 's',
    });
    l.add(Q3.from, 'receipt-acknowledged', {
      producer: 'ARV',
      receiver: 'CAL',
      agreementId: 'n',
      agreementVersion: 1,
      purpose: 'p',
      collection: 'c',
      count: 5,
      itemsHash: 'sha256:bb',
      receiptHash: 'sha256:cc',
    });
    l.add(Q3.from, 'receipt-acknowledged', {
      producer: 'ARV',
      receiver: 'CAL',
      agreementId: 'n',
      agreementVersion: 1,
      purpose: 'p',
      collection: 'c',
      count: 2,
      itemsHash: 'sha256:dd',
      receiptHash: 'sha256:ee',
    });
    l.add(Q3.from + H, 'governance', {
      event: 'agreement-activated',
      agreementId: 'n',
      version: 2,
      digest: 'sha256:ff',
      by: 'ARV-CERT',
    });
    const i = l.fold();
    expect(i.federation).toEqual([
      {
        peer: 'BOR',
        receiptsIssued: 1,
        objectsReceived: 2,
        receiptsAcknowledged: 0,
        objectsAcknowledged: 0,
      },
      {
        peer: 'CAL',
        receiptsIssued: 0,
        objectsReceived: 0,
        receiptsAcknowledged: 2,
        objectsAcknowledged: 7,
      },
    ]);
    expect(i.governance.agreementsActivated).toEqual([
      { agreementId: 'n', version: 2, at: Q3.from + H },
    ]);
  });

  it('never name an object or carry a hash, whatever the ledger holds', () => {
    const l = new Ledger();
    const ids = Array.from({ length: 30 }, () => l.ingest(Q3.from, { producer: 'BOR' }));
    l.release(Q3.from + H, 'BOR-CERT', ids, 2);
    l.release(Q3.from + H, 'CAL-CERT', ids);
    const text = JSON.stringify(l.fold());
    expect(text).not.toMatch(/sha256|indicator--|bundle--/);
    for (const id of ids) expect(text).not.toContain(id);
  });

  it('give the same figures whatever the order of rows (sorted output)', () => {
    const a = new Ledger();
    const b = new Ledger();
    const x = a.ingest(Q3.from, { producer: 'CAL', id: 'indicator--x' });
    const y = a.ingest(Q3.from, { producer: 'BOR', id: 'indicator--y' });
    b.ingest(Q3.from, { producer: 'BOR', id: y });
    b.ingest(Q3.from, { producer: 'CAL', id: x });
    expect(a.fold()).toEqual(b.fold());
    expect(a.fold().contributions.map((c) => c.producer)).toEqual(['BOR', 'CAL']);
  });
});

describe('escalation indicators', () => {
  const parsed = parseAgreement(
    readFileSync(
      new URL('../../examples/agreements/northsea-compact.yaml', import.meta.url),
      'utf8',
    ),
  );
  if (!parsed.ok) throw new Error('the example agreement does not parse');
  const agreement = parsed.agreement;

  it('count time at each level up to the instant judged, never beyond, in a period still running', () => {
    const asOf = Q3.from + 10 * DAY;
    const e = escalationIndicators(agreement, replay(agreement, [], asOf), [], Q3);
    expect(e.levels.reduce((n, l) => n + l.ms, 0)).toBe(10 * DAY);
    expect(e.levels[0]).toEqual({ level: agreement.levels[0]?.id, ms: 10 * DAY });
    expect(e).toMatchObject({ levelAtEnd: agreement.levels[0]?.id, raised: 0, findings: [] });
    // A period that has ended counts its whole length.
    const ended = escalationIndicators(agreement, replay(agreement, [], Q3.to), [], Q3);
    expect(ended.levels.reduce((n, l) => n + l.ms, 0)).toBe(Q3.to - Q3.from);
  });
});
