/**
 * The cross-border step over what every node already serves: the consumer's agency reads the
 * producer's TAXII 2.1 collection with a bearer token over loopback, following `next` and
 * resuming from the last `date_added` it received (TAXII 2.1 §3.4.1 `added_after`), and the
 * consumer node ingests what was released — with the producer's handling (retention deadline,
 * purpose) stamped on each object — into a collection of its own (`from-<PARTY>`), so it is
 * never served onwards. Mutual TLS between nodes replaces this transport when the federation
 * module offers it; the producer decides in both.
 */
import { randomUUID } from 'node:crypto';
import { ConcordatError } from '../core/index.js';
import type { DemoNode } from './cluster.js';
import { DEMO_PURPOSE } from './nations.js';

/** What one pull moved from a producer to a consumer. */
export interface PullResult {
  readonly producer: string;
  readonly consumer: string;
  /** Objects released by the producer and stored by the consumer in this pull. */
  readonly received: number;
}

/** How nodes exchange intel across the border in the demo. */
export interface CrossBorder {
  /** `taxii-bearer` (each node's analyst listener, bearer tokens) or `taxii-mtls` (federation). */
  readonly transport: 'taxii-bearer' | 'taxii-mtls';
  /** One line for the terminal: what carries the traffic. */
  readonly description: string;
  /** The consumer pulls what the producer releases to it now. */
  pull(consumer: DemoNode, producer: DemoNode): Promise<PullResult>;
  /**
   * Keeps every node pulling from its partners on a schedule (after the story, while the
   * nodes serve); absent when the transport has no schedule.
   */
  live?(everyMs: number): { stop(): Promise<void> };
}

/** The TAXII 2.1 media type (§1.6.8). */
const TAXII = 'application/taxii+json;version=2.1';
/** Page size of a pull. */
const PAGE = 200;

/** The collection on the consumer that holds what `producer` released to it. */
export function receivedCollection(producer: string): string {
  return `from-${producer}`;
}

interface Envelope {
  readonly more?: boolean;
  readonly next?: string;
  readonly objects?: readonly Record<string, unknown>[];
}

/** The cross-border transport over bearer tokens (see the module comment). */
export function bearerCrossBorder(agreementId: string): CrossBorder {
  const cursors = new Map<string, string>();
  return {
    transport: 'taxii-bearer',
    description:
      "each consumer's agency reads the producer's TAXII 2.1 server with a bearer token (loopback http)",
    async pull(consumer, producer) {
      const agency = consumer.nation.agency;
      const token = producer.tokens.get(agency);
      if (token === undefined)
        throw new ConcordatError(
          'ERR_USAGE',
          `no read token for \`${agency}\` on the \`${producer.nation.party}\` node`,
        );
      const key = `${producer.nation.party}>${consumer.nation.party}`;
      const collection = `${producer.base}/taxii2/${agreementId}/collections/${DEMO_PURPOSE}/objects/`;
      const objects: Record<string, unknown>[] = [];
      let cursor = cursors.get(key);
      let query = `?limit=${PAGE}${cursor === undefined ? '' : `&added_after=${encodeURIComponent(cursor)}`}`;
      for (;;) {
        const r = await fetch(`${collection}${query}`, {
          headers: { accept: TAXII, authorization: `Bearer ${token}` },
        });
        const text = await r.text();
        if (r.status !== 200)
          throw new ConcordatError(
            'ERR_FEDERATION_PEER',
            `peer \`${producer.nation.party}\` answered http ${r.status} to a pull for \`${agency}\`: ${text.slice(0, 200)}`,
          );
        const last = r.headers.get('x-taxii-date-added-last');
        if (last !== null) cursor = last;
        const page = (text === '' ? {} : JSON.parse(text)) as Envelope;
        objects.push(...(page.objects ?? []));
        if (page.more !== true || page.next === undefined) break;
        query = `?next=${encodeURIComponent(page.next)}`;
      }
      if (cursor !== undefined) cursors.set(key, cursor);
      if (objects.length === 0)
        return { producer: producer.nation.party, consumer: consumer.nation.party, received: 0 };
      const { report } = await consumer.node.ingest(
        { type: 'bundle', id: `bundle--${randomUUID()}`, objects },
        { producer: producer.nation.party, collection: receivedCollection(producer.nation.party) },
      );
      return {
        producer: producer.nation.party,
        consumer: consumer.nation.party,
        received: report.inserted,
      };
    },
  };
}
