/**
 * Automatic escalation inputs from ingested intel (issue 5), on SQLite and PostgreSQL: ingest
 * tags each new version with its RSIT class and STIX confidence (metadata, from the plaintext
 * being sealed); a pass counts objects by class and TLP since the previous pass and grades
 * their confidence; the signals drive the automatic `intrusion-wave` trigger, nothing is
 * counted twice, and nothing older than the longest watched window is counted at all. The
 * `window` member of automatic events is checked structurally.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { eventProblems, replay } from '../../src/escalation/index.js';
import {
  ingestBundle,
  openEscalation,
  recordAutomaticInputs,
  startNodeServers,
} from '../../src/node/index.js';
import type { Node } from '../../src/node/index.js';
import { objectSignals } from '../../src/store/index.js';
import { describeDialects } from '../store/dialects.js';
import { DAY, indicator, makeNode } from '../node/fixtures.js';
import { NORTHSEA } from './timeline.js';

const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const HOUR = 3_600_000;

function objects(n: number, over: Record<string, unknown>): Record<string, unknown>[] {
  return Array.from({ length: n }, () => indicator(over));
}

async function ingest(node: Node, list: Record<string, unknown>[]): Promise<number> {
  const bundle = { type: 'bundle', id: `bundle--${randomUUID()}`, objects: list };
  const report = await ingestBundle(bundle, {
    db: node.db,
    vault: node.vault,
    clock: node.clock,
    producer: 'ARV',
    collection: 'incident-response',
    retention: { untilMs: node.clock.now() + 30 * DAY },
  });
  // Ingest writes the tags in its own transaction: count the inserted versions it tagged.
  let tagged = 0;
  for (const o of report.objects) {
    if (o.status !== 'inserted') continue;
    const tag = await objectSignals.tagOf(node.db, o.id, o.version);
    if (tag !== undefined && (tag.rsit !== null || tag.confidence !== null)) tagged += 1;
  }
  return tagged;
}

it('the window of an automatic event is checked: from < to ≤ at, integer instants', () => {
  const base = { v: 1, id: 'e', at: 1000, actor: 'ARV', type: 'incident-signal' };
  const signal = { ...base, rsit: 'intrusions', tlp: 'amber', count: 3 };
  expect(eventProblems({ ...signal, window: { from: 0, to: 1000 } })).toEqual([]);
  for (const window of [{ from: 5, to: 5 }, { from: 0, to: 1001 }, { from: 0 }, 'x'])
    expect(eventProblems({ ...signal, window })).toEqual([
      '`window` must be `{ from, to }`, integer instants with from < to ≤ at',
    ]);
  const grade = { ...base, type: 'intel-quality-observed', grade: 'B2', objectRef: 'o' };
  expect(eventProblems({ ...grade, window: { from: 2, to: 1 } })).toHaveLength(1);
});

it('an automatic window overlapping the last one is rejected by the fold (no object counted twice)', () => {
  const at0 = NORTHSEA.effective.from + DAY;
  const base = {
    v: 1 as const,
    actor: 'ARV',
    type: 'incident-signal' as const,
    tlp: 'amber' as const,
  };
  const signal = (
    id: string,
    at: number,
    from: number,
    to: number,
    rsit: 'intrusions' | 'fraud',
  ) => ({
    ...base,
    id,
    at,
    rsit,
    count: 20,
    window: { from, to },
  });
  const events = [
    signal('a1', at0, at0 - HOUR, at0, 'intrusions'),
    // The same pass: the same window, another class.
    signal('a2', at0, at0 - HOUR, at0, 'fraud'),
    // A second process's pass over the same objects: starts before the first one ended.
    signal('b1', at0 + 1, at0 - HOUR, at0 + 1, 'intrusions'),
    // The next pass continues where the first ended.
    signal('c1', at0 + 2, at0, at0 + 2, 'intrusions'),
  ];
  const s = replay(NORTHSEA, events, at0 + 3);
  expect(s.rejected.map((r) => r.id)).toEqual(['b1']);
  expect(s.rejected[0]?.reasons[0]).toContain('already counted');
  expect(s.inputs.signals.map((x) => x.count)).toEqual([20, 20, 20]);
  // 40 intrusions within 24 h at amber: the automatic wave would have counted 60 with b1.
  expect(s.inputs.automatic?.['incident-signal']).toEqual({ from: at0, to: at0 + 2 });
});

describeDialects('automatic escalation inputs', (d) => {
  it('ingested intrusions raise intrusion-wave by themselves; counted once; grades from confidence', async () => {
    const f = await makeNode(d);
    const node = f.node;
    try {
      const esc = await openEscalation(node);
      // Tagged: RSIT class and/or confidence; untagged: neither.
      expect(
        await ingest(node, [
          ...objects(20, { labels: ['rsit:intrusions'], object_marking_refs: [AMBER] }),
          ...objects(4, { labels: ['rsit:intrusions'], object_marking_refs: [GREEN] }),
          ...objects(3, { labels: ['rsit:malicious-code'], object_marking_refs: [AMBER] }),
          indicator({ confidence: 68 }),
          indicator({ confidence: 46, labels: ['rsit:intrusions'], object_marking_refs: [AMBER] }),
          ...objects(5, {}),
        ]),
      ).toBe(29);
      // No content column is read by the signal queries.
      const source = readFileSync('src/store/signals.ts', 'utf8');
      for (const column of ['ciphertext', 'nonce', 'tag ', 'content_hash'])
        expect(source.includes(`o.${column}`) || source.includes(` ${column},`)).toBe(false);

      f.clock.advance(60_000);
      const first = await recordAutomaticInputs(node.db, esc, 'ARV', f.clock.now());
      expect(first.incidents?.counts).toEqual([
        { rsit: 'intrusions', tlp: 'amber', count: 21 },
        { rsit: 'intrusions', tlp: 'green', count: 4 },
        { rsit: 'malicious-code', tlp: 'amber', count: 3 },
      ]);
      expect(first.quality?.grades.map((g) => g.grade)).toEqual(['B2', 'C3']);
      // 25 intrusions (amber + green) within 24 h: the automatic trigger raises at once.
      expect(first.written.map((w) => w.event.type)).toEqual([
        'incident-signal',
        'incident-signal',
        'level-raised',
        'incident-signal',
        'intel-quality-observed',
        'intel-quality-observed',
      ]);
      expect(esc.stateAt().current.level.id).toBe('elevated');

      // A second pass: nothing new, nothing written, the window continues from the first.
      f.clock.advance(60_000);
      const second = await recordAutomaticInputs(node.db, esc, 'ARV', f.clock.now());
      expect(second.written).toEqual([]);
      expect(second.incidents?.from).toBe(first.incidents?.to);

      // A second process's service replaying the same pass is refused, and writes nothing.
      const other = await openEscalation(node);
      const size = other.events.length;
      const overlap = await other
        .record({
          type: 'incident-signal',
          actor: 'ARV',
          rsit: 'intrusions',
          tlp: 'amber',
          count: 21,
          window: { from: first.incidents?.from ?? 0, to: f.clock.now() },
        })
        .then(
          () => 'written',
          (err: unknown) => (err as { code?: string }).code,
        );
      expect(overlap).toBe('ERR_ESCALATION_REFUSED');
      expect(other.events.length).toBe(size);

      // After a restart the watermark comes back from the ledger.
      await f.reopen();
      const reopened = await openEscalation(f.node);
      f.clock.advance(60_000);
      await ingest(
        f.node,
        objects(2, { labels: ['rsit:intrusions'], object_marking_refs: [AMBER] }),
      );
      f.clock.advance(60_000);
      const third = await recordAutomaticInputs(f.node.db, reopened, 'ARV', f.clock.now());
      expect(third.incidents?.counts).toEqual([{ rsit: 'intrusions', tlp: 'amber', count: 2 }]);
      // An empty pass writes nothing, so the next one starts where the last recorded one ended.
      expect(third.incidents?.from).toBe(first.incidents?.to);

      // The window moves on: two days later the wave has left it and the hold lowers the level.
      f.clock.advance(5 * DAY);
      await recordAutomaticInputs(f.node.db, reopened, 'ARV', f.clock.now());
      expect(reopened.stateAt().current.level.id).toBe('baseline');
    } finally {
      await f.node.close();
    }
  });

  it('a first pass after a long silence counts nothing older than the longest watched window', async () => {
    const f = await makeNode(d);
    try {
      const esc = await openEscalation(f.node);
      await ingest(
        f.node,
        objects(30, { labels: ['rsit:intrusions'], object_marking_refs: [AMBER] }),
      );
      f.clock.advance(25 * HOUR);
      const pass = await recordAutomaticInputs(f.node.db, esc, 'ARV', f.clock.now());
      expect(pass.incidents?.from).toBe(f.clock.now() - 24 * HOUR);
      expect(pass.incidents?.counts).toEqual([]);
      expect(esc.stateAt().current.level.id).toBe('baseline');
      // The tags are written once: a second tagging of the same versions changes nothing.
      const rows = await f.node.db.all('SELECT id, modified FROM objects LIMIT 1');
      const row = rows[0] as { id: string; modified: string };
      expect(await objectSignals.tagOf(f.node.db, row.id, row.modified)).toEqual({
        rsit: 'intrusions',
        confidence: null,
      });
      const changed = await f.node.db.transaction((tx) =>
        objectSignals.tag(tx, [
          { id: row.id, modified: row.modified, rsit: 'fraud', confidence: 90 },
        ]),
      );
      expect(changed).toBe(0);
    } finally {
      await f.node.close();
    }
  });

  it('a served node records automatic inputs by itself (startNodeServers automaticInputs)', async () => {
    const f = await makeNode(d);
    try {
      await ingest(
        f.node,
        objects(25, { labels: ['rsit:intrusions'], object_marking_refs: [AMBER] }),
      );
      f.clock.advance(60_000);
      const esc = await openEscalation(f.node);
      expect(esc.stateAt().current.level.id).toBe('baseline');
      // The schedule's first pass runs as the servers start; poll the ledger for it, bounded.
      const servers = await startNodeServers(f.node, {
        analyst: { host: '127.0.0.1', port: 0 },
        federation: false,
        automaticInputs: true,
      });
      try {
        const deadline = Date.now() + 60_000;
        while (esc.stateAt().current.level.id === 'baseline' && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
          await esc.refresh();
        }
        expect(esc.stateAt().current.level.id).toBe('elevated');
      } finally {
        await servers.close();
      }
    } finally {
      await f.node.close();
    }
  }, 90_000);
});
