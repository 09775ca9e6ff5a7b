/**
 * The escalation commands end to end, in process, on a real node built by `concordat init`
 * with the North Sea compact: each command opens the node, replays the ledger and closes it, so
 * every step is also a restart. The clock is injected per command (the CLI's `io.clock`).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock, parseInstant } from '../../src/core/index.js';
import { ingestBundle, loadNodeConfig, openEscalation, openNode } from '../../src/node/index.js';
import { indicator } from '../node/fixtures.js';
import type { Decision, DecisionRequest, ObjectMeta } from '../../src/policy/index.js';
import { cli, json, tempDir } from './harness.js';
import type { CliResult } from './harness.js';

const EXAMPLE = resolve('examples/agreements/northsea-compact.yaml');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = parseInstant('2026-03-03T14:00:00Z') ?? 0;
const iso = (t: number): string => new Date(t).toISOString();

let dir: string;
let cleanup: () => void;
let config: string;
const keyFile = (official: string): string => join(dir, 'private', `${official}.pem`);

/** `concordat …args --config CONFIG` at instant `at`. */
function at(t: number, ...args: string[]): Promise<CliResult> {
  return cli([...args, '--config', config], { clock: fixedClock(t) });
}

async function ok(t: number, ...args: string[]): Promise<Record<string, unknown>> {
  const r = await at(t, ...args, '--json');
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return json(r);
}

/** Decides through the node's compiled engine in the escalation state at the release instant. */
async function decideOnNode(req: DecisionRequest): Promise<Decision> {
  const node = await openNode(await loadNodeConfig(config), { clock: fixedClock(req.at) });
  try {
    const esc = await openEscalation(node);
    const entry = node.agreements.get('northsea-cti-compact');
    if (entry === undefined) throw new Error('agreement not loaded');
    return entry.engine.decide(req, esc.decisionStateAt(req.at));
  } finally {
    await node.close();
  }
}

function release(t: number, agency: string, object: Partial<ObjectMeta> = {}): DecisionRequest {
  return {
    agency,
    purpose: 'incident-response',
    at: t,
    object: { type: 'indicator', tlp: 'amber', personalData: 'none', producer: 'ARV', ...object },
  };
}

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  const init = await cli(
    ['init', '--dir', join(dir, 'node'), '--party', 'ARV', '--agreement', EXAMPLE],
    {
      clock: fixedClock(T0 - DAY),
    },
  );
  expect(init.code, init.stderr).toBe(0);
  config = join(dir, 'node', 'node.yaml');
  // The example pins no official keys: the node config names a directory of public keys, and
  // each official keeps a private key of their own.
  mkdirSync(join(dir, 'node', 'officials'));
  mkdirSync(join(dir, 'private'));
  for (const o of ['ARV-LIAISON', 'BOR-LIAISON', 'CAL-LIAISON']) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(
      join(dir, 'node', 'officials', `${o}.pub.pem`),
      publicKey.export({ type: 'spki', format: 'pem' }),
    );
    writeFileSync(keyFile(o), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const text = readFileSync(config, 'utf8').replace(
    /( {2}- file: .*northsea-compact\.yaml.*\n)/,
    '$1    official_keys: officials\n',
  );
  expect(text).toContain('official_keys: officials');
  writeFileSync(config, text);
});

afterEach(() => cleanup());

describe('concordat risk / trigger / approve / level', () => {
  it('a rating rises, the node proposes, two parties approve, the level rises and the engine follows', async () => {
    const personal = { type: 'email-addr', personalData: 'pseudonymous', confidence: 80 } as const;
    await ok(T0, 'trigger', 'observe', '--grade', 'B2', '--object', 'sha256:ab12');
    const risen = await ok(
      T0 + HOUR,
      'risk',
      'set',
      'ARV',
      '4',
      '--reason',
      'ransomware against hospitals',
      '--by',
      'ARV-LIAISON',
    );
    const written = risen.written as { id: string; type: string }[];
    expect(written.map((w) => w.type)).toStrictEqual([
      'risk-rating-published',
      'escalation-proposed',
    ]);
    const proposal = written[1]?.id ?? '';

    const shown = await ok(T0 + HOUR, 'risk', 'show');
    expect(shown.ratings).toMatchObject([
      { party: 'ARV', rating: 4, setBy: 'ARV-LIAISON', published: true },
      { party: 'BOR', rating: 0, published: false },
      { party: 'CAL', rating: 0, published: false },
    ]);
    const evaluated = await ok(T0 + HOUR, 'trigger', 'evaluate');
    expect(evaluated.triggers).toMatchObject([
      {
        trigger: 'risk-high',
        holds: true,
        since: iso(T0 + HOUR),
        pending: { id: proposal, validApprovals: 0 },
        next: 'none',
        clause: {
          id: 'risk-high',
          at: expect.stringMatching(/northsea-compact\.yaml:\d+:\d+$/) as unknown,
        },
      },
      { trigger: 'intrusion-wave', holds: false, next: 'none' },
    ]);

    // A forged approval (someone else's key) is refused and not written.
    const forged = await at(
      T0 + 2 * HOUR,
      'approve',
      proposal,
      '--official',
      'BOR-LIAISON',
      '--key',
      keyFile('CAL-LIAISON'),
    );
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain('ERR_ESCALATION_REFUSED');
    expect(forged.stderr).toContain('bad-signature');

    const first = await ok(
      T0 + 2 * HOUR,
      'approve',
      proposal,
      '--official',
      'ARV-LIAISON',
      '--key',
      keyFile('ARV-LIAISON'),
    );
    expect(first).toMatchObject({ proposal: 'pending', level: 'baseline' });
    const raisedAt = T0 + 3 * HOUR;
    const second = await ok(
      raisedAt,
      'approve',
      proposal,
      '--official',
      'BOR-LIAISON',
      '--key',
      keyFile('BOR-LIAISON'),
    );
    expect(second).toMatchObject({
      proposal: 'approved',
      level: 'severe',
      levelSince: iso(raisedAt),
    });
    expect((second.written as { type: string }[]).map((w) => w.type)).toStrictEqual([
      'approval',
      'level-raised',
    ]);

    const level = await ok(raisedAt + HOUR, 'level', 'show');
    expect(level).toMatchObject({
      level: 'severe',
      since: iso(raisedAt),
      cause: {
        trigger: 'risk-high',
        raise: proposal,
        sunset: iso(raisedAt + 14 * DAY),
        sunsetInMs: 14 * DAY - HOUR,
        approvals: [
          { official: 'ARV-LIAISON', party: 'ARV', valid: true },
          { official: 'BOR-LIAISON', party: 'BOR', valid: true },
        ],
      },
    });
    const human = await at(raisedAt + HOUR, 'level', 'show');
    expect(human.stdout).toContain('level severe since');
    expect(human.stdout).toContain('(in 13d 23h) unless renewed');
    // The past, reconstructed: before the second approval the level was baseline.
    expect(await ok(raisedAt + HOUR, 'level', 'show', '--at', iso(raisedAt - 1))).toMatchObject({
      level: 'baseline',
    });

    // The severe-level rule now allows personal data to the CERTs; it did not before.
    expect(await decideOnNode(release(raisedAt, 'BOR-CERT', personal))).toMatchObject({
      effect: 'allow',
      allowedBy: [{ id: 'op-personal-severe' }],
    });
    expect(await decideOnNode(release(raisedAt - 1, 'BOR-CERT', personal))).toMatchObject({
      effect: 'deny',
    });

    // The rating falls; the level lowers only once all parties have been below 3 for P3D.
    const fell = T0 + 2 * DAY;
    await ok(fell, 'risk', 'set', 'ARV', '2', '--reason', 'contained');
    const during = await ok(fell + DAY, 'trigger', 'evaluate');
    expect((during.triggers as unknown[])[0]).toMatchObject({
      lower: { holds: true, held: false, since: iso(fell), completesAt: iso(fell + 3 * DAY) },
    });
    expect(await ok(fell + 3 * DAY - 1, 'level', 'show')).toMatchObject({ level: 'severe' });
    expect(await ok(fell + 3 * DAY, 'level', 'show')).toMatchObject({ level: 'baseline' });
    const history = await ok(fell + 4 * DAY, 'level', 'history');
    expect(history.transitions).toMatchObject([
      { at: iso(raisedAt), kind: 'raised', reason: 'approved', from: 'baseline', to: 'severe' },
      {
        at: iso(fell + 3 * DAY),
        kind: 'lowered',
        reason: 'hysteresis',
        from: 'severe',
        to: 'baseline',
      },
    ]);

    // The next event writes the lowering's receipt at its exact instant; the ledger verifies.
    const next = await ok(fell + 4 * DAY, 'risk', 'set', 'BOR', '1', '--reason', 'quiet');
    expect(next.written).toMatchObject([
      { type: 'level-lowered', at: iso(fell + 3 * DAY) },
      { type: 'risk-rating-published' },
    ]);
    const verified = await ok(fell + 4 * DAY, 'ledger', 'verify');
    expect(verified).toMatchObject({ ok: true });
    // Replayed from the ledger, every receipt the node wrote agrees with what replay derives,
    // and nothing written was rejected.
    const node = await openNode(await loadNodeConfig(config), {
      clock: fixedClock(fell + 4 * DAY),
    });
    try {
      const esc = await openEscalation(node);
      expect(esc.events.map((e) => e.type)).toStrictEqual([
        'intel-quality-observed',
        'risk-rating-published',
        'escalation-proposed',
        'approval',
        'approval',
        'level-raised',
        'risk-rating-published',
        'level-lowered',
        'risk-rating-published',
      ]);
      expect(esc.stateAt().anomalies).toStrictEqual([]);
      expect(esc.stateAt().rejected).toStrictEqual([]);
    } finally {
      await node.close();
    }
  });
});

describe('concordat level lower', () => {
  it('ends a raise by one official’s signed lowering; a forged one is refused', async () => {
    await ok(T0, 'trigger', 'observe', '--grade', 'A1', '--object', 'sha256:cd34');
    const risen = await ok(T0, 'risk', 'set', 'CAL', '5', '--reason', 'grid attack');
    const proposal = (risen.written as { id: string; type: string }[]).find(
      (w) => w.type === 'escalation-proposed',
    )?.id;
    if (proposal === undefined) throw new Error('no proposal');
    await ok(T0, 'approve', proposal, '--official', 'CAL-LIAISON', '--key', keyFile('CAL-LIAISON'));
    await ok(T0, 'approve', proposal, '--official', 'BOR-LIAISON', '--key', keyFile('BOR-LIAISON'));
    expect(await ok(T0, 'level', 'show')).toMatchObject({ level: 'severe' });

    const forged = await at(
      T0 + HOUR,
      'level',
      'lower',
      'risk-high',
      '--official',
      'ARV-LIAISON',
      '--key',
      keyFile('BOR-LIAISON'),
    );
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain('official `ARV-LIAISON`: bad-signature');
    expect(await ok(T0 + HOUR, 'level', 'show')).toMatchObject({ level: 'severe' });

    const L = T0 + 2 * HOUR;
    expect(
      await ok(
        L,
        'level',
        'lower',
        'risk-high',
        '--official',
        'ARV-LIAISON',
        '--key',
        keyFile('ARV-LIAISON'),
      ),
    ).toMatchObject({
      level: 'baseline',
      levelSince: iso(L),
    });
    expect((await ok(L, 'level', 'history')).transitions).toMatchObject([
      { kind: 'raised', reason: 'approved', at: iso(T0) },
      { kind: 'lowered', reason: 'manual', at: iso(L) },
    ]);
    expect((await ok(L, 'ledger', 'verify')).ok).toBe(true);
  });
});

describe('concordat waiver', () => {
  const scope = [
    '--agency',
    'BOR-FININT',
    '--types',
    'indicator',
    '--tlp',
    'amber',
    '--purpose',
    'incident-response',
  ];

  it('refuses a waiver that would override a constraint, naming each clause and where it is', async () => {
    const r = await at(
      T0,
      'waiver',
      'request',
      '--agency',
      'BOR-CERT',
      '--types',
      'threat-actor',
      '--tlp',
      'amber',
      '--purpose',
      'attribution',
      '--duration',
      'PT96H',
      '--justification',
      'case 17',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ERR_ESCALATION_REFUSED');
    expect(r.stderr).toMatch(
      /constraint `bor-no-attribution-inbound` \(.*northsea-compact\.yaml:\d+:\d+\)/,
    );
    // Every reason, not the first: the duration is over the policy's PT72H too.
    expect(r.stderr).toContain('exceeds the waiver policy');
    const j = json(
      await at(
        T0,
        'waiver',
        'request',
        '--agency',
        'BOR-CERT',
        '--types',
        'threat-actor',
        '--tlp',
        'amber',
        '--purpose',
        'attribution',
        '--duration',
        'PT48H',
        '--justification',
        'case 17',
        '--json',
      ),
    );
    expect(j).toMatchObject({
      error: {
        code: 'ERR_ESCALATION_REFUSED',
        details: {
          refusals: [{ reason: 'constraint', clause: { id: 'bor-no-attribution-inbound' } }],
        },
      },
    });
    expect((await ok(T0, 'waiver', 'list')).waivers).toStrictEqual([]);
  });

  it('is approved by two parties, allows until exactly its expiry, then its review falls due and goes overdue', async () => {
    const req = await ok(
      T0,
      'waiver',
      'request',
      ...scope,
      '--duration',
      'PT48H',
      '--justification',
      'hospital outbreak, case 17',
      '--by',
      'ARV-LIAISON',
    );
    const id = String(req.id);
    expect(await ok(T0, 'waiver', 'list')).toMatchObject({
      waivers: [{ id, status: 'pending', lapsesAt: iso(T0 + 72 * HOUR) }],
    });
    await ok(
      T0 + HOUR,
      'waiver',
      'approve',
      id,
      '--official',
      'CAL-LIAISON',
      '--key',
      keyFile('CAL-LIAISON'),
    );
    const from = T0 + 2 * HOUR;
    const approved = await ok(
      from,
      'waiver',
      'approve',
      id,
      '--official',
      'ARV-LIAISON',
      '--key',
      keyFile('ARV-LIAISON'),
    );
    const expires = from + 48 * HOUR;
    expect(approved).toMatchObject({
      waiver: { status: 'active', from: iso(from), expires: iso(expires) },
    });
    expect(approved.written).toMatchObject([{ type: 'approval' }, { type: 'waiver-approved' }]);

    expect(await decideOnNode(release(expires - 1, 'BOR-FININT'))).toMatchObject({
      effect: 'allow',
      byWaiver: true,
    });
    expect(await decideOnNode(release(expires, 'BOR-FININT'))).toMatchObject({ effect: 'deny' });

    const due = expires + 14 * DAY;
    expect(await ok(expires - 1, 'waiver', 'list')).toMatchObject({
      waivers: [{ status: 'active' }],
    });
    expect(await ok(expires, 'waiver', 'list')).toMatchObject({
      waivers: [{ status: 'ended', review: { due: iso(due), overdue: false } }],
      overdueReviews: 0,
    });
    expect(await ok(due, 'waiver', 'list')).toMatchObject({
      waivers: [{ review: { overdue: true }, finding: 'review-overdue' }],
      overdueReviews: 1,
    });
    const human = await at(due, 'waiver', 'list');
    expect(human.stdout).toContain('OVERDUE');
    expect((await ok(due, 'ledger', 'verify')).ok).toBe(true);
  });

  it('closes an active waiver early', async () => {
    const id = String(
      (
        await ok(
          T0,
          'waiver',
          'request',
          ...scope,
          '--duration',
          'PT24H',
          '--justification',
          'case 18',
        )
      ).id,
    );
    await ok(
      T0,
      'waiver',
      'approve',
      id,
      '--official',
      'ARV-LIAISON',
      '--key',
      keyFile('ARV-LIAISON'),
    );
    await ok(
      T0,
      'waiver',
      'approve',
      id,
      '--official',
      'BOR-LIAISON',
      '--key',
      keyFile('BOR-LIAISON'),
    );
    await ok(T0 + HOUR, 'waiver', 'close', id, '--reason', 'contained');
    expect(await decideOnNode(release(T0 + HOUR - 1, 'BOR-FININT'))).toMatchObject({
      effect: 'allow',
    });
    expect(await decideOnNode(release(T0 + HOUR, 'BOR-FININT'))).toMatchObject({ effect: 'deny' });
  });
});

describe('concordat pause / resume', () => {
  it('stops releases from its instant; only the pausing party resumes', async () => {
    const P = T0 + HOUR;
    const paused = await ok(
      P,
      'pause',
      '--party',
      'ARV',
      '--towards',
      'BOR',
      '--reason',
      'dispute over onward sharing',
      '--dispute',
    );
    const id = String(paused.pause);
    expect(paused).toMatchObject({
      since: iso(P),
      dispute: { stage: 'consultation', due: iso(P + 30 * DAY) },
    });
    expect(await decideOnNode(release(P - 1, 'BOR-CERT'))).toMatchObject({ effect: 'allow' });
    expect(await decideOnNode(release(P, 'BOR-CERT'))).toMatchObject({
      effect: 'deny',
      stage: 'pause',
    });
    expect(await decideOnNode(release(P, 'CAL-CSIRT'))).toMatchObject({ effect: 'allow' });

    const wrong = await at(P + HOUR, 'resume', id, '--party', 'BOR');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`pause \`${id}\` belongs to party \`ARV\``);
    expect(await decideOnNode(release(P + HOUR, 'BOR-CERT'))).toMatchObject({ effect: 'deny' });

    const R = P + 2 * HOUR;
    expect(await ok(R, 'resume', id, '--party', 'ARV')).toMatchObject({ pause: id, until: iso(R) });
    expect(await decideOnNode(release(R - 1, 'BOR-CERT'))).toMatchObject({ effect: 'deny' });
    expect(await decideOnNode(release(R, 'BOR-CERT'))).toMatchObject({ effect: 'allow' });
    expect((await ok(R, 'ledger', 'verify')).ok).toBe(true);
  });
});

describe('escalation command errors', () => {
  it('names an unknown agreement and lists the node’s', async () => {
    const r = await at(T0, 'level', 'show', '--agreement', 'nope');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no agreement `nope`');
    expect(r.stderr).toContain('`northsea-cti-compact`');
  });

  it('needs --agreement when the node has several, and keeps each agreement’s events apart', async () => {
    const second = join(dir, 'northsea-b.yaml');
    writeFileSync(
      second,
      readFileSync(EXAMPLE, 'utf8').replace('id: northsea-cti-compact', 'id: northsea-b'),
    );
    const node = join(dir, 'two');
    const init = await cli(
      ['init', '--dir', node, '--party', 'ARV', '--agreement', EXAMPLE, second],
      {
        clock: fixedClock(T0),
      },
    );
    expect(init.code, init.stderr).toBe(0);
    const two = ['--config', join(node, 'node.yaml')];
    const bare = await cli(['risk', 'show', ...two], { clock: fixedClock(T0) });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('`northsea-cti-compact`, `northsea-b`');
    expect(bare.stderr).toContain('--agreement');
    const set = await cli(
      ['risk', 'set', 'ARV', '3', '--reason', 'r', '--agreement', 'northsea-b', '--json', ...two],
      {
        clock: fixedClock(T0),
      },
    );
    expect(set.code, set.stderr).toBe(0);
    const show = async (agreement: string): Promise<unknown> =>
      json(
        await cli(['risk', 'show', '--agreement', agreement, '--json', ...two], {
          clock: fixedClock(T0),
        }),
      ).ratings;
    expect(await show('northsea-b')).toMatchObject([{ party: 'ARV', rating: 3 }, {}, {}]);
    expect(await show('northsea-cti-compact')).toMatchObject([
      { party: 'ARV', published: false },
      {},
      {},
    ]);
  });

  it('refuses a malformed event with every problem and writes nothing', async () => {
    const r = await at(T0, 'risk', 'set', 'ARV', '3', '--reason', 'x'.repeat(401), '--by', '');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ERR_ESCALATION_EVENT_INVALID');
    expect(r.stderr).toContain('`reason` is longer than 400 characters');
    expect(r.stderr).toContain('`actor` must be a non-empty string');
    expect((await ok(T0, 'risk', 'show')).ratings).toMatchObject([
      { party: 'ARV', published: false },
      {},
      {},
    ]);
  });

  it('has help for every escalation command', async () => {
    for (const c of [
      ['risk', 'set'],
      ['risk', 'show'],
      ['level', 'show'],
      ['level', 'history'],
      ['trigger', 'evaluate'],
      ['waiver', 'request'],
      ['waiver', 'approve'],
      ['waiver', 'list'],
      ['waiver', 'close'],
      ['pause'],
      ['resume'],
      ['approve'],
    ]) {
      const r = await cli([...c, '--help']);
      expect(r.code, c.join(' ')).toBe(0);
      expect(r.stdout).toContain('--config');
    }
  });
});

describe('concordat trigger evaluate: automatic inputs', () => {
  it('ingested intrusions (tagged at ingest) raise intrusion-wave; --at and --no-automatic record nothing', async () => {
    const amber = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
    const node = await openNode(await loadNodeConfig(config), { clock: fixedClock(T0) });
    try {
      const bundle = {
        type: 'bundle',
        id: `bundle--${randomUUID()}`,
        objects: Array.from({ length: 25 }, () =>
          indicator({ labels: ['rsit:intrusions'], object_marking_refs: [amber] }),
        ),
      };
      const report = await ingestBundle(bundle, {
        db: node.db,
        vault: node.vault,
        clock: node.clock,
        producer: 'ARV',
        collection: 'incident-response',
        retention: { untilMs: T0 + 30 * DAY },
      });
      expect(report.inserted).toBe(25);
      // Ingest tags each version with its RSIT class in the same transaction.
      const tagged = await node.db.get(
        'SELECT COUNT(*) AS n FROM objects WHERE rsit IS NOT NULL OR confidence IS NOT NULL',
      );
      expect(Number((tagged as { n: number | string }).n)).toBe(25);
    } finally {
      await node.close();
    }
    const past = await ok(T0 + HOUR, 'trigger', 'evaluate', '--at', iso(T0 + HOUR));
    expect(past.automatic).toBeUndefined();
    const skipped = await ok(T0 + HOUR, 'trigger', 'evaluate', '--no-automatic');
    expect(skipped.automatic).toBeUndefined();
    const evaluated = await ok(T0 + HOUR, 'trigger', 'evaluate');
    expect(evaluated.automatic).toMatchObject({
      incidents: { counts: [{ rsit: 'intrusions', tlp: 'amber', count: 25 }] },
    });
    expect(
      (evaluated.automatic as { written: { type: string }[] }).written.map((w) => w.type),
    ).toEqual(['incident-signal', 'level-raised']);
    const shown = await ok(T0 + HOUR, 'level', 'show');
    expect(shown).toMatchObject({ level: 'elevated' });
    const human = await at(T0 + 2 * HOUR, 'trigger', 'evaluate');
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('intrusion-wave → elevated');
  });
});
