/**
 * Opening a node's TLS material (docs/federation.md): the checks config loading cannot make
 * because they need the agreements — every peer's party is a party of one of the node's
 * agreements, and its agency an agency of that party — then this node's identity and every
 * peer's CA, read and checked, with each problem located at its config line:column.
 */
import type { Agreement } from '../agreement/index.js';
import { loadTlsIdentity, loadTrustedPeers } from '../tls/index.js';
import type { TlsIdentity, TrustedPeer } from '../tls/index.js';
import { configError, configWhere } from './config.js';
import type { ConfigIssue, NodeConfig } from './config.js';

/** A node's TLS identity and the peers it trusts. */
export interface NodeTls {
  readonly identity: TlsIdentity;
  /** One per `federation.peers[]`, in config order (empty without `federation`). */
  readonly peers: readonly TrustedPeer[];
}

/**
 * The issues of `config.federation.peers` against the node's agreements: a peer's party must
 * be a party of one of them, and its agency an agency of that party in one of them.
 */
export function federationPeerIssues(
  config: Pick<NodeConfig, 'federation' | 'positions'>,
  agreements: Iterable<Agreement>,
): ConfigIssue[] {
  const parties = new Set<string>();
  const agencyParty = new Map<string, Set<string>>();
  for (const a of agreements) {
    for (const p of a.parties) parties.add(p.id);
    for (const g of a.agencies) {
      const set = agencyParty.get(g.id) ?? new Set<string>();
      set.add(g.party);
      agencyParty.set(g.id, set);
    }
  }
  const issues: ConfigIssue[] = [];
  const issue = (path: string, message: string): void => {
    issues.push({ path, ...(config.positions[path] ?? { line: 1, column: 1 }), message });
  };
  for (const [i, peer] of (config.federation?.peers ?? []).entries()) {
    const path = `federation.peers[${i}]`;
    if (!parties.has(peer.party)) {
      issue(
        `${path}.party`,
        `peer party \`${peer.party}\` is not a party of any of this node's agreements${parties.size === 0 ? ' (it has none)' : ` (${[...parties].map((p) => `\`${p}\``).join(', ')})`}`,
      );
      continue;
    }
    const owners = agencyParty.get(peer.agency);
    if (owners === undefined)
      issue(
        `${path}.agency`,
        `peer agency \`${peer.agency}\` is not an agency of any of this node's agreements`,
      );
    else if (!owners.has(peer.party))
      issue(
        `${path}.agency`,
        `peer agency \`${peer.agency}\` belongs to ${[...owners].map((p) => `\`${p}\``).join(', ')}, not to peer party \`${peer.party}\``,
      );
  }
  return issues;
}

/**
 * Reads and checks the node's TLS material: `undefined` without `tls`. Throws
 * `ERR_CONFIG_INVALID` (every peer issue, located) and `ERR_TLS_MATERIAL_INVALID` (a missing,
 * malformed or world-readable file, or a key that does not match its certificate).
 */
export async function openNodeTls(node: {
  readonly config: NodeConfig;
  readonly agreements: ReadonlyMap<string, { readonly agreement: Agreement }>;
}): Promise<NodeTls | undefined> {
  const { config } = node;
  if (config.tls === undefined) return undefined;
  const issues = federationPeerIssues(
    config,
    [...node.agreements.values()].map((a) => a.agreement),
  );
  if (issues.length > 0) throw configError(config.file, issues);
  const where = (field: string): string => configWhere(config, field);
  const identity = await loadTlsIdentity(config.tls, where);
  const peers = await loadTrustedPeers(config.federation?.peers ?? [], where);
  return { identity, peers };
}
