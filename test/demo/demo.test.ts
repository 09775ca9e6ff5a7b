/**
 * `concordat demo` end to end, in process, over loopback: three nodes, the whole timeline with
 * `--exit --json`, and each step's observable results — objects flowed, the level changed what
 * flows, the waiver released and then stopped releasing, the pause stopped Borealia's flow and
 * the resumption delivered what was held back, shredding happened on producers and consumers,
 * and every node's ledger verifies (in the demo, and again afterwards through the CLI).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/index.js';
import type { DemoStep } from '../../src/demo/index.js';
import type { Indicators } from '../../src/oversight/index.js';
import { cli, tempDir } from '../cli/harness.js';

const PAIRS = ['ARV→BOR', 'ARV→CAL', 'BOR→ARV', 'BOR→CAL', 'CAL→ARV', 'CAL→BOR'] as const;

let dir: string;
let cleanup: () => void;
let code: number;
let stderr: string;
const steps = new Map<string, DemoStep>();

function step(id: string): DemoStep {
  const s = steps.get(id);
  expect(s, `step ${id}`).toBeDefined();
  return s as DemoStep;
}

function flows(id: string): Readonly<Record<string, number>> {
  const f = step(id).flows;
  expect(f, `flows of ${id}`).toBeDefined();
  return f ?? {};
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  const r = await cli(['demo', '--exit', '--json', '--speed', '1000', '--dir', join(dir, 'nodes')]);
  code = r.code;
  stderr = r.stderr;
  for (const line of r.stdout.split('\n').filter((l) => l !== '')) {
    const s = JSON.parse(line) as DemoStep;
    steps.set(s.id, s);
  }
}, 60_000);

afterAll(() => cleanup());

describe('concordat demo --exit --json', () => {
  it('plays every step, one JSON object per step, and exits 0', () => {
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect([...steps.keys()]).toStrictEqual([
      'nodes-up',
      'baseline-flow',
      'risk-rises',
      'waiver-granted',
      'waiver-expired',
      'pause',
      'resume',
      'de-escalation',
      'retention',
      'ledgers',
      'receipts',
      'live',
    ]);
    expect(step('nodes-up').facts?.['transport']).toBe('taxii-mtls');
    const nodes = step('nodes-up').nodes ?? [];
    expect(nodes.map((n) => n.party)).toStrictEqual(['ARV', 'BOR', 'CAL']);
    for (const n of nodes) {
      expect(n.discovery).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/taxii2\/$/);
      expect(n.readToken.token).toMatch(/^cct_/);
      expect(n.verify).toBe(`npx concordat ledger verify --config ${n.config}`);
      expect(n.dashboard.url).toBe(n.discovery.replace(/\/taxii2\/$/, '/dashboard'));
      expect(n.dashboard.token).toMatch(/^cct_/);
    }
  });

  it('at baseline indicators flow both ways between every pair, and TLP:RED does not', () => {
    const f = flows('baseline-flow');
    for (const p of PAIRS) expect(f[p], p).toBeGreaterThan(0);
    // A batch holds 11 objects; the TLP:RED indicator, the incidents (level elevated and up)
    // and, outside ARV↔BOR, the threat actor stay with their producer.
    expect(step('baseline-flow').published).toStrictEqual({ ARV: 11, BOR: 11, CAL: 11 });
    for (const p of PAIRS) expect(f[p], p).toBeLessThan(11);
    expect(f['ARV→BOR']).toBe((f['ARV→CAL'] ?? 0) + 1);
  });

  it('the raised level releases more to every partner', () => {
    const s = step('risk-rises');
    expect(s.levels).toStrictEqual({ ARV: 'severe', BOR: 'severe', CAL: 'severe' });
    const base = flows('baseline-flow');
    const severe = flows('risk-rises');
    for (const p of PAIRS) expect(severe[p], p).toBeGreaterThan(base[p] ?? 0);
  });

  it('the waiver releases exactly the URLs while active, not after it expired', () => {
    const during = flows('waiver-granted');
    const after = flows('waiver-expired');
    // Both rounds publish the same shape with three URL observables; only the waiver differs.
    // (An observable shared onward by a third node arrives under another pseudonymous id, so
    // a pair may count more than its producer's three.)
    for (const p of PAIRS) expect((during[p] ?? 0) - (after[p] ?? 0), p).toBeGreaterThanOrEqual(3);
    expect(Object.values(during).reduce((a, b) => a + b, 0)).toBeGreaterThan(
      Object.values(after).reduce((a, b) => a + b, 0),
    );
    const expired = step('waiver-expired');
    expect(expired.facts?.['reviewOpen']).toBe(true);
    expect(Date.parse(String(expired.facts?.['reviewDue']))).toBeGreaterThan(
      Date.parse(expired.at),
    );
    expect(Date.parse(expired.at)).toBeGreaterThan(
      Date.parse(String(step('waiver-granted').facts?.['expires'])),
    );
  });

  it('the pause stops only Borealia’s flow; resuming delivers what was held back', () => {
    const paused = flows('pause');
    expect(paused['BOR→ARV']).toBe(0);
    expect(paused['BOR→CAL']).toBe(0);
    for (const p of ['ARV→BOR', 'ARV→CAL', 'CAL→ARV', 'CAL→BOR'])
      expect(paused[p], p).toBeGreaterThan(0);
    expect(step('pause').published?.['BOR']).toBeGreaterThan(0);
    const resumed = flows('resume');
    // ARV and BOR publish the same shape each round: what BOR held back plus its new batch.
    expect(resumed['BOR→ARV']).toBe((paused['ARV→BOR'] ?? 0) + (resumed['ARV→BOR'] ?? 0));
  });

  it('hysteresis lowers the level and the baseline rules apply again', () => {
    expect(step('de-escalation').levels).toStrictEqual({
      ARV: 'baseline',
      BOR: 'baseline',
      CAL: 'baseline',
    });
    expect(flows('de-escalation')).toStrictEqual(flows('baseline-flow'));
  });

  it('retention shreds partners’ data on consumers and each producer’s own', () => {
    const s = step('retention');
    expect(s.facts?.['day40Partners']).toBeGreaterThan(0);
    for (const p of ['ARV', 'BOR', 'CAL']) {
      expect(s.shredded?.[p]?.own, p).toBeGreaterThan(0);
      expect(s.shredded?.[p]?.partners, p).toBeGreaterThan(0);
    }
    // Everything published before day 140 is gone at its producer.
    const published = [...steps.values()]
      .filter((x) => x.n < s.n)
      .reduce((sum, x) => sum + (x.published?.['ARV'] ?? 0), 0);
    expect(s.shredded?.['ARV']?.own).toBe(published);
  });

  it('every node’s ledger verifies, in the demo and afterwards through the CLI', async () => {
    const ledgers = step('ledgers').ledgers ?? {};
    for (const p of ['ARV', 'BOR', 'CAL']) {
      expect(ledgers[p]?.ok, p).toBe(true);
      expect(ledgers[p]?.checkpoints, p).toBeGreaterThan(0);
    }
    for (const n of step('live').nodes ?? []) {
      const r = await cli(['--json', 'ledger', 'verify', '--config', n.config]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
    }
  });

  it('oversight reads the whole story back from each ledger alone, and reports it', async () => {
    // From the demo's first day to its end: everything due by then was shredded (day 140).
    const period = ['--from', '2026-03-01T00:00:00Z', '--to', step('live').at];
    // Read as of the demo's end (the harness's fixed clock is on day 2 of the story).
    const clock = fixedClock(Date.parse(step('live').at));
    for (const n of step('live').nodes ?? []) {
      const r = await cli(['--json', 'oversight', 'indicators', ...period, '--config', n.config], {
        clock,
      });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const i = JSON.parse(r.stdout) as Indicators;
      const peers = ['ARV', 'BOR', 'CAL'].filter((p) => p !== n.party);
      expect(i.contributions.find((c) => c.producer === n.party)?.objects, n.party).toBeGreaterThan(
        0,
      );
      // Its own feed went to both partners; TLP:RED and level-gated objects were withheld.
      for (const p of peers) {
        expect(i.burden.find((b) => b.party === p)?.received, `${n.party}→${p}`).toBeGreaterThan(0);
        expect(
          i.federation.find((f) => f.peer === p)?.receiptsIssued,
          `${p}→${n.party}`,
        ).toBeGreaterThan(0);
        expect(i.timeliness.find((t) => t.party === p)?.releases).toBeGreaterThan(0);
      }
      expect(i.releases.reduce((w, x) => w + x.withheld, 0)).toBeGreaterThan(0);
      expect(i.retention).toMatchObject({ overdueKeys: 0, overdueObjects: 0 });
      expect(i.retention.keysShredded).toBeGreaterThan(0);
      // The proportionality record: raised for the incident, a waiver, BOR's pause, lowered again.
      const [e] = i.escalation;
      expect(e?.raised, n.party).toBeGreaterThan(0);
      expect(e?.lowered).toBeGreaterThan(0);
      expect(e?.waivers.active).toBeGreaterThan(0);
      expect(e?.pauses).toMatchObject({ started: 1, resumed: 1 });
      expect(e?.pauses.pausedMs).toBeGreaterThan(0);
      expect(e?.levels.filter((l) => l.ms > 0).length).toBeGreaterThan(1);
      expect(e).toMatchObject({ rejectedEvents: 0, anomalies: 0 });
      // The demo files no post-incident review of its waiver: oversight sees it overdue.
      expect(e?.findings.map((f) => f.kind)).toEqual(['review-overdue']);
    }
    const arv = (step('live').nodes ?? [])[0];
    const out = join(dir, 'arv-report.html');
    const r = await cli([
      'oversight',
      'report',
      ...period,
      '--out',
      out,
      '--config',
      String(arv?.config),
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).toMatch(/verified/i);
    expect(html).not.toMatch(/indicator--|sha256:/);
  });

  it('an oversight body verifies an export of the ledger itself and gets the node’s own figures', async () => {
    const period = ['--from', '2026-03-01T00:00:00Z', '--to', step('live').at];
    const clock = fixedClock(Date.parse(step('live').at));
    const bor = (step('live').nodes ?? []).find((n) => n.party === 'BOR');
    const config = String(bor?.config);
    const home = join(config, '..');
    const head = JSON.parse(
      (await cli(['--json', 'ledger', 'head', '--config', config])).stdout,
    ) as { verifierKey: string; size: number };
    const file = join(dir, 'bor-ledger.jsonl');
    const exported = await cli(['--json', 'ledger', 'export', '--out', file, '--config', config]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ file, size: head.size });
    const offline = [
      '--ledger',
      file,
      '--verifier-key',
      head.verifierKey,
      '--agreement',
      join(home, 'agreements/northsea-compact.yaml'),
      '--official-keys',
      join(home, 'officials'),
      '--window',
      'day',
    ];
    const own = await cli(['--json', 'oversight', 'indicators', ...period, '--config', config], {
      clock,
    });
    const theirs = await cli(['--json', 'oversight', 'indicators', ...period, ...offline], {
      clock,
    });
    expect(theirs.code, theirs.stderr).toBe(0);
    expect(JSON.parse(theirs.stdout)).toEqual(JSON.parse(own.stdout));

    // One changed letter in one entry: nothing is reported from it.
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"kind":"ingest"') && l.includes('"tlp":"amber"'));
    expect(at).toBeGreaterThan(0);
    lines[at] = String(lines[at]).replace('"tlp":"amber"', '"tlp":"green"');
    const tampered = join(dir, 'bor-ledger-tampered.jsonl');
    writeFileSync(tampered, lines.join('\n'));
    const bad = await cli(
      ['oversight', 'indicators', ...period, ...offline.slice(2), '--ledger', tampered],
      {
        clock,
      },
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/ERR_LEDGER_INTEGRITY.*does not verify/);
    expect(bad.stdout).toBe('');
    // Another node's key does not vouch for this ledger.
    const arvHead = JSON.parse(
      (
        await cli([
          '--json',
          'ledger',
          'head',
          '--config',
          String((step('live').nodes ?? [])[0]?.config),
        ])
      ).stdout,
    ) as { verifierKey: string };
    const wrong = await cli(
      [
        'oversight',
        'indicators',
        ...period,
        '--ledger',
        file,
        '--verifier-key',
        arvHead.verifierKey,
      ],
      { clock },
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/ERR_LEDGER_INTEGRITY/);
  });
});

describe('receipts', () => {
  it('every consumer ledgered signed receipts from both partners, and pairs were reconciled', () => {
    const s = step('receipts');
    const receipts = s.receipts ?? {};
    for (const p of PAIRS) expect(receipts[p]?.receipts, p).toBeGreaterThan(0);
    // Mutual TLS: the federation endpoints serve receipts, so every pair is reconciled.
    expect(s.facts?.['receiptsServed']).toBe(true);
    for (const p of PAIRS) {
      // Reconciliation ran from ledgers and proofs alone: both sides name the same items.
      expect(receipts[p]?.released, p).toBeGreaterThan(0);
      expect(receipts[p]?.received, p).toBe(receipts[p]?.released);
      expect(receipts[p]?.reconciled, p).toBe(true);
    }
  });
});

describe('concordat demo usage', () => {
  it('refuses a bad speed, an unwritable directory and contradictory flags with usage errors', async () => {
    const bad = await cli(['demo', '--exit', '--speed', '0', '--dir', '/nonexistent/never']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('ERR_USAGE');
    // A directory below a regular file can never be created.
    writeFileSync(join(dir, 'a-file'), '');
    const unwritable = await cli(['demo', '--exit', '--dir', join(dir, 'a-file', 'nodes')]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toContain('cannot create the demo directory');
    const both = await cli(['demo', '--exit', '--keep-running']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--keep-running');
  });
});
