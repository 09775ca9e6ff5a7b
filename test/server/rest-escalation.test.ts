/**
 * Escalation over REST, as officials (issue 5, docs/escalation-api.md), on SQLite and
 * PostgreSQL, in process (`app.inject`) over a real node: ingested intel drives the automatic
 * inputs; a risk rating set by an official, then signed approvals by two parties' officials,
 * raise the level and the releases change; agency credentials, officials without the role and
 * officials the agreement does not name are refused; a waiver that would override a
 * constraint is refused with the clause, and nothing is written.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { ESCALATION_ROUTES } from '../../src/server/rest/escalation.js';
import { ledgerEntries } from '../../src/store/index.js';
import { describeDialects } from '../store/dialects.js';
import { indicator } from '../node/fixtures.js';
import { AGREEMENT, escalationServer } from './rest-escalation-harness.js';
import type { EscalationServer } from './rest-escalation-harness.js';

const BASE = `/api/v1/agreements/${AGREEMENT}`;
const TLP_AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const HOUR = 3_600_000;

let open: EscalationServer | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

function intrusions(n: number, confidence?: number): Record<string, unknown> {
  return {
    type: 'bundle',
    id: `bundle--${randomUUID()}`,
    objects: Array.from({ length: n }, (_, i) =>
      indicator({
        labels: ['rsit:intrusions="privileged-account-compromise"'],
        object_marking_refs: [TLP_AMBER],
        ...(i === 0 && confidence !== undefined ? { confidence } : {}),
      }),
    ),
  };
}

/** BOR-CERT's decision about one object now (its own releases only). */
async function decide(
  s: EscalationServer,
  object: Record<string, unknown>,
): Promise<'allow' | 'deny'> {
  const r = await s.call('POST', '/api/v1/decisions', s.tokens['BOR-CERT:r'] ?? '', {
    agreement: AGREEMENT,
    request: {
      agency: 'BOR-CERT',
      purpose: 'incident-response',
      at: new Date(s.f.clock.now()).toISOString(),
      object: { tlp: 'amber', personalData: 'none', producer: 'ARV', ...object },
    },
  });
  expect(r.status, r.text).toBe(200);
  return r.body.decision.effect;
}

const INCIDENT = { type: 'incident' };
const PERSONAL = { type: 'email-addr', personalData: 'pseudonymous', confidence: 80 };

describeDialects('rest escalation', (d) => {
  it('ingested intel → automatic signal raises elevated; risk set → two parties approve → severe; releases follow', async () => {
    const s = (open = await escalationServer(d));
    const liaison = s.tokens['ARV-LIAISON'] ?? '';
    expect(await decide(s, INCIDENT)).toBe('deny');

    // 25 intrusion indicators at TLP amber, one graded A1 (confidence 90), published over REST.
    const pub = await s.call(
      'POST',
      `/api/v1/bundles?agreement=${AGREEMENT}`,
      s.tokens['ARV-CERT:rw'] ?? '',
      intrusions(25, 90),
    );
    expect(pub.status, pub.text).toBe(200);
    s.f.clock.advance(60_000);

    const ev = await s.call('POST', `${BASE}/triggers/evaluate`, liaison);
    expect(ev.status, ev.text).toBe(200);
    expect(ev.body.automatic.incidents.counts).toEqual([
      { rsit: 'intrusions', tlp: 'amber', count: 25 },
    ]);
    expect(ev.body.automatic.quality.grades).toHaveLength(1);
    expect(ev.body.automatic.quality.grades[0].grade).toBe('A1');
    const types = ev.body.automatic.written.map((w: { type: string }) => w.type);
    expect(types).toEqual(['incident-signal', 'level-raised', 'intel-quality-observed']);
    expect(ev.body.level).toBe('elevated');
    const wave = ev.body.triggers.find((t: { trigger: string }) => t.trigger === 'intrusion-wave');
    expect(wave).toMatchObject({ holds: true, raisesTo: 'elevated' });
    expect(await decide(s, INCIDENT)).toBe('allow');

    // A second pass counts nothing twice: the window starts where the first ended.
    s.f.clock.advance(60_000);
    const again = await s.call('POST', `${BASE}/triggers/evaluate`, liaison);
    expect(again.status, again.text).toBe(200);
    expect(again.body.automatic.incidents.counts).toEqual([]);
    expect(again.body.automatic.written).toEqual([]);
    expect(again.body.automatic.incidents.from).toBe(ev.body.automatic.incidents.to);

    // The ARV liaison publishes ARV's rating: the node proposes risk-high at once.
    s.f.clock.advance(HOUR);
    const risk = await s.call('PUT', `${BASE}/risk`, liaison, {
      party: 'ARV',
      rating: 4,
      reason: 'ransomware against hospitals',
    });
    expect(risk.status, risk.text).toBe(200);
    expect(risk.body.written.map((w: { type: string }) => w.type)).toEqual([
      'risk-rating-published',
      'escalation-proposed',
    ]);
    const shown = await s.call('GET', `${BASE}/risk`, liaison);
    expect(shown.body.ratings[0]).toMatchObject({ party: 'ARV', rating: 4, setBy: 'ARV-LIAISON' });

    // Another party's rating is not ARV's to set.
    const foreign = await s.call('PUT', `${BASE}/risk`, liaison, {
      party: 'BOR',
      rating: 5,
      reason: 'not ours',
    });
    expect(foreign.status, foreign.text).toBe(403);

    const level = await s.call('GET', `${BASE}/level`, liaison);
    expect(level.status, level.text).toBe(200);
    const proposal = level.body.proposals.find((p: { status: string }) => p.status === 'pending');
    expect(proposal).toMatchObject({ trigger: 'risk-high', toLevel: 'severe' });
    const approve = (official: 'ARV-LIAISON' | 'BOR-LIAISON' | 'ARV-OBSERVER') =>
      s.call('POST', `${BASE}/approvals`, liaison, {
        subject: { kind: 'escalation', id: proposal.id },
        official,
        signature: s.signDigest(official, 'approve-escalation', proposal.digest),
      });

    // An official without the trigger's approval role: 403 naming the role; nothing written.
    const size = await ledgerEntries.size(s.f.node.db);
    const observer = await approve('ARV-OBSERVER');
    expect(observer.status, observer.text).toBe(403);
    expect(observer.body.error.code).toBe('ERR_FORBIDDEN');
    expect(observer.body.error.message).toContain('`approver`');
    expect(observer.body.error.details.missingRole).toEqual(['approver']);
    expect(await ledgerEntries.size(s.f.node.db)).toBe(size);

    // Two parties' officials sign; the second completes the quorum.
    s.f.clock.advance(HOUR);
    const first = await approve('ARV-LIAISON');
    expect(first.status, first.text).toBe(200);
    expect(first.body.subject).toMatchObject({ kind: 'proposal', status: 'pending' });
    expect(first.body.level.id).toBe('elevated');
    expect(await decide(s, PERSONAL)).toBe('deny');
    s.f.clock.advance(HOUR);
    const second = await approve('BOR-LIAISON');
    expect(second.status, second.text).toBe(200);
    expect(second.body.subject).toMatchObject({ kind: 'proposal', status: 'approved' });
    expect(second.body.level).toMatchObject({ id: 'severe' });
    expect(second.body.level.cause.approvals).toHaveLength(2);
    expect(second.body.written.map((w: { type: string }) => w.type)).toEqual([
      'approval',
      'level-raised',
    ]);
    expect(await decide(s, PERSONAL)).toBe('allow');

    // A signature that does not verify is refused, not counted.
    const forged = await s.call('POST', `${BASE}/approvals`, liaison, {
      subject: { kind: 'escalation', id: proposal.id },
      official: 'CAL-LIAISON',
      signature: s.signDigest('BOR-LIAISON', 'approve-escalation', proposal.digest),
    });
    expect(forged.status, forged.text).toBe(409);
    expect(forged.body.error.code).toBe('ERR_ESCALATION_REFUSED');

    const history = await s.call('GET', `${BASE}/level/history`, liaison);
    expect(history.status, history.text).toBe(200);
    expect(
      history.body.transitions.map((t: { kind: string; reason: string; to: string }) => [
        t.kind,
        t.reason,
        t.to,
      ]),
    ).toEqual([
      ['raised', 'automatic', 'elevated'],
      ['raised', 'approved', 'severe'],
    ]);

    // The past is replayed exactly: before the quorum, the level was elevated.
    const before = new Date(s.f.clock.now() - 30 * 60_000).toISOString();
    const past = await s.call('GET', `${BASE}/level?at=${encodeURIComponent(before)}`, liaison);
    expect(past.body.level.id).toBe('elevated');
  });

  it('agency credentials reach no escalation route; admin reads but does not write; an unnamed official is refused', async () => {
    const s = (open = await escalationServer(d));
    const routes: [string, string, unknown?][] = [
      ['GET', `${BASE}/risk`],
      ['PUT', `${BASE}/risk`, { party: 'ARV', rating: 1, reason: 'r' }],
      ['GET', `${BASE}/level`],
      ['GET', `${BASE}/level/history`],
      ['POST', `${BASE}/triggers/evaluate`],
      ['GET', `${BASE}/waivers`],
      [
        'POST',
        `${BASE}/waivers`,
        {
          justification: 'j',
          duration: 'PT24H',
          retention: 'P7D',
          scope: {
            agencies: ['BOR-CERT'],
            grants: {
              types: ['incident'],
              tlp: ['green'],
              purposes: ['incident-response'],
              personalData: ['none'],
            },
          },
        },
      ],
      ['POST', `${BASE}/waivers/w1/approve`, { signature: 'abc' }],
      ['POST', `${BASE}/waivers/w1/close`, { reason: 'r' }],
      ['POST', `${BASE}/waivers/w1/review`, { reportRef: 'sha256:ab' }],
      ['GET', `${BASE}/pauses`],
      ['POST', `${BASE}/pauses`, { scope: {}, reason: 'r' }],
      ['POST', `${BASE}/pauses/p1/resume`],
      [
        'POST',
        `${BASE}/approvals`,
        { subject: { kind: 'escalation', id: 'x' }, official: 'ARV-LIAISON', signature: 'abc' },
      ],
    ];
    // Every escalation route is in the list.
    expect(routes.length).toBe(ESCALATION_ROUTES.length);
    const size = await ledgerEntries.size(s.f.node.db);
    for (const [method, url, body] of routes)
      for (const agency of ['ARV-CERT:rw', 'BOR-CERT:r']) {
        const r = await s.call(method, url, s.tokens[agency] ?? '', body);
        expect(r.status, `${agency} ${method} ${url}: ${r.text}`).toBe(403);
        expect(r.body.error.code).toBe('ERR_FORBIDDEN');
      }
    // Refused before the body is read: an invalid body is still 403, not 400.
    const junk = await s.call('PUT', `${BASE}/risk`, s.tokens['ARV-CERT:rw'] ?? '', { x: 1 });
    expect(junk.status, junk.text).toBe(403);
    const official = await s.call('PUT', `${BASE}/risk`, s.tokens['ARV-LIAISON'] ?? '', { x: 1 });
    expect(official.status, official.text).toBe(400);
    for (const [method, url, body] of routes) {
      const r = await s.call(method, url, s.tokens['admin'] ?? '', body);
      const reads = method === 'GET' || url.endsWith('/triggers/evaluate');
      expect(r.status, `admin ${method} ${url}: ${r.text}`).toBe(reads ? 200 : 403);
    }
    // The admin's evaluation found nothing to record (nothing ingested).
    expect(await ledgerEntries.size(s.f.node.db)).toBe(size);

    // A token for an official the agreement does not (or no longer) name(s).
    const ghost = (await s.served.auth.issueOfficial({ official: 'ARV-GHOST' })).token;
    const r = await s.call('GET', `${BASE}/level`, ghost);
    expect(r.status, r.text).toBe(403);
    expect(r.body.error.message).toContain('names no official `ARV-GHOST`');
    // A token bound to another party's official (not issuable by the CLI) acts for nobody here.
    const foreign = (await s.served.auth.issueOfficial({ official: 'BOR-LIAISON' })).token;
    const asBor = await s.call('PUT', `${BASE}/risk`, foreign, {
      party: 'BOR',
      rating: 5,
      reason: 'r',
    });
    expect(asBor.status, asBor.text).toBe(403);
    expect(asBor.body.error.message).toContain('not this node’s party `ARV`');
    // An official's token lists the agreements that designate it — here the one — and no other
    // agreement version (it is not an agency's credential).
    const listed = await s.call('GET', '/api/v1/agreements', s.tokens['ARV-LIAISON'] ?? '');
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.agreements.map((a: { id: string }) => a.id)).toEqual([AGREEMENT]);
    // Bad input: a coded 4xx, nothing written.
    const liaison = s.tokens['ARV-LIAISON'] ?? '';
    const before = await ledgerEntries.size(s.f.node.db);
    const badAt = await s.call('GET', `${BASE}/level?at=yesterday`, liaison);
    expect([badAt.status, badAt.body.error.code]).toEqual([400, 'ERR_USAGE']);
    const badScope = await s.call('POST', `${BASE}/pauses`, liaison, {
      scope: { toParties: 'BOR' },
      reason: 'r',
    });
    expect([badScope.status, badScope.body.error.code]).toEqual([
      400,
      'ERR_ESCALATION_EVENT_INVALID',
    ]);
    const badRating = await s.call('PUT', `${BASE}/risk`, liaison, {
      party: 'ARV',
      rating: 9,
      reason: 'r',
    });
    expect([badRating.status, badRating.body.error.code]).toEqual([400, 'ERR_BODY_INVALID']);
    const noResume = await s.call('POST', `${BASE}/pauses/no-such/resume`, liaison);
    expect(noResume.status).toBe(404);
    const noProposal = await s.call('POST', `${BASE}/approvals`, liaison, {
      subject: { kind: 'escalation', id: 'no-such' },
      official: 'BOR-LIAISON',
      signature: 'abc',
    });
    expect(noProposal.status).toBe(404);
    expect(await ledgerEntries.size(s.f.node.db)).toBe(before);
    const unknown = await s.call(
      'GET',
      '/api/v1/agreements/no-such/level',
      s.tokens['ARV-LIAISON'] ?? '',
    );
    expect(unknown.status).toBe(404);
  });

  it('a waiver overriding a constraint is refused with the clause; a bounded one is approved by two parties and closed; a pause stops releases until resumed', async () => {
    const s = (open = await escalationServer(d));
    const liaison = s.tokens['ARV-LIAISON'] ?? '';
    const size = await ledgerEntries.size(s.f.node.db);
    const red = await s.call('POST', `${BASE}/waivers`, liaison, {
      justification: 'severe incident at a hospital',
      duration: 'PT48H',
      retention: 'P7D',
      scope: {
        agencies: ['BOR-CERT'],
        grants: {
          types: ['indicator'],
          tlp: ['red'],
          purposes: ['incident-response'],
          personalData: ['none'],
        },
      },
    });
    expect(red.status, red.text).toBe(409);
    expect(red.body.error.code).toBe('ERR_ESCALATION_REFUSED');
    expect(red.body.error.message).toContain('`core-no-red`');
    expect(red.body.error.message).toContain('constraint `cal-no-red`');
    expect(red.body.error.details.reasons).toHaveLength(2);
    expect(await ledgerEntries.size(s.f.node.db)).toBe(size);

    // A bounded waiver: incidents to BOR-CERT at baseline (denied without it).
    expect(await decide(s, INCIDENT)).toBe('deny');
    const asked = await s.call('POST', `${BASE}/waivers`, s.tokens['ARV-OBSERVER'] ?? '', {
      justification: 'severe incident at a hospital',
      duration: 'PT48H',
      retention: 'P7D',
      scope: {
        agencies: ['BOR-CERT'],
        grants: {
          types: ['incident'],
          tlp: ['amber'],
          purposes: ['incident-response'],
          personalData: ['none'],
        },
      },
    });
    expect(asked.status, asked.text).toBe(201);
    expect(asked.body.subject).toMatchObject({ kind: 'waiver', status: 'pending' });
    const wid = asked.body.event.id as string;
    const digest = asked.body.subject.digest as string;

    // ARV-OBSERVER may request but not approve (the waiver policy names `approver`).
    const self = await s.call(
      'POST',
      `${BASE}/waivers/${wid}/approve`,
      s.tokens['ARV-OBSERVER'] ?? '',
      {
        signature: s.signDigest('ARV-OBSERVER', 'approve-waiver', digest),
      },
    );
    expect(self.status, self.text).toBe(403);
    expect(self.body.error.message).toContain('`approver`');

    const mine = await s.call('POST', `${BASE}/waivers/${wid}/approve`, liaison, {
      signature: s.signDigest('ARV-LIAISON', 'approve-waiver', digest),
    });
    expect(mine.status, mine.text).toBe(200);
    const theirs = await s.call('POST', `${BASE}/waivers/${wid}/approve`, liaison, {
      official: 'CAL-LIAISON',
      signature: s.signDigest('CAL-LIAISON', 'approve-waiver', digest),
    });
    expect(theirs.status, theirs.text).toBe(200);
    expect(theirs.body.subject).toMatchObject({ kind: 'waiver', status: 'active' });
    s.f.clock.advance(60_000);
    expect(await decide(s, INCIDENT)).toBe('allow');
    const listed = await s.call('GET', `${BASE}/waivers`, liaison);
    expect(
      listed.body.waivers.map((w: { id: string; status: string }) => [w.id, w.status]),
    ).toEqual([[wid, 'active']]);

    // ARV pauses all its sharing at once; only a resume brings it back.
    const paused = await s.call('POST', `${BASE}/pauses`, liaison, {
      scope: {},
      reason: 'legal dispute over onward sharing',
    });
    expect(paused.status, paused.text).toBe(201);
    expect(paused.body.subject).toMatchObject({ kind: 'pause', party: 'ARV' });
    s.f.clock.advance(60_000);
    expect(await decide(s, INCIDENT)).toBe('deny');
    const pid = paused.body.event.id as string;
    const inForce = await s.call('GET', `${BASE}/pauses`, liaison);
    expect(inForce.status, inForce.text).toBe(200);
    expect(inForce.body).toMatchObject({
      pauses: [
        { id: pid, party: 'ARV', reason: 'legal dispute over onward sharing', inForce: true },
      ],
      sanctions: [],
    });
    const resumed = await s.call('POST', `${BASE}/pauses/${pid}/resume`, liaison);
    expect(resumed.status, resumed.text).toBe(200);
    expect(resumed.body.subject.resumedAt).toBeDefined();
    s.f.clock.advance(60_000);
    expect(await decide(s, INCIDENT)).toBe('allow');
    const afterResume = await s.call('GET', `${BASE}/pauses`, liaison);
    expect(afterResume.body.pauses).toMatchObject([{ id: pid, inForce: false }]);
    expect(afterResume.body.pauses[0].resumedAt).toBeDefined();

    // Closing needs the approving role; the liaison holds it.
    const denied = await s.call(
      'POST',
      `${BASE}/waivers/${wid}/close`,
      s.tokens['ARV-OBSERVER'] ?? '',
      {
        reason: 'incident contained',
      },
    );
    expect(denied.status, denied.text).toBe(403);
    const closed = await s.call('POST', `${BASE}/waivers/${wid}/close`, liaison, {
      reason: 'incident contained',
    });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body.subject.status).toBe('ended');
    s.f.clock.advance(60_000);
    expect(await decide(s, INCIDENT)).toBe('deny');

    // Its post-incident review falls due 14 days after it ended; overdue is a finding.
    const ended = await s.call('GET', `${BASE}/waivers`, liaison);
    expect(ended.body.waivers[0].review).toMatchObject({ overdue: false });
    expect(ended.body.findings).toEqual([]);
    s.f.clock.advance(15 * 24 * HOUR);
    const overdue = await s.call('GET', `${BASE}/waivers`, liaison);
    expect(overdue.body.findings).toEqual([
      { kind: 'review-overdue', waiver: wid, due: ended.body.waivers[0].review.due },
    ]);
    expect(overdue.body.waivers[0].review).toMatchObject({ overdue: true });
    const filed = await s.call('POST', `${BASE}/waivers/${wid}/review`, liaison, {
      reportRef: 'sha256:0f',
    });
    expect(filed.status, filed.text).toBe(200);
    const late = await s.call('GET', `${BASE}/waivers`, liaison);
    expect(late.body.findings).toMatchObject([{ kind: 'review-filed-late', waiver: wid }]);
    expect(late.body.waivers[0].review).toMatchObject({ reportRef: 'sha256:0f' });
    const twice = await s.call('POST', `${BASE}/waivers/${wid}/review`, liaison, {
      reportRef: 'sha256:10',
    });
    expect(twice.status, twice.text).toBe(409);

    const missing = await s.call('POST', `${BASE}/waivers/no-such/close`, liaison, { reason: 'x' });
    expect(missing.status).toBe(404);
  });
});
