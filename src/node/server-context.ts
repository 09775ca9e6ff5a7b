/**
 * The composition root's half of `concordat serve`: a {@link ServerContext} built from an open
 * node — its store, vault and clock, every agreement with its compiled engine, the escalation
 * service of each agreement for the decision state, store-backed tokens and withdrawals, the
 * config's limits, and the REST ports (ledger, agreement registry, trusted keys, store probe,
 * oversight).
 * Building it reads the ledger (escalation replay, withdrawals), the signing key and the
 * agreements' signature and key files; it opens no socket.
 */
import { createPrivateKey, hkdfSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { JsonValue, TrustedKeys } from '../agreement/index.js';
import { addDuration, ConcordatError, isConcordatError } from '../core/index.js';
import type { PseudonymKey } from '../intel/index.js';
import { parseNoteVerifierKey } from '../ledger/index.js';
import type { DecisionState } from '../policy/index.js';
import { memoryAgreementRegistry } from '../server/index.js';
import type {
  AgreementRoot,
  LedgerPort,
  OversightPort,
  RestPorts,
  ServerContext,
  StoredAgreementVersion,
} from '../server/index.js';
import { storeAuthStore, storeWithdrawals } from './auth-store.js';
import type { StoreAuthStore, StoreWithdrawals } from './auth-store.js';
import { configWhere } from './config.js';
import { nodeCosignatures } from './cosignatures.js';
import { loadOfficialKeys } from './escalation-keys.js';
import { openEscalation } from './escalation-open.js';
import { nodeEscalationPort } from './escalation-port.js';
import type { EscalationService } from './escalation-service.js';
import { ingestBundle } from './ingest.js';
import { readConfigured } from './load-agreements.js';
import type { Node } from './open-node.js';
import { nodeTransparencyReport, servedIndicators } from './oversight.js';

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
 * The REST ledger port over the node's ledger and the store's checkpoints, with the
 * witnesses' cosignatures of the config's `witnesses` (./cosignatures.ts). Proofs are copied
 * field by field: INVARIANT (ports.ts) — nothing here hands an entry body to a route, and
 * `NodeLedger.inclusion` returns the entry beside its proof.
 */
function nodeLedgerPort(node: Node): LedgerPort {
  const { db, ledger } = node;
  const { checkpoints } = node.repositories;
  // The witnesses' keys were checked when the config loaded.
  const { cosign, cosigned } = nodeCosignatures({
    db,
    clock: node.clock,
    origin: ledger.origin,
    node: ledger.verifier,
    witnesses: node.config.witnesses.map((w) => parseNoteVerifierKey(w.key)),
  });
  return {
    head: () => ledger.head(),
    // Reads every stored checkpoint (one per ingest, shred or governance event), as ports.ts
    // describes; store/ has no query bounded by size yet.
    checkpoints: async (from) => (await checkpoints.list(db)).filter((c) => c.size >= from),
    inclusion: async (seq, size) => {
      const p = await ledger.inclusion(seq, size);
      return {
        seq: p.seq,
        size: p.size,
        leafHash: p.leafHash,
        proof: p.proof,
        root: p.root,
        checkpoint: p.checkpoint,
      };
    },
    consistency: (oldSize, newSize) => ledger.consistency(oldSize, newSize),
    append: async (kind, body) => ({ seq: (await ledger.append(kind, body)).seq }),
    verifier: ledger.verifier,
    cosign,
    cosigned,
  };
}

/**
 * The REST oversight port over the node's ledger (src/node/oversight.ts): indicators and the
 * transparency report, computed from ledger entries and escalation replay alone — never the
 * object store or the vault.
 */
function nodeOversightPort(node: Node): OversightPort {
  return {
    indicators: servedIndicators(node),
    report: (period, quarter) => nodeTransparencyReport(node, period, quarter),
  };
}

/**
 * The node's trusted party keys: the union of every agreement's configured `keys` (a directory
 * of `<PARTY>.pub.pem` or a JSON map of party to PEM(s), the format `agreements[].keys`
 * documents), party → PEMs. They verify agreement signatures here, and partners' receipts and
 * checkpoints in federation. Empty when no agreement names keys: loading a version is then refused as not
 * signed (422), and reading one reports its signatures unverified — never a guess.
 */
export async function nodePartyKeys(node: Node): Promise<Record<string, string[]>> {
  const keys = new Map<string, Set<string>>();
  for (const [i, a] of node.config.agreements.entries()) {
    if (a.keys === undefined) continue;
    let read: Readonly<Record<string, readonly string[]>>;
    try {
      // Same shape as the officials' keys (id → PEMs); only the error text differs.
      read = await loadOfficialKeys(a.keys);
    } catch (cause) {
      if (!isConcordatError(cause)) throw cause;
      throw new ConcordatError(
        cause.code,
        `trusted party keys \`${a.keys}\` (${configWhere(node.config, `agreements[${i}].keys`)}) are neither a directory of <PARTY>.pub.pem nor a json map of party to pem, or cannot be read`,
        { cause },
      );
    }
    for (const [party, pems] of Object.entries(read)) {
      const set = keys.get(party) ?? new Set<string>();
      for (const pem of pems) set.add(pem);
      keys.set(party, set);
    }
  }
  return Object.fromEntries([...keys].map(([party, pems]) => [party, [...pems]]));
}

/**
 * The agreement versions the node opened, each `active` (the node serves exactly these). The
 * detached signature file is re-read from the config's `signatures` (`null` when the config
 * names none). Loaded at `now`; `activatedAt` is unknown and left out.
 */
async function nodeAgreementVersions(node: Node, now: number): Promise<StoredAgreementVersion[]> {
  const out: StoredAgreementVersion[] = [];
  for (const [i, a] of node.config.agreements.entries()) {
    const loaded = [...node.agreements.values()].find((x) => x.file === a.file);
    if (loaded === undefined) continue;
    let signatures: JsonValue = null;
    if (a.signatures !== undefined) {
      const text = await readConfigured(node.config, `agreements[${i}].signatures`, a.signatures);
      try {
        signatures = JSON.parse(text) as JsonValue;
      } catch {
        // Verified at open; a file rewritten since then reads as unsigned, not as a crash.
        signatures = null;
      }
    }
    out.push({
      id: loaded.agreement.id,
      version: loaded.agreement.version,
      digest: loaded.digest,
      // The parsed agreement's JSON data (parseAgreement's `document`).
      document: loaded.document as JsonValue,
      signatures,
      status: 'active',
      loadedAt: now,
    });
  }
  return out;
}

/**
 * The REST ports of `node`. The registry is in memory (`memoryAgreementRegistry`), seeded with
 * the node's agreements: versions loaded through `POST /api/v1/agreements` (pending, and their
 * activation state) do not survive a restart — their `governance` ledger entries do.
 */
async function nodeRestPorts(node: Node): Promise<RestPorts> {
  const { db } = node;
  return {
    registry: memoryAgreementRegistry(await nodeAgreementVersions(node, node.clock.now())),
    ledger: nodeLedgerPort(node),
    trustedKeys: (await nodePartyKeys(node)) satisfies TrustedKeys,
    probeStore: async () => {
      await db.get('SELECT 1');
    },
    oversight: nodeOversightPort(node),
  };
}

/**
 * Builds the server's context over `node`. The decision state of each agreement is its
 * escalation service's `decisionStateAt(at)`, refreshed from the ledger before each release,
 * so events recorded by another process (the `concordat level` commands) apply at once. Every
 * REST port is wired (`rest`): no route of a served node answers `ERR_NOT_CONFIGURED`.
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
      holderParty: config.party,
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
        preparer: node.preparer,
        retention: { untilMs: Math.min(cap, t.retainUntilMs) },
      });
      await node.ledger.checkpoint();
      return report;
    },
    auth,
    withdrawals,
    limits: { maxContentLength: config.limits.maxBundleBytes },
    rateLimit: config.limits.rate,
    rest: { ...(await nodeRestPorts(node)), escalation: nodeEscalationPort(node, services) },
    discovery: {
      title: `Concordat node ${config.origin}`,
      description: `TAXII 2.1 for party ${config.party}: one API root per agreement, one collection per purpose`,
    },
  };
  return { context, auth, withdrawals, stateSource: 'escalation' };
}
