/**
 * The cross-border step over the federation module: the consumer node pulls from the
 * producer's federation listener as a TLS client with its own node certificate, trusting only
 * that peer's CA (`clientTlsOptions`), and the producer identifies it by that certificate alone
 * (its principal is the agency the producer's config names for the peer). `pullPeer` ingests
 * page by page with the producer's handling kept, ledgers a signed receipt per page and
 * advances a durable cursor (TAXII 2.1 `added_after`).
 */
import { ConcordatError } from '../core/index.js';
import {
  nodeTransport,
  pullPeer,
  RECEIPT_PROOFS_PATH,
  reconcile,
  startPullScheduler,
} from '../federation/index.js';
import type { FederationHost, PullPeer, ReconcileReport } from '../federation/index.js';
import { federationHost } from '../node/index.js';
import { federationReceipts } from '../store/index.js';
import { clientTlsOptions } from '../tls/index.js';
import type { CrossBorder } from './bearer-pull.js';
import type { DemoCluster, DemoNode } from './cluster.js';

/** Retries that never wait: every peer is on loopback in the same process. */
const NO_WAIT = { sleep: async (): Promise<void> => undefined, random: () => 0 } as const;

/** The mutual-TLS transport, plus receipts and their reconciliation between two nodes. */
export interface FederatedCrossBorder extends CrossBorder {
  /**
   * Whether every federation listener serves the federation REST endpoints (receipts,
   * withdrawals): then receipts are delivered to producers and pairs can be reconciled.
   */
  readonly receiptsServed: boolean;
  /** Signed receipts `consumer` ledgered for what `producer` released to it. */
  receipts(consumer: DemoNode, producer: DemoNode): Promise<number>;
  /** `node` checks what it ledgered as released to `peer` against `peer`'s proven receipts. */
  reconcile(node: DemoNode, peer: DemoNode): Promise<ReconcileReport>;
}

function federationOf(n: DemoNode): NonNullable<DemoNode['federation']> {
  if (n.federation === undefined)
    throw new ConcordatError(
      'ERR_USAGE',
      `the \`${n.nation.party}\` demo node was started without federation`,
    );
  return n.federation;
}

/** How `consumer` reaches `producer`: its configured peer entry, over mutual TLS. */
function peerOf(consumer: DemoNode, producer: DemoNode): PullPeer {
  const tls = federationOf(consumer).servers.tls;
  const trusted = tls?.peers.find((p) => p.peer.party === producer.nation.party);
  if (tls === undefined || trusted === undefined)
    throw new ConcordatError(
      'ERR_USAGE',
      `the \`${consumer.nation.party}\` node has no federation peer \`${producer.nation.party}\``,
    );
  return {
    party: producer.nation.party,
    url: trusted.peer.url,
    transport: nodeTransport({ tls: clientTlsOptions(tls.identity, trusted) }),
  };
}

/** True when `n`'s federation listener serves the federation REST endpoints. */
function servesReceipts(n: DemoNode): boolean {
  const app = federationOf(n).servers.federation;
  return app?.hasRoute({ method: 'GET', url: RECEIPT_PROOFS_PATH }) === true;
}

/**
 * The cross-border transport over mutual TLS. Receipts are always signed and ledgered by the
 * consumer; they are delivered to the producer, withdrawals synchronised and pairs reconciled
 * only when the listeners serve the federation REST endpoints (`receiptsServed`).
 */
export async function federatedCrossBorder(cluster: DemoCluster): Promise<FederatedCrossBorder> {
  const receiptsServed = cluster.nodes.every(servesReceipts);
  const hosts = new Map<string, FederationHost>();
  for (const n of cluster.nodes)
    hosts.set(
      n.nation.party,
      // Without the endpoints there are no withdrawals to synchronise (pullPeer skips them).
      receiptsServed
        ? await federationHost(n.node, federationOf(n).servers.server.withdrawals)
        : await federationHost(n.node),
    );
  const hostOf = (n: DemoNode): FederationHost => {
    const h = hosts.get(n.nation.party);
    if (h === undefined) throw new Error(`no federation host for \`${n.nation.party}\``);
    return h;
  };
  return {
    transport: 'taxii-mtls',
    receiptsServed,
    description:
      "each node pulls from its partners' federation listeners over mutual TLS (node certificates from each nation's own development CA), with a signed receipt per page",
    async pull(consumer, producer) {
      const report = await pullPeer(hostOf(consumer), peerOf(consumer, producer), {
        retry: NO_WAIT,
        deliver: receiptsServed,
      });
      return {
        producer: producer.nation.party,
        consumer: consumer.nation.party,
        received: report.collections.reduce((sum, c) => sum + c.inserted, 0),
      };
    },
    live(everyMs) {
      const schedules = cluster.nodes.map((consumer) =>
        startPullScheduler(
          hostOf(consumer),
          cluster.nodes
            .filter((p) => p !== consumer)
            .map((p) => ({ ...peerOf(consumer, p), pullEveryMs: everyMs })),
          { pull: { deliver: receiptsServed }, onError: () => undefined },
        ),
      );
      return {
        stop: async () => {
          await Promise.all(schedules.map((s) => s.stop()));
        },
      };
    },
    receipts: async (consumer, producer) =>
      (await federationReceipts.byProducer(consumer.node.db, 'sent', producer.nation.party)).length,
    reconcile: (node, peer) =>
      reconcile(
        hostOf(node),
        { ...peerOf(node, peer), agency: peer.nation.agency },
        { retry: NO_WAIT },
      ),
  };
}
