/**
 * Starting a node's listeners in-process (`concordat serve`, the demo, end-to-end tests): one
 * server context (`nodeServerContext`), served by up to two fastify instances — the same routes
 * and the same door:
 * - the analyst listener (`listen`): bearer tokens; plain http on loopback only, or https with
 *   the node certificate when `tls` is set (then any address);
 * - the federation listener (`federation.listen`): TAXII 2.1 for peers over mutual TLS only.
 *   The TLS layer requires a client certificate chaining to a peer CA (TLS 1.2 at least); the
 *   guard then applies the identity rules on `secureConnection` and destroys a refused socket
 *   before the HTTP layer reads a byte. A request's principal is the peer's agency, from its
 *   certificate: `{ agency, scopes: ['read', 'write'], via: 'certificate' }`.
 */
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyServerFactory } from 'fastify';
import { ConcordatError, addDuration, systemClock } from '../core/index.js';
import { nodeTransport, startPullScheduler } from '../federation/index.js';
import type { PullScheduler, SchedulerOptions } from '../federation/index.js';
import { buildServer, federationRoutes } from '../server/index.js';
import type { CertificateResolver, ServerContext } from '../server/index.js';
import {
  analystTlsOptions,
  clientTlsOptions,
  guardFederationServer,
  peerIdentity,
  serverTlsOptions,
} from '../tls/index.js';
import type { TrustedPeer } from '../tls/index.js';
import { startAutomaticInputs } from './escalation-schedule.js';
import type { AutomaticSchedule } from './escalation-schedule.js';
import { federationHost, federationPorts } from './federation-host.js';
import { openNodeTls } from './node-tls.js';
import type { NodeTls } from './node-tls.js';
import type { Node } from './open-node.js';
import { nodeServerContext } from './server-context.js';
import type { NodeServer } from './server-context.js';

/** A host and port to listen on (port 0 picks a free one). */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Where the analyst listener binds, and whether it speaks https (default: `listen.https`). */
export interface AnalystListen extends ListenAddress {
  readonly https?: boolean;
}

/** Options of {@link startNodeServers}. */
export interface StartNodeServersOptions {
  /** The analyst listener: default the config's `listen`; `false` starts none. */
  readonly analyst?: AnalystListen | false;
  /**
   * The federation listener: default the config's `federation.listen` when `federation` names
   * at least one peer (a listener no one may connect to is not started), else none; `false`
   * starts none. Needs `tls` and `federation` in the config.
   */
  readonly federation?: ListenAddress | false;
  /** Called for every federation connection refused before any application data. */
  readonly onRefused?: (reason: Error) => void;
  /**
   * Pull from every configured peer on its `pull_every` schedule over mutual TLS
   * (docs/federation-sync.md). Default false: `concordat serve` turns it on.
   */
  readonly pull?: boolean | Omit<SchedulerOptions, 'wait'>;
  /**
   * Record escalation's automatic inputs (incident signals, intel quality from ingested
   * metadata) once a minute per agreement (docs/spec/escalation.md). Default false: `concordat
   * serve` turns it on. A failed pass is reported through `onAutomaticError` and retried.
   */
  readonly automaticInputs?: boolean;
  readonly onAutomaticError?: (agreement: string, error: unknown) => void;
}

/** The running listeners of a node. */
export interface NodeServers {
  /** Base URLs (`https://127.0.0.1:9443`); discovery is `<url>/taxii2/`. */
  readonly urls: { readonly analyst?: string; readonly federation?: string };
  readonly analyst?: FastifyInstance;
  readonly federation?: FastifyInstance;
  /** The server context both listeners serve, with its token and withdrawal stores. */
  readonly server: NodeServer;
  /** The node's TLS identity and trusted peers, when `tls` is configured. */
  readonly tls?: NodeTls;
  /** The pull schedule, when `pull` was asked for and peers are configured. */
  readonly scheduler?: PullScheduler;
  /** Closes both listeners and stops the pull schedule (the node stays open). */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** True for the addresses plain http is allowed on. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function baseUrl(scheme: 'http' | 'https', app: FastifyInstance): string {
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${scheme}://${host}:${address.port}`;
}

async function listen(app: FastifyInstance, at: ListenAddress, what: string): Promise<void> {
  try {
    await app.listen({ host: at.host, port: at.port });
  } catch (cause) {
    throw new ConcordatError(
      'ERR_USAGE',
      `cannot listen for ${what} on ${at.host}:${at.port}: ${(cause as { code?: string }).code ?? 'failed'}`,
      { cause },
    );
  }
}

/**
 * The principal of a federation request: the peer whose identity rules the certificate passes
 * (the guard checked the same at the handshake; checking again per request costs a parse and
 * keeps the door's principal tied to the certificate, not to connection state).
 */
function peerResolver(peers: readonly TrustedPeer[]): CertificateResolver {
  return (fingerprint, certificate) => {
    const id = peerIdentity(certificate.raw, peers, systemClock.now(), certificate.chain ?? []);
    return id.ok && id.fingerprint === fingerprint
      ? { agency: id.peer.agency, scopes: ['read', 'write'] }
      : undefined;
  };
}

/** The federation listener's context: certificate-only, principals from peer certificates. */
function federationContext(context: ServerContext, peers: readonly TrustedPeer[]): ServerContext {
  return {
    ...context,
    credentials: 'certificate',
    certificates: peerResolver(peers),
    // The handshake judged validity by the wall clock; so does authentication.
    certificateClock: systemClock,
  };
}

/**
 * Starts the node's listeners. Throws `ERR_USAGE` for plain http on a non-loopback address, a
 * federation listener without `tls` + `federation`, or an address that cannot be bound;
 * `ERR_CONFIG_INVALID` / `ERR_TLS_MATERIAL_INVALID` for bad TLS configuration. Whatever was
 * started is closed again when a later step fails.
 */
export async function startNodeServers(
  node: Node,
  options: StartNodeServersOptions = {},
): Promise<NodeServers> {
  const { config } = node;
  const analystAt = options.analyst ?? config.listen;
  const federationAt =
    options.federation ??
    (config.federation === undefined || config.federation.peers.length === 0
      ? false
      : config.federation.listen);
  const analystHttps =
    analystAt !== false && (analystAt.https ?? config.listen.https ?? false) === true;
  if (analystHttps && config.tls === undefined)
    throw new ConcordatError(
      'ERR_USAGE',
      'https for the analyst api needs `tls` in the node config (docs/federation.md)',
    );
  if (federationAt !== false && (config.tls === undefined || config.federation === undefined))
    throw new ConcordatError(
      'ERR_USAGE',
      'a federation listener needs `tls` and `federation` in the node config (docs/federation.md)',
    );
  if (analystAt !== false && !analystHttps && !isLoopbackHost(analystAt.host))
    throw new ConcordatError(
      'ERR_USAGE',
      `\`${analystAt.host.slice(0, 64)}\` is not a loopback address: plain http carries bearer tokens in clear; serve https (\`listen.https: true\` with \`tls\`, or \`concordat serve --https\`) to listen beyond loopback`,
    );
  const tls = await openNodeTls(node);
  const server = await nodeServerContext(node);
  // Receipts in, proven receipts and withdrawal hashes out (src/server/rest/federation.ts).
  const fedHost = await federationHost(node, server.withdrawals);
  const fedPorts = federationPorts(fedHost);
  const started: FastifyInstance[] = [];
  let scheduler: PullScheduler | undefined;
  let automatic: AutomaticSchedule | undefined;
  const closeAll = async (): Promise<void> => {
    await scheduler?.stop();
    scheduler = undefined;
    await automatic?.stop();
    automatic = undefined;
    for (const app of started.splice(0).reverse()) await app.close().catch(() => undefined);
  };
  try {
    let analyst: FastifyInstance | undefined;
    let federation: FastifyInstance | undefined;
    const urls: { analyst?: string; federation?: string } = {};
    if (analystAt !== false) {
      const https =
        !analystHttps || tls === undefined ? undefined : analystTlsOptions(tls.identity);
      const factory: FastifyServerFactory | undefined =
        https === undefined
          ? undefined
          : (handler) =>
              createHttpsServer(https, handler) as unknown as ReturnType<FastifyServerFactory>;
      analyst = buildServer(
        server.context,
        factory === undefined ? {} : { serverFactory: factory },
      );
      // The federation endpoints are for partner nodes, over mutual TLS only: not here.
      started.push(analyst);
      await listen(analyst, analystAt, 'the analyst api');
      urls.analyst = baseUrl(https === undefined ? 'http' : 'https', analyst);
    }
    if (federationAt !== false && tls !== undefined) {
      const peers = tls.peers;
      const factory: FastifyServerFactory = (handler) => {
        const s = createHttpsServer(serverTlsOptions(tls.identity, peers), handler);
        guardFederationServer(s, peers, systemClock.now, {
          onRefused: (error) => options.onRefused?.(error),
        });
        s.on('tlsClientError', (error) => options.onRefused?.(error));
        return s as unknown as ReturnType<FastifyServerFactory>;
      };
      federation = buildServer(federationContext(server.context, peers), {
        serverFactory: factory,
      });
      federationRoutes(federation, fedPorts);
      started.push(federation);
      await listen(federation, federationAt, 'federation peers');
      urls.federation = baseUrl('https', federation);
    }
    if (options.pull !== undefined && options.pull !== false && tls !== undefined) {
      const now = node.clock.now();
      const peers = tls.peers.map((p) => ({
        party: p.peer.party,
        url: p.peer.url,
        transport: nodeTransport({ tls: clientTlsOptions(tls.identity, p) }),
        pullEveryMs: Math.max(1000, addDuration(now, p.peer.pullEvery) - now),
      }));
      if (peers.length > 0)
        scheduler = startPullScheduler(fedHost, peers, options.pull === true ? {} : options.pull);
    }
    const escalation = server.context.rest?.escalation;
    if (options.automaticInputs === true && escalation !== undefined)
      automatic = startAutomaticInputs(escalation, [...node.agreements.keys()], {
        now: () => node.clock.now(),
        ...(options.onAutomaticError === undefined ? {} : { onError: options.onAutomaticError }),
      });
    return {
      urls,
      ...(analyst === undefined ? {} : { analyst }),
      ...(federation === undefined ? {} : { federation }),
      server,
      ...(tls === undefined ? {} : { tls }),
      ...(scheduler === undefined ? {} : { scheduler }),
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
