/**
 * Federation test nodes: several Concordat nodes in one process, each with its own directory,
 * store (SQLite, or a PostgreSQL schema), TAXII server on a loopback port, the federation
 * endpoints mounted, and one manual clock shared by all. Every node's `agreements[].keys`
 * names every node's public signing key, so receipts and checkpoints verify across nodes.
 * Peers authenticate with bearer tokens over plain loopback http (the mTLS listener is the
 * TLS helper's; the pull client takes any transport).
 */
import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { manualClock } from '../../src/core/index.js';
import type { ManualClock } from '../../src/core/index.js';
import { nodeTransport } from '../../src/federation/index.js';
import { clientTlsOptions } from '../../src/tls/index.js';
import type { FederationHost, PullPeer } from '../../src/federation/index.js';
import {
  federationHost,
  federationPorts,
  initNode,
  loadNodeConfig,
  nodeServerContext,
  openNode,
  startNodeServers,
} from '../../src/node/index.js';
import type { Node, NodeServer, NodeServers } from '../../src/node/index.js';
import { buildServer, federationRoutes } from '../../src/server/index.js';
import type { DialectUnderTest } from '../store/dialects.js';
import { EXAMPLE_AGREEMENT, NOW } from '../node/fixtures.js';

export { NOW };
export const DAY = 86_400_000;
export const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
export const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
export const AGREEMENT = 'northsea-cti-compact';
/** The agency each party's node pulls as (its CERT). */
export const AGENCY: Readonly<Record<string, string>> = {
  ARV: 'ARV-CERT',
  BOR: 'BOR-CERT',
  CAL: 'CAL-CSIRT',
};

/** One running node. */
export interface FedNode {
  readonly party: string;
  readonly dir: string;
  readonly configPath: string;
  readonly node: Node;
  readonly server: NodeServer;
  readonly host: FederationHost;
  /** `http://127.0.0.1:<port>` (the analyst listener) */
  readonly base: string;
  /** mTLS nodes: the listeners started by `startNodeServers` (federation URL, TLS identity). */
  readonly servers?: NodeServers;
  /** Issues a token on this node for `agency`. */
  token(agency: string, scopes?: readonly ('read' | 'write' | 'admin')[]): Promise<string>;
  /** Stops the server and closes the node (a killed process). */
  stop(): Promise<void>;
  /** Opens the node again on the same directory and port-0 server (a restarted process). */
  restart(): Promise<FedNode>;
}

/** An indicator (TLP:GREEN, released by the example agreement's `op-indicators`). */
export function indicator(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2026-02-01T00:00:00.000Z',
    modified: '2026-02-01T00:00:00.000Z',
    pattern: `[domain-name:value = '${randomUUID()}.example']`,
    pattern_type: 'stix',
    valid_from: '2026-02-01T00:00:00Z',
    object_marking_refs: [GREEN],
    ...over,
  };
}

/** A bundle of `objects`. */
export function bundle(objects: readonly Record<string, unknown>[]): Record<string, unknown> {
  return { type: 'bundle', id: `bundle--${randomUUID()}`, objects };
}

/** Ingests `objects` at `n` as its own, into the agreement's store collection (what the door serves). */
export async function publish(
  n: FedNode,
  objects: readonly Record<string, unknown>[],
): Promise<void> {
  await n.node.ingest(bundle(objects), { collection: AGREEMENT });
}

async function start(
  party: string,
  dir: string,
  configPath: string,
  clock: ManualClock,
  mtls: boolean,
): Promise<FedNode> {
  const node = await openNode(await loadNodeConfig(configPath), { clock, env: {} });
  let server: NodeServer;
  let base: string;
  let servers: NodeServers | undefined;
  let close: () => Promise<void>;
  if (mtls) {
    // The real composition: analyst + mutual-TLS federation listener, federation endpoints on both.
    servers = await startNodeServers(node, {
      analyst: { host: '127.0.0.1', port: 0 },
      federation: { host: '127.0.0.1', port: 0 },
    });
    server = servers.server;
    base = servers.urls.analyst ?? '';
    close = servers.close;
  } else {
    server = await nodeServerContext(node);
    const app: FastifyInstance = buildServer(server.context);
    federationRoutes(app, federationPorts(await federationHost(node, server.withdrawals)));
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    close = () => app.close();
  }
  const host = await federationHost(node, server.withdrawals);
  let stopped = false;
  const fed: FedNode = {
    party,
    dir,
    configPath,
    node,
    server,
    host,
    base,
    ...(servers === undefined ? {} : { servers }),
    async token(agency, scopes = ['read', 'write']) {
      return (await server.auth.issue({ agency, scopes })).token;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await close();
      await node.close();
    },
    async restart() {
      await fed.stop();
      return start(party, dir, configPath, clock, mtls);
    },
  };
  return fed;
}

/**
 * Makes one node per party (party → dialect; SQLite when none is given), all sharing `clock`
 * and the example agreement, each trusting every node's signing key as its party's key. With
 * `mtls`, every node lists every other as a federation peer (its CA from `concordat init`) and
 * serves the mutual-TLS federation listener.
 */
export async function makeNodes(
  parties: readonly string[],
  clock: ManualClock = manualClock(NOW),
  dialects: Readonly<Record<string, DialectUnderTest>> = {},
  mtls = false,
): Promise<Record<string, FedNode>> {
  const made: { party: string; dir: string; config: string; signingKey: string }[] = [];
  for (const party of parties) {
    const dir = join(mkdtempSync(join(tmpdir(), `concordat-fed-${party}-`)), 'node');
    const d = dialects[party];
    const pgUrl = d?.name === 'postgres' ? (await d.fresh()).url : undefined;
    const r = await initNode({
      dir,
      party,
      agreements: [EXAMPLE_AGREEMENT],
      ...(pgUrl === undefined ? {} : { postgresUrl: pgUrl }),
    });
    made.push({ party, dir, config: r.config, signingKey: r.signingKey });
  }
  const keys: Record<string, string[]> = {};
  for (const m of made) {
    const pub = createPublicKey(createPrivateKey(readFileSync(m.signingKey, 'utf8')));
    keys[m.party] = [pub.export({ format: 'pem', type: 'spki' }).toString()];
  }
  const out: Record<string, FedNode> = {};
  for (const m of made) {
    writeFileSync(join(m.dir, 'party-keys.json'), JSON.stringify(keys, null, 2));
    const yaml = readFileSync(m.config, 'utf8').replace(
      /(agreements:\n\s+- file: [^\n]+\n)/,
      '$1    keys: party-keys.json\n',
    );
    const peers = made
      .filter((o) => o.party !== m.party)
      .flatMap((o) => [
        `    - party: ${o.party}`,
        // The real URL is known once the peer listens; pulls name it (PullPeer.url).
        `      url: https://127.0.0.1:1/taxii2/`,
        `      ca: ${JSON.stringify(join(o.dir, 'tls', 'ca.crt'))}`,
        `      agency: ${AGENCY[o.party] ?? ''}`,
      ]);
    writeFileSync(
      m.config,
      mtls ? yaml.replace('  peers: []', ['  peers:', ...peers].join('\n')) : yaml,
    );
    out[m.party] = await start(m.party, m.dir, m.config, clock, mtls);
  }
  return out;
}

/**
 * How `consumer` pulls from `producer`: the producer's discovery URL and a transport carrying
 * a token the producer issued to the consumer's agency (read and write: receipts are POSTed).
 */
export async function peerOf(producer: FedNode, consumer: FedNode): Promise<PullPeer> {
  const tls = consumer.servers?.tls;
  const federation = producer.servers?.urls.federation;
  if (tls !== undefined && federation !== undefined) {
    // Mutual TLS: the consumer's node certificate, trusting only the producer's CA.
    const trusted = tls.peers.find((p) => p.peer.party === producer.party);
    if (trusted === undefined) throw new Error(`${consumer.party} has no peer ${producer.party}`);
    return {
      party: producer.party,
      url: `${federation}/taxii2/`,
      transport: nodeTransport({ tls: clientTlsOptions(tls.identity, trusted) }),
    };
  }
  const token = await producer.token(AGENCY[consumer.party] as string);
  return {
    party: producer.party,
    url: `${producer.base}/taxii2/`,
    transport: nodeTransport({ headers: { authorization: `Bearer ${token}` } }),
  };
}

/** A retry policy that never waits (tests assert no timing). */
export const NO_WAIT = { sleep: async () => undefined, random: () => 0 } as const;
