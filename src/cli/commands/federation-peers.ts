/**
 * The peers `concordat pull` and `concordat reconcile` talk to: the config's
 * `federation.peers`, each reached over mutual TLS with this node's certificate, trusting only
 * that peer's CA (src/tls `clientTlsOptions`), and the node as a federation host.
 */
import { ConcordatError } from '../../core/index.js';
import { nodeTransport } from '../../federation/index.js';
import type { FederationHost, Transport } from '../../federation/index.js';
import { federationHost, openNodeTls, storeWithdrawals } from '../../node/index.js';
import type { Node } from '../../node/index.js';
import { clientTlsOptions } from '../../tls/index.js';

/** One configured peer, ready to be asked. */
export interface CliPeer {
  readonly party: string;
  readonly url: string;
  readonly agency: string;
  readonly transport: Transport;
}

/** The host and the configured peers (only `only` when given; `ERR_USAGE` when unknown). */
export async function federationPeers(
  node: Node,
  only: string | undefined,
): Promise<{ host: FederationHost; peers: CliPeer[] }> {
  const tls = await openNodeTls(node);
  const all = tls?.peers ?? [];
  if (all.length === 0)
    throw new ConcordatError(
      'ERR_USAGE',
      'this node has no federation peers; add one with `concordat peer add` (docs/federation.md)',
    );
  const chosen = only === undefined ? all : all.filter((p) => p.peer.party === only);
  if (chosen.length === 0)
    throw new ConcordatError(
      'ERR_USAGE',
      `\`${only?.slice(0, 32) ?? ''}\` is not a configured peer (${all.map((p) => p.peer.party).join(', ')})`,
    );
  const identity = tls?.identity;
  if (identity === undefined) throw new ConcordatError('ERR_INTERNAL', 'peers without tls');
  // Withdrawals here are durable; a running `serve` reloads them at its next start.
  const host = await federationHost(node, await storeWithdrawals(node.db));
  return {
    host,
    peers: chosen.map((p) => ({
      party: p.peer.party,
      url: p.peer.url,
      agency: p.peer.agency,
      transport: nodeTransport({ tls: clientTlsOptions(identity, p) }),
    })),
  };
}
