/**
 * The demo's officials at work: every agreement-wide event (an intel grade, a risk rating, a
 * signed approval, a waiver request, a pause and its resumption) is recorded by each node's
 * own escalation service, so each national ledger holds the same governance history and each
 * producer decides on it. Approvals are signed per node, because each node's proposal or
 * waiver request is its own ledgered event.
 */
import { signApproval } from '../escalation/index.js';
import type { EscalationEvent, WaiverScope } from '../escalation/index.js';
import { openEscalation } from '../node/index.js';
import type { EscalationInput, EscalationService, RecordResult } from '../node/index.js';
import type { DemoCluster } from './cluster.js';

/** One event recorded on every node: the event id on each node, by party. */
export type Recorded = ReadonlyMap<string, string>;

/** The escalation services of every node, and the officials' keys. */
export class Governance {
  readonly #cluster: DemoCluster;
  readonly #services: ReadonlyMap<string, EscalationService>;

  private constructor(cluster: DemoCluster, services: ReadonlyMap<string, EscalationService>) {
    this.#cluster = cluster;
    this.#services = services;
  }

  /** Opens the agreement's escalation service on every node. */
  static async open(cluster: DemoCluster): Promise<Governance> {
    const services = new Map<string, EscalationService>();
    for (const n of cluster.nodes)
      services.set(
        n.nation.party,
        await openEscalation(n.node, { agreement: cluster.agreementId }),
      );
    return new Governance(cluster, services);
  }

  /** The escalation service of `party`'s node. */
  service(party: string): EscalationService {
    const s = this.#services.get(party);
    if (s === undefined) throw new Error(`no demo node for party \`${party}\``);
    return s;
  }

  /** Records `input` on every node; returns each node's result, by party. */
  async everywhere(
    input: (party: string) => EscalationInput,
  ): Promise<ReadonlyMap<string, RecordResult>> {
    const out = new Map<string, RecordResult>();
    for (const [party, esc] of this.#services) out.set(party, await esc.record(input(party)));
    return out;
  }

  /** The id of the first written event of `type` on each node (e.g. the node's proposal). */
  static idsOf(
    results: ReadonlyMap<string, RecordResult>,
    type: EscalationEvent['type'],
  ): Recorded {
    const out = new Map<string, string>();
    for (const [party, r] of results) {
      const w = r.written.find((x) => x.event.type === type);
      if (w !== undefined) out.set(party, w.event.id);
    }
    return out;
  }

  /**
   * `official` signs and records an approval of the proposal or waiver request `subjects`
   * names on each node.
   */
  async approve(
    official: string,
    kind: 'escalation' | 'waiver',
    subjects: Recorded,
  ): Promise<ReadonlyMap<string, RecordResult>> {
    const key = this.#cluster.officialKeys.get(official);
    if (key === undefined) throw new Error(`no demo key for official \`${official}\``);
    const out = new Map<string, RecordResult>();
    for (const [party, esc] of this.#services) {
      const id = subjects.get(party);
      const subject = id === undefined ? undefined : esc.event(id);
      if (subject === undefined || id === undefined)
        throw new Error(`node \`${party}\` has no ${kind} subject to approve`);
      const action = kind === 'escalation' ? 'approve-escalation' : 'approve-waiver';
      const signature = signApproval(key, esc.agreement, action, subject, official);
      out.set(
        party,
        await esc.record({
          type: 'approval',
          actor: official,
          official,
          subject: { kind, id },
          signature,
        }),
      );
    }
    return out;
  }

  /** The level each node decides at now, by party. */
  levels(): ReadonlyMap<string, string> {
    return new Map([...this.#services].map(([p, esc]) => [p, esc.stateAt().current.level.id]));
  }

  /** A waiver request's scope, for {@link Governance.everywhere}. */
  static waiverScope(agencies: readonly string[], types: readonly string[]): WaiverScope {
    return {
      agencies,
      grants: {
        types,
        tlp: ['amber'],
        purposes: ['incident-response'],
        personalData: ['none'],
      },
    };
  }
}
