/**
 * The demo's three nodes: each created with `initNode` under one directory (SQLite, generated
 * keys), its officials' public keys configured, opened on the demo's scripted clock, and its
 * TAXII 2.1 server listening on a free loopback port. Partners' agencies get read tokens on
 * each producer's node, so a partner's pull is an ordinary TAXII client request.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parseDocument } from 'yaml';
import { ConcordatError } from '../core/index.js';
import type { Clock } from '../core/index.js';
import { initNode, loadNodeConfig, nodeServerContext, openNode } from '../node/index.js';
import type { Node, StoreAuthStore } from '../node/index.js';
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
  readonly app: FastifyInstance;
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
}

/** Adds `official_keys` to the agreement and the demo retention to a node config. */
async function configureNode(configFile: string): Promise<void> {
  const doc = parseDocument(await readFile(configFile, 'utf8'));
  doc.setIn(['agreements', 0, 'official_keys'], 'officials');
  doc.setIn(['limits', 'retention'], DEMO_NODE_RETENTION);
  await writeFile(configFile, doc.toString());
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

async function startNode(
  nation: Nation,
  options: ClusterOptions,
  keys: ReadonlyMap<string, { pub: string }>,
): Promise<DemoNode> {
  const dir = join(options.dir, nation.party.toLowerCase());
  const created = await initNode({
    dir,
    party: nation.party,
    agreements: [options.agreementFile],
  });
  await mkdir(join(dir, 'officials'), { recursive: true });
  for (const [official, k] of keys)
    await writeFile(join(dir, 'officials', `${official}.pub.pem`), k.pub);
  await configureNode(created.config);
  const node = await openNode(await loadNodeConfig(created.config), { clock: options.clock });
  try {
    const built = await nodeServerContext(node);
    const tokens = new Map<string, string>();
    for (const partner of NATIONS)
      if (partner.party !== nation.party)
        tokens.set(
          partner.agency,
          (await built.auth.issue({ agency: partner.agency, scopes: ['read'] })).token,
        );
    const app = buildServer(built.context);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address() as AddressInfo;
    return {
      nation,
      dir,
      configFile: created.config,
      node,
      auth: built.auth,
      base: `http://127.0.0.1:${address.port}`,
      tokens,
      app,
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
      await n.app.close().catch(() => undefined);
      await n.node.close().catch(() => undefined);
    }
  };
  try {
    for (const nation of NATIONS) nodes.push(await startNode(nation, options, keys));
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
