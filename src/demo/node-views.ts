/**
 * Where to look at each demo node: its discovery URL, a partner agency's read token with a
 * ready-to-paste `curl`, the command that verifies its ledger, and its web dashboard with the
 * operator's token.
 */
import type { DemoCluster } from './cluster.js';
import { DEMO_PURPOSE } from './nations.js';
import type { NodeView } from './steps.js';

/** The {@link NodeView} of every node of `cluster`. */
export function views(cluster: DemoCluster): NodeView[] {
  return cluster.nodes.map((n) => {
    const [agency, token] = [...n.tokens][0] ?? ['', ''];
    const discovery = `${n.base}/taxii2/`;
    return {
      party: n.nation.party,
      name: n.nation.name,
      dir: n.dir,
      config: n.configFile,
      discovery,
      readToken: { agency, token },
      curl:
        `curl -s -H 'Accept: application/taxii+json;version=2.1' -H 'Authorization: Bearer ${token}' ` +
        `${n.base}/taxii2/${cluster.agreementId}/collections/${DEMO_PURPOSE}/objects/`,
      verify: `npx concordat ledger verify --config ${n.configFile}`,
      dashboard: { url: `${n.base}/dashboard`, token: n.admin },
    };
  });
}
