/**
 * The scripted story the demo plays on three live nodes (seed: sovereign partners, modular
 * agreement, escalation on objective triggers with approvals, bounded waivers with post-hoc
 * review, unilateral pauses during disputes, retention by crypto-shredding, verifiable
 * ledgers). Every step acts through the real node APIs — ingest, the escalation services, the
 * TAXII servers, `shredDue`, ledger verification — at an instant of the scripted clock, and
 * reports what it observed (see `steps.ts`), never what it expected.
 */
import { formatInstant } from '../core/index.js';
import type { DemoCluster } from './cluster.js';
import type { CrossBorder } from './bearer-pull.js';
import type { DemoClock } from './demo-clock.js';
import { Governance } from './governance.js';
import { views } from './node-views.js';
import { feedRounds, ROUND_SHAPE, WAIVER_ROUND_SHAPE } from './rounds.js';
import { pairKey } from './steps.js';
import type { DemoStep, DemoStepId, ReceiptView, ShredView } from './steps.js';
import type { FederatedCrossBorder } from './mtls-pull.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function isFederated(c: CrossBorder): c is FederatedCrossBorder {
  return c.transport === 'taxii-mtls' && 'reconcile' in c;
}

/** What the timeline needs. */
export interface TimelineOptions {
  readonly cluster: DemoCluster;
  readonly clock: DemoClock;
  readonly crossBorder: CrossBorder;
  readonly seed: string;
  /** Called with each step as soon as it is complete. */
  readonly onStep: (step: DemoStep) => void | Promise<void>;
  /** Awaited between steps (the human pace of `npm start`; nothing in tests). */
  readonly pause?: () => Promise<void>;
}

/**
 * Plays the timeline on a started cluster. Returns the steps; the cluster stays up (the
 * caller closes it).
 */
export async function playTimeline(options: TimelineOptions): Promise<DemoStep[]> {
  const { cluster, clock, crossBorder, seed } = options;
  const gov = await Governance.open(cluster);
  const steps: DemoStep[] = [];
  const start = clock.now();
  const at = (offset: number): void => clock.advanceTo(start + offset);

  const round = feedRounds(cluster, clock, crossBorder, seed);

  const emit = async (
    id: DemoStepId,
    title: string,
    story: readonly string[],
    extra: Partial<Omit<DemoStep, 'n' | 'id' | 'title' | 'story' | 'at' | 'levels'>> = {},
  ): Promise<void> => {
    const step: DemoStep = {
      n: steps.length + 1,
      id,
      title,
      at: formatInstant(clock.now()),
      story,
      levels: Object.fromEntries(gov.levels()),
      ...extra,
    };
    steps.push(step);
    await options.onStep(step);
    await options.pause?.();
  };

  // 1. Three sovereign nodes.
  await emit(
    'nodes-up',
    'Three sovereign nodes are up',
    [
      `Arvenia, Borealia and Caldera each run their own node (SQLite, their own keys) under ${cluster.dir}.`,
      `All three take part in \`${cluster.agreementId}\`: core protections and two extensions (ARV+BOR attribution, BOR+CAL fraud).`,
      `Across the border: ${crossBorder.description}.`,
    ],
    { nodes: views(cluster), facts: { transport: crossBorder.transport } },
  );

  // 2. Baseline sharing.
  at(10 * MINUTE);
  const base = await round(ROUND_SHAPE);
  await emit(
    'baseline-flow',
    'Baseline: indicators and malware flow, incidents stay home',
    [
      'Each national CERT publishes a batch (indicators, malware, incidents, a threat actor, one TLP:RED indicator).',
      'At level baseline the operational tier releases indicators and malware; incidents need level elevated.',
      'TLP:RED never leaves its producer (core never-release); threat actors reach only ARV↔BOR (attribution-cell extension).',
    ],
    base,
  );

  // 3. Risk rises; two parties' officials approve; the level is raised.
  at(1 * HOUR);
  await gov.everywhere(() => ({
    type: 'intel-quality-observed',
    actor: 'ARV-LIAISON',
    grade: 'B2',
    objectRef: `sha256:${'ab'.repeat(32)}`,
  }));
  const risen = await gov.everywhere(() => ({
    type: 'risk-rating-published',
    actor: 'ARV-LIAISON',
    party: 'ARV',
    rating: 4,
    setBy: 'ARV-LIAISON',
    reason: 'ransomware campaign against Arvenian hospitals',
  }));
  const proposals = Governance.idsOf(risen, 'escalation-proposed');
  at(2 * HOUR);
  await gov.approve('ARV-LIAISON', 'escalation', proposals);
  at(3 * HOUR);
  await gov.approve('BOR-LIAISON', 'escalation', proposals);
  at(3 * HOUR + 10 * MINUTE);
  const severe = await round(ROUND_SHAPE);
  await emit(
    'risk-rises',
    'Risk rises: two officials approve, the level goes to severe',
    [
      'Arvenia grades the intel B2 and publishes national risk rating 4 (`concordat risk set ARV 4`).',
      'Trigger `risk-high` holds: each node proposes raising to severe (quorum 2, distinct parties).',
      'ARV-LIAISON and BOR-LIAISON sign their approvals; the level is severe for at most 14 days.',
      'Incidents now flow between the CERTs (rule `op-incidents-elevated`).',
    ],
    { ...severe, facts: { proposalAtArv: proposals.get('ARV') ?? '' } },
  );

  // 4. A waiver during the severe incident.
  at(4 * HOUR);
  const requested = await gov.everywhere(() => ({
    type: 'waiver-requested',
    actor: 'CAL',
    justification: 'phishing wave against the three national health services, case CAL-2026-031',
    scope: Governance.waiverScope(['ARV-CERT', 'BOR-CERT', 'CAL-CSIRT'], ['url']),
    duration: 'PT48H',
    retention: 'P7D',
  }));
  const waivers = Governance.idsOf(requested, 'waiver-requested');
  at(4 * HOUR + 20 * MINUTE);
  await gov.approve('CAL-LIAISON', 'waiver', waivers);
  at(4 * HOUR + 30 * MINUTE);
  const granted = await gov.approve('ARV-LIAISON', 'waiver', waivers);
  const grantedAt = clock.now();
  const waiverAtArv = granted.get('ARV')?.state.waivers.find((w) => w.id === waivers.get('ARV'));
  const expires = waiverAtArv?.expires ?? grantedAt + 48 * HOUR;
  at(5 * HOUR);
  const waived = await round(WAIVER_ROUND_SHAPE);
  await emit(
    'waiver-granted',
    'A bounded waiver during the severe incident',
    [
      'Caldera requests a 48-hour waiver: phishing URLs to the three CERTs, retention 7 days.',
      'It is checked against every constraint and never-release rule, then approved by CAL-LIAISON and ARV-LIAISON.',
      `URL observables now flow; the waiver expires at ${formatInstant(expires)} by itself.`,
    ],
    {
      ...waived,
      facts: { waiverAtArv: waivers.get('ARV') ?? '', expires: formatInstant(expires) },
    },
  );

  // 5. The waiver expires on time; its post-incident review is due.
  clock.advanceTo(expires + 90 * MINUTE);
  const expired = await round(WAIVER_ROUND_SHAPE);
  const review = gov
    .service('ARV')
    .stateAt()
    .current.reviews.find((r) => r.waiver === waivers.get('ARV'));
  await emit(
    'waiver-expired',
    'The waiver expired on time; its post-incident review opens',
    [
      `At ${formatInstant(expires)} the waiver ended: nobody had to remember to revoke it.`,
      'New URL observables are withheld again; everything else flows as at severe.',
      review === undefined
        ? 'No post-incident review is open (unexpected).'
        : `Post-incident review opened at ${formatInstant(review.opened)}, due ${formatInstant(review.due)} (agreement: within 14 days).`,
    ],
    {
      ...expired,
      facts: {
        reviewOpen: review !== undefined && review.filedAt === undefined,
        ...(review === undefined ? {} : { reviewDue: formatInstant(review.due) }),
      },
    },
  );

  // 6. Borealia pauses its sharing during a dispute.
  at(3 * DAY);
  const paused = await gov.everywhere(() => ({
    type: 'pause',
    actor: 'BOR-LIAISON',
    party: 'BOR',
    scope: {},
    reason: 'dispute over onward sharing of Borealian indicators',
    dispute: { subject: 'onward sharing of Borealian indicators' },
  }));
  const pauses = Governance.idsOf(paused, 'pause');
  at(3 * DAY + HOUR);
  const stopped = await round(ROUND_SHAPE);
  await emit(
    'pause',
    'Borealia pauses all its sharing during a dispute',
    [
      'BOR-LIAISON pauses every Borealian release at once and opens a dispute (consultation stage).',
      'Borealia publishes as usual, but nothing leaves Borealia; Arvenia and Caldera keep sharing.',
    ],
    { ...stopped, facts: { pauseAtBor: pauses.get('BOR') ?? '' } },
  );

  // 7. …and resumes.
  at(5 * DAY);
  await gov.everywhere((p) => ({
    type: 'resume',
    actor: 'BOR-LIAISON',
    party: 'BOR',
    pause: pauses.get(p) ?? '',
  }));
  at(5 * DAY + HOUR);
  const resumed = await round(ROUND_SHAPE);
  await emit(
    'resume',
    'Borealia resumes: the flow picks up where it stopped',
    [
      'BOR-LIAISON resumes sharing after consultation.',
      'Partners pull from where they left off: what Borealia published during the pause flows now, decided now.',
    ],
    resumed,
  );

  // 8. Risk falls; hysteresis lowers the level.
  at(5 * DAY + 2 * HOUR);
  await gov.everywhere(() => ({
    type: 'risk-rating-published',
    actor: 'ARV-LIAISON',
    party: 'ARV',
    rating: 2,
    setBy: 'ARV-LIAISON',
    reason: 'campaign contained',
  }));
  at(8 * DAY + 3 * HOUR);
  const lowered = await round(ROUND_SHAPE);
  await emit(
    'de-escalation',
    'Risk falls: after a 3-day hold the level returns to baseline',
    [
      'Arvenia lowers its rating to 2; every party is below 3.',
      'Trigger `risk-high` lowers after the condition held for 3 days (hysteresis): back to baseline.',
      'Incidents are withheld again; indicators and malware keep flowing.',
    ],
    lowered,
  );

  // 9. Retention: crypto-shredding on consumers, then on producers.
  const shredAll = async (): Promise<Record<string, ShredView>> => {
    const out: Record<string, ShredView> = {};
    for (const n of cluster.nodes) {
      const r = await n.node.shredDue();
      let own = 0;
      let partners = 0;
      for (const e of r.events)
        if (e.producer === n.nation.party) own += e.objectCount;
        else partners += e.objectCount;
      out[n.nation.party] = { own, partners };
    }
    return out;
  };
  at(40 * DAY);
  const first = await shredAll();
  at(140 * DAY);
  const second = await shredAll();
  const shredded: Record<string, ShredView> = {};
  for (const n of cluster.nodes) {
    const p = n.nation.party;
    shredded[p] = {
      own: (first[p]?.own ?? 0) + (second[p]?.own ?? 0),
      partners: (first[p]?.partners ?? 0) + (second[p]?.partners ?? 0),
    };
  }
  const partnersFirst = Object.values(first).reduce((s, v) => s + v.partners, 0);
  await emit(
    'retention',
    'Retention expires: data keys are destroyed on consumers and producers',
    [
      `Day 40: consumers crypto-shred what partners released for 30 days (incidents) and 7 days (waiver URLs): ${partnersFirst} object versions.`,
      'Day 140: indicators (90 days at the consumer) and each producer’s own feed (node retention 120 days) are shredded too.',
      'A shredded object cannot be decrypted by anyone: its data key no longer exists; the ledger records each shred.',
    ],
    { shredded, facts: { day40Partners: partnersFirst } },
  );

  // 10. Every ledger verifies.
  const ledgers: Record<string, { ok: boolean; entries: number; checkpoints: number }> = {};
  for (const n of cluster.nodes) {
    const v = await n.node.ledger.verify();
    ledgers[n.nation.party] = {
      ok: v.ok,
      entries: v.ok ? v.size : v.verified,
      checkpoints: v.ok ? v.checkpoints : 0,
    };
  }
  await emit(
    'ledgers',
    'Every decision is on a verifiable ledger',
    [
      'Each node’s ledger holds every ingest, release decision, governance event and shred, under signed checkpoints.',
      'An oversight body verifies it from checkpoints and hashes alone, never the intel.',
    ],
    { ledgers },
  );

  // 11. Receipts: what each consumer signed for, reconciled from ledgers alone.
  if (isFederated(crossBorder)) {
    const receipts: Record<string, ReceiptView> = {};
    let agree = true;
    for (const producer of cluster.nodes)
      for (const consumer of cluster.nodes) {
        if (producer === consumer) continue;
        const count = await crossBorder.receipts(consumer, producer);
        if (!crossBorder.receiptsServed) {
          receipts[pairKey(producer.nation.party, consumer.nation.party)] = { receipts: count };
          continue;
        }
        const r = await crossBorder.reconcile(producer, consumer);
        agree &&= r.reconciled;
        receipts[pairKey(producer.nation.party, consumer.nation.party)] = {
          receipts: count,
          reconciled: r.reconciled,
          released: r.released,
          received: r.received,
          missing: r.missing.length,
          extra: r.extra.length,
          mismatched: r.mismatched.length,
        };
      }
    await emit(
      'receipts',
      !crossBorder.receiptsServed
        ? 'Every transfer has a signed receipt on the consumer’s ledger'
        : agree
          ? 'Signed receipts reconcile, pair by pair'
          : 'Signed receipts, checked pair by pair: differences found',
      crossBorder.receiptsServed
        ? [
            'For every page pulled the consumer signed a receipt (object hashes, agreement version, purpose, time) and ledgered it; the producer acknowledged it on its own ledger.',
            `Each producer checked what it ledgered as released against the receipts its partner proved from its checkpoints: ${agree ? 'everything reconciles' : 'differences found (listed per pair: missing, extra, mismatched)'}.`,
          ]
        : [
            'For every page pulled the consumer signed a receipt (object hashes, agreement version, purpose, time) and ledgered it.',
            'Delivering receipts to producers and reconciling pairs needs the federation REST endpoints on the mutual-TLS listeners, which this build does not serve yet: not shown.',
          ],
      {
        receipts,
        facts: {
          receiptsServed: crossBorder.receiptsServed,
          ...(crossBorder.receiptsServed ? { reconciled: agree } : {}),
        },
      },
    );
  }

  // 12. Live: a fresh batch so real clients have something to read, and where to look.
  clock.advanceTo(clock.now() + HOUR);
  const live = await round(ROUND_SHAPE);
  await emit(
    'live',
    'Live: every TAXII endpoint stays up for real clients',
    [
      'Each nation published a fresh batch; partners pulled it.',
      'Point a TAXII 2.1 client at any discovery URL with the token shown, or paste a curl line.',
    ],
    { ...live, nodes: views(cluster) },
  );
  return steps;
}
