/**
 * The escalation service on a real node (SQLite, temp dir): events are ledger entries, the
 * live state is replayed at open, refusals write nothing, receipts and proposals are written by
 * the node, and the engine decides in `decisionStateAt`.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isConcordatError, manualClock } from '../../src/core/index.js';
import type { ManualClock } from '../../src/core/index.js';
import { signApproval } from '../../src/escalation/index.js';
import type { EscalationEvent } from '../../src/escalation/index.js';
import {
  ESCALATION_ENTRY_KIND,
  EscalationService,
  initNode,
  loadNodeConfig,
  loadOfficialKeys,
  openEscalation,
  openNode,
} from '../../src/node/index.js';
import type { Node } from '../../src/node/index.js';
import type { Decision, DecisionRequest, ObjectMeta } from '../../src/policy/index.js';

const EXAMPLE = new URL('../../examples/agreements/northsea-compact.yaml', import.meta.url)
  .pathname;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 3, 14);
const OFFICIALS = ['ARV-LIAISON', 'BOR-LIAISON', 'CAL-LIAISON'] as const;

let dir: string;
let config: string;
let clock: ManualClock;
let node: Node;
let esc: EscalationService;
const privateKeys = new Map<string, string>();

async function open(): Promise<void> {
  node = await openNode(await loadNodeConfig(config), { clock });
  esc = await openEscalation(node);
}

async function reopen(): Promise<void> {
  await node.close();
  await open();
}

function release(at: number, agency: string, object: Partial<ObjectMeta> = {}): DecisionRequest {
  return {
    agency,
    purpose: 'incident-response',
    at,
    object: { type: 'indicator', tlp: 'amber', personalData: 'none', producer: 'ARV', ...object },
  };
}

function decide(req: DecisionRequest): Decision {
  const entry = [...node.agreements.values()][0];
  if (entry === undefined) throw new Error('no agreement');
  return entry.engine.decide(req, esc.decisionStateAt(req.at));
}

function approve(official: string, subject: EscalationEvent, kind: 'escalation' | 'waiver') {
  const key = privateKeys.get(official) ?? '';
  const action = kind === 'escalation' ? 'approve-escalation' : 'approve-waiver';
  return esc.record({
    type: 'approval',
    actor: official,
    official,
    subject: { kind, id: subject.id },
    signature: signApproval(key, esc.agreement, action, subject, official),
  });
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (isConcordatError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

async function escalationEntries(): Promise<number> {
  const size = await node.repositories.ledgerEntries.size(node.db);
  const rows = await node.repositories.ledgerEntries.range(node.db, 0, size);
  return rows.filter((r) => r.kind === ESCALATION_ENTRY_KIND).length;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'concordat-escalation-'));
  const made = await initNode({ dir: join(dir, 'node'), party: 'ARV', agreements: [EXAMPLE] });
  config = made.config;
  mkdirSync(join(dir, 'node', 'officials'));
  for (const o of OFFICIALS) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    privateKeys.set(o, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    writeFileSync(
      join(dir, 'node', 'officials', `${o}.pub.pem`),
      publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    );
  }
  // The example pins no official keys: the node config names a directory of them.
  const text = readFileSync(config, 'utf8').replace(
    /( {2}- file: .*northsea-compact\.yaml.*\n)/,
    '$1    official_keys: officials\n',
  );
  expect(text).toContain('official_keys: officials');
  writeFileSync(config, text);
  clock = manualClock(T0);
  await open();
});

afterEach(async () => {
  await node.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('escalation service', () => {
  it('raises the level after two approvals from distinct parties, and the engine follows', async () => {
    // Personal data to the CERTs needs level severe (op-personal-severe).
    const personal = { type: 'email-addr', personalData: 'pseudonymous', confidence: 80 } as const;
    expect(decide(release(T0, 'BOR-CERT', personal))).toMatchObject({ effect: 'deny' });

    await esc.record({
      type: 'intel-quality-observed',
      actor: 'ARV',
      grade: 'B2',
      objectRef: 'sha256:aa',
    });
    clock.advance(HOUR);
    const risen = await esc.record({
      type: 'risk-rating-published',
      actor: 'ARV-LIAISON',
      party: 'ARV',
      rating: 4,
      setBy: 'ARV-LIAISON',
      reason: 'ransomware against hospitals',
    });
    // The node proposed on its own, at the same instant.
    const proposal = risen.written.find((w) => w.event.type === 'escalation-proposed')?.event;
    expect(proposal).toMatchObject({ trigger: 'risk-high', toLevel: 'severe', actor: 'ARV' });
    if (proposal === undefined) throw new Error('no proposal');
    expect(esc.evaluate()[0]).toMatchObject({ pending: { id: proposal.id, validApprovals: 0 } });

    clock.advance(HOUR);
    await approve('ARV-LIAISON', proposal, 'escalation');
    // One approval is not a quorum of two parties.
    expect(esc.stateAt().current.level.id).toBe('baseline');
    clock.advance(HOUR);
    const second = await approve('CAL-LIAISON', proposal, 'escalation');
    const raisedAt = T0 + 3 * HOUR;
    expect(second.written.map((w) => w.event.type)).toStrictEqual(['approval', 'level-raised']);
    expect(esc.stateAt().current.level).toMatchObject({ id: 'severe', since: raisedAt });

    const allowed = decide(release(raisedAt, 'BOR-CERT', personal));
    expect(allowed).toMatchObject({ effect: 'allow', allowedBy: [{ id: 'op-personal-severe' }] });
    // The past is the past: an hour before the raise, the same release was denied.
    expect(decide(release(raisedAt - 1, 'BOR-CERT', personal))).toMatchObject({ effect: 'deny' });

    // Sunset after max_duration P14D, exactly; the receipt is written with the next event.
    const sunset = raisedAt + 14 * DAY;
    expect(esc.decisionStateAt(sunset - 1).level).toBe('severe');
    expect(esc.decisionStateAt(sunset).level).toBe('baseline');
    clock.set(sunset + DAY);
    const later = await esc.record({
      type: 'risk-rating-published',
      actor: 'ARV',
      party: 'ARV',
      rating: 1,
      setBy: 'ARV-LIAISON',
      reason: 'contained',
    });
    expect(later.written[0]?.event).toMatchObject({
      type: 'level-lowered',
      reason: 'sunset',
      at: sunset,
    });
    expect(later.state.anomalies).toStrictEqual([]);
    expect(esc.levelHistory().map((t) => [t.kind, t.reason, t.at])).toStrictEqual([
      ['raised', 'approved', raisedAt],
      ['lowered', 'sunset', sunset],
    ]);

    // Restart: the same state, replayed from the ledger; the ledger verifies.
    const before = esc.stateAt();
    await reopen();
    expect(esc.stateAt()).toStrictEqual(before);
    expect(await node.ledger.verify()).toMatchObject({ ok: true });
  });

  it('refuses what the fold would reject and writes nothing', async () => {
    const n = await escalationEntries();
    expect(
      await refusal(
        esc.record({
          type: 'risk-rating-published',
          actor: 'BOR-LIAISON',
          party: 'ARV',
          rating: 5,
          setBy: 'BOR-LIAISON',
          reason: 'x',
        }),
      ),
    ).toMatchObject({
      code: 'ERR_ESCALATION_REFUSED',
      message: expect.stringContaining('does not speak for party `ARV`') as unknown,
    });
    const invalid = await refusal(
      esc.record({
        type: 'risk-rating-published',
        actor: 'ARV',
        party: 'ARV',
        rating: 9,
        setBy: '',
        reason: 'r'.repeat(401),
      }),
    );
    // Every problem, not the first.
    expect(invalid.code).toBe('ERR_ESCALATION_EVENT_INVALID');
    expect(invalid.message).toContain('`rating` must be an integer 0–5');
    expect(invalid.message).toContain('`setBy` must be a non-empty string');
    expect(invalid.message).toContain('`reason` is longer than 400 characters');
    expect(await escalationEntries()).toBe(n);
  });

  it('refuses a waiver that would override a constraint, naming each clause with its location', async () => {
    const r = await refusal(
      esc.record({
        type: 'waiver-requested',
        actor: 'ARV-LIAISON',
        justification: 'hospital outbreak',
        scope: {
          agencies: ['BOR-CERT'],
          grants: {
            types: ['threat-actor'],
            tlp: ['amber'],
            purposes: ['attribution'],
            personalData: ['none'],
          },
        },
        duration: 'PT48H',
        retention: 'P7D',
      }),
    );
    expect(r.code).toBe('ERR_ESCALATION_REFUSED');
    expect(r.message).toMatch(
      /constraint `bor-no-attribution-inbound` \(.*northsea-compact\.yaml:\d+:\d+\)/,
    );
    expect(await escalationEntries()).toBe(0);
  });

  it('waiver: approved by quorum, active until exactly its expiry, then a review falls due', async () => {
    const scope = {
      agencies: ['BOR-FININT'],
      grants: {
        types: ['indicator'],
        tlp: ['amber' as const],
        purposes: ['incident-response'],
        personalData: ['none' as const],
      },
    };
    const req = (
      await esc.record({
        type: 'waiver-requested',
        actor: 'ARV-LIAISON',
        justification: 'hospital outbreak',
        scope,
        duration: 'PT48H',
        retention: 'P7D',
      })
    ).event;
    await approve('ARV-LIAISON', req, 'waiver');
    clock.advance(HOUR);
    const done = await approve('BOR-LIAISON', req, 'waiver');
    const from = T0 + HOUR;
    const expires = from + 48 * HOUR;
    expect(done.written.map((w) => w.event)).toMatchObject([
      { type: 'approval' },
      { type: 'waiver-approved', waiver: req.id, at: from, expires },
    ]);
    expect(decide(release(expires - 1, 'BOR-FININT'))).toMatchObject({
      effect: 'allow',
      byWaiver: true,
    });
    expect(decide(release(expires, 'BOR-FININT'))).toMatchObject({ effect: 'deny' });
    expect(esc.stateAt(expires + 14 * DAY).current.findings).toStrictEqual([
      { kind: 'review-overdue', waiver: req.id, due: expires + 14 * DAY },
    ]);
  });

  it('pause stops releases from its instant; only the pausing party resumes', async () => {
    expect(decide(release(T0, 'BOR-CERT'))).toMatchObject({ effect: 'allow' });
    clock.advance(HOUR);
    const pause = (
      await esc.record({
        type: 'pause',
        actor: 'ARV',
        party: 'ARV',
        scope: { toParties: ['BOR'] },
        reason: 'dispute over onward sharing',
        dispute: { subject: 'onward sharing to a third state' },
      })
    ).event;
    const P = T0 + HOUR;
    expect(decide(release(P - 1, 'BOR-CERT'))).toMatchObject({ effect: 'allow' });
    expect(decide(release(P, 'BOR-CERT'))).toMatchObject({ effect: 'deny', stage: 'pause' });
    expect(decide(release(P, 'CAL-CSIRT'))).toMatchObject({ effect: 'allow' });
    expect(esc.stateAt().disputes).toMatchObject([{ id: pause.id, stage: 'consultation' }]);
    const wrong = await refusal(
      esc.record({ type: 'resume', actor: 'BOR', party: 'BOR', pause: pause.id }),
    );
    expect(wrong.message).toContain(`pause \`${pause.id}\` belongs to party \`ARV\``);
    clock.advance(HOUR);
    await esc.record({ type: 'resume', actor: 'ARV-LIAISON', party: 'ARV', pause: pause.id });
    expect(decide(release(P + HOUR, 'BOR-CERT'))).toMatchObject({ effect: 'allow' });
    await reopen();
    expect(decide(release(P + HOUR - 1, 'BOR-CERT'))).toMatchObject({ effect: 'deny' });
    expect(decide(release(P + HOUR, 'BOR-CERT'))).toMatchObject({ effect: 'allow' });
  });

  it('sees events another service appended, and takes the ledger order when writes interleave', async () => {
    const other = await openEscalation(node);
    const pause = (
      await other.record({
        type: 'pause',
        actor: 'ARV',
        party: 'ARV',
        scope: {},
        reason: 'audit',
      })
    ).event;
    // `esc` opened before the pause; it catches up before recording, so the resume is valid.
    clock.advance(HOUR);
    await esc.record({ type: 'resume', actor: 'ARV', party: 'ARV', pause: pause.id });
    expect(esc.stateAt().pauses).toMatchObject([{ id: pause.id, resumedAt: T0 + HOUR }]);

    // A writer whose append lets `other` slip an event in first.
    const entry = node.agreements.get('northsea-cti-compact');
    if (entry === undefined) throw new Error('no agreement');
    let slipped = false;
    const racing = await EscalationService.open({
      db: node.db,
      clock,
      agreement: entry.agreement,
      agreementFile: entry.file,
      party: 'ARV',
      keys: await loadOfficialKeys(join(dir, 'node', 'officials')),
      ledger: {
        append: async (kind, body) => {
          if (!slipped) {
            slipped = true;
            await other.record({
              type: 'risk-rating-published',
              actor: 'BOR',
              party: 'BOR',
              rating: 2,
              setBy: 'BOR',
              reason: 'raised watch',
            });
          }
          return node.ledger.append(kind, body);
        },
      },
    });
    clock.advance(HOUR);
    const mine = await racing.record({
      type: 'risk-rating-published',
      actor: 'CAL',
      party: 'CAL',
      rating: 1,
      setBy: 'CAL',
      reason: 'routine',
    });
    expect(slipped).toBe(true);
    expect(mine.state.inputs.ratings.map((r) => r.party)).toStrictEqual(['BOR', 'CAL']);
    // Every service, and a fresh replay, agree on the ledger's order.
    const fresh = await openEscalation(node);
    expect(racing.events.map((e) => e.id)).toStrictEqual(fresh.events.map((e) => e.id));
    expect(racing.stateAt()).toStrictEqual(fresh.stateAt());
  });

  it("reads officials' keys from a json map, and says what is wrong with a bad one", async () => {
    const pem = readFileSync(join(dir, 'node', 'officials', 'ARV-LIAISON.pub.pem'), 'utf8');
    const map = join(dir, 'keys.json');
    writeFileSync(map, JSON.stringify({ 'ARV-LIAISON': pem, 'BOR-LIAISON': [pem, pem] }));
    expect(await loadOfficialKeys(map)).toStrictEqual({
      'ARV-LIAISON': [pem],
      'BOR-LIAISON': [pem, pem],
    });
    writeFileSync(map, JSON.stringify({ 'ARV-LIAISON': 7 }));
    await expect(loadOfficialKeys(map)).rejects.toMatchObject({ code: 'ERR_KEY_INVALID' });
    await expect(loadOfficialKeys(join(dir, 'missing'))).rejects.toMatchObject({
      code: 'ERR_INPUT_UNREADABLE',
    });
  });
});
