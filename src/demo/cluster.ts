/**
 * The demo's three nodes: each created with `initNode` under one directory (SQLite, generated
 * keys), its officials' public keys configured, opened on the demo's scripted clock, and its
 * TAXII 2.1 server listening on a free loopback port. Partners' agencies get read tokens on
 * each producer's node, so a partner's pull is an ordinary TAXII client request.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parseDocument } from 'yaml';
import { ConcordatError } from '../core/index.js';
import type { Clock } from '../core/index.js';
import {
  initNode,
  loadNodeConfig,
  nodeServerContext,
  openNode,
  startNodeServers,
} from '../node/index.js';
import type { Node, NodeServers, StoreAuthStore } from '../node/index.js';
import { buildServer } from '../server/index.js';
import { NATIONS } from './nations.js';
import type { Nation } from './nations.js';

/** How long a demo node keeps its own intel (`limits.retention`), so shredding shows in time. */
export const DEMO_NODE_RETENTION = 'P120D';

/** One running demo node. */
export interface DemoNode {
  readonly nation: Nation;
  readonly dir: string;
  readonly configFile: string;
  readonly node: Node;
  readonly auth: StoreAuthStore;
  /** The analyst TAXII listener: `http://127.0.0.1:<port>`. */
  readonly base: string;
  /** Read tokens on this node, by partner agency. */
  readonly tokens: ReadonlyMap<string, string>;
  /** An `admin` token of the node's own agency: what the operator signs in to the dashboard with. */
  readonly admin: string;
  /** The analyst listener (and, with federation, the mutual-TLS one); closes them. */
  readonly stop: () => Promise<void>;
  /**
   * With federation: the node's listeners (the federation one speaks TAXII 2.1 over mutual
   * TLS only) and its federation base URL (`https://127.0.0.1:<port>`).
   */
  readonly federation?: { readonly servers: NodeServers; readonly url: string };
}

/** The three nodes and what they share. */
export interface DemoCluster {
  readonly dir: string;
  readonly agreementId: string;
  readonly nodes: readonly DemoNode[];
  /** Officials' private keys (PKCS#8 PEM), by official id: the demo plays every official. */
  readonly officialKeys: ReadonlyMap<string, string>;
  /** Stops every server and closes every node. */
  close(): Promise<void>;
}

/** What {@link startCluster} needs. */
export interface ClusterOptions {
  /** An empty or missing directory: one sub-directory per node is created in it. */
  readonly dir: string;
  /** The multilateral agreement every node takes part in. */
  readonly agreementFile: string;
  readonly clock: Clock;
  /**
   * Peer the nodes over mutual TLS (docs/federation.md): each node's config names the other
   * two as `federation.peers` (their CA, agency and federation URL), every node's public
   * signing key as party keys (receipts verify across nodes), and each node starts its
   * federation listener beside the analyst one. Without it, nodes serve bearer tokens only.
   */
  readonly federation?: boolean;
}

/** A node's federation settings, written into its config. */
interface FederationSettings {
  readonly port: number;
  readonly peers: readonly {
    readonly party: string;
    readonly url: string;
    readonly ca: string;
    readonly agency: string;
  }[];
  /** `party-keys.json`, relative to the node's directory. */
  readonly partyKeys: string;
}

/**
 * Adds `official_keys` to the agreement and the demo retention to a node config and, with
 * federation, the peers, the federation port and the party keys.
 */
async function configureNode(configFile: string, federation?: FederationSettings): Promise<void> {
  const doc = parseDocument(await readFile(configFile, 'utf8'));
  doc.setIn(['agreements', 0, 'official_keys'], 'officials');
  doc.setIn(['limits', 'retention'], DEMO_NODE_RETENTION);
  if (federation !== undefined) {
    doc.setIn(['agreements', 0, 'keys'], federation.partyKeys);
    doc.setIn(['federation', 'listen', 'host'], '127.0.0.1');
    doc.setIn(['federation', 'listen', 'port'], federation.port);
    doc.setIn(
      ['federation', 'peers'],
      doc.createNode(federation.peers.map((p) => ({ ...p, pull_every: 'PT60S' }))),
    );
  }
  await writeFile(configFile, doc.toString());
}

/** A free loopback TCP port (bound, read and released: the demo binds it again at once). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Generates one Ed25519 key pair per official: public keys go to every node. */
async function officials(dir: string): Promise<Map<string, { pub: string; key: string }>> {
  const out = new Map<string, { pub: string; key: string }>();
  await mkdir(join(dir, 'officials-private'), { recursive: true, mode: 0o700 });
  for (const n of NATIONS) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pub = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await writeFile(join(dir, 'officials-private', `${n.official}.pem`), key, { mode: 0o600 });
    out.set(n.official, { pub, key });
  }
  return out;
}

/** What {@link initNode} made for one nation. */
interface Made {
  readonly nation: Nation;
  readonly dir: string;
  readonly config: string;
  readonly signingKey: string;
}

async function makeNode(
  nation: Nation,
  options: ClusterOptions,
  keys: ReadonlyMap<string, { pub: string }>,
): Promise<Made> {
  const dir = join(options.dir, nation.party.toLowerCase());
  const created = await initNode({
    dir,
    party: nation.party,
    agreements: [options.agreementFile],
  });
  await mkdir(join(dir, 'officials'), { recursive: true });
  for (const [official, k] of keys)
    await writeFile(join(dir, 'officials', `${official}.pub.pem`), k.pub);
  return { nation, dir, config: created.config, signingKey: created.signingKey };
}

/** Peers every node with the other two: ports, CAs, agencies and party keys in each config. */
async function federate(made: readonly Made[]): Promise<void> {
  const ports = new Map<string, number>();
  for (const m of made) ports.set(m.nation.party, await freePort());
  const partyKeys: Record<string, string[]> = {};
  for (const m of made) {
    const pub = createPublicKey(createPrivateKey(await readFile(m.signingKey, 'utf8')));
    partyKeys[m.nation.party] = [pub.export({ format: 'pem', type: 'spki' }).toString()];
  }
  for (const m of made) {
    await writeFile(join(m.dir, 'party-keys.json'), `${JSON.stringify(partyKeys, null, 2)}\n`);
    await configureNode(m.config, {
      port: ports.get(m.nation.party) ?? 0,
      partyKeys: 'party-keys.json',
      peers: made
        .filter((p) => p !== m)
        .map((p) => ({
          party: p.nation.party,
          url: `https://127.0.0.1:${ports.get(p.nation.party) ?? 0}/taxii2/`,
          ca: join(p.dir, 'tls', 'ca.crt'),
          agency: p.nation.agency,
        })),
    });
  }
}

async function startNode(made: Made, options: ClusterOptions): Promise<DemoNode> {
  const { nation } = made;
  const node = await openNode(await loadNodeConfig(made.config), { clock: options.clock });
  try {
    let auth: StoreAuthStore;
    let base: string;
    let stop: () => Promise<void>;
    let federation: DemoNode['federation'];
    if (options.federation === true) {
      const servers = await startNodeServers(node, { analyst: { host: '127.0.0.1', port: 0 } });
      auth = servers.server.auth;
      base = servers.urls.analyst ?? '';
      stop = () => servers.close();
      federation = { servers, url: servers.urls.federation ?? '' };
    } else {
      const built = await nodeServerContext(node);
      const app: FastifyInstance = buildServer(built.context);
      await app.listen({ host: '127.0.0.1', port: 0 });
      auth = built.auth;
      base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      stop = () => app.close();
    }
    const tokens = new Map<string, string>();
    for (const partner of NATIONS)
      if (partner.party !== nation.party)
        tokens.set(
          partner.agency,
          (await auth.issue({ agency: partner.agency, scopes: ['read'] })).token,
        );
    // The operator's own token, for the web dashboard (levels, waivers, flows).
    const admin = (await auth.issue({ agency: nation.agency, scopes: ['admin'] })).token;
    return {
      nation,
      dir: made.dir,
      configFile: made.config,
      node,
      auth,
      base,
      tokens,
      admin,
      stop,
      ...(federation === undefined ? {} : { federation }),
    };
  } catch (err) {
    await node.close();
    throw err;
  }
}

/**
 * Creates and starts the three nodes. Everything started is stopped again if a later node
 * fails to start.
 */
export async function startCluster(options: ClusterOptions): Promise<DemoCluster> {
  try {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new ConcordatError(
      'ERR_USAGE',
      `cannot create the demo directory \`${options.dir}\`: ${(cause as { code?: string }).code ?? 'failed'}; pass \`--dir\` a writable path`,
      { cause },
    );
  }
  const keys = await officials(options.dir);
  const nodes: DemoNode[] = [];
  const close = async (): Promise<void> => {
    for (const n of nodes.splice(0).reverse()) {
      await n.stop().catch(() => undefined);
      await n.node.close().catch(() => undefined);
    }
  };
  try {
    const made: Made[] = [];
    for (const nation of NATIONS) made.push(await makeNode(nation, options, keys));
    if (options.federation === true) await federate(made);
    else for (const m of made) await configureNode(m.config);
    for (const m of made) nodes.push(await startNode(m, options));
  } catch (err) {
    await close();
    throw err;
  }
  const first = nodes[0];
  const agreementId = first === undefined ? '' : ([...first.node.agreements.keys()][0] ?? '');
  return {
    dir: options.dir,
    agreementId,
    nodes,
    officialKeys: new Map([...keys].map(([o, k]) => [o, k.key])),
    close,
  };
}
