/**
 * One round of the demo's traffic: every producer publishes a batch of its national feed, then
 * every node pulls from the other two through the cross-border transport, and what each
 * consumer newly holds is read back from its store (metadata only, never content) and
 * attributed to the party that published it — whatever path it took.
 */
import type { Clock } from '../core/index.js';
import { objects } from '../store/index.js';
import type { CrossBorder } from './bearer-pull.js';
import type { DemoCluster, DemoNode } from './cluster.js';
import { feedBundle } from './feed.js';
import type { BatchShape } from './feed.js';
import { pairKey } from './steps.js';

const MINUTE = 60_000;

/** A batch of each national feed: what every producer publishes per round. */
export const ROUND_SHAPE: BatchShape = Object.freeze({
  indicators: 6,
  malware: 1,
  incidents: 2,
  threatActors: 1,
  urls: 0,
  red: 1,
});
/** The round during the waiver adds URL observables (no tier releases them; the waiver does). */
export const WAIVER_ROUND_SHAPE: BatchShape = Object.freeze({ ...ROUND_SHAPE, urls: 3 });

/** What one round observed. */
export interface RoundResult {
  /** Objects of each producing nation a consumer newly holds, by `PRODUCER→CONSUMER`. */
  readonly flows: Record<string, number>;
  /** What each pull stored, by `NODE PULLED→CONSUMER`. */
  readonly transfers: Record<string, number>;
  /** Objects a consumer received from a node that did not produce them, by consumer. */
  readonly onward: Record<string, number>;
  /** Objects each producer added to its own feed, by party. */
  readonly published: Record<string, number>;
}

/** Every object version a node holds from other producers (metadata only, never content). */
async function partnerObjects(
  n: DemoNode,
  at: number,
): Promise<{ readonly id: string; readonly producer: string }[]> {
  const out: { id: string; producer: string }[] = [];
  let after: Parameters<typeof objects.manifest>[1]['after'];
  for (;;) {
    const page = await objects.manifest(n.node.db, {
      visibleAtMs: at,
      limit: 1000,
      ...(after === undefined ? {} : { after }),
    });
    for (const m of page.items)
      if (m.producer !== n.nation.party) out.push({ id: m.id, producer: m.producer });
    if (page.next === undefined) return out;
    after = page.next;
  }
}

/**
 * The rounds of one demo run: numbered batches from `seed`, published at the clock's instant;
 * the clock moves one minute between publishing and pulling.
 */
export function feedRounds(
  cluster: DemoCluster,
  clock: Clock & { advanceTo(instant: number): void },
  crossBorder: CrossBorder,
  seed: string,
): (shape: BatchShape) => Promise<RoundResult> {
  let batch = 0;
  // Which party published each object: flows are counted by origin, whatever path they took.
  const origin = new Map<string, string>();
  const held = new Map<string, Set<string>>(cluster.nodes.map((n) => [n.nation.party, new Set()]));

  /**
   * Each producer publishes a batch, then every node pulls from the other two. `flows` counts,
   * per origin and consumer, the objects the consumer newly holds (read from its store);
   * `transfers` what each pull stored; `onward` objects a consumer received from a node that
   * did not produce them.
   */
  return async (shape: BatchShape): Promise<RoundResult> => {
    batch += 1;
    const published: Record<string, number> = {};
    for (const n of cluster.nodes) {
      const bundle = feedBundle({ seed, party: n.nation.party, batch, at: clock.now(), shape });
      for (const o of bundle.objects) origin.set(String(o.id), n.nation.party);
      const { report } = await n.node.ingest(bundle, { collection: cluster.agreementId });
      published[n.nation.party] = report.inserted;
    }
    clock.advanceTo(clock.now() + MINUTE);
    const transfers: Record<string, number> = {};
    for (const consumer of cluster.nodes)
      for (const producer of cluster.nodes)
        if (producer !== consumer) {
          const r = await crossBorder.pull(consumer, producer);
          transfers[pairKey(r.producer, r.consumer)] = r.received;
        }
    const flows: Record<string, number> = {};
    const onward: Record<string, number> = {};
    for (const p of cluster.nodes)
      for (const c of cluster.nodes)
        if (p !== c) flows[pairKey(p.nation.party, c.nation.party)] = 0;
    for (const consumer of cluster.nodes) {
      const me = consumer.nation.party;
      const seen = held.get(me) ?? new Set<string>();
      for (const o of await partnerObjects(consumer, clock.now())) {
        // Observables may be released under a pseudonymous id (minimisation re-identifies SCOs
        // per agreement and producer): those count for the node they came from.
        const from = origin.get(o.id) ?? o.producer;
        if (from === me || seen.has(o.id)) continue;
        seen.add(o.id);
        const key = pairKey(from, me);
        flows[key] = (flows[key] ?? 0) + 1;
        if (o.producer !== from) onward[me] = (onward[me] ?? 0) + 1;
      }
    }
    return { flows, transfers, onward, published };
  };
}
