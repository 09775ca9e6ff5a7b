/**
 * The composition root's half of `concordat serve`: a {@link ServerContext} built from an open
 * node — its store, vault and clock, every agreement with its compiled engine, the escalation
 * service of each agreement for the decision state, store-backed tokens and withdrawals, and
 * the config's limits. Building it reads the ledger (escalation replay, withdrawals) and the
 * signing key; it opens no socket.
 */
import { createPrivateKey, hkdfSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { addDuration } from '../core/index.js';
import type { PseudonymKey } from '../intel/index.js';
import type { DecisionState } from '../policy/index.js';
import type { AgreementRoot, ServerContext } from '../server/index.js';
import { storeAuthStore, storeWithdrawals } from './auth-store.js';
import type { StoreAuthStore, StoreWithdrawals } from './auth-store.js';
import { openEscalation } from './escalation-open.js';
import type { EscalationService } from './escalation-service.js';
import { ingestBundle } from './ingest.js';
import type { Node } from './open-node.js';

/** What {@link nodeServerContext} built, with the stores the CLI and tests inspect. */
export interface NodeServer {
  readonly context: ServerContext;
  readonly auth: StoreAuthStore;
  readonly withdrawals: StoreWithdrawals;
  /** Where decision states come from: the escalation service of each agreement. */
  readonly stateSource: 'escalation';
}

/**
 * The pseudonym key of an agreement at this node: HKDF-SHA256 over the node's checkpoint
 * signing key, bound to the agreement id. Stable across restarts (the same SCO gets the same
 * pseudonym), different per agreement (pseudonyms do not link across agreements), and never
 * stored. INVARIANT: rotating the signing key rotates every pseudonym.
 */
export async function derivePseudonymKey(node: Node, agreementId: string): Promise<PseudonymKey> {
  const pem = await readFile(node.config.signingKey, 'utf8');
  const der = createPrivateKey({ key: pem, format: 'pem' }).export({
    format: 'der',
    type: 'pkcs8',
  });
  const key = hkdfSync('sha256', der, 'concordat/pseudonym/v1', agreementId, 32);
  return { pseudonymKey: new Uint8Array(key), agreementId };
}

/**
 * Builds the server's context over `node`. The decision state of each agreement is its
 * escalation service's `decisionStateAt(at)`, refreshed from the ledger before each release,
 * so events recorded by another process (the `concordat level` commands) apply at once.
 */
export async function nodeServerContext(node: Node): Promise<NodeServer> {
  const { db, vault, clock, config } = node;
  const roots: AgreementRoot[] = [];
  const services = new Map<string, EscalationService>();
  for (const [id, a] of node.agreements) {
    roots.push({
      agreement: a.agreement,
      engine: a.engine,
      pseudonymKey: await derivePseudonymKey(node, id),
    });
    services.set(id, await openEscalation(node, { agreement: id }));
  }
  const auth = storeAuthStore(db, clock);
  const withdrawals = await storeWithdrawals(db);
  const context: ServerContext = {
    db,
    vault,
    clock,
    agreements: roots,
    state: async (agreementId: string, at: number): Promise<DecisionState> => {
      const service = services.get(agreementId);
      // Roots are exactly the node's agreements; a miss is a bug, not a client error.
      if (service === undefined) throw new Error(`no escalation service for \`${agreementId}\``);
      // Events another process recorded (`concordat level …` beside the server) apply to the
      // next release: one ledger-size read per page when nothing changed.
      await service.refresh();
      return service.decisionStateAt(at);
    },
    ingest: async (bundle, t) => {
      const cap = addDuration(clock.now(), config.limits.retention);
      const report = await ingestBundle(bundle, {
        db,
        vault,
        clock,
        producer: t.producer,
        collection: t.collection,
        validation: { limits: config.limits.stix },
        retainUntil: () => Math.min(cap, t.retainUntilMs),
      });
      await node.ledger.checkpoint();
      return report;
    },
    auth,
    withdrawals,
    limits: { maxContentLength: config.limits.maxBundleBytes },
    rateLimit: config.limits.rate,
    discovery: {
      title: `Concordat node ${config.origin}`,
      description: `TAXII 2.1 for party ${config.party}: one API root per agreement, one collection per purpose`,
    },
  };
  return { context, auth, withdrawals, stateSource: 'escalation' };
}
